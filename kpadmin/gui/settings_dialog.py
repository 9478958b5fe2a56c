"""Settings: mode, merchant code, REST key and secret, channel, limits, staff name, language.

Values are validated by `kpadmin.billing.settings` (the same rules as `kpadmin config set`), so the
dialog and the command line never disagree: the same bounds (spin box ranges and tooltips come from
`settings.BOUNDS` / `DESCRIPTIONS`), the same messages, shown inline; the whole form is judged at
once (`set_values`), so switching to TEST with an http address is refused while both are typed.
The REST key and secret go to the OS keyring through `kpadmin.billing.secrets`; the dialog shows
only *whether* each is set and where it comes from, and never reads a stored secret into a field.
Switching to LIVE asks first. "Test connection" fetches a token on the qasync loop with the values
as typed.

`saved(old, new)` is emitted after the file (and any secret) is written; the app reopens the store
when the mode changed and rebuilds the window when the language changed.
"""

from __future__ import annotations

import dataclasses
import logging

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kpadmin import runtime as rt
from kpadmin.billing import secrets
from kpadmin.billing import settings as settings_mod
from kpadmin.billing.messages import (
    AuditAction,
    Message,
    MessageCode,
    Term,
    TermKind,
    setting_change,
)
from kpadmin.clock import ClockError
from kpadmin.gui import aio, messages
from kpadmin.gui.backend import Backend

log = logging.getLogger(__name__)


