"""What one line of the subscriber table is made of.

The store's `Subscriber` plus the few charge facts the table shows (last result, charges this month,
whether an outcome is in doubt), and a precomputed lower-case search key so filtering 100,000
rows per keystroke is one substring test per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kpadmin.gui.formatting import phone_digits
from kpadmin.store.models import ChargeState, Subscriber, SubscriberState


@dataclass(frozen=True, slots=True)
class SubscriberRow:
    subscriber: Subscriber
    last_charge_state: ChargeState | None
    last_charge_on: date | None
    charges_this_month: int
    in_doubt: bool
    search_key: str

    @classmethod
    def build(
        cls,
        subscriber: Subscriber,
        *,
        last_charge_state: ChargeState | None = None,
        last_charge_on: date | None = None,
        charges_this_month: int = 0,
        in_doubt: bool = False,
    ) -> SubscriberRow:
        return cls(
            subscriber=subscriber,
            last_charge_state=last_charge_state,
            last_charge_on=last_charge_on,
            charges_this_month=charges_this_month,
            in_doubt=in_doubt,
            search_key=search_key(subscriber),
        )

    @property
    def id(self) -> int:
        return self.subscriber.id

    @property
    def last_charge_failed(self) -> bool:
        return self.last_charge_state in (ChargeState.DECLINED, ChargeState.REJECTED)

    def is_due(self, today: date) -> bool:
        """Due as the table shows it: active, next charge date reached, nothing in doubt.

        The engine applies the full rule (no paid charge for the period, key present) when it plans.
        """
        s = self.subscriber
        return (
            s.state == SubscriberState.ACTIVE and s.next_charge_date <= today and not self.in_doubt
        )

    def chargeable(self) -> bool:
        """May the UI offer Charge now: never with a charge in flight or an unknown outcome?"""
        return self.subscriber.state == SubscriberState.ACTIVE and not self.in_doubt


def search_key(subscriber: Subscriber) -> str:
    """Name, phone digits and customer_uid, lower-cased, joined by a char no one types."""
    return "\x1f".join(
        (
            subscriber.name.lower(),
            phone_digits(subscriber.phone),
            subscriber.customer_uid.lower(),
        )
    )


def normalise_query(text: str) -> str:
    """Lower-case; a phone-looking query loses its separators (010-1234 → 0101234)."""
    needle = text.strip().lower()
    if needle and all(ch.isdigit() or ch in "- " for ch in needle):
        needle = needle.replace("-", "").replace(" ", "")
    return needle
