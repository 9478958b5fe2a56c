"""PySide6 6.12.0 leaks references to None/True on Python 3.11; the guard keeps the app alive."""

from __future__ import annotations

import subprocess
import sys
import textwrap

LOOP = textwrap.dedent(
    """
    {prelude}
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    class Pinger(QObject):
        pinged = Signal()

    app = QCoreApplication([])
    pinger = Pinger()
    for _ in range(60_000):
        pinger.setObjectName("x")  # a void call: drops a reference to None
        pinger.pinged.emit()  # an emit: drops a reference to True
    print("alive")
    """
)


def run(prelude: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LOOP.format(prelude=prelude)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_sixty_thousand_qt_calls_and_emits_survive_with_the_guard() -> None:
    done = run("import kpadmin.gui")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "alive"


def test_the_guard_is_idempotent() -> None:
    from kpadmin.gui import refcount_guard

    before = sys.getrefcount(None)
    refcount_guard.install()
    refcount_guard.install()
    assert abs(sys.getrefcount(None) - before) < 1000
