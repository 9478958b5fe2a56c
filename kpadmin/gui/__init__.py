"""The Qt layer: everything that imports PySide6 (the core below it never does)."""
