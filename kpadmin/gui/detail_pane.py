"""The detail pane: everything about the selected subscriber, and what staff can do to them.

Card and billing-key status (re-checkable with i'mport), the charge history from the journal with
receipts, the audit entries, and the actions. Pause/Resume/Cancel/Edit write to the store (with an
audit row) through the `Backend`; Charge now, Refund and Edit are signals the main window routes to
the charging UI and the edit dialog. The pane refreshes itself when the backend's `data_changed`
touches the subscriber it shows, whoever wrote. Confirmations use ``open()`` and signals, never
``exec()`` (STYLE pitfall 5).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kpadmin.billing import subscribers
from kpadmin.billing.records import ChargeState, SubscriberState
from kpadmin.gui import aio, messages
from kpadmin.gui import formatting as fmt
from kpadmin.gui.backend import Backend, DataChange
from kpadmin.gui.formatting import tr
from kpadmin.gui.rows import SubscriberRow
from kpadmin.gui.texts import audit_detail, audit_label

log = logging.getLogger(__name__)

RECEIPT_ROLE = Qt.ItemDataRole.UserRole + 1
CHARGE_ID_ROLE = Qt.ItemDataRole.UserRole + 2


class CancelDialog(QDialog):
    """Confirm a cancellation; optionally delete the billing key at i'mport too."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Cancel subscription"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        text = QLabel(
            self.tr(
                "Cancel the subscription of {name}? No further charges will be made."
                " Past payments are not refunded."
            ).format(name=name)
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.delete_key = QCheckBox(self.tr("Also delete the billing key at i'mport"))
        layout.addWidget(self.delete_key)
        note = QLabel(
            self.tr("Deleting the key cannot be undone: the customer would have to sign up again.")
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #8a8a8a;")
        layout.addWidget(note)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Reason (kept in the audit log)"))
        layout.addWidget(self.reason)
        buttons = QDialogButtonBox()
        self.confirm = buttons.addButton(
            self.tr("Cancel subscription"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(self.tr("Keep it"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class DetailPane(QWidget):
    charge_now_requested = Signal(int)  # subscriber id
    refund_requested = Signal(int, int)  # subscriber id, charge id (0: let the user pick)
    edit_requested = Signal(int)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detail_pane")
        self.backend = backend
        self.row: SubscriberRow | None = None
        self._charging_busy = False  # a batch runs: Charge now waits for it
        self._cancel_dialog: CancelDialog | None = None
        self._checking = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.empty = QLabel(self.tr("Select a subscriber to see their details."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #8a8a8a;")
        layout.addWidget(self.empty)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.body, 1)

        self.title = QLabel()
        self.title.setObjectName("detail_title")
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(title_font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel()
        self.subtitle.setStyleSheet("color: #6b6b6b;")
        body.addWidget(self.title)
        body.addWidget(self.subtitle)

        info = QFormLayout()
        info.setHorizontalSpacing(14)
        info.setVerticalSpacing(3)
        self.phone = QLabel()
        self.email = QLabel()
        self.key_id_label = QLabel()
        self.schedule = QLabel()
        self.schedule.setWordWrap(True)
        self.channel = QLabel()
        for label in (self.phone, self.email, self.key_id_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        info.addRow(self.tr("Phone"), self.phone)
        info.addRow(self.tr("E-mail"), self.email)
        info.addRow(self.tr("Customer UID"), self.key_id_label)
        info.addRow(self.tr("Billing"), self.schedule)
        info.addRow(self.tr("Signed up"), self.channel)
        body.addLayout(info)

        key_box = QGroupBox(self.tr("Card and billing key"))
        key_layout = QVBoxLayout(key_box)
        self.card = QLabel()
        self.key_status = QLabel()
        self.key_status.setWordWrap(True)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_status, 1)
        self.recheck = QPushButton(self.tr("Re-check with i'mport"))
        self.recheck.setObjectName("recheck_button")
        self.recheck.clicked.connect(self.recheck_key)
        key_row.addWidget(self.recheck)
        key_layout.addWidget(self.card)
        key_layout.addLayout(key_row)
        body.addWidget(key_box)

        # A payment i'mport charged for another amount than was asked: paid, but staff must look.
        self.amount_warning = QLabel()
        self.amount_warning.setObjectName("amount_warning")
        self.amount_warning.setWordWrap(True)
        self.amount_warning.setStyleSheet("color: #c0392b; font-weight: 600;")
        self.amount_warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.amount_warning.hide()
        body.addWidget(self.amount_warning)

        actions = QGridLayout()
        actions.setHorizontalSpacing(6)
        self.charge_now = QPushButton(self.tr("Charge now"))
        self.charge_now.setObjectName("charge_now")
        self.refund = QPushButton(self.tr("Refund…"))
        self.pause = QPushButton(self.tr("Pause"))
        self.cancel = QPushButton(self.tr("Cancel subscription…"))
        self.edit = QPushButton(self.tr("Edit…"))
        # Staff retry (billing/collections.py): a past-due or declined subscriber is charged
        # once more now, whatever the retry days.
        self.retry = QPushButton(self.tr("Retry now"))
        self.retry.setObjectName("retry_now")
        # Money actions on the first row, account actions on the second.
        actions.addWidget(self.charge_now, 0, 0)
        actions.addWidget(self.refund, 0, 1)
        actions.addWidget(self.edit, 0, 2)
        actions.addWidget(self.pause, 1, 0)
        actions.addWidget(self.cancel, 1, 1, 1, 2)
        actions.addWidget(self.retry, 2, 0)
        actions.setColumnStretch(3, 1)
        self.retry.clicked.connect(self.retry_now)
        self.charge_now.clicked.connect(self._on_charge_now)
        self.refund.clicked.connect(self._on_refund)
        self.pause.clicked.connect(self.toggle_pause)
        self.cancel.clicked.connect(self.request_cancel)
        self.edit.clicked.connect(lambda: self.row and self.edit_requested.emit(self.row.id))
        body.addLayout(actions)

        self.tabs = QTabWidget()
        self.history = QTreeWidget()
        self.history.setObjectName("charge_history")
        self.history.setRootIsDecorated(False)
        self.history.setUniformRowHeights(True)
        self.history.setHeaderLabels(
            [
                self.tr("Date"),
                self.tr("Period"),
                self.tr("Amount"),
                self.tr("Result"),
                self.tr("Reason"),
                self.tr("Receipt"),
            ]
        )
        self.history.itemActivated.connect(self._on_history_activated)
        # The "Open" cell reads as a link, so one click on it opens the receipt.
        self.history.itemClicked.connect(self._on_history_clicked)
        self.history.itemSelectionChanged.connect(self._update_buttons)
        self.audit = QTreeWidget()
        self.audit.setObjectName("audit_entries")
        self.audit.setRootIsDecorated(False)
        self.audit.setUniformRowHeights(True)
        self.audit.setHeaderLabels(
            [self.tr("When"), self.tr("Staff"), self.tr("Action"), self.tr("Detail")]
        )
        for tree in (self.history, self.audit):
            tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            tree.header().setStretchLastSection(True)
        # The reason takes what is left and is elided (its tooltip has it whole), so the receipt
        # link stays on screen instead of behind a horizontal scroll bar at 125 %.
        self.history.header().setStretchLastSection(False)
        self.history.header().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.tabs.addTab(self.history, self.tr("Charges"))
        self.tabs.addTab(self.audit, self.tr("Audit log"))
        body.addWidget(self.tabs, 1)

        self.memo = QLabel()
        self.memo.setWordWrap(True)
        self.memo.setStyleSheet("color: #6b6b6b;")
        body.addWidget(self.memo)
        self.show_row(None)
        backend.data_changed.connect(self._on_data_changed)

    # --- showing ----------------------------------------------------------------------------

    def _on_data_changed(self, change: DataChange) -> None:
        row = self.row
        if row is not None and change.touches(row.id):
            fresh = self.backend.rows_for([row.id])
            self.show_row(fresh[0] if fresh else None)

    def set_charging_busy(self, busy: bool) -> None:
        """A batch is running (or no longer): Charge now is refused meanwhile."""
        self._charging_busy = busy
        self._update_buttons()

    def show_row(self, row: SubscriberRow | None) -> None:
        """Show a subscriber (or nothing); reloads history and audit from the store."""
        same = row is not None and self.row is not None and row.id == self.row.id
        self.row = row
        self.empty.setVisible(row is None)
        self.body.setVisible(row is not None)
        if row is None:
            for button in (
                self.charge_now,
                self.refund,
                self.pause,
                self.cancel,
                self.edit,
                self.retry,
            ):
                button.setEnabled(False)
            return
        # The table row has what the table shows; the pane shows everything, from the store.
        s = self.backend.subscribers.get(row.id)
        if s is None:
            self.row = None
            self.empty.setVisible(True)
            self.body.setVisible(False)
            return
        self.title.setText(s.name)
        plan = s.plan or self.tr("No plan")  # (lupdate does not see a tr() inside an f-string)
        self.subtitle.setText(f"{fmt.state_label(s.state)} · {plan} · {fmt.won(s.amount)}")
        self.phone.setText(fmt.format_phone(s.phone))
        self.email.setText(s.email or "–")
        self.key_id_label.setText(s.customer_uid)
        if s.state == SubscriberState.CANCELLED:
            self.schedule.setText(self.tr("Cancelled — no further charges"))
        elif s.state == SubscriberState.PAST_DUE:
            self.schedule.setText(
                self.tr(
                    "Past due: every retry was declined. Not charged automatically until you "
                    "press Retry now or the customer signs up again."
                )
            )
        elif row.next_retry is not None and s.state == SubscriberState.ACTIVE:
            self.schedule.setText(
                self.tr("Day {day} of each month · declined, next retry {date}").format(
                    day=s.billing_day, date=fmt.format_date(row.next_retry)
                )
            )
        else:
            self.schedule.setText(
                self.tr("Day {day} of each month · next {date}").format(
                    day=s.billing_day, date=fmt.format_date(s.next_charge_date)
                )
            )
        self.channel.setText(f"{fmt.format_instant(s.created_at)} · {fmt.channel_label(s.channel)}")
        if s.card_name or s.card_number:
            self.card.setText(f"{s.card_name or ''}  {s.card_number or ''}".strip())
        else:
            self.card.setText(self.tr("No card details reported"))
        if not same or not self._checking:
            self._show_key_state(s.state)
        self.memo.setText(self.tr("Memo: {memo}").format(memo=s.memo) if s.memo else "")
        self.memo.setVisible(bool(s.memo))
        self._load_history(row.id)
        self._load_audit(row.id)
        self._update_buttons()

    def _show_key_state(self, state: SubscriberState) -> None:
        if state == SubscriberState.KEY_MISSING:
            self.key_status.setText(self.tr("Billing key missing at i'mport: cannot be charged."))
            self.key_status.setStyleSheet("color: #c0392b;")
        else:
            self.key_status.setText(self.tr("Billing key on file (not checked this session)."))
            self.key_status.setStyleSheet("")

    def _load_history(self, subscriber_id: int) -> None:
        self.history.clear()
        items = []
        mismatches = []
        for charge in self.backend.charge_history(subscriber_id):
            when = charge.paid_at or charge.updated_at
            amount = fmt.won(charge.amount)
            if charge.amount_mismatch:
                assert charge.paid_amount is not None
                amount = self.tr("{paid} ({asked} asked)").format(
                    paid=fmt.won(charge.paid_amount), asked=fmt.won(charge.amount)
                )
                mismatches.append(
                    self.tr("{period}: {paid} charged for {asked}").format(
                        period=charge.period,
                        paid=fmt.won(charge.paid_amount),
                        asked=fmt.won(charge.amount),
                    )
                )
            if charge.cancelled_amount:
                amount += " " + self.tr("(refunded {amount})").format(
                    amount=fmt.won(charge.cancelled_amount)
                )
            item = QTreeWidgetItem(
                [
                    fmt.format_instant(when),
                    charge.period,
                    amount,
                    fmt.charge_label(charge.state),
                    charge.fail_reason or "",
                    self.tr("Open") if charge.receipt_url else "",
                ]
            )
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setData(0, RECEIPT_ROLE, charge.receipt_url or "")
            item.setData(0, CHARGE_ID_ROLE, charge.id)
            item.setData(0, Qt.ItemDataRole.UserRole + 3, str(charge.state))
            if charge.receipt_url:
                item.setForeground(5, self.palette().link())
                item.setToolTip(5, self.tr("Open the receipt in the browser"))
            if charge.state in (ChargeState.DECLINED, ChargeState.REJECTED):
                item.setForeground(3, Qt.GlobalColor.darkRed)
            elif charge.state.in_doubt:
                item.setForeground(3, Qt.GlobalColor.darkYellow)
            if charge.amount_mismatch:
                for column in (2, 3, 4):
                    item.setForeground(column, Qt.GlobalColor.darkRed)
                item.setToolTip(2, charge.fail_reason or "")
                item.setToolTip(4, charge.fail_reason or "")
            items.append(item)
        self.history.addTopLevelItems(items)
        self.amount_warning.setText(
            self.tr(
                "Amount mismatch: {details}. The payment is recorded as paid; check it at i'mport."
            ).format(details="; ".join(mismatches))
            if mismatches
            else ""
        )
        self.amount_warning.setVisible(bool(mismatches))
        if not items:
            placeholder = QTreeWidgetItem([self.tr("No charges yet")])
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.history.addTopLevelItem(placeholder)

    def _load_audit(self, subscriber_id: int) -> None:
        self.audit.clear()
        items = []
        for e in self.backend.audit_entries(subscriber_id):
            detail = audit_detail(e)  # in the UI language (a row from before codes: its English)
            item = QTreeWidgetItem(
                [fmt.format_instant(e.at), e.staff, audit_label(e.action), detail]
            )
            item.setToolTip(3, detail)  # a long detail is cut at the pane's edge
            items.append(item)
        self.audit.addTopLevelItems(items)

    def _update_buttons(self) -> None:
        row = self.row
        if row is None:
            return
        state = row.state
        chargeable = row.chargeable()
        self.charge_now.setEnabled(chargeable and not self._charging_busy)
        if self._charging_busy:
            self.charge_now.setToolTip(self.tr("A charge batch is running."))
        elif row.in_doubt:
            self.charge_now.setToolTip(
                self.tr("A charge is in flight or its outcome is unknown: reconcile first.")
            )
        elif not chargeable:
            self.charge_now.setToolTip(self.tr("Only active subscribers can be charged."))
        else:
            self.charge_now.setToolTip("")
        items = (self.history.topLevelItem(i) for i in range(self.history.topLevelItemCount()))
        has_paid = any(
            item is not None and item.data(0, Qt.ItemDataRole.UserRole + 3) == "paid"
            for item in items
        )
        self.refund.setEnabled(has_paid)
        self.pause.setText(
            self.tr("Resume") if state == SubscriberState.PAUSED else self.tr("Pause")
        )
        self.pause.setEnabled(state in (SubscriberState.ACTIVE, SubscriberState.PAUSED))
        self.cancel.setEnabled(state != SubscriberState.CANCELLED)
        retryable = state == SubscriberState.PAST_DUE or (
            state == SubscriberState.ACTIVE and row.next_retry is not None
        )
        self.retry.setVisible(retryable)
        self.retry.setEnabled(retryable and not row.in_doubt and not self._charging_busy)
        self.edit.setEnabled(True)
        self.recheck.setEnabled(not self._checking)

    def selected_charge_id(self) -> int:
        item = self.history.currentItem()
        if item is None:
            return 0
        value = item.data(0, CHARGE_ID_ROLE)
        return int(value) if value else 0

    # --- actions ----------------------------------------------------------------------------

    def _on_charge_now(self) -> None:
        if self.row is not None and self.row.chargeable():
            self.charge_now_requested.emit(self.row.id)

    def _on_refund(self) -> None:
        if self.row is not None:
            self.refund_requested.emit(self.row.id, self.selected_charge_id())

    def _on_history_clicked(self, item: QTreeWidgetItem, column: int) -> None:
        if column == 5:
            self._on_history_activated(item, column)

    def _on_history_activated(self, item: QTreeWidgetItem, column: int) -> None:
        url = item.data(0, RECEIPT_ROLE)
        if url:
            open_receipt(url)

    def retry_now(self) -> None:
        """Staff retry: recorded (audited; a past-due subscriber becomes active), then charged
        now through the usual Charge now confirmation."""
        row = self.row
        if row is None or row.in_doubt:
            return
        if not self.backend.request_retry(row.id):
            return
        messages.info(self.tr("{name}: retry requested.").format(name=row.name))
        self.charge_now_requested.emit(row.id)

    def toggle_pause(self) -> None:
        row = self.row
        if row is None:
            return
        if row.state == SubscriberState.PAUSED:
            if self.backend.resume(row.id):
                messages.info(self.tr("{name}: subscription resumed.").format(name=row.name))
        elif row.state == SubscriberState.ACTIVE and self.backend.pause(row.id):
            messages.info(self.tr("{name}: subscription paused.").format(name=row.name))

    def request_cancel(self) -> None:
        if self.row is None:
            return
        dialog = CancelDialog(self.row.name, self)
        self._cancel_dialog = dialog
        dialog.accepted.connect(
            lambda: self.cancel_subscription(
                dialog.delete_key.isChecked(), dialog.reason.text().strip()
            )
        )
        dialog.open()

    def cancel_subscription(self, delete_key: bool, reason: str = "") -> None:
        row = self.row
        if row is None:
            return
        reason = reason or self.tr("cancelled by staff")
        # Stop charging first (local and safe); the key deletion at i'mport follows.
        self.backend.cancel(row.id, reason)
        name = row.name
        if not delete_key:
            messages.info(self.tr("{name}: subscription cancelled.").format(name=name))
            return

        def done(result: subscribers.Cancelled) -> None:
            if result.key_deleted:
                messages.info(
                    self.tr("{name}: subscription cancelled and billing key deleted.").format(
                        name=name
                    )
                )
                return
            detail = aio.describe_error(result.error) if result.error else None
            messages.error(
                self.tr(
                    "{name}: subscription cancelled, but the billing key was not deleted: {detail}"
                ).format(name=name, detail=detail or type(result.error).__name__)
            )

        def failed(exc: BaseException) -> None:
            detail = aio.describe_error(exc)
            if detail is None:
                aio.report_failure(exc)
                return
            messages.error(
                self.tr(
                    "{name}: subscription cancelled, but the billing key was not deleted: {detail}"
                ).format(name=name, detail=detail)
            )

        aio.run_op(self.backend.delete_key(row.id, reason), on_success=done, on_failure=failed)

    def recheck_key(self) -> None:
        row = self.row
        if row is None or self._checking:
            return
        self._checking = True
        self.recheck.setEnabled(False)
        self.key_status.setText(self.tr("Checking with i'mport…"))
        self.key_status.setStyleSheet("")
        sid = row.id

        def checked(check: subscribers.KeyCheck) -> None:
            self._checking = False
            if check.present:
                text = self.tr("Billing key present at i'mport (checked {when}).").format(
                    when=fmt.format_instant(self.backend.now())
                )
                style = "color: #1e7e34;"
            else:
                if check.marked_missing:
                    text = self.tr(
                        "i'mport has no billing key for this customer: marked key missing."
                    )
                else:
                    text = self.tr("i'mport has no billing key for this customer.")
                style = "color: #c0392b;"
                messages.warning(text)
            if self.row is not None and self.row.id == sid:
                self.key_status.setText(text)
                self.key_status.setStyleSheet(style)
                self._update_buttons()

        def failed(exc: BaseException) -> None:
            self._checking = False
            text = aio.describe_error(exc) or self.tr("The check failed unexpectedly.")
            if aio.describe_error(exc) is None:
                aio.report_failure(exc)
            else:
                messages.error(text)
            if self.row is not None and self.row.id == sid:
                self.key_status.setText(text)
                self.key_status.setStyleSheet("color: #b9770e;")
                self._update_buttons()

        aio.run_op(self.backend.check_key(sid), on_success=checked, on_failure=failed)


def open_receipt(url: str) -> bool:
    """Receipts open in the system browser; only web addresses are opened."""
    qurl = QUrl(url)
    if qurl.scheme() not in ("https", "http") or not qurl.host():
        messages.warning(
            tr("Not opening a receipt address that is not a web page: {url}").format(url=url)
        )
        return False
    return QDesktopServices.openUrl(qurl)
