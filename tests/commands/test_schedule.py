"""`kpadmin schedule install|remove|show|run` through the real CLI entry point, on Linux, with the
systemd user directory in a temporary XDG_CONFIG_HOME and PATH holding no real systemctl (absent,
or a fake one that records its calls); and the entry's command line run for real against a
sandbox."""

from __future__ import annotations

import argparse
import os
import shlex
import stat
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from kpadmin import cli
from kpadmin.billing import os_schedule
from kpadmin.billing.settings import load_settings, save_settings, set_values
from kpadmin.commands import schedule
from tests.billing import helpers as h
from tests.fixtures.sandbox import RunningSandbox

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the systemd user timer is Linux's entry"
)


def kpadmin(data_dir: Path, *args: str) -> int:
    return cli.main(["--data-dir", str(data_dir), *args])


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary XDG config dir and a PATH with no systemctl; returns the fake bin dir."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv("KPADMIN_DATA_DIR", raising=False)
    return bin_dir


def units_dir(tmp_path: Path) -> Path:
    return tmp_path / "xdg" / "systemd" / "user"


def set_settings(data_dir: Path, **values: str) -> None:
    save_settings(data_dir, set_values(load_settings(data_dir), values))


def test_install_needs_the_time_and_live_needs_the_opt_in(
    data_dir: Path, machine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert kpadmin(data_dir, "schedule", "install") == 2
    assert "auto_charge_time is off" in capsys.readouterr().err
    set_settings(data_dir, auto_charge_time="09:30", mode="live")
    assert kpadmin(data_dir, "schedule", "install") == 2
    assert "auto_charge_live is false" in capsys.readouterr().err
    assert not units_dir(tmp_path).exists()
    set_settings(data_dir, auto_charge_live="true")
    assert kpadmin(data_dir, "schedule", "install") == 0


def test_install_show_remove_without_systemctl(
    data_dir: Path, machine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_settings(data_dir, auto_charge_time="9:30")
    name = os_schedule.entry_name(data_dir.resolve())
    assert kpadmin(data_dir, "schedule", "install") == 0
    out = capsys.readouterr().out
    assert "every day at 09:30 Korean time" in out
    assert "systemctl was not found" in out
    assert f"    systemctl --user enable --now {name}.timer" in out
    service = (units_dir(tmp_path) / f"{name}.service").read_text(encoding="utf-8")
    (exec_line,) = [line for line in service.splitlines() if line.startswith("ExecStart=")]
    assert shlex.split(exec_line.removeprefix("ExecStart=")) == [
        sys.executable,
        "-m",
        "kpadmin",
        "--data-dir",
        str(data_dir.resolve()),
        "schedule",
        "run",
    ]
    timer = (units_dir(tmp_path) / f"{name}.timer").read_text(encoding="utf-8")
    assert "OnCalendar=*-*-* 09:30:00 Asia/Seoul" in timer
    assert kpadmin(data_dir, "schedule", "install") == 0
    assert "unchanged" in capsys.readouterr().out
    assert kpadmin(data_dir, "schedule", "show") == 0
    shown = capsys.readouterr().out
    assert "auto_charge_time: 09:30 Korean time" in shown
    assert "OnCalendar=*-*-* 09:30:00 Asia/Seoul" in shown
    assert kpadmin(data_dir, "schedule", "remove") == 0
    assert "removed" in capsys.readouterr().out
    assert list(units_dir(tmp_path).iterdir()) == []
    assert kpadmin(data_dir, "schedule", "remove") == 0
    assert "nothing to remove" in capsys.readouterr().out
    assert kpadmin(data_dir, "schedule", "show") == 0
    assert "`kpadmin schedule install` writes it." in capsys.readouterr().out
    logged = "".join(p.read_text(encoding="utf-8") for p in (data_dir / "logs").glob("*.log*"))
    assert "kpadmin schedule started: schedule install" in logged
    assert "kpadmin schedule started: schedule remove" in logged


def test_install_and_remove_with_a_systemctl_that_records_its_calls(
    data_dir: Path, machine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = machine / "systemctl.calls"
    script = machine / "systemctl"
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{calls}'\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    set_settings(data_dir, auto_charge_time="23:59")
    name = os_schedule.entry_name(data_dir.resolve())
    assert kpadmin(data_dir, "schedule", "install") == 0
    assert kpadmin(data_dir, "schedule", "install") == 0  # twice: same files, same calls
    assert kpadmin(data_dir, "schedule", "remove") == 0
    assert calls.read_text(encoding="utf-8").splitlines() == [
        "--user daemon-reload",
        f"--user enable --now {name}.timer",
        "--user daemon-reload",
        f"--user enable --now {name}.timer",
        f"--user disable --now {name}.timer",
        "--user daemon-reload",
    ]
    out = capsys.readouterr().out
    assert f"enabled: systemctl --user list-timers {name}.timer" in out


def test_the_entry_names_the_data_dir_only_when_one_was_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KPADMIN_DATA_DIR", raising=False)
    assert schedule.explicit_data_dir(argparse.Namespace(data_dir=None)) is None
    monkeypatch.setenv("KPADMIN_DATA_DIR", str(tmp_path / "x" / ".." / "from-env"))
    assert schedule.explicit_data_dir(argparse.Namespace(data_dir=None)) == tmp_path / "from-env"
    monkeypatch.chdir(tmp_path)
    chosen = schedule.explicit_data_dir(argparse.Namespace(data_dir="relative"))
    assert chosen == tmp_path / "relative"  # absolute: the scheduler starts elsewhere
    assert os_schedule.job_command(None, frozen=False)[-2:] == ("schedule", "run")


def test_run_charges_nobody_when_off_or_live_without_the_opt_in(
    data_dir: Path, machine: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert kpadmin(data_dir, "schedule", "run") == 0
    assert "nothing charged: automatic runs are off" in capsys.readouterr().err
    set_settings(data_dir, auto_charge_time="09:00", mode="live")
    assert kpadmin(data_dir, "schedule", "run") == 2
    assert "nothing charged: LIVE mode" in capsys.readouterr().err


def test_the_entrys_command_line_runs_charge_due(
    sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: date
) -> None:
    data = tmp_path / "data"
    uids = h.prepare(data, sandbox.base_url, 2, due=today - timedelta(days=2))
    set_settings(data, auto_charge_time="10:00")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("PATH", str(tmp_path))  # no systemctl
    assert kpadmin(data, "schedule", "install") == 0
    name = os_schedule.entry_name(data.resolve())
    service = (units_dir(tmp_path) / f"{name}.service").read_text(encoding="utf-8")
    (exec_line,) = [line for line in service.splitlines() if line.startswith("ExecStart=")]
    argv = shlex.split(exec_line.removeprefix("ExecStart="))
    env = {**h.child_env(), "PATH": os.defpath}
    env.pop("KPADMIN_DATA_DIR", None)
    first = subprocess.run(
        argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert first.returncode == 0, first.stderr
    assert set(h.paid_at_sandbox(sandbox.base_url, uids).values()) == {1}
    again = subprocess.run(
        argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert again.returncode == 0, again.stderr
    assert sum(h.paid_at_sandbox(sandbox.base_url, uids).values()) == 2  # nothing twice
    logged = "".join(p.read_text(encoding="utf-8") for p in (data / "logs").glob("*.log*"))
    assert "the daily automatic run: charge-due --yes (sandbox mode)" in logged
