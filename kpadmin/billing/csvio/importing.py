"""Applying a parsed import: the gateway's word on every key, then one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from kpadmin.billing import import_preview
from kpadmin.billing.csvio.columns import VERIFY_CHUNK
from kpadmin.billing.csvio.parse import (
    ImportReport,
    ImportRow,
    ParsedCsv,
    RowProblem,
    parse_import_csv,
)
from kpadmin.billing.gateway import BillingKey, Gateway
from kpadmin.billing.messages import Message, MessageCode, Term, TermKind
from kpadmin.billing.periods import first_charge_date, period_of
from kpadmin.redact import mask_email, mask_phone
from kpadmin.store import NewSubscriber, Store
from kpadmin.store.models import SignupChannel, Subscriber

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
                RowProblem.of(row.line, row.customer_uid, Message.of(MessageCode.CSV_NO_KEY))
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
                RowProblem.of(row.line, row.customer_uid, Message.of(MessageCode.CSV_IN_DOUBT))
            )
        elif large is not None and not allow_large_changes:
            old_amount, new_amount = large.masked()
            report.large_changes.append(row.customer_uid)
            report.changes[row.customer_uid] = listed
            report.problems.append(
                RowProblem.of(
                    row.line,
                    row.customer_uid,
                    Message.of(
                        MessageCode.CSV_LARGE_CHANGE,
                        old=old_amount,
                        new=new_amount,
                        factor=import_preview.LARGE_FACTOR,
                        step=f"₩{import_preview.LARGE_STEP:,}",
                    ),
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


def _describe(existing: Subscriber, changes: dict[str, Any]) -> Message:
    parts = []
    for key in sorted(changes):
        old, new = getattr(existing, key), changes[key]
        if key == "phone":
            old, new = mask_phone(old), mask_phone(new)
        elif key == "email":
            old, new = mask_email(old), mask_email(new)
        parts.append(
            Message.of(
                MessageCode.AUDIT_FIELD_CHANGE,
                field=Term(TermKind.FIELD, key),
                old=_field_value(key, old),
                new=_field_value(key, new),
            )
        )
    return Message.of(MessageCode.AUDIT_IMPORT_UPDATE, changes=tuple(parts))


def _field_value(key: str, value: object) -> str | Term:
    """As `kpadmin.billing.subscribers.field_value` (not imported: csvio stays below it)."""
    if value is None or value == "":
        return "—"
    if key == "amount" and isinstance(value, int):
        return Term(TermKind.WON, str(value))
    return str(value)


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
            staff,
            "import",
            Message.of(MessageCode.AUDIT_IMPORTED, line=row.line),
            subscriber_id=sub_id,
            at=now,
        )
    audit.record(
        staff,
        "import_file",
        Message.of(
            MessageCode.AUDIT_IMPORT_FILE,
            added=len(new),
            updated=len(updates),
            unchanged=len(report.unchanged),
            bad=len(report.problems),
        ),
        at=now,
    )
