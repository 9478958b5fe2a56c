"""Looking an order id up at the gateway and deciding what the journal row must become.

The only way to settle a charge whose answer was lost is to ask for every payment the gateway has
under its order id (`Gateway.payments_for_order`; i'mport: ``findAll``). The verdict:

* some attempt is ``paid`` (or ``cancelled``: it was paid, then refunded) → the row is **paid**;
* attempts exist and all ``failed`` → the card side said no: **declined**;
* nothing at all → the request was never processed: the row may be sent again **with the same
  order id** (never a new one — a request still on its way would then pay twice; with the same
  id i'mport refuses the second payment);
* anything else (``ready``, or the lookup itself failed) → **unknown**: the subscriber is blocked
  until a later lookup settles it.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from kpadmin.billing.gateway import (
    Gateway,
    GatewayError,
    GatewayPayment,
    NotFound,
    PaymentStatus,
)
from kpadmin.store.models import ChargeState

if TYPE_CHECKING:
    from kpadmin.billing.outside import OutsideReport

_LONG_AGO = datetime(1970, 1, 1, tzinfo=UTC)


class Verdict(enum.Enum):
    PAID = "paid"
    DECLINED = "declined"
    NOTHING = "nothing"  # i'mport never processed it: safe to send again with the same id
    UNCLEAR = "unclear"  # an attempt that is neither paid nor failed (e.g. ready)
    LOOKUP_FAILED = "lookup_failed"


@dataclass(frozen=True, slots=True)
class Lookup:
    verdict: Verdict
    payment: GatewayPayment | None = None  # the paid one, or the newest failed one
    detail: str = ""


_PAID = frozenset({PaymentStatus.PAID, PaymentStatus.CANCELLED})


def classify(order_id: str, payments: Sequence[GatewayPayment]) -> Lookup:
    mine = [p for p in payments if p.order_id == order_id]
    paid = [p for p in mine if p.status in _PAID]
    if paid:
        return Lookup(Verdict.PAID, paid[0])
    if not mine:
        return Lookup(Verdict.NOTHING)
    if all(p.status is PaymentStatus.FAILED for p in mine):
        newest = max(mine, key=lambda p: (p.failed_at or p.started_at or _LONG_AGO, p.payment_id))
        return Lookup(Verdict.DECLINED, newest, newest.fail_reason or "declined")
    statuses = ", ".join(sorted({p.status.value for p in mine}))
    return Lookup(Verdict.UNCLEAR, None, f"i'mport shows status {statuses}")


async def look_up(
    gateway: Gateway,
    order_id: str,
    *,
    tries: int = 3,
    delays: Sequence[float] = (0.2, 0.5, 1.0),
) -> Lookup:
    """Every payment of the order, with a few retries (a lookup moves no money, so retrying it
    is always safe)."""
    last = ""
    for attempt in range(max(1, tries)):
        try:
            payments = await gateway.payments_for_order(order_id)
        except NotFound:  # a gateway may say "no such order" instead of listing nothing
            return classify(order_id, ())
        except GatewayError as exc:
            last = f"{type(exc).__name__}: {exc}"
            if attempt + 1 < tries:
                await asyncio.sleep(delays[min(attempt, len(delays) - 1)])
            continue
        return classify(order_id, payments)
    return Lookup(Verdict.LOOKUP_FAILED, None, f"lookup failed: {last}")


@dataclass(frozen=True, slots=True)
class Settled:
    """One journal row looked at by a reconciliation."""

    charge_id: int
    subscriber_id: int
    order_id: str
    before: ChargeState
    after: ChargeState
    detail: str
    amount: int = 0  # asked for
    paid_amount: int | None = None  # what i'mport reports as paid (found paid only)

    @property
    def amount_mismatch(self) -> bool:
        return (
            self.after is ChargeState.PAID
            and self.paid_amount is not None
            and self.paid_amount != self.amount
        )


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    rows: tuple[Settled, ...] = field(default=())
    #: What changed at i'mport outside kpadmin (`kpadmin.billing.outside`; None: not asked).
    outside: OutsideReport | None = None

    @property
    def mismatched(self) -> tuple[Settled, ...]:
        """Rows found paid for another amount than was asked (paid; a person must look)."""
        return tuple(r for r in self.rows if r.amount_mismatch)

    def count(self, state: ChargeState) -> int:
        return sum(1 for r in self.rows if r.after is state)

    @property
    def checked(self) -> int:
        return len(self.rows)

    @property
    def unknown(self) -> int:
        return self.count(ChargeState.UNKNOWN)

    @property
    def paid(self) -> int:
        return self.count(ChargeState.PAID)

    @property
    def to_resend(self) -> int:
        """Rows i'mport has never seen: the next batch sends them again with the same id."""
        return self.count(ChargeState.PLANNED)

    def summary(self) -> str:
        text = self._rows_summary()
        if self.outside is not None:
            text += f"; {self.outside.summary()}"
        return text

    def _rows_summary(self) -> str:
        if not self.rows:
            return "nothing in doubt"
        parts = [
            f"{self.count(s)} {s.value}"
            for s in (ChargeState.PAID, ChargeState.DECLINED, ChargeState.UNKNOWN)
            if self.count(s)
        ]
        if self.to_resend:
            parts.append(f"{self.to_resend} never reached i'mport (will be sent again)")
        return f"{self.checked} checked: " + ", ".join(parts)
