"""Ctrl+C and SIGTERM for the headless commands: a calm stop, never a traceback.

`installed()` (entered by `kpadmin.lifecycle` around every command) puts one handler on SIGINT and
SIGTERM. What a signal does depends on where the command is:

* In synchronous code (parsing, a y/N prompt, SQLite work) it raises `Interrupted`, a
  `BaseException` like `KeyboardInterrupt`: `store.db.transaction` rolls back on it, and
  `kpadmin.lifecycle` turns it into one line and exit code 130 (SIGINT) or 143 (SIGTERM).
* Inside ``async with stopping.watch() as stop`` the handler only schedules a call on the loop
  (``call_soon_threadsafe`` is safe from a signal handler), which cancels the command's task: every
  wait ends at once (`asyncio.sleep`, the engine's pacer, an HTTP request) and the `watch` turns
  the cancellation into `Interrupted`.
* Inside ``with stop.graceful(message):`` the first signal only sets ``stop.event``: charge-due
  sends nothing new and lets the charges in flight finish and be recorded. A second signal cancels
  the task even then: the engine records what is in flight as unknown (in doubt, looked up by the
  next run). ``with stop.synchronous():`` marks a blocking stretch inside a watch (the y/N prompt),
  where a signal must raise because the loop is not running.

Whatever happens, a further signal while stopping (the third inside a graceful stretch, the second
otherwise) leaves at once with `os._exit`: what SQLite committed stays committed, and a charge in
flight is looked up by the next run, exactly as after a kill -9, which the crash proofs cover.
"""

from __future__ import annotations

import asyncio
import logging
import os
import select
import signal
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Final

from kpadmin.exitcodes import ExitCode
from kpadmin.logs import FILE_ONLY, UNDERLYING_ATTR

log = logging.getLogger(__name__)

SIGNALS: Final = (signal.SIGINT, signal.SIGTERM)


def signal_name(signum: int) -> str:
    return "Ctrl+C" if signum == signal.SIGINT else "SIGTERM"


def exit_code_for(signum: int) -> ExitCode:
    return ExitCode.INTERRUPTED if signum == signal.SIGINT else ExitCode.TERMINATED


class Interrupted(BaseException):  # named like KeyboardInterrupt, its sibling
    """The command was stopped by a signal; ``detail`` says what is left (e.g. what is in doubt)."""

    def __init__(self, signum: int, detail: str = "") -> None:
        super().__init__(f"stopped by {signal_name(signum)}")
        self.signum = signum
        self.detail = detail

    @property
    def exit_code(self) -> ExitCode:
        return exit_code_for(self.signum)

    def message(self) -> str:
        return f"stopped by {signal_name(self.signum)}" + (
            f"; {self.detail}" if self.detail else ""
        )


@dataclass
class _Dispatch:
    """Where signals go right now; one per process (signal handlers are process-wide)."""

    watch: Watch | None = None
    first: int | None = None
    count: int = 0
    #: The command is done and only saying so: a late signal changes nothing any more.
    finished: bool = False


_dispatch = _Dispatch()


