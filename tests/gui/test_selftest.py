"""`kpadmin selftest --language ko --screenshots DIR` in a child process, as the packaged build
runs it: every step verified (exit 0, one ✓ line each; in Korean no screen holds an English UI
word), one readable PNG per step, nothing left in the data dir the suite gave it (the self-test
works in its own temporary directory)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clock import child_env
from tests.fixtures.sandbox import REPO_ROOT

pytestmark = pytest.mark.e2e

STEPS = [
    "start",
    "sign-up",
    "subscriber row",
    "charge",
    "paid at the sandbox",
    "refund",
    "audited actions",
    "books",
    "import preview",
    "settings",
    "quit",
]


def test_selftest_verifies_every_step_and_saves_screenshots(tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    data = tmp_path / "user-data"
    data.mkdir()
    env = child_env({**os.environ, "KPADMIN_DATA_DIR": str(data), "PYTHONIOENCODING": "utf-8"})
    # The self-test must choose offscreen / no-sandbox itself: take the suite's choices away.
    for name in ("QT_QPA_PLATFORM", "QTWEBENGINE_DISABLE_SANDBOX", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "kpadmin",
            "selftest",
            # Korean: every screen is also checked for English UI words (kpadmin.gui.ui_language).
            "--language",
            "ko",
            "--screenshots",
            str(shots),
            "--timeout",
            "120",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
    )
    lines = proc.stdout.splitlines()
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    checked = [line for line in lines if line.startswith("✓ ")]
    assert [line[2:].split(":", 1)[0] for line in checked] == STEPS
    assert not any(line.startswith("✗") for line in lines)
    assert lines[-1] == "selftest: all steps verified"

    from PySide6.QtGui import QImage

    pngs = sorted(shots.glob("*.png"))
    assert len(pngs) >= len(STEPS)
    for png in pngs:
        image = QImage(str(png))
        assert not image.isNull() and image.width() > 200 and image.height() > 150, png.name
    assert any("charge-confirmation" in p.name for p in pngs)
    assert any("refund" in p.name for p in pngs)
    assert list(data.iterdir()) == []  # never the user's data dir


def test_selftest_reports_a_failed_step_and_exits_nonzero(tmp_path: Path) -> None:
    """A journey that cannot finish in time fails cleanly (exit 3), it does not hang."""
    env = child_env({**os.environ, "PYTHONIOENCODING": "utf-8"})
    proc = subprocess.run(
        [sys.executable, "-m", "kpadmin", "selftest", "--timeout", "0.5"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 3, proc.stdout + proc.stderr[-2000:]
    assert "✗" in proc.stdout
    assert proc.stdout.splitlines()[-1] == "selftest: FAILED"
