"""Server-side verification of a sign-up: only the gateway's word counts (`verify_signup`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from kpadmin.billing.gateway import (
    Gateway,
    GatewayError,
    GatewayPayment,
    NotFound,
    PaymentStatus,
)
from kpadmin.billing.messages import Message, MessageCode
from kpadmin.billing.signup.callback import CheckoutCallback
from kpadmin.billing.signup.form import SignupAttempt


class FailureReason(enum.StrEnum):
    CANCELLED = "cancelled"  # the customer or staff closed the window
    DECLINED = "declined"  # Kakao Pay / the card said no
    TIMED_OUT = "timed_out"  # nobody approved in time
    VERIFICATION_FAILED = "verification_failed"  # the API does not confirm what the callback said
    UNREACHABLE = "unreachable"  # i'mport could not be asked; may be checked again


class SignupFailed(Exception):
    """The sign-up did not complete; nothing was saved.

    `reason` says why (for code and the audit log), `user_message` is what staff read, `detail` is
    for the audit log (no personal data). `paid_payment_id` is set when a paid payment for the
    attempt's order id exists anyway (money taken, sign-up not verified): staff must look.
    """

    def __init__(
        self,
        reason: FailureReason,
        user_message: Message,
        *,
        detail: str = "",
        paid_payment_id: str | None = None,
        pg_message: str | None = None,
    ) -> None:
        super().__init__(f"{reason.value}: {detail or user_message}")
        self.reason = reason
        self.user_message = user_message
        self.detail = detail
        self.paid_payment_id = paid_payment_id
        #: The window's own reason (Kakao Pay / PG text, usually Korean), shown as given.
        self.pg_message = pg_message

    @property
    def retryable(self) -> bool:
        """Checking again later may succeed (the API could not be reached)."""
        return self.reason is FailureReason.UNREACHABLE


@dataclass(frozen=True, slots=True)
class VerifiedPayment:
    payment_id: str
    amount: int
    receipt_url: str | None
    paid_at: datetime | None


@dataclass(frozen=True, slots=True)
class VerifiedSignup:
    """A sign-up the REST API confirmed: the key exists (and the first payment is paid)."""

    attempt: SignupAttempt
    card_name: str | None
    card_number: str | None  # masked, as i'mport reports it
    first_payment: VerifiedPayment | None


CANCEL_CODES = frozenset({"F0005", "F400", "USER_CANCEL"})
TIMEOUT_CODES = frozenset({"F0004"})

MSG_CANCELLED = Message.of(MessageCode.SIGNUP_CANCELLED)
MSG_DECLINED = Message.of(MessageCode.SIGNUP_DECLINED)
MSG_TIMED_OUT = Message.of(MessageCode.SIGNUP_TIMED_OUT)
MSG_NOT_VERIFIED = Message.of(MessageCode.SIGNUP_NOT_VERIFIED)
MSG_PAID_NOT_VERIFIED = Message.of(MessageCode.SIGNUP_PAID_NOT_VERIFIED)
MSG_UNREACHABLE = Message.of(MessageCode.SIGNUP_UNREACHABLE)


def _classify_error(callback: CheckoutCallback) -> SignupFailed:
    code = callback.error_code or ""
    msg = callback.error_msg or ""
    detail = f"window: error_code={code} error_msg={msg[:200]}"
    shown = msg[:200] or None
    if code in CANCEL_CODES or "취소" in msg or "cancel" in msg.lower():
        return SignupFailed(FailureReason.CANCELLED, MSG_CANCELLED, detail=detail, pg_message=shown)
    if code in TIMEOUT_CODES or "시간" in msg or "timeout" in msg.lower():
        return SignupFailed(FailureReason.TIMED_OUT, MSG_TIMED_OUT, detail=detail, pg_message=shown)
    return SignupFailed(FailureReason.DECLINED, MSG_DECLINED, detail=detail, pg_message=shown)


async def verify_signup(
    gateway: Gateway, attempt: SignupAttempt, callback: CheckoutCallback
) -> VerifiedSignup:
    """Confirm with the gateway what the window's callback claims, or raise `SignupFailed`.

    The callback decides only the message when things fail: a key is accepted solely because
    the gateway returns it under the attempt's own key id (`Gateway.get_key`), and a first payment
    solely because the gateway shows it paid for this attempt (`Gateway.get_payment`).
    """
    if callback.order_id != attempt.order_id:
        raise SignupFailed(
            FailureReason.VERIFICATION_FAILED, MSG_NOT_VERIFIED, detail="merchant_uid mismatch"
        )
    if callback.failed:
        # The window says it failed. Do not take its word for "nothing happened" either: if money
        # was taken under our order id, staff must know.
        failure = _classify_error(callback)
        if attempt.amount > 0:
            failure.paid_payment_id = await _paid_payment_for(gateway, attempt)
            if failure.paid_payment_id:
                failure.user_message = MSG_PAID_NOT_VERIFIED
        raise failure
    try:
        key = await gateway.get_key(attempt.key_id)
    except NotFound:
        raise await _not_verified(gateway, attempt, "no billing key for our customer_uid") from None
    except GatewayError as exc:
        raise SignupFailed(
            FailureReason.UNREACHABLE, MSG_UNREACHABLE, detail=f"key lookup: {type(exc).__name__}"
        ) from exc
    if key.key_id != attempt.key_id:
        raise await _not_verified(gateway, attempt, "the API returned another customer_uid")
    provider = attempt.pg.split(".", 1)[0]
    if (key.pg_provider or provider) != provider:
        raise await _not_verified(gateway, attempt, "the key belongs to another PG")

    first: VerifiedPayment | None = None
    # The card's own name wherever the gateway gave one; else what the payment or the key say
    # about it (a Kakao Money key has no card fields at all: "카카오머니", not a blank).
    card_name = key.card_name
    card_number = key.card_number
    label = key.card_label
    if attempt.amount > 0:
        payment = await _verified_first_payment(gateway, attempt, callback)
        first = VerifiedPayment(
            payment_id=payment.payment_id,
            amount=payment.amount,
            receipt_url=payment.receipt_url,
            paid_at=payment.paid_at,
        )
        card_name = card_name or payment.card_name
        card_number = card_number or payment.card_number
        label = payment.card_label or label
    return VerifiedSignup(
        attempt=attempt,
        card_name=card_name or label,
        card_number=card_number,
        first_payment=first,
    )


async def _verified_first_payment(
    gateway: Gateway, attempt: SignupAttempt, callback: CheckoutCallback
) -> GatewayPayment:
    if not callback.payment_id:
        raise await _not_verified(gateway, attempt, "no imp_uid for the first payment")
    try:
        payment = await gateway.get_payment(callback.payment_id)
    except NotFound:
        raise await _not_verified(gateway, attempt, "the callback's imp_uid is unknown") from None
    except GatewayError as exc:
        raise SignupFailed(
            FailureReason.UNREACHABLE,
            MSG_UNREACHABLE,
            detail=f"payment lookup: {type(exc).__name__}",
        ) from exc
    problems = []
    if payment.order_id != attempt.order_id:
        problems.append("merchant_uid differs")
    if payment.status is not PaymentStatus.PAID:
        problems.append(f"status is {payment.status.value}")
    if payment.amount != attempt.amount:
        problems.append(f"amount {payment.amount} != {attempt.amount}")
    if payment.key_id != attempt.key_id:
        problems.append("customer_uid differs")
    if (payment.currency or "KRW") != "KRW":
        problems.append(f"currency {payment.currency}")
    if problems:
        raise await _not_verified(
            gateway, attempt, f"first payment {callback.payment_id}: " + ", ".join(problems)
        )
    return payment


async def _not_verified(gateway: Gateway, attempt: SignupAttempt, detail: str) -> SignupFailed:
    paid = await _paid_payment_for(gateway, attempt) if attempt.amount > 0 else None
    return SignupFailed(
        FailureReason.VERIFICATION_FAILED,
        MSG_PAID_NOT_VERIFIED if paid else MSG_NOT_VERIFIED,
        detail=detail + (f"; paid payment {paid} exists for merchant_uid" if paid else ""),
        paid_payment_id=paid,
    )


async def _paid_payment_for(gateway: Gateway, attempt: SignupAttempt) -> str | None:
    """The payment id of a paid payment under the attempt's order id (the newest), if the
    gateway has one."""
    try:
        payments = await gateway.payments_for_order(attempt.order_id)
    except GatewayError:
        return None
    for payment in payments:
        if payment.status is PaymentStatus.PAID and payment.order_id == attempt.order_id:
            return payment.payment_id
    return None


# ----------------------------------------------------------------------------- leftovers
