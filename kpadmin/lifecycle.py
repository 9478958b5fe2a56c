"""What every headless command does around its own work: a trail in the log, a calm stop.

`run_command(args, run)` (called by `kpadmin.cli` for every subcommand but the GUI):

* sets up the rotating, redacted log (`kpadmin.logs`) of the data dir, so a scheduled
  `charge-due` at 03:00 leaves a trail: the start (command and flags, never a value: a
  `config set imp_secret VALUE` must not put the secret in the file), every line the command
  prints on stderr (its errors and warnings, copied into the file), and the outcome (exit code);
  an unexpected exception is written with its traceback before it propagates;
* installs `kpadmin.stopping`'s handler for Ctrl+C and SIGTERM and turns `Interrupted` into one
  line and exit code 130 / 143.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Final

from kpadmin import __version__, logs, paths, stopping
from kpadmin.exitcodes import ExitCode

log = logging.getLogger("kpadmin.command")

#: A line copied from stderr into the log is cut here (a JSON dump is not a log line).
MAX_LOGGED_LINE: Final = 2000


def run_command(
    args: argparse.Namespace,
    run: Callable[[argparse.Namespace], int],
    *,
    signals: bool = True,
    trail: bool = True,
) -> int:
    """Run one subcommand with a log trail (unless ``trail`` is False) and a calm stop (unless
    ``signals`` is False)."""
    name = f"kpadmin {args.command}"
    handlers = stopping.installed() if signals else _nothing()
    with handlers, _stderr_into_log() as tee:
        try:
            try:
                if trail:
                    _start_logging(args)
                log.info(
                    "%s started: %s (version %s, pid %d)",
                    name,
                    describe(args),
                    __version__,
                    os.getpid(),
                )
                code = int(run(args))
                stopping.finish()
            except stopping.Interrupted as exc:
                stopping.finish()
                code = exc.exit_code
                print(f"{name}: {exc.message()}.", file=sys.stderr, flush=True)
            except Exception:
                tee.flush_pending()
                log.exception("%s failed unexpectedly", name)
                raise
            tee.flush_pending()
            log.info("%s finished: exit %d (%s)", name, code, _code_name(code))
            return code
        finally:
            logs.shutdown_logging()


def describe(args: argparse.Namespace) -> str:
    """The command for the log: sub-actions, setting names and flags that are on; never a
    value (one of them may be a secret)."""
    words: list[str] = [args.command]
    for attr in ("config_action", "schedule_action", "what"):
        value = getattr(args, attr, None)
        if isinstance(value, str):
            words.append(value)
    key = getattr(args, "key", None)
    if isinstance(key, str) and args.command == "config":
        words.append(key[:40])
    for attr, value in sorted(vars(args).items()):
        if value is True and not attr.startswith("_"):
            words.append("--" + attr.replace("_", "-"))
    return " ".join(words)


def _code_name(code: int) -> str:
    try:
        return ExitCode(code).name.lower()
    except ValueError:
        return "other"


def _start_logging(args: argparse.Namespace) -> None:
    try:
        logs.setup_logging(
            paths.data_dir(args.data_dir), verbose=bool(getattr(args, "verbose", False))
        )
    except OSError as exc:
        # The command goes on (a full disk must not also stop a reconcile), but not silently.
        print(
            f"kpadmin: cannot write the log ({exc.strerror or exc}: {exc.filename or ''}); "
            "going on without it",
            file=sys.stderr,
        )


@contextmanager
def _nothing() -> Iterator[None]:
    yield


@contextmanager
def _stderr_into_log() -> Iterator[_LoggingStream]:
    original = sys.stderr
    tee = _LoggingStream(original)
    sys.stderr = tee
    try:
        yield tee
    finally:
        tee.flush_pending()
        if sys.stderr is tee:
            sys.stderr = original


class _LoggingStream:
    """stderr that also writes each complete line to the log file (not to the console again).

    A progress bar redraws one line with ``\\r``; only its last state is kept."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._pending = ""
        self._logging = False
        setattr(self, logs.UNDERLYING_ATTR, stream)

    def write(self, text: str) -> int:
        written: int = self._stream.write(text)
        self._pending += text
        if "\r" in self._pending:
            self._pending = self._pending[self._pending.rindex("\r") + 1 :]
        while "\n" in self._pending:
            line, self._pending = self._pending.split("\n", 1)
            self._log(line)
        if len(self._pending) > MAX_LOGGED_LINE:
            self._log(self._pending)
            self._pending = ""
        return written

    def _log(self, line: str) -> None:
        line = line.strip()
        # Only into our file: with no handler set up, logging's last resort would print the
        # line on stderr again, that is, back into this stream.
        if not line or self._logging or not logging.getLogger().handlers:
            return
        self._logging = True
        try:
            log.warning("stderr: %s", line[:MAX_LOGGED_LINE], extra=logs.FILE_ONLY)
        finally:
            self._logging = False

    def flush_pending(self) -> None:
        if self._pending:
            self._log(self._pending)
            self._pending = ""

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
