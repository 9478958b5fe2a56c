"""The customer notices' durable outbox: what goes in (with the outcome that causes it), and the
sending after the batch.

In: `Collections.after_outcome` (billing/collections.py) calls `notices_for_outcome` inside the
transaction that records a charge's outcome — a receipt for a paid charge, a decline notice
naming the next retry date, a past-due notice when the last retry declined — and `enqueue_advance`
writes the advance notices ``notice_days_before`` days ahead; `kpadmin.billing.plans` writes a
price-change notice (`NewPrice`) per subscriber whose amount a plan's new price changes, in the
transaction that applies it. Each is one row of the store's notices table with its idempotency key
(``receipt:<order id>``, ``decline:<order id>``, ``past_due:<key id>:<period>``,
``advance:<key id>:<date>``, ``price_change:<change id>:<key id>``): a key is written once, so a
repeated reconciliation or a second desk never makes a second notice. A subscriber without an
e-mail address gets none (nothing to send it to); with notices ``off`` nothing is written.

Out: `send_due(store, notifier, …)` after the batch (`charge-due`, the app) and `kpadmin notices
send`: every pending notice whose time has come is claimed (compare-and-set, so two desks never
send one notice), rendered (templates under ``resources/notices/``, the merchant's name and
contact of the settings), handed to the channel (`Notifier`; e-mail: `SmtpNotifier`) and marked
sent with the provider's id. A failure is retried with the back-off of `notifier.retry_after` (1,
5, 15, 60 minutes … 24 hours, nine tries), a permanent refusal is given up at once (``failed``:
staff see it and may retry); a failure that concerns the channel (login refused, server down)
stops the sending — the rest wait for the next run. A crash after the server accepted a mail and
before the mark repeats that one mail at most (the claim goes stale after ten minutes); the
e-mail's Message-ID is derived from the key, so the copies are recognisably one notice.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any

from kpadmin.billing.notices import (
    DEFAULT_LANGUAGE,
    Advance,
    Decline,
    Facts,
    FailureKind,
    Merchant,
    NewPrice,
    NoticeError,
    NoticeKind,
    Notifier,
    PastDue,
    Receipt,
    Recipient,
    Scope,
    TemplateProblem,
    next_attempt_at,
    render,
)
from kpadmin.billing.settings import Settings
from kpadmin.clock import Clock
from kpadmin.redact import redact_text
from kpadmin.store import NewNotice, Store, StoredNotice
from kpadmin.store.models import Charge, Subscriber, SubscriberState

log = logging.getLogger(__name__)

EMAIL = "email"
_KINDS: dict[NoticeKind, type[Any]] = {
    NoticeKind.RECEIPT: Receipt,
    NoticeKind.DECLINE: Decline,
    NoticeKind.PAST_DUE: PastDue,
    NoticeKind.ADVANCE: Advance,
    NoticeKind.PRICE_CHANGE: NewPrice,
}
_INSTANTS = frozenset({"paid_at", "declined_at", "last_declined_at"})
_DAYS = frozenset({"next_retry", "charge_date"})


# --- the facts as stored -----------------------------------------------------------------------


def facts_to_json(facts: Facts) -> str:
    values: dict[str, Any] = {}
    for f in fields(facts):
        value = getattr(facts, f.name)
        if isinstance(value, Recipient):
            value = {"name": value.name, "email": value.email, "phone": value.phone}
        elif isinstance(value, datetime | date):
            value = value.isoformat()
        values[f.name] = value
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


def facts_from_json(kind: str, text: str) -> Facts:
    cls = _KINDS[NoticeKind(kind)]
    raw = json.loads(text)
    values: dict[str, Any] = {}
    for f in fields(cls):
        value = raw.get(f.name)
        if f.name == "recipient":
            value = Recipient(**value)
        elif f.name in _INSTANTS and value is not None:
            value = datetime.fromisoformat(value)
        elif f.name in _DAYS and value is not None:
            value = date.fromisoformat(value)
        values[f.name] = value
    facts: Facts = cls(**values)
    return facts


# --- in: written with the outcome ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoticePolicy:
    """What is written (settings ``notices`` and ``notice_days_before``)."""

    channel: str | None = None  # None: notices off
    language: str = DEFAULT_LANGUAGE
    days_before: int | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> NoticePolicy:
        channel = EMAIL if settings.notices == EMAIL else None
        return cls(channel, DEFAULT_LANGUAGE, settings.notice_days_before)

    @property
    def on(self) -> bool:
        return self.channel is not None


def _recipient(sub: Subscriber) -> Recipient:
    return Recipient(sub.name, sub.email, sub.phone)


def _card(sub: Subscriber) -> str | None:
    return sub.card_number or None


def enqueue(
    store: Store, policy: NoticePolicy, facts: Facts, subscriber_id: int, now: datetime
) -> bool:
    """Write one notice (inside the caller's transaction); False when off, when the customer has
    no address for the channel, or when this key was written before."""
    if policy.channel is None or not facts.recipient.email:
        return False
    return store.notices.add(
        NewNotice(
            key=facts.key,
            kind=facts.kind.value,
            subscriber_id=subscriber_id,
            channel=policy.channel,
            language=policy.language,
            facts=facts_to_json(facts),
        ),
        now=now,
    )


def receipt_facts(sub: Subscriber, charge: Charge) -> Receipt:
    return Receipt(
        recipient=_recipient(sub),
        plan=sub.plan,
        amount=charge.paid_amount if charge.paid_amount is not None else charge.amount,
        period=charge.period,
        order_id=charge.merchant_uid,
        paid_at=charge.paid_at or charge.updated_at,
        card=_card(sub),
        receipt_url=charge.receipt_url,
    )


def decline_facts(
    sub: Subscriber, charge: Charge, *, next_retry: date | None, monthly_cap: bool
) -> Decline:
    return Decline(
        recipient=_recipient(sub),
        plan=sub.plan,
        amount=charge.amount,
        period=charge.period,
        order_id=charge.merchant_uid,
        declined_at=charge.updated_at,
        next_retry=next_retry,
        reason=charge.fail_reason,
        monthly_cap=monthly_cap,
        card=_card(sub),
    )


def past_due_facts(sub: Subscriber, charge: Charge) -> PastDue:
    return PastDue(
        recipient=_recipient(sub),
        plan=sub.plan,
        amount=charge.amount,
        period=charge.period,
        key_id=sub.customer_uid,
        last_declined_at=charge.updated_at,
        card=_card(sub),
    )


def addressed(policy: NoticePolicy, sub: Subscriber) -> bool:
    """Would a notice to ``sub`` be written (notices on, and an address for the channel)?"""
    return policy.on and bool(_recipient(sub).email)


def new_price_facts(
    sub: Subscriber,
    *,
    plan: str,
    old_amount: int,
    new_amount: int,
    from_period: str,
    charge_date: date,
    change_id: int,
) -> NewPrice:
    return NewPrice(
        recipient=_recipient(sub),
        plan=plan,
        old_amount=old_amount,
        amount=new_amount,
        from_period=from_period,
        charge_date=charge_date,
        change_id=change_id,
        key_id=sub.customer_uid,
        card=_card(sub),
    )


def enqueue_advance(store: Store, policy: NoticePolicy, *, today: date, now: datetime) -> int:
    """The advance notices: every active subscriber whose next charge date is within
    ``days_before`` days (tomorrow up to that day: a day nothing ran is made up), one per
    subscriber and charge date. One transaction; returns how many were written."""
    days = policy.days_before
    if not policy.on or not days:
        return 0
    written = 0
    horizon = today + timedelta(days=days)
    with store.transaction():
        for sub in store.subscribers.with_next_charge_on_or_before(horizon):
            if sub.state is not SubscriberState.ACTIVE or sub.next_charge_date <= today:
                continue
            facts = Advance(
                recipient=_recipient(sub),
                plan=sub.plan,
                amount=sub.amount,
                key_id=sub.customer_uid,
                charge_date=sub.next_charge_date,
                days_before=(sub.next_charge_date - today).days,
                card=_card(sub),
            )
            written += enqueue(store, policy, facts, sub.id, now)
    return written


# --- out: sent after the batch -----------------------------------------------------------


@dataclass(slots=True)
class SendReport:
    sent: int = 0
    retry_later: int = 0  # failed this time; tried again after the back-off
    given_up: int = 0  # refused for good (or too many failures): staff see them
    #: Why the sending stopped before the end (a channel failure, a broken template), or None.
    stopped: str | None = None
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.sent} sent"
        if self.retry_later:
            text += f", {self.retry_later} to try again later"
        if self.given_up:
            text += f", {self.given_up} given up (kpadmin notices list)"
        if self.stopped:
            text += f"; stopped: {self.stopped}"
        return text


def merchant_of(settings: Settings) -> Merchant:
    return Merchant(settings.merchant_name or "", settings.merchant_contact or "")


async def send_due(
    store: Store,
    notifier: Notifier,
    *,
    merchant: Merchant,
    clock: Clock,
    limit: int = 500,
    on_sent: Callable[[StoredNotice], None] | None = None,
) -> SendReport:
    """Send every notice whose time has come (see the module docstring)."""
    report = SendReport()
    for stored in store.notices.due(clock(), limit=limit):
        if stored.channel != notifier.channel:
            continue
        if not store.notices.claim(stored, clock()):
            continue  # another desk has it
        attempts = stored.attempts + 1
        try:
            notice = render(
                facts_from_json(stored.kind, stored.facts),
                merchant=merchant,
                language=stored.language,
            )
        except (TemplateProblem, ValueError, KeyError, TypeError) as exc:
            # A broken template or an unreadable row: every notice of that kind would fail.
            why = f"notice {stored.id} cannot be rendered: {exc}"
            _failed(store, stored, attempts, FailureKind.TEMPORARY, why, clock, report)
            report.stopped = why
            break
        try:
            delivery = await notifier.send(notice)
        except NoticeError as exc:
            _failed(store, stored, attempts, exc.kind, str(exc), clock, report)
            if exc.scope is Scope.CHANNEL:
                report.stopped = str(exc)
                break
            continue
        store.notices.mark_sent(stored.id, reference=delivery.reference, now=clock())
        report.sent += 1
        if on_sent is not None:
            on_sent(stored)
    if report.sent or report.retry_later or report.given_up:
        log.info("notices: %s", report.summary())
    return report


def _failed(
    store: Store,
    stored: StoredNotice,
    attempts: int,
    kind: FailureKind,
    error: str,
    clock: Clock,
    report: SendReport,
) -> None:
    retry_at = next_attempt_at(kind, attempts, clock())
    store.notices.mark_failed(stored.id, error=error, retry_at=retry_at, attempts=attempts)
    if retry_at is None:
        report.given_up += 1
    else:
        report.retry_later += 1
    report.errors.append(redact_text(error))
    log.info(
        "notice %s (%s) not sent, attempt %d: %s", stored.id, stored.kind, attempts, error
    )


def open_notifier(settings: Settings, mode: str, *, clock: Clock) -> Notifier:
    """The channel of the settings (e-mail: `SmtpNotifier` with the password from the keyring
    or ``KPADMIN_SMTP_PASSWORD``). `SmtpSettingsMissing` names an unset setting;
    `kpadmin.billing.secrets.SecretsError` when the keyring cannot be used."""
    from kpadmin.billing import secrets
    from kpadmin.billing.notices.smtp import SmtpNotifier, config_from_settings

    # Only a server with a login needs the password (and so the keyring).
    password = secrets.smtp_password(mode) if settings.smtp_user else None
    return SmtpNotifier(config_from_settings(settings, password), clock=clock)


def describe(stored: StoredNotice) -> dict[str, Any]:
    """One notice for `kpadmin notices list` and the app's notices window: no unmasked address."""
    try:
        recipient = facts_from_json(stored.kind, stored.facts).recipient.masked()
    except (ValueError, KeyError, TypeError):
        recipient = "?"
    return {
        "id": stored.id,
        "kind": stored.kind,
        "state": stored.state,
        "to": recipient,
        "subscriber_id": stored.subscriber_id,
        "created_at": stored.created_at.isoformat(),
        "attempts": stored.attempts,
        "next_attempt_at": stored.next_attempt_at.isoformat() if stored.next_attempt_at else None,
        "sent_at": stored.sent_at.isoformat() if stored.sent_at else None,
        "last_error": redact_text(stored.last_error) if stored.last_error else None,
    }
