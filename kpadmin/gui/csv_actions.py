"""Import CSV / Export CSV, on top of `kpadmin.billing.csvio`.

`CsvActions(backend, parent)` is what the main window's Import/Export actions call. Import first
runs as a dry run: the preview dialog (`ImportPreviewDialog`) lists what the file would do — new
rows, changed rows with old → new per field, the unchanged count, bad rows by line number in a
list staff can copy — before anything is written; a large amount change needs a tick in its box
(`kpadmin.billing.import_preview`). Accepting it imports (the good rows only, when some are bad).
A file that cannot be read at all is a dialog that says why, with its line. The key check talks to
i'mport, so it runs on the qasync loop and the window stays responsive. An applied import tells
the backend (`notify_changed`): the views reload themselves; this module knows no window.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kpadmin.billing import csvio, import_preview
from kpadmin.billing.messages import AuditAction, Message, MessageCode, Term, TermKind
from kpadmin.gui import aio, messages
from kpadmin.gui.backend import Backend
from kpadmin.gui.formatting import tr
from kpadmin.gui.texts import say


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
        line=problem.line, uid=uid, message=_problem_text(problem)
    )


def _problem_text(problem: csvio.RowProblem) -> str:
    """The row's problems in the UI language (the core gives each as a `Message`)."""
    if not problem.notes:
        return problem.message
    return "; ".join(say(note).rstrip(".") for note in problem.notes)


def field_label(field: str) -> str:
    return {
        "name": tr("Name"),
        "phone": tr("Phone"),
        "email": tr("E-mail"),
        "plan": tr("Plan"),
        "amount": tr("Amount"),
        "next_charge_date": tr("Next charge"),
        "billing_day": tr("Billing day"),
    }.get(field, field)


def _change_line(changes: list[import_preview.FieldChange]) -> str:
    parts = []
    for change in changes:
        old, new = change.masked()
        parts.append(f"{field_label(change.field)}: {old} → {new}")
    return "; ".join(parts)


