"""GUI test fixtures: a runtime on a temporary data dir, a backend on it, and a seeded window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kpadmin.billing.settings import Settings
from kpadmin.runtime import Runtime, open_runtime
from tests.clock import FrozenClock

# The in-memory keyring fixtures of the command tests (never the real OS keychain).
from tests.commands.memory_keyring import memory_keyring, no_keyring  # noqa: F401


@pytest.fixture
def runtime(tmp_path: Path, clock: FrozenClock) -> Runtime:
    return open_runtime(tmp_path / "data", clock=clock)


@pytest.fixture
def backend(qapp, runtime: Runtime) -> Iterator:
    from kpadmin.gui.backend import Backend

    b = Backend(runtime)
    yield b
    if b.api is None:
        b.store.close()


@pytest.fixture
def seeded(backend):
    from tests.sample_data import seed

    seed(backend.store, today=backend.today(), count=30)
    return backend


@pytest.fixture
def window(qtbot, seeded):
    from kpadmin.gui.main_window import MainWindow

    w = MainWindow(seeded)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def sandbox_backend(qapp, tmp_path: Path, sandbox, qloop, arun, clock: FrozenClock) -> Iterator:
    """A backend whose sandbox mode talks to the test's own sandbox (not an in-process one)."""
    from kpadmin.gui.backend import Backend

    runtime = open_runtime(tmp_path / "data", clock=clock).with_settings(
        Settings(mode="sandbox", api_base_url=sandbox.base_url)
    )
    b = Backend(runtime)
    arun(b.connect())
    assert b.api is not None, b.api_error
    yield b
    arun(b.aclose())
