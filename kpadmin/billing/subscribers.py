"""What staff do to a subscriber, without Qt: pause / resume, cancel (and delete the billing key at
the gateway), check the key, edit. Every write goes with its audit row in one transaction.

The one ``key_missing`` transition is `mark_key_missing`: only an **active** subscriber that
still has that key becomes ``key_missing`` (compare-and-set on state and key). The engine calls it
after a rejected charge whose key the gateway no longer has, and a staff key check that finds no
key calls it too. A paused subscriber stays paused — staff paused it, and a paused subscriber is
not charged anyway; should it be resumed, the first charge's rejection marks it then — and a
cancelled one stays cancelled. A key check that finds the key again makes a ``key_missing``
subscriber active (`key_found`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kpadmin.billing import fields
from kpadmin.billing.fields import FieldError
from kpadmin.billing.gateway import BillingKey, Gateway, GatewayError, NotFound
from kpadmin.billing.messages import AuditAction, Message, MessageCode, Term, TermKind
from kpadmin.clock import Clock
from kpadmin.redact import mask_phone
from kpadmin.store import ChangeKind, Store
from kpadmin.store.models import Subscriber, SubscriberState

log = logging.getLogger(__name__)

#: The note of the engine's key_missing transition (after a rejected charge).
KEY_GONE_AFTER_REJECTION = Message.of(MessageCode.AUDIT_KEY_GONE_AFTER_REJECTION)


class NoSuchSubscriber(KeyError):
    """The subscriber is not in the store (deleted, or another database)."""


def _get(store: Store, subscriber_id: int) -> Subscriber:
    sub = store.subscribers.get(subscriber_id)
    if sub is None:
        raise NoSuchSubscriber(subscriber_id)
    return sub


# ----------------------------------------------------------------------------- key missing


def mark_key_missing(
    store: Store,
    subscriber_id: int,
    key_id: str,
    *,
    staff: str,
    detail: Message,
    now: datetime,
    kind: ChangeKind = ChangeKind.SUBSCRIBERS,
) -> bool:
    """The one ``active`` → ``key_missing`` transition (see the module docstring), audited in the
    same transaction. True when the subscriber moved. ``kind``: how the commit is announced (the
    engine's, part of recording a charge's outcome, is `ChangeKind.CHARGES`)."""
    with store.transaction():
        # From past due too (billing/collections.py: a rejection that used up the retries): a
        # missing key is what staff must see — the customer has to sign up again.
        moved = any(
            store.subscribers.set_state_if(
                subscriber_id,
                customer_uid=key_id,
                was=was,
                now_state=SubscriberState.KEY_MISSING,
                now=now,
                kind=kind,
            )
            for was in (SubscriberState.ACTIVE, SubscriberState.PAST_DUE)
        )
        if moved:
            store.audit.record(
                staff,
                AuditAction.KEY_MISSING,
                detail,
                subscriber_id=subscriber_id,
                at=now,
                kind=kind,
            )
    return moved


# ----------------------------------------------------------------------------- the key check


@dataclass(frozen=True, slots=True)
class KeyCheck:
    present: bool
    key: BillingKey | None = None  # the gateway's key, when present
    marked_missing: bool = False  # the check moved the subscriber to key_missing


def record_key_check(
    store: Store,
    subscriber_id: int,
    key: BillingKey | None,
    *,
    staff: str,
    now: datetime,
) -> KeyCheck:
    """Store what the gateway said about the subscriber's key: its card (a Kakao Money key has no
    card fields: its label is 카카오머니), or that it has none (`mark_key_missing`)."""
    sub = _get(store, subscriber_id)
    if key is None:
        with store.transaction():
            moved = mark_key_missing(
                store,
                subscriber_id,
                sub.customer_uid,
                staff=staff,
                detail=Message.of(MessageCode.AUDIT_KEY_MISSING_MARKED),
                now=now,
            )
            store.audit.record(
                staff,
                AuditAction.KEY_CHECK,
                Message.of(MessageCode.AUDIT_KEY_CHECK_MISSING),
                subscriber_id=subscriber_id,
                at=now,
            )
        return KeyCheck(False, marked_missing=moved)
    changes: dict[str, Any] = {}
    if key.card_label and key.card_label != sub.card_name:
        changes["card_name"] = key.card_label
    if key.card_number and key.card_number != sub.card_number:
        changes["card_number"] = key.card_number
    with store.transaction():
        if changes:
            store.subscribers.update(subscriber_id, now=now, **changes)
        found_again = sub.state is SubscriberState.KEY_MISSING and key_found(store, sub, now=now)
        store.audit.record(
            staff,
            AuditAction.KEY_CHECK,
            Message.of(
                MessageCode.AUDIT_KEY_CHECK_FOUND_AGAIN,
                was=_state(SubscriberState.KEY_MISSING),
                now=_state(SubscriberState.ACTIVE),
            )
            if found_again
            else Message.of(MessageCode.AUDIT_KEY_CHECK_PRESENT),
            subscriber_id=subscriber_id,
            at=now,
        )
    return KeyCheck(True, key)


def key_found(store: Store, sub: Subscriber, *, now: datetime) -> bool:
    """``key_missing`` → ``active``: the gateway has the subscriber's key again (the caller audits
    it with the key check, in its transaction)."""
    return store.subscribers.set_state_if(
        sub.id,
        customer_uid=sub.customer_uid,
        was=SubscriberState.KEY_MISSING,
        now_state=SubscriberState.ACTIVE,
        now=now,
    )


async def check_key(
    store: Store, gateway: Gateway, subscriber_id: int, *, staff: str, clock: Clock
) -> KeyCheck:
    """Ask the gateway for the subscriber's key and record the answer. A failed lookup (anything
    but the gateway's own "no such key") changes nothing and raises its `GatewayError`."""
    sub = _get(store, subscriber_id)
    try:
        key: BillingKey | None = await gateway.get_key(sub.customer_uid)
    except NotFound:
        key = None
    return record_key_check(store, subscriber_id, key, staff=staff, now=clock())


