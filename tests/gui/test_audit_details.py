"""Audit details in the UI language (issue #13): each detail family said in Korean and in English
from its code and parameters, the codes inside (states, reasons, settings) by their labels; rows
from before codes as the English they stored; the audit view and the detail pane show them; the
selftest's detector finds an English detail."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kpadmin.billing import subscribers
from kpadmin.billing.messages import ENGLISH, AuditAction, Message, MessageCode, Term, TermKind
from kpadmin.billing.records import AuditEvent
from kpadmin.gui import books_window as books
from kpadmin.gui import i18n
from kpadmin.gui.texts import audit_detail, say
from kpadmin.gui.ui_language import audit_leftovers, english_words
from tests.billing.audit_samples import FAMILIES
from tests.sql import sql

HANGUL = re.compile(r"[가-힣]")
#: Templates that are only placeholders and punctuation: the same in every language.
NO_WORDS = re.compile(r"^[\W\d_]*$")


def _event(message: Message, action: str = "edit") -> AuditEvent:
    return AuditEvent(
        id=1,
        at=datetime(2026, 12, 7, 1, 0, tzinfo=UTC),
        staff="민지",
        action=action,
        subscriber_id=None,
        detail=message.english(),
        detail_code=message.code.value,
        detail_params=message.params_json(),
    )


@pytest.fixture
def korean(qapp: object):
    assert i18n.install("ko") == "ko"
    yield
    assert i18n.install("en") == "en"


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_family_is_said_in_korean(korean: None, family: str) -> None:
    for message in FAMILIES[family]:
        said = say(message)
        assert "{" not in said and "}" not in said, said
        bare = re.sub(r"\{[^}]*\}", "", ENGLISH[message.code])
        if not NO_WORDS.match(bare):
            assert HANGUL.search(said), said
        # No English UI word once the data (ids, names, a server's words) is left out.
        assert audit_leftovers([_event(message)]) == [], said


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_family_is_said_in_english(qapp: object, family: str) -> None:
    assert i18n.install("en") == "en"
    for message in FAMILIES[family]:
        said = say(message)
        assert "{" not in said and not HANGUL.search(re.sub(r"[가-힣]+", "", said)), said


def test_codes_inside_a_detail_are_said_by_their_labels(korean: None) -> None:
    move = FAMILIES["keys and subscribers"][6]
    assert say(move) == "이용 중 → 일시 정지"
    charge = FAMILIES["charges"][3]
    assert say(charge).startswith("2026-12 ₩9,900 결제 거절 (1회차")
    settings = say(FAMILIES["settings"][0])
    assert "동시 결제 수: 4 → 8" in settings and "매일 자동 실행: 끔 → 09:30" in settings
    assert "REST API 시크릿 바꿈" in settings
    failed = say(FAMILIES["signup"][3])
    assert failed.startswith("결제 거절: 카카오페이가 요청을 거절했습니다.")
    assert "가입 경로 전화" in failed


def test_the_english_ui_says_labels_too(qapp: object) -> None:
    assert i18n.install("en") == "en"
    assert say(FAMILIES["keys and subscribers"][6]) == "Active → Paused"


def test_a_row_from_before_codes_shows_its_english(korean: None) -> None:
    old = AuditEvent(1, datetime(2026, 1, 1, tzinfo=UTC), "kim", "pause", None, "active → paused")
    assert audit_detail(old) == "active → paused"
    newer = AuditEvent(
        2,
        datetime(2026, 1, 1, tzinfo=UTC),
        "kim",
        "pause",
        None,
        "what a newer one said",
        "audit.from_a_newer_kpadmin",
        "{}",
    )
    assert audit_detail(newer) == "what a newer one said"


def test_the_detector_finds_an_english_detail(korean: None) -> None:
    old = AuditEvent(1, datetime(2026, 1, 1, tzinfo=UTC), "kim", "pause", None, "active → paused")
    assert audit_leftovers([old]) == ["pause: active → paused (no message code)"]
    korean_data = AuditEvent(2, datetime(2026, 1, 1, tzinfo=UTC), "kim", "edit", None, "김민지")
    assert audit_leftovers([korean_data]) == []
    unknown_setting = Message.of(
        MessageCode.AUDIT_SETTING_CHANGE,
        key=Term(TermKind.SETTING, "brand_new_setting"),
        old=Term(TermKind.SETTING_VALUE, "1"),
        new=Term(TermKind.SETTING_VALUE, "2"),
    )
    (found,) = audit_leftovers([_event(unknown_setting, "settings")])
    assert "brand_new_setting" in found
    # A template without its Korean: the English UI words are found.
    assert english_words("refunded ₩1,000 of ₩9,900") == ["refunded", "of"]


def _shots() -> Path | None:
    where = os.environ.get("KPADMIN_TEST_SHOTS")
    return Path(where) if where else None


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_audit_view_and_the_detail_pane_say_details(seeded, qtbot, tmp_path, language) -> None:
    """Rendered to PNG in both languages (KPADMIN_TEST_SHOTS=DIR keeps them to look at)."""
    from kpadmin.gui.main_window import MainWindow

    assert i18n.install(language) == language
    try:
        window = MainWindow(seeded)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        backend = window.backend
        row = window.model.rows[0]
        sid = row.id
        assert subscribers.pause(backend.store, sid, staff="민지", now=backend.now()) or True
        backend.edit(sid, {"memo": "전화 요망"})
        backend.record(AuditAction.SETTINGS, FAMILIES["settings"][0])
        sql(
            backend.store,
            "INSERT INTO audit (at, staff, action, subscriber_id, detail) VALUES (?, ?, ?, ?, ?)",
            (backend.now().isoformat(), "old", "cancel", sid, "cancelled: from before codes"),
        )
        w = window.open_books(books.AUDIT)
        w.resize(1280, 800)
        view = w.audit
        view.refresh()
        details = [view.table.item(r, 4).text() for r in range(view.table.rowCount())]
        assert "cancelled: from before codes" in details  # an old row: its English
        window.select_ids([sid])
        pane = window.detail.audit
        pane_details = [pane.topLevelItem(i).text(3) for i in range(pane.topLevelItemCount())]
        if language == "ko":
            assert any("동시 결제 수: 4 → 8" in d for d in details)
            assert "메모: — → 전화 요망" in pane_details
            assert "cancelled: from before codes" in pane_details
            coded = [line.event for line in view.lines if line.event.detail_code]
            assert coded and audit_leftovers(coded) == []
        else:
            assert any("Charges at once: 4 → 8" in d for d in details)
            assert "Memo: — → 전화 요망" in pane_details
        shots = _shots() or tmp_path
        shots.mkdir(parents=True, exist_ok=True)
        assert w.grab().save(str(shots / f"audit-view-{language}.png"))
        window.resize(1280, 800)
        window.detail.tabs.setCurrentWidget(pane)
        assert window.grab().save(str(shots / f"detail-pane-{language}.png"))
        w.close()
    finally:
        i18n.install("en")


def test_every_code_a_detail_can_hold_has_its_korean_label(korean: None) -> None:
    """A setting, a field, a state, a channel, a sign-up failure reason, a setting's word: each
    has a label with Hangul (a new setting without one would show its English key)."""
    from kpadmin.billing import settings
    from kpadmin.billing.messages import SETTING_WORDS
    from kpadmin.billing.records import ChargeState, SignupChannel, SubscriberState
    from kpadmin.billing.signup.verify import FailureReason
    from kpadmin.gui.texts import term_label

    cases = [
        *((TermKind.SETTING, k) for k in settings.KEYS),
        *((TermKind.SETTING_VALUE, v) for v in SETTING_WORDS - {"-", "en"}),
        *((TermKind.SUBSCRIBER_STATE, s.value) for s in SubscriberState),
        *((TermKind.CHARGE_STATE, s.value) for s in ChargeState),
        *((TermKind.CHANNEL, c.value) for c in SignupChannel),
        *((TermKind.SIGNUP_REASON, r.value) for r in FailureReason),
        *((TermKind.SECRET, n) for n in ("imp_key", "imp_secret", "smtp_password")),
        *((TermKind.EXPORT, w) for w in ("subscribers", "charges")),
        *((TermKind.FIELD, f) for f in ("name", "phone", "email", "plan", "amount", "memo")),
        *((TermKind.FIELD, f) for f in ("billing_day", "next_charge_date")),
    ]
    unlabelled = [(k, v) for k, v in cases if not HANGUL.search(term_label(Term(k, v)))]
    assert unlabelled == []


def test_a_setting_s_own_value_is_data(korean: None) -> None:
    from kpadmin.billing.messages import setting_change

    change = setting_change(MessageCode.AUDIT_SETTING_CHANGE, "merchant_name", "-", "Hello Shop")
    assert say(change) == "상호: - → Hello Shop"
    assert audit_leftovers([_event(change, "settings")]) == []


def test_the_selftest_fails_on_an_english_detail(korean: None) -> None:
    """The journey collects what `audit_leftovers` finds; its settings step fails on any (a run
    with one Korean template turned back into English ended "✗ settings: … billing key present")."""
    from kpadmin.gui.selftest import Journey

    journey = Journey(Path("."), None, lambda _line: None, "ko")
    old = AuditEvent(1, datetime(2026, 1, 1, tzinfo=UTC), "kim", "pause", None, "active → paused")
    journey.check_details("audit", [old, _event(FAMILIES["refunds"][0], "refund")])
    assert journey.english == ["audit: pause: active → paused (no message code)"]
    english = Journey(Path("."), None, lambda _line: None, "en")
    english.check_details("audit", [old])
    assert english.english == []


def test_every_outcome_note_a_charge_line_can_hold_is_korean(korean: None) -> None:
    """The engine's notes ride in charge lines (`journal.Write.note`): none leaves an English
    word on the Korean screen (their values, data, left out)."""
    placeholder = re.compile(r"\{(\w+)")
    found = []
    for code in MessageCode:
        if not code.value.startswith("outcome."):
            continue
        params = dict.fromkeys(placeholder.findall(ENGLISH[code]), 1)
        note = Message.of(code, **params)
        line = Message.of(
            MessageCode.AUDIT_CHARGE,
            state=Term(TermKind.CHARGE_STATE, "unknown"),
            amount=9_900,
            period="2026-12",
            attempt=1,
            order_id="kp-1",
            payment="",
            note=Message.of(MessageCode.AUDIT_CHARGE_NOTE, text=(note,)),
        )
        found += audit_leftovers([_event(line, "charge")])
    assert found == []
