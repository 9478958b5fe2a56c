"""The `kpadmin` command: the GUI by default, headless subcommands on the same core.

Each subcommand lives in its own module exposing ``configure(parser)`` and ``run(args) -> int``;
modules are imported only when their command runs, so `kpadmin reconcile` never loads Qt. Every
subcommand but the GUI runs inside `kpadmin.lifecycle.run_command` (log trail, calm stop).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from kpadmin import __version__, clock
from kpadmin.exitcodes import ExitCode

# command name -> (module, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "gui": ("kpadmin.gui.app", "open the desktop app (the default)"),
    "sandbox": (
        "kpadmin.sandbox.cli",
        "run the i'mport simulator (REST, iamport.js, Kakao Pay window)",
    ),
    "config": ("kpadmin.commands.config", "show or change settings"),
    "import": ("kpadmin.commands.import_csv", "import subscribers from a CSV file"),
    "export": ("kpadmin.commands.export_csv", "export subscribers or charges to CSV"),
    "report": ("kpadmin.commands.report", "the settlement report per Korean day, month and plan"),
    "plans": ("kpadmin.commands.plans", "the plans catalogue: list, add, change a price"),
    "charge-due": ("kpadmin.commands.charge_due", "charge every subscriber that is due"),
    "reconcile": ("kpadmin.commands.reconcile", "resolve unknown charge outcomes with i'mport"),
    "refund": ("kpadmin.commands.refund", "refund a paid charge (all that is left, or an amount)"),
    "db": ("kpadmin.commands.db", "copy this PC's database into a shared PostgreSQL database"),
    "schedule": (
        "kpadmin.commands.schedule",
        "install, remove or show the daily automatic charge-due in the OS scheduler",
    ),
    "notices": (
        "kpadmin.commands.notices",
        "list or send the customer notices (receipts, declines, past due, advance, price changes)",
    ),
    "selftest": ("kpadmin.gui.selftest", "run the whole journey offscreen against a sandbox"),
}


#: The commands that open the mode's database, for which ``--new-database`` means something.
OPENS_DATABASE = (
    "gui",
    "config",
    "import",
    "export",
    "report",
    "plans",
    "charge-due",
    "reconcile",
    "refund",
    "notices",
)
_NEW_DATABASE_HELP = (
    "when this data folder's database is missing (deleted, or 0 bytes), start with an empty one "
    "on purpose; without it kpadmin refuses, so a lost database is noticed"
)


def build_parser(chosen: str | None) -> argparse.ArgumentParser:
    """The full parser; only the chosen subcommand's module is imported to add its options."""
    parser = argparse.ArgumentParser(prog="kpadmin", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"kpadmin {__version__}")
    parser.add_argument(
        "--data-dir",
        default=None,
        help="where kpadmin keeps its data (default: env KPADMIN_DATA_DIR, else the user data dir)",
    )
    parser.add_argument("--new-database", action="store_true", help=_NEW_DATABASE_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text)
        command_parser.set_defaults(_module=module_name)
        if name in OPENS_DATABASE:
            # Also accepted after the command (`kpadmin charge-due --new-database`); SUPPRESS keeps
            # the global value when it is not given here.
            command_parser.add_argument(
                "--new-database",
                action="store_true",
                default=argparse.SUPPRESS,
                help=_NEW_DATABASE_HELP,
            )
        if name == chosen:
            importlib.import_module(module_name).configure(command_parser)
    return parser


#: Options of `kpadmin` itself that take a value (argparse also takes a unique prefix of them).
_GLOBAL_OPTIONS_WITH_VALUE = ("--data-dir",)


def _takes_value(option: str) -> bool:
    name = option.split("=", 1)[0]
    if "=" in option or not name.startswith("--") or len(name) < 3:
        return False
    return any(full.startswith(name) for full in _GLOBAL_OPTIONS_WITH_VALUE)


def _first_positional(argv: Sequence[str]) -> int | None:
    """Index of the first argument that is neither a global option nor an option's value."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("-") and arg not in ("-", "--"):  # argparse takes no command after --
            i += 2 if _takes_value(arg) else 1
            continue
        return i
    return None


def chosen_command(argv: Sequence[str]) -> str:
    """The subcommand the arguments name: the first positional argument after the global options
    and their values (``--data-dir export`` is a data dir, not the export command); the GUI when
    there is none. An unknown name is returned as it is, for argparse to refuse."""
    index = _first_positional(argv)
    return "gui" if index is None else argv[index]


class _ReaderMayLeave:
    """stdout for a reader that may go away early (``kpadmin charge-due --dry-run | head -1``).

    The first write after the reader closed the pipe (EPIPE) points file descriptor 1 at the null
    device and the rest of the output is discarded: no traceback, no "Broken pipe" error, and
    the command finishes as it would have — a batch is recorded in full, and the exit code is the
    outcome's, exactly as with a reader that read everything. Everything else is delegated.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.reader_left = False

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._discard_from_now_on()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._discard_from_now_on()

    def _discard_from_now_on(self) -> None:
        self.reader_left = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, self._stream.fileno())
        finally:
            os.close(devnull)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    chosen: str | None = chosen_command(args_in)
    if _first_positional(args_in) is None:
        if any(a in ("-h", "--help", "--version") for a in args_in):
            chosen = None  # top-level help or version: import no subcommand at all
        else:
            args_in.append("gui")
    elif chosen not in SUBCOMMANDS:
        chosen = None  # argparse says "invalid choice" and lists the commands
    args = build_parser(chosen).parse_args(args_in)
    if args.command is None:  # only `--help`/`--version` get here, and they exit first
        return 0
    try:
        fake = clock.check_env()
    except clock.ClockError as exc:
        print(f"kpadmin: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    if fake is not None:
        print(
            f"kpadmin: {clock.ENV_VAR} is set: the clock starts at {fake.isoformat()} "
            "(tests and training only; refused in live mode).",
            file=sys.stderr,
        )
    run = importlib.import_module(args._module).run
    stdout = sys.stdout
    sys.stdout = _ReaderMayLeave(stdout)
    try:
        if args.command == "gui":  # Qt owns signals and sets up its own log
            result: int = run(args)
            return result
        from kpadmin import lifecycle

        # Every headless command: a trail in the rotating log and a calm Ctrl+C/SIGTERM. Not the
        # selftest: it runs Qt's loop (where a raising signal handler would only print a
        # traceback) in a temporary data dir of its own, and never writes to the user's (not even
        # a log).
        own_world = args.command == "selftest"
        return lifecycle.run_command(args, run, signals=not own_world, trail=not own_world)
    finally:
        # Once the reader left, fd 1 is the null device, so the final flush is calm too.
        sys.stdout = stdout


if __name__ == "__main__":
    raise SystemExit(main())
