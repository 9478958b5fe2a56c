"""The subscriber table model: every subscriber as one `SubscriberRow`, in the order last sorted.

Shaped like Vorta's table models: a `Column` enum, `SORT_ROLE` giving raw values, `ROW_ROLE` giving
the row object, `set_rows()` inside a model reset, and column-scoped `dataChanged` when one row
changes (a charge result arriving). `data()` never raises: a bad row shows blank cells, not a crash.

Speed (100,000 rows, see bench/table_100k.py): sorting happens here, in the source model, with one
Python `sort()` on a key instead of ~1.7 M `lessThan` calls in a proxy. What the table shows of it
(search and filters) is `kpadmin.gui.subscriber_filter.SubscriberFilterProxy`.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from operator import attrgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from kpadmin.billing.records import SubscriberState
from kpadmin.gui import formatting as fmt
from kpadmin.gui.formatting import tr
from kpadmin.gui.rows import SubscriberRow

log = logging.getLogger(__name__)

ROOT = QModelIndex()  # the default parent of Qt's table signatures (never mutated)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

# Muted colours that read on light and dark palettes alike.
_GREY = QColor("#8a8a8a")
_RED = QColor("#c0392b")
_AMBER = QColor("#b9770e")


#: Adjacent changed rows `update_rows` announces in one `dataChanged` at most (the filter model
#: re-tests each row of a small range one by one, and refilters everything beyond 256).
_RUN_LIMIT = 128

#: The roles `data()` answers; views ask for a dozen per cell on every repaint.
ANSWERED_ROLES = frozenset(
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


_ID = attrgetter("id")

#: What each column's text is made of (`_display`), for telling cheaply which cells changed.
_SHOWN: dict[Column, Callable[[SubscriberRow], object]] = {
    Column.NAME: attrgetter("name"),
    Column.PHONE: attrgetter("phone"),
    Column.PLAN: attrgetter("plan"),
    Column.AMOUNT: attrgetter("amount"),
    Column.STATE: attrgetter("state"),
    Column.CARD: attrgetter("card_name", "card_number"),
    Column.LAST_CHARGE: attrgetter("last_charge_state", "last_charge_on"),
    Column.NEXT_CHARGE: attrgetter("state", "next_charge_date"),
    Column.THIS_MONTH: attrgetter("charges_this_month"),
}


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
    Column.NEXT_CHARGE: lambda row: row.next_retry or row.next_charge_date,
    Column.THIS_MONTH: attrgetter("charges_this_month"),
}


class SubscriberTableModel(QAbstractTableModel):
    """All subscribers, one row each, in the order last sorted."""

    def __init__(self, parent: QObject | None = None, *, monthly_cap: int | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SubscriberRow] = []
        #: subscriber id -> row; None until first needed after the rows changed (building it
        #: for 100,000 rows is ~15 ms the table's first showing does not need).
        self._position: dict[int, int] | None = {}
        self._monthly_cap = monthly_cap
        self._titles = [column_title(c) for c in Column]

    # --- Qt overrides -----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section in (Column.AMOUNT, Column.THIS_MONTH) else _LEFT
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        # Views ask for a dozen roles per cell on every repaint; answer the unused ones first.
        if role not in ANSWERED_ROLES:
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, position: int, column: int, role: int) -> Any:
        """`data()` without a QModelIndex, for the filter model's cells. Never raises."""
        try:
            return self._data(position, column, role)
        except Exception:  # a bad row must never take the table down (Anki does the same)
            log.exception("subscriber table: data(%s, %s) failed", position, role)
            return None

    def _data(self, position: int, col: int, role: int) -> Any:
        if not 0 <= position < len(self._rows) or not 0 <= col < len(Column):
            return None
        row = self._rows[position]
        column = Column(col)
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
            [self.index(self._positions()[sid], p.column()) for p, sid in held],
        )
        self.layoutChanged.emit()

    # --- the app's API ----------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[SubscriberRow]:
        return self._rows

    def set_rows(self, rows: Iterable[SubscriberRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._reindex()
        self.endResetModel()

    def set_monthly_cap(self, cap: int | None) -> None:
        self._monthly_cap = cap
        if self._rows:
            top = self.index(0, Column.THIS_MONTH)
            bottom = self.index(len(self._rows) - 1, Column.THIS_MONTH)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])

    def row_for_id(self, subscriber_id: int) -> SubscriberRow | None:
        pos = self._positions().get(subscriber_id)
        return None if pos is None else self._rows[pos]

    def position_of(self, subscriber_id: int) -> int | None:
        return self._positions().get(subscriber_id)

    def update_rows(self, rows: Iterable[SubscriberRow]) -> None:
        """Replace rows in place (same subscriber id); new ids are appended.

        Emits `dataChanged` only over the columns whose values changed, so a charge result repaints
        two cells rather than the whole line; adjacent changed rows share one `dataChanged` (a
        batch's chunk of 40 rows is one signal through the filter model and the view, not 40).
        """
        changes: list[tuple[int, int, int]] = []  # (row, first column, last column)
        positions = self._positions()  # `_append` adds to this same dict
        for new in rows:
            pos = positions.get(new.id)
            if pos is None:
                self._append(new)
                continue
            old = self._rows[pos]
            self._rows[pos] = new
            if old == new:
                continue
            # The fields each column shows, compared as they are (no formatting: a batch
            # refreshes a thousand rows while the loop must stay responsive).
            changed = [c for c, shown in _SHOWN.items() if shown(old) != shown(new)]
            changes.append(
                (pos, min(changed, default=Column.NAME), max(changed, default=Column.THIS_MONTH))
            )
        changes.sort()
        run: list[int] | None = None  # [top, bottom, first column, last column]
        for pos, left, right in changes:
            if run is not None and pos == run[1] + 1 and pos - run[0] < _RUN_LIMIT:
                run[1], run[2], run[3] = pos, min(run[2], left), max(run[3], right)
                continue
            if run is not None:
                self._emit_changed(*run)
            run = [pos, pos, left, right]
        if run is not None:
            self._emit_changed(*run)

    def _emit_changed(self, top: int, bottom: int, first: int, last: int) -> None:
        self.dataChanged.emit(self.index(top, first), self.index(bottom, last))

    def remove_ids(self, ids: Iterable[int]) -> None:
        for sid in ids:
            pos = self._positions().get(sid)
            if pos is None:
                continue
            self.beginRemoveRows(QModelIndex(), pos, pos)
            del self._rows[pos]
            self._reindex()
            self.endRemoveRows()

    # --- helpers ----------------------------------------------------------------------------

    def _append(self, row: SubscriberRow) -> None:
        pos = len(self._rows)
        self.beginInsertRows(QModelIndex(), pos, pos)
        self._rows.append(row)
        self._positions()[row.id] = pos
        self.endInsertRows()

    def _reindex(self) -> None:
        self._position = None

    def _positions(self) -> dict[int, int]:
        if self._position is None:
            rows = self._rows
            self._position = dict(zip(map(_ID, rows), range(len(rows)), strict=True))
        return self._position

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
            if s.state in (SubscriberState.CANCELLED, SubscriberState.PAST_DUE):
                return ""
            if row.next_retry is not None:
                return tr("Retry {date}").format(date=fmt.format_date(row.next_retry))
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
        if column == Column.STATE and state in (
            SubscriberState.KEY_MISSING,
            SubscriberState.PAST_DUE,
        ):
            return _RED
        if column == Column.NEXT_CHARGE and row.next_retry is not None:
            return _AMBER
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
        if column == Column.NEXT_CHARGE and row.next_retry is not None:
            return tr("The last charge was declined; the card is tried again on this day")
        if column == Column.STATE and row.state == SubscriberState.PAST_DUE:
            return tr(
                "Every retry was declined: not charged automatically until you press Retry now "
                "or the customer signs up again"
            )
        return None
