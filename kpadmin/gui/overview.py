"""The overview strip: four figures people glance at, and a small chart of collected vs failed.

It refreshes itself: the row figures from the table model (at once when the model is reset), the
journal figures (last batch, monthly totals) from the backend whenever a `DataChange` says charges
changed. Those aggregate over the whole charge journal (milliseconds each at 100,000 charges), so
changes arriving in quick succession — the ticks of a running batch — are coalesced into at most
one refresh per `REFRESH_EVERY_S`.

The chart is drawn with QPainter (QtCharts would add weight for six pairs of bars).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from itertools import compress, repeat
from operator import and_, attrgetter, eq, le, not_

import shiboken6
from PySide6.QtCore import QLocale, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kpadmin.billing.records import SubscriberState
from kpadmin.gui import aio
from kpadmin.gui import formatting as fmt
from kpadmin.gui.backend import Backend, BatchResult, DataChange, MonthTotal
from kpadmin.gui.rows import SubscriberRow
from kpadmin.gui.subscriber_model import SubscriberTableModel

#: Data changes in quick succession refresh the strip at most this often.
REFRESH_EVERY_S = 1.0
_STATE = attrgetter("state")
_NEXT_CHARGE = attrgetter("next_charge_date")
_NEXT_RETRY = attrgetter("next_retry")
_IN_DOUBT = attrgetter("in_doubt")
_AMOUNT = attrgetter("amount")

log = logging.getLogger(__name__)

#: One plain Python thread for the overview's journal reads during a batch (not the qasync loop's
#: default executor: its QThreads must not outlive the application at exit).
_READER = ThreadPoolExecutor(1, thread_name_prefix="kpadmin-overview")

COLLECTED = QColor("#3a7bd5")
FAILED = QColor("#d9534f")


class Figure(QFrame):
    """A caption over a big number."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figure")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        self.caption = QLabel(caption)
        self.caption.setObjectName("figure_caption")
        self.value = QLabel("–")
        self.value.setObjectName("figure_value")
        self.detail = QLabel("")
        self.detail.setObjectName("figure_detail")
        big = QFont(self.value.font())
        big.setPointSizeF(big.pointSizeF() * 1.45)
        big.setWeight(QFont.Weight.DemiBold)
        self.value.setFont(big)
        for label in (self.caption, self.detail):
            pal = label.palette()
            pal.setColor(QPalette.ColorRole.WindowText, QColor("#6b6b6b"))
            label.setPalette(pal)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)
        layout.addStretch(1)

    def set(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)


