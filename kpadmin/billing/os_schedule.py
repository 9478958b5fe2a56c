"""The daily automatic run in the operating system's scheduler: a systemd user timer on Linux, a
Task Scheduler task on Windows, a launchd agent on macOS (`kpadmin schedule install|remove|show`).

The entry runs ``kpadmin [--data-dir DIR] schedule run`` — the frozen ``kpadmin-cli`` next to the
running executable when frozen, else ``<this python> -m kpadmin`` — which checks the settings at
run time (``auto_charge_time`` still on; LIVE only with ``auto_charge_live``) and then runs the
headless ``charge-due --yes``. Like every command it writes to kpadmin's rotating log; the
scheduler's own output (journal, Task Scheduler history) gets only its console lines.

Time: ``auto_charge_time`` is Korean time (Asia/Seoul, which has no daylight saving).
- systemd: ``OnCalendar=*-*-* HH:MM:00 Asia/Seoul`` — systemd converts (v235+), whatever the
  machine's zone; ``Persistent=true`` makes up a run missed while the computer was off.
- Windows: a daily trigger whose start carries the offset (``…T09:00:00+09:00``): Task
  Scheduler then fires at that instant whatever the machine's zone and its daylight saving
  ("synchronize across time zones"); ``StartWhenAvailable`` makes up a missed run. The task runs
  as the logged-on user (it needs the user's Credential Manager for the keys).
- launchd knows only the Mac's local wall time: the Korean time is converted when the entry is
  written. If the Mac's zone has daylight saving, the run moves by an hour against Korean time
  for part of the year; `install` says so, and running it again after the change corrects it.

Several data dirs on one computer each get their own entry (the name carries a short hash of an
explicit data dir). Nothing here asks before it acts: the command does.
"""

from __future__ import annotations

import enum
import hashlib
import os
import plistlib
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kpadmin import clock

SEOUL: Final = ZoneInfo("Asia/Seoul")
BASE_NAME: Final = "kpadmin-charge-due"
LAUNCHD_PREFIX: Final = "kr.kpadmin.charge-due"
TASK_FOLDER: Final = "kpadmin"
#: Task Scheduler needs a start date; any date in the past will do (it carries the +09:00).
TASK_START_DATE: Final = "2024-01-01"
TASK_NS: Final = "http://schemas.microsoft.com/windows/2004/02/mit/task"
DESCRIPTION: Final = "kpadmin: charge every subscriber that is due (the daily automatic run)"
#: How long a run may take before the scheduler stops it.
TIME_LIMIT_HOURS: Final = 2


class Platform(enum.StrEnum):
    LINUX = "linux"
    WINDOWS = "windows"
    MACOS = "macos"


class ScheduleError(RuntimeError):
    """The entry cannot be written or the scheduler refused it (the message says what to do)."""


def current_platform() -> Platform:
    if sys.platform == "win32":
        return Platform.WINDOWS
    if sys.platform == "darwin":
        return Platform.MACOS
    return Platform.LINUX


# --- what runs, and when ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Job:
    """The command the scheduler runs and its Korean time of day."""

    argv: tuple[str, ...]
    kst_time: time
    data_dir: Path | None = None

    @property
    def name(self) -> str:
        return entry_name(self.data_dir)


def parse_kst_time(text: str) -> time:
    """``"HH:MM"`` (the ``auto_charge_time`` setting, already checked) → a time of day."""
    hours, _, minutes = text.partition(":")
    return time(int(hours), int(minutes))


def job_command(
    data_dir: Path | None,
    *,
    frozen: bool | None = None,
    executable: str | None = None,
    platform: Platform | None = None,
) -> tuple[str, ...]:
    """The scheduled command line: the frozen ``kpadmin-cli`` beside the running executable, or
    this Python with ``-m kpadmin``; ``--data-dir`` when one was chosen; then ``schedule run``."""
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    executable = executable or sys.executable
    platform = platform or current_platform()
    if frozen:
        suffix = ".exe" if platform is Platform.WINDOWS else ""
        head: tuple[str, ...] = (str(Path(executable).with_name(f"kpadmin-cli{suffix}")),)
    else:
        head = (executable, "-m", "kpadmin")
    extra = ("--data-dir", str(data_dir)) if data_dir is not None else ()
    return (*head, *extra, "schedule", "run")


def entry_name(data_dir: Path | None) -> str:
    """``kpadmin-charge-due``, or with a short hash of an explicit data dir (one entry each)."""
    if data_dir is None:
        return BASE_NAME
    digest = hashlib.sha256(str(data_dir).encode()).hexdigest()[:8]
    return f"{BASE_NAME}-{digest}"


