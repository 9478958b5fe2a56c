"""The exports: subscribers and charges, UTF-8 with a BOM, CSV injection defused, every time in
Korean time (ISO 8601 with its +09:00 offset: what staff read, and still exact for a program)."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from kpadmin.billing.csvio.columns import (
    _INJECTION_STARTS,
    CHARGE_EXPORT_COLUMNS,
    SUBSCRIBER_EXPORT_COLUMNS,
)
from kpadmin.billing.periods import SEOUL
from kpadmin.redact import redact_text
from kpadmin.store import Store
from kpadmin.store.models import Charge

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
    if isinstance(value, datetime):  # stored in UTC; exported as Korean time (+09:00)
        return value.astimezone(SEOUL).isoformat()
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
