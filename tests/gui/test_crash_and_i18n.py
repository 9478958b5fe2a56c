"""The exception dialog (one, copyable, redacted), the message choke point, and Korean/English."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication

from kpadmin.billing import gateway as gw
from kpadmin.gui import aio, crash, i18n, messages
from kpadmin.gui.formatting import state_label, tr, won
from kpadmin.store.models import SubscriberState


def boom(text: str) -> tuple[type[BaseException], BaseException, object]:
    try:
        raise RuntimeError(text)
    except RuntimeError as exc:
        return type(exc), exc, exc.__traceback__


@pytest.fixture
def no_dialog():
    yield
    dialog = crash.current_dialog()
    if dialog is not None:
        dialog.close()


def test_excepthook_opens_one_dialog_with_redacted_copyable_details(qtbot, no_dialog):
    crash.register_secret("s3cr3t-value-xyz")
    crash.install_excepthook()
    assert sys.excepthook is crash._excepthook
    sys.excepthook(*boom("token s3cr3t-value-xyz for 010-1234-5678 imp_secret=abcdef"))
    dialog = crash.current_dialog()
    assert dialog is not None and dialog.isVisible()
    text = dialog.details.toPlainText()
    assert "RuntimeError" in text
    assert "s3cr3t-value-xyz" not in text and "abcdef" not in text
    assert "1234-5678" not in text and "5678" in text
    sys.excepthook(*boom("second problem"))
    assert crash.current_dialog() is dialog  # appended, not a second box
    assert "second problem" in dialog.details.toPlainText()
    dialog.copy_details()
    assert "second problem" in QGuiApplication.clipboard().text()


def test_expected_errors_become_calm_messages(qtbot, qloop, no_dialog):
    failure = gw.AuthFailed("401")
    aio.report_failure(failure)
    level, text = messages.bridge().history[-1]
    assert level == "error" and "Settings" in text
    assert crash.current_dialog() is None
    lost = gw.OutcomeUnknown("read timeout")
    assert "Reconcile" in aio.describe_error(lost)
    assert aio.describe_error(KeyError("x")) is None


def test_unexpected_error_in_a_background_op_opens_the_dialog(qtbot, qloop, no_dialog):
    async def broken():
        raise ValueError("bug in a coroutine")

    task = aio.run_op(broken())
    qtbot.waitUntil(task.done)
    qtbot.waitUntil(lambda: crash.current_dialog() is not None)
    assert "bug in a coroutine" in crash.current_dialog().details.toPlainText()


def test_korean_translation_loads_and_english_is_the_source(qapp):
    try:
        assert i18n.install("ko") == "ko"
        assert state_label(SubscriberState.ACTIVE) == "이용 중"
        assert QCoreApplication.translate("MainWindow", "New sign-up") == "신규 가입"
        assert tr("Paid") == "결제 완료"
        assert won(1_234_500) == "₩1,234,500"
    finally:
        assert i18n.install("en") == "en"
    assert state_label(SubscriberState.ACTIVE) == "Active"


def test_language_follows_the_setting_then_the_os(monkeypatch):
    assert i18n.resolve_language("ko") == "ko"
    assert i18n.resolve_language("en") == "en"
    assert i18n.resolve_language("auto") in ("ko", "en")
