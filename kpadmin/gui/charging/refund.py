"""Refunds: the dialog (charge, full or partial amount, reason, then a confirmation page) and
the words for what billing's refund did.

The money rules (checksum, a lost answer looked up, only what i'mport shows recorded, the audit
row) are `kpadmin.billing.refunds`'; `perform_refund` asks it and says the outcome.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kpadmin.billing import refunds
from kpadmin.billing.records import Charge
from kpadmin.billing.refunds import MAX_REASON, RefundState, refundable
from kpadmin.billing.refunds import paid_of as _paid
from kpadmin.gui import formatting as fmt
from kpadmin.gui.formatting import tr

log = logging.getLogger(__name__)


def parse_amount(text: str) -> int | None:
    """'3,000' / '₩3000' / '3 000' → 3000; None for anything that is not a whole positive number."""
    digits = text.strip().replace(",", "").replace("₩", "").replace(" ", "").replace("원", "")
    if not digits.isdigit():
        return None
    value = int(digits)
    return value if value > 0 else None


@dataclass(frozen=True, slots=True)
class RefundRequest:
    subscriber_id: int
    charge_id: int
    amount: int  # what to refund now
    full: bool  # the whole remaining balance
    balance: int  # the checksum: what we believe is refundable
    reason: str


@dataclass(frozen=True, slots=True)
class RefundOutcome:
    ok: bool
    text: str  # for the staff (already translated)
    refunded_total: int | None = None  # the charge's cancelled_amount now, when known


class RefundDialog(QDialog):
    """Pick a paid charge, full or partial, a reason; review; ``refund_requested`` on confirm."""

    refund_requested = Signal(object)  # RefundRequest

    def __init__(
        self, subscriber_id: int, name: str, charges: list[Charge], preselect: int = 0, parent=None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("refund_dialog")
        self.subscriber_id = subscriber_id
        self.name = name
        self.charges = [c for c in charges if refundable(c) > 0]
        self.setWindowTitle(self.tr("Refund"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(540, 280)
        self.pending: RefundRequest | None = None

        self.stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self.stack.addWidget(self._build_form())
        self.stack.addWidget(self._build_review())
        index = next((i for i, c in enumerate(self.charges) if c.id == preselect), 0)
        self.charge_box.setCurrentIndex(index)
        self._on_charge_changed()

    # --- page 1: the form -------------------------------------------------------------------

    def _build_form(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        title = QLabel(self.tr("Refund a payment of {name}").format(name=self.name))
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        title.setFont(font)
        layout.addWidget(title)
        form = QFormLayout()
        self.charge_box = QComboBox()
        self.charge_box.setObjectName("refund_charge")
        for charge in self.charges:
            text = self.tr("{period} · {amount} paid {when}").format(
                period=charge.period,
                amount=fmt.won(_paid(charge)),
                when=fmt.format_instant(charge.paid_at),
            )
            if charge.cancelled_amount:
                text += " · " + self.tr("{left} left").format(left=fmt.won(refundable(charge)))
            self.charge_box.addItem(text, charge.id)
        self.charge_box.currentIndexChanged.connect(lambda _i: self._on_charge_changed())
        form.addRow(self.tr("Payment"), self.charge_box)

        self.full = QRadioButton()
        self.full.setObjectName("refund_full")
        self.partial = QRadioButton(self.tr("Part of it:"))
        self.partial.setObjectName("refund_partial")
        group = QButtonGroup(self)
        group.addButton(self.full)
        group.addButton(self.partial)
        self.full.setChecked(True)
        self.amount = QLineEdit()
        self.amount.setObjectName("refund_amount")
        self.amount.setPlaceholderText("₩")
        self.amount.setEnabled(False)
        partial_row = QHBoxLayout()
        partial_row.addWidget(self.partial)
        partial_row.addWidget(self.amount, 1)
        form.addRow(self.tr("Amount"), self.full)
        form.addRow("", partial_row)
        self.full.toggled.connect(lambda _on: self._validate())
        self.partial.toggled.connect(lambda on: self.amount.setEnabled(on))
        self.amount.textChanged.connect(lambda _t: self._validate())

        self.reason = QLineEdit()
        self.reason.setObjectName("refund_reason")
        self.reason.setMaxLength(MAX_REASON)
        self.reason.setPlaceholderText(self.tr("Required: why the customer gets money back"))
        self.reason.textChanged.connect(lambda _t: self._validate())
        form.addRow(self.tr("Reason"), self.reason)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("refund_error")
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        self.review_button = QPushButton(self.tr("Review…"))
        self.review_button.setObjectName("refund_review")
        self.review_button.setDefault(True)
        self.review_button.clicked.connect(self.review)
        buttons.addWidget(cancel)
        buttons.addWidget(self.review_button)
        layout.addLayout(buttons)
        return page

    # --- page 2: the confirmation -------------------------------------------------------------

    def _build_review(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.review_text = QLabel()
        self.review_text.setObjectName("refund_review_text")
        self.review_text.setWordWrap(True)
        font = QFont(self.review_text.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.review_text.setFont(font)
        layout.addWidget(self.review_text)
        warn = QLabel(self.tr("A refund cannot be undone."))
        warn.setStyleSheet("color: #b9770e;")
        layout.addWidget(warn)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        back = QPushButton(self.tr("Back"))
        back.clicked.connect(lambda: self.stack.setCurrentIndex(0))
        self.confirm_button = QPushButton(self.tr("Refund"))
        self.confirm_button.setObjectName("refund_confirm")
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.clicked.connect(self.confirm)
        buttons.addWidget(back)
        buttons.addWidget(self.confirm_button)
        layout.addLayout(buttons)
        return page

    # --- behaviour ----------------------------------------------------------------------------

    def current_charge(self) -> Charge | None:
        index = self.charge_box.currentIndex()
        return self.charges[index] if 0 <= index < len(self.charges) else None

    def _on_charge_changed(self) -> None:
        charge = self.current_charge()
        if charge is not None:
            self.full.setText(
                self.tr("All that is left: {amount}").format(amount=fmt.won(refundable(charge)))
            )
        self._validate()

    def _validate(self) -> RefundRequest | None:
        """The request the form describes, or None with the reason shown in red."""
        charge = self.current_charge()
        problem = ""
        request = None
        if charge is None:
            problem = self.tr("There is no paid charge left to refund.")
        else:
            balance = refundable(charge)
            amount: int | None = balance
            if self.partial.isChecked():
                amount = parse_amount(self.amount.text())
                if amount is None:
                    problem = self.tr("Enter the amount to refund in whole won.")
                elif amount > balance:
                    problem = self.tr("At most {balance} can be refunded.").format(
                        balance=fmt.won(balance)
                    )
            reason = " ".join(self.reason.text().split())
            if not problem and not reason:
                problem = self.tr("A reason is required.")
            if not problem and amount is not None:
                request = RefundRequest(
                    self.subscriber_id,
                    charge.id,
                    amount,
                    full=amount == balance,
                    balance=balance,
                    reason=reason,
                )
        # An empty form is not an error yet: only say so once something was typed.
        typed = bool(self.reason.text() or self.amount.text())
        self.error.setText(problem if typed or charge is None else "")
        self.review_button.setEnabled(request is not None)
        return request

    def set_values(
        self, *, charge_id: int | None = None, amount: int | None = None, reason: str = ""
    ) -> None:
        """Fill the form (the self-test and tests; staff type)."""
        if charge_id is not None:
            index = next((i for i, c in enumerate(self.charges) if c.id == charge_id), -1)
            if index >= 0:
                self.charge_box.setCurrentIndex(index)
        if amount is None:
            self.full.setChecked(True)
        else:
            self.partial.setChecked(True)
            self.amount.setText(f"{amount:,}")
        self.reason.setText(reason)

    def review(self) -> None:
        request = self._validate()
        if request is None:
            return
        charge = self.current_charge()
        assert charge is not None
        self.pending = request
        what = (
            self.tr("the whole remaining {amount}").format(amount=fmt.won(request.amount))
            if request.full
            else fmt.won(request.amount)
        )
        self.review_text.setText(
            self.tr(
                "Refund {what} of {name}'s {period} payment ({paid})?\nReason: {reason}"
            ).format(
                what=what,
                name=self.name,
                period=charge.period,
                paid=fmt.won(_paid(charge)),
                reason=request.reason,
            )
        )
        self.confirm_button.setText(
            self.tr("Refund {amount}").format(amount=fmt.won(request.amount))
        )
        self.stack.setCurrentIndex(1)

    def confirm(self) -> None:
        if self.pending is None:
            return
        self.refund_requested.emit(self.pending)
        self.accept()


async def perform_refund(backend, request: RefundRequest) -> RefundOutcome:
    """Refund through billing (`kpadmin.billing.refunds.refund_charge`) and say what happened."""
    result = await refunds.refund_charge(
        backend.store,
        backend.gateway(),
        request.charge_id,
        amount=None if request.full else request.amount,
        reason=request.reason,
        staff=backend.staff,
        expected_balance=request.balance,
        subscriber_id=request.subscriber_id,
        clock=backend.clock,
    )
    if result.charge is not None and result.answer is not None:
        backend.notify_changed([result.charge.subscriber_id], journal=True)
    return RefundOutcome(result.ok, _said(result), result.refunded_total)


def _said(result: refunds.ChargeRefund) -> str:
    """The outcome in the UI language."""
    problem = result.problem
    if problem is refunds.Problem.NO_SUCH_CHARGE:
        return tr("That charge no longer exists.")
    if problem is not None:
        # The journal moved while the dialog was open (another refund here): ask again.
        return tr(
            "The refundable balance changed to {balance} meanwhile; nothing was refunded."
        ).format(balance=fmt.won(result.balance))
    answer = result.answer
    assert answer is not None and result.charge is not None
    state = answer.state
    if state is RefundState.REFUSED:
        text = tr("i'mport refused the refund: {why} Nothing was refunded.").format(
            why=answer.gateway_message
        )
        if answer.balance_differs:
            text += " " + tr(
                "i'mport's refundable balance differs from ours (was it refunded elsewhere?). "
                "Check the payment at i'mport before trying again."
            )
        return text
    if state is RefundState.NOT_SENT:
        return tr("i'mport could not be reached; nothing was refunded: {why}").format(
            why=answer.gateway_message
        )
    if state is RefundState.UNKNOWN:
        return tr(
            "The answer from i'mport was lost and the payment could not be looked up. "
            "Check it at i'mport before trying again."
        )
    if state is RefundState.NOTHING_NEW:
        return tr("i'mport shows no new refund for this payment; nothing more was recorded.")
    return tr("Refunded {amount} ({total} of {paid} refunded in total).").format(
        amount=fmt.won(result.refunded_now),
        total=fmt.won(result.refunded_total or 0),
        paid=fmt.won(result.charge.amount),
    )
