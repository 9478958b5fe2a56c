"""Does the installed PySide6 drop references to None/True/False? (STYLE.md pitfall 11)

PySide6 6.12.0 on CPython 3.11 returned ``None`` from every void Qt call and ``True`` from every
``Signal.emit()`` without the reference it owed: tens of thousands of calls in, CPython aborted with
"Fatal Python error: none_dealloc". 6.11.x does not (pyproject.toml pins it). On 3.12+ the three
objects are immortal and their counts do not move at all, so the probe passes there too.

Each probe makes ``calls`` calls of one kind and reports how far the reference counts of None,
True and False moved: 0 (or a few, from unrelated caching) on a sound binding, about ``-calls``
on a leaking one. No QCoreApplication is needed (none is created, so pytest-qt can make its own).

    python -m tests.pyside_refcounts     # one JSON line per probe, then the survival loop
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

# A sound binding moves the counts by a handful at most; a leaking one by one per call.
TOLERANCE = 10
# Few enough calls that a leaking binding does not abort first: a fresh interpreter holds only
# about 600 references to True.
PROBE_CALLS = 100


def _counts() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def _moved(action: Callable[[], Any], calls: int) -> dict[str, int]:
    before = _counts()
    for _ in range(calls):
        action()
    after = _counts()
    names = ("None", "True", "False")
    return {name: a - b for name, b, a in zip(names, before, after, strict=True)}


def probes(calls: int) -> dict[str, dict[str, int]]:
    """``{probe: {"None": moved, "True": moved, "False": moved}}`` after ``calls`` calls each."""
    from PySide6.QtCore import QObject, QStringListModel, Signal

    class Pinger(QObject):
        pinged = Signal()
        counted = Signal(int)
        flagged = Signal(bool)

    received = [0]

    def receive(value: object) -> None:  # keeps nothing, so it moves no count itself
        received[0] += 1

    pinger = Pinger()
    model = QStringListModel(["a", "b"])
    pinger.counted.connect(receive)
    pinger.flagged.connect(receive)

    def reset() -> None:
        model.beginResetModel()
        model.endResetModel()

    results = {
        "void call (setObjectName)": _moved(lambda: pinger.setObjectName("x"), calls),
        "void model calls (beginResetModel, endResetModel)": _moved(reset, calls),
        "bool call (blockSignals)": _moved(lambda: pinger.blockSignals(False), calls),
        "emit, no receiver": _moved(pinger.pinged.emit, calls),
        "emit to a Python slot": _moved(lambda: pinger.counted.emit(1), calls),
        "emit of a bool": _moved(lambda: pinger.flagged.emit(True), calls),
    }
    assert received[0] == 2 * calls, "the Python slot was not called"
    return results


def leaks(calls: int = PROBE_CALLS) -> dict[str, dict[str, int]]:
    """The probes whose counts moved by more than TOLERANCE (empty on a sound binding)."""
    return {
        name: moved
        for name, moved in probes(calls).items()
        if any(abs(delta) > TOLERANCE for delta in moved.values())
    }


def versions() -> str:
    import PySide6
    from PySide6.QtCore import qVersion

    python = ".".join(map(str, sys.version_info[:3]))
    return f"PySide6 {PySide6.__version__} (Qt {qVersion()}) on CPython {python}"


def main() -> int:
    print(json.dumps({"versions": versions()}), flush=True)
    for name, moved in probes(PROBE_CALLS).items():
        print(json.dumps({"probe": name, "moved": moved}), flush=True)
    # Then as many calls as a long working day makes: a leaking binding aborts in here.
    for _ in range(10):
        probes(10_000)
    print(json.dumps({"alive": True}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
