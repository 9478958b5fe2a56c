"""The import preview in the window: nothing written before the preview is accepted; changes old →
new; a large amount change needs its box ticked; problems copyable and in the UI language; a file
that cannot be read is a dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox

from kpadmin.gui import i18n
from tests.gui.test_csv_and_app import sandbox_window

__all__ = ["sandbox_window"]


def _preview(qtbot, window, data: bytes):
    window.csv.import_dialog = None
    task = window.csv.run_import(data, skip_bad=False)
    qtbot.waitUntil(task.done, timeout=10_000)
    qtbot.waitUntil(lambda: window.csv.import_dialog is not None, timeout=10_000)
    return window.csv.import_dialog


def test_preview_then_import_with_a_confirmed_large_change(qtbot, sandbox, sandbox_window):
    w = sandbox_window
    for uid in ("cu_p1", "cu_p2"):
        sandbox.state.issue_billing_key(uid, card_name="신한카드")
    first = (
        "customer_uid,name,phone,amount,plan\n"
        "cu_p1,김하늘,010-1111-2222,9900,Basic\n"
        "cu_p2,이바다,010-3333-4444,9900,Basic\n"
    ).encode()
    dialog = _preview(qtbot, w, first)
    assert dialog.report.dry_run and w.model.rowCount() == 0  # nothing written yet
    assert "line 2: 김하늘, ₩9,900" in dialog.changes.toPlainText()
    dialog.accept()
    qtbot.waitUntil(lambda: w.model.rowCount() == 2, timeout=10_000)

    # Four columns only: the plan stays; cu_p2's amount × 50 needs the box ticked.
    second = (
        "customer_uid,name,phone,amount\n"
        "cu_p1,김하늘,010-1111-2222,12000\n"
        "cu_p2,이바다,010-3333-4444,495000\n"
    ).encode()
    dialog = _preview(qtbot, w, second)
    text = dialog.changes.toPlainText()
    assert "cu_p1: Amount: ₩9,900 → ₩12,000" in text and "Plan" not in text
    assert dialog.confirm_large is not None
    assert dialog.import_good.text() == "Import 1 rows"
    dialog.confirm_large.setChecked(True)
    assert dialog.import_good.text() == "Import 2 rows"
    dialog.accept()

    def amounts():
        return {r.subscriber.customer_uid: r.subscriber.amount for r in w.model.rows}

    qtbot.waitUntil(lambda: amounts() == {"cu_p1": 12000, "cu_p2": 495000}, timeout=10_000)
    assert {r.subscriber.plan for r in w.model.rows} == {"Basic"}


def test_problems_are_in_the_ui_language_and_can_be_copied(qtbot, sandbox, sandbox_window):
    sandbox.state.issue_billing_key("cu_k1", card_name="신한카드")
    data = (
        "customer_uid,name,phone,amount,next_charge_date\n"
        "cu_k1,=HYPERLINK(1),010-1111-2222,9900,01/12/2030\n"
        "cu_nokey,김하늘,010-1111-2223,9900,\n"
    ).encode()
    i18n.install("ko")
    try:
        dialog = _preview(qtbot, sandbox_window, data)
        problems = dialog.problems.toPlainText().splitlines()
        assert problems[0].startswith("2행 (cu_k1): 이름이 =(으)로 시작합니다"), problems
        assert "다음 결제일 '01/12/2030'은(는) 2026-12-06 또는 2026.12.06 같은" in problems[0]
        assert problems[1] == "3행 (cu_nokey): 아임포트에 이 customer_uid의 빌링키가 없습니다"
        assert dialog.import_good is None
    finally:
        i18n.install("en")
    QApplication.clipboard().clear()


def test_a_file_that_cannot_be_read_is_a_dialog_with_its_line(qtbot, sandbox_window, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("customer_uid;name;phone;amount\n", encoding="utf-8")
    sandbox_window.csv.start_import(str(path))

    def boxes():
        return [b for b in sandbox_window.findChildren(QMessageBox) if b.objectName()]

    qtbot.waitUntil(lambda: bool(boxes()), timeout=10_000)
    assert "line 1" in boxes()[-1].informativeText()
    boxes()[-1].close()


def test_a_file_problem_is_said_in_the_ui_language(qtbot, sandbox_window, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("customer_uid;name;phone;amount\n", encoding="utf-8")
    i18n.install("ko")
    try:
        sandbox_window.csv.start_import(str(path))

        def boxes():
            return [b for b in sandbox_window.findChildren(QMessageBox) if b.objectName()]

        qtbot.waitUntil(lambda: bool(boxes()), timeout=10_000)
        assert boxes()[-1].informativeText() == (
            "1행: 머리글이 쉼표로 구분되어 있지 않습니다. 쉼표로 구분된 CSV로 저장하세요"
        )
        boxes()[-1].close()
    finally:
        i18n.install("en")
