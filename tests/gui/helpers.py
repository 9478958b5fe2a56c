"""Builders for GUI tests: subscribers and table rows with realistic values."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kpadmin.gui.rows import SubscriberRow
from kpadmin.store.models import ChargeState, SignupChannel, Subscriber, SubscriberState

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 27)


def subscriber(
    sid: int,
    *,
    name: str | None = None,
    phone: str | None = None,
    amount: int = 9_900,
    state: SubscriberState = SubscriberState.ACTIVE,
    next_charge: date = date(2026, 12, 5),
    plan: str = "Basic",
    customer_uid: str | None = None,
) -> Subscriber:
    return Subscriber(
        id=sid,
        customer_uid=customer_uid or f"kp_cust_{sid:06d}",
        name=name or f"Customer {sid}",
        phone=phone or f"010{sid:08d}",
        email=f"c{sid}@example.com",
        plan=plan,
        amount=amount,
        billing_day=next_charge.day,
        next_charge_date=next_charge,
        state=state,
        card_name="카카오페이",
        card_number=f"5365-****-****-{sid % 10000:04d}",
        channel=SignupChannel.PHONE,
        memo="",
        created_at=NOW,
        updated_at=NOW,
    )


def row(
    sid: int,
    *,
    last: ChargeState | None = None,
    last_on: date | None = None,
    this_month: int = 0,
    in_doubt: bool = False,
    **kwargs: object,
) -> SubscriberRow:
    return SubscriberRow.build(
        subscriber(sid, **kwargs),  # type: ignore[arg-type]
        last_charge_state=last,
        last_charge_on=last_on,
        charges_this_month=this_month,
        in_doubt=in_doubt,
    )
