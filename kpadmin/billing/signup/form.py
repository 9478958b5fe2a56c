"""The sign-up form (validation through the shared field rules) and an attempt's ids:
what `IMP.request_pay` is given.
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kpadmin import clock
from kpadmin.billing import fields
from kpadmin.billing.messages import Message, MessageCode, Term, TermKind
from kpadmin.redact import mask_email, mask_phone
from kpadmin.store.models import SignupChannel

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

    def describe_message(self) -> Message:
        """`describe` as a message (the audit's, said in the UI language)."""
        email = self.form.email
        return Message.of(
            MessageCode.AUDIT_ATTEMPT,
            key_id=self.key_id,
            order_id=self.order_id,
            name=self.form.name,
            phone=mask_phone(self.form.phone),
            email=Message.of(MessageCode.AUDIT_ATTEMPT_EMAIL, email=mask_email(email))
            if email
            else "",
            plan=self.form.plan,
            amount=self.form.amount,
            first_payment=self.amount,
            billing_day=self.form.billing_day,
            channel=Term(TermKind.CHANNEL, self.form.channel.value),
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
