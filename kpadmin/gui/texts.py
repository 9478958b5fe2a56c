"""The GUI's words for the core's codes, from the one translation catalogue.

`say(message)` is a `kpadmin.billing.messages.Message` in the UI language: its English template
looked up in context ``"Message"`` and filled with the message's parameters (a nested message is
said the same way; a `Term` — a state, a reason, a field or setting name — by its label here);
`audit_label(action)` names an audit action (context ``"AuditAction"``); `audit_detail(event)` is
an audit row's detail (its message when the row has a code, else the English it stored: rows from
before audit codes). All fall back to the English when a language has no translation, and never
raise for a translation that does not fit its parameters.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from kpadmin.billing.messages import (
    AUDIT_CONTEXT,
    AUDIT_LABELS,
    ENGLISH,
    MESSAGE_CONTEXT,
    Message,
    Term,
    TermKind,
    audit_action,
    render,
)
from kpadmin.billing.records import AuditEvent, ChargeState, SignupChannel, SubscriberState
from kpadmin.gui import formatting as fmt
from kpadmin.gui.formatting import tr


def say(message: Message) -> str:
    template = QCoreApplication.translate(MESSAGE_CONTEXT, ENGLISH[message.code])
    return render(template, message.params, _word)


def _word(value: Message | Term) -> str:
    return say(value) if isinstance(value, Message) else term_label(value)


def audit_detail(event: AuditEvent) -> str:
    """An audit row's detail in the UI language (an old row without a code: its English)."""
    message = Message.stored(event.detail_code, event.detail_params)
    return event.detail if message is None else say(message)


def term_label(term: Term) -> str:
    """A code inside a message as staff read it (one this version does not know: as it is)."""
    value = term.value
    kind = term.kind
    try:
        if kind is TermKind.SUBSCRIBER_STATE:
            return fmt.state_label(SubscriberState(value))
        if kind is TermKind.CHARGE_STATE:
            return fmt.charge_label(ChargeState(value))
        if kind is TermKind.CHANNEL:
            return fmt.channel_label(SignupChannel(value))
    except ValueError:  # a state this version does not know
        return value
    if kind is TermKind.MODE:
        return fmt.mode_label(value)
    if kind is TermKind.WON:
        return fmt.won(int(value)) if value.lstrip("-").isdecimal() else value
    tables: dict[TermKind, dict[str, Callable[[], str]]] = {
        TermKind.FIELD: _FIELDS,
        TermKind.SIGNUP_REASON: _SIGNUP_REASONS,
        TermKind.SETTING: _SETTINGS,
        TermKind.SETTING_VALUE: _SETTING_VALUES,
        TermKind.SECRET: _SECRETS,
        TermKind.EXPORT: _EXPORTS,
    }
    label = tables.get(kind, {}).get(value)
    return label() if label is not None else value


# The labels are functions: `tr` must run after the translator is installed (and again when the
# language changes), not at import.
_FIELDS: dict[str, Callable[[], str]] = {
    "name": lambda: tr("Name"),
    "phone": lambda: tr("Phone"),
    "email": lambda: tr("E-mail"),
    "plan": lambda: tr("Plan"),
    "amount": lambda: tr("Amount"),
    "billing_day": lambda: tr("Billing day"),
    "next_charge_date": lambda: tr("Next charge"),
    "memo": lambda: tr("Memo"),
    "card_name": lambda: tr("Card"),
    "card_number": lambda: tr("Card number"),
    "channel": lambda: tr("Sign-up channel"),
}
_SIGNUP_REASONS: dict[str, Callable[[], str]] = {
    "cancelled": lambda: tr("window closed"),
    "declined": lambda: tr("declined"),
    "timed_out": lambda: tr("timed out"),
    "verification_failed": lambda: tr("not verified"),
    "unreachable": lambda: tr("i'mport unreachable"),
}
_SETTINGS: dict[str, Callable[[], str]] = {
    "mode": lambda: tr("Mode"),
    "api_base_url": lambda: tr("API address"),
    "imp_code": lambda: tr("Merchant code"),
    "pg": lambda: tr("PG / channel"),
    "concurrency": lambda: tr("Charges at once"),
    "requests_per_second": lambda: tr("Charges per second"),
    "monthly_limit": lambda: tr("Charges per key per month"),
    "staff_name": lambda: tr("Staff name"),
    "language": lambda: tr("Language"),
    "retry_days": lambda: tr("Retry days after a decline"),
    "auto_charge_time": lambda: tr("Daily automatic run"),
    "auto_charge_live": lambda: tr("Automatic run in LIVE mode"),
    "notices": lambda: tr("Customer notices"),
    "smtp_url": lambda: tr("Mail server"),
    "smtp_user": lambda: tr("Mail login"),
    "notice_from": lambda: tr("Sender"),
    "notice_days_before": lambda: tr("Advance notice (days before)"),
    "merchant_name": lambda: tr("Business name"),
    "merchant_contact": lambda: tr("Contact for customers"),
    "database_url": lambda: tr("Shared database"),
}
_SETTING_VALUES: dict[str, Callable[[], str]] = {
    "true": lambda: tr("on"),
    "false": lambda: tr("off"),
    "off": lambda: tr("off"),
    "-": lambda: "-",
    "(unset)": lambda: tr("(not set)"),
    "auto": lambda: tr("follow the system"),
    "ko": lambda: "한국어",
    "en": lambda: "English",
    "email": lambda: tr("e-mail"),
    "sandbox": lambda: fmt.mode_label("sandbox"),
    "test": lambda: fmt.mode_label("test"),
    "live": lambda: fmt.mode_label("live"),
}
_SECRETS: dict[str, Callable[[], str]] = {
    "imp_key": lambda: tr("REST API key"),
    "imp_secret": lambda: tr("REST API secret"),
    "smtp_password": lambda: tr("Mail password"),
    "database_password": lambda: tr("Database password"),
}
_EXPORTS: dict[str, Callable[[], str]] = {
    "subscribers": lambda: tr("subscribers"),
    "charges": lambda: tr("charges"),
}


def audit_label(action: str) -> str:
    """A stored audit action as staff read it (an action this version does not know: as is)."""
    known = audit_action(action)
    if known is None:
        return action
    return QCoreApplication.translate(AUDIT_CONTEXT, AUDIT_LABELS[known])
