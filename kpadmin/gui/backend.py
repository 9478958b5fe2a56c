"""The GUI's handle on one mode: its store, its i'mport connection and the staff name.

Widgets never open a database or an HTTP client themselves; they ask the `Backend`. It reads through
the store's repositories, writes through them inside one transaction together with the audit row,
and holds the `Api` (a connected payment gateway, and in sandbox mode the in-process sandbox) that
`kpadmin.runtime` opens. The connection is opened *after* the window is shown (`connect()`), so a
slow sandbox start or a missing REST key never delays or blocks the window.

Views refresh themselves on one signal, `data_changed(DataChange)` (Anki's "an operation ran"):
the table, the detail pane and the overview each connect to it and reload what the change touches.
The backend emits it after its own writes; code that writes through `kpadmin.billing` (a batch, a
refund, a sign-up, an import) announces what it changed with `notify_changed`.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QObject, Signal

from kpadmin.billing.gateway import Gateway
from kpadmin.billing.messages import AuditAction
from kpadmin.clock import Clock
from kpadmin.gui.formatting import SEOUL, mask_phone, seoul_today, tr
from kpadmin.gui.rows import SubscriberRow
from kpadmin.runtime import Api, Runtime
from kpadmin.store.audit import AuditRepository
from kpadmin.store.charges import ChargeRepository
from kpadmin.store.db import transaction
from kpadmin.store.marker import refresh_marker
from kpadmin.store.models import AuditEvent, Charge, ChargeState, Subscriber, SubscriberState
from kpadmin.store.subscribers import SubscriberRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MonthTotal:
    month: str  # "YYYY-MM" (Asia/Seoul)
    collected: int  # paid, net of refunds
    failed: int  # declined + rejected attempts' amounts


@dataclass(frozen=True, slots=True)
class BatchResult:
    batch_id: str
    at: datetime | None
    paid: int
    failed: int
    in_doubt: int
    collected: int


@dataclass(frozen=True, slots=True)
class DataChange:
    """What an operation changed, for the views to refresh themselves."""

    #: The subscribers whose rows, history or audit entries changed; None: any of them (an
    #: import, a reload), so everything is read again.
    subscriber_ids: frozenset[int] | None = None
    #: Charges changed: figures aggregated over the whole journal (last batch, monthly totals)
    #: are stale too.
    journal: bool = False

    def touches(self, subscriber_id: int) -> bool:
        return self.subscriber_ids is None or subscriber_id in self.subscriber_ids


_SUBSCRIBER_STATES = {s.value: s for s in SubscriberState}
_CHARGE_STATES = {s.value: s for s in ChargeState}
_DOUBT = ", ".join(f"'{s.value}'" for s in ChargeState if s.in_doubt)
# The table's bulk load: the columns it shows, the charge summary (as in
# SubscriberRepository.list_with_summaries) and the search key of `rows.search_key`.
_TABLE_QUERY = f"""
    WITH last AS (
        SELECT subscriber_id, state, updated_at, max(id) AS id FROM charges GROUP BY subscriber_id
    ),
    paid AS (
        SELECT subscriber_id, count(*) AS n FROM charges
        WHERE state = 'paid' AND strftime('%Y-%m', paid_at, '+9 hours') = ?
        GROUP BY subscriber_id
    ),
    doubt AS (
        SELECT DISTINCT subscriber_id FROM charges WHERE state IN ({_DOUBT})
    )
    SELECT s.id, s.customer_uid, s.name, s.phone, s.plan, s.amount, s.state, s.card_name,
           s.card_number, s.next_charge_date, last.state, date(last.updated_at, '+9 hours'),
           coalesce(paid.n, 0), doubt.subscriber_id IS NOT NULL,
           lower(s.name) || char(31) ||
           replace(replace(replace(replace(replace(s.phone, '-', ''), ' ', ''), '+', ''),
                   '(', ''), ')', '') || char(31) || lower(s.customer_uid)
    FROM subscribers AS s
    LEFT JOIN last ON last.subscriber_id = s.id
    LEFT JOIN paid ON paid.subscriber_id = s.id
    LEFT JOIN doubt ON doubt.subscriber_id = s.id
    ORDER BY s.id
