"""The audit view: every action (money, keys, subscribers, files, settings), filtered by Korean
date range, staff and kind of action; action names and details in the UI language (a row from
before audit codes shows the English it stored), times in KST."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kpadmin.billing import audit_view as av
from kpadmin.gui import formatting as fmt
from kpadmin.gui.backend import Backend
from kpadmin.gui.date_range import DateRange
from kpadmin.gui.texts import audit_detail, audit_label


class AuditView(QWidget):
    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audit_view")
        self.backend = backend
        self.lines: list[av.AuditLine] = []
        self.details: dict[int, str] = {}  # event id -> its detail in the UI language
        layout = QVBoxLayout(self)
        self.range = DateRange(backend.today())
        top = QHBoxLayout()
        top.addWidget(self.range)
        top.addStretch(1)
        layout.addLayout(top)
        filters = QHBoxLayout()
        self.staff = QComboBox()
        self.staff.setObjectName("audit_staff_filter")
        self.group = QComboBox()
        self.group.setObjectName("audit_action_filter")
        self.group.addItem(self.tr("All actions"), None)
        for key, label in (
            ("money", self.tr("Money (charges, refunds)")),
            ("keys", self.tr("Billing keys")),
            ("subscribers", self.tr("Subscribers and sign-ups")),
            ("files", self.tr("Imports and exports")),
            ("settings", self.tr("Settings and database")),
        ):
            self.group.addItem(label, key)
        self.search = QLineEdit()
        self.search.setObjectName("audit_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search name or detail"))
        self.copy_button = QPushButton(self.tr("Copy rows"))
        self.copy_button.clicked.connect(self.copy_rows)
        filters.addWidget(QLabel(self.tr("Staff:")))
        filters.addWidget(self.staff)
        filters.addWidget(QLabel(self.tr("Action:")))
        filters.addWidget(self.group)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.copy_button)
        layout.addLayout(filters)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("audit_table")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Time (KST)"),
                self.tr("Staff"),
                self.tr("Action"),
                self.tr("Subscriber"),
                self.tr("Detail"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        em = self.fontMetrics().horizontalAdvance("0")
        for column, width in enumerate((17, 10, 18, 10)):
            header.resizeSection(column, width * em)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel()
        self.count_label.setObjectName("audit_count")
        self.count_label.setWordWrap(True)
        layout.addWidget(self.count_label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self._fill)
        self._copied = QTimer(self)
        self._copied.setSingleShot(True)
        self._copied.setInterval(1500)
        self._copied.timeout.connect(lambda: self.copy_button.setText(self.tr("Copy rows")))
        self.range.changed.connect(self.refresh)
        self.staff.currentIndexChanged.connect(lambda _i: self.refresh())
        self.group.currentIndexChanged.connect(lambda _i: self.refresh())
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.refresh()

    def _fill_staff(self) -> None:
        current = self.staff.currentData()
        names = av.staff_names(self.backend.store)
        if [self.staff.itemData(i) for i in range(1, self.staff.count())] == names:
            return
        self.staff.blockSignals(True)
        self.staff.clear()
        self.staff.addItem(self.tr("Everyone"), None)
        for name in names:
            self.staff.addItem(name, name)
        self.staff.setCurrentIndex(max(0, self.staff.findData(current)))
        self.staff.blockSignals(False)

    def refresh(self) -> None:
        self._fill_staff()
        start, end = self.range.range()
        group = self.group.currentData()
        actions = None if group is None else tuple(a.value for a in av.GROUPS[group])
        try:
            self.lines = av.audit_lines(
                self.backend.store, start, end, staff=self.staff.currentData(), actions=actions
            )
        except ValueError:
            self.lines = []
        self.details = {line.event.id: audit_detail(line.event) for line in self.lines}
        self._fill()

    def _fill(self) -> None:
        needle = self.search.text().strip().casefold()
        shown = [line for line in self.lines if not needle or needle in self._searched(line)]
        self.table.setRowCount(len(shown))
        for r, line in enumerate(shown):
            e = line.event
            cells = (
                fmt.format_instant(e.at),
                e.staff,
                audit_label(e.action),
                line.subscriber_name or "—",
                self.details[e.id],
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 4:
                    item.setToolTip(text)
                self.table.setItem(r, c, item)
        if shown:
            self.count_label.setText(self.tr("{count} actions").format(count=f"{len(shown):,}"))
        else:
            self.count_label.setText(
                self.tr(
                    "No actions in this period. Choose a longer period or another staff member "
                    "or action; every charge, refund, sign-up, import, export and settings change "
                    "is listed here."
                )
            )

    def _searched(self, line: av.AuditLine) -> str:
        """What the search box looks in: the name, the detail as shown and its English."""
        e = line.event
        return f"{line.subscriber_name}\n{self.details[e.id]}\n{e.detail}".casefold()

    def copy_rows(self) -> None:
        """The rows shown (or the selected ones), tab-separated, for a report or a message."""
        rows = sorted({i.row() for i in self.table.selectedIndexes()}) or range(
            self.table.rowCount()
        )

        def cell(r: int, c: int) -> str:
            item = self.table.item(r, c)
            return item.text() if item is not None else ""

        text = "\n".join(
            "\t".join(cell(r, c) for c in range(self.table.columnCount())) for r in rows
        )
        QApplication.clipboard().setText(text)
        self.copy_button.setText(self.tr("Copied"))
        self._copied.start()  # a child timer: it dies with the view, never calls into a dead one
