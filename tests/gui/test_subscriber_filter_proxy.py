"""The table's filter model (`SubscriberFilterProxy`) on its own: the vectorised search and filters
against a plain row-by-row reading of the same rules, through typing, deleting, filter changes, live
row updates, inserts, removals and sorts, with Qt's model checks watching every signal."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from PySide6.QtCore import QPersistentModelIndex, Qt
from pytestqt.modeltest import ModelTester

from kpadmin.gui.formatting import phone_digits
from kpadmin.gui.rows import SubscriberRow, normalise_query
from kpadmin.gui.subscriber_filter import SubscriberFilterProxy
from kpadmin.gui.subscriber_model import (
    ROW_ROLE,
    SORT_ROLE,
    Column,
    SubscriberTableModel,
)
from kpadmin.store.models import ChargeState, SubscriberState
from tests.gui.helpers import TODAY, row

NAMES = ["김민준", "김민서", "이민준", "박서연", "Kim Ara", "Min Joon", "최유나", "김하은"]
QUERY_CHARS = "김민준서a01-_k5"


def expected_ids(model, *, text="", state=None, due=False, failed=False, unknown=False):
    """The filter rules read straight off each row's fields, one row at a time."""
    needle = normalise_query(text)
    out = []
    for r in model.rows:
        if needle and not (
            needle in r.name.lower()
            or needle in phone_digits(r.phone)
            or needle in r.customer_uid.lower()
        ):
            continue
        if state is not None and r.state != state:
            continue
        if due and not (
            r.state == SubscriberState.ACTIVE and r.next_charge_date <= TODAY and not r.in_doubt
        ):
            continue
        if failed and r.last_charge_state not in (ChargeState.DECLINED, ChargeState.REJECTED):
            continue
        if unknown and not r.in_doubt:
            continue
        out.append(r.id)
    return out


def shown_ids(proxy):
    return [proxy.index(r, Column.NAME).data(ROW_ROLE).id for r in range(proxy.rowCount())]


def random_row(rnd: random.Random, sid: int) -> SubscriberRow:
    last = rnd.choice([None, *ChargeState])
    return row(
        sid,
        name=rnd.choice(NAMES),
        phone=f"010-{rnd.randint(0, 9999):04d}-{rnd.randint(0, 9999):04d}",
        customer_uid=f"kp_{rnd.choice('ab')}_{sid:04d}",
        amount=rnd.choice([4_900, 9_900, 29_000]),
        state=rnd.choice(list(SubscriberState)),
        next_charge=TODAY + timedelta(days=rnd.randint(-3, 3)),
        last=last,
        last_on=date(2026, 11, rnd.randint(1, 27)) if last else None,
        in_doubt=rnd.random() < 0.2,
    )


