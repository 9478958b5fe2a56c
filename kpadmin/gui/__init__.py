"""The Qt layer. Importing it first arms the guard against PySide6 6.12.0's reference leak."""

from kpadmin.gui import refcount_guard

refcount_guard.install()
