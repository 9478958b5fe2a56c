"""Signing a customer up: the form, the ids for the Kakao Pay window, server-side verification.

No Qt here. The sign-up dialog (``kpadmin.gui.signup``) drives these steps:

1. `validate_form` turns what staff typed (`RawSignupForm`) into a `SignupForm`, or reports one
   clear message per field (`FormInvalid.errors`); `form_errors` is the as-you-type variant. Name,
   phone, e-mail, amount and plan follow the one rule set the CSV import and the edit dialog use
   too (`kpadmin.billing.fields`); every message is a `Message` code (`kpadmin.billing.messages`).
2. `start_attempt` mints the ids: a billing key id, `key_id` (``kpa_`` + 16 base32 characters,
   random, no personal data, fresh for every attempt so an old key is never overwritten; the
   SDK's ``customer_uid``) and the window's `order_id` (``kpa-su-`` + 16 base32 characters,
   ≤ 40, ``[a-z0-9-]``; the SDK's ``merchant_uid``). It returns a `SignupAttempt` that carries
   everything `IMP.request_pay` will be given (in the SDK's own names).
3. The checkout page's callback reaches Python as JSON; `parse_bridge_message` checks it strictly
   (size, types, known fields, the attempt's order id) and gives a `CheckoutCallback`.
4. `verify_signup` treats that callback only as a hint. The billing key must exist at the gateway
   under the key id *we* minted (`Gateway.get_key`); a first payment must be paid with our
   order id, the exact amount and our key (`Gateway.get_payment`). Anything else raises
   `SignupFailed(reason, user_message)`.
5. `save_verified_signup` writes the subscriber row (and the first payment's journal row, paid
   for the current period) and the audit entry in one transaction; `record_failed_attempt`
   writes only an audit entry. Nothing else is saved for a failed attempt.
6. An attempt that did not end in a saved sign-up (staff cancelled, declined, timed out, window
   closed, not verified) is looked up by its own ids: `inspect_attempt` finds a billing key under
   its key id and paid payments under its order id (the customer may have approved in
   the second staff pressed Cancel). `verify_leftovers` says whether they amount to a complete
   sign-up (then staff may save it after all); otherwise `refund_leftover` refunds with
   `checksum`, `delete_orphan_key` removes a key nobody will save, and `record_leftovers`
   audits what i'mport holds. Nothing found adds nothing.

Next charge date rule (Asia/Seoul dates; a billing day past a month's end is clamped):

* first payment taken now: it pays for the current month's period, so the next charge is the
  billing day of the **next** month (`periods.next_charge_date`);
* no first payment: the first charge is the next billing day **on or after** today (today itself
  when today is the billing day).
"""

from __future__ import annotations

import base64
import enum
import json
import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kpadmin import clock
from kpadmin.billing import fields, periods
from kpadmin.billing.gateway import (
    Gateway,
    GatewayError,
    GatewayPayment,
    NotFound,
    PaymentStatus,
)
from kpadmin.billing.messages import AuditAction, Message, MessageCode
from kpadmin.redact import mask_email, mask_phone
from kpadmin.store import NewCharge, NewSubscriber, Store
from kpadmin.store.models import ChargeState, SignupChannel, Subscriber, SubscriberState

log = logging.getLogger(__name__)

KEY_ID_PREFIX = "kpa_"
ORDER_ID_PREFIX = "kpa-su-"
KEY_ID_MAX = 80
ORDER_ID_MAX = 40
#: The field limits (one rule set: `kpadmin.billing.fields`).
PLAN_MAX = fields.PLAN_MAX
NAME_MAX = fields.NAME_MAX
EMAIL_MAX = fields.EMAIL_MAX
AMOUNT_MAX = fields.AMOUNT_MAX
#: The order name the Kakao Pay window shows when the plan is left empty (the charge engine names
#: a charge without a plan the same way).
DEFAULT_ORDER_NAME = "정기결제"
#: The bridge refuses any callback message larger than this (bytes of UTF-8 JSON).
CALLBACK_MAX_BYTES = 16 * 1024

