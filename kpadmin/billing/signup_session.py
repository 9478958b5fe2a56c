"""One sign-up, from the filled form to its end, as a state machine without Qt.

The sign-up dialog (`kpadmin.gui.signup.dialog`) is a view of a `SignupSession`: it forwards what
staff and the Kakao Pay window do (the events below) and shows what the session reports. Every
rule about an attempt lives here, testable without a widget (tests/billing/test_signup_session.py
drives it against the sandbox): when an attempt may start, that a callback is only a hint, that
an attempt which ends any other way than saved is looked up at i'mport before it is let go, that
nothing is refunded without being asked, that a key nobody will save is deleted.

States (`Phase`) and the events that move between them::

    FORM ──start──▶ OPENING ──page_requested──▶ WAITING
                      │  └───────────callback────────┐    │
                      │                              ▼    ▼
                      │                          VERIFYING ──verified──▶ DONE
                      │                              │                    ▲
      cancel / page_failed (from OPENING, WAITING)   │ not verified       │ save_offer
                      ▼                              ▼                    │
                   FAILED ◀──────────────────────────┘   ──lookup──▶ LEFTOVERS
                      │  ▲                                               │
                      │  └──── check_again (verify again) ◀──────────────┤
                      └──────────── try_again ──▶ FORM ◀── try_again ────┘
                                      (DONE ──try_again──▶ FORM: the next customer)

* OPENING: ids minted and the attempt audited; the checkout page loads iamport.js.
* WAITING: `IMP.request_pay` went out; the customer approves (QR code or phone).
* VERIFYING: the window's callback arrived; i'mport is asked (`verify_signup`).
* DONE: verified and saved (`subscriber`).
* FAILED: ended without a subscriber (`failure`); i'mport is being asked what the attempt left
  (`inspecting`), or it holds nothing.
* LEFTOVERS: i'mport holds something for it (a key, money, an approval after all: `offer`), or
  could not be asked (`leftovers.checked` is False): staff decide (save / refund / check again).

Events that do not apply in the current phase are ignored (a late callback after a cancel, a
second click). Work that asks i'mport runs as asyncio tasks on the running loop; what it finds
is reported through ``on_event`` (`SessionEvent`s), in the order it happens.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from kpadmin.billing.gateway import Gateway, GatewayError
from kpadmin.billing.messages import Message, MessageCode, Term, TermKind
from kpadmin.billing.outbox import NoticePolicy
from kpadmin.billing.signup import (
    MSG_CANCELLED,
    AttemptLeftovers,
    CheckoutCallback,
    FailureReason,
    SignupAttempt,
    SignupFailed,
    SignupForm,
    VerifiedSignup,
    delete_orphan_key,
    inspect_attempt,
    record_attempt_started,
    record_failed_attempt,
    record_leftovers,
    refund_leftover,
    save_verified_signup,
    start_attempt,
    verify_leftovers,
    verify_signup,
)
from kpadmin.clock import Clock
from kpadmin.store import Store
from kpadmin.store.models import Subscriber

log = logging.getLogger(__name__)


class Phase(enum.StrEnum):
    FORM = "form"
    OPENING = "opening"
    WAITING = "waiting"
    VERIFYING = "verifying"
    DONE = "done"
    FAILED = "failed"
    LEFTOVERS = "leftovers"


#: Every move the session may make; anything else is a bug (`InvalidTransition`).
TRANSITIONS: dict[Phase, frozenset[Phase]] = {
    Phase.FORM: frozenset({Phase.OPENING}),
    Phase.OPENING: frozenset({Phase.WAITING, Phase.VERIFYING, Phase.FAILED}),
    Phase.WAITING: frozenset({Phase.VERIFYING, Phase.FAILED}),
    Phase.VERIFYING: frozenset({Phase.DONE, Phase.FAILED}),
    Phase.FAILED: frozenset({Phase.VERIFYING, Phase.LEFTOVERS, Phase.FORM}),
    Phase.LEFTOVERS: frozenset({Phase.FAILED, Phase.VERIFYING, Phase.DONE, Phase.FORM}),
    Phase.DONE: frozenset({Phase.FORM}),
}

#: The phases in which the Kakao Pay window is open (the customer may be approving right now).
WINDOW_OPEN = frozenset({Phase.OPENING, Phase.WAITING})


class InvalidTransition(RuntimeError):
    """A move `TRANSITIONS` does not allow: a bug in the session, never a user error."""


# --- what the session reports ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PhaseChanged:
    phase: Phase


@dataclass(frozen=True, slots=True)
class SignedUp:
    """Verified and saved (the subscriber row, its first payment's journal row, the audit)."""

    subscriber: Subscriber
    verified: VerifiedSignup


@dataclass(frozen=True, slots=True)
class AttemptFailed:
    """The attempt ended without a subscriber; `can_check_again`: verifying again may help."""

    failure: SignupFailed
    can_check_again: bool


@dataclass(frozen=True, slots=True)
class InspectionStarted:
    """i'mport is being asked what the failed attempt left."""


@dataclass(frozen=True, slots=True)
class LeftoversChecked:
    """What i'mport holds for the failed attempt; `offer`: the sign-up it amounts to, if any."""

    leftovers: AttemptLeftovers
    offer: VerifiedSignup | None


@dataclass(frozen=True, slots=True)
class RefundFinished:
    """The refund of the leftovers was asked (`problem`: why it was not confirmed, if so);
    reported after the look-up that follows it."""

    taken: int
    problem: str | None


@dataclass(frozen=True, slots=True)
class MoneyLeftAfterLeaving:
    """Staff left an attempt and i'mport holds money for it: say so wherever staff are now."""

    leftovers: AttemptLeftovers


@dataclass(frozen=True, slots=True)
class AttemptReleased:
    """An abandoned attempt was let go: its unused key deleted (or recorded as an orphan)."""

    attempt: SignupAttempt


SessionEvent = (
    PhaseChanged
    | SignedUp
    | AttemptFailed
    | InspectionStarted
    | LeftoversChecked
    | RefundFinished
    | MoneyLeftAfterLeaving
    | AttemptReleased
)


class SignupSession:
    """The sign-ups of one dialog, one attempt at a time (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        *,
        staff: str,
        clock: Clock,
        on_event: Callable[[SessionEvent], None] | None = None,
        notices: NoticePolicy | None = None,
    ) -> None:
        self.store = store
        self.staff = staff
        self.clock = clock
        #: The first payment's receipt goes to the outbox with these (None: no notices).
        self.notices = notices
        self.on_event = on_event or (lambda _event: None)
        self.phase = Phase.FORM
        self.attempt: SignupAttempt | None = None
        self.subscriber: Subscriber | None = None
        self.failure: SignupFailed | None = None
        #: The last failed attempt's leftovers at i'mport (None: not looked up yet) and, when
        #: they verify as a complete sign-up, that sign-up (offered to staff to save).
        self.leftovers: AttemptLeftovers | None = None
        self.offer: VerifiedSignup | None = None
        self._gateway: Gateway | None = None
        self._callback: CheckoutCallback | None = None
        self._inspecting: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._unreleased = False  # a failed attempt not let go yet
        self._left = False  # staff left the dialog: what is found later is theirs to know

    # --- state ----------------------------------------------------------------------------

    @property
    def inspecting(self) -> bool:
        """i'mport is being asked what the failed attempt left."""
        return self._inspecting is not None and not self._inspecting.done()

    @property
    def idle(self) -> bool:
        """No look-up, refund or release is running in the background."""
        return not self._tasks

    @property
    def has_callback(self) -> bool:
        return self._callback is not None

    def _move(self, to: Phase) -> None:
        if to not in TRANSITIONS[self.phase]:
            raise InvalidTransition(f"{self.phase} → {to}")
        self.phase = to
        self.on_event(PhaseChanged(to))

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def wait_idle(self) -> None:
        """Until the background work has finished (tests, and closing the app)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # --- events: the window ---------------------------------------------------------------

    def start(
        self, form: SignupForm, gateway: Gateway, *, imp_code: str, pg: str
    ) -> SignupAttempt | None:
        """Mint the ids, audit the attempt; the Kakao Pay window opens next. None when an
        attempt is already under way."""
        if self.phase is not Phase.FORM:
            return None
        attempt = start_attempt(form, imp_code=imp_code, pg=pg, now=self.clock())
        record_attempt_started(self.store, attempt, staff=self.staff)
        self.attempt = attempt
        self._gateway = gateway
        self._callback = None
        self.failure = None
        self.leftovers = None
        self.offer = None
        self._inspecting = None
        self._unreleased = False
        self._move(Phase.OPENING)
        return attempt

    def page_requested(self) -> None:
        """The page called `IMP.request_pay`: the customer has the window now."""
        if self.phase is Phase.OPENING:
            self._move(Phase.WAITING)

    def page_failed(self) -> None:
        """The page could not load iamport.js: nothing can have happened at i'mport."""
        if self.phase in WINDOW_OPEN:
            self._fail(
                SignupFailed(
                    FailureReason.UNREACHABLE,
                    Message.of(MessageCode.SIGNUP_WINDOW_FAILED),
                    detail="iamport.js did not load",
                ),
                can_check_again=False,
            )

    def callback(self, callback: CheckoutCallback) -> None:
        """The window's callback: only a hint, verified with i'mport before anything is saved."""
        if self.phase not in WINDOW_OPEN:
            return
        self._callback = callback
        self._verify()

    def cancel(self) -> None:
        """Staff gave up while the window was open: audited as cancelled, nothing saved, then
        i'mport is asked whether the customer approved meanwhile."""
        if self.phase in WINDOW_OPEN:
            self._fail(
                SignupFailed(
                    FailureReason.CANCELLED,
                    MSG_CANCELLED,
                    detail="staff cancelled the sign-up while the window was open",
                ),
                can_check_again=False,
            )

    # --- verification -----------------------------------------------------------------------

    def _verify(self) -> None:
        assert self.attempt is not None and self._callback is not None
        self._move(Phase.VERIFYING)
        self._spawn(self._verify_async(self.attempt, self._callback))

    async def _verify_async(self, attempt: SignupAttempt, callback: CheckoutCallback) -> None:
        assert self._gateway is not None
        try:
            verified = await verify_signup(self._gateway, attempt, callback)
        except SignupFailed as failure:
            self._fail(failure, can_check_again=failure.retryable)
            return
        except Exception as exc:  # an unexpected bug: nothing saved, audited, re-raised
            self._fail(
                SignupFailed(
                    FailureReason.VERIFICATION_FAILED,
                    Message.of(MessageCode.SIGNUP_UNEXPECTED),
                    detail=f"unexpected {type(exc).__name__}",
                ),
                can_check_again=True,
            )
            raise
        self._save(verified)

    def _save(self, verified: VerifiedSignup) -> None:
        subscriber = save_verified_signup(
            self.store, verified, staff=self.staff, now=self.clock(), notices=self.notices
        )
        self.subscriber = subscriber
        self.offer = None
        self.leftovers = None
        self._unreleased = False
        self._move(Phase.DONE)
        self.on_event(SignedUp(subscriber, verified))

    def check_again(self) -> None:
        """Verify the same callback again (i'mport could not be reached), or repeat the
        leftover look-up when that is what could not reach i'mport."""
        if self.phase not in (Phase.FAILED, Phase.LEFTOVERS) or self.attempt is None:
            return
        if self.leftovers is not None and not self.leftovers.checked:
            self._inspect(Message.of(MessageCode.AUDIT_LEFTOVERS_CHECKED_AGAIN))
        elif self._callback is not None:
            self._verify()

    # --- an attempt that ended without a subscriber ----------------------------------------

    def _fail(self, failure: SignupFailed, *, can_check_again: bool) -> None:
        assert self.attempt is not None
        record_failed_attempt(self.store, self.attempt, failure, staff=self.staff)
        log.info("sign-up not completed: %s", failure)
        self.failure = failure
        self._unreleased = True
        self._move(Phase.FAILED)
        self.on_event(AttemptFailed(failure, can_check_again and self._callback is not None))
        if failure.reason is not FailureReason.UNREACHABLE or failure.paid_payment_id:
            self._inspect(
                Message.of(
                    MessageCode.AUDIT_LEFTOVERS_AFTER,
                    reason=Term(TermKind.SIGNUP_REASON, failure.reason.value),
                )
            )

    def _inspect(self, when: Message) -> None:
        assert self.attempt is not None
        self._inspecting = self._spawn(self._inspect_async(self.attempt, when))
        self.on_event(InspectionStarted())

    async def _inspect_async(self, attempt: SignupAttempt, when: Message) -> None:
        assert self._gateway is not None
        try:
            left = await inspect_attempt(self._gateway, attempt)
            offer = await verify_leftovers(self._gateway, left) if not left.empty else None
        except Exception:  # a bug: never let an unfinished attempt pass as clean
            log.exception("looking up the sign-up attempt %s failed", attempt.order_id)
            left = AttemptLeftovers(attempt, False, (), error="unexpected error")
            offer = None
        record_leftovers(self.store, left, staff=self.staff, when=when)
        if not left.empty:
            log.warning("sign-up attempt not saved, i'mport holds: %s", left.describe())
        if attempt is not self.attempt or self.phase not in (Phase.FAILED, Phase.LEFTOVERS):
            return  # staff moved on meanwhile: the audit entry is what remains
        self.leftovers = left
        self.offer = offer
        target = Phase.FAILED if left.empty else Phase.LEFTOVERS
        if target is not self.phase:
            self._move(target)
        self.on_event(LeftoversChecked(left, offer))
        if self._left and not left.empty:
            self._release()  # left while i'mport was being asked: leaving meant letting go

    def save_offer(self) -> None:
        """Save the sign-up the leftovers verified as (the customer approved after all)."""
        if self.phase is Phase.LEFTOVERS and self.offer is not None:
            self._save(self.offer)

    def refund_leftovers(self) -> None:
        """Refund what the attempt took (full, `checksum` = what is left), then look again."""
        left = self.leftovers
        if self.phase is not Phase.LEFTOVERS or left is None or not left.payments:
            return
        self.offer = None
        self._spawn(self._refund_async(left))

    async def _refund_async(self, left: AttemptLeftovers) -> None:
        assert self._gateway is not None
        problem: str | None = None
        for payment in left.payments:
            try:
                await refund_leftover(
                    self._gateway, self.store, left.attempt, payment, staff=self.staff
                )
            except GatewayError as exc:
                problem = exc.gateway_message or type(exc).__name__
        # Look again rather than assume: what i'mport now shows is what staff read.
        await self._inspect_async(
            left.attempt, Message.of(MessageCode.AUDIT_LEFTOVERS_AFTER_REFUND)
        )
        self.on_event(RefundFinished(left.taken, problem))

    # --- moving on --------------------------------------------------------------------------

    def try_again(self) -> bool:
        """Back to the form for a new attempt (new ids; after a saved one: the next customer);
        a failed one is let go first. Refused while a verified sign-up waits for staff to save
        or refund it."""
        if self.phase not in (Phase.FAILED, Phase.LEFTOVERS, Phase.DONE) or self.offer is not None:
            return False
        self._release()
        self._inspecting = None
        self._move(Phase.FORM)
        return True

    def leave(self) -> None:
        """Staff close the dialog: an unfinished attempt is let go (its unused key deleted)."""
        self._left = True
        self._release()

    def _release(self) -> None:
        """Look the abandoned attempt up once more and delete its key if one was issued (in the
        background; audited either way), so no card stays registered at the merchant without a
        subscriber here. Paid payments are recorded, never refunded unasked."""
        attempt = self.attempt
        if attempt is None or not self._unreleased:
            return
        if self.leftovers is not None and self.leftovers.empty:
            return
        self.offer = None
        self._unreleased = False  # released once
        self._spawn(self._release_async(attempt, self._inspecting))

    async def _release_async(
        self, attempt: SignupAttempt, inspecting: asyncio.Task[None] | None
    ) -> None:
        assert self._gateway is not None
        try:
            if inspecting is not None:
                await asyncio.shield(inspecting)  # its audit entry first, then ours
            left = await inspect_attempt(self._gateway, attempt)
            if not left.checked or left.payments:
                record_leftovers(
                    self.store,
                    left,
                    staff=self.staff,
                    when=Message.of(MessageCode.AUDIT_LEFTOVERS_ABANDONED),
                )
            if left.key:
                await delete_orphan_key(self._gateway, self.store, attempt, staff=self.staff)
            if left.payments and self._left:
                self.on_event(MoneyLeftAfterLeaving(left))
        except Exception:
            log.exception("releasing the sign-up attempt %s failed", attempt.order_id)
        self.on_event(AttemptReleased(attempt))
