"""A small dialog to edit a subscriber, validated as you type.

Only the fields staff may change (never customer_uid, state or card). The OK button stays disabled
while anything is invalid and a line under the form says what.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kpadmin.billing.records import Subscriber
from kpadmin.gui.formatting import format_phone, phone_digits, tr

MAX_AMOUNT = 10_000_000  # ₩10M: far above any subscription; a typo guard, not a business rule
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def validate(values: dict[str, Any]) -> str | None:
    """The first problem with the values, or None."""
    if not values["name"].strip():
        return tr("Enter a name.")
    if len(values["name"]) > 60:
        return tr("The name is limited to 60 characters.")
    digits = phone_digits(values["phone"])
    if values["phone"].strip() and not (9 <= len(digits) <= 11 and digits.startswith("0")):
        return tr("Enter a Korean phone number, e.g. 010-1234-5678.")
    if values["email"] and not _EMAIL.match(values["email"]):
        return tr("The e-mail address does not look right.")
    if not 0 < values["amount"] <= MAX_AMOUNT:
        return tr("The amount must be between ₩1 and ₩10,000,000.")
    if not 1 <= values["billing_day"] <= 31:
        return tr("The billing day must be between 1 and 31.")
    return None


class EditSubscriberDialog(QDialog):
    def __init__(self, subscriber: Subscriber, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.subscriber = subscriber
        self.setWindowTitle(self.tr("Edit {name}").format(name=subscriber.name))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(400)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(subscriber.name)
        self.phone = QLineEdit(format_phone(subscriber.phone))
        self.email = QLineEdit(subscriber.email)
        self.plan = QLineEdit(subscriber.plan)
        self.amount = QSpinBox()
        self.amount.setRange(0, MAX_AMOUNT)
        self.amount.setGroupSeparatorShown(True)
        self.amount.setPrefix("₩")
        self.amount.setSingleStep(100)
        self.amount.setValue(subscriber.amount)
        self.billing_day = QSpinBox()
        self.billing_day.setRange(1, 31)
        self.billing_day.setValue(subscriber.billing_day)
        self.next_charge = QDateEdit()
        self.next_charge.setCalendarPopup(True)
        self.next_charge.setDisplayFormat("yyyy-MM-dd")
        d = subscriber.next_charge_date
        self.next_charge.setDate(QDate(d.year, d.month, d.day))
        self.memo = QPlainTextEdit(subscriber.memo)
        self.memo.setFixedHeight(60)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow(self.tr("E-mail"), self.email)
        form.addRow(self.tr("Plan"), self.plan)
        form.addRow(self.tr("Amount"), self.amount)
        form.addRow(self.tr("Billing day"), self.billing_day)
        form.addRow(self.tr("Next charge"), self.next_charge)
        form.addRow(self.tr("Memo"), self.memo)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setObjectName("edit_problem")
        self.problem.setStyleSheet("color: #c0392b;")
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for line in (self.name, self.phone, self.email, self.plan):
            line.textChanged.connect(self._revalidate)
        self.amount.valueChanged.connect(self._revalidate)
        self.billing_day.valueChanged.connect(self._revalidate)
        self._revalidate()

    def values(self) -> dict[str, Any]:
        qd = self.next_charge.date()
        return {
            "name": self.name.text().strip(),
            "phone": phone_digits(self.phone.text()),
            "email": self.email.text().strip(),
            "plan": self.plan.text().strip(),
            "amount": self.amount.value(),
            "billing_day": self.billing_day.value(),
            "next_charge_date": date(qd.year(), qd.month(), qd.day()),
            "memo": self.memo.toPlainText().strip(),
        }

    def changes(self) -> dict[str, Any]:
        """Only what differs from the subscriber as loaded."""
        out = {}
        for key, value in self.values().items():
            old = getattr(self.subscriber, key)
            if key == "phone":
                old = phone_digits(old)
            if old != value:
                out[key] = value
        return out

    def _revalidate(self) -> None:
        problem = validate(self.values())
        self.problem.setText(problem or "")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(problem is None)
