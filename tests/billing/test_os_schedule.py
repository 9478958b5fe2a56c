"""The OS scheduler's entry: the systemd units, the Task Scheduler XML and the launchd plist as
generated (parsed back with the standard library), Korean time converted where the scheduler
needs local time, and install / remove / show against fake scheduler tools that record their
calls (never the real systemctl, schtasks or launchctl)."""

from __future__ import annotations

import plistlib
import shlex
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, date, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kpadmin.billing import os_schedule as osch
from kpadmin.billing.os_schedule import Host, Job, Platform

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fake tools are shell scripts")

NS = {"t": osch.TASK_NS}
DATA = Path("/srv/kpadmin data/가게 1")  # a space and Korean: quoting must hold


def job(data_dir: Path | None = DATA, at: time = time(9, 30)) -> Job:
    argv = osch.job_command(
        data_dir, frozen=False, executable="/opt/py/bin/python3", platform=Platform.LINUX
    )
    return Job(argv=argv, kst_time=at, data_dir=data_dir)


# --- the command line ---------------------------------------------------------------------------


def test_the_command_line() -> None:
    assert osch.job_command(None, frozen=False, executable="/usr/bin/python3") == (
        "/usr/bin/python3",
        "-m",
        "kpadmin",
        "schedule",
        "run",
    )
    frozen_linux = osch.job_command(
        Path("/d"), frozen=True, executable="/opt/kpadmin/kpadmin", platform=Platform.LINUX
    )
    assert frozen_linux == ("/opt/kpadmin/kpadmin-cli", "--data-dir", "/d", "schedule", "run")
    frozen_windows = osch.job_command(
        None,
        frozen=True,
        executable=r"C:\Program Files\kpadmin\kpadmin.exe",
        platform=Platform.WINDOWS,
    )
    assert frozen_windows[0].endswith("kpadmin-cli.exe")
    assert frozen_windows[1:] == ("schedule", "run")


def test_each_data_dir_has_its_own_entry() -> None:
    assert osch.entry_name(None) == "kpadmin-charge-due"
    one, two = osch.entry_name(Path("/a")), osch.entry_name(Path("/b"))
    assert one != two and one.startswith("kpadmin-charge-due-") and len(one) == 27
    assert osch.launchd_label("kpadmin-charge-due") == "kr.kpadmin.charge-due"
    assert osch.launchd_label(one) == "kr.kpadmin.charge-due." + one.rsplit("-", 1)[1]


# --- Korean time where the scheduler needs local time -------------------------------------------


@pytest.mark.parametrize(
    ("zone", "on", "local"),
    [
        ("Asia/Seoul", date(2026, 1, 15), time(9, 30)),
        ("UTC", date(2026, 1, 15), time(0, 30)),
        ("Asia/Tokyo", date(2026, 7, 15), time(9, 30)),
        ("America/New_York", date(2026, 1, 15), time(19, 30)),  # the day before, EST
        ("America/New_York", date(2026, 7, 15), time(20, 30)),  # EDT
        ("Europe/Berlin", date(2026, 7, 15), time(2, 30)),
        ("Asia/Kolkata", date(2026, 3, 1), time(6, 0)),
    ],
)
def test_kst_to_local(zone: str, on: date, local: time) -> None:
    assert osch.kst_to_local(time(9, 30), ZoneInfo(zone), on) == local


def test_daylight_saving_is_noticed() -> None:
    assert osch.dst_shift(time(9, 30), ZoneInfo("America/New_York"), 2026) == (
        time(19, 30),
        time(20, 30),
    )
    assert osch.dst_shift(time(9, 30), ZoneInfo("Asia/Tokyo"), 2026) is None
    assert osch.dst_shift(time(9, 30), UTC, 2026) is None


# --- the three formats --------------------------------------------------------------------------


def test_systemd_units() -> None:
    units = osch.systemd_units(job())
    name = osch.entry_name(DATA)
    assert set(units) == {f"{name}.service", f"{name}.timer"}
    timer = units[f"{name}.timer"]
    assert "OnCalendar=*-*-* 09:30:00 Asia/Seoul\n" in timer
    assert "Persistent=true\n" in timer
    assert f"Unit={name}.service\n" in timer
    assert "WantedBy=timers.target" in timer
    service = units[f"{name}.service"]
    assert "Type=oneshot\n" in service
    (exec_line,) = [line for line in service.splitlines() if line.startswith("ExecStart=")]
    # No % or $ here, so systemd's quoting reads like the shell's.
    assert shlex.split(exec_line.removeprefix("ExecStart=")) == list(job().argv)


@pytest.mark.parametrize(
    ("arg", "quoted"),
    [
        ("plain", "plain"),
        ("with space", '"with space"'),
        ("100%", "100%%"),
        ("$HOME", "$$HOME"),
        ('say "hi"', '"say \\"hi\\""'),
        ("C:\\dir", '"C:\\\\dir"'),
        ("", '""'),
    ],
)
def test_systemd_quoting(arg: str, quoted: str) -> None:
    assert osch.systemd_quote(arg) == quoted


