"""Import CSV / Export CSV, on top of `kpadmin.billing.csvio`.

`CsvActions(backend, parent)` is what the main window's Import/Export actions call. Import first
runs as is (all or nothing). When rows are bad, nothing has been written and the results dialog
lists every problem by line number, offering to import the good rows only. The key check talks to
i'mport, so it runs on the qasync loop and the window stays responsive. An applied import tells
the backend (`notify_changed`): the views reload themselves; this module knows no window.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kpadmin.billing import csvio
from kpadmin.billing.messages import AuditAction
from kpadmin.gui import aio, messages
from kpadmin.gui.backend import Backend
from kpadmin.gui.formatting import tr


class ImportResultsDialog(QDialog):
    """What an import did, or why it did nothing, with every problem on its own numbered line."""

    def __init__(self, report: csvio.ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setObjectName("import_results")
        self.setWindowTitle(tr("CSV import"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        if report.applied:
            headline = tr(
                "Imported: {added} added, {updated} updated, {unchanged} unchanged."
            ).format(
                added=len(report.added),
                updated=len(report.updated),
                unchanged=len(report.unchanged),
            )
        else:
            headline = tr(
                "Nothing was imported: {bad} of {rows} rows have problems. Fix the file, or import"
                " only the good rows."
            ).format(bad=len(report.problems), rows=report.rows)
        self.headline = QLabel(headline)
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)
        if report.applied and report.problems:
            skipped = QLabel(tr("{n} bad rows were skipped:").format(n=len(report.problems)))
            layout.addWidget(skipped)
        if report.problems:
            self.problems = QPlainTextEdit("\n".join(_problem_line(p) for p in report.problems))
            self.problems.setReadOnly(True)
            self.problems.setMinimumSize(560, 200)
            layout.addWidget(self.problems)
        if report.ignored_columns:
            layout.addWidget(
                QLabel(tr("Ignored columns: {cols}").format(cols=", ".join(report.ignored_columns)))
            )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_good = None
        if not report.applied and report.problems:
            good = report.rows - len(report.problems)
            self.import_good = buttons.addButton(
                tr("Import the {n} good rows").format(n=good),
                QDialogButtonBox.ButtonRole.AcceptRole,
            )
            self.import_good.setEnabled(good > 0)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def _problem_line(problem: csvio.RowProblem) -> str:
    uid = f" ({problem.customer_uid})" if problem.customer_uid else ""
    return tr("line {line}{uid}: {message}").format(
        line=problem.line, uid=uid, message=problem.message
    )


class CsvActions(QObject):
    """The import and export flows; dialogs open over ``parent``."""

    #: The results dialog of an import opened (tests answer it).
    import_dialog_opened = Signal(object)

    def __init__(self, backend: Backend, parent: QWidget) -> None:
        super().__init__(parent)
        self.backend = backend
        self._parent = parent
        #: The last results dialog (for tests and for focus).
        self.import_dialog: ImportResultsDialog | None = None

    def start_import(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self._parent, tr("Import subscribers"), "", tr("CSV files (*.csv);;All files (*)")
            )
        if not path:
            return
        try:
            data = csvio.read_import_file(Path(path))
        except OSError as exc:
            messages.error(
                tr("Cannot read {path}: {why}").format(path=path, why=exc.strerror or exc)
            )
            return
        except csvio.CsvFileError as exc:
            messages.error(tr("The file cannot be imported: {why}").format(why=exc))
            return
        self.run_import(data, skip_bad=False)

    def run_import(self, data: bytes, *, skip_bad: bool) -> asyncio.Task[csvio.ImportReport]:
        backend = self.backend
        messages.info(tr("Checking the billing keys with i'mport…"))

        async def work() -> csvio.ImportReport:
            return await csvio.import_subscribers(
                backend.store,
                backend.gateway(),
                data,
                today=backend.today(),
                now=backend.now(),
                staff=backend.staff,
                skip_bad=skip_bad,
            )

        def done(report: csvio.ImportReport) -> None:
            if report.applied:
                backend.notify_changed(None)
                messages.info(
                    tr(
                        "CSV import: {added} added, {updated} updated, {unchanged} unchanged."
                    ).format(
                        added=len(report.added),
                        updated=len(report.updated),
                        unchanged=len(report.unchanged),
                    )
                )
            dialog = ImportResultsDialog(report, self._parent)
            if dialog.import_good is not None:
                dialog.accepted.connect(lambda: self.run_import(data, skip_bad=True))
            dialog.finished.connect(dialog.deleteLater)
            self.import_dialog = dialog
            dialog.open()
            self.import_dialog_opened.emit(dialog)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, csvio.CsvFileError):
                messages.error(tr("The file cannot be imported: {why}").format(why=exc))
            else:
                aio.report_failure(exc)

        return aio.run_op(work(), on_success=done, on_failure=failed)

    def start_export(self, path: str | None = None, what: str | None = None) -> int | None:
        """Export subscribers or charges (picked by the file dialog's filter)."""
        subs_filter = tr("Subscribers (*.csv)")
        charges_filter = tr("Charges (*.csv)")
        if path is None:
            path, chosen = QFileDialog.getSaveFileName(
                self._parent,
                tr("Export CSV"),
                "subscribers.csv",
                f"{subs_filter};;{charges_filter}",
            )
            what = "charges" if chosen == charges_filter else "subscribers"
        if not path:
            return None
        target = Path(path)
        try:
            if what == "charges":
                count = csvio.export_charges(self.backend.store, target)
            else:
                count = csvio.export_subscribers(self.backend.store, target)
        except OSError as exc:
            messages.error(
                tr("Cannot write {path}: {why}").format(path=path, why=exc.strerror or exc)
            )
            return None
        self.backend.record(
            AuditAction.EXPORT, f"{what or 'subscribers'}: {count} rows to {target.name}"
        )
        messages.info(tr("Exported {n} rows to {path}.").format(n=count, path=target))
        return count