class FilterMachine(RuleBasedStateMachine):
    """Every step changes the query, a filter or the rows; the invariant compares the result."""

    def __init__(self) -> None:
        super().__init__()
        self.rnd = random.Random(0)
        self.next_id = 1
        self.model = SubscriberTableModel(monthly_cap=3)
        self.model.set_rows(self.new_rows(40))
        self.proxy = SubscriberFilterProxy(today=TODAY)
        self.proxy.setSourceModel(self.model)
        self.tester = ModelTester(None)
        self.tester.check(self.proxy, force_py=True)
        self.text = ""
        self.filters: dict[str, object] = {
            "state": None,
            "due": False,
            "failed": False,
            "unknown": False,
        }
        self.tracked: tuple[QPersistentModelIndex, int] | None = None
        self.track()

    @initialize(seed=st.integers(0, 100_000))
    def load_rows(self, seed):
        self.rnd = random.Random(seed)
        self.model.set_rows(self.new_rows(40))
        self.track()

    def new_rows(self, n: int) -> list[SubscriberRow]:
        rows = [random_row(self.rnd, self.next_id + i) for i in range(n)]
        self.next_id += n
        return rows

    def track(self) -> None:
        """Hold a persistent index on a shown row: it must follow that subscriber."""
        if self.proxy.rowCount():
            index = self.proxy.index(self.proxy.rowCount() // 2, Column.PLAN)
            self.tracked = (QPersistentModelIndex(index), index.data(ROW_ROLE).id)
        else:
            self.tracked = None

    def search(self, text: str) -> None:
        self.text = text
        self.proxy.set_search(text)

    # --- typing -----------------------------------------------------------------------------

    @rule(ch=st.sampled_from(QUERY_CHARS))
    def type_a_character(self, ch):
        self.search(self.text + ch)

    @rule()
    def delete_a_character(self):
        self.search(self.text[:-1])

    @rule(text=st.text(alphabet=QUERY_CHARS, max_size=4))
    def replace_the_query(self, text):
        self.search(text)

    # --- filters ----------------------------------------------------------------------------

    @rule(state=st.sampled_from([None, *SubscriberState]))
    def filter_by_state(self, state):
        self.filters["state"] = state
        self.proxy.set_state(state)

    @rule(name=st.sampled_from(["due", "failed", "unknown"]), on=st.booleans())
    def toggle_a_flag(self, name, on):
        self.filters[name] = on
        {
            "due": self.proxy.set_due_only,
            "failed": self.proxy.set_failed_only,
            "unknown": self.proxy.set_unknown_only,
        }[name](on)

    # --- the rows change underneath ---------------------------------------------------------

    @precondition(lambda self: self.model.rowCount() > 0)
    @rule(data=st.data())
    def a_row_changes_live(self, data):
        old = data.draw(st.sampled_from(list(self.model.rows)))
        fresh = random_row(self.rnd, old.id)
        self.model.update_rows([fresh])

    @rule()
    def a_subscriber_signs_up(self):
        self.model.update_rows(self.new_rows(1))

    @precondition(lambda self: self.model.rowCount() > 0)
    @rule(data=st.data())
    def a_subscriber_is_removed(self, data):
        gone = data.draw(st.sampled_from(list(self.model.rows)))
        self.model.remove_ids([gone.id])

    @rule(column=st.sampled_from(list(Column)), descending=st.booleans())
    def sort(self, column, descending):
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.proxy.sort(column, order)
        values = [self.proxy.index(r, column).data(SORT_ROLE) for r in range(self.proxy.rowCount())]
        assert values == sorted(values, reverse=descending)

    @rule(cap=st.sampled_from([None, 2, 5]))
    def the_monthly_cap_changes(self, cap):
        self.model.set_monthly_cap(cap)  # a dataChanged over every row

    @rule()
    def reload(self):
        self.model.set_rows(self.new_rows(self.rnd.randint(0, 40)))
        self.track()

    # --- what must always hold --------------------------------------------------------------

    @invariant()
    def shows_exactly_the_matching_rows_in_source_order(self):
        expected = expected_ids(self.model, text=self.text, **self.filters)
        assert shown_ids(self.proxy) == expected
        for r in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(r, Column.AMOUNT))
            assert self.proxy.mapFromSource(source).row() == r
            assert source.data() == self.proxy.index(r, Column.AMOUNT).data()

    @invariant()
    def persistent_indexes_follow_their_subscriber(self):
        if self.tracked is None:
            self.track()
            return
        index, sid = self.tracked
        if sid in expected_ids(self.model, text=self.text, **self.filters) and index.isValid():
            assert index.data(ROW_ROLE).id == sid
            assert index.column() == Column.PLAN
        else:  # it was filtered out (or removed) at some point: it must not point elsewhere
            assert not index.isValid() or index.data(ROW_ROLE).id == sid
            self.track()

    def teardown(self) -> None:
        self.tester._cleanup()


def test_filter_model_matches_the_row_by_row_rules(qapp):
    run_state_machine_as_test(
        FilterMachine,
        settings=settings(
            max_examples=20,
            stateful_step_count=35,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow],
            # The explain phase traces every line under Qt: minutes before a failure is shown.
            phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
        ),
    )


