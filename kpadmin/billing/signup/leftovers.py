"""What an unfinished attempt left at the gateway: look it up, verify, refund, delete, audit."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kpadmin.billing.gateway import (
    Gateway,
    GatewayError,
    NotFound,
    PaymentStatus,
)
from kpadmin.billing.messages import Message, MessageCode
from kpadmin.billing.refunds import RefundState, send_refund
from kpadmin.billing.signup.callback import CheckoutCallback
from kpadmin.billing.signup.form import SignupAttempt
from kpadmin.billing.signup.save import (
    AUDIT_KEY_DELETED,
    AUDIT_LEFTOVER_REFUND_FAILED,
    AUDIT_LEFTOVER_REFUNDED,
    AUDIT_LEFTOVERS,
    AUDIT_ORPHAN_KEY,
)
from kpadmin.billing.signup.verify import SignupFailed, VerifiedSignup, verify_signup
from kpadmin.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LeftoverPayment:
    """A paid payment under an unfinished attempt's order id: money staff must look at."""

    payment_id: str
    amount: int
    refundable: int  # amount - what was refunded already: the refund's `checksum`


@dataclass(frozen=True, slots=True)
class AttemptLeftovers:
    """What i'mport holds for an attempt that did not end in a saved sign-up.

    The window's word ("cancelled", "declined", nothing at all when staff closed it) is not
    enough: the customer may have approved in the very second staff pressed Cancel. So an
    unfinished attempt is looked up by its own ids before it is let go.
    """

    attempt: SignupAttempt
    key: bool  # a billing key exists under the attempt's key id
    payments: tuple[LeftoverPayment, ...]  # paid and not fully refunded
    error: str | None = None  # i'mport could not be asked (key/payments then unknown)

    @property
    def checked(self) -> bool:
        return self.error is None

    @property
    def empty(self) -> bool:
        """i'mport holds nothing for the attempt: letting it go loses nothing."""
        return self.checked and not self.key and not self.payments

    @property
    def taken(self) -> int:
        """Won taken and not refunded under the attempt's merchant_uid."""
        return sum(p.refundable for p in self.payments)

    def describe(self) -> str:
        """For the audit log: the ids staff need at i'mport, no personal data."""
        if self.error:
            return f"could not check i'mport ({self.error})"
        parts = [f"billing key {'EXISTS' if self.key else 'none'}"]
        parts += [
            f"PAID imp_uid={p.payment_id} amount={p.amount} refundable={p.refundable}"
            for p in self.payments
        ]
        return "; ".join(parts)

    def describe_message(self) -> Message:
        """`describe` as a message (the audit's)."""
        if self.error:
            return Message.of(MessageCode.AUDIT_LEFTOVERS_UNCHECKED, error=self.error)
        key = MessageCode.AUDIT_LEFTOVER_KEY if self.key else MessageCode.AUDIT_LEFTOVER_NO_KEY
        return Message.of(
            MessageCode.AUDIT_PARTS,
            parts=(
                Message.of(key),
                *(
                    Message.of(
                        MessageCode.AUDIT_LEFTOVER_PAYMENT,
                        payment_id=p.payment_id,
                        amount=p.amount,
                        refundable=p.refundable,
                    )
                    for p in self.payments
                ),
            ),
        )


async def inspect_attempt(gateway: Gateway, attempt: SignupAttempt) -> AttemptLeftovers:
    """Ask the gateway what the attempt left: a key under its key id, paid payments under its
    order id. Never raises for gateway trouble: it sets `error` instead."""
    try:
        found_key = await gateway.get_key(attempt.key_id)
        key = found_key.key_id == attempt.key_id
    except NotFound:
        key = False
    except GatewayError as exc:
        return AttemptLeftovers(attempt, False, (), error=f"key lookup: {type(exc).__name__}")
    try:
        found = await gateway.payments_for_order(attempt.order_id)
    except NotFound:
        found = ()
    except GatewayError as exc:
        return AttemptLeftovers(attempt, key, (), error=f"payment lookup: {type(exc).__name__}")
    payments = tuple(
        LeftoverPayment(p.payment_id, p.amount, p.refundable)
        for p in found
        if p.status is PaymentStatus.PAID and p.order_id == attempt.order_id and p.refundable > 0
    )
    return AttemptLeftovers(attempt, key, payments)


