"""Fixtures shared by the sign-up end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.clock import FrozenClock
from tests.fixtures.sandbox import RunningSandbox
from tests.gui.signup.harness import SignupBackend


@pytest.fixture
def backend(
    sandbox: RunningSandbox, tmp_path: Path, qloop: Any, arun: Any, clock: FrozenClock
) -> Iterator[SignupBackend]:
    """A sign-up backend connected to a fresh in-process sandbox (both on the test's clock);
    closed after the test."""
    b = SignupBackend.for_sandbox(sandbox, tmp_path, clock=clock)
    yield b
    assert b.api is not None
    arun(b.api.client.aclose())
    b.store.close()
