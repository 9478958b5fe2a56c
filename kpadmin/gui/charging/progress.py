"""The batch window: a progress bar, paid / declined / unknown counts, Cancel, and the result list.

Non-modal, so staff keep using the table (whose rows update as results come in) while a batch runs.
The controller feeds it at most every 100 ms (`update_progress`, `add_outcomes`), never once per
charge, so a 1,000-charge batch costs the event loop a few repaints, not a thousand.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kpadmin.billing.engine import BatchResult, ChargeOutcome, EventKind, Progress
from kpadmin.billing.records import ChargeState
from kpadmin.gui import formatting as fmt
from kpadmin.gui.charging.texts import (
    mismatch_text,
    outcome_label,
    outcome_note,
    skip_detail,
    skip_label,
)
from kpadmin.gui.database_problem import journal_stop_text

PAID = "#1e7e34"
DECLINED = "#c0392b"
UNKNOWN = "#b9770e"
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class _Count(QWidget):
    """A coloured number over its caption."""

    def __init__(self, caption: str, colour: str, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.value = QLabel("0")
        self.value.setObjectName(f"{name}_value")
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setWeight(QFont.Weight.DemiBold)
        self.value.setFont(font)
        self.value.setStyleSheet(f"color: {colour};")
        self.caption = QLabel(caption)
        self.caption.setStyleSheet("color: #6b6b6b;")
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set(self, value: int, detail: str = "") -> None:
        self.value.setText(f"{value:,}")
        self.value.setToolTip(detail)


class BatchDialog(QDialog):
    cancel_requested = Signal()

    def __init__(self, total: int, total_amount: int, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("batch_dialog")
        self.setWindowTitle(self.tr("Charging"))
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.resize(640, 460)
        self.finished_batch = False
        layout = QVBoxLayout(self)
        layout.setSpacing(10)

        self.headline = QLabel(self.tr("Looking up charges in doubt…"))
        self.headline.setObjectName("batch_headline")
        font = QFont(self.headline.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setWeight(QFont.Weight.DemiBold)
        self.headline.setFont(font)
        layout.addWidget(self.headline)
        self.subline = QLabel(
            self.tr("{n} subscriber(s), {total} in total").format(
                n=f"{total:,}", total=fmt.won(total_amount)
            )
        )
        self.subline.setStyleSheet("color: #57606a;")
        layout.addWidget(self.subline)

        self.bar = QProgressBar()
        self.bar.setObjectName("batch_progress")
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(0)
        self.bar.setFormat("%v / %m")
        layout.addWidget(self.bar)

        counts = QGridLayout()
        self.paid = _Count(self.tr("Paid"), PAID, "count_paid")
        self.declined = _Count(self.tr("Declined"), DECLINED, "count_declined")
        self.unknown = _Count(self.tr("Outcome unknown"), UNKNOWN, "count_unknown")
        self.in_flight = _Count(self.tr("In flight"), "#3a7bd5", "count_in_flight")
        for column, widget in enumerate((self.paid, self.declined, self.unknown, self.in_flight)):
            counts.addWidget(widget, 0, column)
        layout.addLayout(counts)
        self.collected = QLabel(self.tr("Collected {amount}").format(amount=fmt.won(0)))
        self.collected.setObjectName("batch_collected")
        layout.addWidget(self.collected)

        self.results_label = QLabel(self.tr("Not paid"))
        self.results_label.setStyleSheet("font-weight: 600;")
        self.results = QTreeWidget()
        self.results.setObjectName("batch_results")
        self.results.setRootIsDecorated(False)
        self.results.setHeaderLabels(
            [self.tr("Subscriber"), self.tr("Amount"), self.tr("Result"), self.tr("Reason")]
        )
        header = self.results.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 150)
        header.resizeSection(1, 90)
        header.resizeSection(2, 120)
        self.results_label.hide()
        self.results.hide()
        layout.addWidget(self.results_label)
        layout.addWidget(self.results, 1)
        self.spacer = QWidget()
        layout.addWidget(self.spacer, 1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Stop sending"))
        self.cancel_button.setObjectName("batch_cancel")
        self.cancel_button.setToolTip(
            self.tr("No new charges are sent; those in flight finish and are recorded.")
        )
        self.cancel_button.clicked.connect(self._on_cancel)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("batch_close")
        self.close_button.clicked.connect(self.accept)
        self.close_button.setEnabled(False)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    # --- feeding --------------------------------------------------------------------------

    def update_progress(self, progress: Progress, phase: EventKind | None) -> None:
        if self.finished_batch:
            return
        if phase is EventKind.RECONCILING:
            self.headline.setText(self.tr("Looking up charges in doubt…"))
        elif phase is not None and not self.cancel_requested_once:
            self.headline.setText(
                self.tr("Charging… {done} of {total}").format(
                    done=f"{progress.done:,}", total=f"{progress.total:,}"
                )
            )
        if phase is not None and phase is not EventKind.RECONCILING:
            self._set_bar(progress.total, progress.done)
        self._show_counts(progress)

    def add_outcomes(self, outcomes: Iterable[ChargeOutcome]) -> None:
        """Failures go to the result list as they happen (paid ones are only counted)."""
        items = []
        for o in outcomes:
            if o.state is ChargeState.PAID and not o.message:
                continue
            shown = o.paid_amount if o.amount_mismatch and o.paid_amount is not None else o.amount
            note = outcome_note(o)
            item = QTreeWidgetItem(
                [o.name or o.key_id, fmt.won(shown), outcome_label(o.state), note]
            )
            item.setTextAlignment(1, _RIGHT)
            item.setToolTip(3, f"{o.order_id}\n{note}")
            colour = UNKNOWN if o.state.in_doubt else DECLINED
            if o.state is ChargeState.PAID:
                colour = UNKNOWN  # paid, but with a remark
            if o.amount_mismatch:
                colour = DECLINED  # paid, for another amount than was asked: a person must look
                for column in (1, 3):
                    item.setForeground(column, QColor(colour))
            item.setForeground(2, QColor(colour))
            items.append(item)
        if items:
            self.results.addTopLevelItems(items)
            self._reveal_results()

    @property
    def cancel_requested_once(self) -> bool:
        return not self.cancel_button.isEnabled() and not self.finished_batch

    def _on_cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.headline.setText(self.tr("Stopping: no new charges; waiting for those in flight…"))
        self.cancel_requested.emit()

    def _set_bar(self, total: int, done: int) -> None:
        # QProgressBar.setValue repaints synchronously (QTBUG-style "repaintRequired" path):
        # several ms per call. With updates off it only marks itself dirty, and the one paint of
        # the next event-loop pass covers the bar and the counts together.
        self.bar.setUpdatesEnabled(False)
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.bar.setUpdatesEnabled(True)
        self.bar.update()

    def _show_counts(self, p: Progress) -> None:
        self.paid.set(p.paid)
        self.declined.set(p.declined + p.rejected)
        self.unknown.set(p.unknown + p.unsent)
        self.in_flight.set(p.in_flight)
        self.collected.setText(self.tr("Collected {amount}").format(amount=fmt.won(p.paid_amount)))

    def _reveal_results(self) -> None:
        self.results_label.show()
        self.results.show()
        self.spacer.hide()

    # --- the end ----------------------------------------------------------------------------

    def show_result(self, result: BatchResult) -> None:
        p = result.progress
        self._show_counts(p)
        self._set_bar(p.total, p.done if p.total else 1)
        self.finished_batch = True
        if result.journal_error is not None:
            # The disk (or the file) refused the outcomes: one message, wrapped below the headline.
            self.headline.setText(self.tr("Stopped: the journal could not be written"))
        elif result.error:
            self.headline.setText(self.tr("Stopped: {why}").format(why=result.error))
        elif result.cancelled:
            self.headline.setText(
                self.tr("Stopped by you: {done} of {total} sent").format(
                    done=f"{p.done:,}", total=f"{p.total:,}"
                )
            )
        elif p.total == 0:
            self.headline.setText(self.tr("Nothing was charged"))
        elif p.failed == 0:
            self.headline.setText(self.tr("Done: all {n} paid").format(n=f"{p.paid:,}"))
        else:
            self.headline.setText(
                self.tr("Done: {paid} paid, {failed} not paid").format(
                    paid=f"{p.paid:,}", failed=f"{p.failed:,}"
                )
            )
        self.in_flight.set(0)
        skips = list(result.skipped)
        grey = QColor("#6b6b6b")
        for s in skips:
            item = QTreeWidgetItem(
                [s.name or s.key_id, "", skip_label(s.reason), skip_detail(s)]
            )
            for column in range(4):
                item.setForeground(column, grey)
            item.setToolTip(2, self.tr("Skipped: not sent to i'mport"))
            self.results.addTopLevelItem(item)
        if skips:
            self.results_label.setText(self.tr("Not paid, and skipped"))
        if p.failed or skips:
            self._reveal_results()
        notes = []
        if p.unknown:
            notes.append(
                self.tr(
                    "{n} outcome(s) unknown: they are blocked until Reconcile settles them."
                ).format(n=p.unknown)
            )
        if p.unsent:
            notes.append(
                self.tr("{n} never reached i'mport; the next batch sends them again.").format(
                    n=p.unsent
                )
            )
        if result.journal_error is not None:
            notes = [journal_stop_text(result.journal_error)]
        if result.mismatches:
            notes.insert(0, mismatch_text(len(result.mismatches)))
            self.subline.setStyleSheet(f"color: {DECLINED}; font-weight: 600;")
            self._reveal_results()
        if notes:
            self.subline.setWordWrap(True)
            self.subline.setText(" ".join(notes))
        self.cancel_button.setEnabled(False)
        self.cancel_button.hide()
        self.close_button.setEnabled(True)
        self.close_button.setDefault(True)

    def show_error(self, text: str) -> None:
        self.finished_batch = True
        self.headline.setText(self.tr("The batch stopped: {why}").format(why=text))
        self.cancel_button.hide()
        self.close_button.setEnabled(True)
