"""The confirmation before money moves: who, how much in total, and who is skipped and why.

Opened with ``open()`` (window-modal, never ``exec()`` in a coroutine); ``accepted`` starts the
batch. With nobody to charge it only explains the skips and offers Close.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from kpadmin.billing.due import Plan
from kpadmin.gui import formatting as fmt
from kpadmin.gui.charging.texts import skip_detail, skip_label

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ConfirmChargeDialog(QDialog):
    """Shows a `Plan`; ``accepted`` means "charge them"."""

    def __init__(
        self,
        plan: Plan,
        parent=None,
        *,
        early: int = 0,
        today: date | None = None,
        mode: str = "sandbox",
    ):
        super().__init__(parent)
        self.plan = plan
        # Every money prompt names the mode, spelled as the mode banner spells it (in the UI
        # language): "LIVE: Charge 12 subscriber(s) now?", "실거래: 구독자 12명을 지금 결제할까요?".
        self.mode_name = fmt.mode_label(mode)
        self.setObjectName("confirm_charge_dialog")
        title = self.tr("Confirm charge")
        self.setWindowTitle(f"{title} — {self.mode_name}")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(620, 520 if plan.skipped else 420)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)

        self.headline = QLabel()
        self.headline.setObjectName("confirm_headline")
        font = QFont(self.headline.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setWeight(QFont.Weight.DemiBold)
        self.headline.setFont(font)
        self.total = QLabel()
        self.total.setObjectName("confirm_total")
        big = QFont(font)
        big.setPointSizeF(font.pointSizeF() * 1.25)
        self.total.setFont(big)
        if plan.count:
            self.headline.setText(
                f"{self.mode_name}: "
                + self.tr("Charge {n} subscriber(s) now?").format(n=plan.count)
            )
            self.total.setText(self.tr("{total} in total").format(total=fmt.won(plan.total_amount)))
        else:
            self.headline.setText(self.tr("Nobody can be charged"))
            self.total.setText("")
            self.total.hide()
        layout.addWidget(self.headline)
        layout.addWidget(self.total)
        note = []
        if early:
            note.append(self.tr("{n} of them before their next charge date.").format(n=early))
        if plan.count:
            note.append(
                self.tr(
                    "Each charge goes to the customer's Kakao Pay billing key once; "
                    "you can stop the batch, but charges already sent cannot be recalled."
                )
            )
        self.note = QLabel(" ".join(note))
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #57606a;")
        self.note.setVisible(bool(note))
        layout.addWidget(self.note)

        self.items = QTreeWidget()
        self.items.setObjectName("confirm_items")
        self.items.setRootIsDecorated(False)
        self.items.setHeaderLabels(
            [self.tr("Subscriber"), self.tr("Plan"), self.tr("Period"), self.tr("Amount")]
        )
        rows = []
        for item in plan.items:
            row = QTreeWidgetItem([item.name, item.plan_name, item.period, fmt.won(item.amount)])
            row.setTextAlignment(3, _RIGHT)
            rows.append(row)
        self.items.addTopLevelItems(rows)
        _fit(self.items)
        self.items.setVisible(bool(plan.items))
        layout.addWidget(self.items, 2)

        self.skipped_label = QLabel()
        self.skipped = QTreeWidget()
        self.skipped.setObjectName("confirm_skipped")
        self.skipped.setRootIsDecorated(False)
        self.skipped.setHeaderLabels([self.tr("Subscriber"), self.tr("Why"), self.tr("Detail")])
        if plan.skipped:
            counts = ", ".join(
                f"{skip_label(reason)} {n}" for reason, n in plan.skip_counts().items()
            )
            self.skipped_label.setText(
                self.tr("Skipped {n}: {counts}").format(n=len(plan.skipped), counts=counts)
            )
            self.skipped.addTopLevelItems(
                [
                    QTreeWidgetItem(
                        [s.name or s.key_id, skip_label(s.reason), skip_detail(s)]
                    )
                    for s in plan.skipped
                ]
            )
            _fit(self.skipped)
        else:
            self.skipped_label.hide()
            self.skipped.hide()
        layout.addWidget(self.skipped_label)
        layout.addWidget(self.skipped, 1)

        buttons = QDialogButtonBox()
        self.charge_button: QPushButton | None
        if plan.count:
            self.charge_button = buttons.addButton(
                self.tr("Charge {total}").format(total=fmt.won(plan.total_amount)),
                QDialogButtonBox.ButtonRole.AcceptRole,
            )
            self.charge_button.setObjectName("confirm_charge_button")
            self.cancel_button = buttons.addButton(
                self.tr("Don't charge"), QDialogButtonBox.ButtonRole.RejectRole
            )
            # Money moves only on an explicit click: Enter must not charge anyone.
            self.charge_button.setAutoDefault(False)
            self.cancel_button.setDefault(True)
        else:
            self.charge_button = None
            self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def _fit(tree: QTreeWidget) -> None:
    header = tree.header()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column in range(tree.columnCount() - 1):
        tree.resizeColumnToContents(column)
