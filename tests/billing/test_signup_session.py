"""The sign-up session (`kpadmin.billing.signup_session`) without Qt: its states and transitions,
against the real sandbox over HTTP and a real SQLite file.

The sandbox state is arranged the way the simulated window leaves it (a key issued, a payment
taken) and the window's callback is handed to the session as the bridge would; every test then
looks at the phases the session went through, what it reported, and what it wrote.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kpadmin.billing import signup as su
from kpadmin.billing.messages import MessageCode
from kpadmin.billing.outbox import NoticePolicy
from kpadmin.billing.signup import CheckoutCallback, FailureReason, RawSignupForm
from kpadmin.billing.signup_session import (
    TRANSITIONS,
    AttemptFailed,
    AttemptReleased,
    InvalidTransition,
    LeftoversChecked,
    MoneyLeftAfterLeaving,
    Phase,
    PhaseChanged,
    RefundFinished,
    SessionEvent,
    SignedUp,
    SignupSession,
)
from kpadmin.iamport.client import IamportClient
from kpadmin.iamport.gateway import IamportGateway
from kpadmin.store import Store, open_store
from kpadmin.store.audit import AuditRepository
from kpadmin.store.subscribers import SubscriberRepository
from tests.billing.test_signup_verify import issue_key, pay
from tests.clock import FrozenClock
from tests.fixtures.sandbox import RunningSandbox

FORM = RawSignupForm(
    name="김하늘",
    phone="010-1234-5678",
    plan="프리미엄 월 구독",
    amount="9900",
    billing_day="5",
    first_payment_now=True,
    channel="phone",
)


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Store]:
    c = open_store(tmp_path / "kpadmin.sqlite3")
    yield c
    c.close()


class Desk:
    """A session, what it reported, and the sandbox behind it (one asyncio loop per test)."""

    def __init__(self, box: RunningSandbox, conn: Store) -> None:
        self.box = box
        self.conn = conn
        self.events: list[SessionEvent] = []
        self.session = SignupSession(
            conn, staff="민지", clock=FrozenClock(), on_event=self.events.append
        )
        self.client = IamportClient(box.base_url, box.imp_key, box.imp_secret)
        self.gateway = IamportGateway(self.client)  # the port over a real client, real HTTP

    def start(self, **form: Any) -> su.SignupAttempt:
        valid = su.validate_form(replace(FORM, **form))
        attempt = self.session.start(
            valid, self.gateway, imp_code=self.box.imp_code, pg="kakaopay.TCSUBSCRIP"
        )
        assert attempt is not None
        return attempt

    def phases(self) -> list[Phase]:
        return [e.phase for e in self.events if isinstance(e, PhaseChanged)]

    def of(self, kind: type[Any]) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]

    def actions(self) -> list[str]:
        return [e.action for e in AuditRepository(self.conn).list()][::-1]  # oldest first


def session_test(body: Any) -> Any:
    """Run ``body(desk)`` on a fresh loop; the session's background work finishes inside it."""

    def run(sandbox: RunningSandbox, conn: Store) -> None:
        async def main() -> None:
            desk = Desk(sandbox, conn)
            async with desk.client:
                await body(desk)
                await desk.session.wait_idle()

        asyncio.run(main())

    return run


def approved(attempt: su.SignupAttempt, imp_uid: str | None) -> CheckoutCallback:
    return CheckoutCallback(
        order_id=attempt.order_id, payment_id=imp_uid, error_code=None, error_msg=None
    )


def test_the_transition_table_is_closed() -> None:
    assert set(TRANSITIONS) == set(Phase)
    assert all(targets <= set(Phase) for targets in TRANSITIONS.values())
    assert TRANSITIONS[Phase.DONE] == frozenset({Phase.FORM})  # only on to the next customer
    # Money is only ever saved after verification.
    assert [p for p, targets in TRANSITIONS.items() if Phase.DONE in targets] == [
        Phase.VERIFYING,
        Phase.LEFTOVERS,
    ]


