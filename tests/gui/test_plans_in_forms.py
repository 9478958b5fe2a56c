"""The plans catalogue in the forms (issue #13 item 6): the sign-up form and the edit dialog offer
the catalogue's plans in an editable combo (choosing one fills the amount with its price, any
other name still allowed), and the plans dialog's preview says who is told of a new price."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from kpadmin.billing import plans
from kpadmin.billing.periods import next_charge_date, period_of
from kpadmin.billing.settings import Settings
from kpadmin.runtime import open_runtime
from kpadmin.store import NewSubscriber
from tests.clock import FrozenClock


@pytest.fixture
def catalogue(backend) -> list[plans.Plan]:
    now = backend.now()
    plans.add_plan(backend.store, "베이직", 9900, staff="t", now=now)
    plans.add_plan(backend.store, "프로", 29000, staff="t", now=now)
    return plans.list_plans(backend.store)


def type_text(line, text: str) -> None:
    """Korean typed as an input method commits it (QTest's key clicks are ASCII only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(line, event)


def type_and_enter(qtbot, combo, text: str) -> None:
    combo.lineEdit().selectAll()
    type_text(combo.lineEdit(), text)
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)


def test_the_signup_form_offers_the_catalogue_and_fills_the_amount(
    qtbot, backend, catalogue
) -> None:
    from kpadmin.gui.signup.form import SignupFormWidget

    form = SignupFormWidget(today=backend.today(), catalogue=catalogue)
    qtbot.addWidget(form)
    form.show()
    assert form.plan.isEditable() and form.plan.count() == 2
    assert form.plan.text() == "" and form.amount.text() == ""
    # The list shows each plan with its price.
    model = form.plan.model()
    assert [model.index(r, 1).data() for r in range(2)] == ["₩9,900", "₩29,000"]
    # Typed and confirmed with Enter, as staff choose from an editable combo.
    type_and_enter(qtbot, form.plan, "프로")
    assert form.amount.text() == "29,000"
    # Chosen from the list.
    form.plan.choose("베이직")
    assert (form.plan.text(), form.amount.text()) == ("베이직", "9,900")
    # Staff may change the amount afterwards; a name the catalogue does not hold stays allowed
    # and leaves the amount alone.
    form.amount.setText("8,000")
    type_and_enter(qtbot, form.plan, "맞춤 요금")
    assert (form.raw().plan, form.amount.text()) == ("맞춤 요금", "8,000")
    form.name.setText("김하늘")
    form.phone.setText("010-1234-5678")
    form.reveal_all_errors()
    assert form.is_valid(), form.errors()
    assert form.validated().plan == "맞춤 요금" and form.validated().amount == 8000


def test_leaving_the_plan_field_on_a_catalogue_name_fills_the_amount(
    qtbot, backend, catalogue
) -> None:
    from kpadmin.gui.signup.form import SignupFormWidget

    form = SignupFormWidget(today=backend.today(), catalogue=catalogue)
    qtbot.addWidget(form)
    form.show()
    type_text(form.plan.lineEdit(), "프로")
    form.plan.lineEdit().editingFinished.emit()  # focus left the field
    assert form.amount.text() == "29,000"


def test_the_signup_dialog_takes_the_stores_catalogue(qtbot, tmp_path: Path, clock) -> None:
    from kpadmin.gui.signup import SignupDialog
    from kpadmin.store import open_store
    from tests.gui.signup.harness import SignupBackend

    store = open_store(tmp_path / "k.sqlite3", clock=clock)
    plans.add_plan(store, "베이직", 9900, staff="t", now=clock())
    dialog = SignupDialog(None, SignupBackend(store, None, clock=clock))
    qtbot.addWidget(dialog)
    assert [dialog.form.plan.itemText(i) for i in range(dialog.form.plan.count())] == ["베이직"]


def test_the_edit_dialog_offers_the_catalogue_and_keeps_an_untouched_amount(
    qtbot, backend, catalogue
) -> None:
    from kpadmin.gui.edit_dialog import EditSubscriberDialog

    today = backend.today()
    sub = backend.store.subscribers.add(
        NewSubscriber("cu-1", "김민지", 7000, today.day, today, plan="베이직")
    )
    dialog = EditSubscriberDialog(sub, catalogue=catalogue)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.plan.text() == "베이직" and dialog.amount.value() == 7000
    # Passing through the field without choosing changes nothing.
    dialog.plan.lineEdit().editingFinished.emit()
    assert dialog.amount.value() == 7000 and dialog.changes() == {}
    type_and_enter(qtbot, dialog.plan, "프로")
    assert dialog.amount.value() == 29000
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert dialog.changes() == {"plan": "프로", "amount": 29000}
    # A name outside the catalogue: allowed, the amount as it was.
    type_and_enter(qtbot, dialog.plan, "특별 요금")
    assert dialog.changes() == {"plan": "특별 요금", "amount": 29000}
    # The field rules still judge the name (one rule set: kpadmin.billing.fields).
    dialog.plan.setText("x" * 41)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()


