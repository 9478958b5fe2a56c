"""The lock files: exact, hashed versions of every dependency, made from pyproject.toml.

    make lock                          # after editing pyproject.toml's dependencies (runs this)
    make lock-upgrade                  # move every pin to the newest version pyproject allows
    python scripts/lock.py --check     # does requirements/dev.txt still pin what pyproject asks?

pyproject.toml says what kpadmin accepts (ranges); requirements/ says what CI tested (pins with
sha256 hashes, one file valid on Linux, Windows and macOS: ``uv pip compile --universal`` keeps the
platform markers, e.g. pywin32-ctypes for keyring on Windows only):

- ``requirements/dev.txt``      runtime + ``dev`` + ``package`` extras: what ``make`` installs.
- ``requirements/package.txt``  runtime + ``package`` (PyInstaller): what a release build installs,
                                so the frozen app can only pick up runtime dependencies.
- ``requirements/runtime.txt``  runtime only: what the app itself needs.

dev.txt is resolved first; the other two are resolved with it as constraints, so a package pinned
in several files has the same version in each. An existing pin is kept unless pyproject.toml no
longer allows it (uv prefers the output file's versions), so adding one dependency moves nothing
else; ``--upgrade`` lifts that.

The regeneration needs uv (``make lock`` installs the version the Makefile names into .venv). The
check needs only ``packaging`` (in every lock: pytest and PyInstaller depend on it) and no network:
the bootstrap runs it so a pyproject.toml edit without ``make lock`` fails with that advice instead
of a missing import later.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
LOCK_DIR = ROOT / "requirements"
# The oldest Python kpadmin supports (requires-python); the universal lock covers it and newer.
PYTHON_VERSION = "3.11"


@dataclass(frozen=True)
class LockFile:
    name: str  # file name under requirements/
    extras: tuple[str, ...]  # pyproject optional-dependency groups on top of the runtime set


DEV = LockFile("dev.txt", ("dev", "package"))
PACKAGE = LockFile("package.txt", ("package",))
RUNTIME = LockFile("runtime.txt", ())
LOCK_FILES = (DEV, PACKAGE, RUNTIME)  # dev first: the others are constrained by it

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def canonical(name: str) -> str:
    """PEP 503 name: PySide6_Essentials, pyside6-essentials and PySide6.Essentials are one."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path) -> dict[str, str]:
    """``{canonical name: version}`` of a requirements file written by uv pip compile."""
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            pins[canonical(match.group(1))] = match.group(2)
    return pins


def wanted(lock: LockFile, pyproject: Path = PYPROJECT) -> list[str]:
    """The requirement strings pyproject.toml gives for a lock file's set."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project.get("dependencies", []))
    optional = project.get("optional-dependencies", {})
    for extra in lock.extras:
        requirements += optional.get(extra, [])
    return requirements


def problems(lock: LockFile, lock_dir: Path = LOCK_DIR, pyproject: Path = PYPROJECT) -> list[str]:
    """What pyproject.toml asks for that the lock file does not pin (empty: the lock is current)."""
    from packaging.requirements import Requirement

    path = lock_dir / lock.name
    if not path.is_file():
        return [f"{path.relative_to(lock_dir.parent)} is missing"]
    pins = read_pins(path)
    found = []
    for text in wanted(lock, pyproject):
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue  # not for this platform/Python
        pinned = pins.get(canonical(requirement.name))
        if pinned is None:
            found.append(f"{lock.name}: {requirement} is not pinned")
        elif not requirement.specifier.contains(pinned, prereleases=True):
            pin = f"{requirement.name}=={pinned}"
            found.append(f"{lock.name}: {pin} does not satisfy {requirement}")
    return found


def check(lock_dir: Path = LOCK_DIR, pyproject: Path = PYPROJECT) -> list[str]:
    found: list[str] = []
    for lock in LOCK_FILES:
        found += problems(lock, lock_dir, pyproject)
    return found


def uv_command(uv: str, lock: LockFile, upgrade: bool) -> list[str]:
    command = [uv, "pip", "compile", "pyproject.toml", "--quiet", "--universal"]
    command += ["--generate-hashes", "--python-version", PYTHON_VERSION]
    command += ["--custom-compile-command", "make lock"]
    for extra in lock.extras:
        command += ["--extra", extra]
    if lock is DEV:
        if upgrade:
            command.append("--upgrade")
    else:
        command += ["--constraint", f"requirements/{DEV.name}"]
    return [*command, "--output-file", f"requirements/{lock.name}"]


def regenerate(uv: str, upgrade: bool) -> None:
    LOCK_DIR.mkdir(exist_ok=True)
    # uv reads no pip.conf; this keeps a developer's own uv.toml from changing what gets locked.
    env = {**os.environ, "UV_NO_CONFIG": "1"}
    for lock in LOCK_FILES:
        subprocess.run(uv_command(uv, lock, upgrade), cwd=ROOT, env=env, check=True)
        print(f"requirements/{lock.name}: {len(read_pins(LOCK_DIR / lock.name))} pins")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the lock files")
    parser.add_argument("--upgrade", action="store_true", help="newest allowed versions")
    parser.add_argument("--uv", default=shutil.which("uv") or "uv", help="the uv executable")
    args = parser.parse_args(argv)
    if not args.check:
        regenerate(args.uv, args.upgrade)
        try:
            import packaging  # noqa: F401
        except ImportError:  # a bare .venv made only to run uv: uv resolved from pyproject itself
            return 0
    found = check()
    for problem in found:
        print(f"lock: {problem}", file=sys.stderr)
    if found:
        print(
            "lock: pyproject.toml changed since the lock files were made: run `make lock`"
            " (and commit requirements/)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
