"""The sign-up dialog: a view of a `kpadmin.billing.signup_session.SignupSession`.

    dialog = SignupDialog(parent, backend)     # backend: kpadmin.gui.backend.Backend
    dialog.signed_up.connect(on_new_subscriber)  # emits the new kpadmin.billing.records.Subscriber
    dialog.open()                                # never exec(): everything runs on the qasync loop

The session holds every rule of an attempt (when it may start, verification, what an unfinished
attempt left at i'mport, refunds only when asked, unused keys deleted); this dialog forwards what
staff and the Kakao Pay window do to it and shows what it reports, on three `QStackedWidget`
pages:

1. **Form** — validation as you type; "Open Kakao Pay" is enabled only when the form is valid and
   the i'mport connection is up.
2. **Window** — the embedded web view (`webview.CheckoutWebView`, imported only now: start-up
   never loads QtWebEngine) shows the checkout page, then "Checking with i'mport…". For an
   in-person sign-up, "Show on second screen" moves this window to another screen when there is
   one (disabled otherwise).
3. **Result** — ✓ with the card and the amount taken, or ✕ with the reason; then what i'mport
   holds for a failed attempt: "Save subscriber" when the customer approved after all, "Refund
   now" (two clicks) when money was taken, "Check again" when i'mport could not be asked.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kpadmin.billing import plans
from kpadmin.billing.records import SignupChannel, Subscriber
from kpadmin.billing.signup import (
    AttemptLeftovers,
    CheckoutCallback,
    FailureReason,
    FormInvalid,
    PageStatus,
    SignupAttempt,
    VerifiedSignup,
)
from kpadmin.billing.signup_session import (
    WINDOW_OPEN,
    AttemptFailed,
    AttemptReleased,
    InspectionStarted,
    LeftoversChecked,
    MoneyLeftAfterLeaving,
    Phase,
    PhaseChanged,
    RefundFinished,
    SessionEvent,
    SignedUp,
    SignupSession,
)
from kpadmin.gui import messages
from kpadmin.gui.backend import Backend
from kpadmin.gui.formatting import won
from kpadmin.gui.signup.form import SignupFormWidget
from kpadmin.gui.texts import say
from kpadmin.runtime import Api

if TYPE_CHECKING:  # QtWebEngine is imported only when the window opens
    from kpadmin.gui.signup.webview import CheckoutWebView

log = logging.getLogger(__name__)

PAGE_FORM, PAGE_WINDOW, PAGE_RESULT = range(3)


class SignupDialog(QDialog):
    #: The new subscriber (`kpadmin.billing.records.Subscriber`) once verified and saved.
    signed_up = Signal(object)
    #: Any final outcome: ("signed_up" or a FailureReason value, user-facing text).
    finished_attempt = Signal(str, str)
    #: An unfinished attempt was looked up at i'mport (`kpadmin.billing.signup.AttemptLeftovers`).
    leftovers_checked = Signal(object)
    #: An abandoned attempt was let go (its orphan key deleted or recorded); carries the attempt.
    attempt_released = Signal(object)

    def __init__(self, parent: QWidget | None, backend: Backend) -> None:
        super().__init__(parent)
        self.backend = backend
        self.session = SignupSession(
            backend.store,
            staff=backend.staff,
            clock=backend.clock,
            on_event=self._on_event,
            notices=backend.collections.notices,  # the first payment's receipt e-mail
        )
        self.setWindowTitle(self.tr("New sign-up"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(560, 640)
        self.web: CheckoutWebView | None = None  # created on the first attempt
        self.subscriber: Subscriber | None = None
        self._refund_armed = False
        self.warning_box: QMessageBox | None = None  # money found after the dialog was closed
        self._failure_view = ("", "")  # the failed attempt's result title and detail

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self._build_form_page())
        self.stack.addWidget(self._build_window_page())
        self.stack.addWidget(self._build_result_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(self.stack)

        backend.api_state_changed.connect(self._update_start_button)
        screen_signals = QGuiApplication.instance()
        assert isinstance(screen_signals, QGuiApplication)
        screen_signals.screenAdded.connect(lambda _s: self._update_screen_button())
        screen_signals.screenRemoved.connect(lambda _s: self._update_screen_button())
        self._update_start_button()

    # --- pages --------------------------------------------------------------------------------

    def _build_form_page(self) -> QWidget:
        page = QWidget()
        title = QLabel(self.tr("New sign-up"))
        title.setStyleSheet("font-size: 18px; font-weight: 600;")
        intro = QLabel(
            self.tr(
                "Enter the customer's details. The customer then approves in Kakao Pay; "
                "nothing is saved until i'mport confirms the card."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #57606a;")
        self.form = SignupFormWidget(
            today=self.backend.today(), catalogue=plans.list_plans(self.backend.store)
        )
        self.form.validity_changed.connect(lambda _v: self._update_start_button())
        self.connection_note = QLabel()
        self.connection_note.setStyleSheet("color: #9a6700;")
        self.connection_note.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        self.start_button = QPushButton(self.tr("Open Kakao Pay"))
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addWidget(self.form)
        layout.addStretch(1)
        layout.addWidget(self.connection_note)
        layout.addLayout(buttons)
        return page

    def _build_window_page(self) -> QWidget:
        page = QWidget()
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.window_status = QLabel()
        self.window_status.setStyleSheet("color: #57606a;")
        self.window_status.setWordWrap(True)
        self.web_holder = QVBoxLayout()
        self.web_holder.setContentsMargins(0, 0, 0, 0)
        self.screen_button = QPushButton(self.tr("Show on second screen"))
        self.screen_button.clicked.connect(self.move_to_other_screen)
        self.abort_button = QPushButton(self.tr("Cancel sign-up"))
        self.abort_button.clicked.connect(self.abort_window)
        buttons = QHBoxLayout()
        buttons.addWidget(self.screen_button)
        buttons.addStretch(1)
        buttons.addWidget(self.abort_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.summary)
        layout.addWidget(self.window_status)
        layout.addLayout(self.web_holder, 1)
        layout.addLayout(buttons)
        return page

    def _build_result_page(self) -> QWidget:
        page = QWidget()
        self.result_icon = QLabel()
        self.result_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.result_title = QLabel()
        self.result_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.result_title.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.result_detail = QLabel()
        self.result_detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.result_detail.setWordWrap(True)
        self.result_detail.setStyleSheet("font-size: 14px; color: #1f2328; line-height: 150%;")
        self.result_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.leftover_note = QLabel()
        self.leftover_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.leftover_note.setWordWrap(True)
        self.leftover_note.setStyleSheet("font-size: 14px; color: #9a6700;")
        self.leftover_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.leftover_note.setVisible(False)
        self.save_button = QPushButton(self.tr("Save subscriber"))
        self.save_button.clicked.connect(self.session.save_offer)
        self.refund_button = QPushButton()
        self.refund_button.clicked.connect(self.refund_now)
        self.check_again_button = QPushButton(self.tr("Check again"))
        self.check_again_button.clicked.connect(self.check_again)
        self.retry_button = QPushButton(self.tr("Try again"))
        self.retry_button.clicked.connect(self.try_again)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.refund_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.check_again_button)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.result_icon)
        layout.addWidget(self.result_title)
        layout.addSpacing(6)
        layout.addWidget(self.result_detail)
        layout.addSpacing(6)
        layout.addWidget(self.leftover_note)
        layout.addStretch(2)
        layout.addLayout(buttons)
        return page

    # --- state ------------------------------------------------------------------------------

    @property
    def api(self) -> Api | None:
        return self.backend.api

    @property
    def attempt(self) -> SignupAttempt | None:
        return self.session.attempt

    def _update_start_button(self) -> None:
        api = self.api
        connected = api is not None and bool(api.imp_code)
        if api is None:
            note = self.tr("Connecting to i'mport… The window opens once the connection is up.")
            error = self.backend.api_error
            if error:
                note = self.tr("Not connected to i'mport: {reason}").format(reason=error)
        elif not connected:
            note = self.tr("Set the merchant code (imp_code) in Settings first.")
        else:
            note = ""
        self.connection_note.setText(note)
        self.connection_note.setVisible(bool(note))
        self.start_button.setEnabled(connected and self.form.is_valid())

    def _update_screen_button(self) -> None:
        attempt = self.session.attempt
        in_person = attempt is not None and attempt.form.channel is SignupChannel.IN_PERSON
        self.screen_button.setVisible(in_person)
        others = len(QGuiApplication.screens()) > 1
        self.screen_button.setEnabled(others)
        self.screen_button.setToolTip(
            ""
            if others
            else self.tr("Only one screen is connected; connect a screen facing the customer.")
        )

    # --- what staff do ------------------------------------------------------------------------

    def start(self) -> None:
        """Validate, then let the session mint the ids and audit; open the Kakao Pay window."""
        if self.session.phase is not Phase.FORM:
            return
        try:
            form = self.form.validated()
        except FormInvalid:
            self.form.reveal_all_errors()
            return
        api = self.api
        if api is None or not api.imp_code:
            self._update_start_button()
            return
        # Imported here, not at module level: this is where QtWebEngine gets loaded.
        from kpadmin.gui.signup.checkout_page import PageTexts
        from kpadmin.gui.signup.navigation import NavigationPolicy, Origin
        from kpadmin.gui.signup.webview import CheckoutWebView

        attempt = self.session.start(form, api.gateway, imp_code=api.imp_code, pg=api.pg)
        if attempt is None:
            return
        web = self.web
        if web is None:
            sdk_origin = Origin.of(api.sdk_url)
            policy = NavigationPolicy([sdk_origin] if sdk_origin else [])
            web = self.web = CheckoutWebView(policy, self)
            web.callback_received.connect(self._on_callback)
            web.status_received.connect(self._on_page_status)
            self.web_holder.addWidget(web)
        korean = QLocale().language() == QLocale.Language.Korean
        texts = PageTexts(
            title=self.tr("Kakao Pay"),
            loading=self.tr("Opening the Kakao Pay window…"),
            waiting=self.tr("Waiting for the customer to approve in Kakao Pay…"),
            checking=self.tr("Checking with i'mport…"),
            sdk_failed=self.tr("The Kakao Pay window could not be loaded."),
            lang="ko" if korean else "en",
        )
        self.summary.setText(
            f"{form.name} · {form.plan} · {won(form.amount)}"
            + (
                self.tr(" (first payment now)")
                if attempt.amount
                else self.tr(" (card only, ₩0 now)")
            )
        )
        self.window_status.setText(texts.loading)
        self._update_screen_button()
        self.abort_button.setEnabled(True)
        self.stack.setCurrentIndex(PAGE_WINDOW)
        self.resize(max(self.width(), 720), max(self.height(), 760))
        web.start(attempt, sdk_url=api.sdk_url, texts=texts)

    def _on_page_status(self, status: PageStatus) -> None:
        if status is PageStatus.REQUESTED:
            self.session.page_requested()
        elif status is PageStatus.SDK_FAILED:
            self.session.page_failed()

    def _on_callback(self, callback: CheckoutCallback) -> None:
        self.session.callback(callback)

    def move_to_other_screen(self) -> None:
        """Put this window on another screen (the one facing the customer), or back."""
        screens = QGuiApplication.screens()
        current = self.screen()
        others = [s for s in screens if s is not current]
        if not others:
            return
        target = others[0]
        handle = self.windowHandle()
        if handle is not None:
            handle.setScreen(target)
        geometry = target.availableGeometry()
        self.move(geometry.center() - self.rect().center())

    def abort_window(self) -> None:
        """Staff gave up while the window was open (the session asks i'mport what it left)."""
        self.session.cancel()

    def check_again(self) -> None:
        self.check_again_button.setEnabled(False)
        self.session.check_again()

    def refund_now(self) -> None:
        """Refund what the unfinished attempt took (two clicks: the first asks to confirm)."""
        left = self.session.leftovers
        if left is None or not left.payments:
            return
        if not self._refund_armed:
            self._refund_armed = True
            self.refund_button.setText(
                self.tr("Confirm: refund {amount}").format(amount=won(left.taken))
            )
            return
        self.refund_button.setEnabled(False)
        self.save_button.setVisible(False)
        self.session.refund_leftovers()

    def try_again(self) -> None:
        """Back to the (kept) form; a new attempt mints new ids. The old one is let go first."""
        if self.session.try_again():
            self.stack.setCurrentIndex(PAGE_FORM)
            self._update_start_button()

    # --- what the session reports ---------------------------------------------------------------

    def _on_event(self, event: SessionEvent) -> None:
        if isinstance(event, MoneyLeftAfterLeaving):
            # Said even when the dialog is gone: the money is real either way.
            self.warning_box = warn_money_left(event.leftovers, self._parent_if_alive())
            return
        if not self._alive():
            return  # the dialog was destroyed meanwhile: the audit entry is what remains
        if isinstance(event, PhaseChanged):
            self._on_phase(event.phase)
        elif isinstance(event, SignedUp):
            self._on_signed_up(event.subscriber, event.verified)
        elif isinstance(event, AttemptFailed):
            self._on_failed(event)
        elif isinstance(event, InspectionStarted):
            self.leftover_note.setText(self.tr("Checking with i'mport that nothing was taken…"))
            self.leftover_note.setVisible(True)
            self.retry_button.setEnabled(False)  # a new attempt waits until this one is settled
        elif isinstance(event, LeftoversChecked):
            self._show_leftovers(event.leftovers, event.offer)
            self.leftovers_checked.emit(event.leftovers)
        elif isinstance(event, RefundFinished):
            head = (
                self.tr("The refund was not confirmed: {problem}").format(problem=event.problem)
                if event.problem
                else self.tr("Refunded {amount}.").format(amount=won(event.taken))
            )
            self.leftover_note.setText(head + "\n" + self.leftover_note.text())
        elif isinstance(event, AttemptReleased):
            self.attempt_released.emit(event.attempt)

    def _on_phase(self, phase: Phase) -> None:
        if phase is Phase.WAITING:
            self.window_status.setText(
                self.tr("Waiting for the customer to approve in Kakao Pay (QR code or phone).")
            )
        elif phase is Phase.VERIFYING:
            self.stack.setCurrentIndex(PAGE_WINDOW)
            self.window_status.setText(self.tr("Checking with i'mport…"))
            self.abort_button.setEnabled(False)
        elif phase is Phase.FORM:
            self.stack.setCurrentIndex(PAGE_FORM)

    def _on_signed_up(self, subscriber: Subscriber, verified: VerifiedSignup) -> None:
        self.subscriber = subscriber
        self.save_button.setVisible(False)
        self.refund_button.setVisible(False)
        self.leftover_note.setVisible(False)
        card = " ".join(p for p in (verified.card_name, verified.card_number) if p) or "—"
        if verified.first_payment:
            paid = self.tr("First payment of {amount} received.").format(
                amount=won(verified.first_payment.amount)
            )
        else:
            paid = self.tr("Card registered; nothing was charged yet.")
        next_charge = self.tr("Next charge: {date} ({amount})").format(
            date=subscriber.next_charge_date.isoformat(), amount=won(subscriber.amount)
        )
        self._show_result(
            ok=True,
            title=self.tr("{name} is signed up").format(name=subscriber.name),
            detail="\n".join((self.tr("Card: {card}").format(card=card), paid, next_charge)),
        )
        self.backend.notify_changed([subscriber.id])
        self.signed_up.emit(subscriber)
        self.finished_attempt.emit("signed_up", paid)

    def _on_failed(self, event: AttemptFailed) -> None:
        failure = event.failure
        titles = {
            FailureReason.CANCELLED: self.tr("Sign-up cancelled"),
            FailureReason.DECLINED: self.tr("Kakao Pay declined"),
            FailureReason.TIMED_OUT: self.tr("The request timed out"),
            FailureReason.VERIFICATION_FAILED: self.tr("Not verified"),
            FailureReason.UNREACHABLE: self.tr("Could not verify"),
        }
        detail = say(failure.user_message)
        if failure.pg_message and failure.reason is FailureReason.DECLINED:
            detail += "\n" + self.tr("Kakao Pay says: {reason}").format(reason=failure.pg_message)
        if failure.paid_payment_id:
            detail += "\n" + self.tr("Payment to look at: {imp_uid}").format(
                imp_uid=failure.paid_payment_id
            )
        self._failure_view = (titles[failure.reason], detail)
        self._show_result(
            ok=False,
            title=titles[failure.reason],
            detail=detail,
            can_check_again=event.can_check_again,
        )
        if self.web is not None:
            self.web.dispose()
        self.finished_attempt.emit(failure.reason.value, detail)

    def _show_result(
        self, *, ok: bool, title: str, detail: str, can_check_again: bool = False
    ) -> None:
        self.result_icon.setText("✓" if ok else "✕")
        self.result_icon.setStyleSheet(f"font-size: 44px; color: {'#1a7f37' if ok else '#b42318'};")
        self.result_title.setText(title)
        self.result_detail.setText(detail)
        self.check_again_button.setVisible(can_check_again)
        self.check_again_button.setEnabled(True)
        self.retry_button.setVisible(not ok)
        self.retry_button.setEnabled(True)
        self.retry_button.setText(self.tr("Try again"))
        self.leftover_note.setVisible(False)
        self.save_button.setVisible(False)
        self.refund_button.setVisible(False)
        self.stack.setCurrentIndex(PAGE_RESULT)

    def _show_leftovers(self, left: AttemptLeftovers, offer: VerifiedSignup | None) -> None:
        self._refund_armed = False
        self.retry_button.setVisible(True)
        self.retry_button.setEnabled(True)
        self.save_button.setVisible(False)
        self.refund_button.setVisible(False)
        self.leftover_note.setVisible(True)
        attempt = left.attempt
        if left.empty:
            self.leftover_note.setText(self.tr("i'mport confirms that nothing was taken."))
            self.leftover_note.setStyleSheet("font-size: 13px; color: #57606a;")
            return
        self.leftover_note.setStyleSheet("font-size: 14px; color: #9a6700; font-weight: 600;")
        if not left.checked:
            self.leftover_note.setText(
                self.tr(
                    "i'mport could not be asked whether the customer approved meanwhile "
                    "(order {order}). Check again before starting over."
                ).format(order=attempt.order_id)
            )
            self.check_again_button.setVisible(True)
            self.check_again_button.setEnabled(True)
            return
        self.check_again_button.setVisible(False)
        lines: list[str] = []
        if offer is None:  # back to the failure's own words (after an offer was refunded)
            self.result_icon.setText("✕")
            self.result_icon.setStyleSheet("font-size: 44px; color: #b42318;")
            self.result_title.setText(self._failure_view[0])
            self.result_detail.setText(self._failure_view[1])
        else:
            self.result_icon.setText("!")
            self.result_icon.setStyleSheet("font-size: 44px; color: #9a6700;")
            self.result_title.setText(self.tr("The customer approved after all"))
            self.result_detail.setText(
                self.tr("The window ended without a sign-up, but the approval reached i'mport.")
            )
            self.retry_button.setVisible(False)  # save or refund first; Close still leaves
            lines.append(
                self.tr(
                    "i'mport confirms the card and the first payment. Save the subscriber, or "
                    "refund the payment; leaving without saving removes the card."
                )
                if offer.first_payment
                else self.tr(
                    "i'mport confirms the card. Save the subscriber; leaving without saving "
                    "removes the card."
                )
            )
            self.save_button.setVisible(True)
            self.save_button.setDefault(True)
        lines += [
            money_taken_line(payment.refundable, payment.payment_id) for payment in left.payments
        ]
        if left.key and offer is None:
            lines.append(
                self.tr("The card was registered; it is deleted when you leave this attempt.")
            )
        if left.payments:
            self.refund_button.setText(
                self.tr("Refund {amount} now").format(amount=won(left.taken))
            )
            self.refund_button.setVisible(True)
            self.refund_button.setEnabled(True)
        self.leftover_note.setText("\n".join(lines))

    # --- closing ----------------------------------------------------------------------------

    def reject(self) -> None:
        if self.session.phase in WINDOW_OPEN:
            # Closing while the customer may be approving is a staff cancel: stay open on the
            # result page so what i'mport holds is seen, not just audited. A second close leaves.
            self.session.cancel()
            return
        self._leave()
        super().reject()

    def accept(self) -> None:
        self._leave()
        super().accept()

    def _leave(self) -> None:
        self.session.leave()
        self.dispose_web()

    def dispose_web(self) -> None:
        if self.web is not None:
            self.web.dispose()

    def _alive(self) -> bool:
        """False once Qt has deleted the dialog's widgets (a look-up can outlive them)."""
        return shiboken6.isValid(self) and shiboken6.isValid(self.leftover_note)

    def _parent_if_alive(self) -> QWidget | None:
        return self.parentWidget() if self._alive() else None


def money_taken_line(amount: int, payment_id: str) -> str:
    return QCoreApplication.translate(
        "SignupDialog", "{amount} was taken (imp_uid {imp_uid}) and no subscriber was saved."
    ).format(amount=won(amount), imp_uid=payment_id)


def warn_money_left(left: AttemptLeftovers, parent: QWidget | None) -> QMessageBox:
    """Money found after the dialog was closed: say so where staff are (audited as well)."""
    lines = [money_taken_line(p.refundable, p.payment_id) for p in left.payments]
    messages.warning(" ".join(lines))  # the status bar and the message history too
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("SignupDialog", "Sign-up not completed"),
        "\n".join(lines)
        + "\n"
        + QCoreApplication.translate(
            "SignupDialog", "Refund it in the i'mport console; the audit log has the details."
        ),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()
    return box
