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

from kpadmin.billing import fields, import_formats, import_preview
from kpadmin.billing.csvio.columns import (
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
from kpadmin.billing.messages import Message, MessageCode


class CsvFileError(ValueError):
    """The file as a whole cannot be imported (encoding, header, empty, not a CSV). ``str()`` is
    the English; ``note`` the `Message` the GUI says in the UI language."""

    def __init__(self, note: Message | str) -> None:
        self.note = note if isinstance(note, Message) else None
        super().__init__(note.english() if isinstance(note, Message) else note)

    @classmethod
    def of(cls, code: MessageCode, **params: object) -> CsvFileError:
        return cls(Message.of(code, **params))


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
    #: Every problem of the row as a `Message` (the GUI says them in the UI language; ``message``
    #: is their English, joined by "; ").
    notes: tuple[Message, ...] = field(default=(), compare=False)

    @classmethod
    def of(
        cls,
        line: int,
        customer_uid: str | None,
        *notes: Message,
        errors: tuple[FieldError, ...] = (),
        past_date_row: ImportRow | None = None,
    ) -> RowProblem:
        message = "; ".join(note.english().rstrip(".") for note in notes)
        return cls(line, customer_uid, message, past_date_row, errors, tuple(notes))

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
        raise _too_large()
    return data


def _too_large() -> CsvFileError:
    return CsvFileError.of(
        MessageCode.CSV_FILE_TOO_LARGE, mb=MAX_FILE_BYTES // 1_000_000, rows=MAX_ROWS
    )


def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with; `CsvFileError` otherwise."""
    if not data.strip():
        raise CsvFileError.of(MessageCode.CSV_FILE_EMPTY)
    if len(data) > MAX_FILE_BYTES:
        raise _too_large()
    if data.startswith(b"PK\x03\x04"):
        raise CsvFileError.of(MessageCode.CSV_FILE_XLSX)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CsvFileError.of(MessageCode.CSV_FILE_UTF16)
    if b"\x00" in data:
        raise CsvFileError.of(MessageCode.CSV_FILE_BINARY)
    if data.startswith(codecs.BOM_UTF8):
        try:
            text, encoding = data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise CsvFileError.of(MessageCode.CSV_FILE_BAD_UTF8, error=str(exc)) from exc
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                # Korean Excel's default "CSV (Comma delimited)" is CP949 (a superset of EUC-KR).
                text, encoding = data.decode("cp949"), "cp949"
            except UnicodeDecodeError:
                raise CsvFileError.of(MessageCode.CSV_FILE_ENCODING) from None
    bad = [ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n"]
    if bad:
        raise CsvFileError.of(MessageCode.CSV_FILE_CONTROL)
    return text, encoding


# --- parsing ----------------------------------------------------------------------------------


def _uninject(value: str) -> str:
    """Undo our export's CSV-injection guard ("'=…" → "=…")."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def _parse_date(
    raw: str, today: date, problems: list[Message]
) -> tuple[date | None, Message | None]:
    """The date (None when empty or unreadable) and, separately, the "in the past" problem: a
    past date may still be fine for a subscriber who has paid that period (`_rescue_spent`)."""
    text = raw.strip()
    if not text:
        return None, None
    try:
        # YYYY-MM-DD, and what Korean Excel writes: 2026.12.06, 2026. 12. 6., 2026/12/06.
        day = import_formats.parse_day(text)
    except import_formats.NotADate:
        problems.append(Message.of(MessageCode.CSV_DATE_FORMAT, raw=repr(raw)))
        return None, None
    except ValueError:
        problems.append(Message.of(MessageCode.CSV_DATE_UNREAL, raw=repr(raw)))
        return None, None
    if day < today:
        return day, Message.of(MessageCode.CSV_DATE_PAST, day=str(day), today=str(today))
    if day > today + timedelta(days=MAX_DAYS_AHEAD):
        problems.append(Message.of(MessageCode.CSV_DATE_AHEAD, day=str(day), days=MAX_DAYS_AHEAD))
    return day, None


def _validate_row(cells: dict[str, str], line: int, today: date) -> ImportRow | RowProblem:
    problems: list[Message] = []
    uid = cells.get("customer_uid", "").strip()
    if not uid:
        problems.append(Message.of(MessageCode.CSV_UID_EMPTY))
    elif len(uid) > 80:
        problems.append(Message.of(MessageCode.CSV_UID_LONG))
    elif not _UID_RE.fullmatch(uid):
        problems.append(Message.of(MessageCode.CSV_UID_CHARS, uid=repr(uid)))
    name = fields.name(cells.get("name", ""))
    phone = fields.phone(cells.get("phone", ""))
    amount = fields.amount(cells.get("amount", ""))
    email = fields.email(cells.get("email", ""))
    plan = fields.plan(cells.get("plan", ""))
    errors = tuple(r for r in (name, phone, amount, email, plan) if isinstance(r, FieldError))
    # The rule's own sentence (its full stop dropped when joined: RowProblem.of).
    problems += [e.note for e in errors]
    next_date, past = _parse_date(cells.get("next_charge_date", ""), today, problems)
    if problems:
        return RowProblem.of(line, uid or None, *problems, *([past] if past else []), errors=errors)
    # No problem means every field passed its rule.
    assert isinstance(name, str) and isinstance(phone, str) and isinstance(amount, int)
    assert isinstance(email, str) and isinstance(plan, str)
    row = ImportRow(line, uid, name, phone, amount, email, plan, next_date)
    if past:
        return RowProblem.of(line, uid, past, past_date_row=row)
    return row


def _read_header(header: list[str], line: int) -> tuple[list[str], list[str]]:
    """Normalized column names (empty names allowed, checked per row) and the ignored ones.

    Linear in the number of columns (one pass, a Counter and sets); the column count is bounded
    before anything else looks at the names.
    """
    if len(header) > MAX_COLUMNS:
        raise CsvFileError.of(
            MessageCode.CSV_HEADER_TOO_WIDE,
            line=line,
            count=len(header),
            most=MAX_COLUMNS,
            expected=_expected_columns(),
        )
    # English column names, or the Korean headers of the app's Korean export (import_formats).
    names = [import_formats.column_key(_uninject(h)) for h in header]
    if len(names) == 1 and (";" in names[0] or "\t" in names[0]):
        raise CsvFileError.of(MessageCode.CSV_HEADER_NOT_COMMAS, line=line)
    present = [n for n in names if n]
    duplicates = sorted(n for n, count in Counter(present).items() if count > 1)
    if duplicates:
        raise CsvFileError.of(
            MessageCode.CSV_HEADER_REPEATS, line=line, columns=_listed(duplicates)
        )
    name_set = set(names)
    missing = [c for c in REQUIRED_COLUMNS if c not in name_set]
    known = {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS}
    unknown = [n for n in present if n not in known and n not in IGNORED_COLUMNS]
    if missing or unknown:
        code = (
            MessageCode.CSV_HEADER_MISSING_UNKNOWN
            if missing and unknown
            else MessageCode.CSV_HEADER_MISSING
            if missing
            else MessageCode.CSV_HEADER_UNKNOWN
        )
        raise CsvFileError.of(
            code,
            line=line,
            missing=", ".join(missing),
            unknown=_listed(unknown),
            expected=_expected_columns(),
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
                raise CsvFileError.of(MessageCode.CSV_FILE_TOO_MANY_ROWS, line=line, rows=MAX_ROWS)
            if len(record) > MAX_COLUMNS:
                problems.append(
                    RowProblem.of(
                        line,
                        None,
                        Message.of(
                            MessageCode.CSV_TOO_MANY_FIELDS, count=len(record), most=MAX_COLUMNS
                        ),
                    )
                )
                continue
            extra = record[len(names) :]
            if len(record) < len(names) or any(cell.strip() for cell in extra):
                problems.append(
                    RowProblem.of(
                        line,
                        None,
                        Message.of(
                            MessageCode.CSV_FIELD_COUNT, count=len(record), header=len(names)
                        ),
                    )
                )
                continue
            cells: dict[str, str] = {}
            for index, (name, cell) in enumerate(zip(names, record, strict=False)):
                value = _uninject(cell)
                if not name:
                    if value.strip():
                        problems.append(
                            RowProblem.of(
                                line,
                                None,
                                Message.of(MessageCode.CSV_NAMELESS_COLUMN, index=index + 1),
                            )
                        )
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
        raise CsvFileError.of(
            MessageCode.CSV_FILE_MALFORMED, line=reader.line_num, error=str(exc)
        ) from exc
    if names is None:
        raise CsvFileError.of(MessageCode.CSV_FILE_NO_HEADER)
    if not rows and not problems:
        raise CsvFileError.of(MessageCode.CSV_FILE_NO_ROWS)
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
                RowProblem.of(
                    row.line, row.customer_uid, Message.of(MessageCode.CSV_DUPLICATE, lines=others)
                )
            )
        else:
            kept.append(row)
    return kept, problems
