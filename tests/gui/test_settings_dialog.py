"""The settings dialog: LIVE asks first, secrets go to the keyring unseen, Test connection."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from kpadmin.billing import settings as settings_mod
from kpadmin.billing.secrets import SERVICE
from kpadmin.gui.settings_dialog import SettingsDialog


def make(qtbot, backend) -> SettingsDialog:
    dialog = SettingsDialog(backend)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_switching_to_live_asks_and_refusing_reverts(qtbot, backend, memory_keyring):
    dialog = make(qtbot, backend)
    dialog.mode.setCurrentIndex(dialog.mode.findData("live"))
    box = dialog._confirm_box
    assert box is not None and box.isVisible()
    assert "real money" in box.text()
    box.reject()
    assert dialog.selected_mode() == "sandbox"
    dialog.mode.setCurrentIndex(dialog.mode.findData("live"))
    dialog._confirm_box.accept()
    assert dialog.selected_mode() == "live"
    assert dialog.key_state.text() == "not set"


def test_save_writes_settings_secrets_and_audit_without_showing_secrets(
    qtbot, backend, memory_keyring
):
    dialog = make(qtbot, backend)
    assert dialog.imp_secret.echoMode() == QLineEdit.EchoMode.Password
    dialog.mode.setCurrentIndex(dialog.mode.findData("test"))
    dialog.imp_code.setText("imp12345678")
    dialog.imp_key.setText("rest-key-123")
    dialog.imp_secret.setText("very-secret-value-456")
    dialog.staff_name.setText("김지원")
    dialog.monthly_limit.setValue(3)
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save()
    old, new = saved.args
    assert (old.mode, new.mode, new.staff_name, new.monthly_limit) == (
        "sandbox",
        "test",
        "김지원",
        3,
    )
    on_disk = settings_mod.load_settings(backend.runtime.data_root)
    assert on_disk == new
    assert memory_keyring.store[(SERVICE, "test:imp_secret")] == "very-secret-value-456"
    settings_file = settings_mod.settings_path(backend.runtime.data_root).read_text()
    assert "very-secret-value-456" not in settings_file
    entry = backend.audit.list(action="settings", limit=1)[0]
    assert "mode: sandbox → test" in entry.detail and "very-secret" not in entry.detail
    # Reopened, the dialog says the secret is set and shows nothing of it.
    again = make(qtbot, backend)
    again.mode.setCurrentIndex(again.mode.findData("test"))
    assert again.imp_secret.text() == ""
    assert again.secret_state.text() == "set (keyring)"


def test_bad_values_are_refused_inline(qtbot, backend, memory_keyring):
    dialog = make(qtbot, backend)
    dialog.imp_code.setText("not-a-code")
    dialog.save()
    assert "imp_code" in dialog.problem.text()
    assert dialog.isVisible()
    assert settings_mod.load_settings(backend.runtime.data_root).imp_code is None


def test_missing_keyring_is_explained(qtbot, backend, no_keyring):
    dialog = make(qtbot, backend)
    assert dialog.keyring_note.isVisibleTo(dialog)
    assert "keyring" in dialog.keyring_note.text().lower()
    assert "KPADMIN_IMP_SECRET" in dialog.keyring_note.text()
    assert dialog.keyring_note.toolTip()  # the backend's full explanation
    assert not dialog.imp_secret.isEnabled()


def test_test_connection_fetches_a_token(qtbot, sandbox_backend, memory_keyring):
    dialog = make(qtbot, sandbox_backend)
    dialog.api_base_url.setText(sandbox_backend.api.base_url)
    with qtbot.waitSignal(dialog.connection_tested, timeout=10_000) as result:
        dialog.test_connection()
    assert result.args[0] is True, result.args[1]
    assert "token" in dialog.test_result.text()


def test_test_connection_says_what_is_wrong(qtbot, sandbox_backend, memory_keyring):
    dialog = make(qtbot, sandbox_backend)
    dialog.api_base_url.setText(sandbox_backend.api.base_url)
    dialog.imp_secret.setText("wrong-secret")
    with qtbot.waitSignal(dialog.connection_tested, timeout=10_000) as result:
        dialog.test_connection()
    ok, text = result.args
    assert not ok
    assert "refused the REST API key or secret" in text
    assert "wrong-secret" not in text


def test_the_dialog_has_the_same_bounds_and_messages_as_the_command_line(
    qtbot, backend, memory_keyring
):
    dialog = make(qtbot, backend)
    for key, spin in (("concurrency", dialog.concurrency), ("monthly_limit", dialog.monthly_limit)):
        assert spin.maximum() == settings_mod.BOUNDS[key][1]
        assert spin.toolTip() == settings_mod.DESCRIPTIONS[key]
    assert dialog.concurrency.minimum() == settings_mod.BOUNDS["concurrency"][0]
    assert "0.1" in dialog.requests_per_second.placeholderText()
    cases = [
        ("requests_per_second", "1e-300", "requests_per_second must be between 0.1 and 1000"),
        ("api_base_url", "http://[::1", "api_base_url is not a valid URL"),
        ("api_base_url", "https://" + "a" * 70_000, "api_base_url is too long"),
    ]
    for field, text, message in cases:
        getattr(dialog, field).setText(text)
        dialog.save()
        assert dialog.problem.text().startswith(message), dialog.problem.text()
        assert dialog.isVisible()
        getattr(dialog, field).setText("")
    assert not settings_mod.settings_path(backend.runtime.data_root).exists()  # nothing saved
    # TEST with a plain-http address is refused with the command line's words…
    dialog.mode.setCurrentIndex(dialog.mode.findData("test"))
    dialog.api_base_url.setText("http://gw.example.com")
    dialog.save()
    assert "TEST mode sends the REST secret to it, so it must be https://" in dialog.problem.text()
    # …a local proxy on this computer is not; and a valid pacing is kept.
    dialog.api_base_url.setText("http://127.0.0.1:8080")
    dialog.requests_per_second.setText("2.5")
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save()
    new = saved.args[1]
    assert (new.mode, new.api_base_url, new.requests_per_second) == (
        "test",
        "http://127.0.0.1:8080",
        2.5,
    )
    assert dialog.problem.text() == ""


def test_live_mode_is_refused_while_kpadmin_now_pretends_a_date(
    qtbot, backend, memory_keyring, monkeypatch
):
    monkeypatch.setenv("KPADMIN_NOW", "2031-01-31T23:30:00+09:00")
    dialog = make(qtbot, backend)
    dialog.mode.setCurrentIndex(dialog.mode.findData("live"))
    dialog._confirm_box.accept()
    dialog.imp_key.setText("live-key")
    dialog.save()
    assert "KPADMIN_NOW" in dialog.problem.text() and "live mode" in dialog.problem.text()
    assert dialog.isVisible()
    assert settings_mod.load_settings(backend.runtime.data_root).mode == "sandbox"
    assert (SERVICE, "live:imp_key") not in memory_keyring.store  # nothing stored either


def test_the_collections_settings_are_saved_the_mail_password_to_the_keyring(
    qtbot, backend, memory_keyring
):
    dialog = make(qtbot, backend)
    assert dialog.retry_days.text() == "1,3,5" and dialog.auto_charge_time.text() == ""
    assert dialog.notice_days_before.text() == ""  # off: empty, as the placeholder says
    dialog.retry_days.setText("2,4")
    dialog.auto_charge_time.setText("9:30")
    dialog.notices.setCurrentIndex(dialog.notices.findData("email"))
    dialog.smtp_url.setText("smtps://smtp.example.com")
    dialog.smtp_user.setText("billing@example.com")
    dialog.smtp_password.setText("mail-pass-789")
    dialog.notice_from.setText("카페 온도 <billing@example.com>")
    dialog.merchant_name.setText("카페 온도")
    dialog.notice_days_before.setText("3")
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save()
    _old, new = saved.args
    assert (new.retry_days, new.auto_charge_time, new.notices, new.notice_days_before) == (
        (2, 4),
        "09:30",
        "email",
        3,
    )
    assert memory_keyring.store[(SERVICE, "sandbox:smtp_password")] == "mail-pass-789"
    text = settings_mod.settings_path(backend.runtime.data_root).read_text()
    assert "mail-pass-789" not in text
    entry = backend.audit.list(action="settings", limit=1)[0]
    assert "smtp_password replaced" in entry.detail and "mail-pass" not in entry.detail


def test_notices_on_without_a_mail_server_are_refused_inline(qtbot, backend, memory_keyring):
    dialog = make(qtbot, backend)
    dialog.notices.setCurrentIndex(dialog.notices.findData("email"))
    dialog.save()
    assert "smtp_url" in dialog.problem.text()
    assert settings_mod.load_settings(backend.runtime.data_root).notices == "off"


def test_the_keyring_note_gets_the_height_its_wrapped_text_needs(qtbot, backend, monkeypatch):
    """Without an OS keyring the note wraps to two or three lines; it used to get one and a
    half (the group box drops height-for-width) and overlapped the rows around it."""
    from kpadmin.gui import i18n, settings_dialog

    monkeypatch.setattr(settings_dialog.secrets, "keyring_available", lambda: (False, "none"))
    # The Korean sentence wraps: to three lines with a Korean font, to two where the machine has
    # none (its glyphs drawn as boxes of another width). Either way it needs more than one line.
    i18n.install("ko")
    try:
        dialog = make(qtbot, backend)
        qtbot.waitExposed(dialog)
        note = dialog.keyring_note
        assert note.heightForWidth(note.width()) > note.fontMetrics().height()
        qtbot.waitUntil(lambda: note.height() >= note.heightForWidth(note.width()))
    finally:
        i18n.install("en")
