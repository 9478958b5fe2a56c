"""The daily automatic run in the app (kpadmin/gui/daily_run.py) against a real sandbox: at the
set time the due batch runs without a confirmation, once a day; a second desk on the same
database sees that the first one ran it; LIVE without the opt-in and the default (off) run
nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kpadmin.billing.settings import Settings
from kpadmin.gui.backend import Backend
from kpadmin.gui.main_window import MainWindow
from kpadmin.runtime import open_runtime
from kpadmin.store.subscribers import NewSubscriber
from tests.clock import FrozenClock


@pytest.fixture
def desks(qapp, tmp_path: Path, sandbox, qloop, arun, clock: FrozenClock) -> Iterator:
    settings = Settings(mode="sandbox", api_base_url=sandbox.base_url, auto_charge_time="00:00")
    made: list[Backend] = []

    def desk() -> Backend:
        backend = Backend(open_runtime(tmp_path / "data", clock=clock).with_settings(settings))
        arun(backend.connect())
        assert backend.api is not None, backend.api_error
        made.append(backend)
        return backend

    yield desk
    for backend in made:
        arun(backend.aclose())


def test_the_daily_run_charges_once_and_the_other_desk_sees_it(qtbot, sandbox, desks) -> None:
    first = desks()
    today = first.today()
    for i in range(3):
        sandbox.state.issue_billing_key(f"cu-daily-{i}")
        first.subscribers.add(NewSubscriber(f"cu-daily-{i}", f"고객{i}", 1000, today.day, today))
    window = MainWindow(first)
    qtbot.addWidget(window)
    window.charging._preparing = True  # staff have a confirmation open: not now, no claim
    assert window.daily_run.check() == "busy"
    assert first.audit.list(action="auto_charge") == []
    window.charging._preparing = False
    assert window.daily_run.check() == "started"
    qtbot.waitUntil(lambda: window.charging.last_result is not None, timeout=20_000)
    qtbot.waitUntil(lambda: not window.charging.running, timeout=10_000)
    assert window.charging.last_result.progress.paid == 3
    assert window.daily_run.check() == "waiting"  # once a day
    second = desks()
    other = MainWindow(second)
    qtbot.addWidget(other)
    assert other.daily_run.check() == "other desk"
    assert len([p for p in sandbox.state.all_payments() if p["status"] == "paid"]) == 3
    (line,) = first.audit.list(action="auto_charge")
    assert line.detail.startswith(f"daily run {today.isoformat()}")


def test_off_and_live_without_the_opt_in_run_nothing(qapp, backend) -> None:
    from kpadmin.billing import daily

    assert daily.refusal(backend.runtime.settings) is not None  # the default: off
    window = MainWindow(backend)
    try:
        assert window.daily_run.check() == "off"
        assert not window.daily_run.timer.isActive()
    finally:
        window.close()
