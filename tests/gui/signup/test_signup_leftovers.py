"""What an unfinished sign-up leaves at i'mport, end to end: the real dialog and QtWebEngine window
against the real sandbox over HTTP.

The dangerous moment is staff pressing "Cancel sign-up" while the customer approves: the approval
reaches i'mport (key issued, first payment taken) but the callback never reaches the app. Here the
customer's approval is posted to the sandbox window's own outcome route with the window's token,
exactly what the window's button does, just without the callback coming back to the page; staff
then press Cancel. The dialog must find the key and the payment and neither drop nor hide them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kpadmin.billing.signup import AttemptLeftovers, SignupAttempt
from kpadmin.gui import messages
from kpadmin.gui.signup import SignupDialog
from kpadmin.store.audit import AuditRepository
from kpadmin.store.charges import ChargeRepository
from kpadmin.store.models import ChargeState
from kpadmin.store.subscribers import SubscriberRepository
from tests.fixtures.sandbox import RunningSandbox
from tests.gui.signup.harness import SignupBackend, click, fill, run_js, wait_for_window_frame

pytestmark = pytest.mark.e2e


@pytest.fixture
def dialog(qtbot: Any, backend: SignupBackend) -> Iterator[SignupDialog]:
    d = SignupDialog(None, backend)
    qtbot.addWidget(d)
    d.resize(760, 820)
    d.show()
    yield d
    # Let background look-ups finish before the client closes under them.
    qtbot.waitUntil(lambda: d.session.idle)
    d.dispose_web()


class Seen:
    def __init__(self, dialog: SignupDialog) -> None:
        self.results: list[str] = []
        self.leftovers: list[AttemptLeftovers] = []
        self.released: list[Any] = []
        dialog.finished_attempt.connect(lambda r, _m: self.results.append(r))
        dialog.leftovers_checked.connect(self.leftovers.append)
        dialog.attempt_released.connect(self.released.append)

    def next_leftovers(self, qtbot: Any, count: int = 1) -> AttemptLeftovers:
        qtbot.waitUntil(lambda: len(self.leftovers) >= count, timeout=20_000)
        return self.leftovers[count - 1]


def open_window(qtbot: Any, dialog: SignupDialog, **form: Any) -> tuple[Any, Seen]:
    seen = Seen(dialog)
    fill(dialog, **form)
    dialog.start_button.click()
    return wait_for_window_frame(qtbot, dialog), seen


def customer_approves_unseen(qtbot: Any, frame: Any) -> None:
    """The customer's approval reaches i'mport, its callback never reaches the page."""
    session = json.loads(run_js(qtbot, frame, "document.body.getAttribute('data-session')"))
    answer = httpx.post(
        session["outcome_url"],
        json={"outcome": "approve"},
        headers={"X-Window-Token": session["window_token"]},
    )
    assert answer.status_code == 200 and answer.json()["rsp"]["error_code"] is None


def current_attempt(dialog: SignupDialog) -> SignupAttempt:
    assert dialog.attempt is not None
    return dialog.attempt


def payment_status(sandbox: RunningSandbox, imp_uid: str) -> str:
    payment = sandbox.state.get_payment(imp_uid)
    assert payment is not None
    return str(payment["status"])


def actions(backend: SignupBackend) -> list[str]:
    return [e.action for e in AuditRepository(backend.store).list()]


def test_staff_cancel_finds_nothing_taken(qtbot: Any, dialog: SignupDialog, backend: Any) -> None:
    _frame, seen = open_window(qtbot, dialog, first_payment_now=True)
    dialog.abort_button.click()
    left = seen.next_leftovers(qtbot)
    assert left.empty and seen.results == ["cancelled"]
    assert "nothing was taken" in dialog.leftover_note.text()
    assert not dialog.refund_button.isVisible() and not dialog.save_button.isVisible()
    assert actions(backend) == ["signup_failed", "signup_started"]
    dialog.retry_button.click()  # nothing to release: no look-up, no audit
    assert seen.released == [] and actions(backend) == ["signup_failed", "signup_started"]


def test_staff_cancel_while_customer_approves_offers_to_save(
    qtbot: Any, dialog: SignupDialog, backend: Any, sandbox: RunningSandbox
) -> None:
    frame, seen = open_window(qtbot, dialog, first_payment_now=True)
    customer_approves_unseen(qtbot, frame)
    dialog.abort_button.click()
    left = seen.next_leftovers(qtbot)
    attempt = current_attempt(dialog)

    assert left.key and left.taken == 9900 and len(left.payments) == 1
    imp_uid = left.payments[0].payment_id
    assert dialog.save_button.isVisible() and dialog.refund_button.isVisible()
    assert "₩9,900" in dialog.refund_button.text()
    note = dialog.leftover_note.text()
    assert imp_uid in note and "₩9,900" in note
    assert actions(backend) == ["signup_leftovers", "signup_failed", "signup_started"]
    audit = AuditRepository(backend.store).list()[0]
    assert imp_uid in audit.detail and attempt.order_id in audit.detail
    assert SubscriberRepository(backend.store).count() == 0
    assert not dialog.retry_button.isVisible()  # a verified sign-up is waiting for a decision
    dialog.try_again()  # refused even when called
    assert dialog.stack.currentIndex() == 2

    dialog.save_button.click()
    (sub,) = SubscriberRepository(backend.store).list_all()
    assert sub.customer_uid == attempt.key_id and sub.card_name
    (charge,) = ChargeRepository(backend.store).for_subscriber(sub.id)
    assert charge.state is ChargeState.PAID and charge.imp_uid == imp_uid
    assert "✓" in dialog.result_icon.text()
    dialog.accept()  # saved: the key stays
    qtbot.wait(200)
    assert seen.released == []
    assert sandbox.state.get_customer(attempt.key_id) is not None


def test_staff_cancel_while_customer_approves_refund_and_delete_key(
    qtbot: Any, dialog: SignupDialog, backend: Any, sandbox: RunningSandbox
) -> None:
    frame, seen = open_window(qtbot, dialog, first_payment_now=True)
    customer_approves_unseen(qtbot, frame)
    dialog.abort_button.click()
    imp_uid = seen.next_leftovers(qtbot).payments[0].payment_id
    attempt = current_attempt(dialog)

    dialog.refund_button.click()  # first click only asks
    assert "Confirm" in dialog.refund_button.text()
    assert payment_status(sandbox, imp_uid) == "paid"
    dialog.refund_button.click()
    after = seen.next_leftovers(qtbot, 2)
    assert after.payments == () and after.key  # refunded; the card is still registered
    assert payment_status(sandbox, imp_uid) == "cancelled"
    assert not dialog.save_button.isVisible() and dialog.retry_button.isVisible()
    assert "Refunded ₩9,900." in dialog.leftover_note.text()
    assert dialog.result_title.text() == "Sign-up cancelled"  # no longer "approved after all"

    dialog.retry_button.click()  # leave the attempt: its key is deleted
    qtbot.waitUntil(lambda: seen.released == [attempt], timeout=20_000)
    assert sandbox.state.get_customer(attempt.key_id) is None
    assert dialog.stack.currentIndex() == 0
    assert SubscriberRepository(backend.store).count() == 0
    acts = actions(backend)
    assert acts[:2] == ["key_deleted", "signup_leftovers"]
    assert "signup_refund" in acts
    deleted = AuditRepository(backend.store).list()[0]
    assert attempt.key_id in deleted.detail


def test_payment_without_key_is_named_and_refundable(
    qtbot: Any, dialog: SignupDialog, backend: Any, sandbox: RunningSandbox
) -> None:
    # Kakao Pay's one-time CID takes the money but issues no key (REFERENCE §8): not a sign-up.
    dialog.api.pg = "kakaopay.TC0ONETIME"
    frame, seen = open_window(qtbot, dialog, first_payment_now=True)
    click(qtbot, frame, "approve")
    left = seen.next_leftovers(qtbot)
    assert seen.results == ["verification_failed"]
    assert not left.key and left.taken == 9900
    assert not dialog.save_button.isVisible() and dialog.refund_button.isVisible()
    assert left.payments[0].payment_id in dialog.leftover_note.text()
    dialog.refund_button.click()
    dialog.refund_button.click()
    assert seen.next_leftovers(qtbot, 2).empty
    assert payment_status(sandbox, left.payments[0].payment_id) == "cancelled"
    assert "signup_refund" in actions(backend)


def test_unreachable_then_new_attempt_deletes_the_orphan_key(
    qtbot: Any, dialog: SignupDialog, backend: Any, sandbox: RunningSandbox
) -> None:
    frame, seen = open_window(qtbot, dialog, first_payment_now=False)
    sandbox.set_faults(error_before=1.0, endpoints=["customer_get"])
    click(qtbot, frame, "approve")
    qtbot.waitUntil(lambda: bool(seen.results), timeout=30_000)
    assert seen.results == ["unreachable"]
    attempt = current_attempt(dialog)
    assert sandbox.state.get_customer(attempt.key_id) is not None  # issued, not saved
    sandbox.clear_faults()

    dialog.retry_button.click()  # a new attempt will mint new ids: this key would be orphaned
    qtbot.waitUntil(lambda: seen.released == [attempt], timeout=20_000)
    assert sandbox.state.get_customer(attempt.key_id) is None
    assert actions(backend)[0] == "key_deleted"
    assert SubscriberRepository(backend.store).count() == 0


def test_closing_while_customer_approves_checks_first_and_warns_after(
    qtbot: Any, dialog: SignupDialog, backend: Any, sandbox: RunningSandbox
) -> None:
    frame, seen = open_window(qtbot, dialog, first_payment_now=True)
    customer_approves_unseen(qtbot, frame)
    dialog.reject()  # Esc / the window's close button while the window is open: a staff cancel
    assert dialog.isVisible() and dialog.stack.currentIndex() == 2
    imp_uid = seen.next_leftovers(qtbot).payments[0].payment_id
    attempt = current_attempt(dialog)

    dialog.reject()  # closing again leaves without saving or refunding
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: seen.released == [attempt], timeout=20_000)
    assert sandbox.state.get_customer(attempt.key_id) is None  # the orphan key is gone
    assert payment_status(sandbox, imp_uid) == "paid"  # money is never refunded unasked…
    box = dialog.warning_box
    assert box is not None and box.isVisible()  # …but staff are told where they are
    assert imp_uid in box.text() and "₩9,900" in box.text()
    assert any(imp_uid in text for _level, text in messages.bridge().history)
    acts = actions(backend)
    assert acts[:2] == ["key_deleted", "signup_leftovers"]
    assert imp_uid in AuditRepository(backend.store).list()[1].detail
    box.close()


def test_lookup_that_cannot_reach_iamport_says_so_and_checks_again(
    qtbot: Any, dialog: SignupDialog, backend: Any, sandbox: RunningSandbox
) -> None:
    frame, seen = open_window(qtbot, dialog, first_payment_now=True)
    customer_approves_unseen(qtbot, frame)
    sandbox.set_faults(error_before=1.0, endpoints=["customer_get"])
    dialog.abort_button.click()
    left = seen.next_leftovers(qtbot)
    attempt = current_attempt(dialog)
    assert not left.checked and not left.empty  # unknown is never "nothing was taken"
    assert attempt.order_id in dialog.leftover_note.text()
    assert dialog.check_again_button.isVisible() and not dialog.save_button.isVisible()
    entry = AuditRepository(backend.store).list()[0]
    assert entry.action == "signup_leftovers" and "could not check" in entry.detail

    sandbox.clear_faults()
    dialog.check_again_button.click()
    again = seen.next_leftovers(qtbot, 2)
    assert again.key and again.taken == 9900
    assert dialog.save_button.isVisible()


def test_closed_while_verifying_still_warns_about_the_money(
    qtbot: Any, dialog: SignupDialog, backend: Any, sandbox: RunningSandbox
) -> None:
    # One-time CID: money taken, no key. Staff close the dialog while it is still verifying.
    dialog.api.pg = "kakaopay.TC0ONETIME"
    frame, seen = open_window(qtbot, dialog, first_payment_now=True)
    attempt = current_attempt(dialog)
    sandbox.set_faults(delay_after=1.0, delay_s=0.3, endpoints=["customer_get"])
    click(qtbot, frame, "approve")
    qtbot.waitUntil(lambda: dialog.session.has_callback, timeout=10_000)
    dialog.reject()  # verification in flight: the dialog closes
    assert not dialog.isVisible()
    left = seen.next_leftovers(qtbot)
    assert seen.results == ["verification_failed"] and left.taken == 9900
    qtbot.waitUntil(lambda: seen.released == [attempt], timeout=20_000)
    sandbox.clear_faults()
    box = dialog.warning_box
    assert box is not None and left.payments[0].payment_id in box.text()
    assert "signup_leftovers" in actions(backend)
    box.close()
