"""What the subscriber table shows: search as you type and the filters, over the table model.

`SubscriberFilterProxy` is *not* a `QSortFilterProxyModel`: that one asks a Python
`filterAcceptsRow` once per source row on every keystroke (~50 ms of Python calls at 100,000 rows).
Instead this model computes the list of visible source rows in one C-level pass over precomputed
search keys (narrowing from an earlier result when the query only grew) and presents it as a plain
table model with one `layoutChanged`, remapping persistent indexes so the selection and the current
row follow their subscribers. Sorting is the source model's (`kpadmin.gui.subscriber_model`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from datetime import date
from functools import reduce
from itertools import compress, repeat
from operator import and_, attrgetter, contains, eq, le, not_
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from kpadmin.gui import formatting as fmt
from kpadmin.gui.rows import FAILED_CHARGE_STATES, SubscriberRow, normalise_query
from kpadmin.gui.subscriber_model import ANSWERED_ROLES, ROOT, Column, SubscriberTableModel
from kpadmin.store.models import SubscriberState

_ROOT = ROOT


def _with_hint(signal: Any) -> Any:
    """The (parents, hint) overload of a layout signal: PySide picks the bare one unless told."""
    return cast(Any, signal)[_WITH_HINT]


# Row fields the vectorised filters read with C-level maps (no Python call per row).
_STATE = attrgetter("state")
_NEXT_CHARGE = attrgetter("next_charge_date")
_LAST_CHARGE_STATE = attrgetter("last_charge_state")
_IN_DOUBT = attrgetter("in_doubt")
_SEARCH_KEY = attrgetter("search_key")
# Rows come and go or move as whole rows, so the selection model can track one index per row
# instead of one per cell (9x fewer persistent indexes to remap for a big selection).
_SORTED_ROWS = QAbstractItemModel.LayoutChangeHint.VerticalSortHint
# PySide picks the no-argument overload of these signals unless told the full signature.
_WITH_HINT = "QList<QPersistentModelIndex>,QAbstractItemModel::LayoutChangeHint"
# Beyond this many rows, a source dataChanged (a new monthly cap repaints a whole column) refilters
# in one pass instead of row by row.
_BULK_CHANGE = 256
# Earlier search results kept per filter setting: typing narrows from them, backspace reuses them.
# Each holds at most one pointer per row (the int objects are shared), < 1 MB at 100,000 rows.
_RESULTS_KEPT = 16


class SubscriberFilterProxy(QAbstractTableModel):
    """The rows the table shows: search as you type (name, phone digits, customer_uid) AND the
    state / due today / last charge failed / unknown outcome filters.

    A thin mapping model over `SubscriberTableModel` rather than a `QSortFilterProxyModel` (see the
    module docstring): `_visible` lists the shown source rows in source order, and every cell is
    read straight from the source through it. Sorting is delegated to the source model. Live
    changes of source rows (a charge result) re-test just those rows and insert or remove them
    here, so a row that stops matching leaves the view and one that starts matching appears.

    The lists of row numbers it keeps (`_all`, `_base`, `_results`, `_visible`) are never changed
    in place, so one list can be shared by several of them.
    """

    def __init__(self, parent: QObject | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._source: SubscriberTableModel | None = None
        self._needle = ""
        self._state: SubscriberState | None = None
        self._due_only = False
        self._failed_only = False
        self._unknown_only = False
        self._today = today or fmt.seoul_today()
        self._keys: list[str] = []  # search key of each source row
        self._all: list[int] = []  # 0..n-1, the int objects every other list shares
        self._base: list[int] | None = None  # rows passing the non-search filters (None: stale)
        self._results: dict[str, list[int]] = {}  # needle -> rows, under the current filters
        self._visible: list[int] = []  # source rows shown, ascending
        self._held: list[tuple[QModelIndex, int | None]] = []  # across a source sort

    # --- filter settings --------------------------------------------------------------------

    def set_search(self, text: str) -> None:
        needle = normalise_query(text)
        if needle != self._needle:
            self._needle = needle
            self._present(self._matching())

    def set_state(self, state: SubscriberState | None) -> None:
        if state != self._state:
            self._state = state
            self._filters_changed()

    def set_due_only(self, on: bool) -> None:
        if on != self._due_only:
            self._due_only = on
            self._filters_changed()

    def set_failed_only(self, on: bool) -> None:
        if on != self._failed_only:
            self._failed_only = on
            self._filters_changed()

    def set_unknown_only(self, on: bool) -> None:
        if on != self._unknown_only:
            self._unknown_only = on
            self._filters_changed()

    def set_today(self, today: date) -> None:
        if today != self._today:
            self._today = today
            self._filters_changed()

    # --- the source and the mapping ----------------------------------------------------------

    def sourceModel(self) -> SubscriberTableModel | None:
        return self._source

    def setSourceModel(self, model: SubscriberTableModel | None) -> None:
        self.beginResetModel()
        old = self._source
        if old is not None:
            for signal, slot in self._source_connections(old):
                signal.disconnect(slot)
        self._source = model
        if model is not None:
            for signal, slot in self._source_connections(model):
                signal.connect(slot)
        self._rebuild()
        self.endResetModel()

    def mapToSource(self, index: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        source, row = self._source, index.row()
        if source is None or not index.isValid() or not 0 <= row < len(self._visible):
            return QModelIndex()
        return source.index(self._visible[row], index.column())

    def mapFromSource(self, index: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        if not index.isValid():
            return QModelIndex()
        row = self._proxy_row(index.row())
        return QModelIndex() if row is None else self.index(row, index.column())

    # --- Qt overrides -----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if self._source is None or orientation != Qt.Orientation.Horizontal:
            return None
        return self._source.headerData(section, orientation, role)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role not in ANSWERED_ROLES or self._source is None:
            return None
        row = index.row()
        if not 0 <= row < len(self._visible):
            return None
        return self._source.cell(self._visible[row], index.column(), role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._source is not None:
            self._source.sort(column, order)

    # --- computing what is shown ---------------------------------------------------------------

    def _rebuild(self) -> None:
        """Everything from the source again (set, reset or re-sorted)."""
        rows = self._source.rows if self._source is not None else []
        self._keys = list(map(_SEARCH_KEY, rows))
        if len(self._all) != len(rows):
            self._all = list(range(len(rows)))
        self._base = None
        self._results = {}
        self._visible = self._matching()

    def _filters_changed(self) -> None:
        self._base = None
        self._results = {}
        self._present(self._matching())

    def _matching(self) -> list[int]:
        """The source rows that pass the search and the filters, ascending."""
        base = self._base_rows()
        needle = self._needle
        if not needle:
            return base
        results = self._results
        hit = results.pop(needle, None)
        if hit is None:
            # A result for a shorter query that this one contains is a superset of the answer:
            # typing a character narrows from it instead of scanning every row again.
            start, longest = base, -1
            for earlier, rows in results.items():
                if len(earlier) > longest and earlier in needle:
                    start, longest = rows, len(earlier)
            keys = self._keys
            if start is self._all:
                tested = map(contains, keys, repeat(needle))
            else:
                tested = map(contains, map(keys.__getitem__, start), repeat(needle))
            hit = list(compress(start, tested))
            if len(results) >= _RESULTS_KEPT:
                del results[next(iter(results))]
        results[needle] = hit  # (re-)inserted last: the most recently used
        return hit

    def _base_rows(self) -> list[int]:
        if self._base is None:
            self._base = self._passing_filters()
        return self._base

    def _passing_filters(self) -> list[int]:
        """The state/due/failed/unknown filters as C-level masks over all rows, AND-ed.

        Keep these in step with `_accepts` (one row at a time) and the row's own properties.
        """
        rows = self._source.rows if self._source is not None else []
        masks: list[Iterator[Any]] = []
        if self._state is not None:
            masks.append(map(eq, map(_STATE, rows), repeat(self._state)))
        if self._due_only:  # SubscriberRow.is_due
            masks.append(map(eq, map(_STATE, rows), repeat(SubscriberState.ACTIVE)))
            masks.append(map(le, map(_NEXT_CHARGE, rows), repeat(self._today)))
            masks.append(map(not_, map(_IN_DOUBT, rows)))
        if self._failed_only:  # SubscriberRow.last_charge_failed
            masks.append(map(FAILED_CHARGE_STATES.__contains__, map(_LAST_CHARGE_STATE, rows)))
        if self._unknown_only:
            masks.append(map(_IN_DOUBT, rows))
        if not masks:
            return self._all
        return list(compress(self._all, reduce(lambda a, b: map(and_, a, b), masks)))

    def _accepts(self, row: SubscriberRow) -> bool:
        """The same test as `_matching`, for one row (a live update)."""
        if self._needle and self._needle not in row.search_key:
            return False
        if self._state is not None and row.state != self._state:
            return False
        if self._due_only and not row.is_due(self._today):
            return False
        if self._failed_only and not row.last_charge_failed:
            return False
        return not (self._unknown_only and not row.in_doubt)

    def _proxy_row(self, source_row: int) -> int | None:
        visible = self._visible
        at = bisect_left(visible, source_row)
        return at if at < len(visible) and visible[at] == source_row else None

    def _present(self, rows: list[int]) -> None:
        """Show `rows` instead of `_visible`: one layout change, persistent indexes remapped.

        Not a model reset, so the selection and the current index stay on the subscribers that
        are still shown (rows filtered out leave the selection: nothing hidden gets charged).
        Not begin/endRemoveRows per range either: a scattered match is thousands of ranges.
        """
        old = self._visible
        if rows is old or rows == old:
            self._visible = rows
            return
        _with_hint(self.layoutAboutToBeChanged).emit([], _SORTED_ROWS)
        persistent = self.persistentIndexList()
        self._visible = rows
        moved = []
        for index in persistent:
            at = index.row()
            row = self._proxy_row(old[at]) if 0 <= at < len(old) else None
            moved.append(QModelIndex() if row is None else self.index(row, index.column()))
        self.changePersistentIndexList(persistent, moved)
        _with_hint(self.layoutChanged).emit([], _SORTED_ROWS)

    def _after_live_change(self) -> None:
        """Source rows changed one by one: `_visible` is exact, earlier results and the filter
        base may not be any more."""
        self._base = None
        self._results = {self._needle: self._visible} if self._needle else {}

    # --- following the source ----------------------------------------------------------------

    def _source_connections(self, model: SubscriberTableModel) -> list[tuple[Any, Any]]:
        return [
            (model.modelAboutToBeReset, self.beginResetModel),
            (model.modelReset, self._on_source_reset),
            (model.layoutAboutToBeChanged, self._on_source_layout_about_to_change),
            (model.layoutChanged, self._on_source_layout_changed),
            (model.rowsInserted, self._on_source_rows_inserted),
            (model.rowsAboutToBeRemoved, self._on_source_rows_about_to_be_removed),
            (model.rowsRemoved, self._on_source_rows_removed),
            (model.dataChanged, self._on_source_data_changed),
            (model.headerDataChanged, self.headerDataChanged),
        ]

    def _on_source_reset(self) -> None:
        self._rebuild()
        self.endResetModel()

    def _on_source_layout_about_to_change(self, *_args: object) -> None:
        """The source is about to re-sort: remember which subscriber each persistent index is on."""
        _with_hint(self.layoutAboutToBeChanged).emit([], _SORTED_ROWS)
        rows = self._source.rows if self._source is not None else []
        visible = self._visible
        self._held = [
            (p, rows[visible[p.row()]].id if 0 <= p.row() < len(visible) else None)
            for p in self.persistentIndexList()
        ]

    def _on_source_layout_changed(self, *_args: object) -> None:
        self._rebuild()  # the order of the source rows changed: every list is rebuilt
        source = self._source
        moved = []
        for p, sid in self._held:
            pos = source.position_of(sid) if source is not None and sid is not None else None
            row = self._proxy_row(pos) if pos is not None else None
            moved.append(QModelIndex() if row is None else self.index(row, p.column()))
        self.changePersistentIndexList([p for p, _ in self._held], moved)
        self._held = []
        _with_hint(self.layoutChanged).emit([], _SORTED_ROWS)

    def _on_source_rows_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        rows = self._source.rows if self._source is not None else []
        count = last - first + 1
        self._keys[first:first] = map(_SEARCH_KEY, rows[first : last + 1])
        self._all = list(range(len(rows)))
        # Rows after the insertion moved down in the source; shown rows stay where they are.
        visible = self._visible
        if visible and visible[-1] >= first:
            visible = [p + count if p >= first else p for p in visible]
        self._visible = visible
        new = [p for p in range(first, last + 1) if self._accepts(rows[p])]
        if new:
            at = bisect_left(visible, first)
            self.beginInsertRows(_ROOT, at, at + len(new) - 1)
            self._visible = visible[:at] + new + visible[at:]
            self.endInsertRows()
        self._after_live_change()

    def _on_source_rows_about_to_be_removed(
        self, _parent: QModelIndex, first: int, last: int
    ) -> None:
        lo, hi = bisect_left(self._visible, first), bisect_right(self._visible, last)
        if lo < hi:  # while the source rows are still there, for whoever looks at them now
            self.beginRemoveRows(_ROOT, lo, hi - 1)

    def _on_source_rows_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        count = last - first + 1
        del self._keys[first : last + 1]
        self._all = list(range(len(self._keys)))
        visible = self._visible
        lo, hi = bisect_left(visible, first), bisect_right(visible, last)
        self._visible = visible[:lo] + [p - count for p in visible[hi:]]
        if lo < hi:
            self.endRemoveRows()
        self._after_live_change()

    def _on_source_data_changed(
        self, top: QModelIndex, bottom: QModelIndex, roles: Sequence[int] = ()
    ) -> None:
        source = self._source
        first, last = top.row(), bottom.row()
        if source is None or first < 0 or last < first:
            return
        rows = source.rows
        self._keys[first : last + 1] = map(_SEARCH_KEY, rows[first : last + 1])
        if last - first + 1 > _BULK_CHANGE:
            self._base, self._results = None, {}
            self._present(self._matching())
        else:
            for pos in range(first, last + 1):
                self._refilter_row(pos, rows[pos])
            self._after_live_change()
        lo, hi = bisect_left(self._visible, first), bisect_right(self._visible, last) - 1
        if lo <= hi:
            self.dataChanged.emit(
                self.index(lo, top.column()),
                self.index(hi, bottom.column()),
                list(roles),
            )

    def _refilter_row(self, pos: int, row: SubscriberRow) -> None:
        visible = self._visible
        at = bisect_left(visible, pos)
        shown = at < len(visible) and visible[at] == pos
        if self._accepts(row) == shown:
            return
        if shown:
            self.beginRemoveRows(_ROOT, at, at)
            self._visible = visible[:at] + visible[at + 1 :]
            self.endRemoveRows()
        else:
            self.beginInsertRows(_ROOT, at, at)
            self._visible = [*visible[:at], pos, *visible[at:]]
            self.endInsertRows()