# ----------------------------------------------------------------------------- pause, resume


def pause(store: Store, subscriber_id: int, *, staff: str, now: datetime) -> bool:
    """``active`` → ``paused`` (no charge until resumed). False when it was not active."""
    return _move(
        store,
        subscriber_id,
        SubscriberState.ACTIVE,
        SubscriberState.PAUSED,
        AuditAction.PAUSE,
        staff,
        now,
    )


def resume(store: Store, subscriber_id: int, *, staff: str, now: datetime) -> bool:
    """``paused`` → ``active``. False when it was not paused."""
    return _move(
        store,
        subscriber_id,
        SubscriberState.PAUSED,
        SubscriberState.ACTIVE,
        AuditAction.RESUME,
        staff,
        now,
    )


def _move(
    store: Store,
    subscriber_id: int,
    was: SubscriberState,
    to: SubscriberState,
    action: AuditAction,
    staff: str,
    now: datetime,
    detail: Message | None = None,
) -> bool:
    sub = _get(store, subscriber_id)
    with store.transaction():
        moved = store.subscribers.set_state_if(
            subscriber_id, customer_uid=sub.customer_uid, was=was, now_state=to, now=now
        )
        if moved:
            store.audit.record(
                staff,
                action,
                detail or Message.of(MessageCode.AUDIT_STATE_MOVE, was=_state(was), now=_state(to)),
                subscriber_id=subscriber_id,
                at=now,
            )
    return moved


# ----------------------------------------------------------------------------- cancel


@dataclass(frozen=True, slots=True)
class Cancelled:
    cancelled: bool  # the subscriber is cancelled now (it may have been already)
    key_deleted: bool | None = None  # None: not asked to; False: the gateway did not delete it
    error: GatewayError | None = None  # why the key was not deleted


def cancel(store: Store, subscriber_id: int, *, staff: str, reason: str, now: datetime) -> bool:
    """Stop charging at once (local and safe): any state → ``cancelled``, audited."""
    sub = _get(store, subscriber_id)
    if sub.state is SubscriberState.CANCELLED:
        return False
    with store.transaction():
        store.subscribers.update(subscriber_id, now=now, state=SubscriberState.CANCELLED)
        store.audit.record(
            staff,
            AuditAction.CANCEL,
            Message.of(MessageCode.AUDIT_CANCELLED, reason=reason),
            subscriber_id=subscriber_id,
            at=now,
        )
    return True


