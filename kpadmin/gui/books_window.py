"""The books window (장부): payments across customers, the settlement report and the audit trail,
as tabs of one non-modal window beside the main one. Each tab refreshes itself when the store
changes (coalesced, and only while the window is shown)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from kpadmin.gui import formatting as fmt
from kpadmin.gui.audit_view import AuditView
from kpadmin.gui.backend import Backend, DataChange
from kpadmin.gui.payments_view import PaymentsView
from kpadmin.gui.report_view import ReportView

PAYMENTS, REPORT, AUDIT = range(3)


class BooksWindow(QWidget):
    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("books_window")
        self.backend = backend
        title = self.tr("Payments, settlement and audit")
        self.setWindowTitle(f"{title} [{fmt.mode_label(backend.mode)}]")
        self.payments = PaymentsView(backend)
        self.report = ReportView(backend)
        self.audit = AuditView(backend)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("books_tabs")
        self.tabs.addTab(self.payments, self.tr("Payments"))
        self.tabs.addTab(self.report, self.tr("Settlement"))
        self.tabs.addTab(self.audit, self.tr("Audit log"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)
        self.resize(1180, 720)
        self._stale = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)
        backend.data_changed.connect(self._on_data_changed)

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        self.show()
        self.raise_()
        self.activateWindow()

    def refresh(self) -> None:
        self._stale = False
        today = self.backend.today()
        for view in (self.payments, self.report, self.audit):
            view.range.today = today
            view.refresh()

    def _on_data_changed(self, _change: DataChange) -> None:
        if self.isVisible():
            self._timer.start()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Nothing may read the store after the window (and with it the backend) went away.
        for timer in (self._timer, self.payments._timer, self.audit._timer, self.audit._copied):
            timer.stop()
        super().closeEvent(event)
