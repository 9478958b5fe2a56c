"""The GUI's handle on one mode: its store, its i'mport connection and the staff name.

Widgets never open a database or an HTTP client themselves; they ask the `Backend`. It reads through
the store's repositories and billing's views (`kpadmin.billing.records`: the GUI never imports the
store), writes through them inside one transaction together with the audit row, and holds the `Api`
(a connected payment gateway, and in sandbox mode the in-process sandbox) that `kpadmin.runtime`
opens. The connection is opened *after* the window is shown (`connect()`), so a slow sandbox start
or a missing REST key never delays or blocks the window.

Views refresh themselves on one signal, `data_changed(DataChange)` (Anki's "an operation ran"):
the table, the detail pane and the overview each connect to it and reload what the change touches.
The backend listens to the store (`Store.on_commit`): every committed write that touched a
subscriber's record or audit lines — an edit here, a sign-up, a CSV import — becomes one
`data_changed`, whoever wrote it. Commits that only moved the charge journal (a batch's intents
and outcome groups) are left to the charging UI, which announces them in coalesced ticks with
`notify_changed(ids, journal=True)`; so is anything a caller wants to say beyond that.
"""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import repeat
from typing import Any

from PySide6.QtCore import QObject, Signal

from kpadmin.billing import outbox, records, subscribers
from kpadmin.billing.collections import Collections, outlook, request_retry
from kpadmin.billing.gateway import Gateway
from kpadmin.billing.messages import AuditAction, Message
from kpadmin.billing.outbox import NoticePolicy
from kpadmin.billing.records import (
    AuditEvent,
    Change,
    ChangeKind,
    Charge,
    SubscriberState,
)
from kpadmin.clock import Clock
from kpadmin.gui.formatting import phone_digits, seoul_today, tr
from kpadmin.gui.rows import SubscriberRow
from kpadmin.runtime import Api, Runtime

log = logging.getLogger(__name__)


#: Above this many subscribers in one commit, the views reload everything (`DataChange(None)`).
ROWS_CHANGED_LIMIT = 500

#: The overview's figures (billing's types, under the names the GUI has used).
MonthTotal = records.MonthTotal
BatchResult = records.BatchSummary


@dataclass(frozen=True, slots=True)
class DataChange:
    """What an operation changed, for the views to refresh themselves."""

    #: The subscribers whose rows, history or audit entries changed; None: any of them (an
    #: import, a reload), so everything is read again.
    subscriber_ids: frozenset[int] | None = None
    #: Charges changed: figures aggregated over the whole journal (last batch, monthly totals)
    #: are stale too.
    journal: bool = False
    #: The changed subscribers' rows, read already (the charging UI reads them off the loop
    #: thread); None: each view reads what it needs. A subscriber without a row is gone.
    rows: tuple[SubscriberRow, ...] | None = None

    def touches(self, subscriber_id: int) -> bool:
        return self.subscriber_ids is None or subscriber_id in self.subscriber_ids


