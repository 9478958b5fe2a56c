"""A small dialog to edit a subscriber, validated as you type.

Only the fields staff may change (never the billing key's id, state or card). The OK button stays
disabled while anything is invalid and a line under the form says what. Name, phone, e-mail,
amount and plan follow the one rule set sign-up and the CSV import use
(`kpadmin.billing.fields.check_changes`): only what staff changed is judged, and it is saved
normalised (a phone as ``010-1234-5678``). The plan is offered from the catalogue (`PlanCombo`:
choosing a plan sets the amount to its price; any other name may be typed).
"""

from __future__ import annotations

from collections.abc import Sequence
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

from kpadmin.billing import fields
from kpadmin.billing.fields import FieldError
from kpadmin.billing.plans import Plan
from kpadmin.billing.records import Subscriber
from kpadmin.gui.formatting import format_phone, tr
from kpadmin.gui.plan_combo import PlanCombo
from kpadmin.gui.texts import say

MAX_AMOUNT = fields.AMOUNT_MAX


def field_message(error: FieldError) -> str:
    """A field rule's message in the UI language (its code, from the one catalogue)."""
    return say(error.note)


def check(subscriber: Subscriber, values: dict[str, Any]) -> fields.Checked:
    """The ruled fields staff changed, normalised, or their errors (`fields.check_changes`)."""
    stored = {key: getattr(subscriber, key) for key in fields.VALIDATORS}
    typed = {key: values[key] for key in fields.VALIDATORS if key in values}
    return fields.check_changes(stored, typed)


def validate(subscriber: Subscriber, values: dict[str, Any]) -> str | None:
    """The first problem with the values, in the UI language, or None."""
    checked = check(subscriber, values)
    if checked.errors:
        return field_message(checked.errors[0])
    if not 1 <= values["billing_day"] <= 31:
        return tr("The billing day must be between 1 and 31.")
    return None


class EditSubscriberDialog(QDialog):
    def __init__(
        self,
        subscriber: Subscriber,
        parent: QWidget | None = None,
        *,
        catalogue: Sequence[Plan] = (),
    ) -> None:
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
        # The catalogue's plans offered (choosing one sets the amount to its price); the
        # subscriber's own plan name stays as it is, in the catalogue or not.
        self.plan = PlanCombo(catalogue)
        self.plan.setText(subscriber.plan)
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
        for line in (self.name, self.phone, self.email):
            line.textChanged.connect(self._revalidate)
        self.plan.editTextChanged.connect(self._revalidate)
        self.plan.price_chosen.connect(self.amount.setValue)
        self.amount.valueChanged.connect(self._revalidate)
        self.billing_day.valueChanged.connect(self._revalidate)
        self._revalidate()

    def values(self) -> dict[str, Any]:
        """What the form holds, as typed: the field rules trim and normalise what they judge
        (trimming here first would hide characters they refuse, e.g. a trailing \\x1f)."""
        qd = self.next_charge.date()
        return {
            "name": self.name.text(),
            "phone": self.phone.text(),
            "email": self.email.text(),
            "plan": self.plan.text(),
            "amount": self.amount.value(),
            "billing_day": self.billing_day.value(),
            "next_charge_date": date(qd.year(), qd.month(), qd.day()),
            "memo": self.memo.toPlainText().strip(),
        }

    def changes(self) -> dict[str, Any]:
        """Only what differs from the subscriber as loaded: the ruled fields normalised (call it
        once the form is valid; a field with an error is left out)."""
        values = self.values()
        out: dict[str, Any] = dict(check(self.subscriber, values).values)
        for key, value in values.items():
            if key not in fields.VALIDATORS and getattr(self.subscriber, key) != value:
                out[key] = value
        return out

    def _revalidate(self) -> None:
        problem = validate(self.subscriber, self.values())
        self.problem.setText(problem or "")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(problem is None)
