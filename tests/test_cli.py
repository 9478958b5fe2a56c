"""The `kpadmin` entry point dispatches to subcommand modules lazily."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kpadmin import cli
from tests.clock import child_env

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_gui_is_the_default_command() -> None:
    assert cli.chosen_command([]) == "gui"
    assert cli.chosen_command(["--data-dir", "/tmp/x"]) == "gui"
    assert cli.chosen_command(["--data-dir", "/tmp/x", "reconcile"]) == "reconcile"


def test_version_prints_and_exits(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert "kpadmin 0." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--data-dir", "export", "export", "charges", "f.csv"], "export"),
        (["--data-dir", "charge-due", "reconcile", "--json"], "reconcile"),
        (["--data-dir=export", "charge-due", "--dry-run"], "charge-due"),
        (["--data", "export", "import", "f.csv"], "import"),  # argparse's unique prefix
        (["--data-dir", "export"], "gui"),  # a data dir and no command: the GUI
        (["--data-dir", "x", "frob"], "frob"),  # returned as it is, for argparse to refuse
    ],
)
def test_global_options_and_their_values_are_not_commands(argv: list[str], expected: str) -> None:
    assert cli.chosen_command(argv) == expected


def test_an_unknown_command_is_refused_by_argparse(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--data-dir", "x", "frob"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'frob'" in capsys.readouterr().err


@pytest.mark.parametrize("dir_name", ["export", "charge-due", "reconcile"])
@pytest.mark.parametrize("what", ["charges", "subscribers"])
def test_export_with_a_data_dir_named_like_a_command(
    tmp_path: Path, dir_name: str, what: str
) -> None:
    """`kpadmin --data-dir DIR export charges F` with DIR literally named like a subcommand (a
    real child process): the dir's name is the option's value, not the command."""
    result = subprocess.run(
        [sys.executable, "-m", "kpadmin", "--data-dir", dir_name, "export", what, "out.csv"],
        cwd=tmp_path,
        env=child_env({**os.environ, "PYTHONPATH": str(REPO_ROOT)}),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith(f"0 {what} written to out.csv (sandbox mode)")
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # the CSV, with BOM
    assert (tmp_path / dir_name / "sandbox" / "kpadmin.sqlite3").exists()  # that data dir
