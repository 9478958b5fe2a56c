"""Suite-wide set-up: headless Qt, an isolated data dir, and the opt-in slow proofs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

# Before anything imports Qt: draw offscreen, let QtWebEngine run as root, no GPU here.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --disable-features=Vulkan")
# Import PySide6 first so qasync picks it even if another binding happens to be installed.
os.environ.setdefault("QT_API", "pyside6")

from tests.clock import FrozenClock, injected_now

pytest_plugins = [
    "tests.fixtures.sandbox",
    "tests.fixtures.qt",
    "tests.fixtures.disk",
    "tests.fixtures.postgres",
    "tests.fixtures.stores",
]


def pytest_sessionstart(session: pytest.Session) -> None:
    """Stop at once on a PySide6 that drops references to None/True (STYLE.md pitfall 11): the
    suite would otherwise abort somewhere in the middle with "deallocating None"."""
    from tests import pyside_refcounts

    leaking = pyside_refcounts.leaks()
    if leaking:
        pytest.exit(
            f"{pyside_refcounts.versions()} drops references on Qt calls/emits: {leaking}. "
            "Pin a PySide6 that does not (pyproject.toml, then `make lock`).",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow", action="store_true", default=False, help="also run the long proofs (slow)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip_slow = pytest.mark.skip(reason="long proof: run with --run-slow (make test-all)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)


@pytest.fixture(autouse=True, scope="session")
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """No test ever touches the real user data dir."""
    root = tmp_path_factory.mktemp("kpadmin-data")
    old = os.environ.get("KPADMIN_DATA_DIR")
    os.environ["KPADMIN_DATA_DIR"] = str(root)
    yield root
    if old is None:
        os.environ.pop("KPADMIN_DATA_DIR", None)
    else:
        os.environ["KPADMIN_DATA_DIR"] = old


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh data dir for one test."""
    path = tmp_path / "data"
    path.mkdir()
    return path


# --- the injected clock (tests/clock.py): no test reads the wall clock ------------------------


@pytest.fixture
def clock() -> FrozenClock:
    """The test's clock: frozen at the injected instant (``KPADMIN_TEST_NOW`` or the default)
    until the test moves it. Hand it to the product wherever it takes a clock."""
    return FrozenClock(injected_now())


@pytest.fixture(autouse=True)
def _process_clock(clock: FrozenClock) -> Iterator[None]:
    """kpadmin code run in this process without a clock handed in (a command run in-process,
    a row stamped by a repository default) reads the test's clock too (`kpadmin.clock.install`)."""
    from kpadmin import clock as seam

    seam.install(clock)
    yield
    seam.install(None)


@pytest.fixture
def now(clock: FrozenClock) -> datetime:
    """The injected instant (aware UTC)."""
    return clock()


@pytest.fixture
def today(clock: FrozenClock) -> date:
    """The injected instant's date in Asia/Seoul."""
    return clock.today()


def pytest_report_header(config: pytest.Config) -> str:
    return f"kpadmin test clock: {injected_now().isoformat()} (set KPADMIN_TEST_NOW to change it)"
