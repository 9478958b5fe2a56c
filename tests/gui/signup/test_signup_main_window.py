"""The sign-up from the main window's "New sign-up" action, with the app's own Backend.

The Backend talks to the test's sandbox (``sandbox_backend`` in tests/gui/conftest.py); the dialog
is the one the action opens, the new row appears in the window's table and gets selected.
"""

from __future__ import annotations

from typing import Any

import pytest

from kpadmin.gui.signup import SignupDialog
from tests.gui.signup.harness import click, fill, wait_for_window_frame

pytestmark = pytest.mark.e2e


def test_new_signup_action_end_to_end(qtbot: Any, sandbox_backend: Any) -> None:
    from kpadmin.gui.main_window import MainWindow

    window = MainWindow(sandbox_backend)
    qtbot.addWidget(window)
    window.show()
    window.act_signup.trigger()
    dialogs = [d for d in window.findChildren(SignupDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    fill(dialog, first_payment_now=True)
    qtbot.waitUntil(dialog.start_button.isEnabled, timeout=5000)
    dialog.start_button.click()
    frame = wait_for_window_frame(qtbot, dialog)
    with qtbot.waitSignal(dialog.signed_up, timeout=20_000) as signal:
        click(qtbot, frame, "approve")
    subscriber = signal.args[0]
    assert subscriber.customer_uid == dialog.attempt.key_id
    qtbot.waitUntil(lambda: window.model.row_for_id(subscriber.id) is not None, timeout=5000)
    assert window.selected_ids() == [subscriber.id]
    dialog.close_button.click()
    qtbot.wait(200)  # let the page, then the profile, go (deleteLater)
