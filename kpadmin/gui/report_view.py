"""The settlement report (정산) in the window: a Korean date range, a bar chart (payments and
refunds per day, or per month for long ranges), the figures per day / month / plan and the total.
The figures come from `kpadmin.billing.reports` (the same as `kpadmin report`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kpadmin.billing import reports
from kpadmin.gui import formatting as fmt
from kpadmin.gui.backend import Backend
from kpadmin.gui.date_range import DateRange

PAID = QColor("#2f6fde")
REFUNDED = QColor("#e08a1e")
#: Beyond this many days the chart shows months.
CHART_DAYS = 62


class SettlementChart(QWidget):
    """Bars per day (or month): paid ₩ and refunded ₩."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settlement_chart")
        self.bars: list[tuple[str, int, int]] = []  # label, paid, refunded
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        return QSize(600, 180)

    def set_bars(self, bars: Sequence[tuple[str, int, int]]) -> None:
        self.bars = list(bars)
        self.setToolTip(
            "\n".join(
                self.tr("{label}: paid {paid}, refunded {refunded}").format(
                    label=label, paid=fmt.won(paid), refunded=fmt.won(refunded)
                )
                for label, paid, refunded in self.bars
                if paid or refunded
            )
        )
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(8, 4, -8, -4)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        painter.setFont(small)
        metrics = painter.fontMetrics()
        line_h = metrics.height() + 2
        muted = QColor(self.palette().color(QPalette.ColorRole.WindowText))
        muted.setAlpha(160)
        x = rect.left()
        for colour, text in ((PAID, self.tr("Paid")), (REFUNDED, self.tr("Refunded"))):
            painter.fillRect(QRectF(x, rect.top() + 3, 10, 10), colour)
            painter.setPen(muted)
            painter.drawText(QRectF(x + 14, rect.top(), 300, line_h), text)
            x += 14 + metrics.horizontalAdvance(text) + 16
        peak = max((max(p, r) for _, p, r in self.bars), default=0)
        if peak:
            painter.drawText(
                QRectF(rect.left(), rect.top(), rect.width(), line_h),
                int(Qt.AlignmentFlag.AlignRight),
                fmt.won(peak),
            )
        bars = QRectF(
            rect.left(), rect.top() + line_h + 2, rect.width(), rect.height() - 2 * line_h - 4
        )
        painter.setPen(QColor(0, 0, 0, 50))
        painter.drawLine(bars.bottomLeft(), bars.bottomRight())
        if not self.bars or not peak:
            painter.setPen(muted)
            painter.drawText(
                bars, int(Qt.AlignmentFlag.AlignCenter), self.tr("No payments in this period")
            )
            painter.end()
            return
        slot = bars.width() / len(self.bars)
        bar_w = max(1.5, min(16.0, slot * 0.36))
        # Label every n-th bar so that labels never overlap.
        widest = max(metrics.horizontalAdvance(label) for label, _, _ in self.bars) + 6
        every = max(1, int(widest // slot) + 1)
        for i, (label, paid, refunded) in enumerate(self.bars):
            centre = bars.left() + slot * (i + 0.5)
            for j, (value, colour) in enumerate(((paid, PAID), (refunded, REFUNDED))):
                height = bars.height() * value / peak
                if value and height < 1.5:
                    height = 1.5
                left = centre - bar_w - 0.5 + j * (bar_w + 1)
                painter.fillRect(QRectF(left, bars.bottom() - height, bar_w, height), colour)
            if i % every == 0:
                painter.setPen(muted)
                painter.drawText(
                    QRectF(centre - widest / 2, bars.bottom() + 2, widest, line_h),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                    label,
                )
        painter.end()


class ReportView(QWidget):
    """The settlement report page of the books window."""

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("report_view")
        self.backend = backend
        self.report: reports.Settlement | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.range = DateRange(backend.today())
        self.group = QComboBox()
        self.group.setObjectName("report_group")
        self.group.addItem(self.tr("Per day"), "day")
        self.group.addItem(self.tr("Per month"), "month")
        self.group.addItem(self.tr("Per plan"), "plan")
        top.addWidget(self.range)
        top.addStretch(1)
        top.addWidget(QLabel(self.tr("Show:")))
        top.addWidget(self.group)
        layout.addLayout(top)
        self.chart = SettlementChart()
        layout.addWidget(self.chart)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("report_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.total_label = QLabel()
        self.total_label.setObjectName("report_total")
        self.total_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = self.total_label.font()
        bold.setBold(True)
        self.total_label.setFont(bold)
        layout.addWidget(self.total_label)
        note = QLabel(
            self.tr(
                "Korean days (KST). Paid: the amount i'mport took. Refunded: the refunds made "
                "that day, whichever day their payment was. Net = paid − refunded. "
                "Declined: charges the card company refused."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #6b6b6b;")
        layout.addWidget(note)
        self.range.changed.connect(self.refresh)
        self.group.currentIndexChanged.connect(lambda _i: self._fill_table())
        self.refresh()

    def set_today(self, today: date) -> None:
        self.range.today = today

    def refresh(self) -> None:
        start, end = self.range.range()
        try:
            self.report = reports.settlement(self.backend.store, start, end)
        except reports.ReportRangeError:
            self.report = None
            self.total_label.setText(self.tr("Choose a shorter period (at most ten years)."))
            return
        report = self.report
        if len(report.days) <= CHART_DAYS:
            bars = [
                (f"{d.month}/{d.day}", f.paid_amount, f.refunded_amount) for d, f in report.days
            ]
        else:
            bars = [(m, f.paid_amount, f.refunded_amount) for m, f in report.months]
        self.chart.set_bars(bars)
        self._fill_table()
        t = report.total
        self.total_label.setText(
            self.tr(
                "Total: {paid_count} payments {paid}, refunded {refunded}, net {net}, "
                "{failed} declined"
            ).format(
                paid_count=f"{t.paid_count:,}",
                paid=fmt.won(t.paid_amount),
                refunded=fmt.won(t.refunded_amount),
                net=fmt.won(t.net_amount),
                failed=f"{t.failed_count:,}",
            )
        )

    def _fill_table(self) -> None:
        report = self.report
        if report is None:
            return
        group = self.group.currentData()
        first = {"day": self.tr("Date"), "month": self.tr("Month"), "plan": self.tr("Plan")}[group]
        self.table.setHorizontalHeaderLabels(
            [
                first,
                self.tr("Payments"),
                self.tr("Paid"),
                self.tr("Refunded"),
                self.tr("Net"),
                self.tr("Declined"),
            ]
        )
        rows: list[tuple[str, reports.Figures]]
        if group == "day":
            rows = [(d.isoformat(), f) for d, f in report.days]
        elif group == "month":
            rows = list(report.months)
        else:
            rows = [(p or self.tr("(no plan)"), f) for p, f in report.plans]
        self.table.setRowCount(len(rows))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, (label, f) in enumerate(rows):
            cells = (
                label,
                f"{f.paid_count:,}",
                fmt.won(f.paid_amount),
                fmt.won(f.refunded_amount),
                fmt.won(f.net_amount),
                f"{f.failed_count:,}",
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(right)
                self.table.setItem(r, c, item)