async def verify_leftovers(gateway: Gateway, left: AttemptLeftovers) -> VerifiedSignup | None:
    """The sign-up the leftovers amount to, if they verify exactly like a window's approval would
    (key under our key id; for a first payment exactly one untouched paid payment of the
    amount); else None."""
    attempt = left.attempt
    if not left.checked or not left.key:
        return None
    if attempt.amount == 0:
        if left.payments:
            return None
        payment_id = None
    else:
        if len(left.payments) != 1 or left.payments[0].refundable != attempt.amount:
            return None
        payment_id = left.payments[0].payment_id
    hint = CheckoutCallback(
        order_id=attempt.order_id, payment_id=payment_id, error_code=None, error_msg=None
    )
    try:
        return await verify_signup(gateway, attempt, hint)
    except SignupFailed:
        return None


def refund_reason(attempt: SignupAttempt) -> str:
    """The refund/deletion reason sent to i'mport (shown in its console)."""
    return f"kpadmin: sign-up not completed ({attempt.order_id})"


async def refund_leftover(
    gateway: Gateway,
    store: Store,
    attempt: SignupAttempt,
    payment: LeftoverPayment,
    *,
    staff: str,
) -> None:
    """Refund a leftover payment in full through billing's one refund path
    (`kpadmin.billing.refunds.send_refund`: `checksum` = what we believe is refundable, so a refund
    made meanwhile elsewhere is refused, not doubled; a lost answer looked up, never re-sent) and
    audit the result. Raises a `GatewayError` after auditing when the gateway refused, could not
    be reached, or the outcome is unknown."""
    answer = await send_refund(
        gateway,
        payment_id=payment.payment_id,
        amount=None,
        checksum=payment.refundable,
        refunded_before=payment.amount - payment.refundable,
        reason=refund_reason(attempt),
    )
    if answer.state is not RefundState.REFUNDED:
        error = answer.error or GatewayError(f"refund {answer.state.value}")
        store.audit.record(
            staff,
            AUDIT_LEFTOVER_REFUND_FAILED,
            Message.of(
                MessageCode.AUDIT_LEFTOVER_REFUND_FAILED,
                payment_id=payment.payment_id,
                amount=payment.refundable,
                error=type(error).__name__,
                order_id=attempt.order_id,
            ),
        )
        raise error
    store.audit.record(
        staff,
        AUDIT_LEFTOVER_REFUNDED,
        Message.of(
            MessageCode.AUDIT_LEFTOVER_REFUNDED,
            payment_id=payment.payment_id,
            amount=answer.refunded_now,
            order_id=attempt.order_id,
        ),
    )
    log.info("sign-up leftover refunded: %s ₩%s", payment.payment_id, answer.refunded_now)


async def delete_orphan_key(
    gateway: Gateway, store: Store, attempt: SignupAttempt, *, staff: str
) -> bool:
    """Delete the billing key of an attempt that will never be saved; audit either way.

    Returns True when the key is gone (deleted now, or not there). A key nobody saved is never
    charged (key ids are never reused), but it is the customer's card registered at the
    merchant with no record here, so it is removed rather than left behind.
    """
    try:
        await gateway.delete_key(attempt.key_id, refund_reason(attempt))
    except NotFound:
        return True
    except GatewayError as exc:
        store.audit.record(
            staff,
            AUDIT_ORPHAN_KEY,
            Message.of(
                MessageCode.AUDIT_ORPHAN_KEY_KEPT, key_id=attempt.key_id, error=type(exc).__name__
            ),
        )
        return False
    store.audit.record(
        staff,
        AUDIT_KEY_DELETED,
        Message.of(
            MessageCode.AUDIT_ORPHAN_KEY_DELETED, key_id=attempt.key_id, order_id=attempt.order_id
        ),
    )
    return True


def record_leftovers(store: Store, left: AttemptLeftovers, *, staff: str, when: Message) -> None:
    """Audit what i'mport holds for an unfinished attempt (only when it holds something or could
    not be asked: an empty lookup adds nothing to the failure entry)."""
    if left.empty:
        return
    store.audit.record(
        staff,
        AUDIT_LEFTOVERS,
        Message.of(
            MessageCode.AUDIT_LEFTOVERS,
            when=when,
            found=left.describe_message(),
            order_id=left.attempt.order_id,
            key_id=left.attempt.key_id,
        ),
    )


# ----------------------------------------------------------------------------- dates
