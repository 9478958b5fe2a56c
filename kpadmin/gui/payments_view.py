"""Payments across all customers: a Korean date range, state, plan and search; totals at the
bottom; export to CSV or Excel with Korean times (`kpadmin.billing.payments_view`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kpadmin.billing import payments_view as pv
from kpadmin.billing.messages import AuditAction, Message, MessageCode
from kpadmin.billing.payments_view import LedgerLine, PaymentFilter, PaymentState
from kpadmin.gui import formatting as fmt
from kpadmin.gui import messages
from kpadmin.gui.backend import Backend
from kpadmin.gui.date_range import DateRange
from kpadmin.gui.formatting import tr

Index = QModelIndex | QPersistentModelIndex


def state_label(state: PaymentState) -> str:
    """The one vocabulary of docs/glossary.md."""
    return {
        PaymentState.PAID: tr("Paid"),
        PaymentState.DECLINED: tr("Declined"),
        PaymentState.REFUNDED: tr("Refunded"),
        PaymentState.PARTLY_REFUNDED: tr("Partly refunded"),
        PaymentState.UNKNOWN: tr("Outcome unknown"),
    }[state]


def export_headers() -> list[str]:
    names = {
        "at": tr("Time (KST)"),
        "state": tr("State"),
        "name": tr("Name"),
        "phone": tr("Phone"),
        "plan": tr("Plan"),
        "period": tr("Period"),
        "amount": tr("Amount"),
        "paid_amount": tr("Paid amount"),
        "refunded_amount": tr("Refunded amount"),
        "net_amount": tr("Net amount"),
        "order_id": "merchant_uid",
        "payment_id": "imp_uid",
        "key_id": "customer_uid",
        "fail_reason": tr("Decline reason"),
        "staff": tr("Staff"),
    }
    return [names[key] for key, _ in pv.EXPORT_COLUMNS]


class PaymentsModel(QAbstractTableModel):
    HEADERS = ("time", "state", "name", "phone", "plan", "amount", "refunded", "reason")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: list[LedgerLine] = []

    def set_lines(self, lines: list[LedgerLine]) -> None:
        self.beginResetModel()
        self.lines = lines
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("Time (KST)"),
            self.tr("State"),
            self.tr("Name"),
            self.tr("Phone"),
            self.tr("Plan"),
            self.tr("Amount"),
            self.tr("Refunded"),
            self.tr("Decline reason"),
        )[section]

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (5, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        paid = line.paid if line.paid else line.amount
        return (
            fmt.format_instant(line.at),
            state_label(pv.payment_state(line)),
            line.name,
            fmt.mask_phone(line.phone),
            line.plan,
            fmt.won(paid),
            fmt.won(line.refunded_amount) if line.refunded_amount else "",
            line.fail_reason or "",
        )[column]


class PaymentsView(QWidget):
    """The payments page of the books window."""

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("payments_view")
        self.backend = backend
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.range = DateRange(backend.today())
        top.addWidget(self.range)
        top.addStretch(1)
        layout.addLayout(top)
        filters = QHBoxLayout()
        self.state = QComboBox()
        self.state.setObjectName("payment_state_filter")
        self.state.addItem(self.tr("All states"), None)
        for state in PaymentState:
            self.state.addItem(state_label(state), state)
        self.plan = QComboBox()
        self.plan.setObjectName("payment_plan_filter")
        self.plan.addItem(self.tr("All plans"), None)
        self.search = QLineEdit()
        self.search.setObjectName("payment_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search name, phone or order id"))
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setObjectName("payments_export")
        menu = QMenu(self.export_button)
        menu.addAction(self.tr("Excel (.xlsx)…"), lambda: self.export("xlsx"))
        menu.addAction(self.tr("CSV (.csv)…"), lambda: self.export("csv"))
        self.export_button.setMenu(menu)
        filters.addWidget(self.search, 2)
        filters.addWidget(self.state)
        filters.addWidget(self.plan)
        filters.addStretch(1)
        filters.addWidget(self.export_button)
        layout.addLayout(filters)
        self.model = PaymentsModel(self)
        self.table = QTableView()
        self.table.setObjectName("payments_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        em = self.fontMetrics().horizontalAdvance("0")
        for column, width in enumerate((17, 12, 10, 14, 20, 11, 10)):
            header.resizeSection(column, width * em)
        # The state column holds its longest label whole ("Outcome unknown" was cut to "Outcome
        # un…" in English), measured in the language on screen.
        longest = max(self.fontMetrics().horizontalAdvance(state_label(s)) for s in PaymentState)
        header.resizeSection(1, max(12 * em, longest + 16))
        layout.addWidget(self.table, 1)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("payments_empty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #6b6b6b;")
        layout.addWidget(self.empty_label)
        self.totals_label = QLabel()
        self.totals_label.setObjectName("payments_totals")
        self.totals_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = self.totals_label.font()
        bold.setBold(True)
        self.totals_label.setFont(bold)
        layout.addWidget(self.totals_label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        self.range.changed.connect(self.refresh)
        self.state.currentIndexChanged.connect(lambda _i: self.refresh())
        self.plan.currentIndexChanged.connect(lambda _i: self.refresh())
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.refresh()

    def current_filter(self) -> PaymentFilter:
        start, end = self.range.range()
        state = self.state.currentData()
        return PaymentFilter(
            start,
            end,
            states=None if state is None else frozenset({state}),
            plan=self.plan.currentData(),
            search=self.search.text(),
        )

    def refresh(self) -> None:
        wanted = self.current_filter()
        try:
            lines = pv.payments(self.backend.store, wanted)
        except ValueError:
            lines = []
        self.model.set_lines(lines)
        self._fill_plans(wanted)
        t = pv.totals(lines)
        self.totals_label.setText(
            self.tr(
                "{count} rows · paid {paid_count} {paid} · refunded {refunded} · net {net} · "
                "declined {declined} · outcome unknown {unknown}"
            ).format(
                count=f"{t.count:,}",
                paid_count=f"{t.paid_count:,}",
                paid=fmt.won(t.paid_amount),
                refunded=fmt.won(t.refunded_amount),
                net=fmt.won(t.net_amount),
                declined=f"{t.declined_count:,}",
                unknown=f"{t.unknown_count:,}",
            )
        )
        if lines:
            self.empty_label.hide()
        else:
            self.empty_label.setText(
                self.tr(
                    "No payments match. Choose a longer period or clear the filters; payments "
                    "appear here after a charge (Charge all due) or a sign-up."
                )
            )
            self.empty_label.show()
        self.export_button.setEnabled(bool(lines))

    def _fill_plans(self, wanted: PaymentFilter) -> None:
        """The plans of the subscribers (kept when the list is rebuilt)."""
        current = self.plan.currentData()
        plans = sorted({s.plan for s in self.backend.subscribers.list_all() if s.plan})
        if current is not None and current not in plans:
            plans.append(current)
        existing = [self.plan.itemData(i) for i in range(1, self.plan.count())]
        if existing == plans:
            return
        self.plan.blockSignals(True)
        self.plan.clear()
        self.plan.addItem(self.tr("All plans"), None)
        for plan in plans:
            self.plan.addItem(plan, plan)
        self.plan.setCurrentIndex(max(0, self.plan.findData(current)))
        self.plan.blockSignals(False)

    def export(self, kind: str, path: Path | None = None) -> int | None:
        """Write what the view shows; `path` given: no dialog (tests, selftest)."""
        start, end = self.range.range()
        if path is None:
            suggested = f"payments-{start:%Y%m%d}-{end:%Y%m%d}.{kind}"
            caption = self.tr("Export payments")
            pattern = self.tr("Excel (*.xlsx)") if kind == "xlsx" else self.tr("CSV (*.csv)")
            chosen, _ = QFileDialog.getSaveFileName(self, caption, suggested, pattern)
            if not chosen:
                return None
            path = Path(chosen)
        lines = self.model.lines
        write = pv.write_xlsx if kind == "xlsx" else pv.write_csv
        try:
            count = write(path, lines, headers=export_headers(), state_label=state_label)
        except OSError as exc:
            messages.error(self.tr("Could not write {path}: {error}").format(path=path, error=exc))
            return None
        self.backend.record(
            AuditAction.EXPORT,
            Message.of(
                MessageCode.AUDIT_EXPORT_PAYMENTS,
                start=start.isoformat(),
                end=end.isoformat(),
                kind=kind,
                count=count,
                file=path.name,
            ),
        )
        messages.info(self.tr("{count} payments written to {path}").format(count=count, path=path))
        return count