class SettingsDialog(QDialog):
    saved = Signal(object, object)  # old Settings, new Settings
    connection_tested = Signal(bool, str)  # ok, message (for tests and the label)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self.backend = backend
        self.original = backend.runtime.settings
        self.setWindowTitle(self.tr("Settings"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(560)
        self._confirm_box: QMessageBox | None = None
        self._last_mode = self.original.mode
        s = self.original

        layout = QVBoxLayout(self)
        conn_box = QGroupBox(self.tr("i'mport connection"))
        form = QFormLayout(conn_box)
        self.mode = QComboBox()
        self.mode.setObjectName("mode")
        self.mode.addItem(self.tr("Sandbox (training, built-in simulator)"), "sandbox")
        self.mode.addItem(self.tr("Test (i'mport test channel)"), "test")
        self.mode.addItem(self.tr("LIVE (real money)"), "live")
        self.mode.setCurrentIndex(max(0, self.mode.findData(s.mode)))
        self.mode.currentIndexChanged.connect(self._on_mode_changed)
        form.addRow(self.tr("Mode"), self.mode)
        self.imp_code = QLineEdit(s.imp_code or "")
        self.imp_code.setPlaceholderText(self.tr("imp12345678"))
        form.addRow(self.tr("Merchant code"), self.imp_code)
        self.imp_key = QLineEdit()
        self.imp_key.setObjectName("imp_key")
        self.imp_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.imp_secret = QLineEdit()
        self.imp_secret.setObjectName("imp_secret")
        self.imp_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_state = QLabel()
        self.secret_state = QLabel()
        for state in (self.key_state, self.secret_state):
            state.setStyleSheet("color: #6b6b6b;")
        form.addRow(self.tr("REST API key"), _pair(self.imp_key, self.key_state))
        form.addRow(self.tr("REST API secret"), _pair(self.imp_secret, self.secret_state))
        self.keyring_note = QLabel()
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setStyleSheet("color: #b9770e;")
        form.addRow("", self.keyring_note)
        self.keyring_note.installEventFilter(self)
        self.pg = QLineEdit(s.pg)
        self.pg.setPlaceholderText("kakaopay.TCSUBSCRIP")
        form.addRow(self.tr("PG / channel"), self.pg)
        self.api_base_url = QLineEdit(s.api_base_url or "")
        self.api_base_url.setObjectName("api_base_url")
        self.api_base_url.setPlaceholderText(self.tr("(default for the mode)"))
        self.api_base_url.setToolTip(settings_mod.DESCRIPTIONS["api_base_url"])
        form.addRow(self.tr("API address"), self.api_base_url)
        test_row = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.setObjectName("test_connection")
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = QLabel()
        self.test_result.setObjectName("test_result")
        self.test_result.setWordWrap(True)
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        form.addRow("", test_row)
        layout.addWidget(conn_box)

        work_box = QGroupBox(self.tr("Charging and staff"))
        work = QFormLayout(work_box)
        bounds = settings_mod.BOUNDS
        self.concurrency = QSpinBox()
        self.concurrency.setObjectName("concurrency")
        self.concurrency.setRange(*(int(b) for b in bounds["concurrency"]))
        self.concurrency.setValue(s.concurrency)
        self.concurrency.setToolTip(settings_mod.DESCRIPTIONS["concurrency"])
        work.addRow(self.tr("Charges at once"), self.concurrency)
        self.requests_per_second = QLineEdit(settings_mod.format_value(s, "requests_per_second"))
        self.requests_per_second.setObjectName("requests_per_second")
        low, high = bounds["requests_per_second"]
        self.requests_per_second.setPlaceholderText(
            self.tr("No cap ({low:g} to {high:g})").format(low=low, high=high)
        )
        self.requests_per_second.setToolTip(settings_mod.DESCRIPTIONS["requests_per_second"])
        work.addRow(self.tr("Charges per second"), self.requests_per_second)
        self.monthly_limit = QSpinBox()
        self.monthly_limit.setObjectName("monthly_limit")
        # 0 below the real minimum stands for "no cap" (the spin box's special value).
        self.monthly_limit.setRange(0, int(bounds["monthly_limit"][1]))
        self.monthly_limit.setSpecialValueText(self.tr("No cap"))
        self.monthly_limit.setValue(s.monthly_limit or 0)
        self.monthly_limit.setToolTip(settings_mod.DESCRIPTIONS["monthly_limit"])
        work.addRow(self.tr("Charges per key per month"), self.monthly_limit)
        self.staff_name = QLineEdit(s.staff_name)
        self.staff_name.setPlaceholderText(backend.staff)
        work.addRow(self.tr("Staff name"), self.staff_name)
        self.language = QComboBox()
        self.language.addItem(self.tr("Follow the system"), "auto")
        self.language.addItem("한국어", "ko")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(s.language)))
        work.addRow(self.tr("Language"), self.language)
        layout.addWidget(work_box)

        # Collections (issue #12): retries, the daily automatic run, customer notices. Beside
        # the other two boxes, so the dialog stays short enough for a laptop screen.
        columns = QHBoxLayout()
        left = QVBoxLayout()
        for box in (conn_box, work_box):
            layout.removeWidget(box)
            left.addWidget(box)
        left.addStretch(1)
        columns.addLayout(left, 1)
        columns.addWidget(self._collections_box(s), 1)
        layout.insertLayout(0, columns)
        self.setMinimumWidth(940)  # two columns of fields (was 560 for one)

        self.problem = QLabel()
        self.problem.setObjectName("settings_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b;")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.buttons = buttons
        self._refresh_secret_state()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A wrapped label inside a group box inside the two columns got one and a half lines
        # (the group box drops height-for-width), so the keyring note overlapped the rows
        # around it: whenever it is resized, give it the height its text needs at that width.
        if watched is self.keyring_note and event.type() == QEvent.Type.Resize:
            note = self.keyring_note
            needed = note.heightForWidth(note.width())
            if needed != note.minimumHeight():
                note.setMinimumHeight(needed)
        return super().eventFilter(watched, event)

    def _secret_lines(self) -> tuple[tuple[str, QLineEdit], ...]:
        """The secrets typed in the form (stored in the keyring, never in settings.json)."""
        return _secret_lines_of(self)

    def _collections_box(self, s: settings_mod.Settings) -> QGroupBox:
        box = QGroupBox(self.tr("Retries, automatic runs and notices"))
        form = QFormLayout(box)
        described = settings_mod.DESCRIPTIONS

        def line(key: str, placeholder: str = "") -> QLineEdit:
            value = settings_mod.format_value(s, key)
            # "off" shows as an empty field: the placeholder says empty means off, and an English
            # word in a Korean form reads as a leftover.
            edit = QLineEdit("" if value == "off" else value)
            edit.setObjectName(key)
            edit.setToolTip(described.get(key, ""))
            if placeholder:
                edit.setPlaceholderText(placeholder)
            return edit

        self.retry_days = line("retry_days", "1,3,5")
        form.addRow(self.tr("Retry days after a decline"), self.retry_days)
        self.auto_charge_time = line("auto_charge_time", self.tr("off, or HH:MM Korean time"))
        form.addRow(self.tr("Daily automatic run"), self.auto_charge_time)
        self.auto_charge_live = QCheckBox(self.tr("Also in LIVE mode (real money)"))
        self.auto_charge_live.setObjectName("auto_charge_live")
        self.auto_charge_live.setChecked(s.auto_charge_live)
        self.auto_charge_live.setToolTip(described.get("auto_charge_live", ""))
        form.addRow("", self.auto_charge_live)
        self.notices = QComboBox()
        self.notices.setObjectName("notices")
        self.notices.addItem(self.tr("Off"), "off")
        self.notices.addItem(self.tr("By e-mail"), "email")
        self.notices.setCurrentIndex(max(0, self.notices.findData(s.notices)))
        self.notices.setToolTip(described.get("notices", ""))
        form.addRow(self.tr("Customer notices"), self.notices)
        self.smtp_url = line("smtp_url", "smtps://smtp.example.com")
        form.addRow(self.tr("Mail server"), self.smtp_url)
        self.smtp_user = line("smtp_user")
        form.addRow(self.tr("Mail login"), self.smtp_user)
        self.smtp_password = QLineEdit()
        self.smtp_password.setObjectName("smtp_password")
        self.smtp_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.smtp_password.setPlaceholderText(self.tr("unchanged (kept in the keyring)"))
        form.addRow(self.tr("Mail password"), self.smtp_password)
        self.notice_from = line("notice_from", "가나다 상점 <billing@example.com>")
        form.addRow(self.tr("Sender"), self.notice_from)
        self.merchant_name = line("merchant_name")
        form.addRow(self.tr("Business name"), self.merchant_name)
        self.merchant_contact = line("merchant_contact", "02-123-4567")
        form.addRow(self.tr("Contact for customers"), self.merchant_contact)
        self.notice_days_before = line("notice_days_before", self.tr("off, or 1 to 14"))
        form.addRow(self.tr("Advance notice (days before)"), self.notice_days_before)
        return box

    # --- values -----------------------------------------------------------------------------

    def selected_mode(self) -> str:
        return str(self.mode.currentData())

    def candidate(self) -> settings_mod.Settings:
        """The settings as typed; raises `SettingsError` with a message for the user."""
        return settings_mod.set_values(
            self.original,
            {
                "mode": self.selected_mode(),
                "imp_code": self.imp_code.text(),
                "pg": self.pg.text(),
                "api_base_url": self.api_base_url.text(),
                "concurrency": str(self.concurrency.value()),
                "requests_per_second": self.requests_per_second.text(),
                "monthly_limit": str(self.monthly_limit.value() or ""),
                "staff_name": self.staff_name.text(),
                "language": self.language.currentData(),
                "retry_days": self.retry_days.text(),
                "auto_charge_time": self.auto_charge_time.text() or "off",
                "auto_charge_live": "true" if self.auto_charge_live.isChecked() else "false",
                "notices": self.notices.currentData(),
                "smtp_url": self.smtp_url.text(),
                "smtp_user": self.smtp_user.text(),
                "notice_from": self.notice_from.text(),
                "merchant_name": self.merchant_name.text(),
                "merchant_contact": self.merchant_contact.text(),
                "notice_days_before": self.notice_days_before.text() or "off",
            },
        )

    def _refresh_secret_state(self) -> None:
        mode = self.selected_mode()
        ok, why = secrets.keyring_available()
        # A short sentence in the dialog; the backend's full explanation in the tooltip.
        self.keyring_note.setText(
            ""
            if ok
            else self.tr(
                "No OS keyring is available, so the key and secret cannot be saved here. Set the"
                " environment variables KPADMIN_IMP_KEY and KPADMIN_IMP_SECRET instead."
            )
        )
        self.keyring_note.setToolTip("" if ok else why)
        self.keyring_note.setVisible(not ok)
        for line in (self.imp_key, self.imp_secret):
            line.setEnabled(ok)
        try:
            sources = secrets.secret_sources(mode)
        except secrets.SecretsError as exc:
            sources = {}
            self.keyring_note.setText(self.tr("The OS keyring could not be read."))
            self.keyring_note.setToolTip(str(exc))
            self.keyring_note.setVisible(True)
        for name, label, line in (
            ("imp_key", self.key_state, self.imp_key),
            ("imp_secret", self.secret_state, self.imp_secret),
        ):
            source = sources.get(name, secrets.SecretSource.UNSET)
            label.setText(self._source_text(source))
            line.setPlaceholderText(
                self.tr("set — type to replace")
                if source != secrets.SecretSource.UNSET
                else self.tr("not set")
            )

    def _source_text(self, source: secrets.SecretSource) -> str:
        return {
            secrets.SecretSource.ENV: self.tr("set (environment)"),
            secrets.SecretSource.KEYRING: self.tr("set (keyring)"),
            secrets.SecretSource.SANDBOX_DEFAULT: self.tr("sandbox default"),
            secrets.SecretSource.UNSET: self.tr("not set"),
        }.get(source, str(source))

    def _on_mode_changed(self, _index: int) -> None:
        mode = self.selected_mode()
        if mode == "live" and self._last_mode != "live":
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                self.tr("Switch to LIVE?"),
                self.tr(
                    "In LIVE mode charges take real money from real customers' Kakao Pay"
                    " accounts. LIVE keeps its own subscribers, separate from test and sandbox."
                    "\n\nSwitch to LIVE?"
                ),
                QMessageBox.StandardButton.Cancel,
                self,
            )
            box.addButton(self.tr("Switch to LIVE"), QMessageBox.ButtonRole.AcceptRole)
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            box.setWindowModality(Qt.WindowModality.WindowModal)
            box.accepted.connect(self._live_confirmed)
            box.rejected.connect(self._live_refused)
            self._confirm_box = box
            box.open()
            return
        self._last_mode = mode
        self._refresh_secret_state()

    def _live_confirmed(self) -> None:
        self._last_mode = "live"
        self._refresh_secret_state()

    def _live_refused(self) -> None:
        self.mode.blockSignals(True)
        self.mode.setCurrentIndex(max(0, self.mode.findData(self._last_mode)))
        self.mode.blockSignals(False)
        self._refresh_secret_state()

    # --- test connection --------------------------------------------------------------------

    def test_connection(self) -> None:
        try:
            candidate = self.candidate()
        except settings_mod.SettingsError as exc:
            self._tested(False, str(exc))
            return
        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText(self.tr("Asking i'mport for a token…"))
        aio.run_op(
            self._fetch_token(candidate),
            on_success=lambda _t: self._tested(
                True, self.tr("Connected: i'mport issued a token for this key and secret.")
            ),
            on_failure=lambda exc: self._tested(False, self._connection_problem(exc)),
        )

    async def _fetch_token(self, candidate: settings_mod.Settings) -> object:
        mode = candidate.mode
        key = self.imp_key.text().strip() or secrets.read_secret(mode, "imp_key")[0]
        secret = self.imp_secret.text().strip() or secrets.read_secret(mode, "imp_secret")[0]
        if not key or not secret:
            raise aio.UserError(
                self.tr("Enter the REST API key and secret for {mode} mode first.").format(
                    mode=mode
                )
            )
        base = settings_mod.rest_base_url(candidate)
        if base is None:  # the built-in sandbox: the one this window already runs
            api = self.backend.api
            if api is None or api.sandbox is None:
                raise aio.UserError(
                    self.tr("The built-in sandbox is not running; save and reopen first.")
                )
            base = api.base_url
        await rt.check_credentials(base, key, secret)
        return True

    def _connection_problem(self, exc: BaseException) -> str:
        text = aio.describe_error(exc)
        if text is None:
            log.warning("test connection failed", exc_info=exc)
            text = self.tr("Unexpected problem: {detail}").format(
                detail=str(exc) or type(exc).__name__
            )
        return text

    def _tested(self, ok: bool, text: str) -> None:
        self.test_button.setEnabled(True)
        self.test_result.setText(text)
        self.test_result.setStyleSheet("color: #1e7e34;" if ok else "color: #c0392b;")
        self.connection_tested.emit(ok, text)

    # --- save -------------------------------------------------------------------------------

    def save(self) -> None:
        try:
            new = self.candidate()
            mode = new.mode
            # Refused before anything is stored: live mode while KPADMIN_NOW pretends a date.
            self.backend.runtime.with_settings(new)
            for name, line in self._secret_lines():
                if line.text().strip():
                    secrets.store_secret(mode, name, line.text())
        except (settings_mod.SettingsError, secrets.SecretsError, ClockError) as exc:
            self.problem.setText(str(exc))
            return
        self.problem.setText("")
        old = self.original
        runtime = self.backend.runtime.save_settings(new)
        changed = [
            f.name for f in dataclasses.fields(new) if getattr(old, f.name) != getattr(new, f.name)
        ]
        stored = [n for n, line in self._secret_lines() if line.text().strip()]
        for _name, line in self._secret_lines():
            line.clear()
        if changed or stored:
            detail = Message.of(
                MessageCode.AUDIT_PARTS,
                parts=[
                    setting_change(
                        MessageCode.AUDIT_SETTING_CHANGE, k, _shown(old, k), _shown(new, k)
                    )
                    for k in changed
                ]
                + [
                    Message.of(
                        MessageCode.AUDIT_SECRET_REPLACED,
                        name=Term(TermKind.SECRET, n),
                        mode=Term(TermKind.MODE, mode),
                    )
                    for n in stored
                ],
            )
            self.backend.record(AuditAction.SETTINGS, detail)
        self.backend.runtime = runtime
        messages.info(self.tr("Settings saved."))
        self.accept()
        self.saved.emit(old, new)


def _secret_lines_of(dialog: SettingsDialog) -> tuple[tuple[str, QLineEdit], ...]:
    return (
        ("imp_key", dialog.imp_key),
        ("imp_secret", dialog.imp_secret),
        (secrets.SMTP_PASSWORD, dialog.smtp_password),
    )


def _shown(settings: settings_mod.Settings, key: str) -> str:
    return settings_mod.format_value(settings, key) or "-"


def _pair(line: QLineEdit, label: QLabel) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(line, 1)
    row.addWidget(label)
    return box
