"""The sign-up dialog's Korean: complete, compiled, current, and safe to leave installed.

The last test is the regression for the crash the first (Python ``QTranslator.translate``
override) version caused: once installed it was asked for every ``tr()`` in the app and leaked a
reference to ``None`` per call, so the table died with "deallocating None" after a few thousand
cells.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from kpadmin.billing import signup as core
from kpadmin.gui.signup import i18n

SIGNUP_GUI = Path(i18n.__file__).resolve().parent


def tr_sources() -> set[str]:
    found: set[str] = set()
    for path in SIGNUP_GUI.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", None)) == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


@pytest.fixture
def korean(qapp: Any) -> Iterator[None]:
    QLocale.setDefault(QLocale(QLocale.Language.Korean, QLocale.Country.SouthKorea))
    i18n.install_signup_translator()
    yield
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    i18n.install_signup_translator()


def test_every_string_has_korean() -> None:
    sources = tr_sources()
    assert len(sources) > 40  # the scan found the dialog's and the form's strings
    core_messages = {v for k, v in vars(core).items() if k.startswith("MSG_")}
    missing = sorted((sources | core_messages) - i18n.KO.keys())
    assert missing == []


def test_compiled_file_is_current(tmp_path: Path) -> None:
    fresh = tmp_path / "signup_ko.ts"
    i18n.write_ts(fresh)
    assert fresh.read_text(encoding="utf-8") == i18n.TS.read_text(encoding="utf-8"), (
        "run: .venv/bin/python -m kpadmin.gui.signup.i18n"
    )


def test_compiled_file_translates_every_entry_in_every_context(korean: None) -> None:
    for context in i18n.CONTEXTS:
        for source, korean_text in i18n.KO.items():
            assert QCoreApplication.translate(context, source) == korean_text
    # Other contexts fall through untouched.
    assert QCoreApplication.translate("MainWindow", "Cancel") == "Cancel"


def test_english_removes_it(qapp: Any) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    i18n.install_signup_translator()
    assert QCoreApplication.translate("SignupDialog", "Cancel sign-up") == "Cancel sign-up"


def test_installed_translator_does_not_leak_none(korean: None) -> None:
    before = sys.getrefcount(None)
    for _ in range(5000):
        QCoreApplication.translate("SomeOtherContext", "not a sign-up string")
    assert abs(sys.getrefcount(None) - before) < 100
