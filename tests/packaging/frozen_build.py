"""Build (or reuse) the frozen app for the packaging tests.

The test build is `build.spec` with ``KPADMIN_BUILD_PROBE=1`` (adds the QtWebEngine probe
executable) into ``build/frozen-test/``. A build is reused while its inputs are unchanged: a hash of
the spec, packaging/, kpadmin/, resources/, the lock files and the PySide6 / PyInstaller versions
is kept next to it, so a second run of the tests costs only the smoke test itself. Several test
runs on one checkout take turns (`exclusive()`): a build must not replace the folder another run
is executing from.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "frozen-test"
DIST = OUT / "dist"
WORK = OUT / "work"
STAMP = OUT / "inputs.sha256"
LOCK = OUT / ".lock"
# requirements/: every installed version the build can pick up (the .venv is made from the lock).
INPUTS = ("build.spec", "packaging", "kpadmin", "resources", "requirements")
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


@dataclass(frozen=True)
class FrozenBuild:
    folder: Path
    seconds: float  # 0.0 when reused
    reused: bool

    def exe(self, name: str) -> Path:
        return self.folder / f"{name}{EXE_SUFFIX}"


@contextlib.contextmanager
def exclusive() -> Iterator[None]:
    """Hold the frozen-test lock (POSIX; elsewhere a no-op)."""
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: the packaging tests run on the Linux machines only
        yield
        return
    with LOCK.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def pyinstaller_version() -> str | None:
    try:
        return importlib.metadata.version("pyinstaller")
    except importlib.metadata.PackageNotFoundError:
        return None


def inputs_digest() -> str:
    digest = hashlib.sha256()
    for name in ("PySide6-Essentials", "PySide6-Addons", "shiboken6", "pyinstaller"):
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}\n".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name}=-\n".encode())
    for top in INPUTS:
        base = ROOT / top
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def build(force: bool = False) -> FrozenBuild:
    """The frozen test build, rebuilt when its inputs changed (or when ``force``)."""
    folder = DIST / "kpadmin"
    digest = inputs_digest()
    probe = folder / f"kpadmin-webengine-probe{EXE_SUFFIX}"
    fresh = STAMP.exists() and STAMP.read_text().strip() == digest and probe.exists()
    if fresh and not force:
        return FrozenBuild(folder, 0.0, reused=True)
    STAMP.unlink(missing_ok=True)
    env = dict(os.environ, KPADMIN_BUILD_PROBE="1")
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level=WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(WORK),
            str(ROOT / "build.spec"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise RuntimeError(
            f"pyinstaller build.spec failed ({result.returncode}):\n{result.stderr[-6000:]}"
        )
    STAMP.write_text(digest + "\n")
    return FrozenBuild(folder, seconds, reused=False)