@pytest.fixture
def notices_backend(qapp, tmp_path: Path, clock: FrozenClock):
    from kpadmin.gui.backend import Backend

    runtime = open_runtime(tmp_path / "data", clock=clock).with_settings(
        Settings(notices="email", notice_days_before=7)
    )
    b = Backend(runtime)
    yield b
    b.store.close()


def test_the_preview_says_who_is_told_and_applying_queues_their_notices(
    qtbot, notices_backend, monkeypatch
) -> None:
    from kpadmin.gui import messages
    from kpadmin.gui.plans_dialog import PlansDialog

    backend = notices_backend
    today = backend.today()
    plan = plans.add_plan(backend.store, "베이직", 9900, staff="t", now=backend.now())
    for uid, email in (("cu-1", "a@example.com"), ("cu-2", "b@example.com"), ("cu-3", "")):
        backend.store.subscribers.add(
            NewSubscriber(uid, uid, 9900, today.day, today, plan="베이직", email=email)
        )
    shown: list[str] = []
    monkeypatch.setattr(messages, "info", shown.append)
    dialog = PlansDialog(backend)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    dialog.price.setText("12,900")
    # From this month: each is charged today, sooner than the 7-day notice.
    dialog.period.setCurrentIndex(dialog.period.findData(period_of(today)))
    dialog.show_preview()
    text = dialog.preview_text.toPlainText()
    assert "Customers told of the new price by e-mail: 2" in text
    assert "Sooner than the 7-day notice: 2 customer(s)" in text
    # From next month: a month away, no warning.
    later = period_of(next_charge_date(today, today.day))
    dialog.period.setCurrentIndex(dialog.period.findData(later))
    dialog.show_preview()
    text = dialog.preview_text.toPlainText()
    assert "by e-mail: 2" in text and "Sooner than" not in text
    dialog.apply()
    assert shown and "2 customer(s) will be told by e-mail" in shown[0]
    written = backend.store.notices.entries()
    assert len(written) == 2 and {n.channel for n in written} == {"email"}
    assert plans.list_plans(backend.store)[0].price == 12900 != plan.price
    assert not dialog.apply_button.isEnabled()  # a preview applies once
    dialog.reject()


def test_the_preview_says_when_notices_are_off(qtbot, backend, catalogue) -> None:
    from kpadmin.gui.plans_dialog import PlansDialog

    today = backend.today()
    backend.store.subscribers.add(
        NewSubscriber("cu-1", "가", 9900, today.day, today, plan="베이직", email="a@example.com")
    )
    dialog = PlansDialog(backend)
    qtbot.addWidget(dialog)
    dialog.table.selectRow([p.name for p in dialog.catalogue].index("베이직"))
    dialog.price.setText("12,900")
    dialog.period.setCurrentIndex(dialog.period.findData(period_of(today)))
    dialog.show_preview()
    assert "Notices are off" in dialog.preview_text.toPlainText()


def test_the_notices_window_names_a_price_change_notice(qtbot, notices_backend) -> None:
    from kpadmin.gui import i18n
    from kpadmin.gui.notices import kind_label

    backend = notices_backend
    today = backend.today()
    plan = plans.add_plan(backend.store, "베이직", 9900, staff="t", now=backend.now())
    backend.store.subscribers.add(
        NewSubscriber("cu-1", "가", 9900, today.day, today, plan="베이직", email="a@example.com")
    )
    policy = backend.collections.notices
    preview = plans.preview_price_change(
        backend.store, plan, 12900, period_of(today), today=today, notices=policy
    )
    plans.apply_price_change(backend.store, preview, staff="t", now=backend.now(), notices=policy)
    (entry,) = backend.notice_entries()
    assert entry["kind"] == "price_change"
    assert kind_label(entry["kind"]) == "Price change notice"
    i18n.install("ko")
    try:
        assert kind_label(entry["kind"]) == "요금 변경 안내"
    finally:
        i18n.install("en")