"""


class Backend(QObject):
    #: Something in the store changed (`DataChange`): every view refreshes what it shows of it.
    data_changed = Signal(object)
    api_state_changed = Signal()  # connecting -> connected / failed

    def __init__(self, runtime: Runtime, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runtime = runtime
        # Raises store.errors.StoreError (missing, damaged, too new, disk): the app's start-up
        # dialog says so (gui/database_problem.py).
        self.conn: sqlite3.Connection = runtime.open_database()
        self.subscribers = SubscriberRepository(self.conn)
        self.charges = ChargeRepository(self.conn)
        self.audit = AuditRepository(self.conn)
        self.api: Api | None = None
        self.api_error: str | None = None
        self._api_stack: contextlib.AsyncExitStack | None = None
        self.connecting = False

    # --- identity ---------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        return self.runtime.mode

    @property
    def staff(self) -> str:
        return self.runtime.staff

    @property
    def monthly_cap(self) -> int | None:
        return self.runtime.settings.monthly_limit

    # --- the clock ----------------------------------------------------------------------------

    @property
    def clock(self) -> Clock:
        """The runtime's clock: every "now" and "today" the GUI shows or writes comes from it."""
        return self.runtime.clock

    def now(self) -> datetime:
        return self.runtime.clock()

    def today(self) -> date:
        """Today in Asia/Seoul by the runtime's clock."""
        return seoul_today(self.runtime.clock())

    # --- change notification ----------------------------------------------------------------

    def notify_changed(self, ids: Iterable[int] | None = None, *, journal: bool = False) -> None:
        """Tell the views what changed (``ids`` None: possibly every subscriber)."""
        change = DataChange(None if ids is None else frozenset(ids), journal)
        if change.subscriber_ids is not None and not change.subscriber_ids and not journal:
            return
        self.data_changed.emit(change)

    # --- the i'mport connection -------------------------------------------------------------

    # Named like QObject.connect (which it shadows on this class only) because the sign-up and
    # charging code call it by that name; Qt signals' own .connect is unaffected.
    async def connect(self) -> None:  # type: ignore[override]
        """Open the mode's gateway (starting the in-process sandbox in sandbox mode)."""
        if self.api is not None or self.connecting:
            return
        self.connecting = True
        self.api_error = None
        self.api_state_changed.emit()
        stack = contextlib.AsyncExitStack()
        try:
            self.api = await stack.enter_async_context(self.runtime.api())
            self._api_stack = stack
            _register_secrets(self.runtime)
        except Exception as exc:  # missing key, keyring, port in use: shown, not fatal
            await stack.aclose()
            self.api_error = str(exc) or type(exc).__name__
            log.warning("i'mport connection not available: %s", self.api_error)
        finally:
            self.connecting = False
            self.api_state_changed.emit()

    async def aclose(self) -> None:
        stack, self._api_stack, self.api = self._api_stack, None, None
        if stack is not None:
            await stack.aclose()
        refresh_marker(self.conn)  # sign-ups and edits of this session: the marker's count
        self.conn.close()

    def gateway(self) -> Gateway:
        """The connected payment gateway; raises `UserError` saying why there is none."""
        from kpadmin.gui.aio import UserError

        if self.api is None:
            if self.connecting:
                raise UserError(tr("Still connecting to i'mport; try again in a moment."))
            raise UserError(
                tr("Not connected to i'mport: {reason}").format(
                    reason=self.api_error or tr("unknown reason")
                )
            )
        return self.api.gateway

    # --- reads ------------------------------------------------------------------------------

    def load_rows(self, today: date | None = None) -> list[SubscriberRow]:
        """Every subscriber as a table row, in one lean query (100,000 rows well under a second).

        Reads only the columns the table shows, with the charge summary and the search key
        computed by SQLite; `rows_for` builds the same rows from the repositories for a few ids.
        Korea has had no DST since 1988, so '+9 hours' is Asia/Seoul exactly.
        """
        month = (today or self.today()).strftime("%Y-%m")
        states = _SUBSCRIBER_STATES
        charge_states = _CHARGE_STATES
        parse = date.fromisoformat
        cursor = self.conn.execute(_TABLE_QUERY, (month,))
        return [
            SubscriberRow(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                states[r[6]],
                r[7],
                r[8],
                parse(r[9]),
                charge_states[r[10]] if r[10] else None,
                parse(r[11]) if r[11] else None,
                r[12],
                bool(r[13]),
                r[14],
            )
            for r in cursor
        ]

    def rows_for(self, ids: list[int], today: date | None = None) -> list[SubscriberRow]:
        """Fresh rows for a few subscribers (after a write or a charge result)."""
        month = (today or self.today()).strftime("%Y-%m")
        history = self.charges.for_subscribers(ids)
        rows = []
        for sub in self.subscribers.get_many(ids):
            rows.append(row_from_charges(sub, history.get(sub.id, []), month))
        return rows

    def charge_history(self, subscriber_id: int) -> list[Charge]:
        """Newest first."""
        return sorted(self.charges.for_subscriber(subscriber_id), key=lambda c: c.id, reverse=True)

    def audit_entries(self, subscriber_id: int, limit: int = 200) -> list[AuditEvent]:
        return self.audit.list(subscriber_id=subscriber_id, limit=limit)

    def monthly_totals(self, months: int = 6, today: date | None = None) -> list[MonthTotal]:
        """Collected vs failed per Seoul month, oldest first, for the overview chart.

        One aggregate query (the repositories have no such read yet); Korea has no DST, so
        '+9 hours' is Asia/Seoul exactly.
        """
        today = today or self.today()
        wanted = _last_months(today, months)
        rows = self.conn.execute(
            """
            SELECT strftime('%Y-%m', coalesce(paid_at, updated_at), '+9 hours') AS month,
                   sum(CASE WHEN state = 'paid'
                       THEN coalesce(paid_amount, amount) - cancelled_amount ELSE 0 END),
                   sum(CASE WHEN state IN ('declined', 'rejected') THEN amount ELSE 0 END)
            FROM charges
            WHERE coalesce(paid_at, updated_at) >= ?
            GROUP BY month
            """,
            (f"{wanted[0]}-01",),
        ).fetchall()
        found = {r[0]: (int(r[1] or 0), int(r[2] or 0)) for r in rows}
        return [MonthTotal(m, *found.get(m, (0, 0))) for m in wanted]

    def last_batch(self) -> BatchResult | None:
        row = self.conn.execute(
            "SELECT batch_id FROM charges WHERE batch_id IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        batch_id = row[0]
        paid = failed = doubt = collected = 0
        latest: datetime | None = None
        for state, amount, updated in self.conn.execute(
            "SELECT state, coalesce(paid_amount, amount), updated_at FROM charges "
            "WHERE batch_id = ?",
            (batch_id,),
        ):
            cs = ChargeState(state)
            if cs == ChargeState.PAID:
                paid += 1
                collected += amount
            elif cs.in_doubt:
                doubt += 1
            else:
                failed += 1
            moment = datetime.fromisoformat(updated)
            latest = moment if latest is None or moment > latest else latest
        return BatchResult(batch_id, latest, paid, failed, doubt, collected)

    # --- writes (each with its audit row, in one transaction) -------------------------------

    def set_state(self, subscriber_id: int, state: SubscriberState, detail: str = "") -> None:
        sub = self._get(subscriber_id)
        action = {
            SubscriberState.PAUSED: AuditAction.PAUSE,
            SubscriberState.ACTIVE: AuditAction.RESUME,
            SubscriberState.CANCELLED: AuditAction.CANCEL,
            SubscriberState.KEY_MISSING: AuditAction.KEY_MISSING,
        }[state]
        now = self.now()
        with transaction(self.conn):
            self.subscribers.update(subscriber_id, now=now, state=state)
            self.audit.record(
                self.staff,
                action,
                detail or f"{sub.state} → {state}",
                subscriber_id=subscriber_id,
                at=now,
            )
        self.notify_changed([subscriber_id])

    def edit(self, subscriber_id: int, changes: dict[str, Any]) -> None:
        sub = self._get(subscriber_id)
        changed = {k: v for k, v in changes.items() if getattr(sub, k) != v}
        if not changed:
            return
        parts = []
        for key, value in changed.items():
            old = getattr(sub, key)
            if key == "phone":
                old, value = mask_phone(old), mask_phone(value)
            parts.append(f"{key}: {old} → {value}")
        now = self.now()
        with transaction(self.conn):
            self.subscribers.update(subscriber_id, now=now, **changed)
            self.audit.record(
                self.staff,
                AuditAction.EDIT,
                "; ".join(parts),
                subscriber_id=subscriber_id,
                at=now,
            )
        self.notify_changed([subscriber_id])

    def record_key_check(
        self, subscriber_id: int, *, present: bool, card_name: str | None, card_number: str | None
    ) -> None:
        """Store what i'mport said about the billing key (card fields, or key missing)."""
        sub = self._get(subscriber_id)
        changes: dict[str, Any] = {}
        if present:
            if card_name and card_name != sub.card_name:
                changes["card_name"] = card_name
            if card_number and card_number != sub.card_number:
                changes["card_number"] = card_number
            if sub.state == SubscriberState.KEY_MISSING:
                changes["state"] = SubscriberState.ACTIVE
            detail = "billing key present"
        else:
            if sub.state != SubscriberState.CANCELLED:
                changes["state"] = SubscriberState.KEY_MISSING
            detail = "billing key missing at i'mport"
        now = self.now()
        with transaction(self.conn):
            if changes:
                self.subscribers.update(subscriber_id, now=now, **changes)
            self.audit.record(
                self.staff, AuditAction.KEY_CHECK, detail, subscriber_id=subscriber_id, at=now
            )
        self.notify_changed([subscriber_id])

    def record_key_deleted(self, subscriber_id: int, reason: str) -> None:
        with transaction(self.conn):
            self.audit.record(
                self.staff,
                AuditAction.KEY_DELETED,
                f"reason: {reason}",
                subscriber_id=subscriber_id,
                at=self.now(),
            )
        self.notify_changed([subscriber_id])

    def record(self, action: AuditAction, detail: str, subscriber_id: int | None = None) -> None:
        self.audit.record(self.staff, action, detail, subscriber_id=subscriber_id, at=self.now())
        if subscriber_id is not None:  # the detail pane lists the subscriber's audit entries
            self.notify_changed([subscriber_id])

    def _get(self, subscriber_id: int) -> Subscriber:
        sub = self.subscribers.get(subscriber_id)
        if sub is None:
            raise KeyError(subscriber_id)
        return sub


def row_from_charges(sub: Subscriber, charges: list[Charge], month: str) -> SubscriberRow:
    """The table row from a subscriber's full journal (the bulk load does this in SQL)."""
    last = max(charges, key=lambda c: c.id, default=None)
    paid_this_month = sum(
        1
        for c in charges
        if c.state == ChargeState.PAID
        and c.paid_at is not None
        and c.paid_at.astimezone(SEOUL).strftime("%Y-%m") == month
    )
    return SubscriberRow.build(
        sub,
        last_charge_state=last.state if last else None,
        last_charge_on=_seoul_date(last.updated_at) if last else None,
        charges_this_month=paid_this_month,
        in_doubt=any(c.state.in_doubt for c in charges),
    )


def _seoul_date(moment: datetime | None) -> date | None:
    return moment.astimezone(SEOUL).date() if moment is not None else None


def _last_months(today: date, count: int) -> list[str]:
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]


def _register_secrets(runtime: Runtime) -> None:
    """Keep the REST secret out of error reports and logs."""
    from kpadmin.gui import crash

    try:
        creds = runtime.credentials()
    except Exception:
        return
    crash.register_secret(creds.imp_secret)
