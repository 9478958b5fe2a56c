"""Reading an import file: decoding, the header, every row checked (problems by line number)."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from kpadmin.billing import fields
from kpadmin.billing.csvio.columns import (
    _DATE_RE,
    _LISTED_COLUMNS,
    _UID_RE,
    IGNORED_COLUMNS,
    MAX_COLUMNS,
    MAX_DAYS_AHEAD,
    MAX_FILE_BYTES,
    MAX_ROWS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
)
from kpadmin.billing.fields import FieldError


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
    if not _DATE_RE.fullmatch(text):
        problems.append(f"next_charge_date {raw!r} must be YYYY-MM-DD")
        return None, ""
    try:
        day = date.fromisoformat(text)
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
    names = [_uninject(h).strip().lower().lstrip("\ufeff") for h in header]
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
    return ParsedCsv(rows, problems, encoding, ignored, "next_charge_date" in names)


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