# --- specific behaviours, each on the six sample rows ------------------------------------------


@pytest.fixture
def model(qapp):
    m = SubscriberTableModel(monthly_cap=3)
    m.set_rows(
        [
            row(1, name="김민준", phone="010-1111-2222"),
            row(2, name="김민서", phone="010-3333-4444", last=ChargeState.DECLINED),
            row(3, name="이민준", state=SubscriberState.PAUSED),
            row(4, name="박서연", in_doubt=True, last=ChargeState.UNKNOWN),
            row(5, name="김하은", next_charge=date(2026, 11, 20)),
            row(6, name="최유나", customer_uid="kp_cust_SPECIAL"),
        ]
    )
    return m


@pytest.fixture
def proxy(model):
    p = SubscriberFilterProxy(today=TODAY)
    p.setSourceModel(model)
    return p


def names(proxy):
    return [proxy.index(r, Column.NAME).data() for r in range(proxy.rowCount())]


def test_typing_narrows_and_deleting_widens(proxy):
    seen = []
    for text in ["김", "김민", "김민준", "김민", "김", ""]:
        proxy.set_search(text)
        seen.append(names(proxy))
    assert seen == [
        ["김민준", "김민서", "김하은"],
        ["김민준", "김민서"],
        ["김민준"],
        ["김민준", "김민서"],
        ["김민준", "김민서", "김하은"],
        ["김민준", "김민서", "이민준", "박서연", "김하은", "최유나"],
    ]


def test_a_longer_query_that_does_not_extend_the_last_one_scans_again(proxy):
    proxy.set_search("민준")
    assert names(proxy) == ["김민준", "이민준"]
    proxy.set_search("이민")  # not an extension of "민준": the earlier result is no superset
    assert names(proxy) == ["이민준"]


def test_a_row_changed_while_searching_counts_for_the_next_keystroke(model, proxy):
    proxy.set_search("김민")
    assert names(proxy) == ["김민준", "김민서"]
    renamed = model.row_for_id(3)._replace(name="김민호", search_key="김민호\x1f\x1fkp_cust_000003")
    model.update_rows([renamed])
    assert names(proxy) == ["김민준", "김민서", "김민호"]
    proxy.set_search("김민호")  # narrows from the live-updated result
    assert names(proxy) == ["김민호"]
    proxy.set_search("김")  # widens again from all rows
    assert names(proxy) == ["김민준", "김민서", "김민호", "김하은"]


def test_filters_combine_with_the_search(proxy):
    proxy.set_search("김")
    proxy.set_failed_only(True)
    assert names(proxy) == ["김민서"]
    proxy.set_failed_only(False)
    proxy.set_due_only(True)
    assert names(proxy) == ["김하은"]
    proxy.set_search("")
    assert names(proxy) == ["김하은"]
    proxy.set_due_only(False)
    proxy.set_state(SubscriberState.PAUSED)
    assert names(proxy) == ["이민준"]
    proxy.set_search("김")
    assert names(proxy) == []


def test_live_update_while_filtered_removes_inserts_and_repaints_only_its_cells(
    qtbot, model, proxy
):
    proxy.set_failed_only(True)
    assert names(proxy) == ["김민서"]
    declined = model.row_for_id(1)._replace(
        last_charge_state=ChargeState.DECLINED, last_charge_on=TODAY
    )
    with qtbot.waitSignal(proxy.rowsInserted) as inserted:
        model.update_rows([declined])
    assert inserted.args[1:] == [0, 0]  # before 김민서: source order
    assert names(proxy) == ["김민준", "김민서"]

    paid = model.row_for_id(2)._replace(last_charge_state=ChargeState.PAID, last_charge_on=TODAY)
    with qtbot.waitSignal(proxy.rowsRemoved) as removed:
        model.update_rows([paid])
    assert removed.args[1:] == [1, 1]
    assert names(proxy) == ["김민준"]

    # A change that keeps the row in the view: dataChanged on its proxy row, same columns.
    again = declined._replace(last_charge_on=date(2026, 11, 28))
    with qtbot.waitSignal(proxy.dataChanged) as changed:
        model.update_rows([again])
    top, bottom = changed.args[0], changed.args[1]
    assert top.row() == bottom.row() == 0
    assert top.column() == bottom.column() == Column.LAST_CHARGE
    assert top.model() is proxy


