"""Where kpadmin keeps its files.

The data dir comes from `--data-dir`, else env `KPADMIN_DATA_DIR`, else the platformdirs user
data dir.
Each mode (sandbox / test / live) keeps its own database below it, so test and live data never mix.
Tests and benches always pass a temporary dir and never touch the real one.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from kpadmin import APP_NAME, APP_ORGANIZATION

DATA_DIR_ENV = "KPADMIN_DATA_DIR"
MODES = ("sandbox", "test", "live")


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_ORGANIZATION))


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The root data dir, created with owner-only permissions."""
    if override:
        root = Path(override)
    elif os.environ.get(DATA_DIR_ENV):
        root = Path(os.environ[DATA_DIR_ENV])
    else:
        root = default_data_dir()
    return ensure_private_dir(root)


def mode_dir(root: Path, mode: str) -> Path:
    """The per-mode folder that holds that mode's database."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
    return ensure_private_dir(root / mode)


def log_dir(data_root: Path) -> Path:
    """Rotating logs live in the platformdirs log dir, or below an overridden data dir
    (so a test's or a bench's logs stay in its temporary folder)."""
    if data_root != default_data_dir():
        return ensure_private_dir(data_root / "logs")
    return ensure_private_dir(Path(platformdirs.user_log_dir(APP_NAME, APP_ORGANIZATION)))


def ensure_private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        # Subscriber data and payment journals are personal data: owner only.
        path.chmod(0o700)
    return path


def make_private_file(path: Path) -> None:
    """Restrict an existing file to its owner (no-op where POSIX modes do not apply)."""
    if os.name == "posix" and path.exists():
        path.chmod(0o600)