def test_task_scheduler_xml() -> None:
    data = osch.task_xml(job(at=time(7, 5)))
    assert data.startswith(b"\xff\xfe")  # UTF-16 with its byte order mark, as schtasks wants
    root = ET.fromstring(data.decode("utf-16"))
    assert root.tag == f"{{{osch.TASK_NS}}}Task"
    assert root.findtext("t:RegistrationInfo/t:URI", namespaces=NS) == (
        f"\\kpadmin\\{osch.entry_name(DATA)}"
    )
    trigger = root.find("t:Triggers/t:CalendarTrigger", NS)
    assert trigger is not None
    # The offset makes Task Scheduler fire at that instant, whatever the machine's zone.
    assert trigger.findtext("t:StartBoundary", namespaces=NS) == "2024-01-01T07:05:00+09:00"
    assert trigger.findtext("t:ScheduleByDay/t:DaysInterval", namespaces=NS) == "1"
    assert root.findtext("t:Settings/t:StartWhenAvailable", namespaces=NS) == "true"
    assert root.findtext("t:Settings/t:MultipleInstancesPolicy", namespaces=NS) == "IgnoreNew"
    assert root.findtext("t:Principals/t:Principal/t:LogonType", namespaces=NS) == (
        "InteractiveToken"
    )
    assert root.findtext("t:Actions/t:Exec/t:Command", namespaces=NS) == "/opt/py/bin/python3"
    arguments = root.findtext("t:Actions/t:Exec/t:Arguments", namespaces=NS)
    assert arguments == subprocess.list2cmdline(job().argv[1:])
    assert '"/srv/kpadmin data/가게 1"' in (arguments or "")


def test_launchd_plist() -> None:
    data = osch.launchd_plist(job(), ZoneInfo("America/New_York"), date(2026, 1, 15))
    plist = plistlib.loads(data)
    assert plist["Label"] == osch.launchd_label(osch.entry_name(DATA))
    assert plist["ProgramArguments"] == list(job().argv)
    assert plist["StartCalendarInterval"] == {"Hour": 19, "Minute": 30}
    assert plist["RunAtLoad"] is False
    seoul = plistlib.loads(osch.launchd_plist(job(), ZoneInfo("Asia/Seoul"), date(2026, 1, 15)))
    assert seoul["StartCalendarInterval"] == {"Hour": 9, "Minute": 30}


# --- install / remove / show with fake tools ----------------------------------------------------


