"""One translation system: every string the UI can show has its Korean, in one catalogue.

The strings are found the way Qt's lupdate finds them, independently of it: every literal passed
to ``self.tr`` (context: the class it is written in), to the bare ``tr`` of
`kpadmin.gui.formatting` (the empty context), to ``QCoreApplication.translate(context, …)``, and
the core's templates marked ``QT_TRANSLATE_NOOP`` in `kpadmin.billing.messages`. Each must be in
resources/translations/kpadmin_ko.ts with a finished translation that keeps the source's
``{placeholders}``, and the compiled .qm must be the .ts as it is (scripts/update_translations.sh).
"""

from __future__ import annotations

import ast
import re
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from kpadmin.billing import messages as core
from kpadmin.billing.due import SkipReason
from kpadmin.billing.messages import AUDIT_LABELS, ENGLISH, AuditAction, Message, MessageCode
from kpadmin.gui import i18n
from kpadmin.gui.charging.texts import skip_label
from kpadmin.gui.resources import resource_path
from kpadmin.gui.texts import audit_label, say

REPO = Path(__file__).resolve().parents[2]
GUI = REPO / "kpadmin" / "gui"
TS = resource_path("translations", "kpadmin_ko.ts")
QM = resource_path("translations", "kpadmin_ko.qm")

Key = tuple[str, str]  # (context, source)


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _strings_in(tree: ast.AST) -> Iterator[Key]:
    def visit(node: ast.AST, cls: str) -> Iterator[Key]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Call) and child.args:
                func = child.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                args = [_literal(a) for a in child.args[:2]]
                if name == "tr" and args[0] is not None:
                    is_method = isinstance(func, ast.Attribute)
                    yield (cls if is_method else "", args[0])
                elif name in ("translate", "QT_TRANSLATE_NOOP") and len(args) == 2:
                    context, source = args
                    if context is not None and source is not None:
                        yield (context, source)
            yield from visit(child, child.name if isinstance(child, ast.ClassDef) else cls)

    yield from visit(tree, "")


def ui_strings() -> set[Key]:
    files = [*sorted(GUI.rglob("*.py")), Path(core.__file__)]
    found: set[Key] = set()
    for path in files:
        found |= set(_strings_in(ast.parse(path.read_text(encoding="utf-8"))))
    return found


def catalogue() -> dict[Key, ET.Element]:
    out = {}
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            out[(name, message.findtext("source") or "")] = translation
    return out


def fields(text: str) -> list[tuple[str, str]]:
    """The ``{name:spec}`` placeholders of a template, sorted."""
    return sorted(
        (name, spec or "")
        for _lit, name, spec, _conv in string.Formatter().parse(text)
        if name is not None
    )


def test_the_scan_finds_the_ui() -> None:
    found = ui_strings()
    contexts = {c for c, _ in found}
    # The shell, the charging and sign-up packages and the core's codes are all in it.
    assert {"", "MainWindow", "BatchDialog", "SignupDialog", "Message", "AuditAction"} <= contexts
    assert len(found) > 400


def test_every_ui_string_has_its_korean() -> None:
    known = catalogue()
    missing = sorted(key for key in ui_strings() if key not in known)
    unfinished = sorted(
        key
        for key, t in known.items()
        if t.get("type") in ("unfinished", "obsolete", "vanished") or not (t.text or "").strip()
    )
    assert missing == [], "run scripts/update_translations.sh, then translate"
    assert unfinished == [], "translate these in resources/translations/kpadmin_ko.ts"


def test_the_catalogue_has_nothing_the_code_does_not_use() -> None:
    stale = sorted(set(catalogue()) - ui_strings())
    assert stale == [], "run scripts/update_translations.sh (it drops unused strings)"


def test_one_placeholder_style_kept_by_every_translation() -> None:
    for (context, source), translation in catalogue().items():
        korean = translation.text or ""
        assert not re.search(r"%\d", source + korean), (context, source)  # no Qt-style %1
        assert fields(korean) == fields(source), (context, source, korean)


def test_the_compiled_file_is_the_catalogue(tmp_path: Path) -> None:
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    fresh = tmp_path / "kpadmin_ko.qm"
    subprocess.run([str(lrelease), "-silent", str(TS), "-qm", str(fresh)], check=True)
    assert fresh.read_bytes() == QM.read_bytes(), "run scripts/update_translations.sh"


def test_every_code_has_english_and_a_label() -> None:
    assert set(ENGLISH) == set(MessageCode)
    assert set(AUDIT_LABELS) == set(AuditAction)
    example = Message.of(MessageCode.SKIP_AMOUNT_CHANGED, amount=12_900, confirmed=9_900)
    assert example.english() == (
        "the amount changed to ₩12,900 since the plan was made (₩9,900 was confirmed); plan again"
    )
    assert str(example) == example.english()


@pytest.fixture
def korean(qapp: object) -> Iterator[None]:
    assert i18n.install("ko") == "ko"
    yield
    assert i18n.install("en") == "en"


def test_codes_are_said_in_korean(korean: None) -> None:
    note = Message.of(MessageCode.SKIP_MONTHLY_CAP, paid=2, cap=2)
    assert say(note) == "이번 달 결제 2건. 카카오페이 월 한도는 빌링키당 2건입니다"
    assert say(Message.of(MessageCode.OUTCOME_AMOUNT_MISMATCH, asked=9_900, paid=19_800)) == (
        "금액 불일치: ₩9,900을 요청했는데 아임포트가 ₩19,800을 결제했습니다. "
        "결제 완료로 기록했으니 아임포트에서 이 결제를 확인하세요"
    )
    assert audit_label("signup") == "가입 완료"
    assert audit_label(AuditAction.CHARGE_BATCH) == "일괄 결제"
    assert audit_label("something_newer") == "something_newer"  # a newer version's action
    hangul = re.compile(r"[가-힣]")
    for reason in SkipReason:
        assert hangul.search(skip_label(reason)), reason
    for action in AuditAction:
        assert hangul.search(audit_label(action)), action


def test_english_is_the_source(qapp: object) -> None:
    assert i18n.install("en") == "en"
    assert say(Message.of(MessageCode.SKIP_NOT_DUE, date="2026-12-05")) == (
        "next charge date is 2026-12-05"
    )
    assert audit_label("signup") == "Signed up"


def test_a_translation_that_lost_a_placeholder_does_not_raise(qapp: object) -> None:
    assert core.render("{amount} and {missing}", {"amount": 1}) == "{amount} and {missing}"


def test_the_installed_catalogue_does_not_leak_none(korean: None) -> None:
    """The regression the Python `QTranslator.translate` overrides caused (gui/i18n.py)."""
    before = sys.getrefcount(None)
    for _ in range(5000):
        QCoreApplication.translate("SomeOtherContext", "not a string of ours")
    assert abs(sys.getrefcount(None) - before) < 100
