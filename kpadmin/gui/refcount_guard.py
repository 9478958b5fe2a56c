"""Guard against PySide6 6.12.0's reference leak on ``None``/``True``/``False`` (Python < 3.12).

On this stack every void Qt call made from Python (``setObjectName``, ``beginInsertRows``,
``processEvents`` …) drops one reference to ``None``, and every ``Signal.emit()`` one to ``True``.
After some tens of thousands of calls — a long working day, or one 100,000-row filter session —
CPython aborts with "Fatal Python error: none_dealloc / bool_dealloc". Reproduce with
``QObject().setObjectName("x")`` in a loop of 20,000 (tests/gui/test_refcount_guard.py does).

CPython 3.12 made these singletons immortal (PEP 683), which makes the leak harmless. On 3.11 we do
in effect the same: give each singleton a reference count so large that no leak can reach zero.
They are never freed anyway, so the extra count changes nothing else.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40  # ~10^12 leaked references before anything could go wrong
_applied = False


def install() -> None:
    """Idempotent; a no-op on Python 3.12+, where the singletons are immortal."""
    global _applied
    if _applied or sys.version_info >= (3, 12):
        return
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every PyObject in a release build of CPython.
        ctypes.c_ssize_t.from_address(id(singleton)).value += _HEADROOM
    _applied = True
