"""The subscriber table model and its filter proxy, without any widget."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt

from kpadmin.gui.subscriber_filter import SubscriberFilterProxy
from kpadmin.gui.subscriber_model import (
    ROW_ROLE,
    SORT_ROLE,
    Column,
    SubscriberTableModel,
)
from kpadmin.store.models import ChargeState, SubscriberState
from tests.gui.helpers import TODAY, row


def sample_rows():
    return [
        row(1, name="김민준", phone="010-1111-2222", amount=9_900),
        row(
            2,
            name="이서연",
            phone="01033334444",
            amount=29_000,
            last=ChargeState.DECLINED,
            last_on=date(2026, 11, 5),
        ),
        row(3, name="박지호", amount=1_200_000, state=SubscriberState.PAUSED),
        row(
            4,
            name="Choi Yuna",
            amount=4_900,
            in_doubt=True,
            last=ChargeState.UNKNOWN,
            last_on=date(2026, 11, 27),
        ),
        row(5, name="정하은", next_charge=date(2026, 11, 20), this_month=1),
        row(6, name="강도윤", state=SubscriberState.KEY_MISSING, customer_uid="kp_cust_SPECIAL"),
    ]


@pytest.fixture
def model(qapp):
    m = SubscriberTableModel(monthly_cap=3)
    m.set_rows(sample_rows())
    return m


@pytest.fixture
def proxy(model):
    p = SubscriberFilterProxy(today=TODAY)
    p.setSourceModel(model)
    return p


def names(proxy):
    return [proxy.index(r, Column.NAME).data() for r in range(proxy.rowCount())]


def test_model_passes_qtmodeltester(qtmodeltester, model):
    qtmodeltester.check(model, force_py=True)


def test_proxy_passes_qtmodeltester(qtmodeltester, proxy):
    proxy.set_search("0")
    qtmodeltester.check(proxy, force_py=True)


def test_display_formats_money_phone_and_cap(model):
    assert model.index(2, Column.AMOUNT).data() == "₩1,200,000"
    assert model.index(0, Column.PHONE).data() == "010-****-2222"
    assert model.index(4, Column.THIS_MONTH).data() == "1 / 3"
    align = model.index(0, Column.AMOUNT).data(Qt.ItemDataRole.TextAlignmentRole)
    assert align & Qt.AlignmentFlag.AlignRight
    assert "Declined" in model.index(1, Column.LAST_CHARGE).data()


def test_sort_role_gives_raw_values_and_row_role_the_row(model):
    assert model.index(2, Column.AMOUNT).data(SORT_ROLE) == 1_200_000
    assert model.index(0, Column.NEXT_CHARGE).data(SORT_ROLE) == date(2026, 12, 5)
    assert model.index(3, Column.NAME).data(ROW_ROLE).subscriber.name == "Choi Yuna"


def test_data_never_raises_on_a_broken_row(model, caplog):
    broken = model.rows[0]._replace(state="no such state", amount=None, card_number=12)
    model._rows[0] = broken
    assert model.index(0, Column.STATE).data() is not None  # shown as is, no exception
    assert model.index(0, Column.AMOUNT).data() == ""
    assert model.index(0, Column.CARD).data() is None  # the formatter failed: blank, logged
    assert model.index(99, 0).data() is None


def test_search_by_name_phone_digits_and_uid(proxy):
    proxy.set_search("민준")
    assert names(proxy) == ["김민준"]
    proxy.set_search("010-3333")
    assert names(proxy) == ["이서연"]
    proxy.set_search("kp_cust_special")
    assert names(proxy) == ["강도윤"]
    proxy.set_search("CHOI")
    assert names(proxy) == ["Choi Yuna"]
    proxy.set_search("")
    assert proxy.rowCount() == 6


def test_filters_combine(proxy):
    proxy.set_state(SubscriberState.ACTIVE)
    assert set(names(proxy)) == {"김민준", "이서연", "Choi Yuna", "정하은"}
    proxy.set_due_only(True)
    assert names(proxy) == ["정하은"]  # Choi is due too but in doubt: never offered for charging
    proxy.set_due_only(False)
    proxy.set_failed_only(True)
    assert names(proxy) == ["이서연"]
    proxy.set_failed_only(False)
    proxy.set_unknown_only(True)
    assert names(proxy) == ["Choi Yuna"]
    proxy.set_state(None)
    proxy.set_unknown_only(False)
    assert proxy.rowCount() == 6


def test_sort_reorders_source_and_keeps_the_filter_right(model, proxy):
    proxy.set_search("0")  # every phone has a 0
    proxy.sort(Column.AMOUNT, Qt.SortOrder.DescendingOrder)
    amounts = [proxy.index(r, Column.AMOUNT).data(SORT_ROLE) for r in range(proxy.rowCount())]
    assert amounts == sorted(amounts, reverse=True)
    proxy.set_search("민준")
    assert names(proxy) == ["김민준"]  # the precomputed filter follows the new order


def test_sort_keeps_persistent_indexes(model):
    from PySide6.QtCore import QPersistentModelIndex

    held = QPersistentModelIndex(model.index(0, Column.NAME))  # 김민준
    model.sort(Column.AMOUNT, Qt.SortOrder.DescendingOrder)
    assert held.data() == "김민준"
    assert held.row() == model.position_of(1)


def test_live_update_emits_column_scoped_data_changed(qtbot, model, proxy):
    proxy.set_failed_only(True)
    assert names(proxy) == ["이서연"]
    first = model.rows[0]
    paid = first._replace(last_charge_state=ChargeState.DECLINED, last_charge_on=date(2026, 11, 27))
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.update_rows([paid])
    top, bottom = blocker.args[0], blocker.args[1]
    assert top.column() == bottom.column() == Column.LAST_CHARGE
    assert top.row() == 0
    # the proxy re-filtered just that row
    assert set(names(proxy)) == {"김민준", "이서연"}


def test_adjacent_changed_rows_share_one_data_changed(model, proxy):
    """A batch tick's chunk is one signal per run of adjacent rows (over the columns that
    changed in any of them), and the filter follows every row of it."""
    proxy.set_failed_only(True)
    seen: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda top, bottom, _roles=(): seen.append(
            (top.row(), bottom.row(), top.column(), bottom.column())
        )
    )
    rows = model.rows
    declined = {"last_charge_state": ChargeState.DECLINED, "last_charge_on": date(2026, 11, 27)}
    model.update_rows(
        [
            rows[4]._replace(**declined),  # given out of order: runs follow the rows
            rows[0]._replace(**declined),
            rows[1]._replace(amount=1_000),  # row 1: another column
            rows[2],  # unchanged: no signal, and it does not join a run
            rows[3]._replace(**declined),
        ]
    )
    assert seen == [
        (0, 1, Column.AMOUNT, Column.LAST_CHARGE),
        (3, 4, Column.LAST_CHARGE, Column.LAST_CHARGE),
    ]
    assert set(names(proxy)) == {"김민준", "이서연", "Choi Yuna", "정하은"}


def test_update_with_a_new_id_appends(model, proxy):
    model.update_rows([row(7, name="윤서준")])
    assert model.rowCount() == 7
    proxy.set_search("윤서")
    assert names(proxy) == ["윤서준"]


def test_remove_ids(model, proxy):
    model.remove_ids([2])
    assert model.row_for_id(2) is None
    assert proxy.rowCount() == 5
    proxy.set_search("민준")
    assert names(proxy) == ["김민준"]


def test_reset_with_no_rows(model, proxy):
    model.set_rows([])
    assert proxy.rowCount() == 0
    assert model.index(0, 0).data() is None
    assert model.rowCount(QModelIndex()) == 0


def test_every_column_says_what_its_text_is_made_of() -> None:
    """`update_rows` tells changed cells by the fields each column shows: a column missing from
    that table would never repaint."""
    from kpadmin.gui.subscriber_model import _SHOWN, Column

    assert set(_SHOWN) == set(Column)
