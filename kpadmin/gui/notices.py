"""The customer notices as staff see them: a status-bar button with the number of unsent notices
and a window listing them (recipient masked), with Send now and Try given-up again.

The notices themselves are billing's (kpadmin/billing/outbox.py): written with the outcomes,
sent after each batch — here, `NoticesController.after_batch` — and by Send now. The count
follows the store (`Backend.notices_changed`).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kpadmin.billing.outbox import SendReport
from kpadmin.gui import aio, messages
from kpadmin.gui import formatting as fmt
from kpadmin.gui.backend import Backend
from kpadmin.gui.formatting import tr

log = logging.getLogger(__name__)


def kind_label(kind: str) -> str:
    return {
        "receipt": tr("Receipt"),
        "decline": tr("Decline notice"),
        "past_due": tr("Past-due notice"),
        "advance": tr("Advance notice"),
        "price_change": tr("Price change notice"),
    }.get(kind, kind)


def state_label(state: str) -> str:
    return {
        "pending": tr("Unsent"),  # 미발송, as the glossary and the status bar say
        "sending": tr("Sending"),
        "sent": tr("Sent"),
        "failed": tr("Given up"),
    }.get(state, state)


def _when(value: str | None) -> str:
    if not value:
        return ""
    from datetime import datetime

    return fmt.format_instant(datetime.fromisoformat(value))


class NoticesDialog(QDialog):
    """The unsent notices, newest first."""

    def __init__(self, controller: NoticesController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notices_dialog")
        self.setWindowTitle(self.tr("Customer notices"))
        self.controller = controller
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setObjectName("notices_list")
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(
            [
                self.tr("Notice"),
                self.tr("To"),
                self.tr("State"),
                self.tr("Written"),
                self.tr("Tries"),
                self.tr("Next try"),
                self.tr("Last error"),
            ]
        )
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.send = QPushButton(self.tr("Send now"))
        self.send.setObjectName("send_notices")
        self.retry = QPushButton(self.tr("Try given-up ones again"))
        buttons.addButton(self.send, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.retry, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.send.clicked.connect(controller.send_now)
        self.retry.clicked.connect(controller.retry_failed)
        layout.addWidget(buttons)
        self.resize(820, 360)
        self.refresh()

    def refresh(self) -> None:
        entries = self.controller.backend.notice_entries(unsent_only=True)
        self.tree.clear()
        items = []
        for entry in entries:
            item = QTreeWidgetItem(
                [
                    kind_label(entry["kind"]),
                    entry["to"],
                    state_label(entry["state"]),
                    _when(entry["created_at"]),
                    str(entry["attempts"]),
                    _when(entry["next_attempt_at"]) if entry["state"] == "pending" else "",
                    entry["last_error"] or "",
                ]
            )
            if entry["state"] == "failed":
                item.setForeground(2, Qt.GlobalColor.darkRed)
            items.append(item)
        self.tree.addTopLevelItems(items)
        failed = sum(1 for e in entries if e["state"] == "failed")
        if not entries:
            self.summary.setText(self.tr("Every notice has been sent."))
        else:
            self.summary.setText(
                self.tr(
                    "{n} notice(s) not sent yet; {failed} given up. Notices are sent after "
                    "each batch and tried again later when the mail server refuses them."
                ).format(n=len(entries), failed=failed)
            )
        self.retry.setEnabled(failed > 0)
        self.send.setEnabled(self.controller.backend.notices_on and not self.controller.sending)


class NoticesController(QObject):
    """The status-bar button, the window, and the sending after a batch."""

    def __init__(self, backend: Backend, parent: QWidget) -> None:
        super().__init__(parent)
        self.backend = backend
        self.window = parent
        self.sending = False
        self.dialog: NoticesDialog | None = None
        self.button = QPushButton()
        self.button.setObjectName("notices_button")
        self.button.setFlat(True)
        self.button.clicked.connect(self.show_dialog)
        backend.notices_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        try:
            unsent = self.backend.unsent_notices()
        except Exception as exc:  # a closed store while the window closes: nothing to show
            log.debug("notices count: %s", exc)
            return
        self.button.setVisible(unsent > 0)
        self.button.setText(self.tr("✉ {n} unsent notice(s)").format(n=unsent))
        self.button.setToolTip(self.tr("Customer notices not sent yet: click to see them"))
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.refresh()

    def show_dialog(self) -> None:
        if self.dialog is None:
            self.dialog = NoticesDialog(self, self.window)
        self.dialog.refresh()
        self.dialog.show()
        self.dialog.raise_()

    def after_batch(self) -> None:
        """A batch ended: send its notices (and any whose retry time has come)."""
        if self.backend.notices_on:
            self.send_now(quiet=True)

    def send_now(self, quiet: bool = False) -> None:
        if self.sending or not self.backend.notices_on:
            return
        self.sending = True
        if self.dialog is not None:
            self.dialog.send.setEnabled(False)

        def done(report: SendReport) -> None:
            self._finished()
            if report.stopped:
                messages.warning(self.tr("Notices not sent: {why}").format(why=report.stopped))
            elif report.sent or not quiet:
                messages.info(
                    self.tr("Notices: {sent} sent, {later} to try again later.").format(
                        sent=report.sent, later=report.retry_later + report.given_up
                    )
                )

        def failed(exc: BaseException) -> None:
            self._finished()
            messages.warning(self.tr("Notices not sent: {why}").format(why=str(exc)))

        aio.run_op(self.backend.send_notices(), on_success=done, on_failure=failed)

    def retry_failed(self) -> None:
        self.backend.retry_failed_notices()
        self.send_now()

    def _finished(self) -> None:
        self.sending = False
        self.refresh()

    def entries(self) -> list[dict[str, Any]]:
        return self.backend.notice_entries(unsent_only=True)
