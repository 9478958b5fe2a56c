"""The payment gateway port: what billing needs from a payment service, in billing's own words.

Billing charges billing keys, looks payments up, deletes keys and refunds through one `Gateway`.
It never sees a REST path, a V1 field name or an httpx error. An adapter translates one service
to this port: `kpadmin.iamport.gateway.IamportGateway` for i'mport (PortOne V1) today; a PortOne V2
adapter would be one new package implementing the same Protocol (docs/architecture.md says what
it would do). The composition root (`kpadmin.runtime`) builds the adapter; nothing else imports
one.

Names (and what i'mport V1 calls them):

* ``key_id`` — the id a billing key is registered and charged under (V1 ``customer_uid``);
* ``order_id`` — the merchant's id of one charge attempt, unique per attempt, the id a lost
  answer is looked up by (V1 ``merchant_uid``). A gateway refuses to pay one order id twice;
  the engine's money rules rest on that;
* ``payment_id`` — the gateway's id of one payment it recorded (V1 ``imp_uid``).

The local schema keeps V1's column names (``customer_uid``, ``merchant_uid``, ``imp_uid``): they
are the same values under the service's own names, and the store's row types carry them.

Errors: one hierarchy, `GatewayError`, split by what the caller must do differently — above all
for money:

* `NotSent` — the request surely never reached the gateway: safe to send again as it is;
* `OutcomeUnknown` — it may have been processed and the answer was lost (a timeout after
  sending, a dropped connection, a server error, an answer too large to read): never re-send
  blindly, look the order id up first. `NotFinal` is one: a charge answered, but with a status
  that is not final (``ready``);
* `Declined` — the card side said no; the gateway recorded a failed payment (`payment`);
* `Rejected` — the gateway refused the request. For a charge that is *not* proof no money moved:
  the engine looks the order id up before it records a rejection;
* `NotFound` — the gateway says, in its own words, that the thing does not exist (never a bare
  404 from a proxy or a wrong address: that is `BadAnswer`, so it can never read as "no payment");
* `AuthFailed` — the key/secret was refused;
* `BadAnswer` — an answer that could not be understood.

`NotSent` and `OutcomeUnknown` are never collapsed into one. Every message, and the gateway's own
words (`gateway_message`, a decline's `reason`), are redacted (`kpadmin.redact.redact_text`) when
the error is made, so no secret or card number a server echoes can travel further in one.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from kpadmin.redact import redact_text


class PaymentStatus(enum.StrEnum):
    """Where a payment stands at the gateway."""

    READY = "ready"  # started, not finished (a window still open, a charge not final)
    PAID = "paid"
    FAILED = "failed"  # declined: no money moved
    CANCELLED = "cancelled"  # paid, then refunded in full
    OTHER = "other"  # a status this port does not know (a newer gateway): never final here


@dataclass(frozen=True, slots=True)
class GatewayRefund:
    """One (partial) refund of a payment as the gateway lists it (V1 ``cancel_history[]``).

    ``cancellation_id`` is the gateway's id of the cancellation; ``pg_tid`` the PG's number (for
    Kakao Pay the payment's own TID, shared by its partial refunds: not unique alone)."""

    amount: int
    refunded_at: datetime | None = None
    reason: str | None = None
    cancellation_id: str | None = None
    pg_tid: str | None = None
    receipt_url: str | None = None

    @property
    def ref(self) -> str | None:
        """What names this cancellation among the payment's (None: nothing does)."""
        if self.cancellation_id:
            return self.cancellation_id
        if self.pg_tid and self.refunded_at is not None:
            return f"{self.pg_tid}@{int(self.refunded_at.timestamp())}:{self.amount}"
        return None


@dataclass(frozen=True, slots=True)
class GatewayPayment:
    """One payment (one attempt) as the gateway recorded it.

    ``amount`` is what the gateway charged (it can differ from what was asked: the journal flags
    that), ``refunded_amount`` what has been refunded of it so far. ``card_name`` is the card's name
    as the gateway reported it (None when it sent none); ``card_label`` is what staff read: the
    card's name, or "카카오머니" for a Kakao Money payment (the adapter reads which).
    """

    payment_id: str
    order_id: str
    status: PaymentStatus
    amount: int
    refunded_amount: int = 0
    key_id: str | None = None
    currency: str = "KRW"
    pay_method: str | None = None
    pg_provider: str | None = None
    order_name: str | None = None
    card_name: str | None = None
    card_label: str | None = None
    card_number: str | None = field(default=None, repr=False)  # masked by the gateway
    receipt_url: str | None = None
    started_at: datetime | None = None
    paid_at: datetime | None = None
    failed_at: datetime | None = None
    cancelled_at: datetime | None = None
    fail_reason: str | None = None  # redacted
    #: Each refund of it, as listed (the sum is ``refunded_amount`` when the gateway lists them).
    refunds: tuple[GatewayRefund, ...] = ()

    @property
    def is_paid(self) -> bool:
        return self.status is PaymentStatus.PAID

    @property
    def refundable(self) -> int:
        """What is left to refund: the ``checksum`` a refund sends."""
        return self.amount - self.refunded_amount


@dataclass(frozen=True, slots=True)
class BillingKey:
    """A billing key registered at the gateway under ``key_id``."""

    key_id: str
    pg_provider: str | None = None
    card_name: str | None = None
    card_label: str | None = None
    card_number: str | None = field(default=None, repr=False)  # masked by the gateway
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class KeysResult:
    """Many keys asked at once: the ones found, and the asked ids that were not."""

    found: tuple[BillingKey, ...]
    missing: tuple[str, ...]

    def by_id(self) -> dict[str, BillingKey]:
        return {key.key_id: key for key in self.found}


# ------------------------------------------------------------------------------------ errors


class GatewayError(Exception):
    """Base of everything a gateway raises. The message is redacted on the way in; so is
    ``gateway_message``, the service's own words about it (None when it said nothing)."""

    def __init__(self, message: str = "", *, gateway_message: str | None = None) -> None:
        super().__init__(redact_text(str(message)))
        self.gateway_message = None if gateway_message is None else redact_text(gateway_message)


class NotSent(GatewayError):
    """The request never left (no connection, no access token). Safe to send again as it is."""


class OutcomeUnknown(GatewayError):
    """The request may have been processed; the answer was lost or unreadable. Look the order id
    up before anything is retried."""


class NotFinal(OutcomeUnknown):
    """A charge answered with a status that is not final (``payment`` as the gateway described
    it): like a lost answer, only a later lookup tells what happened to the money."""

    def __init__(self, message: str, *, payment: GatewayPayment | None = None) -> None:
        super().__init__(message)
        self.payment = payment


class Declined(GatewayError):
    """The card side declined: the gateway recorded a failed payment (``payment``, with its
    ``fail_reason``). ``reason`` is that reason, redacted ("declined" when none was given)."""

    def __init__(self, payment: GatewayPayment | None, reason: str | None = None) -> None:
        text = redact_text(reason or (payment.fail_reason if payment else None) or "declined")
        super().__init__(text)
        self.payment = payment
        self.reason: str = text


class Rejected(GatewayError):
    """The gateway refused the request. For a charge that is not proof that no money moved:
    look the order id up. ``code`` is the gateway's code for it, when it sent one."""

    def __init__(
        self, message: str, *, gateway_message: str | None = None, code: str | None = None
    ) -> None:
        super().__init__(message, gateway_message=gateway_message)
        self.code = code


class NotFound(GatewayError):
    """The gateway said, in its own answer, that the key or payment does not exist."""


class AuthFailed(GatewayError):
    """The gateway refused the credentials (even with a fresh access token)."""


class BadAnswer(GatewayError):
    """An answer that could not be understood (not the service's format, missing fields)."""


# -------------------------------------------------------------------------------------- port


class Gateway(Protocol):
    """The operations kpadmin uses. Every method raises only `GatewayError` subclasses (and
    `ValueError` for arguments no gateway could take: an empty id, an amount below ₩1)."""

    async def check_connection(self) -> None:
        """Prove the credentials work (an access token is issued); `AuthFailed`, `NotSent` …"""
        ...

    async def charge_key(
        self, key_id: str, order_id: str, amount: int, order_name: str
    ) -> GatewayPayment:
        """Charge a billing key once ("pay again"). Returns the payment when it is paid; raises
        `Declined`, `NotFinal`, `Rejected`, `OutcomeUnknown`, `NotSent`, `AuthFailed`. Never
        re-sent by the adapter: the engine decides, after a lookup."""
        ...

    async def payments_for_order(self, order_id: str) -> tuple[GatewayPayment, ...]:
        """Every payment the gateway holds for ``order_id`` (all statuses, all pages; newest
        first); ``()`` when it has none."""
        ...

    async def get_payment(self, payment_id: str) -> GatewayPayment:
        """One payment by the gateway's id (test-channel payments included); `NotFound`."""
        ...

    async def get_key(self, key_id: str) -> BillingKey:
        """One billing key; `NotFound` when the gateway has none under ``key_id``."""
        ...

    async def get_keys(self, key_ids: Sequence[str]) -> KeysResult:
        """Many keys at once (any number; duplicates asked once; ``missing`` in asked order)."""
        ...

    async def get_payments(self, payment_ids: Sequence[str]) -> tuple[GatewayPayment, ...]:
        """Many payments by the gateway's ids at once (any number, in chunks; i'mport: ``GET
        /payments?imp_uid[]=…``, 100 a request). The ones found, in no particular order."""
        ...

    async def delete_key(self, key_id: str, reason: str) -> None:
        """Delete a billing key (``reason`` is kept by the gateway). `NotFound` when there is
        none; a lost answer is `OutcomeUnknown` (look the key up). Never re-sent."""
        ...

    async def refund(
        self,
        *,
        payment_id: str | None = None,
        order_id: str | None = None,
        amount: int | None = None,
        checksum: int | None = None,
        reason: str,
    ) -> GatewayPayment:
        """Refund a payment (by ``payment_id`` or ``order_id``): in full (``amount`` None) or in
        part. ``checksum`` is the refundable balance the caller believes is left; the gateway
        refuses (`Rejected`) when its own differs, so two desks cannot refund twice. Returns the
        payment as it stands after the refund. Never re-sent: a lost answer is `OutcomeUnknown`
        (look the payment up)."""
        ...

    def key_payments(self, key_id: str) -> AsyncIterator[GatewayPayment]:
        """Every payment made with a key, newest first, page by page as it is read (an unknown
        key yields nothing)."""
        ...

    def payments_by_status(
        self,
        status: PaymentStatus | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> AsyncIterator[GatewayPayment]:
        """Every payment in ``status`` (None: any) whose time falls in [since, until] (aware
        datetimes; None: the gateway's default window, i'mport's last 90 days), page by page."""
        ...


__all__ = [
    "AuthFailed",
    "BadAnswer",
    "BillingKey",
    "Declined",
    "Gateway",
    "GatewayError",
    "GatewayPayment",
    "GatewayRefund",
    "KeysResult",
    "NotFinal",
    "NotFound",
    "NotSent",
    "OutcomeUnknown",
    "PaymentStatus",
    "Rejected",
]
