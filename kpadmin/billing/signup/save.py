"""The first charge date and the sign-up's writes (subscriber, first payment, its receipt notice,
audit)."""

from __future__ import annotations

import logging
from datetime import date, datetime

from kpadmin import clock
from kpadmin.billing import outbox, periods
from kpadmin.billing.messages import AuditAction, Message, MessageCode, Term, TermKind
from kpadmin.billing.signup.form import SignupAttempt
from kpadmin.billing.signup.verify import SignupFailed, VerifiedSignup
from kpadmin.store import NewCharge, NewSubscriber, Store
from kpadmin.store.models import ChargeState, Subscriber, SubscriberState

log = logging.getLogger(__name__)


def first_next_charge_date(today: date, billing_day: int, *, first_payment_taken: bool) -> date:
    """The subscriber's first scheduled charge date (see the module docstring for the rule)."""
    if first_payment_taken:
        return periods.next_charge_date(today, billing_day)
    this_month = periods.clamp_day(today.year, today.month, billing_day)
    return this_month if this_month >= today else periods.next_charge_date(today, billing_day)


# ----------------------------------------------------------------------------- persistence

AUDIT_STARTED = AuditAction.SIGNUP_STARTED
AUDIT_SIGNUP = AuditAction.SIGNUP
AUDIT_FAILED = AuditAction.SIGNUP_FAILED
#: i'mport holds something (a key, a paid payment) for an attempt that was not saved.
AUDIT_LEFTOVERS = AuditAction.SIGNUP_LEFTOVERS
AUDIT_LEFTOVER_REFUNDED = AuditAction.SIGNUP_REFUND
AUDIT_LEFTOVER_REFUND_FAILED = AuditAction.SIGNUP_REFUND_FAILED
AUDIT_KEY_DELETED = AuditAction.KEY_DELETED
AUDIT_ORPHAN_KEY = AuditAction.SIGNUP_ORPHAN_KEY


def record_attempt_started(store: Store, attempt: SignupAttempt, *, staff: str) -> None:
    """Audit: a window is about to open for this attempt."""
    store.audit.record(staff, AUDIT_STARTED, attempt.describe_message())


def record_failed_attempt(
    store: Store, attempt: SignupAttempt, failure: SignupFailed, *, staff: str
) -> None:
    """Audit: the attempt ended without a verified sign-up. Nothing else is written."""
    paid = failure.paid_payment_id
    detail = Message.of(
        MessageCode.AUDIT_SIGNUP_FAILED,
        reason=Term(TermKind.SIGNUP_REASON, failure.reason.value),
        why=failure.user_message,
        # The technical detail (the window's error code, what did not match): data, as it is.
        note=Message.of(MessageCode.AUDIT_NOTE, text=failure.detail) if failure.detail else "",
        attempt=attempt.describe_message(),
        paid=Message.of(MessageCode.AUDIT_SIGNUP_PAID_UNSAVED, payment_id=paid) if paid else "",
    )
    store.audit.record(staff, AUDIT_FAILED, detail)


def save_verified_signup(
    store: Store,
    verified: VerifiedSignup,
    *,
    staff: str,
    now: datetime | None = None,
    notices: outbox.NoticePolicy | None = None,
) -> Subscriber:
    """Write the subscriber, a first payment's journal row (paid, current period), its receipt
    notice (with `notices` on and an e-mail address: the outbox's ``receipt:<order id>``, sent by
    the next outbox send, as for any paid charge) and the audit entry in one transaction; return
    the new subscriber."""
    attempt = verified.attempt
    form = attempt.form
    moment = now or clock.now()
    today = periods.today_in_seoul(lambda: moment)
    next_date = first_next_charge_date(
        today, form.billing_day, first_payment_taken=verified.first_payment is not None
    )
    first = verified.first_payment
    # The subscriber, its first paid charge and the audit entry: together or not at all.
    with store.transaction():
        (subscriber_id,) = store.subscribers.add_many(
            [
                NewSubscriber(
                    customer_uid=attempt.key_id,
                    name=form.name,
                    amount=form.amount,
                    billing_day=form.billing_day,
                    next_charge_date=next_date,
                    phone=form.phone,
                    email=form.email,
                    plan=form.plan,
                    state=SubscriberState.ACTIVE,
                    card_name=verified.card_name,
                    card_number=verified.card_number,
                    channel=form.channel,
                )
            ],
            now=moment,
        )
        if first is not None:
            charges = store.charges
            charge_id = charges.insert(
                NewCharge(
                    subscriber_id=subscriber_id,
                    customer_uid=attempt.key_id,
                    period=periods.period_of(today),
                    attempt=1,
                    merchant_uid=attempt.order_id,
                    amount=first.amount,
                ),
                batch_id=None,
                staff=staff,
                now=moment,
            )
            charges.set_state(
                charge_id,
                ChargeState.PAID,
                now=moment,
                imp_uid=first.payment_id,
                receipt_url=first.receipt_url,
                paid_at=first.paid_at or moment,
                paid_amount=first.amount,
            )
            if notices is not None and notices.on:
                _enqueue_receipt(store, notices, subscriber_id, charge_id, moment)
        paid = (
            Message.of(
                MessageCode.AUDIT_SIGNUP_FIRST_PAYMENT,
                amount=first.amount,
                payment_id=first.payment_id,
            )
            if first
            else ""
        )
        card = f"{verified.card_name or '-'} {verified.card_number or ''}".rstrip()
        store.audit.record(
            staff,
            AUDIT_SIGNUP,
            Message.of(
                MessageCode.AUDIT_SIGNUP,
                card=card,
                next_date=next_date.isoformat(),
                first_payment=paid,
                attempt=attempt.describe_message(),
            ),
            subscriber_id=subscriber_id,
            at=moment,
        )
    log.info("sign-up saved: subscriber %s, %s", subscriber_id, attempt.describe())
    saved = store.subscribers.get(subscriber_id)
    assert saved is not None
    return saved


def _enqueue_receipt(
    store: Store, policy: outbox.NoticePolicy, subscriber_id: int, charge_id: int, now: datetime
) -> None:
    """The first payment's receipt, exactly as `Collections.after_outcome` writes a paid
    charge's (read back inside the transaction: the facts are the stored rows')."""
    sub, charge = store.subscribers.get(subscriber_id), store.charges.get(charge_id)
    if sub is not None and charge is not None:
        outbox.enqueue(store, policy, outbox.receipt_facts(sub, charge), subscriber_id, now)
