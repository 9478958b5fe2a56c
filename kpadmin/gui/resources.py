"""Where the app's resource files (icons, translations, the checkout page) are on disk.

A source checkout keeps them in ``<repo>/resources``; a PyInstaller build puts that folder next
to the frozen modules (``sys._MEIPASS``).
"""

from __future__ import annotations

import sys
from pathlib import Path


def resource_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)
