"""CSV import of subscribers (migrations, bulk sign-ups) and CSV export of subscribers and charges.

Import is careful because it decides who gets charged and how much:

1. `parse_import_csv` decodes the bytes (UTF-8 with or without BOM, else CP949 — what Korean Excel
   writes by default), checks the header and validates every row, collecting problems by line
   number instead of stopping at the first. Name, phone, e-mail, amount and plan follow the one
   rule set sign-up and the edit dialog use too (`kpadmin.billing.fields`: a mobile number, a name
   of at most 50 characters …); `RowProblem.errors` carries their codes and parameters.

The file's columns keep PortOne's own word for the billing key's id, ``customer_uid``: merchants
export and prepare these files next to the PortOne console, where that is its name. (Inside
kpadmin's billing code the same value is a gateway ``key_id``; `kpadmin.billing.gateway`.)
2. `import_subscribers` asks the gateway for every billing key (`Gateway.get_keys`, in chunks); a
   row whose key does not exist is a bad row too. Then, unless ``dry_run``, it applies everything
   in **one** transaction, and only when there are no bad rows or ``skip_bad`` was given.
3. Re-importing the same file changes nothing: an existing customer_uid whose values are the same is
   "unchanged". One whose values differ is updated (name, phone, email, plan, amount, and the next
   charge date only when the file has one); its state is never touched. A file's next_charge_date
   that falls in a period the subscriber has already paid is **spent**: that charge happened, and
   the journal moved the date on (it is not a change, and a date in a paid period cannot be the
   next charge). So the same file imported again after a charge — the same day or months later,
   when its dates lie in the past — leaves the schedule where the charges put it
   (``ImportReport.dates_spent`` names those rows). A past date is still a bad row for a new
   subscriber, or for one that has not paid that period.

Export writes UTF-8 with a BOM (so Excel shows Korean correctly) and defuses CSV injection: a cell
starting with ``= + - @`` (or tab / CR) gets a leading ``'``. Import strips that prefix again, so an
export can be re-imported unchanged. The charges export carries ``paid_amount`` (what i'mport
charged) next to ``amount`` (what was asked), and its ``fail_reason`` is redacted like the logs.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from kpadmin.billing import fields, import_formats, import_preview
from kpadmin.billing.fields import FieldError
from kpadmin.billing.gateway import BillingKey, Gateway
from kpadmin.billing.periods import first_charge_date, period_of
from kpadmin.redact import mask_email, mask_phone, redact_text
from kpadmin.store import NewSubscriber, Store
from kpadmin.store.models import Charge, SignupChannel, Subscriber

REQUIRED_COLUMNS: Final = ("customer_uid", "name", "phone", "amount")
OPTIONAL_COLUMNS: Final = ("email", "plan", "next_charge_date")
SUBSCRIBER_EXPORT_COLUMNS: Final = (
    *REQUIRED_COLUMNS,
    *OPTIONAL_COLUMNS,
    "billing_day",
    "state",
    "card_name",
    "card_number",
    "channel",
    "memo",
    "created_at",
    "updated_at",
)
#: Columns our own export writes that import accepts and ignores (state etc. are not imported).
IGNORED_COLUMNS: Final = frozenset(SUBSCRIBER_EXPORT_COLUMNS) - {
    *REQUIRED_COLUMNS,
    *OPTIONAL_COLUMNS,
}
CHARGE_EXPORT_COLUMNS: Final = (
    "merchant_uid",
    "customer_uid",
    "subscriber_name",
    "period",
    "attempt",
    "amount",
    "paid_amount",
    "state",
    "imp_uid",
    "fail_reason",
    "paid_at",
    "cancelled_amount",
    "receipt_url",
    "batch_id",
    "created_at",
    "updated_at",
)

#: Highest amount a row may carry (whole KRW). A typo with extra zeros must not reach a card.
MAX_AMOUNT: Final = fields.AMOUNT_MAX
#: A subscriber file of 200,000 rows is about 20 MB; anything much larger is not one.
MAX_FILE_BYTES: Final = 50_000_000
MAX_ROWS: Final = 200_000
#: Fields a line may have: our export writes 15; Excel adds a few empty trailing ones. A header of
#: thousands of columns is not a subscriber file, and it is refused before any per-column work.
MAX_COLUMNS: Final = 100
#: Column names quoted back in a header message (the rest are counted).
_LISTED_COLUMNS: Final = 10
#: How far ahead a next_charge_date may be (a monthly subscription).
MAX_DAYS_AHEAD: Final = 400
#: customer_uids handed to the client's multi-get at a time (the client splits them further into
#: URL-sized requests).
VERIFY_CHUNK: Final = 500

_UID_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@:-]{0,79}")
_INJECTION_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


class CsvFileError(ValueError):
    """The file as a whole cannot be imported (encoding, header, empty, not a CSV)."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int  # 1-based physical line where the record starts
    customer_uid: str | None
    message: str
    #: The row as it would be, when its only problem is a next_charge_date in the past: the
    #: import takes it after all if that date is spent (the subscriber paid that period).
    past_date_row: ImportRow | None = field(default=None, compare=False, repr=False)
    #: The shared field rules' errors among the problems (codes and parameters, for the GUI).
    errors: tuple[FieldError, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        uid = f" ({self.customer_uid})" if self.customer_uid else ""
        return f"line {self.line}{uid}: {self.message}"


@dataclass(frozen=True, slots=True)
class ImportRow:
    line: int
    customer_uid: str
    name: str
    phone: str
    amount: int
    email: str = ""
    plan: str = ""
    next_charge_date: date | None = None


@dataclass(slots=True)
class ParsedCsv:
    rows: list[ImportRow]
    problems: list[RowProblem]
    encoding: str
    ignored_columns: list[str] = field(default_factory=list)
    has_next_charge_date: bool = False
    #: The columns the file has: a field whose column is absent is never changed.
    columns: frozenset[str] = frozenset()


@dataclass(slots=True)
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    encoding: str
    rows: int = 0
    added: list[str] = field(default_factory=list)  # customer_uids
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    applied: bool = False  # False: nothing was written (dry run, or bad rows without skip_bad)
    #: customer_uids whose next_charge_date in the file is in a period already paid: the date
    #: is kept as the charges moved it (see the module docstring).
    dates_spent: list[str] = field(default_factory=list)
    #: The preview: per updated customer_uid, old → new of each field it changes
    #: (`import_preview`); the new rows as the file gives them.
    changes: dict[str, list[import_preview.FieldChange]] = field(default_factory=dict)
    new_rows: list[ImportRow] = field(default_factory=list)
    #: customer_uids whose amount change needs confirmation (`import_preview.is_large_change`):
    #: bad rows unless the import allows large changes, then updated like the rest.
    large_changes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- decoding ---------------------------------------------------------------------------------


def read_import_file(path: Path) -> bytes:
    """The bytes of a CSV file to import, read only up to the size limit (a 10 GB file picked by
    mistake is refused after ``MAX_FILE_BYTES``, not read into memory). OSError propagates."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise CsvFileError(_too_large())
    return data


def _too_large() -> str:
    return (
        f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB; a subscriber file of "
        f"{MAX_ROWS:,} rows is far smaller. Split it"
    )


def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with; `CsvFileError` otherwise."""
    if not data.strip():
        raise CsvFileError("the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise CsvFileError(_too_large())
    if data.startswith(b"PK\x03\x04"):
        raise CsvFileError(
            "this is an Excel workbook (.xlsx), not a CSV file; in Excel use "
            "File > Save As > 'CSV UTF-8 (Comma delimited)'"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CsvFileError("the file is UTF-16 text; save it as 'CSV UTF-8 (Comma delimited)'")
    if b"\x00" in data:
        raise CsvFileError("the file contains binary data; it is not a CSV text file")
    if data.startswith(codecs.BOM_UTF8):
        try:
            text, encoding = data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise CsvFileError(
                f"the file starts like UTF-8 but is not valid UTF-8 ({exc})"
            ) from exc
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                # Korean Excel's default "CSV (Comma delimited)" is CP949 (a superset of EUC-KR).
                text, encoding = data.decode("cp949"), "cp949"
            except UnicodeDecodeError:
                raise CsvFileError(
                    "the file is neither UTF-8 nor CP949 (EUC-KR) text; "
                    "save it as 'CSV UTF-8 (Comma delimited)'"
                ) from None
    bad = [ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n"]
    if bad:
        raise CsvFileError("the file contains control characters; it is not a CSV text file")
    return text, encoding


# --- parsing ----------------------------------------------------------------------------------


def _uninject(value: str) -> str:
    """Undo our export's CSV-injection guard ("'=…" → "=…")."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def _parse_date(raw: str, today: date, problems: list[str]) -> tuple[date | None, str]:
    """The date (None when empty or unreadable) and, separately, the "in the past" problem: a
    past date may still be fine for a subscriber who has paid that period (`_rescue_spent`)."""
    text = raw.strip()
    if not text:
        return None, ""
    try:
        # YYYY-MM-DD, and what Korean Excel writes: 2026.12.06, 2026. 12. 6., 2026/12/06.
        day = import_formats.parse_day(text)
    except import_formats.NotADate:
        problems.append(f"next_charge_date {raw!r} must be a date like 2026-12-06 or 2026.12.06")
        return None, ""
    except ValueError:
        problems.append(f"next_charge_date {raw!r} is not a real date")
        return None, ""
    if day < today:
        return day, f"next_charge_date {day} is in the past (today is {today} in Seoul)"
    if day > today + timedelta(days=MAX_DAYS_AHEAD):
        problems.append(f"next_charge_date {day} is more than {MAX_DAYS_AHEAD} days ahead")
    return day, ""


def _validate_row(cells: dict[str, str], line: int, today: date) -> ImportRow | RowProblem:
    problems: list[str] = []
    uid = cells.get("customer_uid", "").strip()
    if not uid:
        problems.append("customer_uid is empty")
    elif len(uid) > 80:
        problems.append("customer_uid is longer than 80 characters")
    elif not _UID_RE.fullmatch(uid):
        problems.append(
            f"customer_uid {uid!r} may only contain letters, digits and _ . @ : - "
            "(starting with a letter or digit)"
        )
    name = fields.name(cells.get("name", ""))
    phone = fields.phone(cells.get("phone", ""))
    amount = fields.amount(cells.get("amount", ""))
    email = fields.email(cells.get("email", ""))
    plan = fields.plan(cells.get("plan", ""))
    errors = tuple(r for r in (name, phone, amount, email, plan) if isinstance(r, FieldError))
    # The rule's own sentence, without its full stop: a row's problems are joined by "; ".
    problems += [e.message.rstrip(".") for e in errors]
    next_date, past = _parse_date(cells.get("next_charge_date", ""), today, problems)
    if problems:
        return RowProblem(
            line, uid or None, "; ".join([*problems, past] if past else problems), errors=errors
        )
    # No problem means every field passed its rule.
    assert isinstance(name, str) and isinstance(phone, str) and isinstance(amount, int)
    assert isinstance(email, str) and isinstance(plan, str)
    row = ImportRow(line, uid, name, phone, amount, email, plan, next_date)
    if past:
        return RowProblem(line, uid, past, past_date_row=row)
    return row


def _read_header(header: list[str], line: int) -> tuple[list[str], list[str]]:
    """Normalized column names (empty names allowed, checked per row) and the ignored ones.

    Linear in the number of columns (one pass, a Counter and sets); the column count is bounded
    before anything else looks at the names.
    """
    if len(header) > MAX_COLUMNS:
        raise CsvFileError(
            f"line {line}: the header has {len(header):,} columns; a subscriber file has at "
            f"most {MAX_COLUMNS} (expected {_expected_columns()})"
        )
    # English column names, or the Korean headers of the app's Korean export (import_formats).
    names = [import_formats.column_key(_uninject(h)) for h in header]
    if len(names) == 1 and (";" in names[0] or "\t" in names[0]):
        raise CsvFileError(
            f"line {line}: the header is not comma-separated; save the file as CSV with commas"
        )
    present = [n for n in names if n]
    duplicates = sorted(n for n, count in Counter(present).items() if count > 1)
    if duplicates:
        raise CsvFileError(f"line {line}: the header repeats column(s): {_listed(duplicates)}")
    name_set = set(names)
    missing = [c for c in REQUIRED_COLUMNS if c not in name_set]
    known = {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS}
    unknown = [n for n in present if n not in known and n not in IGNORED_COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing required column(s): {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s): {_listed(unknown)}")
        raise CsvFileError(
            f"line {line}: bad header: {'; '.join(parts)}. Expected {_expected_columns()}"
        )
    return names, [n for n in present if n in IGNORED_COLUMNS]


def _expected_columns() -> str:
    return f"{','.join(REQUIRED_COLUMNS)} and optionally {', '.join(OPTIONAL_COLUMNS)}"


def _listed(names: Sequence[str]) -> str:
    """A few names, each cut short, and a count of the rest: a message stays one line."""
    shown = [n if len(n) <= 40 else n[:39] + "…" for n in names[:_LISTED_COLUMNS]]
    rest = len(names) - len(shown)
    return ", ".join(shown) + (f" and {rest:,} more" if rest else "")


def parse_import_csv(data: bytes, *, today: date) -> ParsedCsv:
    """Decode and validate a subscriber CSV. File-level problems raise `CsvFileError`; row-level
    ones (including duplicate customer_uids) are collected in ``problems``."""
    text, encoding = decode_csv_bytes(data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[ImportRow] = []
    problems: list[RowProblem] = []
    names: list[str] | None = None
    ignored: list[str] = []
    previous_end = 0
    try:
        for record in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # blank line
            if names is None:
                names, ignored = _read_header(record, line)
                continue
            if len(rows) + len(problems) >= MAX_ROWS:
                raise CsvFileError(
                    f"line {line}: the file has more than {MAX_ROWS:,} rows; split it"
                )
            if len(record) > MAX_COLUMNS:
                problems.append(
                    RowProblem(
                        line,
                        None,
                        f"has {len(record):,} fields; a line has at most {MAX_COLUMNS}",
                    )
                )
                continue
            extra = record[len(names) :]
            if len(record) < len(names) or any(cell.strip() for cell in extra):
                problems.append(
                    RowProblem(
                        line, None, f"has {len(record)} fields but the header has {len(names)}"
                    )
                )
                continue
            cells: dict[str, str] = {}
            for index, (name, cell) in enumerate(zip(names, record, strict=False)):
                value = _uninject(cell)
                if not name:
                    if value.strip():
                        problems.append(RowProblem(line, None, f"column {index + 1} has no name"))
                    continue
                cells[name] = value
            if len(cells) < len(REQUIRED_COLUMNS):  # an unnamed column held data
                continue
            result = _validate_row(cells, line, today)
            if isinstance(result, ImportRow):
                rows.append(result)
            else:
                problems.append(result)
    except csv.Error as exc:
        raise CsvFileError(f"line {reader.line_num}: the CSV is malformed ({exc})") from exc
    if names is None:
        raise CsvFileError("the file has no header line")
    if not rows and not problems:
        raise CsvFileError("the file has a header but no rows")
    rows, problems = _flag_duplicates(rows, problems)
    problems.sort(key=lambda p: p.line)
    return ParsedCsv(
        rows,
        problems,
        encoding,
        ignored,
        "next_charge_date" in names,
        frozenset(n for n in names if n),
    )


def _flag_duplicates(
    rows: list[ImportRow], problems: list[RowProblem]
) -> tuple[list[ImportRow], list[RowProblem]]:
    """Every row of a customer_uid that appears more than once is bad: which one is right?"""
    lines: dict[str, list[int]] = {}
    for row in rows:
        lines.setdefault(row.customer_uid, []).append(row.line)
    for problem in problems:
        if problem.customer_uid:
            lines.setdefault(problem.customer_uid, []).append(problem.line)
    dupes = {uid: sorted(ls) for uid, ls in lines.items() if len(ls) > 1}
    if not dupes:
        return rows, problems
    # A duplicated row is bad whatever its date: it can never be taken after all.
    problems = [
        replace(p, past_date_row=None) if p.customer_uid in dupes and p.past_date_row else p
        for p in problems
    ]
    kept: list[ImportRow] = []
    for row in rows:
        if row.customer_uid in dupes:
            others = ", ".join(str(n) for n in dupes[row.customer_uid] if n != row.line)
            problems.append(
                RowProblem(
                    row.line, row.customer_uid, f"duplicate customer_uid (also on line {others})"
                )
            )
        else:
            kept.append(row)
    return kept, problems


# --- importing --------------------------------------------------------------------------------


async def verify_keys(
    gateway: Gateway, uids: Sequence[str], *, chunk: int = VERIFY_CHUNK
) -> tuple[dict[str, BillingKey], set[str]]:
    """Look every billing key up with the multi-get, ``chunk`` at a time: (found, missing)."""
    found: dict[str, BillingKey] = {}
    missing: set[str] = set()
    for start in range(0, len(uids), chunk):
        part = list(uids[start : start + chunk])
        result = await gateway.get_keys(part)
        for key in result.found:
            found[key.key_id] = key
        missing.update(result.missing)
        # Anything the API neither found nor reported missing is treated as missing: no key
        # we could not see gets imported as chargeable.
        missing.update(uid for uid in part if uid not in found)
    return found, missing


def _spent(day: date | None, paid_through: str | None) -> bool:
    """A next_charge_date in a period already paid: that charge happened; not a date to set."""
    return day is not None and paid_through is not None and period_of(day) <= paid_through


def _changes(
    existing: Subscriber,
    row: ImportRow,
    has_dates: bool,
    paid_through: str | None,
    columns: frozenset[str] | None = None,
) -> dict[str, Any]:
    wanted: dict[str, Any] = {
        "name": row.name,
        "phone": row.phone,
        "email": row.email,
        "plan": row.plan,
        "amount": row.amount,
    }
    day = row.next_charge_date
    if has_dates and day is not None and not _spent(day, paid_through):
        wanted["next_charge_date"] = day
        wanted["billing_day"] = day.day
    if columns is not None:  # a column absent from the file never changes its field
        wanted = import_preview.only_present(wanted, columns)
    return {k: v for k, v in wanted.items() if getattr(existing, k) != v}


def _rescue_spent(store: Store, parsed: ParsedCsv) -> None:
    """Rows whose only problem is a past next_charge_date are fine after all when that date is
    spent: an existing subscriber who has paid that period (the same file imported again after
    its dates passed). They move from the problems to the rows."""
    candidates = [p for p in parsed.problems if p.past_date_row is not None]
    if not candidates:
        return
    subscribers = store.subscribers
    existing = {
        p.line: sub
        for p in candidates
        if p.customer_uid and (sub := subscribers.get_by_uid(p.customer_uid)) is not None
    }
    paid = store.charges.paid_through(s.id for s in existing.values())
    kept: list[RowProblem] = []
    for problem in parsed.problems:
        row = problem.past_date_row
        sub = existing.get(problem.line)
        if row is not None and sub is not None and _spent(row.next_charge_date, paid.get(sub.id)):
            parsed.rows.append(row)
        else:
            kept.append(problem)
    parsed.problems = kept
    parsed.rows.sort(key=lambda r: r.line)


async def import_subscribers(
    store: Store,
    gateway: Gateway,
    data: bytes,
    *,
    today: date,
    staff: str,
    skip_bad: bool = False,
    dry_run: bool = False,
    allow_large_changes: bool = False,
    now: datetime | None = None,
) -> ImportReport:
    """Validate ``data``, verify the keys, and apply it in one transaction (see module doc).
    ``today`` (Asia/Seoul) judges the dates; ``now`` stamps the rows (default: the process's clock).

    Raises `CsvFileError` for file-level problems; the gateway's errors from the key check
    propagate (nothing has been written by then).
    """
    parsed = parse_import_csv(data, today=today)
    _rescue_spent(store, parsed)
    report = ImportReport(
        encoding=parsed.encoding,
        rows=len(parsed.rows) + len(parsed.problems),
        problems=list(parsed.problems),
        ignored_columns=parsed.ignored_columns,
        dry_run=dry_run,
    )
    keys, missing = await verify_keys(gateway, [r.customer_uid for r in parsed.rows])
    good: list[ImportRow] = []
    for row in parsed.rows:
        if row.customer_uid in missing or row.customer_uid not in keys:
            report.problems.append(
                RowProblem(
                    row.line, row.customer_uid, "i'mport has no billing key for this customer_uid"
                )
            )
        else:
            good.append(row)
    report.problems.sort(key=lambda p: p.line)

    def plan() -> tuple[list[tuple[ImportRow, NewSubscriber]], list[_Update]]:
        return _plan(
            store,
            good,
            keys,
            report,
            today=today,
            has_dates=parsed.has_next_charge_date,
            columns=parsed.columns,
            allow_large_changes=allow_large_changes,
        )

    if dry_run:
        plan()
        return report
    # Plan and write under one write lock, so a sign-up in the GUI between our reads and our
    # writes cannot make the plan stale.
    with store.transaction():
        new, updates = plan()
        if (report.problems and not skip_bad) or not (new or updates):
            return report
        _apply(store, new, updates, report, staff=staff, now=now or store.clock())
    report.applied = True
    return report


_Update = tuple[Subscriber, ImportRow, dict[str, Any]]


def _plan(
    store: Store,
    good: list[ImportRow],
    keys: dict[str, BillingKey],
    report: ImportReport,
    *,
    today: date,
    has_dates: bool,
    columns: frozenset[str] | None = None,
    allow_large_changes: bool = False,
) -> tuple[list[tuple[ImportRow, NewSubscriber]], list[_Update]]:
    """Sort the verified rows into new / updated / unchanged (filling ``report``)."""
    subscribers = store.subscribers
    charges = store.charges
    in_doubt = {charge.subscriber_id for charge in charges.in_doubt()}
    found = {row.customer_uid: subscribers.get_by_uid(row.customer_uid) for row in good}
    paid = charges.paid_through(s.id for s in found.values() if s is not None)
    new: list[tuple[ImportRow, NewSubscriber]] = []
    updates: list[_Update] = []
    for row in good:
        existing = found[row.customer_uid]
        if existing is None:
            key = keys[row.customer_uid]
            first = row.next_charge_date or first_charge_date(today)
            new.append(
                (
                    row,
                    NewSubscriber(
                        customer_uid=row.customer_uid,
                        name=row.name,
                        amount=row.amount,
                        billing_day=first.day if row.next_charge_date else today.day,
                        next_charge_date=first,
                        phone=row.phone,
                        email=row.email,
                        plan=row.plan,
                        card_name=key.card_label,
                        card_number=key.card_number,
                        channel=SignupChannel.IMPORT,
                    ),
                )
            )
            report.added.append(row.customer_uid)
            report.new_rows.append(row)
            continue
        paid_through = paid.get(existing.id)
        if has_dates and _spent(row.next_charge_date, paid_through):
            report.dates_spent.append(row.customer_uid)
        changes = _changes(existing, row, has_dates, paid_through, columns)
        listed = import_preview.changes_of(existing, changes)
        large = import_preview.large_amount_change(listed)
        if not changes:
            report.unchanged.append(row.customer_uid)
        elif existing.id in in_doubt:
            # Changing the amount or date under a charge whose outcome is not known yet would
            # make the journal and the subscriber disagree; settle it first.
            report.problems.append(
                RowProblem(
                    row.line,
                    row.customer_uid,
                    "this subscriber has a charge in flight or with an unknown outcome; "
                    "run `kpadmin reconcile` first",
                )
            )
        elif large is not None and not allow_large_changes:
            old_amount, new_amount = large.masked()
            report.large_changes.append(row.customer_uid)
            report.changes[row.customer_uid] = listed
            report.problems.append(
                RowProblem(
                    row.line,
                    row.customer_uid,
                    f"amount {old_amount} → {new_amount} is a large change (more than "
                    f"{import_preview.LARGE_FACTOR}× or ₩{import_preview.LARGE_STEP:,}); check "
                    "it, then import with --allow-large-changes",
                )
            )
        else:
            updates.append((existing, row, changes))
            report.updated.append(row.customer_uid)
            report.changes[row.customer_uid] = listed
            if large is not None:
                report.large_changes.append(row.customer_uid)
    report.problems.sort(key=lambda p: p.line)
    return new, updates


def _describe(existing: Subscriber, changes: dict[str, Any]) -> str:
    parts = []
    for key in sorted(changes):
        old, new = getattr(existing, key), changes[key]
        if key == "phone":
            old, new = mask_phone(old), mask_phone(new)
        elif key == "email":
            old, new = mask_email(old), mask_email(new)
        parts.append(f"{key}: {old} → {new}")
    return "CSV import changed " + "; ".join(parts)


def _apply(
    store: Store,
    new: list[tuple[ImportRow, NewSubscriber]],
    updates: list[_Update],
    report: ImportReport,
    *,
    staff: str,
    now: datetime,
) -> None:
    """Write the plan; the caller holds the transaction."""
    subscribers = store.subscribers
    audit = store.audit
    for existing, _row, changes in updates:
        subscribers.update(existing.id, now=now, **changes)
        audit.record(
            staff,
            "import_update",
            _describe(existing, changes),
            subscriber_id=existing.id,
            at=now,
        )
    # add_many joins this transaction (a nested Store.transaction() joins the open one).
    ids = subscribers.add_many([n for _, n in new], now=now) if new else []
    for (row, _n), sub_id in zip(new, ids, strict=True):
        audit.record(
            staff, "import", f"imported from CSV line {row.line}", subscriber_id=sub_id, at=now
        )
    audit.record(
        staff,
        "import_file",
        f"CSV import: {len(new)} added, {len(updates)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.problems)} bad rows skipped",
        at=now,
    )


# --- exporting --------------------------------------------------------------------------------


def defuse(value: object) -> str:
    """A cell's text with a leading ``'`` when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_INJECTION_STARTS) else text


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write atomically-enough for an export (temp file then rename); returns the row count."""
    tmp = path.with_name(f".{path.name}.tmp")
    count = 0
    try:
        # Owner-only from the first byte: the file holds customers' names and phone numbers.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")  # Excel's line ending
            writer.writerow(header)
            for row in rows:
                writer.writerow([defuse(v) for v in row])
                count += 1
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count


def _value(value: object) -> object:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value"):  # StrEnum
        return value.value
    return value


def export_subscribers(store: Store, path: Path) -> int:
    """All subscribers, in the import's column order first (an export re-imports unchanged)."""
    subs = store.subscribers.list_all()
    return _write_csv(
        path,
        SUBSCRIBER_EXPORT_COLUMNS,
        ([_value(getattr(s, c)) for c in SUBSCRIBER_EXPORT_COLUMNS] for s in subs),
    )


def export_charges(store: Store, path: Path) -> int:
    """Every charge attempt (the journal), oldest first, with the subscriber's name."""
    names = {s.id: s.name for s in store.subscribers.list_all()}

    def row(charge: Charge) -> list[object]:
        values: dict[str, object] = {
            "subscriber_name": names.get(charge.subscriber_id, ""),
            # Redacted again on the way out: a row written before the journal redacted, or by
            # an older kpadmin, must not carry a card or phone number into a spreadsheet.
            "fail_reason": redact_text(charge.fail_reason) if charge.fail_reason else "",
        }
        return [
            _value(values[c] if c in values else getattr(charge, c)) for c in CHARGE_EXPORT_COLUMNS
        ]

    return _write_csv(path, CHARGE_EXPORT_COLUMNS, map(row, store.charges.iter_all()))