def test_a_verified_sign_up_is_saved(sandbox: RunningSandbox, conn: Store) -> None:
    async def body(desk: Desk) -> None:
        attempt = desk.start()
        desk.session.page_requested()
        issue_key(desk.box, attempt.key_id)
        imp_uid = pay(desk.box, attempt)
        desk.session.callback(approved(attempt, imp_uid))
        assert desk.session.phase is Phase.VERIFYING
        await desk.session.wait_idle()
        (done,) = desk.of(SignedUp)
        assert done.subscriber.customer_uid == attempt.key_id
        assert done.verified.first_payment.payment_id == imp_uid
        # A second callback or a cancel: a finished sign-up ignores them.
        desk.session.callback(approved(attempt, imp_uid))
        desk.session.cancel()
        assert desk.session.phase is Phase.DONE and len(desk.of(SignedUp)) == 1
        # The next customer: a new attempt, nothing of the saved one released.
        assert desk.session.try_again() is True
        assert desk.session.phase is Phase.FORM
        await desk.session.wait_idle()
        assert desk.of(AttemptReleased) == []

    session_test(body)(sandbox, conn)
    assert SubscriberRepository(conn).count() == 1


def test_the_sessions_notices_write_the_first_payments_receipt(
    sandbox: RunningSandbox, conn: Store
) -> None:
    """The dialog hands the settings' notice policy to the session: the saved sign-up's first
    payment has its receipt in the outbox (issue #12)."""
    order: list[str] = []

    async def body(desk: Desk) -> None:
        desk.session.notices = NoticePolicy("email")
        attempt = desk.start(email="haneul@example.com")
        order.append(attempt.order_id)
        desk.session.page_requested()
        issue_key(desk.box, attempt.key_id)
        desk.session.callback(approved(attempt, pay(desk.box, attempt)))
        await desk.session.wait_idle()
        assert desk.session.phase is Phase.DONE

    session_test(body)(sandbox, conn)
    (receipt,) = conn.notices.entries()
    assert (receipt.kind, receipt.key) == ("receipt", f"receipt:{order[0]}")


def test_phases_of_a_sign_up(sandbox: RunningSandbox, conn: Store) -> None:
    seen: list[Phase] = []

    async def body(desk: Desk) -> None:
        attempt = desk.start(first_payment_now=False)
        again = desk.session.start(su.validate_form(FORM), desk.gateway, imp_code="x", pg="y")
        assert again is None
        desk.session.page_requested()
        desk.session.page_requested()  # twice: still waiting
        issue_key(desk.box, attempt.key_id)
        desk.session.callback(approved(attempt, None))
        await desk.session.wait_idle()
        seen.extend(desk.phases())
        assert desk.actions() == ["signup_started", "signup"]

    session_test(body)(sandbox, conn)
    assert seen == [Phase.OPENING, Phase.WAITING, Phase.VERIFYING, Phase.DONE]


def test_staff_cancel_with_nothing_taken(sandbox: RunningSandbox, conn: Store) -> None:
    async def body(desk: Desk) -> None:
        desk.start()
        desk.session.page_requested()
        desk.session.cancel()
        (failed,) = desk.of(AttemptFailed)
        assert failed.failure.reason is FailureReason.CANCELLED
        assert failed.failure.user_message.code is MessageCode.SIGNUP_CANCELLED
        assert desk.session.inspecting
        await desk.session.wait_idle()
        (checked,) = desk.of(LeftoversChecked)
        assert checked.leftovers.empty and checked.offer is None
        assert desk.session.phase is Phase.FAILED
        # A late callback changes nothing; "try again" has nothing to release.
        desk.session.callback(approved(desk.session.attempt, None))  # type: ignore[arg-type]
        assert desk.session.try_again() is True
        await desk.session.wait_idle()
        assert desk.of(AttemptReleased) == []
        assert desk.phases() == [Phase.OPENING, Phase.WAITING, Phase.FAILED, Phase.FORM]
        assert desk.actions() == ["signup_started", "signup_failed"]

    session_test(body)(sandbox, conn)


def test_approved_unseen_is_offered_and_can_be_saved(sandbox: RunningSandbox, conn: Store) -> None:
    async def body(desk: Desk) -> None:
        attempt = desk.start()
        # The customer approves; the callback never reaches the page; staff cancel.
        issue_key(desk.box, attempt.key_id)
        imp_uid = pay(desk.box, attempt)
        desk.session.cancel()
        await desk.session.wait_idle()
        assert desk.session.phase is Phase.LEFTOVERS
        (checked,) = desk.of(LeftoversChecked)
        assert checked.offer is not None and checked.leftovers.taken == 9900
        assert desk.session.try_again() is False  # a verified sign-up waits for a decision
        desk.session.save_offer()
        (done,) = desk.of(SignedUp)
        assert done.verified.first_payment.payment_id == imp_uid
        desk.session.leave()  # saved: the key stays
        await desk.session.wait_idle()
        assert desk.of(AttemptReleased) == []
        assert desk.box.state.get_customer(attempt.key_id) is not None

    session_test(body)(sandbox, conn)
    assert SubscriberRepository(conn).count() == 1


