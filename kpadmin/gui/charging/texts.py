"""Words the charging UI shows for the engine's reasons and outcomes (translated in one place)."""

from __future__ import annotations

from kpadmin.billing.due import Skip, SkipReason
from kpadmin.billing.engine import ChargeOutcome
from kpadmin.billing.records import ChargeState
from kpadmin.gui.formatting import tr
from kpadmin.gui.texts import say


def skip_label(reason: SkipReason) -> str:
    """Why a subscriber is left out of a batch, as staff would say it."""
    return {
        SkipReason.PAUSED: tr("Paused"),
        SkipReason.CANCELLED: tr("Subscription cancelled"),
        SkipReason.KEY_MISSING: tr("Billing key missing"),
        SkipReason.NOT_DUE: tr("Not due yet"),
        SkipReason.ALREADY_PAID: tr("Already paid for this period"),
        SkipReason.IN_DOUBT: tr("Earlier charge in doubt (reconcile first)"),
        SkipReason.MONTHLY_CAP: tr("Monthly cap reached"),
        SkipReason.UNKNOWN_SUBSCRIBER: tr("No such subscriber"),
        SkipReason.DECLINED_THIS_RUN: tr("Declined earlier in this run"),
        SkipReason.CHANGED: tr("Changed since the confirmation"),
        SkipReason.PAST_DUE: tr("Past due (every retry declined)"),
        SkipReason.RETRY_WAIT: tr("Declined; waiting for the retry day"),
        SkipReason.ATTEMPTED_TODAY: tr("Already tried today"),
        SkipReason.CAP_WAIT: tr("Kakao Pay monthly cap: waits for the 1st"),
    }.get(reason, str(reason))


def skip_detail(skip: Skip) -> str:
    """The engine's detail when it adds something (an order id, a date, a count); for a plain
    state (paused, cancelled, key missing) the reason says it all."""
    if skip.reason in (SkipReason.PAUSED, SkipReason.CANCELLED):
        return ""
    if skip.reason is SkipReason.KEY_MISSING:
        return tr("Sign the customer up again to get a new billing key.")
    return say(skip.note)


def outcome_note(outcome: ChargeOutcome) -> str:
    """The engine's note on an outcome in the UI language, or i'mport's own words as given."""
    return say(outcome.note) if outcome.note is not None else outcome.message


def outcome_label(state: ChargeState) -> str:
    """An outcome in the result list (PLANNED after a run means it never left)."""
    return {
        ChargeState.PAID: tr("Paid"),
        ChargeState.DECLINED: tr("Declined"),
        ChargeState.REJECTED: tr("Rejected"),
        ChargeState.UNKNOWN: tr("Outcome unknown"),
        ChargeState.PLANNED: tr("Not sent"),
        ChargeState.SENT: tr("Sending"),
    }.get(state, str(state))


def mismatch_text(n: int) -> str:
    """The warning for payments i'mport charged for another amount than was asked."""
    return tr(
        "{n} payment(s) were charged for another amount than was asked. They are recorded as "
        "paid; check each one at i'mport (the subscriber's history shows both amounts)."
    ).format(n=n)
