"""CSV import/export from the window, and the app's start-up."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kpadmin.gui.app import prepare_environment
from kpadmin.gui.main_window import MainWindow
from tests.clock import child_env

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def sandbox_window(qtbot, sandbox_backend):
    w = MainWindow(sandbox_backend)
    qtbot.addWidget(w)
    w.show()
    return w


def test_import_reports_bad_lines_then_imports_the_good_ones(qtbot, sandbox, sandbox_window):
    for uid in ("cu_csv_1", "cu_csv_2"):
        sandbox.state.issue_billing_key(uid, card_name="신한카드")
    data = (
        "customer_uid,name,phone,amount\n"
        "cu_csv_1,김하늘,010-1111-2222,9900\n"
        "cu_csv_2,이바다,010-3333-4444,-5\n"
        "cu_csv_3,박구름,010-5555-6666,19900\n"
        "cu_csv_2,이바다,010-3333-4444,19900\n"
    ).encode()
    task = sandbox_window.csv.run_import(data, skip_bad=False)
    qtbot.waitUntil(task.done, timeout=10_000)
    # The results dialog opens from the task's done-callback, one loop turn after done().
    qtbot.waitUntil(lambda: sandbox_window.csv.import_dialog is not None, timeout=10_000)
    dialog = sandbox_window.csv.import_dialog
    assert not dialog.report.applied
    problems = dialog.problems.toPlainText()
    assert "line 3" in problems  # the bad amount, by line number
    assert "line 4" in problems  # no billing key at i'mport
    assert sandbox_window.model.rowCount() == 0  # nothing imported
    assert dialog.import_good is not None
    dialog.accept()  # "Import the good rows"
    qtbot.waitUntil(lambda: sandbox_window.model.rowCount() > 0, timeout=10_000)
    names = {r.subscriber.name for r in sandbox_window.model.rows}
    assert "김하늘" in names and "박구름" not in names


def test_export_subscribers_and_charges(qtbot, window, tmp_path):
    target = tmp_path / "subs.csv"
    count = window.csv.start_export(str(target), "subscribers")
    assert count == 30
    with target.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 30 and rows[0]["customer_uid"]
    charges = tmp_path / "charges.csv"
    assert window.csv.start_export(str(charges), "charges") > 0
    assert window.backend.audit.list(action="export", limit=1)


def test_environment_defaults_only_fill_gaps():
    env: dict[str, str] = {}
    prepare_environment(env, platform="linux", is_root=True)
    assert env["QT_QPA_PLATFORM"] == "offscreen"
    assert env["QTWEBENGINE_DISABLE_SANDBOX"] == "1"
    with_display = {"DISPLAY": ":0"}
    prepare_environment(with_display, platform="linux", is_root=False)
    assert "QT_QPA_PLATFORM" not in with_display
    assert "QTWEBENGINE_DISABLE_SANDBOX" not in with_display
    chosen = {"QT_QPA_PLATFORM": "xcb"}
    prepare_environment(chosen, platform="linux", is_root=False)
    assert chosen["QT_QPA_PLATFORM"] == "xcb"
    mac: dict[str, str] = {}
    prepare_environment(mac, platform="darwin", is_root=False)
    assert "QT_QPA_PLATFORM" not in mac


def test_first_run_opens_the_window_without_set_up_or_webengine(tmp_path):
    """The real `kpadmin` command in a child process, on an empty data dir."""
    # Nothing of the developer's kpadmin environment, only the tests' clock (KPADMIN_NOW).
    env = child_env({k: v for k, v in os.environ.items() if not k.startswith("KPADMIN_")})
    result = subprocess.run(
        [sys.executable, "-m", "kpadmin", "--data-dir", str(tmp_path), "gui", "--startup-probe"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["window_visible"] is True
    assert probe["webengine_loaded"] is False
    assert (tmp_path / "sandbox" / "kpadmin.sqlite3").exists()  # sandbox mode by default


def test_mode_switch_reopens_the_store_for_that_mode(qtbot, qloop, tmp_path, no_keyring):
    """The app controller: saving settings with another mode reopens everything for that mode."""
    from kpadmin.billing.settings import Settings
    from kpadmin.gui.app import AppController
    from kpadmin.runtime import open_runtime

    runtime = open_runtime(tmp_path / "data").with_settings(
        Settings(mode="sandbox", api_base_url="http://127.0.0.1:9")  # nothing listens: no sandbox
    )
    controller = AppController(runtime, language="en")
    task = qloop.create_task(controller.main())
    qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible())
    first = controller.window
    assert first.banner.mode == "sandbox"
    assert controller.backend.runtime.db_path.parent.name == "sandbox"
    # What the settings dialog does on Save: write the file, then tell the window.
    controller.backend.runtime = runtime.save_settings(Settings(mode="test"))
    first.settings_saved.emit(runtime.settings, Settings(mode="test"))
    qtbot.waitUntil(lambda: controller.window is not first and controller.window is not None)
    second = controller.window
    assert second.banner.mode == "test"
    assert controller.backend.runtime.db_path.parent.name == "test"
    # No test-mode credentials here: the window still opens and says why it is not connected.
    qtbot.waitUntil(lambda: second.connection_label.text() == "Not connected", timeout=10_000)
    second.close()
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.result() == 0


def test_first_run_connects_to_the_built_in_sandbox(qtbot, qloop, tmp_path, no_keyring):
    """Default settings: sandbox mode, the in-process sandbox starts after the window shows."""
    from kpadmin.gui.app import AppController
    from kpadmin.runtime import open_runtime

    controller = AppController(open_runtime(tmp_path / "data"), language="en")
    task = qloop.create_task(controller.main())
    qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible())
    window = controller.window
    qtbot.waitUntil(lambda: controller.backend.api is not None, timeout=20_000)
    assert controller.backend.api.sandbox is not None
    assert window.connection_label.text() == "Connected: built-in sandbox"
    window.close()
    qtbot.waitUntil(task.done, timeout=20_000)
    assert task.result() == 0