def test_refund_then_leave_deletes_the_key(sandbox: RunningSandbox, conn: Store) -> None:
    async def body(desk: Desk) -> None:
        attempt = desk.start()
        issue_key(desk.box, attempt.key_id)
        imp_uid = pay(desk.box, attempt)
        desk.session.cancel()
        await desk.session.wait_idle()
        desk.session.refund_leftovers()
        await desk.session.wait_idle()
        (refund,) = desk.of(RefundFinished)
        assert refund.problem is None and refund.taken == 9900
        after = desk.of(LeftoversChecked)[-1]
        assert after.leftovers.key and not after.leftovers.payments and after.offer is None
        assert desk.box.state.get_payment(imp_uid)["status"] == "cancelled"  # type: ignore[index]
        desk.session.leave()
        await desk.session.wait_idle()
        assert desk.of(AttemptReleased) == [AttemptReleased(attempt)]
        assert desk.of(MoneyLeftAfterLeaving) == []  # the money went back: nothing to warn of
        assert desk.box.state.get_customer(attempt.key_id) is None
        # Refunded, looked up again (the key is still there), then the key deleted on leaving.
        assert desk.actions()[-3:] == ["signup_refund", "signup_leftovers", "key_deleted"]

    session_test(body)(sandbox, conn)
    assert SubscriberRepository(conn).count() == 0


def test_leaving_while_verifying_still_finds_the_money(
    sandbox: RunningSandbox, conn: Store
) -> None:
    async def body(desk: Desk) -> None:
        attempt = desk.start()
        imp_uid = pay(desk.box, attempt)  # money taken, but no key: never verifies
        desk.session.callback(approved(attempt, imp_uid))
        desk.session.leave()  # staff close the dialog mid-verification
        await desk.session.wait_idle()
        (failed,) = desk.of(AttemptFailed)
        assert failed.failure.user_message.code is MessageCode.SIGNUP_PAID_NOT_VERIFIED
        (warned,) = desk.of(MoneyLeftAfterLeaving)
        assert [p.payment_id for p in warned.leftovers.payments] == [imp_uid]
        assert desk.of(AttemptReleased) == [AttemptReleased(attempt)]
        # Recorded, never refunded unasked.
        assert desk.box.state.get_payment(imp_uid)["status"] == "paid"  # type: ignore[index]

    session_test(body)(sandbox, conn)


def test_unreachable_can_be_checked_again(sandbox: RunningSandbox, conn: Store) -> None:
    async def body(desk: Desk) -> None:
        attempt = desk.start(first_payment_now=False)
        issue_key(desk.box, attempt.key_id)
        desk.box.set_faults(error_before=1.0, endpoints=["customer_get"])
        desk.session.callback(approved(attempt, None))
        await desk.session.wait_idle()
        (failed,) = desk.of(AttemptFailed)
        assert failed.failure.reason is FailureReason.UNREACHABLE and failed.can_check_again
        assert desk.of(LeftoversChecked) == []  # unreachable: nothing to look up yet
        desk.box.clear_faults()
        desk.session.check_again()
        await desk.session.wait_idle()
        assert len(desk.of(SignedUp)) == 1
        assert desk.phases()[-3:] == [Phase.FAILED, Phase.VERIFYING, Phase.DONE]

    session_test(body)(sandbox, conn)


def test_the_page_failing_to_load_ends_the_attempt_without_a_look_up(
    sandbox: RunningSandbox, conn: Store
) -> None:
    async def body(desk: Desk) -> None:
        desk.start()
        desk.session.page_failed()
        (failed,) = desk.of(AttemptFailed)
        assert failed.failure.user_message.code is MessageCode.SIGNUP_WINDOW_FAILED
        assert not failed.can_check_again and not desk.session.inspecting
        desk.session.page_failed()  # once is enough
        assert len(desk.of(AttemptFailed)) == 1

    session_test(body)(sandbox, conn)


def test_an_illegal_move_is_a_bug(conn: Store) -> None:
    session = SignupSession(conn, staff="민지", clock=FrozenClock())
    with pytest.raises(InvalidTransition):
        session._move(Phase.DONE)
    assert session.phase is Phase.FORM
