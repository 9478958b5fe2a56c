"""The rows kpadmin keeps locally: subscribers, charge attempts (the journal) and audit events.

Plain frozen dataclasses, shared by the store, the billing engine, the CLI and the GUI's models.
Money is whole KRW in ``int``; dates are ``datetime.date`` in Asia/Seoul; instants are aware UTC
``datetime``s.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta


class SubscriberState(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    # i'mport has no billing key for this customer_uid (deleted or never issued)
    KEY_MISSING = "key_missing"
    # every automatic retry of the period declined (billing/retry_policy.py): charged again only
    # when staff press retry or the customer re-enrols
    PAST_DUE = "past_due"


class SignupChannel(enum.StrEnum):
    PHONE = "phone"
    IN_PERSON = "in_person"
    IMPORT = "import"  # came in through `kpadmin import`


class ChargeState(enum.StrEnum):
    PLANNED = "planned"  # intent durable; the request may not have left yet
    SENT = "sent"  # the request left (or may have); no answer recorded yet
    PAID = "paid"
    DECLINED = "declined"  # code 0 + status failed: the card side said no
    REJECTED = "rejected"  # code != 0 and a lookup confirmed nothing was paid
    UNKNOWN = "unknown"  # the answer was lost and a lookup could not settle it yet

    @property
    def in_doubt(self) -> bool:
        """Rows whose outcome must be looked up before anything else happens to the subscriber."""
        return self in (ChargeState.PLANNED, ChargeState.SENT, ChargeState.UNKNOWN)

    @property
    def final(self) -> bool:
        return self in (ChargeState.PAID, ChargeState.DECLINED, ChargeState.REJECTED)


@dataclass(frozen=True, slots=True)
class Subscriber:
    id: int
    customer_uid: str
    name: str
    phone: str
    email: str
    plan: str
    amount: int
    billing_day: int  # 1..31; the next charge date is clamped to the month's end
    next_charge_date: date
    state: SubscriberState
    card_name: str | None
    card_number: str | None  # masked, as i'mport reports it
    channel: SignupChannel
    memo: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Charge:
    """One charge attempt: the journal row."""

    id: int
    subscriber_id: int
    customer_uid: str
    period: str  # "YYYY-MM" of the billing period in Asia/Seoul
    attempt: int  # 1, 2, … within (subscriber, period)
    merchant_uid: str  # deterministic, ≤ 40 chars, [A-Za-z0-9_-]
    amount: int
    state: ChargeState
    imp_uid: str | None
    fail_reason: str | None
    receipt_url: str | None
    paid_at: datetime | None
    cancelled_amount: int
    batch_id: str | None
    created_at: datetime
    updated_at: datetime
    #: What i'mport reported as paid (paid rows only). It differs from ``amount`` only when
    #: i'mport charged another amount than was asked for: see ``amount_mismatch``.
    paid_amount: int | None = None

    @property
    def amount_mismatch(self) -> bool:
        """Paid, but not the amount that was asked for (more or less): staff must look at it."""
        return (
            self.state is ChargeState.PAID
            and self.paid_amount is not None
            and self.paid_amount != self.amount
        )

    @property
    def collected(self) -> int:
        """The money this row brought in, refunds deducted (0 unless paid)."""
        if self.state is not ChargeState.PAID:
            return 0
        paid = self.amount if self.paid_amount is None else self.paid_amount
        return paid - self.cancelled_amount


@dataclass(frozen=True, slots=True)
class AuditEvent:
    id: int
    at: datetime
    staff: str
    action: str  # e.g. "charge", "refund", "signup", "signup_failed", "key_deleted", "settings"
    subscriber_id: int | None
    detail: str  # human-readable, never a secret, phone numbers masked
    #: The detail's message code and parameters (JSON), None on rows older than revision 0006
    #: (kpadmin.billing.messages.Message.stored reads them back).
    detail_code: str | None = None
    detail_params: str | None = None


@dataclass(frozen=True, slots=True)
class ChargeSummary:
    """What the subscriber table shows about a subscriber's charges (computed in SQL, one query)."""

    subscriber_id: int
    last_state: ChargeState | None  # the newest attempt's state; None = never charged
    last_at: datetime | None  # when that attempt last changed
    last_amount: int | None
    paid_this_month: int  # paid charges whose paid_at falls in the current Asia/Seoul month
    in_doubt: bool  # a planned / sent / unknown row exists: reconcile before charging again


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of instants ``[start, end)``: e.g. one Asia/Seoul month
    (`kpadmin.billing.periods.month_span`). The store compares instants, never calendars, so the
    same query holds in any database."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a Span needs aware instants")
        if self.end < self.start:
            raise ValueError("a Span ends after it starts")

    def __contains__(self, moment: object) -> bool:
        return isinstance(moment, datetime) and self.start <= moment < self.end

    @property
    def length(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class MonthTotal:
    """Money of one month (the overview chart): paid net of refunds, and declined/rejected."""

    month: str  # "YYYY-MM" (Asia/Seoul)
    collected: int
    failed: int


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """The newest batch (by its last journal row): outcome counts and the money it brought in."""

    batch_id: str
    at: datetime | None  # its rows' newest update
    paid: int
    failed: int
    in_doubt: int
    collected: int
