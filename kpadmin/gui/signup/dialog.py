"""The sign-up dialog: form → Kakao Pay window → verified result (or a clear failure).

    dialog = SignupDialog(parent, backend)     # backend: kpadmin.gui.backend.Backend
    dialog.signed_up.connect(on_new_subscriber)  # emits the new kpadmin.store.models.Subscriber
    dialog.open()                                # never exec(): everything runs on the qasync loop

Steps (`QStackedWidget` pages):

1. **Form** — validation as you type; "Open Kakao Pay" is enabled only when the form is valid and
   the i'mport connection is up.
2. **Window** — fresh ids are minted (`kpadmin.billing.signup.start_attempt`), the attempt is
   audited, and the embedded web view (`webview.CheckoutWebView`, imported only now: start-up never
   loads QtWebEngine) shows the checkout page. For an in-person sign-up, "Show on second screen"
   moves this window to another screen when there is one (disabled otherwise).
3. **Checking** — the callback is only a hint: `verify_signup` asks the REST API.
4. **Result** — ✓ with the card and the amount taken, or ✕ with the reason. Verified sign-ups are
   saved (subscriber + first payment's journal row + audit, one transaction); every other outcome
   is audited and nothing else is saved.
5. **Leftovers** — an attempt that ends any other way (staff cancel, decline, time-out, window
   closed, verification failed) is looked up at i'mport by its own ids before it is let go
   (`inspect_attempt`): the customer may have approved in the same second. If the key and the
   payment verify, staff are offered to save the subscriber after all (or undo it); if money was
   taken otherwise, the result names the imp_uid and amount and offers "Refund now" (full, with
   `checksum`). A key that will never be saved is deleted (with a reason) when the attempt is
   abandoned, or recorded in the audit log when it cannot be.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

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

from kpadmin.billing.gateway import GatewayError
from kpadmin.billing.signup import (
    MSG_CANCELLED,
    AttemptLeftovers,
    CheckoutCallback,
    FailureReason,
    FormInvalid,
    PageStatus,
    SignupAttempt,
    SignupFailed,
    VerifiedSignup,
    delete_orphan_key,
    inspect_attempt,
    record_attempt_started,
    record_failed_attempt,
    record_leftovers,
    refund_leftover,
    save_verified_signup,
    start_attempt,
    verify_leftovers,
    verify_signup,
)
from kpadmin.gui import messages
from kpadmin.gui.formatting import won
from kpadmin.gui.signup.form import SignupFormWidget, translate_message
from kpadmin.gui.signup.i18n import arg, install_signup_translator
from kpadmin.store.models import SignupChannel, Subscriber

if TYPE_CHECKING:  # QtWebEngine is imported only when the window opens
    from kpadmin.gui.signup.webview import CheckoutWebView

log = logging.getLogger(__name__)

PAGE_FORM, PAGE_WINDOW, PAGE_RESULT = range(3)


class SignupDialog(QDialog):
    #: The new subscriber (`kpadmin.store.models.Subscriber`) once verified and saved.
    signed_up = Signal(object)
    #: Any final outcome: ("signed_up" or a FailureReason value, user-facing text).
    finished_attempt = Signal(str, str)
    #: An unfinished attempt was looked up at i'mport (`kpadmin.billing.signup.AttemptLeftovers`).
    leftovers_checked = Signal(object)
    #: An abandoned attempt was let go (its orphan key deleted or recorded); carries the attempt.
    attempt_released = Signal(object)

    def __init__(self, parent: QWidget | None, backend: Any) -> None:
        install_signup_translator()  # before any tr() below
        super().__init__(parent)
        self.backend = backend
        self.setWindowTitle(self.tr("New sign-up"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(560, 640)
        self.attempt: SignupAttempt | None = None
        self.web: CheckoutWebView | None = None  # created on the first attempt
        self.subscriber: Subscriber | None = None
        self._callback: CheckoutCallback | None = None
        self._task: asyncio.Task[None] | None = None
        self._finished = True
        # The last failed attempt's leftovers at i'mport (None: not looked up yet) and, when they
        # verify as a complete sign-up, that sign-up (offered to staff to save).
        self._leftovers: AttemptLeftovers | None = None
        self._offer: VerifiedSignup | None = None
        self._inspecting: asyncio.Task[None] | None = None
        self._refund_armed = False
        self._background: set[asyncio.Task[None]] = set()
        self._failed = False  # the current attempt ended in `_fail`
        self.warning_box: QMessageBox | None = None  # money found after the dialog was closed
        self._failure_view = ("", "")  # the failed attempt's result title and detail

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self._build_form_page())
        self.stack.addWidget(self._build_window_page())
        self.stack.addWidget(self._build_result_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(self.stack)

        if hasattr(backend, "api_state_changed"):
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
        self.form = SignupFormWidget(today=self.backend.today())
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
        self.save_button.clicked.connect(self.save_offered)
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
    def api(self) -> Any:
        return getattr(self.backend, "api", None)

    def _update_start_button(self) -> None:
        connected = self.api is not None and getattr(self.api, "imp_code", None)
        if self.api is None:
            note = self.tr("Connecting to i'mport… The window opens once the connection is up.")
            error = getattr(self.backend, "api_error", None)
            if error:
                note = arg(self.tr("Not connected to i'mport: %1"), error)
        elif not connected:
            note = self.tr("Set the merchant code (imp_code) in Settings first.")
        else:
            note = ""
        self.connection_note.setText(note)
        self.connection_note.setVisible(bool(note))
        self.start_button.setEnabled(bool(connected) and self.form.is_valid())

    def _update_screen_button(self) -> None:
        in_person = (
            self.attempt is not None and self.attempt.form.channel is SignupChannel.IN_PERSON
        )
        self.screen_button.setVisible(in_person)
        others = len(QGuiApplication.screens()) > 1
        self.screen_button.setEnabled(others)
        self.screen_button.setToolTip(
            ""
            if others
            else self.tr("Only one screen is connected; connect a screen facing the customer.")
        )

    # --- step 2: the window -----------------------------------------------------------------

    def start(self) -> None:
        """Validate, mint the ids, audit the attempt and open the Kakao Pay window."""
        if not self._finished:
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

        self.attempt = attempt = start_attempt(
            form, imp_code=api.imp_code, pg=api.pg, now=self.backend.now()
        )
        self._callback = None
        self._leftovers = None
        self._offer = None
        self._inspecting = None
        self._failed = False
        self._finished = False
        record_attempt_started(self.backend.conn, attempt, staff=self.backend.staff)
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
        first = attempt.amount
        self.summary.setText(
            f"{form.name} · {form.plan} · {won(form.amount)}"
            + (self.tr(" (first payment now)") if first else self.tr(" (card only, ₩0 now)"))
        )
        self.window_status.setText(texts.loading)
        self._update_screen_button()
        self.abort_button.setEnabled(True)
        self.stack.setCurrentIndex(PAGE_WINDOW)
        self.resize(max(self.width(), 720), max(self.height(), 760))
        web.start(attempt, sdk_url=api.sdk_url, texts=texts)

    def _on_page_status(self, status: PageStatus) -> None:
        if status is PageStatus.REQUESTED:
            self.window_status.setText(
                self.tr("Waiting for the customer to approve in Kakao Pay (QR code or phone).")
            )
        elif status is PageStatus.SDK_FAILED and not self._finished and self.attempt:
            self._fail(
                SignupFailed(
                    FailureReason.UNREACHABLE,
                    "The Kakao Pay window could not be loaded. Nothing was saved.",
                    detail="iamport.js did not load",
                ),
                can_check_again=False,
            )

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
        """Staff gave up while the window was open: audited as cancelled, nothing saved, and then
        i'mport is asked whether the customer approved meanwhile (see step 5)."""
        if self._finished or self.attempt is None:
            return
        self._fail(
            SignupFailed(
                FailureReason.CANCELLED,
                MSG_CANCELLED,
                detail="staff cancelled the sign-up while the window was open",
            ),
            can_check_again=False,
        )

    # --- step 3: verification ---------------------------------------------------------------

    def _on_callback(self, callback: CheckoutCallback) -> None:
        if self._finished or self.attempt is None:
            return
        self._callback = callback
        self.window_status.setText(self.tr("Checking with i'mport…"))
        self.abort_button.setEnabled(False)
        self._task = asyncio.ensure_future(self._verify(self.attempt, callback))

    async def _verify(self, attempt: SignupAttempt, callback: CheckoutCallback) -> None:
        try:
            verified = await verify_signup(self.api.gateway, attempt, callback)
        except SignupFailed as failure:
            self._fail(failure, can_check_again=failure.retryable)
            return
        except Exception as exc:  # an unexpected bug: nothing saved, audited, re-raised
            self._fail(
                SignupFailed(
                    FailureReason.VERIFICATION_FAILED,
                    "The sign-up could not be verified. Nothing was saved.",
                    detail=f"unexpected {type(exc).__name__}",
                ),
                can_check_again=True,
            )
            raise
        self._save(verified)

    def _save(self, verified: VerifiedSignup) -> None:
        subscriber = save_verified_signup(
            self.backend.conn, verified, staff=self.backend.staff, now=self.backend.now()
        )
        self.subscriber = subscriber
        self._finished = True
        self._offer = None
        self._leftovers = None
        card = " ".join(p for p in (verified.card_name, verified.card_number) if p) or "—"
        if verified.first_payment:
            paid = arg(self.tr("First payment of %1 received."), won(verified.first_payment.amount))
        else:
            paid = self.tr("Card registered; nothing was charged yet.")
        self._show_result(
            ok=True,
            title=arg(self.tr("%1 is signed up"), subscriber.name),
            detail=(
                f"{self.tr('Card')}: {card}\n{paid}\n"
                + arg(
                    self.tr("Next charge: %1 (%2)"),
                    subscriber.next_charge_date.isoformat(),
                    won(subscriber.amount),
                )
            ),
        )
        self.signed_up.emit(subscriber)
        self.finished_attempt.emit("signed_up", paid)

    def check_again(self) -> None:
        """Re-run verification for the same callback (after i'mport could not be reached), or the
        leftover lookup when that is what could not reach i'mport."""
        if self.attempt is None:
            return
        if self._leftovers is not None and not self._leftovers.checked:
            self.check_again_button.setEnabled(False)
            self._start_inspection("checked again")
            return
        if self._callback is None:
            return
        self.check_again_button.setEnabled(False)
        self._show_checking()
        self._finished = False
        self._task = asyncio.ensure_future(self._verify(self.attempt, self._callback))

    def _show_checking(self) -> None:
        self.stack.setCurrentIndex(PAGE_WINDOW)
        self.window_status.setText(self.tr("Checking with i'mport…"))

    # --- step 4: result ---------------------------------------------------------------------

    def _fail(self, failure: SignupFailed, *, can_check_again: bool) -> None:
        assert self.attempt is not None
        self._finished = True
        self._failed = True
        record_failed_attempt(self.backend.conn, self.attempt, failure, staff=self.backend.staff)
        log.info("sign-up not completed: %s", failure)
        titles = {
            FailureReason.CANCELLED: self.tr("Sign-up cancelled"),
            FailureReason.DECLINED: self.tr("Kakao Pay declined"),
            FailureReason.TIMED_OUT: self.tr("The request timed out"),
            FailureReason.VERIFICATION_FAILED: self.tr("Not verified"),
            FailureReason.UNREACHABLE: self.tr("Could not verify"),
        }
        detail = translate_message(failure.user_message)
        if failure.pg_message and failure.reason is FailureReason.DECLINED:
            detail += "\n" + arg(self.tr("Kakao Pay says: %1"), failure.pg_message)
        if failure.paid_payment_id:
            detail += "\n" + arg(self.tr("Payment to look at: %1"), failure.paid_payment_id)
        self._failure_view = (titles[failure.reason], detail)
        self._show_result(
            ok=False,
            title=titles[failure.reason],
            detail=detail,
            can_check_again=can_check_again and self._callback is not None,
        )
        if self.web is not None:
            self.web.dispose()
        self.finished_attempt.emit(failure.reason.value, failure.user_message)
        if failure.reason is not FailureReason.UNREACHABLE or failure.paid_payment_id:
            self._start_inspection(f"after {failure.reason.value}")

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

    # --- step 5: what an unfinished attempt left at i'mport -----------------------------------

    def _start_inspection(self, when: str) -> None:
        assert self.attempt is not None
        self.leftover_note.setText(self.tr("Checking with i'mport that nothing was taken…"))
        self.leftover_note.setVisible(True)
        self.retry_button.setEnabled(False)  # a new attempt waits until this one is accounted for
        task = asyncio.ensure_future(self._inspect(self.attempt, when))
        self._inspecting = task

    async def _inspect(self, attempt: SignupAttempt, when: str) -> None:
        try:
            left = await inspect_attempt(self.api.gateway, attempt)
            offer = await verify_leftovers(self.api.gateway, left) if not left.empty else None
        except Exception:  # a bug: never let an unfinished attempt pass as clean
            log.exception("looking up the sign-up attempt %s failed", attempt.order_id)
            left = AttemptLeftovers(attempt, False, (), error="unexpected error")
            offer = None
        record_leftovers(self.backend.conn, left, staff=self.backend.staff, when=when)
        if not left.empty:
            log.warning("sign-up attempt not saved, i'mport holds: %s", left.describe())
        if attempt is not self.attempt or not self._alive():
            return  # the dialog was destroyed meanwhile: the audit entry is what remains
        self._leftovers = left
        self._offer = offer
        self._show_leftovers(left, offer)
        self.leftovers_checked.emit(left)
        if not self.isVisible() and not left.empty:
            # Closed while i'mport was being asked (or while verifying): closing meant leaving.
            self._release_attempt()

    def _alive(self) -> bool:
        """False once Qt has deleted the dialog's widgets (a look-up can outlive them)."""
        return shiboken6.isValid(self) and shiboken6.isValid(self.leftover_note)

    def _show_leftovers(self, left: AttemptLeftovers, offer: VerifiedSignup | None) -> None:
        self._refund_armed = False
        self.retry_button.setVisible(True)
        self.retry_button.setEnabled(True)
        self.save_button.setVisible(False)
        self.refund_button.setVisible(False)
        attempt = left.attempt
        if left.empty:
            self.leftover_note.setText(self.tr("i'mport confirms that nothing was taken."))
            self.leftover_note.setStyleSheet("font-size: 13px; color: #57606a;")
            return
        self.leftover_note.setStyleSheet("font-size: 14px; color: #9a6700; font-weight: 600;")
        if not left.checked:
            self.leftover_note.setText(
                arg(
                    self.tr(
                        "i'mport could not be asked whether the customer approved meanwhile "
                        "(order %1). Check again before starting over."
                    ),
                    attempt.order_id,
                )
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
        for payment in left.payments:
            lines.append(
                arg(
                    self.tr("%1 was taken (imp_uid %2) and no subscriber was saved."),
                    won(payment.refundable),
                    payment.payment_id,
                )
            )
        if left.key and offer is None:
            lines.append(
                self.tr("The card was registered; it is deleted when you leave this attempt.")
            )
        if left.payments:
            self.refund_button.setText(arg(self.tr("Refund %1 now"), won(left.taken)))
            self.refund_button.setVisible(True)
            self.refund_button.setEnabled(True)
        self.leftover_note.setText("\n".join(lines))

    def save_offered(self) -> None:
        """Save the sign-up the leftovers verified as (the customer approved after all)."""
        if self._offer is None:
            return
        offer = self._offer
        self._offer = None
        self.save_button.setVisible(False)
        self.refund_button.setVisible(False)
        self.leftover_note.setVisible(False)
        self._save(offer)

    def refund_now(self) -> None:
        """Refund what the unfinished attempt took (two clicks: the first asks to confirm)."""
        left = self._leftovers
        if left is None or not left.payments:
            return
        if not self._refund_armed:
            self._refund_armed = True
            self.refund_button.setText(arg(self.tr("Confirm: refund %1"), won(left.taken)))
            return
        self.refund_button.setEnabled(False)
        self.save_button.setVisible(False)
        self._offer = None
        task = asyncio.ensure_future(self._refund(left))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _refund(self, left: AttemptLeftovers) -> None:
        problem: str | None = None
        for payment in left.payments:
            try:
                await refund_leftover(
                    self.api.gateway,
                    self.backend.conn,
                    left.attempt,
                    payment,
                    staff=self.backend.staff,
                )
            except GatewayError as exc:
                problem = exc.gateway_message or type(exc).__name__
        # Look again rather than assume: what i'mport now shows is what staff read.
        await self._inspect(left.attempt, "after refund")
        if not self._alive():
            return
        head = (
            arg(self.tr("The refund was not confirmed: %1"), problem)
            if problem
            else arg(self.tr("Refunded %1."), won(left.taken))
        )
        self.leftover_note.setText(head + "\n" + self.leftover_note.text())

    def _release_attempt(self) -> None:
        """Staff leave an unfinished attempt: look it up once more and delete its key if one was
        issued (in the background; audited either way), so no card stays registered at the
        merchant without a subscriber here. Paid payments are recorded, never refunded unasked."""
        attempt = self.attempt
        if attempt is None:
            return
        saved = self.subscriber is not None and self.subscriber.customer_uid == attempt.key_id
        if saved or (self._leftovers is not None and self._leftovers.empty):
            return
        if not self._failed:
            return  # never got as far as a failed window (a saved one returned above)
        self._offer = None
        self._failed = False  # released once: closing after "Try again" does not repeat it
        task = asyncio.ensure_future(self._release(attempt, self._inspecting))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _release(self, attempt: SignupAttempt, inspecting: asyncio.Task[None] | None) -> None:
        try:
            if inspecting is not None:
                await asyncio.shield(inspecting)  # its audit entry first, then ours
            left = await inspect_attempt(self.api.gateway, attempt)
            if not left.checked or left.payments:
                record_leftovers(
                    self.backend.conn, left, staff=self.backend.staff, when="attempt abandoned"
                )
            if left.key:
                await delete_orphan_key(
                    self.api.gateway, self.backend.conn, attempt, staff=self.backend.staff
                )
            if left.payments and (not self._alive() or not self.isVisible()):
                self._warn_after_close(left)
        except Exception:
            log.exception("releasing the sign-up attempt %s failed", attempt.order_id)
        if self._alive():
            self.attempt_released.emit(attempt)

    def _warn_after_close(self, left: AttemptLeftovers) -> None:
        """Money found after the dialog was closed: say so where staff are (audited as well)."""

        def tr(text: str) -> str:  # not self.tr: the dialog may be gone already
            return QCoreApplication.translate("SignupDialog", text)

        lines = [
            arg(
                tr("%1 was taken (imp_uid %2) and no subscriber was saved."),
                won(p.refundable),
                p.payment_id,
            )
            for p in left.payments
        ]
        messages.warning(" ".join(lines))  # the status bar and the message history too
        parent = self.parentWidget() if self._alive() else None
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            tr("Sign-up not completed"),
            "\n".join(lines)
            + "\n"
            + tr("Refund it in the i'mport console; the audit log has the details."),
            QMessageBox.StandardButton.Ok,
            parent,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning_box = box
        box.open()

    def try_again(self) -> None:
        """Back to the (kept) form; a new attempt mints new ids. The old one is let go first."""
        if self._offer is not None:
            return  # a verified sign-up is waiting: save it or refund it, not overwrite it
        self._release_attempt()
        self._inspecting = None
        self.stack.setCurrentIndex(PAGE_FORM)
        self._update_start_button()

    # --- closing ----------------------------------------------------------------------------

    def reject(self) -> None:
        if not self._finished and self._callback is None and self.attempt is not None:
            # Closing while the customer may be approving is a staff cancel: stay open on the
            # result page so what i'mport holds is seen, not just audited. A second close leaves.
            self.abort_window()
            return
        self._release_attempt()
        self._dispose_web()
        super().reject()

    def accept(self) -> None:
        self._release_attempt()
        self._dispose_web()
        super().accept()

    def _dispose_web(self) -> None:
        if self.web is not None:
            self.web.dispose()
