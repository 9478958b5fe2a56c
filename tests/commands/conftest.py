"""The commands set up logging on the root logger, as a real `kpadmin` process does; undo it after
each test so the next test (or another team's) does not log into this test's data dir."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from kpadmin.logs import shutdown_logging


@pytest.fixture(autouse=True)
def _reset_logging() -> Iterator[None]:
    level = logging.getLogger().level
    yield
    shutdown_logging()
    logging.getLogger().setLevel(level)
