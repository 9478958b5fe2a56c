"""A Korean-calendar date range picker (from, to and the usual presets) for the payments view, the
settlement report and the audit view. Dates are Korean days (Asia/Seoul): the views turn them into
instants through billing."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(day: date) -> tuple[date, date]:
    last = month_start(day) - timedelta(days=1)
    return last.replace(day=1), last


class DateRange(QWidget):
    """From / to (both included) with presets; `changed` after either moves."""

    changed = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.preset = QComboBox()
        self.preset.setObjectName("range_preset")
        for key, label in (
            ("month", self.tr("This month")),
            ("today", self.tr("Today")),
            ("7", self.tr("Last 7 days")),
            ("30", self.tr("Last 30 days")),
            ("last_month", self.tr("Last month")),
            ("year", self.tr("This year")),
            ("custom", self.tr("Chosen dates")),
        ):
            self.preset.addItem(label, key)
        self.start_edit = QDateEdit()
        self.end_edit = QDateEdit()
        for edit, name in ((self.start_edit, "range_from"), (self.end_edit, "range_to")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        layout.addWidget(QLabel(self.tr("Period (Korean time):")))
        layout.addWidget(self.preset)
        layout.addWidget(self.start_edit)
        layout.addWidget(QLabel("~"))
        layout.addWidget(self.end_edit)
        self._quiet = False
        self.set_range(month_start(today), today, preset=True)
        self.preset.currentIndexChanged.connect(self._on_preset)
        self.start_edit.dateChanged.connect(self._on_edit)
        self.end_edit.dateChanged.connect(self._on_edit)

    def range(self) -> tuple[date, date]:
        start, end = _pydate(self.start_edit.date()), _pydate(self.end_edit.date())
        return (start, end) if start <= end else (end, start)

    def set_range(self, start: date, end: date, *, preset: bool = False) -> None:
        """Show `start`..`end` (a caller's dates: the preset says "Chosen dates")."""
        if not preset:
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(self.preset.findData("custom"))
            self.preset.blockSignals(False)
        self._quiet = True
        try:
            self.start_edit.setDate(_qdate(start))
            self.end_edit.setDate(_qdate(end))
        finally:
            self._quiet = False
        self.changed.emit()

    def _on_preset(self, _index: int) -> None:
        key = self.preset.currentData()
        today = self.today
        if key == "today":
            self.set_range(today, today, preset=True)
        elif key == "month":
            self.set_range(month_start(today), today, preset=True)
        elif key in ("7", "30"):
            self.set_range(today - timedelta(days=int(key) - 1), today, preset=True)
        elif key == "last_month":
            self.set_range(*previous_month(today), preset=True)
        elif key == "year":
            self.set_range(today.replace(month=1, day=1), today, preset=True)

    def _on_edit(self, _date: QDate) -> None:
        if self._quiet:
            return
        custom = self.preset.findData("custom")
        if self.preset.currentIndex() != custom:
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(custom)
            self.preset.blockSignals(False)
        self.changed.emit()
