"""Rendering a customer notice from the facts of what happened, with the templates under
``resources/notices/<language>/`` (Korean by default, English too).

Each kind has three files: ``<kind>.subject.txt``, ``<kind>.txt`` (the plain-text body) and
``<kind>.html`` (autoescaped; it extends ``_layout.html``). Templates never format or mask anything
themselves: they get display strings only (`Notice.fields`), made here — the amount as ``₩12,300``,
dates in Asia/Seoul in the language's style, the card and phone already masked
(kpadmin.redact), the decline reason redacted — so no template can print a raw card number.
Missing variables are errors (StrictUndefined), and the templates run in Jinja2's sandbox.

The facts come from the journal and the subscriber row (the outbox, later, builds them in the
transaction that records the outcome); `render(facts, merchant=…, language=…)` returns the `Notice`.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Final
from urllib.parse import urlsplit

from kpadmin.billing.notices.model import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Merchant,
    Notice,
    NoticeKind,
    Recipient,
)
from kpadmin.billing.periods import SEOUL
from kpadmin.redact import mask_card, mask_phone, redact_text

if TYPE_CHECKING:
    import jinja2

MAX_SUBJECT: Final = 200
MAX_REASON: Final = 200
_WEEKDAYS_KO: Final = ("월", "화", "수", "목", "금", "토", "일")
_WEEKDAYS_EN: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS_EN: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class TemplateProblem(RuntimeError):
    """A notice template is missing or broken (a packaging or editing mistake, not bad data)."""


# --- the facts -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Receipt:
    """A paid charge."""

    recipient: Recipient
    plan: str
    amount: int
    period: str  # "YYYY-MM"
    order_id: str  # merchant_uid
    paid_at: datetime
    card: str | None = None
    receipt_url: str | None = None

    kind: ClassVar[NoticeKind] = NoticeKind.RECEIPT

    @property
    def key(self) -> str:
        return f"receipt:{self.order_id}"


@dataclass(frozen=True, slots=True)
class Decline:
    """A declined charge; ``next_retry`` from the retry policy (None: no automatic retry)."""

    recipient: Recipient
    plan: str
    amount: int
    period: str
    order_id: str
    declined_at: datetime
    next_retry: date | None
    reason: str | None = None
    monthly_cap: bool = False
    card: str | None = None

    kind: ClassVar[NoticeKind] = NoticeKind.DECLINE

    @property
    def key(self) -> str:
        return f"decline:{self.order_id}"


@dataclass(frozen=True, slots=True)
class PastDue:
    """The retries of a period are used up (the retry policy's ``past_due``)."""

    recipient: Recipient
    plan: str
    amount: int
    period: str
    key_id: str  # customer_uid
    last_declined_at: datetime
    card: str | None = None

    kind: ClassVar[NoticeKind] = NoticeKind.PAST_DUE

    @property
    def key(self) -> str:
        return f"past_due:{self.key_id}:{self.period}"


@dataclass(frozen=True, slots=True)
class Advance:
    """A charge coming in ``days_before`` days (the ``notice_days_before`` setting)."""

    recipient: Recipient
    plan: str
    amount: int
    key_id: str
    charge_date: date
    days_before: int
    card: str | None = None

    kind: ClassVar[NoticeKind] = NoticeKind.ADVANCE

    @property
    def key(self) -> str:
        return f"advance:{self.key_id}:{self.charge_date.isoformat()}"


@dataclass(frozen=True, slots=True)
class NewPrice:
    """A plan's price changes from a billing period on (`kpadmin.billing.plans`): written when
    staff apply the change, so the customer learns it before ``charge_date``, the first charge at
    the new ``amount`` (every charge before it stays at ``old_amount``)."""

    recipient: Recipient
    plan: str
    old_amount: int
    amount: int
    from_period: str  # "YYYY-MM"
    charge_date: date
    change_id: int  # the price change (the store's plan_price_changes row)
    key_id: str  # customer_uid
    card: str | None = None

    kind: ClassVar[NoticeKind] = NoticeKind.PRICE_CHANGE

    @property
    def key(self) -> str:
        # One notice per (price change, subscriber): applying a change writes it once.
        return f"price_change:{self.change_id}:{self.key_id}"


Facts = Receipt | Decline | PastDue | Advance | NewPrice


# --- formatting ------------------------------------------------------------------------------


def won(amount: int) -> str:
    """``₩12,300``."""
    return f"₩{amount:,}"


def format_date(day: date, language: str) -> str:
    if language == "ko":
        return f"{day.year}년 {day.month}월 {day.day}일 ({_WEEKDAYS_KO[day.weekday()]})"
    # Not strftime("%a"): that follows the machine's locale.
    return f"{_WEEKDAYS_EN[day.weekday()]} {day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def format_instant(moment: datetime, language: str) -> str:
    """An aware instant as Korean wall time."""
    if moment.tzinfo is None:
        raise ValueError("an instant in a notice must be aware")
    local = moment.astimezone(SEOUL)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if language == "ko":
        return f"{format_date(local.date(), language)} {clock}"
    return f"{format_date(local.date(), language)}, {clock} (Korean time)"


def format_period(period: str, language: str) -> str:
    year, _, month = period.partition("-")
    if not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
        raise ValueError(f"a period is YYYY-MM, not {period!r}")
    if language == "ko":
        return f"{int(year)}년 {int(month)}월분"
    return f"{_MONTHS_EN[int(month) - 1]} {int(year)}"


def _fields(facts: Facts, merchant: Merchant, language: str) -> dict[str, str]:
    fields = {
        "merchant_name": merchant.name,
        "merchant_contact": merchant.contact,
        "customer_name": facts.recipient.name,
        "plan": facts.plan,
        "amount": won(facts.amount),
        "card": mask_card(facts.card) if facts.card else "",
        "phone": mask_phone(facts.recipient.phone) if facts.recipient.phone else "",
    }
    match facts:
        case Receipt():
            fields |= {
                "period": format_period(facts.period, language),
                "order_id": facts.order_id,
                "paid_at": format_instant(facts.paid_at, language),
                "receipt_url": _safe_url(facts.receipt_url),
            }
        case Decline():
            reason = redact_text(facts.reason or "", emails=True).strip()
            fields |= {
                "period": format_period(facts.period, language),
                "order_id": facts.order_id,
                "declined_at": format_instant(facts.declined_at, language),
                "next_retry": format_date(facts.next_retry, language) if facts.next_retry else "",
                "reason": reason[:MAX_REASON],
                "monthly_cap": "yes" if facts.monthly_cap else "",
            }
        case PastDue():
            fields |= {
                "period": format_period(facts.period, language),
                "last_declined_at": format_instant(facts.last_declined_at, language),
            }
        case Advance():
            fields |= {
                "charge_date": format_date(facts.charge_date, language),
                "days_before": str(facts.days_before),
            }
        case NewPrice():
            fields |= {
                "old_amount": won(facts.old_amount),
                "from_period": format_period(facts.from_period, language),
                "charge_date": format_date(facts.charge_date, language),
            }
    return fields


def _safe_url(url: str | None) -> str:
    """An https link from i'mport, or nothing: a hostile answer must not put a ``javascript:`` or
    look-alike link in front of a customer."""
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    if parts.scheme != "https" or not parts.hostname or len(url) > 1000 or parts.username:
        return ""
    if any(ch.isspace() or not ch.isprintable() for ch in url.strip()):
        return ""
    return url.strip()


# --- templates -------------------------------------------------------------------------------


def templates_root() -> Path:
    """``resources/notices``: in the checkout, or beside the frozen modules (``sys._MEIPASS``)."""
    frozen = getattr(sys, "_MEIPASS", None)
    base = Path(frozen) if frozen else Path(__file__).resolve().parents[3]
    return base / "resources" / "notices"


@functools.lru_cache(maxsize=8)
def _environment(root: Path, language: str) -> jinja2.Environment:
    # Jinja2 is imported when a notice is first rendered, not with the app (~30 ms of start-up).
    import jinja2.sandbox

    return jinja2.sandbox.SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(root / language, encoding="utf-8"),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html",), default_for_string=False, default=False
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


def template_names(kind: NoticeKind) -> tuple[str, str, str]:
    return f"{kind.value}.subject.txt", f"{kind.value}.txt", f"{kind.value}.html"


def render(
    facts: Facts,
    *,
    merchant: Merchant,
    language: str = DEFAULT_LANGUAGE,
    root: Path | None = None,
) -> Notice:
    """The notice for ``facts`` in ``language`` (``ko`` or ``en``)."""
    if language not in LANGUAGES:
        raise ValueError(f"notices are written in {', '.join(LANGUAGES)}, not {language!r}")
    fields = _fields(facts, merchant, language)
    env = _environment((root or templates_root()).resolve(), language)
    subject_name, text_name, html_name = template_names(facts.kind)
    import jinja2  # loaded by _environment already

    try:
        subject = env.get_template(subject_name).render(fields)
        text = env.get_template(text_name).render(fields)
        html = env.get_template(html_name).render(fields, language=language)
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(
            f"the notice template {language}/{exc.name} is missing from {root or templates_root()}"
        ) from None
    except jinja2.TemplateError as exc:
        raise TemplateProblem(f"the {language} {facts.kind.value} notice template: {exc}") from None
    return Notice(
        kind=facts.kind,
        key=facts.key,
        language=language,
        recipient=facts.recipient,
        merchant=merchant,
        subject=" ".join(subject.split())[:MAX_SUBJECT],
        text=text,
        html=html,
        fields=fields,
    )
