"""Refunds: one path for staff refunds of a journal charge and for sign-up leftovers. No Qt.

`send_refund` is the one call to the gateway, with its rules:

* ``checksum`` is the refundable balance *we* believe is left. When the gateway's balance differs
  (someone refunded from the i'mport console or another desk), it refuses and nothing is refunded;
  the payment is then looked up, and `RefundAnswer.balance_differs` says whether the balances
  differ — a fact of the port's payment, never read from the refusal's text.
* A lost answer (`OutcomeUnknown`, `BadAnswer`, a non-final status: the port's errors) is never
  re-sent: the payment is looked up and what it shows is the outcome (`UNKNOWN` only when the
  lookup fails too: check at i'mport before trying again). `NotSent` never left: nothing happened.

`refund_charge` is the staff refund of a journal charge (the GUI's refund dialog, `kpadmin refund`):
it checks the request against the journal, sends, and records only what the gateway shows — the
charge's ``cancelled_amount`` becomes the payment's refunded amount (never our own sum), with a
refund row per new cancellation i'mport lists (on its own time: the settlement report's day) — with
its audit row, in one transaction. A refusal or a lost answer gets its audit row too. The sign-up's
leftovers (`kpadmin.billing.signup.leftovers.refund_leftover`) send through `send_refund` and audit
with their own actions.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime

from kpadmin.billing.gateway import (
    AuthFailed,
    Gateway,
    GatewayError,
    GatewayPayment,
    NotFound,
    NotSent,
    PaymentStatus,
    Rejected,
)
from kpadmin.billing.messages import AuditAction, Message, MessageCode
from kpadmin.clock import Clock
from kpadmin.store import Store
from kpadmin.store.models import Charge, ChargeState
from kpadmin.store.refunds import CancelEntry, RefundFacts, RefundSource

log = logging.getLogger(__name__)

#: Longest reason sent to the gateway (it is shown in its console).
MAX_REASON = 200


class RefundState(enum.StrEnum):
    REFUNDED = "refunded"  # the gateway shows money refunded by this request
    NOTHING_NEW = "nothing_new"  # it answered (or a lookup shows) no new refund
    REFUSED = "refused"  # the gateway refused: nothing was refunded
    NOT_SENT = "not_sent"  # the request never left: nothing happened, it may be sent again
    UNKNOWN = "unknown"  # the answer was lost and the lookup failed: look at the gateway first


@dataclass(frozen=True, slots=True)
class RefundAnswer:
    state: RefundState
    #: The payment as it stands after the request (the answer's, or the lookup's); None when
    #: neither is known.
    payment: GatewayPayment | None = None
    #: What this request refunded (REFUNDED: > 0), by the gateway's own refunded amount.
    refunded_now: int = 0
    #: The gateway's words for a refusal, or the error's (redacted by the port).
    gateway_message: str = ""
    #: REFUSED: the gateway's refundable balance is not the ``checksum`` we sent (refunded
    #: elsewhere meanwhile). Read from the looked-up payment.
    balance_differs: bool = False
    error: GatewayError | None = None


async def send_refund(
    gateway: Gateway,
    *,
    payment_id: str,
    amount: int | None,
    checksum: int,
    refunded_before: int,
    reason: str,
) -> RefundAnswer:
    """Ask the gateway to refund ``amount`` (None: everything left) of ``payment_id`` and say what
    happened (the module docstring's rules). ``refunded_before``: what we believe was refunded
    already, so the refunded amount the gateway reports tells what this request refunded."""
    try:
        payment = await gateway.refund(
            payment_id=payment_id, amount=amount, checksum=checksum, reason=reason
        )
    except NotSent as exc:
        return RefundAnswer(RefundState.NOT_SENT, gateway_message=str(exc), error=exc)
    except (Rejected, AuthFailed, NotFound) as exc:
        # Refused: nothing refunded. Whether the balances differ is the payment's to say.
        found = await _look_up(gateway, payment_id)
        differs = found is not None and found.refundable != checksum
        words = exc.gateway_message or str(exc)
        return RefundAnswer(
            RefundState.REFUSED, found, gateway_message=words, balance_differs=differs, error=exc
        )
    except GatewayError as exc:
        # The answer was lost: never send a refund twice; what the payment shows is the outcome.
        found = await _look_up(gateway, payment_id)
        if found is None:
            return RefundAnswer(RefundState.UNKNOWN, gateway_message=str(exc), error=exc)
        return _answered(found, refunded_before)
    return _answered(payment, refunded_before)


def _answered(payment: GatewayPayment, refunded_before: int) -> RefundAnswer:
    refunded_now = int(payment.refunded_amount) - refunded_before
    if refunded_now > 0:
        return RefundAnswer(RefundState.REFUNDED, payment, refunded_now)
    return RefundAnswer(RefundState.NOTHING_NEW, payment)


async def _look_up(gateway: Gateway, payment_id: str) -> GatewayPayment | None:
    try:
        payment = await gateway.get_payment(payment_id)
    except GatewayError as exc:
        log.info("refund: the payment could not be looked up: %s", type(exc).__name__)
        return None
    if payment.status not in (PaymentStatus.PAID, PaymentStatus.CANCELLED):
        return None  # not a payment whose refunds we can read
    return payment


def refund_facts(payment: GatewayPayment, source: RefundSource, reason: str = "") -> RefundFacts:
    """What the journal records with a payment's new refunded total: each refund i'mport lists
    (``cancel_history``: its own time, so each lands on its own day), `source` for the ones new
    to the journal, `reason` for any part the list does not explain (`kpadmin.store.refunds`)."""
    return RefundFacts(
        source,
        tuple(
            CancelEntry(r.amount, r.refunded_at, r.ref, r.reason or "", r.receipt_url)
            for r in payment.refunds
        ),
        reason,
    )


# ----------------------------------------------------------------------- a journal charge


def refundable(charge: Charge) -> int:
    """What our journal believes is left to refund on a charge (0 when not paid)."""
    if charge.state is not ChargeState.PAID or not charge.imp_uid:
        return 0
    # What i'mport charged, which is what it lets be refunded (an amount mismatch included).
    return max(0, charge.collected)


def paid_of(charge: Charge) -> int:
    """What i'mport charged for a charge (its paid amount, else the amount asked)."""
    return charge.amount if charge.paid_amount is None else charge.paid_amount


class Problem(enum.StrEnum):
    """Why a refund request was refused before anything was sent."""

    NO_SUCH_CHARGE = "no_such_charge"
    NOT_REFUNDABLE = "not_refundable"  # not paid, or refunded in full already
    BALANCE_CHANGED = "balance_changed"  # the journal moved since the request was made
    BAD_AMOUNT = "bad_amount"  # not 1..the balance
    NO_REASON = "no_reason"


@dataclass(frozen=True, slots=True)
class ChargeRefund:
    """What became of a staff refund of a journal charge."""

    charge: Charge | None
    balance: int  # what the journal believed refundable (the checksum)
    problem: Problem | None = None  # refused before sending: nothing happened
    answer: RefundAnswer | None = None
    #: The charge's cancelled_amount as recorded now (when the gateway's answer told it).
    refunded_total: int | None = None

    @property
    def ok(self) -> bool:
        return self.answer is not None and self.answer.state is RefundState.REFUNDED

    @property
    def refunded_now(self) -> int:
        return self.answer.refunded_now if self.answer is not None else 0


def clean_reason(reason: str) -> str:
    """One line, single spaces, at most `MAX_REASON` characters."""
    return " ".join(reason.split())[:MAX_REASON]


async def refund_charge(
    store: Store,
    gateway: Gateway,
    charge_id: int,
    *,
    amount: int | None,
    reason: str,
    staff: str,
    expected_balance: int | None = None,
    subscriber_id: int | None = None,
    clock: Clock | None = None,
) -> ChargeRefund:
    """Refund ``amount`` (None: all that is left) of a paid journal charge.

    ``expected_balance``: the balance staff saw when they asked (the dialog); a journal that moved
    since is refused (`BALANCE_CHANGED`) rather than refunding against a stale view.
    ``subscriber_id``: the subscriber the request was made for (a charge of another is
    `NO_SUCH_CHARGE`).
    """
    now = clock or store.clock
    charge = store.charges.get(charge_id)
    if charge is None or (subscriber_id is not None and charge.subscriber_id != subscriber_id):
        return ChargeRefund(None, 0, Problem.NO_SUCH_CHARGE)
    balance = refundable(charge)
    reason = clean_reason(reason)
    if balance <= 0 or charge.imp_uid is None:
        return ChargeRefund(charge, balance, Problem.NOT_REFUNDABLE)
    if expected_balance is not None and balance != expected_balance:
        return ChargeRefund(charge, balance, Problem.BALANCE_CHANGED)
    if amount is not None and not 1 <= amount <= balance:
        return ChargeRefund(charge, balance, Problem.BAD_AMOUNT)
    if not reason:
        return ChargeRefund(charge, balance, Problem.NO_REASON)
    full = amount is None or amount == balance
    asked = balance if amount is None else amount
    answer = await send_refund(
        gateway,
        payment_id=charge.imp_uid,
        amount=None if full else amount,
        checksum=balance,
        refunded_before=charge.cancelled_amount,
        reason=reason,
    )
    if answer.state is RefundState.NOT_SENT:
        return ChargeRefund(charge, balance, answer=answer)
    if answer.state is RefundState.REFUSED:
        _audit(
            store,
            staff,
            charge,
            AuditAction.REFUND_REFUSED,
            Message.of(
                MessageCode.AUDIT_REFUND_REFUSED,
                asked=asked,
                error=answer.gateway_message,
                balance=balance,
                reason=reason,
            ),
            now(),
        )
        return ChargeRefund(charge, balance, answer=answer)
    if answer.state is RefundState.UNKNOWN or answer.payment is None:
        _audit(
            store,
            staff,
            charge,
            AuditAction.REFUND_UNKNOWN,
            Message.of(MessageCode.AUDIT_REFUND_UNKNOWN, asked=asked, reason=reason),
            now(),
        )
        return ChargeRefund(charge, balance, answer=answer)
    cancelled = int(answer.payment.refunded_amount)
    at = now()
    if answer.state is RefundState.NOTHING_NEW:
        # Nothing refunded by this request; what i'mport shows in total is still the truth.
        with store.transaction():
            if cancelled != charge.cancelled_amount:
                store.charges.set_state(
                    charge.id,
                    ChargeState.PAID,
                    now=at,
                    cancelled_amount=cancelled,
                    refunds=refund_facts(answer.payment, RefundSource.GATEWAY),
                )
            _audit(
                store,
                staff,
                charge,
                AuditAction.REFUND_REFUSED,
                Message.of(
                    MessageCode.AUDIT_REFUND_NOT_MADE, asked=asked, total=cancelled, reason=reason
                ),
                at,
            )
        return ChargeRefund(charge, balance, answer=answer, refunded_total=cancelled)
    with store.transaction():
        # This request's refund is the newest of i'mport's list: on its own time, as staff's.
        store.charges.set_state(
            charge.id,
            ChargeState.PAID,
            now=at,
            cancelled_amount=cancelled,
            refunds=refund_facts(answer.payment, RefundSource.STAFF, reason),
        )
        _audit(
            store,
            staff,
            charge,
            AuditAction.REFUND,
            Message.of(
                MessageCode.AUDIT_REFUND,
                amount=answer.refunded_now,
                charged=charge.amount,
                period=charge.period,
                order_id=charge.merchant_uid,
                payment_id=charge.imp_uid,
                total=cancelled,
                reason=reason,
            ),
            at,
        )
    log.info("refund of charge %s: ₩%s (₩%s in total)", charge.id, answer.refunded_now, cancelled)
    return ChargeRefund(charge, balance, answer=answer, refunded_total=cancelled)


def _audit(
    store: Store, staff: str, charge: Charge, action: AuditAction, detail: Message, at: datetime
) -> None:
    store.audit.record(staff, action, detail, subscriber_id=charge.subscriber_id, at=at)
