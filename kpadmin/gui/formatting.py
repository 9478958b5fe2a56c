"""How money, phone numbers, dates and states look on screen.

One place so the table, the detail pane, the overview and the dialogs agree. Labels go through
Qt's translation system (`QCoreApplication.translate`) under the empty context (see `tr`).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from kpadmin import clock
from kpadmin.billing.records import ChargeState, SignupChannel, SubscriberState

SEOUL = ZoneInfo("Asia/Seoul")
_NON_DIGITS = re.compile(r"\D+")


def tr(text: str) -> str:
    """Translate text outside a QObject method.

    Call it by this bare name with a literal (``tr("Paid")``): pyside6-lupdate files such
    calls under the empty context, so that is the context looked up here.
    """
    return QCoreApplication.translate("", text)


def won(amount: int | None) -> str:
    """₩ with thousands separators; the same in both languages (Korean staff read ₩12,900)."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}₩{abs(amount):,}"


def phone_digits(phone: str) -> str:
    return _NON_DIGITS.sub("", phone or "")


def mask_phone(phone: str) -> str:
    """010-****-5678: enough for staff to confirm a caller, not enough to copy a number."""
    digits = phone_digits(phone)
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}-{'*' * (len(digits) - 7)}-{digits[-4:]}"


def format_phone(phone: str) -> str:
    """The full number in the usual Korean grouping (only in the detail pane and edit dialog)."""
    digits = phone_digits(phone)
    if len(digits) == 11:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if len(digits) == 10:
        if digits.startswith("02"):
            return f"{digits[:2]}-{digits[2:6]}-{digits[6:]}"
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return phone


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def format_instant(value: datetime | None) -> str:
    """An instant in Seoul time, minute precision: what the staff and the receipts show."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")


def seoul_today(now: datetime | None = None) -> date:
    """Today in Seoul at `now` (default: the process's clock; widgets with a backend ask
    `Backend.today()`, which follows the runtime's clock)."""
    return (now or clock.now()).astimezone(SEOUL).date()


def state_label(state: SubscriberState) -> str:
    return {
        SubscriberState.ACTIVE: tr("Active"),
        SubscriberState.PAUSED: tr("Paused"),
        SubscriberState.CANCELLED: tr("Cancelled"),
        SubscriberState.KEY_MISSING: tr("Key missing"),
        SubscriberState.PAST_DUE: tr("Past due"),
    }.get(state, str(state))


def charge_label(state: ChargeState | None) -> str:
    if state is None:
        return ""
    return {
        ChargeState.PLANNED: tr("Planned"),
        ChargeState.SENT: tr("Sending"),
        ChargeState.PAID: tr("Paid"),
        ChargeState.DECLINED: tr("Declined"),
        ChargeState.REJECTED: tr("Rejected"),
        ChargeState.UNKNOWN: tr("Unknown"),
    }.get(state, str(state))


def channel_label(channel: SignupChannel) -> str:
    return {
        SignupChannel.PHONE: tr("Phone"),
        SignupChannel.IN_PERSON: tr("In person"),
        SignupChannel.IMPORT: tr("CSV import"),
    }.get(channel, str(channel))


def mode_label(mode: str) -> str:
    return {"sandbox": tr("SANDBOX"), "test": tr("TEST"), "live": tr("LIVE")}.get(
        mode, mode.upper()
    )
