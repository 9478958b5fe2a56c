"""Refunds through the dialog against a real sandbox: partial then full, validation, and a
checksum mismatch (refunded behind our back) that records nothing as refunded."""

from __future__ import annotations

import pytest

from kpadmin.gui import messages
from kpadmin.store.audit import AuditRepository
from kpadmin.store.charges import ChargeRepository
from kpadmin.store.models import ChargeState
from tests.gui.test_charging_harness import close_desk, open_desk


@pytest.fixture
def paid_desk(qtbot, arun, sandbox, tmp_path, memory_keyring):
    """One subscriber, charged ₩9,900 through the engine."""
    desk = open_desk(qtbot, arun, sandbox, tmp_path, count=1)
    engine = desk.controller.engine()
    result = arun(engine.run(engine.plan(None, None, "민지")))
    assert result.progress.paid == 1
    desk.window.reload()
    yield desk
    close_desk(desk, qtbot, arun)


def refund_through_dialog(qtbot, desk, *, amount=None, reason="고객 요청", charge_id=0):
    controller = desk.controller
    outcomes = []
    controller.refund_finished.connect(outcomes.append)
    controller.refund(desk.ids[0], charge_id)
    dialog = controller.refund_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.set_values(amount=amount, reason=reason)
    assert dialog.review_button.isEnabled(), dialog.error.text()
    dialog.review()
    assert dialog.stack.currentIndex() == 1
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: bool(outcomes), timeout=15_000)
    controller.refund_finished.disconnect(outcomes.append)
    return outcomes[0]


def the_charge(desk):
    (charge,) = ChargeRepository(desk.backend.store).for_subscriber(desk.ids[0])
    return charge


def test_partial_then_full_refund(qtbot, paid_desk, sandbox):
    charge = the_charge(paid_desk)
    outcome = refund_through_dialog(qtbot, paid_desk, amount=3_000)
    assert outcome.ok, outcome.text
    assert the_charge(paid_desk).cancelled_amount == 3_000
    at_sandbox = sandbox.state.get_payment(charge.imp_uid)
    assert at_sandbox["cancel_amount"] == 3_000 and at_sandbox["status"] == "paid"
    audit = AuditRepository(paid_desk.backend.store).list(action="refund")
    assert len(audit) == 1 and audit[0].staff == "민지" and "₩3,000" in audit[0].detail
    assert "고객 요청" in audit[0].detail
    # The detail pane's history shows the refund.
    paid_desk.window.select_ids(paid_desk.ids)
    assert "₩3,000" in paid_desk.window.detail.history.topLevelItem(0).text(2)

    outcome = refund_through_dialog(qtbot, paid_desk, amount=None, charge_id=charge.id)
    assert outcome.ok, outcome.text
    after = the_charge(paid_desk)
    assert after.cancelled_amount == 9_900 and after.state is ChargeState.PAID
    at_sandbox = sandbox.state.get_payment(charge.imp_uid)
    assert at_sandbox["cancel_amount"] == 9_900 and at_sandbox["status"] == "cancelled"
    # Nothing left to refund: the controller says so instead of opening the dialog.
    paid_desk.controller.refund(paid_desk.ids[0], 0)
    assert "no paid charge left" in messages.bridge().history[-1][1]


def test_amount_and_reason_are_validated(qtbot, paid_desk):
    controller = paid_desk.controller
    controller.refund(paid_desk.ids[0], 0)
    dialog = controller.refund_dialog
    dialog.set_values(amount=10_000, reason="고객 요청")
    assert not dialog.review_button.isEnabled()
    assert "₩9,900" in dialog.error.text()
    dialog.set_values(amount=9_900, reason="   ")
    assert not dialog.review_button.isEnabled()
    assert "reason" in dialog.error.text().lower()
    dialog.partial.setChecked(True)
    dialog.amount.setText("abc")
    dialog.reason.setText("x")
    assert not dialog.review_button.isEnabled()
    dialog.amount.setText("9,900")
    assert dialog.review_button.isEnabled()
    dialog.reject()
    assert the_charge(paid_desk).cancelled_amount == 0


def test_checksum_mismatch_records_nothing(qtbot, paid_desk, sandbox, arun):
    charge = the_charge(paid_desk)
    # Someone refunds ₩1,000 from the i'mport console: our journal still believes ₩9,900 is left.
    arun(
        paid_desk.backend.gateway().refund(
            payment_id=charge.imp_uid, amount=1_000, reason="console"
        )
    )
    outcome = refund_through_dialog(qtbot, paid_desk, amount=None)
    assert not outcome.ok
    assert "Nothing was refunded" in outcome.text and "differs" in outcome.text
    assert the_charge(paid_desk).cancelled_amount == 0  # nothing recorded as refunded here
    assert sandbox.state.get_payment(charge.imp_uid)["cancel_amount"] == 1_000
    audit = AuditRepository(paid_desk.backend.store)
    assert audit.list(action="refund") == []
    (refused,) = audit.list(action="refund_refused")
    assert refused.staff == "민지"
    assert messages.bridge().history[-1][0] == messages.Level.ERROR