def kst_to_local(kst: time, zone: tzinfo, on: date) -> time:
    """The local wall time in ``zone`` of ``kst`` (Korean time) on the Korean date ``on``."""
    moment = datetime.combine(on, kst, tzinfo=SEOUL).astimezone(zone)
    return time(moment.hour, moment.minute)


def dst_shift(kst: time, zone: tzinfo, year: int) -> tuple[time, time] | None:
    """(winter, summer) local times of ``kst`` when ``zone`` has daylight saving, else None."""
    winter = kst_to_local(kst, zone, date(year, 1, 15))
    summer = kst_to_local(kst, zone, date(year, 7, 15))
    return None if winter == summer else (winter, summer)


def local_zone() -> tzinfo:
    """This computer's time zone, with its daylight-saving rules when they can be found
    (``TZ``, or where /etc/localtime points); else today's fixed offset."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    fixed = clock.system_clock().astimezone().tzinfo  # the zone's offset now, not a date
    assert fixed is not None
    return fixed


# --- the three formats --------------------------------------------------------------------------


def systemd_quote(arg: str) -> str:
    """One argument for ``ExecStart=``: specifiers (%) and variables ($) taken literally,
    double quotes when it has spaces, quotes or backslashes."""
    escaped = arg.replace("%", "%%").replace("$", "$$")
    if escaped and not any(ch in escaped for ch in " \t\"\\'"):
        return escaped
    return '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'


def systemd_units(job: Job) -> dict[str, str]:
    """The ``.service`` and ``.timer`` files, by file name."""
    hhmm = f"{job.kst_time.hour:02d}:{job.kst_time.minute:02d}"
    command = " ".join(systemd_quote(a) for a in job.argv)
    service = f"""[Unit]
Description={DESCRIPTION}

[Service]
Type=oneshot
ExecStart={command}
TimeoutStartSec={TIME_LIMIT_HOURS}h
"""
    timer = f"""[Unit]
Description=kpadmin: the daily automatic charge-due at {hhmm} Korean time

[Timer]
OnCalendar=*-*-* {hhmm}:00 Asia/Seoul
Persistent=true
AccuracySec=1min
Unit={job.name}.service