_ORDER_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,40}")
_PAYMENT_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


# ----------------------------------------------------------------------------- the form


@dataclass(frozen=True, slots=True)
class RawSignupForm:
    """The form exactly as typed (strings), before validation."""

    name: str = ""
    phone: str = ""
    email: str = ""
    plan: str = ""
    amount: str = ""
    billing_day: str = ""
    first_payment_now: bool = False
    channel: str = SignupChannel.PHONE.value


@dataclass(frozen=True, slots=True)
class SignupForm:
    """A validated form: normalised values ready for the window and the store."""

    name: str
    phone: str  # normalised "010-1234-5678"
    email: str  # "" when not given
    plan: str
    amount: int  # whole KRW per cycle
    billing_day: int  # 1..31
    first_payment_now: bool
    channel: SignupChannel

    @property
    def first_payment_amount(self) -> int:
        """What the window charges now: the amount, or 0 for a key-only window."""
        return self.amount if self.first_payment_now else 0


class FormInvalid(ValueError):
    """One or more fields are invalid; `errors` maps field name -> message."""

    def __init__(self, errors: Mapping[str, Message]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


# Codes (kpadmin.billing.messages): the command line says their English, the GUI translates them.
# The shared fields' codes come from their one rule set (kpadmin.billing.fields).
MSG_NAME_EMPTY = Message.of(MessageCode.NAME_EMPTY)
MSG_NAME_LONG = Message.of(MessageCode.NAME_TOO_LONG)
MSG_NAME_CHARS = Message.of(MessageCode.NAME_CHARS)
MSG_PHONE_EMPTY = Message.of(MessageCode.PHONE_EMPTY)
MSG_PHONE_FORMAT = Message.of(MessageCode.PHONE_FORMAT)
MSG_EMAIL_FORMAT = Message.of(MessageCode.EMAIL_FORMAT)
MSG_PLAN_LONG = Message.of(MessageCode.PLAN_TOO_LONG)
MSG_PLAN_CHARS = Message.of(MessageCode.PLAN_CHARS)
MSG_AMOUNT_EMPTY = Message.of(MessageCode.AMOUNT_EMPTY)
MSG_AMOUNT_FORMAT = Message.of(MessageCode.AMOUNT_FORMAT)
MSG_AMOUNT_ZERO = Message.of(MessageCode.AMOUNT_ZERO)
MSG_AMOUNT_HIGH = Message.of(MessageCode.AMOUNT_HIGH)
MSG_DAY = Message.of(MessageCode.BILLING_DAY)
MSG_CHANNEL = Message.of(MessageCode.CHANNEL)


def normalise_phone(raw: str) -> str | None:
    """A Korean mobile number as ``010-1234-5678``, or None (`fields.normalise_mobile`)."""
    return fields.normalise_mobile(raw)


def parse_amount(raw: str) -> int | None:
    """Whole won from ``9900``, ``9,900``, ``₩9,900`` or ``9,900원``; None if not written like a
    whole number of won (`fields.parse_won`; the range is the validator's)."""
    return fields.parse_won(raw)


def _shared_fields(raw: RawSignupForm) -> fields.Checked:
    return fields.check(
        {
            "name": raw.name,
            "phone": raw.phone,
            "email": raw.email,
            "plan": raw.plan,
            "amount": raw.amount,
        }
    )


def _field_errors(raw: RawSignupForm) -> tuple[dict[str, Message], dict[str, Any]]:
    checked = _shared_fields(raw)
    errors: dict[str, Message] = {e.field: e.note for e in checked.errors}
    values: dict[str, Any] = dict(checked.values)

    day_text = raw.billing_day.strip()
    if not (day_text.isascii() and day_text.isdigit() and 1 <= int(day_text) <= 31):
        errors["billing_day"] = MSG_DAY
    else:
        values["billing_day"] = int(day_text)

    try:
        channel = SignupChannel(raw.channel)
    except ValueError:
        channel = None
    if channel not in (SignupChannel.PHONE, SignupChannel.IN_PERSON):
        errors["channel"] = MSG_CHANNEL
    values["channel"] = channel
    return errors, values


def form_errors(raw: RawSignupForm) -> dict[str, Message]:
    """Field name -> message for every invalid field (empty when the form is valid)."""
    return _field_errors(raw)[0]


def validate_form(raw: RawSignupForm) -> SignupForm:
    """The validated form, or `FormInvalid` with one message per bad field."""
    errors, values = _field_errors(raw)
    if errors:
        raise FormInvalid(errors)
    return SignupForm(first_payment_now=bool(raw.first_payment_now), **values)


# ----------------------------------------------------------------------------- the attempt


def _random_base32(n_chars: int = 16) -> str:
    # 10 random bytes = 80 bits = exactly 16 base32 characters; lower case reads better in support.
    return base64.b32encode(secrets.token_bytes(n_chars * 5 // 8)).decode("ascii").lower()


def mint_key_id() -> str:
    """A new billing-key id: ``kpa_`` + 16 random base32 characters. No personal data in it."""
    return KEY_ID_PREFIX + _random_base32()


def mint_order_id() -> str:
    """A new order id for the sign-up window: ``kpa-su-`` + 16 random base32 characters (23 chars).

    The ``kpa-su-`` prefix keeps window orders apart from the charge engine's ids.
    """
    return ORDER_ID_PREFIX + _random_base32()


@dataclass(frozen=True, slots=True)
class SignupAttempt:
    """One opening of the Kakao Pay window: what is sent to `IMP.request_pay`."""

    form: SignupForm
    key_id: str  # the billing key's id the window registers (V1: customer_uid)
    order_id: str  # the window's order id (V1: merchant_uid)
    imp_code: str
    pg: str
    started_at: datetime  # aware UTC

    @property
    def amount(self) -> int:
        """What `request_pay` gets as `amount`: 0 for a key-only window."""
        return self.form.first_payment_amount

    def request_pay_params(self) -> dict[str, Any]:
        """The `IMP.request_pay` parameters, exactly (REFERENCE.md §7): the SDK's own names."""
        params: dict[str, Any] = {
            "pg": self.pg,
            "pay_method": "card",
            "merchant_uid": self.order_id,
            "name": self.form.plan or DEFAULT_ORDER_NAME,
            "amount": self.amount,
            "customer_uid": self.key_id,
            "buyer_name": self.form.name,
            "buyer_tel": self.form.phone,
        }
        if self.form.email:
            params["buyer_email"] = self.form.email
        return params

    def describe(self) -> str:
        """For the audit log and logs: no full phone number, no e-mail local part."""
        return (
            f"customer_uid={self.key_id} merchant_uid={self.order_id} "
            f"name={self.form.name} phone={mask_phone(self.form.phone)}"
            + (f" email={mask_email(self.form.email)}" if self.form.email else "")
            + f" plan={self.form.plan} amount={self.form.amount} "
            f"first_payment={self.amount} billing_day={self.form.billing_day} "
            f"channel={self.form.channel.value}"
        )


def start_attempt(
    form: SignupForm, *, imp_code: str, pg: str, now: datetime | None = None
) -> SignupAttempt:
    """Mint fresh ids for one window opening."""
    return SignupAttempt(
        form=form,
        key_id=mint_key_id(),
        order_id=mint_order_id(),
        imp_code=imp_code,
        pg=pg,
        started_at=now or clock.now(),
    )


# ----------------------------------------------------------------------------- the callback


class CallbackRejected(ValueError):
    """A bridge message that is not a well-formed callback for this attempt (logged, ignored)."""


@dataclass(frozen=True, slots=True)
class CheckoutCallback:
    """The `rsp` object of `IMP.request_pay`'s callback, as far as kpadmin reads it.

    New-SDK callbacks carry no ``success`` (REFERENCE.md §7): failure is ``error_code`` not null.
    """

    order_id: str  # the callback's merchant_uid
    payment_id: str | None  # the callback's imp_uid
    error_code: str | None
    error_msg: str | None
    status: str | None = None
    extra: Mapping[str, str | int | float | bool | None] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.error_code is not None


# Fields the callback may carry (REFERENCE.md §7): all scalars. Anything else is refused.
_CALLBACK_STR_FIELDS = frozenset(
    {
        "imp_uid",
        "merchant_uid",
        "error_code",
        "error_msg",
        "status",
        "pay_method",
        "name",
        "pg_provider",
        "emb_pg_provider",
        "pg_tid",
        "pg_type",
        "buyer_name",
        "buyer_tel",
        "buyer_email",
        "buyer_addr",
        "buyer_postcode",
        "custom_data",
        "receipt_url",
        "apply_num",
        "card_name",
        "card_number",
        "currency",
        "customer_uid",
        "bank_name",
    }
)
_CALLBACK_NUM_FIELDS = frozenset({"paid_amount", "paid_at", "card_quota", "card_type"})
_CALLBACK_BOOL_FIELDS = frozenset({"success", "imp_success"})
_CALLBACK_STR_MAX = 2000


class PageStatus(enum.StrEnum):
    """Progress the checkout page reports through the bridge (no data attached)."""

    SDK_LOADED = "sdk_loaded"  # iamport.js loaded; IMP.init done
    SDK_FAILED = "sdk_failed"  # iamport.js could not be loaded (network, blocked)
    REQUESTED = "requested"  # IMP.request_pay was called: the window is opening


def parse_bridge_message(
    message: object, *, expected_order_id: str
) -> CheckoutCallback | PageStatus:
    """Check one bridge message strictly; return the callback or the page status it carries.

    Messages are JSON text of at most `CALLBACK_MAX_BYTES`: ``{"type": "status", "status": ...}``
    or ``{"type": "callback", "rsp": {...}}``, where `rsp` holds only known scalar fields (no
    nesting) and its ``merchant_uid`` is the attempt's own. Anything else raises
    `CallbackRejected` with a short reason (safe to log: it never echoes the message).
    """
    if not isinstance(message, str):
        raise CallbackRejected("not text")
    if len(message.encode("utf-8", "surrogatepass")) > CALLBACK_MAX_BYTES:
        raise CallbackRejected("too large")
    try:
        envelope = json.loads(message, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise CallbackRejected("not JSON") from exc
    if not isinstance(envelope, dict):
        raise CallbackRejected("not an object")
    if envelope.get("type") == "status" and set(envelope) == {"type", "status"}:
        try:
            return PageStatus(envelope["status"])
        except ValueError:
            raise CallbackRejected("unknown status") from None
    if envelope.get("type") != "callback" or set(envelope) != {"type", "rsp"}:
        raise CallbackRejected("unknown message")
    rsp = envelope["rsp"]
    if not isinstance(rsp, dict):
        raise CallbackRejected("rsp is not an object")
    clean: dict[str, str | int | float | bool | None] = {}
    for key, value in rsp.items():
        if key in _CALLBACK_STR_FIELDS:
            if value is not None and not isinstance(value, str):
                raise CallbackRejected(f"{key} must be a string or null")
            if isinstance(value, str) and len(value) > _CALLBACK_STR_MAX:
                raise CallbackRejected(f"{key} too long")
        elif key in _CALLBACK_NUM_FIELDS:
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise CallbackRejected(f"{key} must be a number or null")
        elif key in _CALLBACK_BOOL_FIELDS:
            if value is not None and not isinstance(value, bool):
                raise CallbackRejected(f"{key} must be a boolean or null")
        else:
            raise CallbackRejected("unknown field")
        clean[key] = value
    order_id = clean.get("merchant_uid")  # the SDK's names for the two ids
    if not isinstance(order_id, str) or not _ORDER_ID_RE.fullmatch(order_id):
        raise CallbackRejected("merchant_uid missing or malformed")
    if order_id != expected_order_id:
        raise CallbackRejected("merchant_uid is not this attempt's")
    payment_id = clean.get("imp_uid")
    if payment_id is not None and not (
        isinstance(payment_id, str) and _PAYMENT_ID_RE.fullmatch(payment_id)
    ):
        raise CallbackRejected("imp_uid malformed")
    error_code = clean.get("error_code")
    error_msg = clean.get("error_msg")
    status = clean.get("status")
    known = {"merchant_uid", "imp_uid", "error_code", "error_msg", "status"}
    return CheckoutCallback(
        order_id=order_id,
        payment_id=payment_id if isinstance(payment_id, str) else None,
        # Some PGs send an empty string for "no error"; treat it as null.
        error_code=error_code if isinstance(error_code, str) and error_code else None,
        error_msg=error_msg if isinstance(error_msg, str) and error_msg else None,
        status=status if isinstance(status, str) else None,
        extra={k: v for k, v in clean.items() if k not in known},
    )


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# ----------------------------------------------------------------------------- verification


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
    """Refund a leftover payment in full (`checksum` = what we believe is refundable, so a refund
    made meanwhile elsewhere is refused, not doubled) and audit the result. Raises the gateway's
    `GatewayError` after auditing when it refuses or the outcome is unknown."""
    try:
        await gateway.refund(
            payment_id=payment.payment_id,
            checksum=payment.refundable,
            reason=refund_reason(attempt),
        )
    except GatewayError as exc:
        store.audit.record(
            staff,
            AUDIT_LEFTOVER_REFUND_FAILED,
            f"refund of imp_uid={payment.payment_id} ₩{payment.refundable:,} not confirmed "
            f"({type(exc).__name__}); merchant_uid={attempt.order_id}: check it at i'mport",
        )
        raise
    store.audit.record(
        staff,
        AUDIT_LEFTOVER_REFUNDED,
        f"refunded imp_uid={payment.payment_id} ₩{payment.refundable:,} of a sign-up that was not "
        f"completed; merchant_uid={attempt.order_id}",
    )
    log.info("sign-up leftover refunded: %s ₩%s", payment.payment_id, payment.refundable)


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
            f"ORPHAN BILLING KEY customer_uid={attempt.key_id} could not be deleted "
            f"({type(exc).__name__}); delete it at i'mport",
        )
        return False
    store.audit.record(
        staff,
        AUDIT_KEY_DELETED,
        f"deleted the unused billing key customer_uid={attempt.key_id} of a sign-up that "
        f"was not completed (merchant_uid={attempt.order_id})",
    )
    return True


def record_leftovers(store: Store, left: AttemptLeftovers, *, staff: str, when: str) -> None:
    """Audit what i'mport holds for an unfinished attempt (only when it holds something or could
    not be asked: an empty lookup adds nothing to the failure entry)."""
    if left.empty:
        return
    store.audit.record(
        staff,
        AUDIT_LEFTOVERS,
        f"{when}: {left.describe()}; merchant_uid={left.attempt.order_id} "
        f"customer_uid={left.attempt.key_id}",
    )


# ----------------------------------------------------------------------------- dates


def first_next_charge_date(today: date, billing_day: int, *, first_payment_taken: bool) -> date:
    """The subscriber's first scheduled charge date (see the module docstring for the rule)."""
    if first_payment_taken:
        return periods.next_charge_date(today, billing_day)
    this_month = periods.clamp_day(today.year, today.month, billing_day)
    return this_month if this_month >= today else periods.next_charge_date(today, billing_day)


# ----------------------------------------------------------------------------- persistence

AUDIT_STARTED = AuditAction.SIGNUP_STARTED
AUDIT_SIGNUP = AuditAction.SIGNUP
AUDIT_FAILED = AuditAction.SIGNUP_FAILED
#: i'mport holds something (a key, a paid payment) for an attempt that was not saved.
AUDIT_LEFTOVERS = AuditAction.SIGNUP_LEFTOVERS
AUDIT_LEFTOVER_REFUNDED = AuditAction.SIGNUP_REFUND
AUDIT_LEFTOVER_REFUND_FAILED = AuditAction.SIGNUP_REFUND_FAILED
AUDIT_KEY_DELETED = AuditAction.KEY_DELETED
AUDIT_ORPHAN_KEY = AuditAction.SIGNUP_ORPHAN_KEY


def record_attempt_started(store: Store, attempt: SignupAttempt, *, staff: str) -> None:
    """Audit: a window is about to open for this attempt."""
    store.audit.record(staff, AUDIT_STARTED, attempt.describe())


def record_failed_attempt(
    store: Store, attempt: SignupAttempt, failure: SignupFailed, *, staff: str
) -> None:
    """Audit: the attempt ended without a verified sign-up. Nothing else is written."""
    detail = (
        f"{failure.reason.value}: {failure.detail or failure.user_message}; {attempt.describe()}"
    )
    if failure.paid_payment_id:
        detail += f"; PAID PAYMENT WITHOUT SIGN-UP imp_uid={failure.paid_payment_id}"
    store.audit.record(staff, AUDIT_FAILED, detail)


def save_verified_signup(
    store: Store,
    verified: VerifiedSignup,
    *,
    staff: str,
    now: datetime | None = None,
) -> Subscriber:
    """Write the subscriber, a first payment's journal row (paid, current period) and the audit
    entry in one transaction; return the new subscriber."""
    attempt = verified.attempt
    form = attempt.form
    moment = now or clock.now()
    today = periods.today_in_seoul(lambda: moment)
    next_date = first_next_charge_date(
        today, form.billing_day, first_payment_taken=verified.first_payment is not None
    )
    first = verified.first_payment
    # The subscriber, its first paid charge and the audit entry: together or not at all.
    with store.transaction():
        (subscriber_id,) = store.subscribers.add_many(
            [
                NewSubscriber(
                    customer_uid=attempt.key_id,
                    name=form.name,
                    amount=form.amount,
                    billing_day=form.billing_day,
                    next_charge_date=next_date,
                    phone=form.phone,
                    email=form.email,
                    plan=form.plan,
                    state=SubscriberState.ACTIVE,
                    card_name=verified.card_name,
                    card_number=verified.card_number,
                    channel=form.channel,
                )
            ],
            now=moment,
        )
        if first is not None:
            charges = store.charges
            charge_id = charges.insert(
                NewCharge(
                    subscriber_id=subscriber_id,
                    customer_uid=attempt.key_id,
                    period=periods.period_of(today),
                    attempt=1,
                    merchant_uid=attempt.order_id,
                    amount=first.amount,
                ),
                batch_id=None,
                staff=staff,
                now=moment,
            )
            charges.set_state(
                charge_id,
                ChargeState.PAID,
                now=moment,
                imp_uid=first.payment_id,
                receipt_url=first.receipt_url,
                paid_at=first.paid_at or moment,
                paid_amount=first.amount,
            )
        paid = f"; first payment ₩{first.amount:,} imp_uid={first.payment_id}" if first else ""
        card = f"{verified.card_name or '-'} {verified.card_number or ''}".rstrip()
        store.audit.record(
            staff,
            AUDIT_SIGNUP,
            f"verified: card={card}; next charge {next_date.isoformat()}{paid}; "
            + attempt.describe(),
            subscriber_id=subscriber_id,
            at=moment,
        )
    log.info("sign-up saved: subscriber %s, %s", subscriber_id, attempt.describe())
    saved = store.subscribers.get(subscriber_id)
    assert saved is not None
    return saved
