"""The plans catalogue (상품): plans with their price and subscribers, a new plan, and a price
change from a chosen month with its preview (`kpadmin.billing.plans`)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kpadmin.billing import plans
from kpadmin.billing.periods import last_months
from kpadmin.gui import formatting as fmt
from kpadmin.gui import messages
from kpadmin.gui.backend import Backend

#: How many months ahead a price change may start.
MONTHS_AHEAD = 12


class PlansDialog(QDialog):
    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plans_dialog")
        self.setWindowTitle(self.tr("Plans"))
        self.backend = backend
        self.preview: plans.PricePreview | None = None
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("plans_table")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Plan"), self.tr("Price"), self.tr("Subscribers"), self.tr("Price change")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._forget_preview)
        layout.addWidget(self.table, 1)
        self.empty = QLabel(
            self.tr("No plans yet. Add one below: its name is what subscribers' plan says.")
        )
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)

        add_box = QGroupBox(self.tr("New plan"))
        add_row = QHBoxLayout(add_box)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(self.tr("Plan name"))
        self.new_price = QLineEdit()
        self.new_price.setPlaceholderText(self.tr("Monthly price, e.g. 9,900"))
        self.add_button = QPushButton(self.tr("Add plan"))
        self.add_button.clicked.connect(self.add_plan)
        add_row.addWidget(self.new_name, 2)
        add_row.addWidget(self.new_price, 1)
        add_row.addWidget(self.add_button)
        layout.addWidget(add_box)

        change_box = QGroupBox(self.tr("Change the selected plan's price"))
        form = QFormLayout(change_box)
        self.price = QLineEdit()
        self.price.setPlaceholderText(self.tr("New monthly price"))
        self.price.textChanged.connect(self._forget_preview)
        self.period = QComboBox()
        today = backend.today()
        for month in last_months(_months_later(today, MONTHS_AHEAD), MONTHS_AHEAD + 1):
            self.period.addItem(month, month)
        self.period.currentIndexChanged.connect(self._forget_preview)
        form.addRow(self.tr("New price:"), self.price)
        form.addRow(self.tr("From the charges of:"), self.period)
        buttons = QHBoxLayout()
        self.preview_button = QPushButton(self.tr("Preview"))
        self.preview_button.clicked.connect(self.show_preview)
        self.apply_button = QPushButton(self.tr("Apply the change"))
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.apply_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.preview_text = QPlainTextEdit()
        self.preview_text.setObjectName("price_preview")
        self.preview_text.setReadOnly(True)
        self.preview_text.setMinimumHeight(160)
        form.addRow(self.preview_text)
        layout.addWidget(change_box)

        self.error = QLabel()
        self.error.setObjectName("plans_error")
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(720, 640)
        self.refresh()

    def refresh(self) -> None:
        catalogue = plans.list_plans(self.backend.store)
        counts = plans.subscriber_counts(self.backend.store)
        pending = {c.plan_id: c for c in plans.pending_changes(self.backend.store)}
        self.table.setRowCount(len(catalogue))
        for r, plan in enumerate(catalogue):
            change = pending.get(plan.id)
            waiting = (
                self.tr("from {period}: some subscribers still at the old price").format(
                    period=change.from_period
                )
                if change
                else ""
            )
            cells = (plan.name, fmt.won(plan.price), f"{counts.get(plan.name, 0):,}", waiting)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, plan.id)
                if c in (1, 2):  # money and counts right-aligned, as in every other table
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        self.empty.setVisible(not catalogue)
        self.catalogue = catalogue

    def selected_plan(self) -> plans.Plan | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if len(rows) != 1:
            return None
        return self.catalogue[rows.pop()]

    def add_plan(self) -> None:
        try:
            plans.add_plan(
                self.backend.store,
                self.new_name.text(),
                self.new_price.text(),
                staff=self.backend.staff,
                now=self.backend.now(),
            )
        except plans.PlanError as exc:
            self.error.setText(self.tr("Not added: {why}").format(why=exc))
            return
        self.error.clear()
        self.new_name.clear()
        self.new_price.clear()
        self.refresh()

    def _forget_preview(self, *_args: object) -> None:
        self.preview = None
        self.apply_button.setEnabled(False)
        self.preview_text.clear()

    def show_preview(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            self.error.setText(self.tr("Select a plan in the list first."))
            return
        try:
            preview = plans.preview_price_change(
                self.backend.store,
                plan,
                self.price.text(),
                self.period.currentData(),
                today=self.backend.today(),
                notices=self.backend.collections.notices,
            )
        except plans.PlanError as exc:
            self.error.setText(self.tr("No change: {why}").format(why=exc))
            return
        self.error.clear()
        lines = [
            self.tr("{plan}: {old} → {new} from the charges of {period}.").format(
                plan=plan.name,
                old=fmt.won(plan.price),
                new=fmt.won(preview.new_price),
                period=preview.from_period,
            ),
            # Who is told comes before the lists: staff read it without scrolling.
            *self._notice_lines(preview),
            self.tr("Changed now ({n}): their next charge is in {period} or later").format(
                n=len(preview.now), period=preview.from_period
            ),
        ]
        lines += [
            f"  {sub.name} ({sub.next_charge_date}): {fmt.won(old)} → {fmt.won(preview.new_price)}"
            for sub, old in preview.now
        ]
        lines.append(
            self.tr(
                "Changed when their next charge reaches {period} ({n}): the charge before it "
                "keeps the old price"
            ).format(n=len(preview.later), period=preview.from_period)
        )
        lines += [
            f"  {sub.name} ({sub.next_charge_date}): {fmt.won(old)} → {fmt.won(preview.new_price)}"
            for sub, old in preview.later
        ]
        self.preview_text.setPlainText("\n".join(lines))
        self.preview = preview
        self.apply_button.setEnabled(True)

    def _notice_lines(self, preview: plans.PricePreview) -> list[str]:
        """Who is told of the new price, and whether it comes sooner than the notice lead time."""
        if not preview.notices_on:
            return [self.tr("Notices are off: no customer is told of the new price.")]
        lines = [
            self.tr(
                "Customers told of the new price by e-mail: {n} (a customer without an e-mail "
                "address is not told)"
            ).format(n=len(preview.notified))
        ]
        if preview.short_notice:
            lines.append(
                self.tr(
                    "Sooner than the {days}-day notice: {n} customer(s) pay the new price less "
                    "than {days} days from today, the first on {date}. Choose a later month to "
                    "give them the full notice."
                ).format(
                    days=preview.lead_days,
                    n=len(preview.short_notice),
                    date=preview.short_notice[0][1].isoformat(),
                )
            )
            lines += [f"  {sub.name} ({day})" for sub, day in preview.short_notice]
        return lines

    def apply(self) -> None:
        if self.preview is None:
            return
        try:
            count = plans.apply_price_change(
                self.backend.store,
                self.preview,
                staff=self.backend.staff,
                now=self.backend.now(),
                notices=self.backend.collections.notices,
            )
        except plans.PlanError as exc:
            self.error.setText(self.tr("No change: {why}").format(why=exc))
            self._forget_preview()
            self.refresh()
            return
        self.backend.notify_changed(None)
        done = self.tr("Price changed: {n} subscribers now, {later} later.").format(
            n=count, later=len(self.preview.later)
        )
        if self.preview.notices_on:
            done += " " + self.tr(
                "{n} customer(s) will be told by e-mail when the notices are sent."
            ).format(n=len(self.preview.notified))
        messages.info(done)
        self._forget_preview()
        self.refresh()


def _months_later(today: date, months: int) -> date:
    """The 1st of the month `months` calendar months after `today`'s."""
    index = today.year * 12 + today.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