[Install]
WantedBy=timers.target
"""
    return {f"{job.name}.service": service, f"{job.name}.timer": timer}


def task_name(job_name: str) -> str:
    return f"\\{TASK_FOLDER}\\{job_name}"


def task_xml(job: Job) -> bytes:
    """Task Scheduler's XML (UTF-16, as ``schtasks /Create /XML`` reads it)."""
    ET.register_namespace("", TASK_NS)

    def el(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
        child = ET.SubElement(parent, f"{{{TASK_NS}}}{tag}")
        if text is not None:
            child.text = text
        return child

    root = ET.Element(f"{{{TASK_NS}}}Task", {"version": "1.2"})
    info = el(root, "RegistrationInfo")
    el(
        info,
        "Description",
        "kpadmin: charge every subscriber that is due (the daily automatic run)",
    )
    el(info, "URI", task_name(job.name))
    trigger = el(el(root, "Triggers"), "CalendarTrigger")
    hhmm = f"{job.kst_time.hour:02d}:{job.kst_time.minute:02d}"
    el(trigger, "StartBoundary", f"{TASK_START_DATE}T{hhmm}:00+09:00")
    el(trigger, "Enabled", "true")
    el(el(trigger, "ScheduleByDay"), "DaysInterval", "1")
    principal = el(el(root, "Principals"), "Principal", None)
    principal.set("id", "Author")
    el(principal, "LogonType", "InteractiveToken")
    el(principal, "RunLevel", "LeastPrivilege")
    settings = el(root, "Settings")
    for tag, text in (
        ("MultipleInstancesPolicy", "IgnoreNew"),
        ("DisallowStartIfOnBatteries", "false"),
        ("StopIfGoingOnBatteries", "false"),
        ("StartWhenAvailable", "true"),
        ("RunOnlyIfNetworkAvailable", "true"),
        ("ExecutionTimeLimit", f"PT{TIME_LIMIT_HOURS}H"),
        ("Enabled", "true"),
    ):
        el(settings, tag, text)
    actions = el(root, "Actions")
    actions.set("Context", "Author")
    exec_ = el(actions, "Exec")
    el(exec_, "Command", job.argv[0])
    el(exec_, "Arguments", subprocess.list2cmdline(job.argv[1:]))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-16"?>\n' + body + "\n").encode("utf-16")


def launchd_label(job_name: str) -> str:
    return LAUNCHD_PREFIX + job_name.removeprefix(BASE_NAME).replace("-", ".")


def launchd_plist(job: Job, zone: tzinfo, on: date) -> bytes:
    """The launch agent; its hour and minute are the Mac's local time of the Korean time on
    ``on`` (launchd has no time zones)."""
    local = kst_to_local(job.kst_time, zone, on)
    return plistlib.dumps(
        {
            "Label": launchd_label(job.name),
            "ProgramArguments": list(job.argv),
            "StartCalendarInterval": {"Hour": local.hour, "Minute": local.minute},
            "ProcessType": "Background",
            "RunAtLoad": False,
        }
    )


# --- install / remove / show ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Completed:
    returncode: int
    output: str


Runner = Callable[[Sequence[str]], Completed]


def run_command(argv: Sequence[str]) -> Completed:
    """Run a scheduler tool; its output for the message when it fails."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Completed(127, str(exc))
    return Completed(done.returncode, (done.stdout + done.stderr).strip())


@dataclass(frozen=True)
class Host:
    """Everything of the computer the entry touches (tests pass their own)."""

    platform: Platform
    home: Path
    xdg_config_home: Path
    path: str  # PATH, where systemctl / schtasks / launchctl are looked for
    zone: tzinfo
    today: date  # the Korean date for launchd's conversion
    uid: int | None = None
    run: Runner = run_command

    @classmethod
    def this_computer(cls, today: date) -> Host:
        home = Path.home()
        xdg = os.environ.get("XDG_CONFIG_HOME") or str(home / ".config")
        return cls(
            platform=current_platform(),
            home=home,
            xdg_config_home=Path(xdg),
            path=os.environ.get("PATH", os.defpath),
            zone=local_zone(),
            today=today,
            uid=os.getuid() if hasattr(os, "getuid") else None,
        )

    def tool(self, name: str) -> str | None:
        return shutil.which(name, path=self.path)

    @property
    def systemd_dir(self) -> Path:
        return self.xdg_config_home / "systemd" / "user"

    @property
    def launch_agents(self) -> Path:
        return self.home / "Library" / "LaunchAgents"


@dataclass
class Outcome:
    """What install / remove / show did: lines to print, and commands left for the user."""

    changed: bool = False
    installed: bool = False
    lines: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.lines.append(line)


def install(job: Job, host: Host) -> Outcome:
    match host.platform:
        case Platform.LINUX:
            return _install_systemd(job, host)
        case Platform.WINDOWS:
            return _install_task(job, host)
        case Platform.MACOS:
            return _install_launchd(job, host)


def remove(job_name: str, host: Host) -> Outcome:
    match host.platform:
        case Platform.LINUX:
            return _remove_systemd(job_name, host)
        case Platform.WINDOWS:
            return _remove_task(job_name, host)
        case Platform.MACOS:
            return _remove_launchd(job_name, host)


def show(job_name: str, host: Host) -> Outcome:
    match host.platform:
        case Platform.LINUX:
            return _show_systemd(job_name, host)
        case Platform.WINDOWS:
            return _show_task(job_name, host)
        case Platform.MACOS:
            return _show_launchd(job_name, host)


def _write(path: Path, content: bytes) -> bool:
    """Write atomically; False when the file already held exactly this."""
    try:
        if path.read_bytes() == content:
            return False
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise ScheduleError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".kpadmin-", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except OSError as exc:
        raise ScheduleError(f"cannot write {path}: {exc.strerror or exc}") from None
    return True


def _shell(argv: Sequence[str]) -> str:
    if os.name == "nt":
        return subprocess.list2cmdline(list(argv))
    import shlex

    return shlex.join(argv)


def _step(host: Host, outcome: Outcome, argv: list[str], tool: str | None) -> bool:
    """Run one scheduler command, or say what to run when the tool is missing or fails."""
    if tool is None:
        outcome.todo.append(_shell(argv))
        return False
    done = host.run([tool, *argv[1:]])
    if done.returncode != 0:
        outcome.say(f"`{_shell(argv)}` failed ({done.returncode}): {done.output[:300]}")
        outcome.todo.append(_shell(argv))
        return False
    return True


def _steps(host: Host, outcome: Outcome, steps: list[list[str]], tool: str | None) -> bool:
    """Run the commands in order; after the first that cannot run, list the rest for the user."""
    ok = True
    for argv in steps:
        if ok:
            ok = _step(host, outcome, argv, tool)
        else:
            outcome.todo.append(_shell(argv))
    return ok


# Linux: systemd user units ---------------------------------------------------------------------


def _install_systemd(job: Job, host: Host) -> Outcome:
    outcome = Outcome(installed=True)
    for file_name, text in systemd_units(job).items():
        path = host.systemd_dir / file_name
        outcome.changed |= _write(path, text.encode())
        outcome.files.append(path)
    hhmm = f"{job.kst_time.hour:02d}:{job.kst_time.minute:02d}"
    verb = "written" if outcome.changed else "unchanged"
    outcome.say(f"systemd user timer {job.name}.timer {verb}: every day at {hhmm} Korean time")
    outcome.say(f"  files: {', '.join(str(p) for p in outcome.files)}")
    tool = host.tool("systemctl")
    ok = _steps(
        host,
        outcome,
        [
            ["systemctl", "--user", "daemon-reload"],
            ["systemctl", "--user", "enable", "--now", f"{job.name}.timer"],
        ],
        tool,
    )
    if ok:
        outcome.say(f"  enabled: systemctl --user list-timers {job.name}.timer")
    elif tool is None:
        outcome.say("  systemctl was not found; to start the timer, run:")
    else:
        outcome.say("  to start the timer, run:")
    outcome.say(
        "  note: a user timer runs while you are logged in; to run it without a login, "
        "`loginctl enable-linger` (once)."
    )
    return outcome


def _remove_systemd(job_name: str, host: Host) -> Outcome:
    outcome = Outcome()
    timer = f"{job_name}.timer"
    paths = [host.systemd_dir / timer, host.systemd_dir / f"{job_name}.service"]
    # What `systemctl --user enable` made; left behind it would point at nothing.
    wanted = host.systemd_dir / "timers.target.wants" / timer
    present = [p for p in paths if p.exists()]
    if not present:
        outcome.say(f"no systemd user timer {timer} is installed: nothing to remove")
        return outcome
    tool = host.tool("systemctl")
    # Disabled while its files are still there (systemctl needs them to know what to undo).
    done = host.run([tool, "--user", "disable", "--now", timer]) if tool else None
    for path in [*present, *([wanted] if wanted.is_symlink() else [])]:
        try:
            path.unlink()
        except OSError as exc:
            raise ScheduleError(f"cannot remove {path}: {exc.strerror or exc}") from None
    outcome.changed = True
    outcome.say(f"systemd user timer {timer} removed ({', '.join(map(str, present))})")
    if done is not None and done.returncode == 0:
        _step(host, outcome, ["systemctl", "--user", "daemon-reload"], tool)
    else:
        if done is not None:
            outcome.say(f"`systemctl --user disable --now {timer}` failed: {done.output[:300]}")
        outcome.todo += [
            _shell(["systemctl", "--user", "stop", timer]),
            _shell(["systemctl", "--user", "daemon-reload"]),
        ]
    if outcome.todo:
        outcome.say("  to stop it in the running systemd, run:")
    return outcome


def _show_systemd(job_name: str, host: Host) -> Outcome:
    outcome = Outcome()
    timer = host.systemd_dir / f"{job_name}.timer"
    service = host.systemd_dir / f"{job_name}.service"
    if not timer.exists():
        outcome.say(f"no systemd user timer {job_name}.timer ({timer} does not exist)")
        return outcome
    outcome.installed = True
    outcome.files = [timer, service]
    for path in outcome.files:
        outcome.say(f"--- {path}")
        try:
            outcome.lines.extend(path.read_text(encoding="utf-8").rstrip().splitlines())
        except OSError as exc:
            outcome.say(f"(cannot read it: {exc.strerror or exc})")
    tool = host.tool("systemctl")
    if tool is not None:
        done = host.run([tool, "--user", "list-timers", "--all", f"{job_name}.timer"])
        if done.returncode == 0 and done.output:
            outcome.say("--- systemctl --user list-timers")
            outcome.lines.extend(done.output.splitlines())
    return outcome


# Windows: Task Scheduler ------------------------------------------------------------------------


def _install_task(job: Job, host: Host) -> Outcome:
    outcome = Outcome(installed=True, changed=True)
    name = task_name(job.name)
    hhmm = f"{job.kst_time.hour:02d}:{job.kst_time.minute:02d}"
    tool = host.tool("schtasks")
    if tool is None:
        raise ScheduleError("schtasks was not found: is this Windows?")
    with tempfile.TemporaryDirectory(prefix="kpadmin-task-") as folder:
        xml_path = Path(folder) / f"{job.name}.xml"
        xml_path.write_bytes(task_xml(job))
        # /F replaces a task of that name: installing twice is the same as once.
        done = host.run([tool, "/Create", "/TN", name, "/XML", str(xml_path), "/F"])
    if done.returncode != 0:
        raise ScheduleError(f"schtasks could not create {name}: {done.output[:300]}")
    outcome.say(f"Task Scheduler task {name}: every day at {hhmm} Korean time")
    return outcome


def _remove_task(job_name: str, host: Host) -> Outcome:
    outcome = Outcome()
    name = task_name(job_name)
    tool = host.tool("schtasks")
    if tool is None:
        raise ScheduleError("schtasks was not found: is this Windows?")
    if host.run([tool, "/Query", "/TN", name]).returncode != 0:
        outcome.say(f"no Task Scheduler task {name}: nothing to remove")
        return outcome
    done = host.run([tool, "/Delete", "/TN", name, "/F"])
    if done.returncode != 0:
        raise ScheduleError(f"schtasks could not delete {name}: {done.output[:300]}")
    outcome.changed = True
    outcome.say(f"Task Scheduler task {name} removed")
    return outcome


def _show_task(job_name: str, host: Host) -> Outcome:
    outcome = Outcome()
    name = task_name(job_name)
    tool = host.tool("schtasks")
    done = host.run([tool, "/Query", "/TN", name, "/XML", "ONE"]) if tool else None
    if done is None or done.returncode != 0:
        outcome.say(f"no Task Scheduler task {name}")
        return outcome
    outcome.installed = True
    outcome.say(f"--- Task Scheduler task {name}")
    outcome.lines.extend(done.output.splitlines())
    return outcome


# macOS: launchd ---------------------------------------------------------------------------------


def _domain(host: Host) -> str:
    return f"gui/{host.uid if host.uid is not None else os.getuid()}"


def _install_launchd(job: Job, host: Host) -> Outcome:
    outcome = Outcome(installed=True)
    label = launchd_label(job.name)
    path = host.launch_agents / f"{label}.plist"
    outcome.changed = _write(path, launchd_plist(job, host.zone, host.today))
    outcome.files.append(path)
    local = kst_to_local(job.kst_time, host.zone, host.today)
    hhmm = f"{job.kst_time.hour:02d}:{job.kst_time.minute:02d}"
    outcome.say(
        f"launch agent {label} {'written' if outcome.changed else 'unchanged'}: every day at "
        f"{hhmm} Korean time = {local.hour:02d}:{local.minute:02d} on this Mac ({path})"
    )
    shift = dst_shift(job.kst_time, host.zone, host.today.year)
    if shift is not None:
        outcome.say(
            f"  note: this Mac's time zone has daylight saving ({shift[0]:%H:%M} in winter, "
            f"{shift[1]:%H:%M} in summer for {hhmm} Korean time); launchd keeps the local time, "
            "so run `kpadmin schedule install` again after each change."
        )
    tool = host.tool("launchctl")
    if tool is not None:
        host.run([tool, "bootout", f"{_domain(host)}/{label}"])  # not loaded yet is fine
    if not _step(host, outcome, ["launchctl", "bootstrap", _domain(host), str(path)], tool):
        outcome.say("  to load it, run:")
    return outcome


def _remove_launchd(job_name: str, host: Host) -> Outcome:
    outcome = Outcome()
    label = launchd_label(job_name)
    path = host.launch_agents / f"{label}.plist"
    if not path.exists():
        outcome.say(f"no launch agent {label}: nothing to remove")
        return outcome
    tool = host.tool("launchctl")
    if tool is not None:
        host.run([tool, "bootout", f"{_domain(host)}/{label}"])
    try:
        path.unlink()
    except OSError as exc:
        raise ScheduleError(f"cannot remove {path}: {exc.strerror or exc}") from None
    outcome.changed = True
    outcome.say(f"launch agent {label} removed ({path})")
    return outcome


def _show_launchd(job_name: str, host: Host) -> Outcome:
    outcome = Outcome()
    label = launchd_label(job_name)
    path = host.launch_agents / f"{label}.plist"
    try:
        data = plistlib.loads(path.read_bytes())
    except FileNotFoundError:
        outcome.say(f"no launch agent {label} ({path} does not exist)")
        return outcome
    except (OSError, plistlib.InvalidFileException) as exc:
        raise ScheduleError(f"cannot read {path}: {exc}") from None
    outcome.installed = True
    outcome.files = [path]
    when = data.get("StartCalendarInterval", {})
    outcome.say(f"--- {path}")
    outcome.say(
        f"every day at {when.get('Hour', 0):02d}:{when.get('Minute', 0):02d} (this Mac's time): "
        f"{_shell(data.get('ProgramArguments', []))}"
    )
    return outcome
