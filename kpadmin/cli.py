"""The `kpadmin` command: the GUI by default, headless subcommands on the same core.

Each subcommand lives in its own module exposing ``configure(parser)`` and ``run(args) -> int``;
modules are imported only when their command runs, so `kpadmin reconcile` never loads Qt. Every
subcommand but the GUI runs inside `kpadmin.lifecycle.run_command` (log trail, calm stop).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kpadmin import __version__

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
    "charge-due": ("kpadmin.commands.charge_due", "charge every subscriber that is due"),
    "reconcile": ("kpadmin.commands.reconcile", "resolve unknown charge outcomes with i'mport"),
    "schedule": (
        "kpadmin.commands.schedule",
        "install, remove or show the daily automatic charge-due in the OS scheduler",
    ),
    "selftest": ("kpadmin.gui.selftest", "run the whole journey offscreen against a sandbox"),
}


#: The commands that open the mode's database, for which ``--new-database`` means something.
OPENS_DATABASE = ("gui", "config", "import", "export", "charge-due", "reconcile")
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


def chosen_command(argv: Sequence[str]) -> str:
    """The first argument naming a subcommand; the GUI when there is none."""
    return next((arg for arg in argv if arg in SUBCOMMANDS), "gui")


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    chosen: str | None = chosen_command(args_in)
    if chosen not in args_in:
        if any(a in ("-h", "--help", "--version") for a in args_in):
            chosen = None  # top-level help or version: import no subcommand at all
        else:
            args_in.append("gui")
    args = build_parser(chosen).parse_args(args_in)
    if args.command is None:  # only `--help`/`--version` get here, and they exit first
        return 0
    run = importlib.import_module(args._module).run
    if args.command == "gui":  # Qt owns signals and sets up its own log
        result: int = run(args)
        return result
    from kpadmin import lifecycle

    # Every headless command: a trail in the rotating log and a calm Ctrl+C/SIGTERM. Not the
    # selftest: it runs Qt's loop (where a raising signal handler would only print a traceback)
    # in a temporary data dir of its own, and never writes to the user's (not even a log).
    own_world = args.command == "selftest"
    return lifecycle.run_command(args, run, signals=not own_world, trail=not own_world)


if __name__ == "__main__":
    raise SystemExit(main())