@contextmanager
def installed() -> Iterator[None]:
    """This module's handler on SIGINT and SIGTERM while the block runs; the previous ones after.

    Does nothing outside the main thread (Python delivers signals to the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in SIGNALS}
    saved = (_dispatch.watch, _dispatch.first, _dispatch.count, _dispatch.finished)
    _dispatch.watch, _dispatch.first, _dispatch.count, _dispatch.finished = None, None, 0, False
    for signum in SIGNALS:
        signal.signal(signum, _on_signal)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        _dispatch.watch, _dispatch.first, _dispatch.count, _dispatch.finished = saved


def requested() -> int | None:
    """The first signal received under `installed()`, if any."""
    return _dispatch.first


def finish() -> None:
    """The command's work is over (only its last lines are left): signals are ignored now, so
    a late Ctrl+C cannot turn a finished run into a traceback."""
    _dispatch.finished = True


def _on_signal(signum: int, frame: FrameType | None) -> None:
    del frame
    if _dispatch.finished:
        return
    _dispatch.count += 1
    if _dispatch.first is None:
        _dispatch.first = signum
    watch = _dispatch.watch
    if watch is not None and not watch.blocking:
        if _dispatch.count > watch.patience:
            leave_now(_dispatch.first)
        watch.loop.call_soon_threadsafe(watch.on_signal, signum)
        return
    if _dispatch.count >= 3:
        leave_now(_dispatch.first)
    raise Interrupted(_dispatch.first)


def ask(prompt: str) -> str:
    """``input(prompt)`` that a signal always interrupts (the y/N questions).

    A signal that lands after the prompt is written but before ``input()`` blocks in its read is
    only handled once a line arrives: Python runs handlers between bytecodes, and a read that
    started after the signal is not interrupted. So on POSIX wait for the line with ``select``
    in short slices, letting a pending handler run (and raise `Interrupted`) between them.
    EOF (stdin closed) is an empty answer."""
    stream = sys.stdin
    if os.name != "posix" or stream is None or not stream.isatty():
        try:
            return input(prompt)
        except EOFError:
            return ""
    print(prompt, end="", flush=True)
    while not select.select([stream], [], [], 0.2)[0]:
        pass
    return stream.readline().rstrip("\r\n")


def leave_now(signum: int) -> None:
    """The user insists: one line, then exit without unwinding (see the module docstring)."""
    try:
        # Past any stream wrapper: this runs inside a signal handler, maybe amid its write.
        print(
            f"\nkpadmin: stopped at once ({signal_name(signum)} again). Anything that was in "
            "flight is looked up by the next run (`kpadmin reconcile`).",
            file=getattr(sys.stderr, UNDERLYING_ATTR, sys.stderr),
            flush=True,
        )
        log.warning("stopped at once by a repeated %s", signal_name(signum), extra=FILE_ONLY)
        sys.stdout.flush()
    finally:
        os._exit(exit_code_for(signum))


class Watch:
    """The signal state of one asyncio command (see the module docstring)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, task: asyncio.Task[object]) -> None:
        self.loop = loop
        self.task = task
        #: Set by the first signal inside a `graceful` stretch: send nothing new.
        self.event = asyncio.Event()
        self.signum: int | None = None
        #: What `Interrupted` should say is left after a cancellation (set by the command).
        self.note = ""
        self.cancelled = False
        self.blocking = False
        self._graceful_message: str | None = None

    @property
    def requested(self) -> bool:
        return self.signum is not None

    @property
    def exit_code(self) -> ExitCode:
        return exit_code_for(self.signum if self.signum is not None else signal.SIGINT)

    @property
    def stopped_by(self) -> str:
        return signal_name(self.signum) if self.signum is not None else ""

    @property
    def patience(self) -> int:
        """Signals taken calmly before `leave_now`: one more than the stretch needs."""
        return 2 if self._graceful_message is not None else 1

    @contextmanager
    def graceful(self, message: str) -> Iterator[asyncio.Event]:
        """The first signal here sets `event` and prints ``message``; the second cancels."""
        self._graceful_message = message
        try:
            yield self.event
        finally:
            self._graceful_message = None

    @contextmanager
    def synchronous(self) -> Iterator[None]:
        """A blocking call inside the watch (the loop is not running): signals raise here."""
        self.blocking = True
        try:
            yield
        finally:
            self.blocking = False

    def on_signal(self, signum: int) -> None:
        """On the loop, after the handler ran."""
        if self.signum is None:
            self.signum = signum
        if self._graceful_message is not None and not self.event.is_set():
            # On stderr, which `kpadmin.lifecycle` also copies into the log.
            print(f"\n{self._graceful_message}", file=sys.stderr, flush=True)
            self.event.set()
            return
        if not self.cancelled:
            self.cancelled = True
            log.warning("%s received: stopping now", signal_name(signum), extra=FILE_ONLY)
            self.task.cancel()


@asynccontextmanager
async def watch() -> AsyncIterator[Watch]:
    """Route signals to this task for the block (see the module docstring)."""
    task = asyncio.current_task()
    if task is None:  # pragma: no cover - always inside asyncio.run here
        raise RuntimeError("stopping.watch() needs a running task")
    current = Watch(asyncio.get_running_loop(), task)
    outer = _dispatch.watch
    _dispatch.watch = current
    try:
        yield current
    except asyncio.CancelledError:
        if current.cancelled and current.signum is not None:
            raise Interrupted(current.signum, current.note) from None
        raise
    finally:
        _dispatch.watch = outer
    if current.cancelled and current.signum is not None:
        # The body swallowed the cancellation and finished; the user still asked to stop.
        raise Interrupted(current.signum, current.note)