class ImportPreviewDialog(QDialog):
    """What the file would do, before anything is written (a dry run's report)."""

    def __init__(self, report: csvio.ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setObjectName("import_preview")
        self.setWindowTitle(tr("CSV import: preview"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        changed = [u for u in report.updated if u in report.changes]
        good = len(report.added) + len(changed)
        self.headline = QLabel(
            tr(
                "Preview — nothing has been written yet: {added} new, {changed} changed, "
                "{unchanged} unchanged, {bad} with problems."
            ).format(
                added=len(report.added),
                changed=len(changed),
                unchanged=len(report.unchanged),
                bad=len(report.problems),
            )
        )
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)
        lines: list[str] = []
        if report.new_rows:
            lines.append(tr("New:"))
            lines += [
                tr("  line {line}: {name}, {amount}").format(
                    line=row.line, name=row.name, amount=f"₩{row.amount:,}"
                )
                for row in report.new_rows
            ]
        if changed:
            lines.append(tr("Changed:"))
            for uid in changed:
                flag = tr(" (large change)") if uid in report.large_changes else ""
                lines.append(f"  {uid}: {_change_line(report.changes[uid])}{flag}")
        self.changes = QPlainTextEdit("\n".join(lines))
        self.changes.setObjectName("import_changes")
        self.changes.setReadOnly(True)
        self.changes.setMinimumSize(640, 160)
        self.changes.setVisible(bool(lines))
        layout.addWidget(self.changes)
        self.problems: QPlainTextEdit | None = None
        if report.problems:
            layout.addWidget(
                QLabel(tr("{n} rows with problems (not imported):").format(n=len(report.problems)))
            )
            self.problems = QPlainTextEdit("\n".join(_problem_line(p) for p in report.problems))
            self.problems.setObjectName("import_problems")
            self.problems.setReadOnly(True)
            self.problems.setMinimumSize(640, 140)
            layout.addWidget(self.problems)
            copy = QPushButton(tr("Copy the problems"))
            copy.clicked.connect(
                lambda: QApplication.clipboard().setText(
                    self.problems.toPlainText() if self.problems else ""
                )
            )
            layout.addWidget(copy, 0, Qt.AlignmentFlag.AlignLeft)
        large = [u for u in report.large_changes if u in report.changes]
        self.confirm_large: QCheckBox | None = None
        if large:
            self.confirm_large = QCheckBox(
                tr(
                    "I checked the {n} large amount changes (more than 3× or ₩1,000,000) "
                    "and they are right"
                ).format(n=len(large))
            )
            layout.addWidget(self.confirm_large)
        if report.ignored_columns:
            layout.addWidget(
                QLabel(tr("Ignored columns: {cols}").format(cols=", ".join(report.ignored_columns)))
            )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_good: QPushButton | None = None
        if good or large:
            others = len(report.problems) - len(large)
            template = tr("Import the {n} good rows") if others else tr("Import {n} rows")
            button = buttons.addButton(
                template.format(n=good), QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.import_good = button
            button.setEnabled(good > 0)
            if self.confirm_large is not None:
                # Ticked: the large changes are imported too; not ticked: they are left out.
                def count(on: bool) -> None:
                    button.setText(template.format(n=good + (len(large) if on else 0)))
                    button.setEnabled(good > 0 or on)

                self.confirm_large.toggled.connect(count)
        else:
            self.headline.setText(
                self.headline.text()
                + " "
                + (
                    tr("Nothing to change: the subscribers are already as the file says.")
                    if not report.problems
                    else tr("No row of this file can be imported as it is.")
                )
            )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def allow_large_changes(self) -> bool:
        return self.confirm_large is not None and self.confirm_large.isChecked()


def show_file_problem(parent: QWidget, why: object) -> QMessageBox:
    """A file that cannot be imported at all: a dialog with the whole reason (and its line)."""
    box = QMessageBox(parent)
    box.setObjectName("import_file_problem")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("CSV import"))
    box.setText(tr("The file cannot be imported. Nothing was changed."))
    note = getattr(why, "note", None)
    box.setInformativeText(say(note) if note is not None else str(why))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box


class CsvActions(QObject):
    """The import and export flows; dialogs open over ``parent``."""

    #: The results dialog of an import opened (tests answer it).
    import_dialog_opened = Signal(object)

    def __init__(self, backend: Backend, parent: QWidget) -> None:
        super().__init__(parent)
        self.backend = backend
        self._parent = parent
        #: The last preview or results dialog (for tests and for focus).
        self.import_dialog: ImportResultsDialog | ImportPreviewDialog | None = None

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
            show_file_problem(self._parent, exc)
            return
        self.run_import(data, skip_bad=False)

    def run_import(
        self,
        data: bytes,
        *,
        skip_bad: bool,
        preview: bool = True,
        allow_large_changes: bool = False,
    ) -> asyncio.Task[csvio.ImportReport]:
        """`preview`: a dry run whose preview dialog, accepted, imports for real."""
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
                dry_run=preview,
                allow_large_changes=allow_large_changes,
            )

        def previewed(report: csvio.ImportReport) -> None:
            dialog = ImportPreviewDialog(report, self._parent)
            dialog.accepted.connect(
                lambda: self.run_import(
                    data,
                    skip_bad=bool(report.problems),
                    preview=False,
                    allow_large_changes=dialog.allow_large_changes,
                )
            )
            dialog.finished.connect(dialog.deleteLater)
            self.import_dialog = dialog
            dialog.open()
            self.import_dialog_opened.emit(dialog)

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
                if not report.problems or skip_bad:
                    return  # the preview said it all
            elif not report.problems:
                messages.info(
                    tr("Nothing to change: the subscribers are already as the file says.")
                )
                return
            dialog = ImportResultsDialog(report, self._parent)
            if dialog.import_good is not None:
                dialog.accepted.connect(lambda: self.run_import(data, skip_bad=True))
            dialog.finished.connect(dialog.deleteLater)
            self.import_dialog = dialog
            dialog.open()
            self.import_dialog_opened.emit(dialog)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, csvio.CsvFileError):
                show_file_problem(self._parent, exc)
            else:
                aio.report_failure(exc)

        return aio.run_op(work(), on_success=previewed if preview else done, on_failure=failed)

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
            AuditAction.EXPORT,
            Message.of(
                MessageCode.AUDIT_EXPORT,
                what=Term(TermKind.EXPORT, what or "subscribers"),
                count=count,
                file=target.name,
            ),
        )
        messages.info(tr("Exported {n} rows to {path}.").format(n=count, path=target))
        return count
