"""Unexpected errors: one exception dialog with copyable details, and nothing secret in it.

`install_excepthook()` runs before the QApplication exists (as in Vorta): an exception before
the window is up goes to stderr and the log; after that it opens `ExceptionDialog`. Only one
dialog is ever open — later exceptions are appended to it rather than stacking boxes. The
asyncio loop's exception handler reports through the same path, so an
exception in a coroutine is not silently dropped.

Details are redacted: registered secret values (the REST secret, tokens), anything that looks like a
secret assignment, and phone numbers.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import traceback
from types import TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QThread
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kpadmin import __version__

log = logging.getLogger("kpadmin.crash")

_secrets: set[str] = set()
_SECRET_ASSIGNMENT = re.compile(
    r"(?i)(imp_secret|secret|access_token|token|authorization|password|imp_key)"
    r"(\s*[=:]\s*|['\"]\s*:\s*['\"]?)([^\s'\",}]+)"
)
_PHONE = re.compile(r"\b(01[016789])[-\s]?(\d{3,4})[-\s]?(\d{4})\b")
_dialog: ExceptionDialog | None = None


def register_secret(value: str | None) -> None:
    """Values that must never appear in an error report or a log (the REST secret, tokens)."""
    if value and len(value) >= 4:
        _secrets.add(value)
        with contextlib.suppress(ImportError):
            from kpadmin import redact as core

            core.register_secret(value)


def redact(text: str) -> str:
    """Registered secrets, secret-looking assignments, phone and card numbers scrubbed."""
    for value in sorted(_secrets, key=len, reverse=True):
        text = text.replace(value, "[secret]")
    text = _SECRET_ASSIGNMENT.sub(lambda m: f"{m.group(1)}{m.group(2)}[redacted]", text)
    text = _PHONE.sub(lambda m: f"{m.group(1)}-****-{m.group(3)}", text)
    try:
        from kpadmin import redact as core
    except ImportError:
        return text
    return core.redact_text(text)


def format_exception(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    body = "".join(traceback.format_exception(exc_type, exc, tb))
    return redact(f"kpadmin {__version__}, Python {sys.version.split()[0]}\n\n{body}")


class ExceptionDialog(QDialog):
    """Something went wrong, in plain words; the (redacted) details one click from the clipboard."""

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unexpected error"))
        self.setObjectName("exception_dialog")
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Something unexpected went wrong. Your data is safe: charges are recorded"
                " before they are sent. You can keep working; if this happens again, send the"
                " details below to support."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setMinimumSize(560, 240)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("Copy details"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def add(self, details: str) -> None:
        self.details.appendPlainText("\n" + "-" * 60 + "\n" + details)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())


def current_dialog() -> ExceptionDialog | None:
    return _dialog


def report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log an unexpected exception and show it in the one exception dialog (when there is a GUI)."""
    global _dialog
    from kpadmin.billing.records import StoreError

    if isinstance(exc, StoreError) and QApplication.instance() is not None:
        # Not a bug but the disk or the file (a write from a slot met a full disk): the calm
        # message of `database_problem`, never a traceback.
        from kpadmin.gui import database_problem, messages

        log.warning("database problem: %s", exc)
        messages.error(database_problem.describe(exc).replace("\n\n", " "))
        return
    details = format_exception(exc_type, exc, tb)
    log.error("unexpected error\n%s", details)
    app = QApplication.instance()
    if not isinstance(app, QApplication) or QThread.currentThread() is not app.thread():
        print(details, file=sys.stderr)
        return
    if _dialog is not None and _dialog.isVisible():
        _dialog.add(details)
        return
    _dialog = ExceptionDialog(details, QApplication.activeWindow())
    _dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _dialog.finished.connect(_forget_dialog)
    _dialog.open()  # never exec(): this may run inside a coroutine (STYLE pitfall 5)


def _forget_dialog(*_: Any) -> None:
    global _dialog
    _dialog = None


def _excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        app = QCoreApplication.instance()
        if app is not None:
            app.quit()
        return
    try:
        report(exc_type, exc, tb)
    except Exception:  # the hook itself must not fail silently
        sys.__excepthook__(exc_type, exc, tb)


def install_excepthook() -> None:
    sys.excepthook = _excepthook


def asyncio_exception_handler(loop: Any, context: dict[str, Any]) -> None:
    """For ``loop.set_exception_handler``: exceptions nobody awaited go to the same dialog."""
    exc = context.get("exception")
    if isinstance(exc, BaseException):
        report(type(exc), exc, exc.__traceback__)
    else:
        log.error("asyncio: %s", redact(str(context.get("message", context))))
