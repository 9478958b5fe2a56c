"""The subscriber table: a Qt model over `SubscriberRow`s and the proxy that searches/filters it.

Shaped like Vorta's table models: a `Column` enum, `SORT_ROLE` giving raw values, `ROW_ROLE` giving
the row object, `set_rows()` inside a model reset, and column-scoped `dataChanged` when one row
changes (a charge result arriving). `data()` never raises: a bad row shows blank cells, not a crash.

Speed (100,000 rows, see bench/table_100k.py): sorting happens here, in the source model, with one
Python `sort()` on a key instead of ~1.7 M `lessThan` calls in the proxy; the proxy precomputes
which rows pass the filter in one list comprehension per keystroke, so `filterAcceptsRow` is a
list lookup.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from operator import attrgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from kpadmin.gui import formatting as fmt
from kpadmin.gui.formatting import tr
from kpadmin.gui.rows import SubscriberRow, normalise_query
from kpadmin.store.models import SubscriberState

log = logging.getLogger(__name__)

_ROOT = QModelIndex()  # the default parent of Qt's table signatures (never mutated)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

# Muted colours that read on light and dark palettes alike.
_GREY = QColor("#8a8a8a")
_RED = QColor("#c0392b")
_AMBER = QColor("#b9770e")


_ANSWERED_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole,
        SORT_ROLE,
        ROW_ROLE,
    }
)


class Column(enum.IntEnum):
    NAME = 0
    PHONE = 1
    PLAN = 2
    AMOUNT = 3
    STATE = 4
    CARD = 5
    LAST_CHARGE = 6
    NEXT_CHARGE = 7
    THIS_MONTH = 8


def column_title(column: Column) -> str:
    return {
        Column.NAME: tr("Name"),
        Column.PHONE: tr("Phone"),
        Column.PLAN: tr("Plan"),
        Column.AMOUNT: tr("Amount"),
        Column.STATE: tr("State"),
        Column.CARD: tr("Card"),
        Column.LAST_CHARGE: tr("Last charge"),
        Column.NEXT_CHARGE: tr("Next charge"),
        Column.THIS_MONTH: tr("This month"),
    }[column]


def sort_value(row: SubscriberRow, column: Column) -> Any:
    """The raw value a column sorts by (never None, so mixed rows still compare)."""
    return _SORT_KEYS[column](row)


def _text_or_empty(name: str) -> Callable[[SubscriberRow], str]:
    get = attrgetter(name)
    return lambda row: get(row) or ""


# One key function per column, so sorting 100,000 rows is a single C-level sort on it.
_SORT_KEYS: dict[Column, Callable[[SubscriberRow], Any]] = {
    Column.NAME: attrgetter("name"),
    Column.PHONE: attrgetter("phone"),
    Column.PLAN: attrgetter("plan"),
    Column.AMOUNT: attrgetter("amount"),
    Column.STATE: attrgetter("state"),
    Column.CARD: _text_or_empty("card_name"),
    Column.LAST_CHARGE: lambda row: row.last_charge_on or date.min,
    Column.NEXT_CHARGE: attrgetter("next_charge_date"),
    Column.THIS_MONTH: attrgetter("charges_this_month"),
}


class SubscriberTableModel(QAbstractTableModel):
    """All subscribers, one row each, in the order last sorted."""

    def __init__(self, parent: QObject | None = None, *, monthly_cap: int | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SubscriberRow] = []
        self._position: dict[int, int] = {}  # subscriber id -> row
        self._monthly_cap = monthly_cap
        self._titles = [column_title(c) for c in Column]
        # Plain-Python observers told about row changes *before* Qt's signals go out, so the proxy's
        # precomputed filter is already right when Qt asks it about the changed rows.
        self._observers: list[Callable[[str, Sequence[int]], None]] = []

    # --- Qt overrides -----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section in (Column.AMOUNT, Column.THIS_MONTH) else _LEFT
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        # Views ask for a dozen roles per cell on every repaint; answer the unused ones first.
        if role not in _ANSWERED_ROLES:
            return None
        try:
            return self._data(index, role)
        except Exception:  # a bad row must never take the table down (Anki does the same)
            log.exception("subscriber table: data(%s, %s) failed", index.row(), role)
            return None

    def _data(self, index: QModelIndex, role: int) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return sort_value(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in (Column.AMOUNT, Column.THIS_MONTH) else _LEFT
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column):
            return
        col = Column(column)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [(p, self._rows[p.row()].id) for p in persistent if 0 <= p.row() < len(self._rows)]
        # A stable sort: ties keep their previous order, as in every desktop table.
        self._rows.sort(key=_SORT_KEYS[col], reverse=order == Qt.SortOrder.DescendingOrder)
        self._reindex()
        self.changePersistentIndexList(
            [p for p, _ in held],
            [self.index(self._position[sid], p.column()) for p, sid in held],
        )
        self._notify("reordered", ())
        self.layoutChanged.emit()

    # --- the app's API ----------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[SubscriberRow]:
        return self._rows

    def set_rows(self, rows: Iterable[SubscriberRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._reindex()
        self._notify("reset", ())
        self.endResetModel()

    def set_monthly_cap(self, cap: int | None) -> None:
        self._monthly_cap = cap
        if self._rows:
            top = self.index(0, Column.THIS_MONTH)
            bottom = self.index(len(self._rows) - 1, Column.THIS_MONTH)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])

    def row_for_id(self, subscriber_id: int) -> SubscriberRow | None:
        pos = self._position.get(subscriber_id)
        return None if pos is None else self._rows[pos]

    def position_of(self, subscriber_id: int) -> int | None:
        return self._position.get(subscriber_id)

    def update_rows(self, rows: Iterable[SubscriberRow]) -> None:
        """Replace rows in place (same subscriber id); new ids are appended.

        Emits `dataChanged` only over the columns whose values changed, so a charge result repaints
        two cells rather than the whole line.
        """
        for new in rows:
            pos = self._position.get(new.id)
            if pos is None:
                self._append(new)
                continue
            old = self._rows[pos]
            changed = [c for c in Column if self._display(old, c) != self._display(new, c)]
            self._rows[pos] = new
            self._notify("changed", (pos,))
            if changed or old != new:
                first = min(changed, default=Column.NAME)
                last = max(changed, default=Column.THIS_MONTH)
                self.dataChanged.emit(self.index(pos, first), self.index(pos, last))

    def remove_ids(self, ids: Iterable[int]) -> None:
        for sid in ids:
            pos = self._position.get(sid)
            if pos is None:
                continue
            self.beginRemoveRows(QModelIndex(), pos, pos)
            del self._rows[pos]
            self._reindex()
            self._notify("removed", (pos,))
            self.endRemoveRows()

    def add_observer(self, callback: Callable[[str, Sequence[int]], None]) -> None:
        self._observers.append(callback)

    def remove_observer(self, callback: Callable[[str, Sequence[int]], None]) -> None:
        if callback in self._observers:
            self._observers.remove(callback)

    # --- helpers ----------------------------------------------------------------------------

    def _append(self, row: SubscriberRow) -> None:
        pos = len(self._rows)
        self.beginInsertRows(QModelIndex(), pos, pos)
        self._rows.append(row)
        self._position[row.id] = pos
        self._notify("inserted", (pos,))
        self.endInsertRows()

    def _reindex(self) -> None:
        self._position = {row.id: i for i, row in enumerate(self._rows)}

    def _notify(self, what: str, positions: Sequence[int]) -> None:
        for callback in list(self._observers):
            callback(what, positions)

    def _display(self, row: SubscriberRow, column: Column) -> str:
        s = row
        if column == Column.NAME:
            return s.name
        if column == Column.PHONE:
            return fmt.mask_phone(s.phone)
        if column == Column.PLAN:
            return s.plan
        if column == Column.AMOUNT:
            return fmt.won(s.amount)
        if column == Column.STATE:
            return fmt.state_label(s.state)
        if column == Column.CARD:
            if s.card_name and s.card_number:
                return f"{s.card_name} {s.card_number[-4:]}"
            return s.card_name or ""
        if column == Column.LAST_CHARGE:
            if row.last_charge_state is None:
                return ""
            return (
                f"{fmt.charge_label(row.last_charge_state)} {fmt.format_date(row.last_charge_on)}"
            )
        if column == Column.NEXT_CHARGE:
            if s.state in (SubscriberState.CANCELLED,):
                return ""
            return fmt.format_date(s.next_charge_date)
        if column == Column.THIS_MONTH:
            if self._monthly_cap:
                return f"{row.charges_this_month} / {self._monthly_cap}"
            return str(row.charges_this_month)
        return ""

    def _foreground(self, row: SubscriberRow, column: Column) -> QColor | None:
        state = row.state
        if column == Column.LAST_CHARGE:
            if row.in_doubt:
                return _AMBER
            if row.last_charge_failed:
                return _RED
        if column == Column.STATE and state == SubscriberState.KEY_MISSING:
            return _RED
        if state in (SubscriberState.PAUSED, SubscriberState.CANCELLED):
            return _GREY
        if (
            column == Column.THIS_MONTH
            and self._monthly_cap
            and row.charges_this_month >= self._monthly_cap
        ):
            return _AMBER
        return None

    def _tooltip(self, row: SubscriberRow, column: Column) -> str | None:
        if column == Column.LAST_CHARGE and row.in_doubt:
            return tr(
                "The outcome of the last charge is not known yet. Reconcile before charging again."
            )
        if column == Column.THIS_MONTH and self._monthly_cap:
            return tr("Paid charges this month against the monthly cap per billing key")
        if column == Column.PHONE:
            return tr("Masked; the full number is in the detail pane")
        return None


class SubscriberFilterProxy(QSortFilterProxyModel):
    """Search as you type (name, phone, customer_uid) plus the state/due/failed/unknown filters.

    Filters combine with AND. Sorting is delegated to the source model (see the module docstring).
    """

    def __init__(self, parent: QObject | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._state: SubscriberState | None = None
        self._due_only = False
        self._failed_only = False
        self._unknown_only = False
        self._today = today or fmt.seoul_today()
        self._accepted: list[bool] = []
        self.setDynamicSortFilter(True)

    # --- filter settings --------------------------------------------------------------------

    def set_search(self, text: str) -> None:
        needle = normalise_query(text)
        if needle != self._needle:
            self._refilter(lambda: setattr(self, "_needle", needle))

    def set_state(self, state: SubscriberState | None) -> None:
        if state != self._state:
            self._refilter(lambda: setattr(self, "_state", state))

    def set_due_only(self, on: bool) -> None:
        if on != self._due_only:
            self._refilter(lambda: setattr(self, "_due_only", on))

    def set_failed_only(self, on: bool) -> None:
        if on != self._failed_only:
            self._refilter(lambda: setattr(self, "_failed_only", on))

    def set_unknown_only(self, on: bool) -> None:
        if on != self._unknown_only:
            self._refilter(lambda: setattr(self, "_unknown_only", on))

    def set_today(self, today: date) -> None:
        if today != self._today:
            self._refilter(lambda: setattr(self, "_today", today))

    @property
    def is_filtered(self) -> bool:
        return bool(
            self._needle or self._state or self._due_only or self._failed_only or self._unknown_only
        )

    # --- Qt overrides -----------------------------------------------------------------------

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        old = self.sourceModel()
        if isinstance(old, SubscriberTableModel):
            old.remove_observer(self._on_source_rows)
        if isinstance(model, SubscriberTableModel):
            model.add_observer(self._on_source_rows)
            self._accepted = self._compute(model.rows)
        super().setSourceModel(model)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        # An exception escaping this override crashes PySide (seen with 6.12): never raise.
        try:
            return self._accepted[source_row]
        except IndexError:
            return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    # --- internals --------------------------------------------------------------------------

    def _refilter(self, change: Callable[[], None]) -> None:
        change()
        source = self.sourceModel()
        self._accepted = (
            self._compute(source.rows) if isinstance(source, SubscriberTableModel) else []
        )
        # invalidate() rebuilds the mapping and emits one layoutChanged. begin/endFilterChange
        # emits rowsRemoved/rowsInserted per contiguous range instead: thousands of signals when a
        # search matches scattered rows, which took seconds with 100,000 rows in the view.
        self.invalidate()

    def _on_source_rows(self, what: str, positions: Sequence[int]) -> None:
        source = self.sourceModel()
        if not isinstance(source, SubscriberTableModel):
            return
        rows = source.rows
        if what == "changed":
            for pos in positions:
                self._accepted[pos] = self._accepts(rows[pos])
        elif what == "inserted":
            for pos in positions:
                self._accepted.insert(pos, self._accepts(rows[pos]))
        elif what == "removed":
            for pos in positions:
                del self._accepted[pos]
        else:  # reset, reordered
            self._accepted = self._compute(rows)

    def _accepts(self, row: SubscriberRow) -> bool:
        return self._compute([row])[0]

    def _compute(self, rows: Sequence[SubscriberRow]) -> list[bool]:
        """One pass per active filter; the plain search case is a single comprehension."""
        needle = self._needle
        accepted = [needle in r.search_key for r in rows] if needle else [True] * len(rows)
        checks: list[Callable[[SubscriberRow], bool]] = []
        if self._state is not None:
            state = self._state
            checks.append(lambda r: r.state == state)
        if self._due_only:
            today = self._today
            checks.append(lambda r: r.is_due(today))
        if self._failed_only:
            checks.append(lambda r: r.last_charge_failed)
        if self._unknown_only:
            checks.append(lambda r: r.in_doubt)
        for check in checks:
            accepted = [ok and check(r) for ok, r in zip(accepted, rows, strict=True)]
        return accepted
