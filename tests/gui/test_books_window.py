"""The books window: payments across customers (filters, totals, exports), the settlement report
with its chart, and the audit view (rows of no subscriber too, filters, action names)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from kpadmin.billing import payments_view as pv
from kpadmin.billing import reports
from kpadmin.billing.messages import AuditAction
from kpadmin.gui import books_window as books
from kpadmin.gui.payments_view import PaymentState
from tests.audit_text import text


def test_payments_view_lists_every_customer_with_totals_and_filters(window, qtbot) -> None:
    w = window.open_books(books.PAYMENTS)
    qtbot.waitExposed(w)
    view = w.payments
    today = window.backend.today()
    view.range.set_range(today - timedelta(days=365), today)
    every = view.model.lines
    assert every, "the sample store has payments in the last year"
    assert len({line.subscriber_id for line in every}) > 1
    t = pv.totals(every)
    assert f"₩{t.paid_amount:,}" in view.totals_label.text()
    view.state.setCurrentIndex(view.state.findData(PaymentState.DECLINED))
    assert view.model.lines
    assert all(pv.payment_state(x) is PaymentState.DECLINED for x in view.model.lines)
    view.state.setCurrentIndex(0)
    name = every[0].name
    view.search.setText(name)
    qtbot.waitUntil(lambda: all(x.name == name for x in view.model.lines), timeout=3000)
    # A period with nothing says what to do next.
    view.search.clear()
    view.range.set_range(today + timedelta(days=400), today + timedelta(days=401))
    assert not view.model.lines and view.empty_label.isVisible()
    assert not view.export_button.isEnabled()


def test_payments_state_column_holds_its_longest_label(window, qtbot) -> None:
    from kpadmin.gui.payments_view import state_label

    w = window.open_books(books.PAYMENTS)
    qtbot.waitExposed(w)
    table = w.payments.table
    fm = table.fontMetrics()
    width = table.horizontalHeader().sectionSize(1)
    assert [s for s in PaymentState if fm.horizontalAdvance(state_label(s)) + 8 > width] == []


def test_payments_export_writes_xlsx_and_csv_and_is_audited(window, qtbot, tmp_path: Path) -> None:
    w = window.open_books(books.PAYMENTS)
    view = w.payments
    today = window.backend.today()
    view.range.set_range(today - timedelta(days=365), today)
    count = len(view.model.lines)
    assert view.export("xlsx", tmp_path / "p.xlsx") == count
    rows = list(load_workbook(tmp_path / "p.xlsx").active.iter_rows(values_only=True))
    assert len(rows) == count + 1
    assert view.export("csv", tmp_path / "p.csv") == count
    assert (tmp_path / "p.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    exports = window.backend.audit.list(action=AuditAction.EXPORT.value)
    assert len(exports) == 2 and exports[0].subscriber_id is None


def test_report_view_matches_the_command_and_draws_its_chart(window, qtbot) -> None:
    w = window.open_books(books.REPORT)
    view = w.report
    today = window.backend.today()
    start = today - timedelta(days=90)
    view.range.set_range(start, today)
    expected = reports.settlement(window.backend.store, start, today)
    assert view.report is not None and view.report.total == expected.total
    assert f"₩{expected.total.net_amount:,}" in view.total_label.text()
    assert len(view.chart.bars) == len(expected.months)  # > 62 days: months
    view.range.set_range(today - timedelta(days=6), today)
    assert len(view.chart.bars) == 7 and view.table.rowCount() == 7
    view.group.setCurrentIndex(view.group.findData("plan"))
    assert view.table.rowCount() == len(view.report.plans)
    image = view.chart.grab()
    assert not image.isNull()


def test_audit_view_shows_actions_of_no_subscriber_and_filters(window, qtbot) -> None:
    backend = window.backend
    backend.record(AuditAction.SETTINGS, text("language: ko"))
    backend.record(AuditAction.IMPORT_FILE, text("CSV import: 1 added"))
    w = window.open_books(books.AUDIT)
    view = w.audit
    view.refresh()
    actions = {line.event.action for line in view.lines}
    assert {"settings", "import_file"} <= actions
    view.group.setCurrentIndex(view.group.findData("settings"))
    assert {line.event.action for line in view.lines} == {"settings"}
    assert view.table.item(0, 2).text() == "Settings changed"
    staff = backend.staff
    view.group.setCurrentIndex(0)
    view.staff.setCurrentIndex(view.staff.findData(staff))
    assert view.lines and all(line.event.staff == staff for line in view.lines)
    view.copy_rows()
    from PySide6.QtWidgets import QApplication

    assert "Settings changed" in QApplication.clipboard().text()


def test_every_audit_action_belongs_to_a_filter_group() -> None:
    from kpadmin.billing.audit_view import GROUPS

    grouped = [a for group in GROUPS.values() for a in group]
    assert sorted(grouped) == sorted(AuditAction)


def test_plans_dialog_adds_a_plan_and_changes_its_price_after_a_preview(window, qtbot) -> None:
    from kpadmin.billing.periods import period_of

    backend = window.backend
    plan_name = next(s.plan for s in backend.subscribers.list_all() if s.plan)
    on_plan = [s for s in backend.subscribers.list_all() if s.plan == plan_name]
    dialog = window.open_plans()
    assert dialog.empty.isVisible()
    dialog.new_name.setText(plan_name)
    dialog.new_price.setText("9,900")
    dialog.add_button.click()
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "₩9,900"
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    assert [dialog.table.item(0, c).textAlignment() == right for c in range(3)] == [
        False,
        True,
        True,
    ]  # the price and the count line up on the right like every amount in the app
    dialog.new_name.setText("x" * 41)
    dialog.new_price.setText("1000")
    dialog.add_button.click()
    assert "Not added" in dialog.error.text() and dialog.table.rowCount() == 1
    dialog.table.selectRow(0)
    dialog.price.setText("12,345")
    dialog.period.setCurrentIndex(dialog.period.findData(period_of(backend.today())))
    assert not dialog.apply_button.isEnabled()
    dialog.show_preview()
    assert dialog.apply_button.isEnabled()
    assert "₩12,345" in dialog.preview_text.toPlainText()
    before = {s.id: s.amount for s in backend.subscribers.list_all()}
    dialog.apply()
    after = {s.id: s.amount for s in backend.subscribers.list_all()}
    changed = {sid for sid in after if after[sid] != before[sid]}
    assert changed and changed <= {s.id for s in on_plan}
    assert all(after[sid] == 12345 for sid in changed)
    assert not dialog.apply_button.isEnabled()
    dialog.reject()
