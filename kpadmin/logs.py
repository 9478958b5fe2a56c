"""Logging set-up for the app and the headless commands.

One rotating file (``kpadmin.log``, 1 MB × 5) in the log dir that `kpadmin.paths.log_dir` picks, and
for commands a console handler on stderr. Every handler carries the redaction filter from
`kpadmin.redact`, so registered secrets (the REST secret, tokens) never reach a file or a
terminal and phone and card numbers are masked. The filter sits on the handlers rather than on the
root logger because a logger's filters do not see records propagated from child loggers.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import sys
from io import TextIOWrapper
from pathlib import Path
from typing import Any, Final

from kpadmin import paths
from kpadmin.redact import SecretRedactingFilter

LOG_FILE: Final = "kpadmin.log"
MAX_BYTES: Final = 1_000_000
BACKUP_COUNT: Final = 5
FILE_FORMAT: Final = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"
CONSOLE_FORMAT: Final = "%(levelname)s: %(message)s"

# Marks the handlers this module installed, so a second call replaces them instead of doubling.
_MARK: Final = "_kpadmin_handler"
#: ``extra=FILE_ONLY`` keeps a record off the console: the command has told the user already
#: (`kpadmin.lifecycle` copies what a command prints on stderr into the file this way).
FILE_ONLY: Final = {"kpadmin_file_only": True}
#: An attribute a stream wrapper (`kpadmin.lifecycle`) sets on itself to name the stream it wraps,
#: so the console handler writes past it instead of into it.
UNDERLYING_ATTR: Final = "kpadmin_underlying"


def _not_file_only(record: logging.LogRecord) -> bool:
    return not getattr(record, "kpadmin_file_only", False)


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file whose every generation is readable by its owner only (logs mention
    customers by name and customer_uid even with phone numbers masked)."""

    def _open(self) -> TextIOWrapper:
        stream = super()._open()
        paths.make_private_file(Path(self.baseFilename))
        return stream

    def close(self) -> None:
        # Closing flushes; on a full disk that fails like any write (said once by handleError).
        with contextlib.suppress(OSError):
            super().close()

    def handleError(self, record: logging.LogRecord) -> None:
        """A log that cannot be written (a full disk) must not bury the command's own message
        under logging's tracebacks: say it once, on the console, and go on without the file."""
        del record
        if getattr(self, "_told", False):
            return
        self._told = True
        error = sys.exc_info()[1]
        stream = getattr(sys.stderr, UNDERLYING_ATTR, sys.stderr)
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.write(f"kpadmin: cannot write the log {self.baseFilename}: {error}\n")


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the moment of writing, not at set-up: tests swap
    it per test, and a Windows GUI build has none at all (then records are dropped)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> Any:
        return getattr(sys.stderr, UNDERLYING_ATTR, sys.stderr)

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass  # StreamHandler.__init__ assigns it; the property always follows sys.stderr

    def emit(self, record: logging.LogRecord) -> None:
        if sys.stderr is not None:
            super().emit(record)


def setup_logging(data_root: Path, *, verbose: bool = False, console: bool = True) -> Path:
    """Configure the root logger; returns the log file's path. Safe to call more than once.

    The file gets INFO (DEBUG with ``verbose``); the console, when wanted, WARNING (INFO with
    ``verbose``) so commands stay quiet on success.
    """
    log_path = paths.log_dir(data_root) / LOG_FILE
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()

    file_handler = _PrivateRotatingFileHandler(
        log_path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    file_handler.setLevel(logging.DEBUG if verbose else logging.INFO)
    file_handler.setFormatter(logging.Formatter(FILE_FORMAT))
    handlers: list[logging.Handler] = [file_handler]
    if console:
        console_handler = _StderrHandler()
        console_handler.setLevel(logging.INFO if verbose else logging.WARNING)
        console_handler.setFormatter(logging.Formatter(CONSOLE_FORMAT))
        console_handler.addFilter(_not_file_only)
        handlers.append(console_handler)

    redaction = SecretRedactingFilter()
    for handler in handlers:
        handler.addFilter(redaction)
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # httpx logs every request URL at INFO; URLs carry customer_uids, not secrets, but they
    # drown the file. Keep them for --verbose.
    logging.getLogger("httpx").setLevel(logging.DEBUG if verbose else logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return log_path


def shutdown_logging() -> None:
    """Close and remove the handlers `setup_logging` installed (tests; the end of a command)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()
