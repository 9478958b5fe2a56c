"""`kpadmin schedule install|remove|show|run`: the daily automatic charge-due in the operating
system's scheduler (kpadmin.billing.os_schedule: a systemd user timer on Linux, a Task Scheduler
task on Windows, a launchd agent on macOS).

``install`` writes the entry for ``auto_charge_time`` (Korean time; installing again replaces it,
so after changing the time, install again). It refuses while ``auto_charge_time`` is off, and in
LIVE mode unless ``auto_charge_live`` is true. ``remove`` takes it away (calmly, when there is
none). ``show`` prints the setting and what the scheduler holds.

``run`` is what the entry runs: it checks the settings *now* — ``auto_charge_time`` turned off
means nothing is charged (exit 0); LIVE without ``auto_charge_live`` is refused (exit 2) — and
then runs ``charge-due --yes`` with its exit codes. Everything goes to the rotating log, like
every command.

Exit codes (`kpadmin.exitcodes`): 0 done, 2 refused, 3 the settings file cannot be used, 9 the
scheduler could not be changed; ``run``: charge-due's.
"""

from __future__ import annotations

import argparse
import logging
import os
import shlex
import subprocess
import sys
from pathlib import Path

from kpadmin import paths
from kpadmin import runtime as rt
from kpadmin.billing import os_schedule
from kpadmin.billing import settings as st
from kpadmin.exitcodes import ExitCode

log = logging.getLogger(__name__)


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="schedule_action", metavar="ACTION", required=True)
    actions.add_parser(
        "install",
        help="write the OS scheduler's entry for the daily run at auto_charge_time",
        description="Write the operating system scheduler's entry that runs charge-due every day "
        "at auto_charge_time (Korean time): a systemd user timer on Linux, a Task Scheduler "
        "task on Windows, a launch agent on macOS. Installing again replaces it.",
    )
    actions.add_parser("remove", help="remove the OS scheduler's entry")
    actions.add_parser("show", help="print the setting and the OS scheduler's entry")
    actions.add_parser(
        "run",
        help="what the OS scheduler runs: charge-due --yes, if the settings still allow it",
    )


def explicit_data_dir(args: argparse.Namespace) -> Path | None:
    """The data dir to write into the entry: the one chosen by --data-dir or KPADMIN_DATA_DIR
    (absolute: the scheduler starts elsewhere), or None for the default one."""
    chosen = args.data_dir or os.environ.get(paths.DATA_DIR_ENV)
    return Path(chosen).expanduser().resolve() if chosen else None


def run(args: argparse.Namespace) -> int:
    try:
        runtime = rt.open_runtime(args.data_dir)
    except st.SettingsFileError as exc:
        return _fail(str(exc), ExitCode.SETTINGS)
    except rt.EXPECTED_ERRORS as exc:
        return _fail(rt.explain(exc), ExitCode.USAGE)
    settings = runtime.settings
    data_dir = explicit_data_dir(args)
    action = args.schedule_action
    if action == "run":
        return _run(args, settings)
    host = os_schedule.Host.this_computer(today=runtime.today())
    try:
        if action == "install":
            return _install(settings, data_dir, host)
        if action == "remove":
            outcome = os_schedule.remove(os_schedule.entry_name(data_dir), host)
            _print(outcome)
            if outcome.changed:
                log.info("the OS scheduler's entry was removed")
            return ExitCode.OK
        return _show(settings, data_dir, host)
    except os_schedule.ScheduleError as exc:
        return _fail(str(exc), ExitCode.SCHEDULER)


def _fail(message: str, code: int) -> int:
    print(f"kpadmin schedule: {message}", file=sys.stderr)
    return code


def _print(outcome: os_schedule.Outcome) -> None:
    for line in outcome.lines:
        print(line)
    for command in outcome.todo:
        print(f"    {command}")


def _refusal(settings: st.Settings) -> str | None:
    """Why an automatic run must not charge with these settings (None: it may)."""
    if settings.auto_charge_time is None:
        return (
            "automatic runs are off (auto_charge_time is off); set the time with "
            "`kpadmin config set auto_charge_time 09:00`"
        )
    if settings.mode == "live" and not settings.auto_charge_live:
        return (
            "LIVE mode: an automatic run takes real money, and auto_charge_live is false; "
            "`kpadmin config set auto_charge_live true` allows it"
        )
    return None


def _install(settings: st.Settings, data_dir: Path | None, host: os_schedule.Host) -> int:
    refusal = _refusal(settings)
    if refusal is not None or settings.auto_charge_time is None:
        return _fail(f"not installed: {refusal}", ExitCode.USAGE)
    job = os_schedule.Job(
        argv=os_schedule.job_command(data_dir),
        kst_time=os_schedule.parse_kst_time(settings.auto_charge_time),
        data_dir=data_dir,
    )
    outcome = os_schedule.install(job, host)
    _print(outcome)
    print(f"  runs: {_shell(job.argv)}")
    log.info(
        "the OS scheduler's entry %s for %s Korean time was %s (%s mode)",
        job.name,
        settings.auto_charge_time,
        "written" if outcome.changed else "already there",
        settings.mode,
    )
    return ExitCode.OK


def _show(settings: st.Settings, data_dir: Path | None, host: os_schedule.Host) -> int:
    when = settings.auto_charge_time or "off"
    live = " (LIVE: allowed)" if settings.auto_charge_live else ""
    print(f"auto_charge_time: {when}{' Korean time' if settings.auto_charge_time else ''}{live}")
    if settings.mode == "live" and not settings.auto_charge_live:
        print("LIVE mode and auto_charge_live is false: an automatic run charges nobody")
    outcome = os_schedule.show(os_schedule.entry_name(data_dir), host)
    _print(outcome)
    if not outcome.installed and settings.auto_charge_time:
        print("`kpadmin schedule install` writes it.")
    if outcome.installed and not settings.auto_charge_time:
        print(
            "auto_charge_time is off: the entry runs but charges nobody; `kpadmin schedule remove`"
        )
    return ExitCode.OK


def _shell(argv: tuple[str, ...]) -> str:
    return subprocess.list2cmdline(list(argv)) if os.name == "nt" else shlex.join(argv)


def _run(args: argparse.Namespace, settings: st.Settings) -> int:
    refusal = _refusal(settings)
    if refusal is not None:
        print(f"kpadmin schedule run: nothing charged: {refusal}", file=sys.stderr)
        return ExitCode.OK if settings.auto_charge_time is None else ExitCode.USAGE
    log.info("the daily automatic run: charge-due --yes (%s mode)", settings.mode)
    from kpadmin import cli
    from kpadmin.commands import charge_due

    argv = ["--data-dir", args.data_dir] if args.data_dir else []
    charge_args = cli.build_parser("charge-due").parse_args([*argv, "charge-due", "--yes"])
    return charge_due.run(charge_args)
