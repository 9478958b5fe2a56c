"""The one place the charge commands get their settings, database path and payment gateway.

It sits on `kpadmin.runtime` (settings file, per-mode data dir, keyring/env credentials, and the
in-process sandbox in sandbox mode) so `charge-due` and `reconcile` behave exactly like the GUI.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kpadmin import runtime as rt
from kpadmin.billing.collections import Collections
from kpadmin.billing.gateway import Gateway
from kpadmin.billing.outbox import NoticePolicy
from kpadmin.clock import Clock
from kpadmin.store import Store

EXPECTED_ERRORS: Final = rt.EXPECTED_ERRORS


def explain(exc: BaseException) -> str:
    return rt.explain(exc)


def exit_code(exc: BaseException, default: int) -> int:
    return rt.exit_code(exc, default)


@dataclass(frozen=True, slots=True)
class Environment:
    runtime: rt.Runtime

    @property
    def db_path(self) -> Path:
        return self.runtime.db_path

    def open_store(self) -> Store:
        """The mode's store, checked (`Runtime.open_store`)."""
        return self.runtime.open_store()

    @property
    def clock(self) -> Clock:
        return self.runtime.clock

    @property
    def staff(self) -> str:
        return self.runtime.staff

    @property
    def monthly_limit(self) -> int | None:
        return self.runtime.settings.monthly_limit

    @property
    def concurrency(self) -> int:
        return self.runtime.settings.concurrency

    @property
    def collections(self) -> Collections:
        """The retry policy and the notices of the settings (`retry_days`, `notices`)."""
        settings = self.runtime.settings
        return Collections(
            retry_days=settings.retry_days, notices=NoticePolicy.from_settings(settings)
        )

    @property
    def rps(self) -> float | None:
        return self.runtime.settings.requests_per_second

    @asynccontextmanager
    async def gateway(self) -> AsyncIterator[Gateway]:
        async with self.runtime.gateway() as gateway:
            yield gateway


def load(data_dir: str | os.PathLike[str] | None, *, new_database: bool = False) -> Environment:
    return Environment(rt.open_runtime(data_dir, new_database=new_database))
