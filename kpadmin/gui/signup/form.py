"""The sign-up form: fields, validation as you type, inline messages (no QtWebEngine here).

Validation is `kpadmin.billing.signup.form_errors`; this widget only shows its messages (codes,
said in the UI language by `kpadmin.gui.texts.say`). A field's
message appears once that field has been edited (or after `reveal_all_errors()`), so an empty form
does not open with a wall of red; `validity_changed(bool)` follows the whole form on every key.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kpadmin.billing.messages import Message
from kpadmin.billing.plans import Plan
from kpadmin.billing.records import SignupChannel
from kpadmin.billing.signup import (
    RawSignupForm,
    SignupForm,
    form_errors,
    parse_amount,
    validate_form,
)
from kpadmin.gui.formatting import seoul_today, won
from kpadmin.gui.plan_combo import PlanCombo
from kpadmin.gui.texts import say

ERROR_STYLE = "color: #b42318; font-size: 12px;"
HINT_STYLE = "color: #57606a; font-size: 12px;"


class _Field:
    """One input, its inline message label and whether it has been touched."""

    def __init__(self, name: str, widget: QWidget, message: QLabel) -> None:
        self.name = name
        self.widget = widget
        self.message = message
        self.touched = False


class SignupFormWidget(QWidget):
    validity_changed = Signal(bool)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        catalogue: Sequence[Plan] = (),
    ) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. 김하늘"))
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("010-1234-5678")
        self.phone.setInputMethodHints(self.phone.inputMethodHints())
        self.email = QLineEdit()
        self.email.setPlaceholderText(self.tr("optional"))
        # The catalogue's plans offered; choosing one fills the amount with its price.
        self.plan = PlanCombo(catalogue)
        self.plan.setPlaceholderText(
            self.tr("choose or type a plan") if catalogue else self.tr("e.g. 프리미엄 월 구독")
        )
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("9,900")
        self.billing_day = QSpinBox()
        self.billing_day.setRange(1, 31)
        self.billing_day.setValue((today or seoul_today()).day)
        self.billing_day.setSuffix(self.tr(" of each month"))
        self.first_payment = QCheckBox(self.tr("Take the first payment now"))
        self.first_payment.setChecked(True)
        self.channel_phone = QRadioButton(self.tr("Phone"))
        self.channel_in_person = QRadioButton(self.tr("In person"))
        self.channel_phone.setChecked(True)
        self.channel_group = QButtonGroup(self)
        self.channel_group.addButton(self.channel_phone)
        self.channel_group.addButton(self.channel_in_person)

        self.fields: dict[str, _Field] = {}
        form = QFormLayout()
        form.setVerticalSpacing(4)
        form.setHorizontalSpacing(16)

        def add(name: str, label: str, widget: QWidget) -> None:
            message = QLabel()
            message.setStyleSheet(ERROR_STYLE)
            message.setObjectName(f"error_{name}")
            message.setVisible(False)
            box = QVBoxLayout()
            box.setSpacing(2)
            box.setContentsMargins(0, 0, 0, 6)
            box.addWidget(widget)
            box.addWidget(message)
            form.addRow(label, box)
            self.fields[name] = _Field(name, widget, message)

        channel_row = QWidget()
        channel_box = QHBoxLayout(channel_row)
        channel_box.setContentsMargins(0, 0, 0, 0)
        channel_box.addWidget(self.channel_phone)
        channel_box.addWidget(self.channel_in_person)
        channel_box.addStretch(1)

        add("name", self.tr("Name"), self.name)
        add("phone", self.tr("Mobile"), self.phone)
        add("email", self.tr("E-mail"), self.email)
        add("plan", self.tr("Plan"), self.plan)
        add("amount", self.tr("Monthly amount (₩)"), self.amount)
        add("billing_day", self.tr("Billing day"), self.billing_day)
        add("channel", self.tr("Channel"), channel_row)
        form.addRow("", self.first_payment)
        self.first_payment_hint = QLabel()
        self.first_payment_hint.setStyleSheet(HINT_STYLE)
        self.first_payment_hint.setWordWrap(True)
        form.addRow("", self.first_payment_hint)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)

        for name, edit in (
            ("name", self.name),
            ("phone", self.phone),
            ("email", self.email),
            ("plan", self.plan.line()),
            ("amount", self.amount),
        ):
            edit.textEdited.connect(lambda _text, n=name: self._touch(n))
        self.plan.activated.connect(lambda _i: self._touch("plan"))
        self.plan.price_chosen.connect(self._fill_amount)
        self.amount.editingFinished.connect(self._format_amount)
        self.billing_day.valueChanged.connect(lambda _v: self._touch("billing_day"))
        self.first_payment.toggled.connect(lambda _on: self._revalidate())
        self.channel_group.buttonToggled.connect(lambda *_: self._touch("channel"))
        self._valid = False
        self._revalidate()

    # --- values -----------------------------------------------------------------------------

    def raw(self) -> RawSignupForm:
        return RawSignupForm(
            name=self.name.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            plan=self.plan.text(),
            amount=self.amount.text(),
            billing_day=str(self.billing_day.value()),
            first_payment_now=self.first_payment.isChecked(),
            channel=(
                SignupChannel.IN_PERSON.value
                if self.channel_in_person.isChecked()
                else SignupChannel.PHONE.value
            ),
        )

    def set_values(self, raw: RawSignupForm) -> None:
        """Fill the form (tests, "try again"); every field counts as touched."""
        self.name.setText(raw.name)
        self.phone.setText(raw.phone)
        self.email.setText(raw.email)
        self.plan.setText(raw.plan)
        self.amount.setText(raw.amount)
        if raw.billing_day.isdigit() and 1 <= int(raw.billing_day) <= 31:
            self.billing_day.setValue(int(raw.billing_day))
        self.first_payment.setChecked(raw.first_payment_now)
        in_person = raw.channel == SignupChannel.IN_PERSON.value
        (self.channel_in_person if in_person else self.channel_phone).setChecked(True)
        self.reveal_all_errors()

    def is_valid(self) -> bool:
        return self._valid

    def validated(self) -> SignupForm:
        """The validated form (raises `FormInvalid` if it is not valid)."""
        return validate_form(self.raw())

    def errors(self) -> dict[str, Message]:
        return form_errors(self.raw())

    def reveal_all_errors(self) -> None:
        for field in self.fields.values():
            field.touched = True
        self._revalidate()

    # --- as you type ------------------------------------------------------------------------

    def _touch(self, name: str) -> None:
        self.fields[name].touched = True
        self._revalidate()

    def _fill_amount(self, price: int) -> None:
        """A catalogue plan was chosen: its price is the amount (staff may still change it)."""
        self.amount.setText(f"{price:,}")
        self._touch("amount")

    def _format_amount(self) -> None:
        amount = parse_amount(self.amount.text())
        if amount is not None and amount > 0:
            self.amount.setText(f"{amount:,}")
        self._revalidate()

    def _revalidate(self) -> None:
        errors = form_errors(self.raw())
        for name, field in self.fields.items():
            message = errors.get(name)
            show = message is not None and field.touched
            text = say(message) if show and message is not None else ""
            field.message.setText(text)
            field.message.setVisible(show)
            field.widget.setProperty("invalid", show)
            field.widget.setToolTip(text)
        amount = parse_amount(self.amount.text())
        if self.first_payment.isChecked():
            text = (
                self.tr("The customer pays {amount} now; the next charge is next month.").format(
                    amount=won(amount)
                )
                if amount
                else self.tr("The customer pays the first month now.")
            )
        else:
            text = self.tr(
                "Only the card is registered now (₩0); the first charge is on the billing day."
            )
        self.first_payment_hint.setText(text)
        valid = not errors
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)
