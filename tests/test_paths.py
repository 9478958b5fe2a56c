from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kpadmin import paths


def test_override_wins_and_is_private(tmp_path: Path) -> None:
    root = paths.data_dir(tmp_path / "root")
    assert root == tmp_path / "root"
    assert stat.S_IMODE(root.stat().st_mode) == 0o700


def test_env_is_used_when_no_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "env"))
    assert paths.data_dir() == tmp_path / "env"


def test_modes_keep_separate_folders(tmp_path: Path) -> None:
    assert paths.mode_dir(tmp_path, "test") != paths.mode_dir(tmp_path, "live")
    with pytest.raises(ValueError, match="unknown mode"):
        paths.mode_dir(tmp_path, "prod")


def test_logs_stay_below_an_overridden_data_dir(tmp_path: Path) -> None:
    assert paths.log_dir(tmp_path) == tmp_path / "logs"
