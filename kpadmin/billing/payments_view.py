"""Payments across all customers (the payments view and its exports): every charge attempt of a
Korean date range with its subscriber, filtered by state, plan and a search, with totals, and
written to CSV or Excel (.xlsx) with Korean times.

A payment's state as staff read it (`PaymentState`) folds the journal's states: paid, declined
(declined or rejected), refunded (paid, refunded in full), partly refunded, and unknown (an
outcome not known yet: planned, sent or unknown — reconcile settles it).
"""

from __future__ import annotations

import csv
import enum
import os
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from kpadmin.billing.periods import SEOUL
from kpadmin.billing.reports import check_range, day_span
from kpadmin.redact import redact_text
from kpadmin.store import Store
from kpadmin.store.ledger import LedgerLine, ledger
from kpadmin.store.models import ChargeState

__all__ = [
    "EXPORT_COLUMNS",
    "LedgerLine",
    "PaymentFilter",
    "PaymentState",
    "Totals",
    "kst_text",
    "payment_state",
    "payments",
    "totals",
    "write_csv",
    "write_xlsx",
]


class PaymentState(enum.StrEnum):
    PAID = "paid"
    DECLINED = "declined"
    REFUNDED = "refunded"
    PARTLY_REFUNDED = "partly_refunded"
    UNKNOWN = "unknown"


def payment_state(line: LedgerLine) -> PaymentState:
    if line.state is ChargeState.PAID:
        if line.refunded_amount <= 0:
            return PaymentState.PAID
        if line.refunded_amount >= line.paid:
            return PaymentState.REFUNDED
        return PaymentState.PARTLY_REFUNDED
    if line.state in (ChargeState.DECLINED, ChargeState.REJECTED):
        return PaymentState.DECLINED
    return PaymentState.UNKNOWN


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@dataclass(frozen=True, slots=True)
class PaymentFilter:
    """What the view shows: Korean days `start`..`end`, states (None: all), a plan (None: all),
    and a search in name, phone (digits), key id, order id and payment id."""

    start: date
    end: date
    states: frozenset[PaymentState] | None = None
    plan: str | None = None
    search: str = ""

    def matcher(self) -> Callable[[LedgerLine], bool]:
        needle = _fold(self.search.strip())
        digits = _digits(needle) if len(_digits(needle)) >= 3 else ""

        def keep(line: LedgerLine) -> bool:
            if self.states is not None and payment_state(line) not in self.states:
                return False
            if self.plan is not None and line.plan != self.plan:
                return False
            if not needle:
                return True
            hay = _fold(f"{line.name}\n{line.key_id}\n{line.order_id}\n{line.payment_id or ''}")
            return needle in hay or bool(digits and digits in _digits(line.phone))

        return keep


def payments(store: Store, wanted: PaymentFilter) -> list[LedgerLine]:
    """The attempts of the filter's range that it keeps, newest first."""
    check_range(wanted.start, wanted.end)
    keep = wanted.matcher()
    lines = [line for line in ledger(store, day_span(wanted.start, wanted.end)) if keep(line)]
    lines.reverse()
    return lines


@dataclass(frozen=True, slots=True)
class Totals:
    count: int
    paid_count: int
    paid_amount: int
    refunded_amount: int
    declined_count: int
    unknown_count: int

    @property
    def net_amount(self) -> int:
        return self.paid_amount - self.refunded_amount


def totals(lines: Iterable[LedgerLine]) -> Totals:
    count = paid_count = paid = refunded = declined = unknown = 0
    for line in lines:
        count += 1
        state = payment_state(line)
        if line.state is ChargeState.PAID:
            paid_count += 1
            paid += line.paid
            refunded += line.refunded_amount
        elif state is PaymentState.DECLINED:
            declined += 1
        else:
            unknown += 1
    return Totals(count, paid_count, paid, refunded, declined, unknown)


def kst_text(moment: datetime | None) -> str:
    """An instant as Korean time, as every export writes it: ``2026-12-07 08:37:00`` (KST)."""
    if moment is None:
        return ""
    return moment.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M:%S")


#: The exports' columns: (key, English header). The GUI passes headers in the UI language.
EXPORT_COLUMNS: Final = (
    ("at", "time (KST)"),
    ("state", "state"),
    ("name", "name"),
    ("phone", "phone"),
    ("plan", "plan"),
    ("period", "period"),
    ("amount", "amount"),
    ("paid_amount", "paid amount"),
    ("refunded_amount", "refunded amount"),
    ("net_amount", "net amount"),
    ("order_id", "merchant_uid"),
    ("payment_id", "imp_uid"),
    ("key_id", "customer_uid"),
    ("fail_reason", "decline reason"),
    ("staff", "staff"),
)


def export_row(line: LedgerLine, state_label: Callable[[PaymentState], str] = str) -> list[object]:
    state = payment_state(line)
    values: dict[str, object] = {
        "at": kst_text(line.at),
        "state": state_label(state),
        "name": line.name,
        "phone": line.phone,
        "plan": line.plan,
        "period": line.period,
        "amount": line.amount,
        "paid_amount": line.paid if line.state is ChargeState.PAID else "",
        "refunded_amount": line.refunded_amount if line.state is ChargeState.PAID else "",
        "net_amount": line.paid - line.refunded_amount if line.state is ChargeState.PAID else "",
        "order_id": line.order_id,
        "payment_id": line.payment_id or "",
        "key_id": line.key_id,
        "fail_reason": redact_text(line.fail_reason) if line.fail_reason else "",
        "staff": line.staff,
    }
    return [values[key] for key, _ in EXPORT_COLUMNS]


_INJECTION_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _defuse(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading ``'``; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_INJECTION_STARTS):
        return "'" + value
    return value


def _private_file(path: Path) -> Path:
    """A temp file beside `path`, owner-only from the first byte (names and phone numbers)."""
    tmp = path.with_name(f".{path.name}.tmp")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    return tmp


def write_csv(
    path: Path,
    lines: Sequence[LedgerLine],
    *,
    headers: Sequence[str] | None = None,
    state_label: Callable[[PaymentState], str] = str,
) -> int:
    """UTF-8 with a BOM (Excel reads Korean), CRLF, formula cells defused; returns rows."""
    tmp = _private_file(path)
    try:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(headers or [h for _, h in EXPORT_COLUMNS])
            for line in lines:
                writer.writerow([_defuse(v) for v in export_row(line, state_label)])
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return len(lines)


def write_xlsx(
    path: Path,
    lines: Sequence[LedgerLine],
    *,
    headers: Sequence[str] | None = None,
    state_label: Callable[[PaymentState], str] = str,
    sheet_title: str = "payments",
) -> int:
    """An Excel workbook: one sheet, a bold frozen header, amounts as numbers (#,##0), text cells
    as text (never a formula); returns rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    sheet: Any = book.active
    sheet.title = sheet_title[:31]
    sheet.append(list(headers or [h for _, h in EXPORT_COLUMNS]))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    money = {i + 1 for i, (k, _) in enumerate(EXPORT_COLUMNS) if k.endswith("amount")}
    for line in lines:
        sheet.append([_defuse(v) for v in export_row(line, state_label)])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.column in money and isinstance(cell.value, int):
                cell.number_format = "#,##0"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    sheet.freeze_panes = "A2"
    for i, (key, _) in enumerate(EXPORT_COLUMNS):
        letter = sheet.cell(row=1, column=i + 1).column_letter
        sheet.column_dimensions[letter].width = {"at": 20, "name": 14, "order_id": 34}.get(key, 14)
    tmp = _private_file(path)
    try:
        book.save(tmp)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return len(lines)
