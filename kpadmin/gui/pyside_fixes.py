"""Work-arounds for PySide bugs that would otherwise kill the process.

**Singletons losing references.** Measured here (PySide 6.12.0, CPython 3.11.7): every
Python-side ``Signal.emit()`` drops one reference to ``True`` (connected or not, any argument
types), and ``QWebEnginePage``/``QWebEngineFrame.runJavaScript`` drops one to ``None`` per call.
On 3.11 those singletons are ordinarily reference-counted, so after a few thousand emits the
process dies with "Fatal Python error: bool_dealloc: deallocating True or False" (the sign-up
end-to-end tests hit it at interpreter exit; a long working day of the app would hit it live).
CPython 3.12 made these objects immortal, which is exactly the cure: until PySide is fixed, give
them a reference count no session can exhaust. ``tests/gui/signup/test_pyside_fixes.py`` checks
both the bug (so this can go when PySide no longer needs it) and the cure.
"""

from __future__ import annotations

import ctypes
import sys

#: 2**40 extra references: a trillion emits. Never released: these objects are never freed anyway.
HEADROOM = 1 << 40
_done = False


def make_singletons_immortal() -> None:
    """Raise the reference counts of None, True, False, NotImplemented and Ellipsis by
    `HEADROOM` (once per process; nothing to do on 3.12+, where they are immortal)."""
    global _done
    if _done or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for obj in (None, True, False, NotImplemented, Ellipsis):
        # ob_refcnt is the first field of every PyObject (Include/object.h, non-debug build).
        ctypes.c_ssize_t.from_address(id(obj)).value += HEADROOM
    _done = True
