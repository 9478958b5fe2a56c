"""The one place kpadmin reads the wall clock.

A `Clock` is a callable returning an aware UTC instant. Everything that needs "now" (billing
periods, journal timestamps, the sandbox, the GUI's "today") takes one; the composition root
(`kpadmin.runtime.Runtime.clock`) hands the same clock to the commands, the engine, the sandbox and
the GUI. Code that stamps a row without being handed a clock falls back to `now()`, the process's
default clock, so there is still only one notion of now in a process.

``KPADMIN_NOW`` (tests and training only)
-----------------------------------------
When the environment variable ``KPADMIN_NOW`` holds an ISO 8601 instant with an offset (e.g.
``2026-11-15T10:00:00+09:00``), the default clock starts at that instant and runs forward with
``time.monotonic()``, so timeouts and token expiry still behave. It lets the test suite and staff
training rehearse a month end, a year end or a leap day without touching the system clock.

It is **refused in live mode** (`refuse_in_live`): a fake date could charge the wrong period. An
unusable value is a `ClockError` that names the variable; the CLI prints it and exits with code 2.

``time.monotonic()`` for durations (timeouts, pacing, progress) is not "now" and stays as it is.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Final

#: Returns the current instant, aware, in UTC.
Clock = Callable[[], datetime]

ENV_VAR: Final = "KPADMIN_NOW"
_EXAMPLE: Final = "2026-11-15T10:00:00+09:00"


class ClockError(ValueError):
    """KPADMIN_NOW cannot be used: an unreadable value, or a live-mode data dir."""


def system_clock() -> datetime:
    """The operating system's clock, as an aware UTC instant (the only wall-clock read)."""
    return datetime.now(UTC)


class StartedClock:
    """A clock that shows `start` when it is created and then runs forward at the rate of
    `monotonic` (``time.monotonic``: never jumps, so timeouts and expiry still behave)."""

    __slots__ = ("_monotonic", "_origin", "start")

    def __init__(self, start: datetime, monotonic: Callable[[], float] = time.monotonic) -> None:
        if start.tzinfo is None or start.utcoffset() is None:
            raise ValueError("a clock's start must be an aware datetime")
        self.start = start.astimezone(UTC)
        self._monotonic = monotonic
        self._origin = monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=self._monotonic() - self._origin)

    def __repr__(self) -> str:
        return f"StartedClock({self.start.isoformat()})"


def parse_instant(text: str, *, name: str = ENV_VAR) -> datetime:
    """An ISO 8601 instant with an offset, as aware UTC; `ClockError` naming `name` otherwise."""
    raw = text.strip()
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise ClockError(
            f"{name}={text!r} is not an ISO 8601 instant; write it like {_EXAMPLE}"
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ClockError(
            f"{name}={text!r} has no UTC offset, so it names no instant; "
            f"write it like {_EXAMPLE} (or end it with Z for UTC)"
        )
    return moment.astimezone(UTC)


def overridden(environ: Mapping[str, str] | None = None) -> bool:
    """Whether KPADMIN_NOW is set (to anything but blanks)."""
    env = os.environ if environ is None else environ
    return bool(env.get(ENV_VAR, "").strip())


def clock_from_env(environ: Mapping[str, str] | None = None) -> Clock:
    """The system clock, or a `StartedClock` at KPADMIN_NOW when it is set (`ClockError` if bad).

    Each call with KPADMIN_NOW set starts a new clock at that instant; `default_clock` keeps one
    per process.
    """
    env = os.environ if environ is None else environ
    if not overridden(env):
        return system_clock
    return StartedClock(parse_instant(env[ENV_VAR]))


_default: tuple[str | None, Clock] | None = None
_installed: Clock | None = None


def install(clock: Clock | None) -> None:
    """Make `clock` the process's default clock, ahead of KPADMIN_NOW; None undoes it. For code
    that runs kpadmin in-process on a clock of its own (the test suite injects its clock here)."""
    global _installed
    _installed = clock


def default_clock() -> Clock:
    """The process's clock: the `install`ed one, else built from KPADMIN_NOW on first use and
    kept while the variable is unchanged (so a started clock keeps running instead of jumping
    back to its start), else the system's."""
    global _default
    if _installed is not None:
        return _installed
    value = os.environ.get(ENV_VAR)
    if _default is None or _default[0] != value:
        _default = (value, clock_from_env())
    return _default[1]


def now() -> datetime:
    """The current instant by the process's default clock."""
    return default_clock()()


def check_env() -> datetime | None:
    """The instant KPADMIN_NOW starts the clock at (None when unset); `ClockError` if unusable."""
    started = default_clock()
    return started.start if isinstance(started, StartedClock) else None


LIVE_REFUSAL: Final = (
    f"{ENV_VAR} is set, but this data dir is in live mode: a pretended date could charge the "
    f"wrong period. {ENV_VAR} is for tests and training only; unset it to work in live mode."
)


def refuse_in_live(mode: str, environ: Mapping[str, str] | None = None) -> None:
    """`ClockError` when KPADMIN_NOW is set and ``mode`` is live."""
    if mode == "live" and overridden(environ):
        raise ClockError(LIVE_REFUSAL)