class MonthlyChart(QWidget):
    """Grouped bars per month: collected (blue) and failed (red)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monthly_chart")
        self.totals: list[MonthTotal] = []
        self.setMinimumSize(260, 88)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        return QSize(320, 96)

    def set_totals(self, totals: Sequence[MonthTotal]) -> None:
        self.totals = list(totals)
        lines = [
            self.tr("{month}: collected {collected}, failed {failed}").format(
                month=t.month, collected=fmt.won(t.collected), failed=fmt.won(t.failed)
            )
            for t in self.totals
        ]
        self.setToolTip("\n".join(lines))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(6, 4, -6, -4)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.8))
        painter.setFont(small)
        metrics = painter.fontMetrics()
        legend_h = metrics.height() + 2
        label_h = metrics.height() + 2
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        muted = QColor(text_color)
        muted.setAlpha(150)

        # Legend along the top.
        x = rect.left()
        for colour, text in ((COLLECTED, self.tr("Collected")), (FAILED, self.tr("Failed"))):
            painter.fillRect(QRectF(x, rect.top() + 3, 9, 9), colour)
            painter.setPen(muted)
            painter.drawText(QRectF(x + 13, rect.top(), 200, legend_h), text)
            x += 13 + metrics.horizontalAdvance(text) + 14

        plot = QRectF(rect.left(), rect.top() + legend_h, rect.width(), rect.height() - legend_h)
        bars = QRectF(plot.left(), plot.top() + 2, plot.width(), plot.height() - label_h - 2)
        painter.setPen(QColor(0, 0, 0, 40))
        painter.drawLine(bars.bottomLeft(), bars.bottomRight())
        if not self.totals:
            return
        peak = max(max(t.collected, t.failed) for t in self.totals) or 1
        slot = bars.width() / len(self.totals)
        bar_w = max(3.0, min(14.0, slot * 0.28))
        for i, total in enumerate(self.totals):
            centre = bars.left() + slot * (i + 0.5)
            for j, (value, colour) in enumerate(
                ((total.collected, COLLECTED), (total.failed, FAILED))
            ):
                height = bars.height() * value / peak
                if value and height < 1.5:
                    height = 1.5
                left = centre - bar_w - 1 + j * (bar_w + 2)
                painter.fillRect(QRectF(left, bars.bottom() - height, bar_w, height), colour)
            painter.setPen(muted)
            label = _month_label(total.month)
            painter.drawText(
                QRectF(centre - slot / 2, bars.bottom() + 2, slot, label_h),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                label,
            )
        painter.end()


def _month_label(month: str) -> str:
    """Short month name in the UI language (Jun / 6월)."""
    return QLocale().monthName(int(month[5:7]), QLocale.FormatType.ShortFormat)


class OverviewStrip(QWidget):
    def __init__(
        self,
        backend: Backend,
        model: SubscriberTableModel,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("overview")
        self._backend = backend
        self._model = model
        self._today = today or backend.today()
        self._batch_running = False
        self._journal: tuple[BatchResult | None, list[MonthTotal]] | None = None
        self._journal_stale = True
        self._refreshed_at = -REFRESH_EVERY_S
        self._hidden_change = False
        self._reading = False  # the journal's aggregates are being read off the loop
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)
        model.modelReset.connect(self._on_model_reset)
        backend.data_changed.connect(self._on_data_changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(8)
        self.active = Figure(self.tr("Active subscribers"))
        self.due = Figure(self.tr("Due today"))
        self.mrr = Figure(self.tr("Monthly recurring revenue"))
        self.past_due = Figure(self.tr("Past due"))
        self.batch = Figure(self.tr("Last batch"))
        self.chart = MonthlyChart()
        for widget in (self.active, self.due, self.mrr, self.past_due, self.batch):
            layout.addWidget(widget)
        layout.addWidget(self.chart, 1)

    # --- refreshing itself -----------------------------------------------------------------

    def refresh(self, *, journal: bool = True) -> None:
        """Recompute now. ``journal=False`` reuses the last batch and the chart (they aggregate
        the whole charge journal) and recounts only the rows."""
        self._timer.stop()
        if journal or self._journal_stale or self._journal is None:
            self._journal = (self._backend.last_batch(), self._backend.monthly_totals())
            self._journal_stale = False
        self._show()

    def _show(self) -> None:
        assert self._journal is not None
        batch, totals = self._journal
        self._refreshed_at = time.monotonic()
        self.update_figures(
            self._model.rows, self._today, batch, totals, batch_running=self._batch_running
        )

    def set_today(self, today: date) -> None:
        if today != self._today:
            self._today = today
            self.refresh()

    def set_batch_running(self, running: bool) -> None:
        """While a batch runs, rows in doubt are charges on the wire (said so, not "unknown")."""
        if running != self._batch_running:
            self._batch_running = running
            self.refresh()

    def _on_model_reset(self) -> None:
        self.refresh()

    def _on_data_changed(self, change: DataChange) -> None:
        if change.journal:
            self._journal_stale = True
        if self._timer.isActive():
            return
        wait = self._refreshed_at + REFRESH_EVERY_S - time.monotonic()
        self._timer.start(max(0, int(wait * 1000)))

    def _on_timer(self) -> None:
        # Hidden (the window closed, its store maybe closed too): refresh when shown again.
        if not self.isVisible():
            self._hidden_change = True
        elif self._journal_stale and self._batch_running:
            self._read_journal_off_loop()
        else:
            self.refresh(journal=self._journal_stale)

    def _read_journal_off_loop(self) -> None:
        """During a batch the journal grows by the second and its aggregates (the last batch,
        six months of totals) cost milliseconds of SQL: read them on a worker thread so the
        loop stays responsive, then show them (the store gives each thread its connection)."""
        if self._reading:
            return
        self._reading = True
        self._journal_stale = False  # a change during the read marks it stale again
        backend = self._backend

        def read() -> tuple[BatchResult | None, list[MonthTotal]]:
            return backend.last_batch(), backend.monthly_totals()

        def done(journal: tuple[BatchResult | None, list[MonthTotal]]) -> None:
            if not shiboken6.isValid(self):  # the window closed while the thread read
                return
            self._reading = False
            self._journal = journal
            self._show()  # a change meanwhile left it stale: the next tick reads again
            if self._journal_stale and not self._timer.isActive():
                self._timer.start(int(REFRESH_EVERY_S * 1000))

        def failed(exc: BaseException) -> None:
            # The store closed under it (the window closing): the next refresh reads again.
            self._reading = False
            self._journal_stale = True
            log.info("overview: the journal could not be read: %s", type(exc).__name__)

        async def read_off_loop() -> tuple[BatchResult | None, list[MonthTotal]]:
            return await asyncio.get_running_loop().run_in_executor(_READER, read)

        aio.run_op(read_off_loop(), on_success=done, on_failure=failed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._hidden_change:
            self._hidden_change = False
            self.refresh(journal=self._journal_stale)

    # --- showing ------------------------------------------------------------------------

    def update_figures(
        self,
        rows: Sequence[SubscriberRow],
        today: date,
        batch: BatchResult | None,
        totals: Sequence[MonthTotal],
        *,
        batch_running: bool = False,
    ) -> None:
        """``batch_running``: rows in doubt are mostly charges on the wire right now, not
        outcomes that need a reconcile, so say that instead of raising an alarm."""
        # C-level passes over the rows (100,000 at start-up: a Python loop per figure cost
        # ~60 ms of the table's first showing). The rules are `SubscriberRow.is_due`'s.
        states = list(map(_STATE, rows))
        active = list(compress(rows, map(eq, states, repeat(SubscriberState.ACTIVE))))
        dated = compress(
            active,
            map(
                and_,
                map(le, map(_NEXT_CHARGE, active), repeat(today)),
                map(not_, map(_IN_DOUBT, active)),
            ),
        )
        due = [r for r in dated if r.next_retry is None or r.next_retry <= today]
        doubt = sum(map(_IN_DOUBT, rows))
        self.active.set(f"{len(active):,}", self.tr("of {n} in total").format(n=f"{len(rows):,}"))
        self.due.set(
            f"{len(due):,}",
            self.tr("{amount} to collect").format(amount=fmt.won(sum(map(_AMOUNT, due))))
            if due
            else "",
        )
        if doubt and batch_running:
            self.due.detail.setText(self.tr("{n} being charged now").format(n=doubt))
        elif doubt:
            self.due.detail.setText(self.tr("{n} with unknown outcome (reconcile)").format(n=doubt))
        self.mrr.set(fmt.won(sum(map(_AMOUNT, active))))
        past_due = states.count(SubscriberState.PAST_DUE)
        retrying = len(active) - list(map(_NEXT_RETRY, active)).count(None)
        self.past_due.set(
            f"{past_due:,}",
            self.tr("{n} waiting for a retry").format(n=f"{retrying:,}") if retrying else "",
        )
        if batch is None:
            self.batch.set(self.tr("None yet"))
        else:
            self.batch.set(
                self.tr("{paid} paid · {failed} failed").format(
                    paid=batch.paid, failed=batch.failed
                ),
                (
                    (
                        self.tr("{n} in flight · ") if batch_running else self.tr("{n} unknown · ")
                    ).format(n=batch.in_doubt)
                    if batch.in_doubt
                    else ""
                )
                + fmt.format_instant(batch.at),
            )
        self.chart.set_totals(totals)
