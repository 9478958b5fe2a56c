"""The app's start on an unusable settings.json: a dialog offering the defaults (the old file kept
aside) or quitting; never a traceback, never a silent change of mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from kpadmin.billing import settings as settings_mod
from kpadmin.gui import settings_problem
from kpadmin.runtime import open_runtime


def _error(data: Path, content: bytes) -> settings_mod.SettingsFileError:
    (data / "settings.json").write_bytes(content)
    with pytest.raises(settings_mod.SettingsFileError) as info:
        open_runtime(data)
    return info.value


def test_the_box_names_the_file_and_says_live_becomes_sandbox(qapp, data_dir: Path) -> None:
    exc = _error(data_dir, b'\xff{"mode": "live"}')
    box, use_defaults = settings_problem.problem_box(exc)
    details = box.informativeText()
    assert box.text() == "The settings file cannot be read."
    assert str(data_dir / "settings.json") in details and "not UTF-8 text" in details
    assert "settings.json.broken-<time>" in details and "SANDBOX mode" in details
    assert "may have said LIVE mode" in details
    assert use_defaults is not None and use_defaults.text() == "Use the defaults (SANDBOX)"
    assert box.defaultButton().objectName() == "quit"  # Enter quits; nothing changes
    assert box.escapeButton() is box.defaultButton()


def test_a_refused_value_is_named_too(qapp, data_dir: Path) -> None:
    exc = _error(data_dir, json.dumps({"mode": "test", "requests_per_second": 1e-300}).encode())
    box, _ = settings_problem.problem_box(exc)
    assert box.text() == "The settings file holds a value kpadmin refuses."
    assert "requests_per_second must be between 0.1 and 1000" in box.informativeText()
    assert "may have said TEST mode" in box.informativeText()


def test_quitting_changes_nothing(qapp, data_dir: Path) -> None:
    exc = _error(data_dir, b"[" * 30_000 + b"]" * 30_000)
    assert settings_problem.offer_defaults(exc, choose=lambda box, button: False) is None
    assert (data_dir / "settings.json").read_bytes().startswith(b"[[[")
    assert not list(data_dir.glob("settings.json.broken-*"))


def test_using_the_defaults_keeps_the_old_file_aside_through_the_real_dialog(
    qapp, data_dir: Path
) -> None:
    broken = b'{"mode": "live", "api_base_url": "http://gw.example.com"}'
    exc = _error(data_dir, broken)
    shown: list[str] = []

    def click_use_defaults() -> None:
        box = qapp.activeModalWidget()
        shown.append(box.objectName())
        box.findChild(type(box.defaultButton()), "use_defaults").click()

    QTimer.singleShot(0, click_use_defaults)
    assert settings_problem.offer_defaults(exc) == data_dir  # the real exec() path
    assert shown == ["settings_problem_box"]
    (kept,) = data_dir.glob("settings.json.broken-*")
    assert kept.read_bytes() == broken
    runtime = open_runtime(data_dir)
    assert runtime.settings == settings_mod.Settings() and runtime.mode == "sandbox"