class Backend(QObject):
    #: Something in the store changed (`DataChange`): every view refreshes what it shows of it.
    data_changed = Signal(object)
    api_state_changed = Signal()  # connecting -> connected / failed
    notices_changed = Signal()  # the customer notices' outbox changed (written, sent, failed)
    #: Another desk's changes (a shared database), from the store's listener thread: a queued
    #: connection brings them to this object's thread (`_on_remote`).
    _remote_changed = Signal(object)

    def __init__(self, runtime: Runtime, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runtime = runtime
        # Raises records.StoreError (missing, damaged, too new, disk): the app's start-up
        # dialog says so (gui/database_problem.py).
        self.store: records.Store = runtime.open_store()
        self.subscribers = self.store.subscribers
        self.charges = self.store.charges
        self.audit = self.store.audit
        self._commits = self.store.on_commit(self._on_commit)
        self._remote_changed.connect(self._on_remote)
        self._remote = self.store.on_remote(self._remote_changed.emit)
        self.api: Api | None = None
        self.api_error: str | None = None
        self._api_stack: contextlib.AsyncExitStack | None = None
        self.connecting = False

    # --- identity ---------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        return self.runtime.mode

    @property
    def database_location(self) -> str | None:
        """``host/db`` of the shared database this desk works on; None: this PC's own."""
        return self.runtime.database_location

    @property
    def staff(self) -> str:
        return self.runtime.staff

    @property
    def monthly_cap(self) -> int | None:
        return self.runtime.settings.monthly_limit

    @property
    def collections(self) -> Collections:
        """The retry policy of the settings (`retry_days`), as every charge run applies it."""
        settings = self.runtime.settings
        return Collections(
            retry_days=settings.retry_days, notices=NoticePolicy.from_settings(settings)
        )

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

    def notify_changed(
        self,
        ids: Iterable[int] | None = None,
        *,
        journal: bool = False,
        rows: Sequence[SubscriberRow] | None = None,
    ) -> None:
        """Tell the views what changed (``ids`` None: possibly every subscriber); ``rows``: the
        fresh rows of those ids, when the caller has read them already."""
        change = DataChange(
            None if ids is None else frozenset(ids),
            journal,
            None if rows is None else tuple(rows),
        )
        if change.subscriber_ids is not None and not change.subscriber_ids and not journal:
            return
        self.data_changed.emit(change)

    def _on_commit(self, changes: tuple[Change, ...]) -> None:
        """A write committed (on this thread: the store delivers it here)."""
        kinds = {change.kind for change in changes}
        if ChangeKind.NOTICES in kinds:
            self.notices_changed.emit()
            kinds.discard(ChangeKind.NOTICES)
        if kinds <= {ChangeKind.CHARGES}:
            return  # the journal alone: the charging UI announces it, coalesced
        ids: set[int] = set()
        for change in changes:
            if change.kind is not ChangeKind.NOTICES:
                ids.update(change.ids)
        journal = ChangeKind.CHARGES in kinds
        if len(ids) > ROWS_CHANGED_LIMIT:
            # Reloading that many rows one by one costs more than reloading them all.
            self.notify_changed(None, journal=journal)
        else:
            self.notify_changed(ids, journal=journal)

    def _on_remote(self, changes: tuple[Change, ...] | None) -> None:
        """Another desk committed (issue #11: LISTEN/NOTIFY, merged by the store): every view
        refreshes, the journal's figures too. None: anything may have changed."""
        if changes is None:
            self.notify_changed(None, journal=True)
            return
        ids: set[int] = set()
        for change in changes:
            ids.update(change.ids)
        journal = any(change.kind is ChangeKind.CHARGES for change in changes)
        self.notify_changed(None if len(ids) > ROWS_CHANGED_LIMIT else ids, journal=journal)

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
        records.refresh_marker(self.store)  # sign-ups and edits of this session: the marker's count
        self._commits.close()
        self._remote.close()
        self.store.close()

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

        The store hands the columns the table shows (with the charge summary); the search keys
        and the rows are assembled column by column here, without a Python call per row.
        """
        return self._rows(None, today)

    def rows_for(self, ids: list[int], today: date | None = None) -> list[SubscriberRow]:
        """Fresh rows for a few subscribers (after a write or a charge result): the same query,
        for these ids."""
        return self._rows(ids, today) if ids else []

    def _rows(self, ids: list[int] | None, today: date | None) -> list[SubscriberRow]:
        # The cyclic GC would walk the growing heap again and again while 100,000 rows of new
        # tuples appear (none of them can be garbage): paused for the load, then back as it was.
        was_on = gc.isenabled()
        gc.disable()
        try:
            columns = records.table_columns(self.store, today or self.today(), ids)
            keys = _search_keys(columns.name, columns.phone, columns.customer_uid)
            retries = self._next_retries(columns.id, columns.state, ids)
            # tuple.__new__ is what SubscriberRow._make does, minus a Python frame per row.
            rows = zip(*columns, retries, keys, strict=True)
            return list(map(tuple.__new__, repeat(SubscriberRow), rows))
        finally:
            if was_on:
                gc.enable()

    def _next_retries(
        self, ids: Sequence[int], states: Sequence[SubscriberState], asked: list[int] | None
    ) -> list[date | None]:
        """The next retry date of each active subscriber with a declined period (the retry
        policy as charge runs apply it), aligned with `ids`."""
        found = outlook(
            self.store, clock=self.clock, retry_days=self.collections.retry_days, ids=asked
        )
        if not found:
            return [None] * len(ids)
        active = SubscriberState.ACTIVE
        return [
            d.next_retry if state == active and (d := found.get(sid)) is not None else None
            for sid, state in zip(ids, states, strict=True)
        ]

    def request_retry(self, subscriber_id: int) -> bool:
        """Staff pressed retry: charged once more at the next run (or by Charge now), whatever
        the retry days; a past-due subscriber becomes active again. Audited."""
        return bool(request_retry(self.store, [subscriber_id], staff=self.staff, now=self.now()))

    # --- customer notices (billing/outbox.py) -------------------------------------------------

    @property
    def notices_on(self) -> bool:
        return self.collections.notices.on

    def unsent_notices(self) -> int:
        return self.store.notices.count_unsent()

    def notice_entries(self, *, unsent_only: bool = True) -> list[dict[str, Any]]:
        """The outbox as the notices window shows it (recipients masked)."""
        return [outbox.describe(n) for n in self.store.notices.entries(unsent_only=unsent_only)]

    def retry_failed_notices(self) -> int:
        return self.store.notices.retry_failed(None, self.now())

    async def send_notices(self) -> outbox.SendReport:
        """Send every notice whose time has come (after a batch, or staff press Send now); the
        advance notices (``notice_days_before``) are written first, as `charge-due` does."""
        settings = self.runtime.settings
        policy = self.collections.notices
        outbox.enqueue_advance(self.store, policy, today=self.today(), now=self.now())
        notifier = outbox.open_notifier(settings, self.mode, clock=self.clock)
        try:
            return await outbox.send_due(
                self.store, notifier, merchant=outbox.merchant_of(settings), clock=self.clock
            )
        finally:
            await notifier.aclose()

    def charge_history(self, subscriber_id: int) -> list[Charge]:
        """Newest first."""
        return sorted(self.charges.for_subscriber(subscriber_id), key=lambda c: c.id, reverse=True)

    def audit_entries(self, subscriber_id: int, limit: int = 200) -> list[AuditEvent]:
        return self.audit.list(subscriber_id=subscriber_id, limit=limit)

    def monthly_totals(self, months: int = 6, today: date | None = None) -> list[MonthTotal]:
        """Collected vs failed per Seoul month, oldest first, for the overview chart."""
        return records.monthly_totals(self.store, today or self.today(), months)

    def last_batch(self) -> BatchResult | None:
        return records.last_batch(self.store)

    # --- writes: billing's subscriber operations (each with its audit row, one transaction) ---

    def pause(self, subscriber_id: int) -> bool:
        return subscribers.pause(self.store, subscriber_id, staff=self.staff, now=self.now())

    def resume(self, subscriber_id: int) -> bool:
        return subscribers.resume(self.store, subscriber_id, staff=self.staff, now=self.now())

    def cancel(self, subscriber_id: int, reason: str) -> bool:
        return subscribers.cancel(
            self.store, subscriber_id, staff=self.staff, reason=reason, now=self.now()
        )

    async def delete_key(self, subscriber_id: int, reason: str) -> subscribers.Cancelled:
        """Delete the (cancelled) subscriber's billing key at i'mport (`UserError` offline)."""
        return await subscribers.delete_key(
            self.store,
            self.gateway(),
            subscriber_id,
            staff=self.staff,
            reason=reason,
            clock=self.clock,
        )

    async def check_key(self, subscriber_id: int) -> subscribers.KeyCheck:
        """Ask i'mport for the subscriber's billing key and record the answer."""
        return await subscribers.check_key(
            self.store, self.gateway(), subscriber_id, staff=self.staff, clock=self.clock
        )

    def edit(self, subscriber_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        """Save an edit (judged again by the field rules; `subscribers.EditRefused`)."""
        return subscribers.edit(
            self.store, subscriber_id, changes, staff=self.staff, now=self.now()
        )

    def record(
        self, action: AuditAction, detail: Message, subscriber_id: int | None = None
    ) -> None:
        # The commit's change event refreshes that subscriber's rows and audit list.
        self.audit.record(self.staff, action, detail, subscriber_id=subscriber_id, at=self.now())


def _search_keys(names: Sequence[str], phones: Sequence[str], uids: Sequence[str]) -> list[str]:
    """`rows.search_key` of many rows, in C-level passes (the phone's digits: most phones are
    digits already, or digits and dashes; ``phone_digits`` for the rest)."""
    digits = (
        phones  # the usual case, checked in one C-level pass
        if all(map(str.isdecimal, phones))
        else [
            p
            if p.isdecimal()
            else (d if (d := p.replace("-", "")).isdecimal() else phone_digits(p))
            for p in phones
        ]
    )
    return list(
        map("\x1f".join, zip(map(str.lower, names), digits, map(str.lower, uids), strict=True))
    )


def _register_secrets(runtime: Runtime) -> None:
    """Keep the REST secret out of error reports and logs."""
    from kpadmin.gui import crash

    try:
        creds = runtime.credentials()
    except Exception:
        return
    crash.register_secret(creds.imp_secret)
