"""What one line of the subscriber table is made of.

The subscriber fields the table shows, the few charge facts next to them (last result, paid charges
this month, whether an outcome is in doubt), and a precomputed lower-case search key so filtering
100,000 rows per keystroke is one substring test per row.

A `NamedTuple`, not the store's full `Subscriber`: 100,000 of them must load in well under a second
(`Backend.load_rows` builds them straight from one lean query). Code that needs everything about a
subscriber (e-mail, memo, sign-up time) reads it from the store by ``row.id``.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from kpadmin.billing.records import ChargeState, Subscriber, SubscriberState
from kpadmin.gui.formatting import phone_digits

# A last charge in one of these states shows as failed (and passes the "last charge failed" filter).
FAILED_CHARGE_STATES = (ChargeState.DECLINED, ChargeState.REJECTED)


class SubscriberRow(NamedTuple):
    id: int
    customer_uid: str
    name: str
    phone: str
    plan: str
    amount: int
    state: SubscriberState
    card_name: str | None
    card_number: str | None
    next_charge_date: date
    last_charge_state: ChargeState | None
    last_charge_on: date | None
    charges_this_month: int
    in_doubt: bool
    #: The retry policy's next automatic attempt after a decline (billing/collections.py);
    #: None when nothing declined, and for a past-due subscriber (no automatic attempt).
    next_retry: date | None
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
        next_retry: date | None = None,
    ) -> SubscriberRow:
        s = subscriber
        return cls(
            s.id,
            s.customer_uid,
            s.name,
            s.phone,
            s.plan,
            s.amount,
            s.state,
            s.card_name,
            s.card_number,
            s.next_charge_date,
            last_charge_state,
            last_charge_on,
            charges_this_month,
            in_doubt,
            next_retry,
            search_key(s.name, s.phone, s.customer_uid),
        )

    @property
    def subscriber(self) -> SubscriberRow:
        """The row itself: it carries the `Subscriber` fields the table needs under the same
        names (``row.subscriber.next_charge_date``); the rest is in the store."""
        return self

    @property
    def last_charge_failed(self) -> bool:
        return self.last_charge_state in FAILED_CHARGE_STATES

    def is_due(self, today: date) -> bool:
        """Due as the table shows it: active, next charge date reached, nothing in doubt, and
        after a decline the retry day come.

        The engine applies the full rule (no paid charge for the period, key present) when it plans.
        """
        return (
            self.state == SubscriberState.ACTIVE
            and self.next_charge_date <= today
            and not self.in_doubt
            and (self.next_retry is None or self.next_retry <= today)
        )

    def chargeable(self) -> bool:
        """May the UI offer Charge now? Never with a charge in flight or an unknown outcome."""
        return self.state == SubscriberState.ACTIVE and not self.in_doubt


def search_key(name: str, phone: str, customer_uid: str) -> str:
    """Name, phone digits and customer_uid, lower-cased, joined by a char no one types.

    `Backend.load_rows` builds the same key in SQL for the bulk load; keep the two in step.
    """
    return f"{name.lower()}\x1f{phone_digits(phone)}\x1f{customer_uid.lower()}"


def normalise_query(text: str) -> str:
    """Lower-case; a phone-looking query loses its separators (010-1234 → 0101234)."""
    needle = text.strip().lower()
    if needle and all(ch.isdigit() or ch in "- " for ch in needle):
        needle = needle.replace("-", "").replace(" ", "")
    return needle
