"""The app quits cleanly on Ctrl+C / SIGTERM, like closing its window."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.clock import child_env


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_closes_the_window_and_exits_zero(tmp_path: Path, signum: int) -> None:
    env = child_env(
        {**os.environ, "KPADMIN_DATA_DIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "kpadmin"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The in-process sandbox's state file appears once the window is up and connecting.
        state = tmp_path / "sandbox" / "sandbox-state.sqlite3"
        deadline = time.monotonic() + 30
        while not state.exists() and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.1)
        assert state.exists(), child.stderr.read() if child.poll() is not None else "no start"
        time.sleep(0.5)
        child.send_signal(signum)
        _, err = child.communicate(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 0, err
    assert "Traceback" not in err
