"""The `kpadmin` entry point dispatches to subcommand modules lazily."""

from __future__ import annotations

import pytest

from kpadmin import cli


def test_gui_is_the_default_command() -> None:
    assert cli.chosen_command([]) == "gui"
    assert cli.chosen_command(["--data-dir", "/tmp/x"]) == "gui"
    assert cli.chosen_command(["--data-dir", "/tmp/x", "reconcile"]) == "reconcile"


def test_version_prints_and_exits(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert "kpadmin 0." in capsys.readouterr().out
