"""The import's preview: what each row of a file would do before anything is written — new,
changed (old → new per field), unchanged, bad — and the guards on what it may change.

* A column absent from the file never changes that field: a file of only the four required
  columns leaves e-mail and plan (and the schedule) as they are. A column present with an empty
  cell does clear an optional field (that is what the file says).
* An amount change above `LARGE_FACTOR` × the old amount, below old / `LARGE_FACTOR`, or by more
  than `LARGE_STEP` won is a **large change**: an extra zero typed in Excel reaches a card next
  month. It is a bad row unless staff confirm (`kpadmin import --allow-large-changes`, the GUI's
  confirmation).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Final

from kpadmin.redact import mask_email, mask_phone

#: An amount multiplied (or divided) by more than this is a large change.
LARGE_FACTOR: Final = 3
#: An amount moved by more than this many won is a large change.
LARGE_STEP: Final = 1_000_000
#: Fields a file's columns may change, in the order a preview lists them.
FIELDS: Final = ("name", "phone", "email", "plan", "amount", "next_charge_date", "billing_day")
#: The column that carries each field (the billing day follows the next charge date).
COLUMN_OF: Final = {
    "name": "name",
    "phone": "phone",
    "email": "email",
    "plan": "plan",
    "amount": "amount",
    "next_charge_date": "next_charge_date",
    "billing_day": "next_charge_date",
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any

    def masked(self) -> tuple[str, str]:
        """Old and new as a preview or the audit shows them (phone and e-mail masked)."""
        return _shown(self.field, self.old), _shown(self.field, self.new)


def _shown(field: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if field == "phone":
        return mask_phone(str(value))
    if field == "email":
        return mask_email(str(value))
    if field == "amount":
        return f"₩{int(value):,}"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def only_present(wanted: Mapping[str, Any], columns: Collection[str]) -> dict[str, Any]:
    """The wanted values of the fields whose column the file has."""
    return {k: v for k, v in wanted.items() if COLUMN_OF.get(k, k) in columns}


def changes_of(stored: Any, wanted: Mapping[str, Any]) -> list[FieldChange]:
    """The fields whose wanted value differs from the stored subscriber's, in `FIELDS` order."""
    return [
        FieldChange(k, getattr(stored, k), wanted[k])
        for k in FIELDS
        if k in wanted and getattr(stored, k) != wanted[k]
    ]


def is_large_change(old: int, new: int) -> bool:
    """An amount change that needs confirmation (see the module docstring)."""
    if old <= 0 or new <= 0:
        return True
    return new > old * LARGE_FACTOR or old > new * LARGE_FACTOR or abs(new - old) > LARGE_STEP


def large_amount_change(changes: list[FieldChange]) -> FieldChange | None:
    for change in changes:
        if change.field == "amount" and is_large_change(int(change.old), int(change.new)):
            return change
    return None


def describe(changes: list[FieldChange]) -> str:
    """``amount: ₩9,900 → ₩29,000; plan: Basic → Pro`` (phone and e-mail masked)."""
    parts = []
    for change in changes:
        old, new = change.masked()
        parts.append(f"{change.field}: {old} → {new}")
    return "; ".join(parts)
