"""The real `kpadmin` start (``gui --startup-probe``, as bench/startup.py runs it): the window
shows without importing what it does not need (`kpadmin.gui.app.NOT_BEFORE_THE_WINDOW`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.clock import child_env

REPO = Path(__file__).resolve().parents[2]


def _start(data_dir: Path) -> dict[str, object]:
    env = child_env({k: v for k, v in os.environ.items() if not k.startswith("KPADMIN_")})
    result = subprocess.run(
        [sys.executable, "-m", "kpadmin", "--data-dir", str(data_dir), "gui", "--startup-probe"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    probe: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["window_visible"] is True
    return probe


def test_a_start_at_the_databases_head_loads_nothing_the_window_does_not_need(tmp_path):
    first = _start(tmp_path)
    # A first start creates the database with the migrations (Alembic, whose baseline names
    # PostgreSQL's partial-index options too); nothing else.
    assert set(first["loaded_too_early"]) <= {"alembic", "sqlalchemy.dialects.postgresql"}
    assert "alembic" in first["loaded_too_early"]  # the probe does see what was imported
    again = _start(tmp_path)
    assert again["loaded_too_early"] == []
    assert again["webengine_loaded"] is False
