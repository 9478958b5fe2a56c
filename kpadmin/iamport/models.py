"""Typed results of the i'mport V1 REST API.

Frozen dataclasses named after the spec's definitions (``v1.openapi.yml``), with the spec's field
names. Each is built by ``from_api(dict)``, which

* ignores fields it does not know (the API grows; a new field must not break a batch),
* requires only the fields the product truly needs (below); every other field may be missing or
  ``null`` and takes its documented default (``None``, ``()`` or the value named below),
* turns unix-second timestamps into aware UTC datetimes, ``0`` ("has not happened") -> ``None``,
* reads amounts as ``int`` (KRW; the API sends JSON numbers, so ``1000.0`` is accepted, ``1000.5``
  is not: a fractional won is garbage, not something to round),
* raises ``InvalidResponse`` when a required field is missing, ``null`` or of the wrong type, or an
  optional one is present with the wrong type, naming the field, so a garbage answer gives a clear
  error instead of a crash deep inside a caller.

Required, because money decisions rest on them (docs/architecture.md lists the same):

* ``Payment``: ``imp_uid``, ``merchant_uid``, ``status``, ``amount``, ``cancel_amount`` (the
  refundable balance and the refunds made outside kpadmin are read from it).
* ``CancelHistory``: ``amount``.
* ``Customer``: ``customer_uid``.
* ``PaymentPage``: ``next`` (0 when none): a default would silently stop reading a key's history
  after one page, and the ledger checks rest on reading all of it.
* ``AccessToken``: ``access_token``, ``expired_at``, ``now`` (the lifetime is ``expired_at - now``).

Everything else is optional, although the spec marks more as required: the live service's own
answers (``shared/iamport/real-answers``, copied to ``tests/iamport/real_answers``) carry no
``sandbox`` field, and a Kakao Money payment has ``pay_method: "point"`` with every card field
``null`` and ``apply_num: ""``. Defaults that are not ``None``: ``Payment.currency`` ``"KRW"``;
``PaymentPage.total`` the length of ``list``, ``previous`` ``0``, ``list`` empty;
``Payment.sandbox`` and ``Customer.sandbox`` stay ``None`` when absent (unknown, not ``False``).

Personal fields (``buyer_tel``, ``buyer_email``, ``customer_tel`` …) are left out of ``repr`` so an
accidental ``log.info("%r", payment)`` does not leak them.

The server's free text — ``fail_reason``, ``cancel_reason``, a cancellation's ``reason`` — and the
card numbers (which i'mport masks itself) pass through ``kpadmin.redact.redact_text`` here, the one
place every answer is read: a PG message that echoes the REST secret, a token, a card or a phone
number reaches no journal row, export or dialog. An already masked ``5365-10**-****-5766`` is left
as it is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from kpadmin.iamport.errors import InvalidResponse
from kpadmin.redact import redact_text

#: The payment statuses the API documents (``PaymentAnnotation.status``).
READY: Final = "ready"
PAID: Final = "paid"
CANCELLED: Final = "cancelled"
FAILED: Final = "failed"
PAYMENT_STATUSES: Final = frozenset({READY, PAID, CANCELLED, FAILED})


class _Fields:
    """Reads one JSON object with type checks; errors name the model and the field."""

    def __init__(self, data: object, model: str) -> None:
        if not isinstance(data, Mapping):
            raise _invalid(f"{model}: expected a JSON object, got {_type_name(data)}")
        self._data: Mapping[str, Any] = data
        self._model = model

    def _fail(self, name: str, what: str) -> InvalidResponse:
        return _invalid(f"{self._model}.{name}: {what}")

    def _get(self, name: str, required: bool) -> Any:
        value = self._data.get(name)
        if value is None and required:
            state = "missing" if name not in self._data else "null"
            raise self._fail(name, f"required field is {state}")
        return value

    def str_(self, name: str) -> str:
        value = self._get(name, True)
        if not isinstance(value, str):
            raise self._fail(name, f"expected a string, got {_type_name(value)}")
        return value

    def opt_text(self, name: str) -> str | None:
        """An optional string written by someone else (a PG's message, a card number): redacted."""
        value = self.opt_str(name)
        return None if value is None else redact_text(value)

    def opt_str(self, name: str) -> str | None:
        value = self._get(name, False)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)  # some PGs send codes as numbers; the spec says string
        if not isinstance(value, str):
            raise self._fail(name, f"expected a string, got {_type_name(value)}")
        return value

    def int_(self, name: str) -> int:
        return _as_int(self._get(name, True), lambda what: self._fail(name, what))

    def opt_int(self, name: str) -> int | None:
        value = self._get(name, False)
        if value is None:
            return None
        return _as_int(value, lambda what: self._fail(name, what))

    def opt_bool(self, name: str) -> bool | None:
        value = self._get(name, False)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise self._fail(name, f"expected a boolean, got {_type_name(value)}")
        return value

    def time(self, name: str) -> datetime:
        """A required timestamp that must have happened (non-zero)."""
        value = self.opt_time(name)
        if value is None:
            raise self._fail(name, "required timestamp is 0")
        return value

    def opt_time(self, name: str) -> datetime | None:
        seconds = self.opt_int(name)
        if not seconds:
            return None
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise self._fail(name, f"timestamp {seconds} out of range") from exc

    def list_of(self, name: str) -> list[Any]:
        value = self._get(name, False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._fail(name, f"expected an array, got {_type_name(value)}")
        return value

    def str_list(self, name: str) -> tuple[str, ...]:
        items = self.list_of(name)
        if not all(isinstance(item, str) for item in items):
            raise self._fail(name, "expected an array of strings")
        return tuple(items)


def _as_int(value: object, fail: Any) -> int:
    # bool is an int subclass in Python; JSON true is never an amount or a timestamp.
    if isinstance(value, bool):
        raise fail("expected a number, got boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        raise fail(f"expected a whole number, got {value!r}")
    raise fail(f"expected a number, got {_type_name(value)}")


def _type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _invalid(message: str) -> InvalidResponse:
    return InvalidResponse(message, http_status=200)


@dataclass(frozen=True)
class AccessToken:
    """``AuthAnnotation``: a token and its expiry, with the server's ``now`` to compute lifetime."""

    access_token: str = field(repr=False)
    expired_at: datetime
    now: datetime

    @property
    def lifetime_s(self) -> float:
        """Seconds the token stays valid, by the server's own clock (``expired_at - now``)."""
        return (self.expired_at - self.now).total_seconds()

    @classmethod
    def from_api(cls, data: object) -> AccessToken:
        f = _Fields(data, "AuthAnnotation")
        return cls(
            access_token=f.str_("access_token"), expired_at=f.time("expired_at"), now=f.time("now")
        )


@dataclass(frozen=True)
class CancelHistory:
    """``PaymentCancelAnnotation``: one (partial) cancellation of a payment."""

    amount: int
    pg_tid: str | None = None
    cancelled_at: datetime | None = None
    reason: str | None = None
    cancellation_id: str | None = None
    receipt_url: str | None = None

    @classmethod
    def from_api(cls, data: object) -> CancelHistory:
        f = _Fields(data, "PaymentCancelAnnotation")
        return cls(
            amount=f.int_("amount"),
            pg_tid=f.opt_str("pg_tid"),
            cancelled_at=f.opt_time("cancelled_at"),
            reason=f.opt_text("reason"),
            cancellation_id=f.opt_str("cancellation_id"),
            receipt_url=f.opt_str("receipt_url"),
        )


@dataclass(frozen=True)
class Payment:
    """``PaymentAnnotation``: one payment attempt. Read ``status``; a decline is ``"failed"``.

    Not carried: ``deposit_history`` (fixed virtual accounts) and ``promotion``; the raw fields are
    ignored like any unknown field.
    """

    imp_uid: str
    merchant_uid: str
    amount: int
    cancel_amount: int
    status: str
    currency: str = "KRW"
    #: Absent in the live service's answers (REFERENCE §5 names it; the captured answers lack it).
    sandbox: bool | None = None
    pay_method: str | None = None
    channel: str | None = None
    pg_provider: str | None = None
    emb_pg_provider: str | None = None
    pg_tid: str | None = None
    pg_id: str | None = None
    escrow: bool | None = None
    apply_num: str | None = None
    bank_code: str | None = None
    bank_name: str | None = None
    card_code: str | None = None
    card_name: str | None = None
    card_issuer_code: str | None = None
    card_issuer_name: str | None = None
    card_publisher_code: str | None = None
    card_publisher_name: str | None = None
    card_quota: int | None = None
    card_number: str | None = field(default=None, repr=False)
    card_type: int | None = None
    vbank_code: str | None = None
    vbank_name: str | None = None
    vbank_num: str | None = field(default=None, repr=False)
    vbank_holder: str | None = field(default=None, repr=False)
    vbank_date: datetime | None = None
    vbank_issued_at: datetime | None = None
    name: str | None = None
    buyer_name: str | None = field(default=None, repr=False)
    buyer_email: str | None = field(default=None, repr=False)
    buyer_tel: str | None = field(default=None, repr=False)
    buyer_addr: str | None = field(default=None, repr=False)
    buyer_postcode: str | None = field(default=None, repr=False)
    custom_data: str | None = field(default=None, repr=False)
    user_agent: str | None = field(default=None, repr=False)
    started_at: datetime | None = None
    paid_at: datetime | None = None
    failed_at: datetime | None = None
    cancelled_at: datetime | None = None
    fail_reason: str | None = None
    cancel_reason: str | None = None
    receipt_url: str | None = None
    cancel_history: tuple[CancelHistory, ...] = ()
    cancel_receipt_urls: tuple[str, ...] = field(default=(), repr=False)
    cash_receipt_issued: bool | None = None
    customer_uid: str | None = None
    customer_uid_usage: str | None = None

    @property
    def is_paid(self) -> bool:
        return self.status == PAID

    @property
    def is_failed(self) -> bool:
        return self.status == FAILED

    @property
    def refundable(self) -> int:
        """What is left to refund (the ``checksum`` a cancel should send)."""
        return self.amount - self.cancel_amount

    @classmethod
    def from_api(cls, data: object) -> Payment:
        f = _Fields(data, "PaymentAnnotation")
        history = tuple(CancelHistory.from_api(item) for item in f.list_of("cancel_history"))
        return cls(
            imp_uid=f.str_("imp_uid"),
            merchant_uid=f.str_("merchant_uid"),
            amount=f.int_("amount"),
            cancel_amount=f.int_("cancel_amount"),
            status=f.str_("status"),
            currency=f.opt_str("currency") or "KRW",
            sandbox=f.opt_bool("sandbox"),
            pay_method=f.opt_str("pay_method"),
            channel=f.opt_str("channel"),
            pg_provider=f.opt_str("pg_provider"),
            emb_pg_provider=f.opt_str("emb_pg_provider"),
            pg_tid=f.opt_str("pg_tid"),
            pg_id=f.opt_str("pg_id"),
            escrow=f.opt_bool("escrow"),
            apply_num=f.opt_str("apply_num"),
            bank_code=f.opt_str("bank_code"),
            bank_name=f.opt_str("bank_name"),
            card_code=f.opt_str("card_code"),
            card_name=f.opt_str("card_name"),
            card_issuer_code=f.opt_str("card_issuer_code"),
            card_issuer_name=f.opt_str("card_issuer_name"),
            card_publisher_code=f.opt_str("card_publisher_code"),
            card_publisher_name=f.opt_str("card_publisher_name"),
            card_quota=f.opt_int("card_quota"),
            card_number=f.opt_text("card_number"),
            card_type=f.opt_int("card_type"),
            vbank_code=f.opt_str("vbank_code"),
            vbank_name=f.opt_str("vbank_name"),
            vbank_num=f.opt_str("vbank_num"),
            vbank_holder=f.opt_str("vbank_holder"),
            vbank_date=f.opt_time("vbank_date"),
            vbank_issued_at=f.opt_time("vbank_issued_at"),
            name=f.opt_str("name"),
            buyer_name=f.opt_str("buyer_name"),
            buyer_email=f.opt_str("buyer_email"),
            buyer_tel=f.opt_str("buyer_tel"),
            buyer_addr=f.opt_str("buyer_addr"),
            buyer_postcode=f.opt_str("buyer_postcode"),
            custom_data=f.opt_str("custom_data"),
            user_agent=f.opt_str("user_agent"),
            started_at=f.opt_time("started_at"),
            paid_at=f.opt_time("paid_at"),
            failed_at=f.opt_time("failed_at"),
            cancelled_at=f.opt_time("cancelled_at"),
            fail_reason=f.opt_text("fail_reason"),
            cancel_reason=f.opt_text("cancel_reason"),
            receipt_url=f.opt_str("receipt_url"),
            cancel_history=history,
            cancel_receipt_urls=f.str_list("cancel_receipt_urls"),
            cash_receipt_issued=f.opt_bool("cash_receipt_issued"),
            customer_uid=f.opt_str("customer_uid"),
            customer_uid_usage=f.opt_str("customer_uid_usage"),
        )


@dataclass(frozen=True)
class PaymentPage:
    """``PagedPaymentAnnotation``: one page of payments. ``previous``/``next`` are 0 when none."""

    total: int
    previous: int
    next: int
    list: tuple[Payment, ...] = ()

    @property
    def payments(self) -> tuple[Payment, ...]:
        """Alias of ``list`` (which shadows the builtin inside the class)."""
        return self.list

    @classmethod
    def from_api(cls, data: object) -> PaymentPage:
        f = _Fields(data, "PagedPaymentAnnotation")
        payments = tuple(Payment.from_api(item) for item in f.list_of("list"))
        total = f.opt_int("total")
        return cls(
            total=len(payments) if total is None else total,
            previous=f.opt_int("previous") or 0,
            next=f.int_("next"),
            list=payments,
        )


@dataclass(frozen=True)
class Customer:
    """``CustomerAnnotation``: a billing key registered under ``customer_uid``."""

    customer_uid: str
    pg_provider: str | None = None
    pg_id: str | None = None
    sandbox: bool | None = None
    inserted: datetime | None = None
    updated: datetime | None = None
    card_name: str | None = None
    customer_id: str | None = None
    card_code: str | None = None
    card_issuer_code: str | None = None
    card_issuer_name: str | None = None
    card_publisher_code: str | None = None
    card_publisher_name: str | None = None
    card_number: str | None = field(default=None, repr=False)
    card_type: int | None = None
    customer_name: str | None = field(default=None, repr=False)
    customer_tel: str | None = field(default=None, repr=False)
    customer_email: str | None = field(default=None, repr=False)
    customer_addr: str | None = field(default=None, repr=False)
    customer_postcode: str | None = field(default=None, repr=False)

    @classmethod
    def from_api(cls, data: object) -> Customer:
        f = _Fields(data, "CustomerAnnotation")
        return cls(
            customer_uid=f.str_("customer_uid"),
            pg_provider=f.opt_str("pg_provider"),
            pg_id=f.opt_str("pg_id"),
            sandbox=f.opt_bool("sandbox"),
            inserted=f.opt_time("inserted"),
            updated=f.opt_time("updated"),
            card_name=f.opt_str("card_name"),
            customer_id=f.opt_str("customer_id"),
            card_code=f.opt_str("card_code"),
            card_issuer_code=f.opt_str("card_issuer_code"),
            card_issuer_name=f.opt_str("card_issuer_name"),
            card_publisher_code=f.opt_str("card_publisher_code"),
            card_publisher_name=f.opt_str("card_publisher_name"),
            card_number=f.opt_text("card_number"),
            card_type=f.opt_int("card_type"),
            customer_name=f.opt_str("customer_name"),
            customer_tel=f.opt_str("customer_tel"),
            customer_email=f.opt_str("customer_email"),
            customer_addr=f.opt_str("customer_addr"),
            customer_postcode=f.opt_str("customer_postcode"),
        )


@dataclass(frozen=True)
class CustomersResult:
    """Answer of the multi-get: the keys found and the requested ``customer_uid``s that were not."""

    found: tuple[Customer, ...]
    missing: tuple[str, ...]

    def by_uid(self) -> dict[str, Customer]:
        return {c.customer_uid: c for c in self.found}
