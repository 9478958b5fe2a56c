"""The sign-up form and the dialog's first page, without QtWebEngine: validation as you type."""

from __future__ import annotations

from typing import Any

from kpadmin.gui.signup import SignupDialog
from tests.gui.signup.harness import FORM, SandboxApi, SignupBackend, fill


def make_dialog(qtbot: Any, tmp_path: Any, *, connected: bool = True) -> SignupDialog:
    from kpadmin.store import open_store

    api = SandboxApi(
        gateway=None,  # type: ignore[arg-type]  # never called on the form page
        client=None,  # type: ignore[arg-type]
        base_url="http://127.0.0.1:1",
        sdk_url="http://127.0.0.1:1/v1/iamport.js",
        imp_code="imp00000000",
        pg="kakaopay",
    )
    backend = SignupBackend(open_store(tmp_path / "k.sqlite3"), api if connected else None)
    dialog = SignupDialog(None, backend)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_start_enabled_only_when_valid(qtbot: Any, tmp_path: Any) -> None:
    dialog = make_dialog(qtbot, tmp_path)
    form = dialog.form
    assert not dialog.start_button.isEnabled()
    # Nothing typed yet: no red messages either.
    assert not any(f.message.isVisible() for f in form.fields.values())

    fill(dialog)
    assert dialog.start_button.isEnabled()

    form.phone.clear()
    qtbot.keyClicks(form.phone, "010-12")
    assert not dialog.start_button.isEnabled()
    assert form.fields["phone"].message.isVisible()
    assert "010-1234-5678" in form.fields["phone"].message.text()
    qtbot.keyClicks(form.phone, "34-5678")
    assert dialog.start_button.isEnabled()
    assert not form.fields["phone"].message.isVisible()

    form.amount.clear()
    qtbot.keyClicks(form.amount, "0")
    assert not dialog.start_button.isEnabled()
    assert form.fields["amount"].message.isVisible()
    form.amount.clear()
    qtbot.keyClicks(form.amount, "12900")
    form.amount.editingFinished.emit()  # leaving the field: thousands separators
    assert form.amount.text() == "12,900"
    assert dialog.start_button.isEnabled()
    assert "12,900" in form.first_payment_hint.text()


def test_no_connection_no_start(qtbot: Any, tmp_path: Any) -> None:
    dialog = make_dialog(qtbot, tmp_path, connected=False)
    fill(dialog)
    assert dialog.form.is_valid()
    assert not dialog.start_button.isEnabled()
    assert dialog.connection_note.isVisible()


def test_form_values_round_trip(qtbot: Any, tmp_path: Any) -> None:
    dialog = make_dialog(qtbot, tmp_path)
    fill(dialog, channel="in_person", first_payment_now=False)
    raw = dialog.form.raw()
    assert raw.channel == "in_person" and raw.first_payment_now is False
    assert raw.name == FORM.name and raw.billing_day == FORM.billing_day
