"""Audit details are messages (issue #13): a code and its parameters stored with the English.

Every detail family's English formats; every audit code has a sample; a detail survives the JSON it
is stored as; `record` refuses bare text and redacts what a parameter might carry; no call of
`record` in kpadmin passes a finished sentence; rows from before revision 0006 keep their English.
"""

from __future__ import annotations

import ast
import json
import re
from datetime import date
from pathlib import Path

import pytest

from kpadmin.billing.messages import ENGLISH, Message, MessageCode, Term, TermKind
from kpadmin.redact import register_secret
from kpadmin.store import NewSubscriber, Store
from tests.billing.audit_samples import FAMILIES, codes_in, every_sample

REPO = Path(__file__).resolve().parents[2]
AUDIT_CODES = {c for c in MessageCode if c.value.startswith("audit.")}


def test_every_audit_code_has_a_sample() -> None:
    covered = set().union(*(codes_in(m) for m in every_sample()))
    assert AUDIT_CODES - covered == set()


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_family_s_english_formats(family: str) -> None:
    for message in FAMILIES[family]:
        english = message.english()
        assert english and "{" not in english and "}" not in english, english
        assert "None" not in english and "Term(" not in english and "Message(" not in english


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_family_survives_its_json(family: str) -> None:
    for message in FAMILIES[family]:
        stored = Message.stored(message.code.value, message.params_json())
        assert stored == message
        assert stored is not None and stored.english() == message.english()


def test_the_english_is_the_detail_of_before() -> None:
    """The CLI, logs and exports read the English: it says what it said before codes."""
    samples = FAMILIES["keys and subscribers"]
    assert samples[6].english() == "active → paused"
    assert samples[5].english() == "billing key present: key_missing → active"
    assert FAMILIES["charges"][0].english() == (
        "paid ₩9,900 for 2026-12 (attempt 2, merchant_uid kp-1-202612-2)"
    )
    assert FAMILIES["charges"][7].english() == "daily run 2026-12-07 by 김민지"
    assert FAMILIES["settings"][1].english() == "setting monthly_limit: (unset) → 2"


def test_an_unknown_code_or_value_is_no_message() -> None:
    assert Message.stored(None, None) is None
    assert Message.stored("audit.from_a_newer_kpadmin", "{}") is None
    assert Message.stored("audit.state_move", '{"was": {"$t": "newer_kind", "v": "x"}}') is None
    assert Message.stored("audit.state_move", "not json") is None
    assert Message.stored("audit.state_move", "[1]") is None


def test_record_refuses_text(any_store: Store) -> None:
    with pytest.raises(TypeError):
        any_store.audit.record("민지", "settings", "mode: sandbox → test")  # type: ignore[arg-type]
    assert any_store.audit.list() == []


def test_record_stores_the_code_and_parameters(any_store: Store) -> None:
    store = any_store
    (sid,) = store.subscribers.add_many(
        [NewSubscriber("cu_a", "김민지", 9900, 1, date(2026, 12, 1))]
    )
    detail = FAMILIES["keys and subscribers"][6]
    store.audit.record("민지", "pause", detail, subscriber_id=sid)
    (event,) = store.audit.list()
    assert event.detail == "active → paused"
    assert event.detail_code == "audit.state_move"
    assert Message.stored(event.detail_code, event.detail_params) == detail
    assert json.loads(event.detail_params or "") == {
        "was": {"$t": "subscriber_state", "v": "active"},
        "now": {"$t": "subscriber_state", "v": "paused"},
    }


def test_record_redacts_every_text_parameter(any_store: Store) -> None:
    """A server's words quoted in a detail cannot carry a secret, a card or a phone number into
    the database: not in the English, not in the parameters."""
    secret = "s3cr3t-api-secret-value-1234567890"
    register_secret(secret)
    detail = Message.of(
        MessageCode.AUDIT_REFUND_REFUSED,
        asked=1_000,
        error=f"bad key {secret}; call 010-1234-5678; card 4111111111111111",
        balance=0,
        reason=Message.of(MessageCode.AUDIT_NOTE, text=secret),
    )
    any_store.audit.record("민지", "refund_refused", detail)
    (event,) = any_store.audit.list()
    for text in (event.detail, event.detail_params or ""):
        assert secret not in text
        assert "1234-5678" not in text and "4111111111111111" not in text


def _record_calls() -> list[tuple[Path, ast.Call]]:
    found = []
    for path in sorted((REPO / "kpadmin").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
            ):
                found.append((path, node))
    return found


def test_no_record_call_passes_a_sentence() -> None:
    """Every audit line of the core and the GUI is a message: no string literal, f-string or
    concatenation as the detail of ``audit.record(…)`` / ``backend.record(…)``."""
    calls = _record_calls()
    assert len(calls) > 30  # the scan finds them
    text = (ast.Constant, ast.JoinedStr, ast.BinOp)
    bad = []
    for path, call in calls:
        detail_index = 2 if len(call.args) >= 3 else 1  # store.audit.record(staff, action, d)
        is_backend = "backend" in ast.unparse(call.func) or ast.unparse(call.func) == "self.record"
        args = call.args[1:2] if is_backend else call.args[detail_index : detail_index + 1]
        args += [k.value for k in call.keywords if k.arg == "detail"]
        if any(
            isinstance(a, text) and not isinstance(getattr(a, "value", None), int) for a in args
        ):
            bad.append(f"{path.relative_to(REPO)}:{call.lineno}")
    assert bad == []


def test_every_template_s_placeholders_are_its_parameters() -> None:
    """A sample gives each template exactly the parameters it names (a typo would show as the
    raw template, or a parameter nobody sees)."""
    placeholder = re.compile(r"\{(\w+)")
    for message in every_sample():
        stack = [message]
        while stack:
            m = stack.pop()
            assert set(placeholder.findall(ENGLISH[m.code])) == set(m.params), m.code
            for value in m.params.values():
                stack += [
                    v
                    for v in (value if isinstance(value, tuple) else (value,))
                    if isinstance(v, Message)
                ]


def test_a_term_s_english_is_its_code() -> None:
    assert str(Term(TermKind.CHARGE_STATE, "declined")) == "declined"
    message = Message.of(
        MessageCode.AUDIT_RETRY_REQUESTED, state=Term(TermKind.SUBSCRIBER_STATE, "past_due")
    )
    assert message.english() == "retry requested (was past_due)"


def test_the_store_s_own_new_database_line_is_a_known_message() -> None:
    """kpadmin/store/sqlite.py writes the `new_database` row itself (the store does not import
    billing): its code and parameters must be those of `AUDIT_NEW_DATABASE`."""
    source = (REPO / "kpadmin" / "store" / "sqlite.py").read_text(encoding="utf-8")
    assert f'"detail_code": "{MessageCode.AUDIT_NEW_DATABASE.value}"' in source
    stored = Message.stored(MessageCode.AUDIT_NEW_DATABASE.value, json.dumps({"facts": "3 rows"}))
    assert stored is not None and stored.english().endswith("the missing database had 3 rows")