def fake_tool(bin_dir: Path, name: str, *, exit_code: int = 0, output: str = "") -> Path:
    """A stand-in for a scheduler tool: records its arguments (one call a line) in
    ``<name>.calls``; for schtasks /Create it keeps the XML it was given."""
    bin_dir.mkdir(exist_ok=True)
    calls = bin_dir / f"{name}.calls"
    script = bin_dir / name
    script.write_text(
        f"""#!/bin/sh
printf '%s\\n' "$*" >> '{calls}'
if [ "$1" = "/Create" ]; then cp "$5" '{bin_dir}/task.xml'; fi
printf '%s' '{output}'
exit {exit_code}
""",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return calls


def calls(bin_dir: Path, name: str) -> list[str]:
    path = bin_dir / f"{name}.calls"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def host(tmp_path: Path, platform: Platform = Platform.LINUX, **kwargs: object) -> Host:
    (tmp_path / "bin").mkdir(exist_ok=True)
    return Host(
        platform=platform,
        home=tmp_path / "home",
        xdg_config_home=tmp_path / "xdg",
        path=str(tmp_path / "bin"),
        zone=ZoneInfo("Asia/Seoul"),
        today=date(2026, 3, 1),
        uid=501,
        **kwargs,  # type: ignore[arg-type]
    )


def test_linux_without_systemctl_writes_the_units_and_says_what_to_run(tmp_path: Path) -> None:
    machine = host(tmp_path)
    first = osch.install(job(), machine)
    name = osch.entry_name(DATA)
    units = tmp_path / "xdg" / "systemd" / "user"
    assert sorted(p.name for p in units.iterdir()) == [f"{name}.service", f"{name}.timer"]
    assert first.changed and first.installed
    assert first.todo == [
        "systemctl --user daemon-reload",
        f"systemctl --user enable --now {name}.timer",
    ]
    assert any("systemctl was not found" in line for line in first.lines)
    assert (units / f"{name}.timer").read_text(encoding="utf-8") == (
        osch.systemd_units(job())[f"{name}.timer"]
    )
    again = osch.install(job(), machine)
    assert not again.changed and "unchanged" in again.lines[0]
    later = osch.install(job(at=time(10, 0)), machine)
    assert later.changed
    assert "10:00:00 Asia/Seoul" in (units / f"{name}.timer").read_text(encoding="utf-8")
    shown = osch.show(name, machine)
    assert shown.installed and any("OnCalendar=*-*-* 10:00:00" in line for line in shown.lines)
    wants = units / "timers.target.wants"
    wants.mkdir()
    (wants / f"{name}.timer").symlink_to(units / f"{name}.timer")
    removed = osch.remove(name, machine)
    assert removed.changed and list(units.iterdir()) == [wants]
    assert list(wants.iterdir()) == []  # the enable link went with the unit
    assert removed.todo == [
        f"systemctl --user stop {name}.timer",
        "systemctl --user daemon-reload",
    ]
    calm = osch.remove(name, machine)
    assert not calm.changed and "nothing to remove" in calm.lines[0]
    assert not osch.show(name, machine).installed


def test_linux_with_systemctl_enables_and_disables_the_timer(tmp_path: Path) -> None:
    machine = host(tmp_path)
    fake_tool(tmp_path / "bin", "systemctl", output="NEXT LEFT LAST PASSED UNIT")
    name = osch.entry_name(None)
    installed = osch.install(job(None), machine)
    assert installed.todo == []
    assert calls(tmp_path / "bin", "systemctl") == [
        "--user daemon-reload",
        f"--user enable --now {name}.timer",
    ]
    osch.install(job(None), machine)  # idempotent: the same calls again, harmless
    shown = osch.show(name, machine)
    assert "NEXT LEFT LAST PASSED UNIT" in shown.lines
    osch.remove(name, machine)
    assert calls(tmp_path / "bin", "systemctl")[-3:] == [
        f"--user list-timers --all {name}.timer",
        f"--user disable --now {name}.timer",
        "--user daemon-reload",
    ]


def test_a_failing_systemctl_is_said_with_the_commands_to_run(tmp_path: Path) -> None:
    machine = host(tmp_path)
    fake_tool(
        tmp_path / "bin",
        "systemctl",
        exit_code=1,
        output="Failed to connect to bus: No medium found",
    )
    outcome = osch.install(job(None), machine)
    assert outcome.files and all(p.exists() for p in outcome.files)
    assert any("Failed to connect to bus" in line for line in outcome.lines)
    assert outcome.todo[0] == "systemctl --user daemon-reload"


def test_macos_writes_the_agent_and_loads_it(tmp_path: Path) -> None:
    machine = host(tmp_path, Platform.MACOS)
    machine = Host(**{**machine.__dict__, "zone": ZoneInfo("America/New_York")})
    fake_tool(tmp_path / "bin", "launchctl")
    name = osch.entry_name(None)
    label = osch.launchd_label(name)
    outcome = osch.install(job(None), machine)
    plist_path = tmp_path / "home" / "Library" / "LaunchAgents" / f"{label}.plist"
    assert outcome.files == [plist_path]
    plist = plistlib.loads(plist_path.read_bytes())
    # Mar 1 is still winter time in New York: 09:30 KST is 19:30 the evening before.
    assert plist["StartCalendarInterval"] == {"Hour": 19, "Minute": 30}
    assert any("daylight saving" in line for line in outcome.lines)
    assert calls(tmp_path / "bin", "launchctl") == [
        f"bootout gui/501/{label}",
        f"bootstrap gui/501 {plist_path}",
    ]
    assert "19:30" in osch.show(name, machine).lines[1]
    assert osch.remove(name, machine).changed and not plist_path.exists()
    assert calls(tmp_path / "bin", "launchctl")[-1] == f"bootout gui/501/{label}"
    assert not osch.remove(name, machine).changed


def test_windows_creates_the_task_from_the_xml(tmp_path: Path) -> None:
    machine = host(tmp_path, Platform.WINDOWS)
    fake_tool(tmp_path / "bin", "schtasks")
    name = osch.entry_name(DATA)
    outcome = osch.install(job(), machine)
    assert outcome.installed
    (create,) = calls(tmp_path / "bin", "schtasks")
    assert create.startswith(f"/Create /TN \\kpadmin\\{name} /XML ") and create.endswith(" /F")
    kept = (tmp_path / "bin" / "task.xml").read_bytes()
    assert kept == osch.task_xml(job())
    assert osch.remove(name, machine).changed
    assert calls(tmp_path / "bin", "schtasks")[-2:] == [
        f"/Query /TN \\kpadmin\\{name}",
        f"/Delete /TN \\kpadmin\\{name} /F",
    ]


def test_windows_remove_of_nothing_is_calm_and_a_refusal_is_an_error(tmp_path: Path) -> None:
    machine = host(tmp_path, Platform.WINDOWS)
    fake_tool(tmp_path / "bin", "schtasks", exit_code=1, output="ERROR: Access is denied.")
    assert not osch.remove("kpadmin-charge-due", machine).changed
    with pytest.raises(osch.ScheduleError, match="Access is denied"):
        osch.install(job(), machine)


def test_no_scheduler_tool_on_windows_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(osch.ScheduleError, match="schtasks was not found"):
        osch.install(job(), host(tmp_path, Platform.WINDOWS))
