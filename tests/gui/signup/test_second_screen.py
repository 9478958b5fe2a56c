""" "Show on second screen" with two screens: Qt's offscreen platform can simulate them from a JSON
config, which is per process — so the check runs in a child interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

CHILD = r"""
import sys
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kpadmin.billing.signup import start_attempt, validate_form
from kpadmin.gui.signup import SignupDialog
from kpadmin.store.db import open_database
from tests.gui.signup.harness import FORM, SignupBackend
from dataclasses import replace

names = sorted(s.name() for s in QGuiApplication.screens())
assert names == ["Customer", "Staff"], names
backend = SignupBackend(open_database(sys.argv[1]), None)
dialog = SignupDialog(None, backend)
dialog.show()
staff = next(s for s in QGuiApplication.screens() if s.name() == "Staff")
dialog.windowHandle().setScreen(staff)
dialog.move(100, 100)
app.processEvents()

for channel, visible in (("phone", False), ("in_person", True)):
    form = validate_form(replace(FORM, channel=channel))
    dialog.session.attempt = start_attempt(form, imp_code="imp00000000", pg="kakaopay")
    dialog._update_screen_button()
    assert (not dialog.screen_button.isHidden()) is visible, channel
    assert dialog.screen_button.isEnabled()

dialog.move_to_other_screen()
app.processEvents()
assert dialog.screen().name() == "Customer", dialog.screen().name()
assert dialog.screen().geometry().contains(dialog.geometry().center())
dialog.move_to_other_screen()
app.processEvents()
assert dialog.screen().name() == "Staff", dialog.screen().name()
print("ok")
"""


def test_moves_to_the_customer_screen_and_back(tmp_path: Path) -> None:
    config = tmp_path / "screens.json"
    screen = {"y": 0, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {"name": "Staff", "x": 0, "width": 1280, "height": 900, **screen},
                    {"name": "Customer", "x": 1280, "width": 1024, "height": 768, **screen},
                ]
            }
        )
    )
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "k.sqlite3")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith("ok")
