"""The lock files in requirements/ (scripts/lock.py): current, hashed, and runtime kept apart."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kpadmin_lock", ROOT / "scripts" / "lock.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


lock = _load()
DEV_TOOLS = ("pytest", "pytest-qt", "hypothesis", "mypy", "ruff", "jsonschema", "pyyaml")


def test_the_lock_files_pin_everything_pyproject_asks_for() -> None:
    assert lock.check() == []


def test_every_pin_carries_hashes() -> None:
    for item in lock.LOCK_FILES:
        text = (lock.LOCK_DIR / item.name).read_text(encoding="utf-8")
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
        pinned = [b for b in blocks if lock._PIN.match(b)]
        assert len(pinned) == len(lock.read_pins(lock.LOCK_DIR / item.name)) > 0
        for block in pinned:
            assert "--hash=sha256:" in block, block.splitlines()[0]


def test_the_sets_nest_with_the_same_versions() -> None:
    dev, package, runtime = (lock.read_pins(lock.LOCK_DIR / f.name) for f in lock.LOCK_FILES)
    assert runtime.items() <= package.items() <= dev.items()


def test_the_runtime_and_release_build_sets_hold_no_dev_tools() -> None:
    package = lock.read_pins(lock.LOCK_DIR / lock.PACKAGE.name)
    runtime = lock.read_pins(lock.LOCK_DIR / lock.RUNTIME.name)
    assert not set(DEV_TOOLS) & (package.keys() | runtime.keys())
    assert "pyinstaller" in package and "pyinstaller" not in runtime
    assert {"pyside6-essentials", "pyside6-addons", "shiboken6"} <= runtime.keys()
    # One universal lock: the Windows-only dependencies are there, behind their markers.
    assert "pywin32-ctypes" in runtime


def test_pyside6_is_one_version_and_not_the_leaking_one() -> None:
    runtime = lock.read_pins(lock.LOCK_DIR / lock.RUNTIME.name)
    versions = {runtime[n] for n in ("pyside6-essentials", "pyside6-addons", "shiboken6")}
    assert len(versions) == 1
    assert versions != {"6.12.0"}  # STYLE.md pitfall 11; tests/gui/test_pyside_refcounts.py
    assert "pyside6-webengine" not in runtime  # a 6.12-only split of Addons


@pytest.fixture
def lock_copy(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "requirements").mkdir()
    for item in lock.LOCK_FILES:
        source = lock.LOCK_DIR / item.name
        (tmp_path / "requirements" / item.name).write_text(source.read_text(encoding="utf-8"))
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(lock.PYPROJECT.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path / "requirements", pyproject


def test_a_new_dev_dependency_without_make_lock_is_caught(lock_copy: tuple[Path, Path]) -> None:
    lock_dir, pyproject = lock_copy
    text = pyproject.read_text(encoding="utf-8")
    # A name no lock will ever pin (a real one could be added meanwhile).
    added = "kpadmin-test-only-package>=1"
    pyproject.write_text(text.replace("dev = [\n", f'dev = [\n    "{added}",\n', 1))
    assert lock.check(lock_dir, pyproject) == [f"dev.txt: {added} is not pinned"]


def test_a_range_the_pin_no_longer_meets_is_caught(lock_copy: tuple[Path, Path]) -> None:
    lock_dir, pyproject = lock_copy
    text = pyproject.read_text(encoding="utf-8")
    pinned = lock.read_pins(lock_dir / "runtime.txt")["httpx"]
    pyproject.write_text(re.sub(r'"httpx[^"]*"', f'"httpx>{pinned}"', text, count=1))
    found = lock.check(lock_dir, pyproject)
    assert len(found) == 3  # the runtime dependency is in every lock file
    assert all(f"httpx=={pinned} does not satisfy httpx>{pinned}" in p for p in found)


def test_a_missing_lock_file_is_caught(lock_copy: tuple[Path, Path]) -> None:
    lock_dir, pyproject = lock_copy
    (lock_dir / "package.txt").unlink()
    assert lock.check(lock_dir, pyproject) == ["requirements/package.txt is missing"]


def test_uv_resolves_dev_first_and_the_others_against_it() -> None:
    dev = lock.uv_command("uv", lock.DEV, upgrade=True)
    runtime = lock.uv_command("uv", lock.RUNTIME, upgrade=True)
    assert "--universal" in dev and "--generate-hashes" in dev and "--upgrade" in dev
    assert dev[dev.index("--extra") + 1] == "dev"
    assert "--upgrade" not in runtime and "--extra" not in runtime
    assert runtime[runtime.index("--constraint") + 1] == "requirements/dev.txt"