def test_a_change_to_a_hidden_row_says_nothing_to_the_view(qtbot, model, proxy):
    proxy.set_search("최유나")
    hidden = model.row_for_id(1)._replace(amount=1)
    with qtbot.assertNotEmitted(proxy.dataChanged), qtbot.assertNotEmitted(proxy.layoutChanged):
        model.update_rows([hidden])
    assert names(proxy) == ["최유나"]


def test_sort_while_filtered_keeps_the_filter_and_the_held_rows(model, proxy):
    proxy.set_search("민")
    held = QPersistentModelIndex(proxy.index(2, Column.NAME))  # 이민준
    proxy.sort(Column.NAME, Qt.SortOrder.DescendingOrder)
    assert names(proxy) == ["이민준", "김민준", "김민서"]
    assert held.data() == "이민준" and held.row() == 0
    proxy.set_search("")
    assert names(proxy)[:2] == ["최유나", "이민준"]
    assert held.data() == "이민준" and held.row() == 1


def test_a_held_row_that_is_filtered_out_is_dropped_not_moved(proxy):
    held = QPersistentModelIndex(proxy.index(1, Column.NAME))  # 김민서
    proxy.set_search("김민준")
    assert not held.isValid()
    proxy.set_search("")
    assert not held.isValid()  # like QSortFilterProxyModel: it does not come back


def test_a_whole_column_change_is_forwarded_once(qtbot, model, proxy):
    proxy.set_search("김")
    with qtbot.waitSignal(proxy.dataChanged) as changed:
        model.set_monthly_cap(5)
    top, bottom = changed.args[0], changed.args[1]
    assert (top.row(), bottom.row()) == (0, 2)
    assert top.column() == bottom.column() == Column.THIS_MONTH
    assert proxy.index(0, Column.THIS_MONTH).data() == "0 / 5"


def test_passes_qtmodeltester_through_filter_changes(qtmodeltester, model, proxy):
    qtmodeltester.check(proxy, force_py=True)
    proxy.set_search("김")
    proxy.set_search("김민")
    proxy.set_state(SubscriberState.ACTIVE)
    proxy.set_search("")
    model.update_rows([row(7, name="김민지")])
    model.remove_ids([2])
    proxy.sort(Column.AMOUNT, Qt.SortOrder.DescendingOrder)
    model.set_rows([])
    assert proxy.rowCount() == 0


def test_the_windows_selection_follows_filters_and_sorting(window, qtbot):
    rows = window.model.rows
    kept, hidden = rows[3], rows[7]
    window.select_ids([kept.id, hidden.id])
    assert window.detail.row is None  # two selected: no single subscriber in the pane
    window.search.setText(kept.customer_uid)
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)
    # The hidden one left the selection (nothing hidden gets charged); the pane caught up.
    assert window.selected_ids() == [kept.id]
    assert window.detail.row is not None and window.detail.row.id == kept.id
    window.search.clear()
    qtbot.waitUntil(lambda: window.proxy.rowCount() == len(rows))
    assert window.selected_ids() == [kept.id]
    window.table.sortByColumn(Column.AMOUNT, Qt.SortOrder.DescendingOrder)
    assert window.selected_ids() == [kept.id]
    window.unknown_filter.setChecked(True)
    assert window.selected_ids() == ([kept.id] if kept.in_doubt else [])
    assert "of" in window.count_label.text()
