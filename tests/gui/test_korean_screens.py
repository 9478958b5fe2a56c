"""No English UI words on the Korean screens (main window, books window's three tabs, settings,
the edit dialog, an import preview), at 1280×800; and the checker itself finds English."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from kpadmin.billing import csvio
from kpadmin.gui import books_window as books
from kpadmin.gui import i18n
from kpadmin.gui.csv_actions import ImportPreviewDialog
from kpadmin.gui.ui_language import english_leftovers, english_words


@pytest.fixture
def korean(qapp) -> Iterator[None]:
    i18n.install("ko")
    yield
    i18n.install("en")


@pytest.fixture
def ko_window(qtbot, seeded, korean):
    from kpadmin.gui.main_window import MainWindow

    w = MainWindow(seeded)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.select_ids([3])
    return w


def test_the_checker_finds_english_and_lets_names_pass(qtbot) -> None:
    assert english_words("Import the 3 good rows") == ["Import", "the", "good", "rows"]
    assert english_words("CSV 가져오기 · 카카오페이 · i'mport · KPADMIN_IMP_KEY · kpa_x1") == []
    box = QWidget()
    qtbot.addWidget(box)
    layout = QVBoxLayout(box)
    layout.addWidget(QLabel("결제 완료"))
    layout.addWidget(QPushButton("Refund"))
    box.show()
    assert english_leftovers(box) == ["QPushButton: Refund"]


def test_main_and_books_windows_hold_no_english(ko_window, qtbot) -> None:
    assert english_leftovers(ko_window) == []
    window = ko_window.open_books(books.PAYMENTS)
    window.resize(1280, 800)
    for tab in (books.PAYMENTS, books.REPORT, books.AUDIT):
        window.show_tab(tab)
        assert english_leftovers(window) == [], tab


def test_settings_and_edit_dialogs_hold_no_english(ko_window, qtbot) -> None:
    ko_window.open_settings()
    qtbot.waitUntil(lambda: ko_window.settings_dialog is not None)
    assert english_leftovers(ko_window.settings_dialog) == []
    ko_window.settings_dialog.reject()
    ko_window.edit_current()
    qtbot.waitUntil(lambda: ko_window.edit_dialog is not None)
    assert english_leftovers(ko_window.edit_dialog) == []
    ko_window.edit_dialog.reject()


def test_an_import_preview_holds_no_english(ko_window, qtbot) -> None:
    sub = ko_window.backend.subscribers.list_all()[0]
    report = csvio.ImportReport(encoding="utf-8", rows=2, dry_run=True)
    report.updated.append(sub.customer_uid)
    from kpadmin.billing.import_preview import FieldChange

    report.changes[sub.customer_uid] = [FieldChange("amount", sub.amount, sub.amount * 5)]
    report.large_changes.append(sub.customer_uid)
    dialog = ImportPreviewDialog(report, ko_window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert english_leftovers(dialog) == []
    assert "금액: ₩" in dialog.changes.toPlainText()


def test_the_empty_table_says_what_to_do_next(qtbot, backend, korean) -> None:
    from kpadmin.gui.main_window import MainWindow

    w = MainWindow(backend)
    qtbot.addWidget(w)
    w.show()
    assert w.empty_hint.isVisible()
    assert "신규 가입" in w.empty_hint.text() and "CSV 가져오기" in w.empty_hint.text()


def test_the_plans_dialog_holds_no_english(ko_window, qtbot) -> None:
    dialog = ko_window.open_plans()
    qtbot.waitExposed(dialog)
    assert english_leftovers(dialog) == []
    dialog.reject()


@pytest.mark.parametrize("language", ["ko", "en"])
def test_main_table_texts_fit_their_columns_at_1280(qtbot, seeded, language) -> None:
    """Every cell of the sample data fits its column, a retry date too, and the columns up to
    the next charge are all on screen beside the detail pane (no scrolling to see them)."""
    from kpadmin.gui.formatting import tr
    from kpadmin.gui.main_window import MainWindow
    from kpadmin.gui.subscriber_model import Column

    i18n.install(language)
    try:
        w = MainWindow(seeded)
        qtbot.addWidget(w)
        w.resize(1280, 800)
        w.show()
        qtbot.waitExposed(w)
        table, model = w.table, w.table.model()
        header = table.horizontalHeader()
        fm = table.fontMetrics()
        clipped = []
        for column in list(Column)[: Column.NEXT_CHARGE + 1]:
            width = header.sectionSize(column)
            texts = [model.index(r, column).data() or "" for r in range(model.rowCount())]
            texts.append(str(model.headerData(column, header.orientation())))
            if column == Column.NEXT_CHARGE:
                texts.append(tr("Retry {date}").format(date="2026-12-28"))
            clipped += [(column.name, t) for t in texts if fm.horizontalAdvance(t) + 8 > width]
        assert clipped == []
        shown = sum(header.sectionSize(c) for c in list(Column)[: Column.NEXT_CHARGE + 1])
        assert shown <= table.viewport().width()
    finally:
        i18n.install("en")


def test_the_charge_confirmation_names_the_mode_in_korean(qtbot, korean) -> None:
    """It said "SANDBOX: 구독자 1명을 지금 결제할까요?" while the banner says 샌드박스."""
    from datetime import date

    from kpadmin.billing.due import Plan, PlanItem
    from kpadmin.gui.charging.confirm import ConfirmChargeDialog

    item = PlanItem(1, "kpa_x1", "김하늘", "프리미엄", 9_900, "2026-12", 1, "kp-x1-1")
    for mode, word in (("sandbox", "샌드박스"), ("live", "실거래")):
        dialog = ConfirmChargeDialog(Plan(date(2026, 12, 7), "root", (item,)), mode=mode)
        qtbot.addWidget(dialog)
        assert dialog.headline.text().startswith(f"{word}: ")
        assert dialog.windowTitle().endswith(f"— {word}")
        dialog.show()
        assert english_leftovers(dialog) == []


def test_an_unsent_notice_is_미발송_as_in_the_glossary_and_the_status_bar(korean) -> None:
    from kpadmin.gui import notices

    assert notices.state_label("pending") == "미발송"  # was 대기 beside "미발송 안내 2건"
    assert [notices.state_label(s) for s in ("sent", "failed")] == ["발송 완료", "발송 포기"]