async def delete_key(
    store: Store,
    gateway: Gateway,
    subscriber_id: int,
    *,
    staff: str,
    reason: str,
    clock: Clock,
) -> Cancelled:
    """Delete a (cancelled) subscriber's billing key at the gateway with the reason, audited. A key
    the gateway does not have counts as deleted. A failed deletion changes nothing here and says
    why (`Cancelled.error`)."""
    sub = _get(store, subscriber_id)
    try:
        await gateway.delete_key(sub.customer_uid, reason)
        detail = Message.of(MessageCode.AUDIT_KEY_DELETED, reason=reason)
    except NotFound:
        detail = Message.of(MessageCode.AUDIT_KEY_DELETED_NONE, reason=reason)
    except GatewayError as exc:
        log.info("billing key deletion failed: %s", type(exc).__name__)
        return Cancelled(sub.state is SubscriberState.CANCELLED, False, exc)
    store.audit.record(
        staff, AuditAction.KEY_DELETED, detail, subscriber_id=subscriber_id, at=clock()
    )
    return Cancelled(sub.state is SubscriberState.CANCELLED, True)


async def cancel_and_delete_key(
    store: Store,
    gateway: Gateway,
    subscriber_id: int,
    *,
    staff: str,
    reason: str,
    clock: Clock,
) -> Cancelled:
    """`cancel` first (charging stops whatever the gateway says), then `delete_key`."""
    cancel(store, subscriber_id, staff=staff, reason=reason, now=clock())
    return await delete_key(store, gateway, subscriber_id, staff=staff, reason=reason, clock=clock)


# ----------------------------------------------------------------------------- edit


class EditRefused(ValueError):
    """The edit breaks a field rule (`errors`, the rules' codes) or the billing day's bounds;
    nothing was written."""

    def __init__(self, errors: tuple[FieldError, ...], *, bad_day: bool = False) -> None:
        super().__init__("; ".join(e.note.english() for e in errors) or "billing day 1..31")
        self.errors = errors
        self.bad_day = bad_day


#: The fields an edit may change besides the ruled ones (`fields.VALIDATORS`).
OTHER_FIELDS = frozenset({"billing_day", "next_charge_date", "memo"})


def edit(
    store: Store,
    subscriber_id: int,
    values: Mapping[str, Any],
    *,
    staff: str,
    now: datetime,
) -> dict[str, Any]:
    """Save what differs from the stored subscriber: the ruled fields judged and normalised by
    `fields.check_changes` (only what staff changed is judged), the billing day (1..31), the next
    charge date and the memo; one audit row naming each change (phones masked). Returns the
    changes saved ({} when nothing changed). Raises `EditRefused`, writing nothing."""
    unknown = set(values) - set(fields.VALIDATORS) - OTHER_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    sub = _get(store, subscriber_id)
    stored = {key: getattr(sub, key) for key in fields.VALIDATORS}
    typed = {key: values[key] for key in fields.VALIDATORS if key in values}
    checked = fields.check_changes(stored, typed)
    day = values.get("billing_day", sub.billing_day)
    bad_day = not (isinstance(day, int) and 1 <= day <= 31)
    if checked.errors or bad_day:
        raise EditRefused(tuple(checked.errors), bad_day=bad_day)
    changed: dict[str, Any] = dict(checked.values)
    for key in OTHER_FIELDS & set(values):
        if getattr(sub, key) != values[key]:
            changed[key] = values[key]
    if not changed:
        return {}
    parts = []
    for key, value in changed.items():
        old = getattr(sub, key)
        if key == "phone":
            old, value = mask_phone(old), mask_phone(value)
        parts.append(field_change(key, old, value))
    with store.transaction():
        store.subscribers.update(subscriber_id, now=now, **changed)
        store.audit.record(
            staff,
            AuditAction.EDIT,
            Message.of(MessageCode.AUDIT_PARTS, parts=tuple(parts)),
            subscriber_id=subscriber_id,
            at=now,
        )
    return changed


def _state(state: SubscriberState) -> Term:
    return Term(TermKind.SUBSCRIBER_STATE, state.value)


def field_change(key: str, old: object, new: object) -> Message:
    """``key: old → new`` of one subscriber field (values as they are shown: masked already)."""
    return Message.of(
        MessageCode.AUDIT_FIELD_CHANGE,
        field=Term(TermKind.FIELD, key),
        old=field_value(key, old),
        new=field_value(key, new),
    )


def field_value(key: str, value: object) -> str | Term:
    """A field's value in an audit line: "—" for none (no English "None"), an amount as won."""
    if value is None or value == "":
        return "—"
    if key == "amount" and isinstance(value, int):
        return Term(TermKind.WON, str(value))
    return str(value)
