"""The app with a database it must not use: a calm dialog at start-up (never a traceback), Quit
by default with the exit code of `kpadmin.exitcodes`, an empty database only after an explicit
confirmation; and a batch whose journal cannot be written shows one message and stops sending."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from kpadmin.billing.settings import Settings
from kpadmin.exitcodes import ExitCode
from kpadmin.gui import messages
from kpadmin.runtime import Runtime, open_runtime
from kpadmin.store import NewSubscriber, Store, SubscriberRepository, open_store
from kpadmin.store.errors import DiskError
from kpadmin.store.marker import refresh_marker
from tests.gui.test_charging_harness import accept_confirmation, close_desk, open_desk


def _runtime_with_lost_database(tmp_path: Path) -> Runtime:
    runtime = open_runtime(tmp_path / "data")
    conn = open_store(runtime.db_path)
    SubscriberRepository(conn).add_many(
        NewSubscriber(f"cu-{i}", f"구독자{i}", 1000, 5, date(2026, 11, 5)) for i in range(3)
    )
    refresh_marker(conn)  # as the app does when it closes
    conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{runtime.db_path}{suffix}").unlink(missing_ok=True)
    return runtime


def _buttons(box: QMessageBox) -> dict[str, object]:
    return {b.text(): b for b in box.buttons()}


def _start(qtbot, qloop, runtime: Runtime):
    from kpadmin.gui.app import AppController

    controller = AppController(runtime, language="en")
    task = qloop.create_task(controller.main())
    return controller, task


def _next_box(qtbot, controller, previous=None) -> QMessageBox:
    qtbot.waitUntil(
        lambda: (
            controller.problem_box is not None
            and controller.problem_box is not previous
            and controller.problem_box.isVisible()
        ),
        timeout=10_000,
    )
    return controller.problem_box


def test_a_missing_database_asks_and_quit_is_the_default(qtbot, qloop, tmp_path, no_keyring):
    runtime = _runtime_with_lost_database(tmp_path)
    controller, task = _start(qtbot, qloop, runtime)
    box = _next_box(qtbot, controller)
    text = box.text()
    assert "This data folder had a database (3 subscriber(s), no charge batch yet)" in text
    assert str(runtime.db_path) in text and "backup" in text
    buttons = _buttons(box)
    assert set(buttons) == {"Quit", "Start with an empty database…"}
    assert box.defaultButton() is buttons["Quit"] and box.escapeButton() is buttons["Quit"]
    assert controller.window is None  # nothing behind it opened the database
    buttons["Quit"].click()
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.result() == ExitCode.DATABASE
    assert not runtime.db_path.exists()  # refused: no empty database was created


def test_start_empty_needs_an_explicit_confirmation(qtbot, qloop, tmp_path, no_keyring):
    # Nothing listens there: the app opens without starting a sandbox.
    runtime = _runtime_with_lost_database(tmp_path).with_settings(
        Settings(api_base_url="http://127.0.0.1:9")
    )
    controller, task = _start(qtbot, qloop, runtime)
    first = _next_box(qtbot, controller)
    _buttons(first)["Start with an empty database…"].click()
    confirm = _next_box(qtbot, controller, first)
    assert "3 subscriber(s)" in confirm.text() and "backup" in confirm.text()
    assert confirm.defaultButton() is _buttons(confirm)["Cancel"]  # Enter does not start empty
    _buttons(confirm)["Cancel"].click()
    again = _next_box(qtbot, controller, confirm)  # back to the first question, nothing created
    assert "Quit" in _buttons(again)
    assert not runtime.db_path.exists()
    _buttons(again)["Start with an empty database…"].click()
    confirm = _next_box(qtbot, controller, again)
    _buttons(confirm)["Start empty"].click()
    qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible())
    assert controller.window.model.rowCount() == 0
    assert controller.backend.runtime.new_database is False  # this one opening only
    controller.window.close()
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.result() == 0
    open_store(runtime.db_path).close()  # an ordinary database from now on


def test_a_damaged_database_offers_quit_only(qtbot, qloop, tmp_path, no_keyring):
    runtime = open_runtime(tmp_path / "data")
    open_store(runtime.db_path).close()
    runtime.db_path.write_text("not a database\n" * 20, encoding="utf-8")
    controller, task = _start(qtbot, qloop, runtime)
    box = _next_box(qtbot, controller)
    assert "is damaged (it is not a SQLite database file)" in box.text()
    assert "restore the file from a backup" in box.text()
    assert set(_buttons(box)) == {"Quit"}
    _buttons(box)["Quit"].click()
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.result() == ExitCode.DATABASE


def test_a_newer_database_says_update(qtbot, qloop, tmp_path, no_keyring):
    runtime = open_runtime(tmp_path / "data")
    open_store(runtime.db_path).close()
    raw = sqlite3.connect(runtime.db_path)
    raw.execute("PRAGMA user_version = 99")
    raw.close()
    controller, task = _start(qtbot, qloop, runtime)
    box = _next_box(qtbot, controller)
    assert "written by a newer kpadmin" in box.text() and "Update kpadmin" in box.text()
    box.reject()  # Esc
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.result() == ExitCode.DATABASE


def test_a_disk_refusing_the_database_is_exit_disk(qtbot, qloop, tmp_path, no_keyring, monkeypatch):
    runtime = open_runtime(tmp_path / "data")

    def full(self, mode=None):
        raise DiskError(self.db_path, "full")

    monkeypatch.setattr(Runtime, "open_store", full)
    controller, task = _start(qtbot, qloop, runtime)
    box = _next_box(qtbot, controller)
    assert "the disk is full" in box.text() and "Free some space" in box.text()
    _buttons(box)["Quit"].click()
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.result() == ExitCode.DISK


# -- the charging window ------------------------------------------------------------------------


class _FullDisk:
    """Once `full`, every transaction of the store fails at COMMIT, as on a full disk."""

    def __init__(self, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        self.full = False
        self.sends_at_failure: int | None = None
        self.sends = 0
        self._real = store.transaction
        monkeypatch.setattr(store, "transaction", self.transaction)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._real():
            yield
            if self.full:
                if self.sends_at_failure is None:
                    self.sends_at_failure = self.sends
                raise sqlite3.OperationalError("database or disk is full")


@pytest.fixture
def desk(qtbot, arun, sandbox_factory, tmp_path, memory_keyring):
    box = sandbox_factory(seed=1, latency_ms=80)
    opened = open_desk(qtbot, arun, box, tmp_path / "d", count=12, concurrency=2)
    yield opened
    close_desk(opened, qtbot, arun)


def test_a_full_disk_mid_batch_shows_one_message_and_stops_sending(qtbot, desk, monkeypatch):
    disk = _FullDisk(desk.backend.store, monkeypatch)
    gateway = desk.backend.gateway()
    original = gateway.charge_key

    async def counting_charge_key(*args, **kwargs):
        disk.sends += 1
        return await original(*args, **kwargs)

    monkeypatch.setattr(gateway, "charge_key", counting_charge_key)
    controller = desk.controller
    controller.charge_all_due()
    accept_confirmation(qtbot, controller).accept()
    qtbot.waitUntil(lambda: controller._progress.done >= 3, timeout=15_000)
    disk.full = True
    qtbot.waitUntil(lambda: controller.task is not None and controller.task.done(), timeout=30_000)
    qtbot.waitUntil(lambda: not controller.running, timeout=30_000)
    result = controller.last_result
    assert isinstance(result.journal_error, DiskError)
    assert disk.sends_at_failure is not None and disk.sends == disk.sends_at_failure
    assert disk.sends < 12  # stopped: the rest never left
    batch = controller.batch_dialog
    assert batch.headline.text() == "Stopped: the journal could not be written"
    assert "the disk is full" in batch.subline.text()
    assert "looked up at i'mport before anyone is charged again" in batch.subline.text()
    level, text = messages.bridge().history[-1]
    assert level == messages.Level.ERROR and text == batch.subline.text()


def test_a_full_disk_met_by_a_gui_write_is_a_message_not_a_traceback(qapp, tmp_path):
    """A write from a slot (an edit, a pause) that meets a full disk reaches the excepthook: the
    status bar says so calmly; no exception dialog opens."""
    from kpadmin.gui import crash

    exc = DiskError(tmp_path / "kpadmin.sqlite3", "full")
    crash._excepthook(DiskError, exc, None)
    assert crash.current_dialog() is None
    level, text = messages.bridge().history[-1]
    assert level == messages.Level.ERROR
    assert "the disk is full" in text and "Free some space" in text
