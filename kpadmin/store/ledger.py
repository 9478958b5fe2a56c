"""Reads across all customers: the payments ledger (every charge attempt with its subscriber's
name, phone and plan) and the audit trail with filters. The settlement report, the payments view
and the audit view are built on these (`kpadmin.billing.reports`, `payments_view`, `audit_view`).

Dialect-neutral like the rest of the store: a KST day or month is a `Span` of instants that billing
works out, and the store only compares instants; grouping by Korean day happens in billing, so no
database's date functions are needed.

A row's moment is ``paid_at`` for a paid row, else the last time the row changed (a decline is
recorded when its answer came back). A line's ``refunded_amount`` is what was refunded of it so far
(``cancelled_amount``: the payments view's "refunded / partly refunded"). The settlement report
counts refunds on their own moment instead: `refund_lines` reads the refund rows
(`kpadmin.store.refunds`) whose ``refunded_at`` falls in the span, whatever day their payment was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, select

from kpadmin.store import schema
from kpadmin.store.models import AuditEvent, ChargeState, Span

if TYPE_CHECKING:
    from kpadmin.store.store import Store

C = schema.charges
S = schema.subscribers
A = schema.audit
R = schema.refunds
_STATES = {s.value: s for s in ChargeState}

#: When a journal row counts: paid_at for a paid row, else its last change.
_MOMENT = func.coalesce(C.c.paid_at, C.c.updated_at, type_=schema.Instant())

_LEDGER = (
    select(
        C.c.id,
        C.c.subscriber_id,
        S.c.name,
        S.c.phone,
        S.c.plan,
        C.c.customer_uid,
        C.c.period,
        C.c.attempt,
        C.c.merchant_uid,
        C.c.imp_uid,
        C.c.state,
        C.c.amount,
        C.c.paid_amount,
        C.c.cancelled_amount,
        C.c.fail_reason,
        _MOMENT.label("at"),
        C.c.batch_id,
        C.c.staff,
    )
    .select_from(C.join(S, S.c.id == C.c.subscriber_id))
    .where(
        bindparam("start", type_=schema.Instant()) <= _MOMENT,
        bindparam("end", type_=schema.Instant()) > _MOMENT,
    )
    .order_by(_MOMENT, C.c.id)
)


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One charge attempt with what the payments view and the report need of its subscriber."""

    charge_id: int
    subscriber_id: int
    name: str
    phone: str
    plan: str  # the subscriber's plan now (the journal keeps no plan of its own)
    key_id: str  # customer_uid
    period: str
    attempt: int
    order_id: str  # merchant_uid
    payment_id: str | None  # imp_uid
    state: ChargeState
    amount: int  # asked
    paid_amount: int | None  # what i'mport reported paid (paid rows)
    refunded_amount: int  # cancelled_amount
    fail_reason: str | None
    at: datetime  # paid_at, else the row's last change (aware)
    batch_id: str | None
    staff: str

    @property
    def paid(self) -> int:
        """The money taken (0 unless paid)."""
        if self.state is not ChargeState.PAID:
            return 0
        return self.amount if self.paid_amount is None else self.paid_amount


_REFUNDS = (
    select(R.c.charge_id, S.c.plan, R.c.amount, R.c.refunded_at)
    .select_from(R.join(C, C.c.id == R.c.charge_id).join(S, S.c.id == C.c.subscriber_id))
    .where(
        R.c.refunded_at >= bindparam("start", type_=schema.Instant()),
        R.c.refunded_at < bindparam("end", type_=schema.Instant()),
    )
    .order_by(R.c.refunded_at, R.c.id)
)


@dataclass(frozen=True, slots=True)
class RefundLine:
    """One refund event, on its own moment, with its subscriber's plan (the report's refunds)."""

    charge_id: int
    plan: str
    amount: int
    at: datetime  # refunded_at (aware)


def refund_lines(store: Store, span: Span) -> list[RefundLine]:
    """Every refund whose moment falls in `span`, oldest first (its payment may be older)."""
    with store._read() as conn:
        rows = conn.execute(_REFUNDS, {"start": span.start, "end": span.end}).all()
    lines = []
    for r in rows:
        at = schema.as_instant(r[3])
        assert at is not None  # NOT NULL
        lines.append(RefundLine(int(r[0]), r[1], int(r[2]), at))
    return lines


def settlement_lines(store: Store, span: Span) -> tuple[list[LedgerLine], list[RefundLine]]:
    """`ledger` and `refund_lines` of `span` from one snapshot (the report's two reads agree)."""
    with store._read():
        return ledger(store, span), refund_lines(store, span)


def ledger(store: Store, span: Span) -> list[LedgerLine]:
    """Every charge attempt whose moment falls in `span`, oldest first."""
    with store._read() as conn:
        rows = conn.execute(_LEDGER, {"start": span.start, "end": span.end}).all()
    return [_line(r) for r in rows]


def _line(r: Any) -> LedgerLine:
    at = schema.as_instant(r[15])
    assert at is not None  # updated_at is NOT NULL
    return LedgerLine(
        charge_id=r[0],
        subscriber_id=r[1],
        name=r[2],
        phone=r[3],
        plan=r[4],
        key_id=r[5],
        period=r[6],
        attempt=r[7],
        order_id=r[8],
        payment_id=r[9],
        state=_STATES[r[10]],
        amount=r[11],
        paid_amount=r[12],
        refunded_amount=r[13] or 0,
        fail_reason=r[14],
        at=at,
        batch_id=r[16],
        staff=r[17] or "",
    )


def audit_events(
    store: Store,
    *,
    span: Span | None = None,
    staff: str | None = None,
    actions: tuple[str, ...] | None = None,
    limit: int = 5000,
) -> list[AuditEvent]:
    """Audit rows of every subscriber and of none (imports, settings, exports), newest first,
    filtered by time, staff and actions."""
    query = select(
        A.c.id,
        A.c.at,
        A.c.staff,
        A.c.action,
        A.c.subscriber_id,
        A.c.detail,
        A.c.detail_code,
        A.c.detail_params,
    )
    if span is not None:
        query = query.where(A.c.at >= span.start, A.c.at < span.end)
    if staff is not None:
        query = query.where(A.c.staff == staff)
    if actions is not None:
        query = query.where(A.c.action.in_(actions))
    query = query.order_by(A.c.at.desc(), A.c.id.desc()).limit(limit)
    with store._read() as conn:
        rows = conn.execute(query).all()
    return [
        AuditEvent(
            id=r[0],
            at=schema.as_instant(r[1]) or r[1],
            staff=r[2],
            action=r[3],
            subscriber_id=r[4],
            detail=r[5],
            detail_code=r[6],
            detail_params=r[7],
        )
        for r in rows
    ]


def audit_staff(store: Store) -> list[str]:
    """Every staff name the audit holds (the audit view's filter), sorted."""
    with store._read() as conn:
        return sorted(str(r[0]) for r in conn.execute(select(A.c.staff).distinct()))
