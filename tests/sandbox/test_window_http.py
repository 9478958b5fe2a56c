"""The browser side of the sandbox over plain HTTP: checkout sessions, pre-validation, the one
outcome rule, parameter binding, escaping and headers. (The same routes driven by a real browser:
test_browser_window.py.)"""

from __future__ import annotations

import asyncio
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from kpadmin.sandbox.checkout import CANCEL_CODE, CANCEL_MESSAGE, DECLINE_CODE, TIMEOUT_CODE
from kpadmin.sandbox.config import SandboxConfig
from kpadmin.sandbox.server import SandboxServer
from kpadmin.sandbox.state import CUSTOMER_CARD_FIELDS, PAYMENT_CARD_FIELDS
from kpadmin.sandbox.web import format_won, qr_svg, render
from tests.fixtures.sandbox import RunningSandbox, SandboxFactory
from tests.sandbox.spec import assert_matches_spec

PARENT = "http://localhost:5173"
#: One connection pool for the module: a fresh httpx client per request costs ~50 ms (SSL set-up).
HTTP = httpx.Client()
CALLBACK_KEYS = {
    "imp_uid",
    "merchant_uid",
    "error_code",
    "error_msg",
    "status",
    "paid_amount",
    "currency",
    "pay_method",
    "pg_provider",
    "pg_tid",
    "name",
    "buyer_name",
    "buyer_email",
    "buyer_tel",
    "custom_data",
    "paid_at",
    "receipt_url",
    "card_name",
    "card_number",
}


@pytest.fixture(scope="module", autouse=True)
def _close_http_client() -> Iterator[None]:
    yield
    HTTP.close()


@pytest.fixture(scope="module")
def quiet_sandbox() -> Iterator[RunningSandbox]:
    """One sandbox for the tests that must leave no trace (starting one costs ~0.2 s)."""
    server = SandboxServer(SandboxConfig(seed=0))
    server.start()
    yield RunningSandbox(server)
    server.close()


def params(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "pg": "kakaopay.TCSUBSCRIP",
        "pay_method": "card",
        "merchant_uid": "signup_0001",
        "customer_uid": "cu_0001",
        "name": "베이직 월간 구독",
        "amount": 0,
        "buyer_name": "홍길동",
        "buyer_tel": "010-1234-5678",
        "buyer_email": "gildong@example.com",
        "custom_data": {"plan": "basic"},
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def checkout(
    sandbox: RunningSandbox, p: dict[str, Any], *, imp_code: str | None = "imp00000000"
) -> httpx.Response:
    body = json.dumps({"imp_code": imp_code, "params": p})
    return HTTP.post(
        f"{sandbox.base_url}/sandbox/kakaopay/checkout",
        content=body,
        headers={"Content-Type": "text/plain;charset=UTF-8", "Origin": PARENT},
    )


@dataclass
class Window:
    url: str
    page: httpx.Response
    session: dict[str, Any]

    @property
    def token(self) -> str:
        return str(self.session["window_token"])

    def post(self, body: dict[str, Any], **headers: str) -> httpx.Response:
        return HTTP.post(
            f"{self.url}/outcome",
            json=body,
            headers={"X-Window-Token": self.token, **headers},
        )


def open_window(sandbox: RunningSandbox, p: dict[str, Any]) -> Window:
    answer = checkout(sandbox, p)
    assert answer.status_code == 200
    body = answer.json()
    assert "rsp" not in body, body
    page = HTTP.get(body["window_url"])
    assert page.status_code == 200
    found = re.search(r'data-session="([^"]*)"', page.text)
    assert found is not None
    return Window(body["window_url"], page, json.loads(html.unescape(found.group(1))))


def rest_get(sandbox: RunningSandbox, path: str) -> httpx.Response:
    return HTTP.get(f"{sandbox.base_url}{path}", headers=sandbox.auth_headers())


# ----------------------------------------------------------------------------- static parts


def test_iamport_js_is_served_as_javascript(sandbox: RunningSandbox) -> None:
    answer = HTTP.get(f"{sandbox.base_url}/v1/iamport.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["x-content-type-options"] == "nosniff"
    for name in ("request_pay", "init", "agency", "document.currentScript"):
        assert name in answer.text
    # The new v1 SDK's callback has no success field: nothing in the SDK builds one.
    assert re.search(r"\bsuccess\s*:", answer.text) is None


def test_demo_page_and_root_redirect(sandbox: RunningSandbox) -> None:
    root = HTTP.get(f"{sandbox.base_url}/", follow_redirects=False)
    assert root.status_code == 307
    assert root.headers["location"].endswith("/sandbox/")
    demo = HTTP.get(f"{sandbox.base_url}/sandbox/")
    assert demo.status_code == 200
    assert '<script src="/v1/iamport.js"></script>' in demo.text
    assert 'data-imp-code="imp00000000"' in demo.text
    csp = demo.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_static_serves_only_listed_files(sandbox: RunningSandbox) -> None:
    ok = HTTP.get(f"{sandbox.base_url}/sandbox/static/kakaopay-window.js")
    assert ok.status_code == 200 and ok.headers["content-type"].startswith("text/javascript")
    for name in ("kakaopay-window.html", "..%2Fweb.py", "nope.js"):
        assert HTTP.get(f"{sandbox.base_url}/sandbox/static/{name}").status_code == 404


def test_checkout_is_a_simple_cors_request(sandbox: RunningSandbox) -> None:
    preflight = HTTP.options(
        f"{sandbox.base_url}/sandbox/kakaopay/checkout",
        headers={"Origin": PARENT, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    answer = checkout(sandbox, params())
    assert answer.headers["access-control-allow-origin"] == "*"
    assert answer.json()["window_url"].startswith(f"{sandbox.base_url}/sandbox/kakaopay/window/")


# ----------------------------------------------------------------------------- pre-validation


@pytest.mark.parametrize(
    ("imp_code", "overrides", "error_code"),
    [
        (None, {}, "NOT_INITIALIZED"),
        ("imp12345678", {}, "INVALID_IMP_CODE"),
        ("imp00000000", {"customer_uid": None}, "INVALID_CUSTOMER_UID"),
        ("imp00000000", {"customer_uid": "  "}, "INVALID_CUSTOMER_UID"),
        ("imp00000000", {"customer_uid": "c" * 81}, "INVALID_CUSTOMER_UID"),
        ("imp00000000", {"customer_uid": 12345}, "INVALID_CUSTOMER_UID"),
        ("imp00000000", {"amount": "1000"}, "INVALID_AMOUNT"),
        ("imp00000000", {"amount": -1}, "INVALID_AMOUNT"),
        ("imp00000000", {"amount": 10.5}, "INVALID_AMOUNT"),
        ("imp00000000", {"amount": True}, "INVALID_AMOUNT"),
        ("imp00000000", {"amount": 2**63}, "INVALID_AMOUNT"),
        ("imp00000000", {"amount": None}, "INVALID_AMOUNT"),
        ("imp00000000", {"merchant_uid": "m" * 41}, "INVALID_MERCHANT_UID"),
        ("imp00000000", {"merchant_uid": None}, "INVALID_MERCHANT_UID"),
        ("imp00000000", {"pg": "html5_inicis"}, "INVALID_PG"),
        ("imp00000000", {"pg": "kakaopay."}, "INVALID_PG"),
        ("imp00000000", {"pg": "kakaopay.TC<script>"}, "INVALID_PG"),
        ("imp00000000", {"name": "n" * 41}, "INVALID_PARAMS"),
    ],
)
def test_prevalidation_refuses_before_any_window(
    quiet_sandbox: RunningSandbox,
    imp_code: str | None,
    overrides: dict[str, Any],
    error_code: str,
) -> None:
    sandbox = quiet_sandbox
    p = params(**{k: v for k, v in overrides.items() if v is not None})
    for key, value in overrides.items():
        if value is None:
            p.pop(key, None)
    answer = checkout(sandbox, p, imp_code=imp_code)
    assert answer.status_code == 200
    rsp = answer.json()["rsp"]
    assert rsp["imp_uid"] is None
    assert rsp["error_code"] == error_code
    assert isinstance(rsp["error_msg"], str) and rsp["error_msg"]
    assert "session_id" not in answer.json()
    assert sandbox.state.all_payments() == []


def test_prevalidation_refuses_an_already_paid_merchant_uid(sandbox: RunningSandbox) -> None:
    sandbox.state.create_payment(
        merchant_uid="signup_0001",
        amount=1000,
        name="earlier",
        status="paid",
        customer_uid=None,
        customer_uid_usage=None,
        channel="pc",
    )
    rsp = checkout(sandbox, params(amount=1000)).json()["rsp"]
    assert rsp == {
        "imp_uid": None,
        "merchant_uid": "signup_0001",
        "error_code": "ALREADY_PAID",
        "error_msg": rsp["error_msg"],
    }
    assert len(sandbox.state.all_payments()) == 1


def test_a_failed_merchant_uid_may_open_again(sandbox: RunningSandbox) -> None:
    first = open_window(sandbox, params())
    assert first.post({"outcome": "cancel"}).status_code == 200
    second = open_window(sandbox, params())
    assert second.post({"outcome": "approve"}).json()["rsp"]["error_code"] is None


def test_plain_pg_and_other_cids(sandbox: RunningSandbox) -> None:
    for pg, cid in (("kakaopay", "TCSUBSCRIP"), ("kakaopay.CA12345678", "CA12345678")):
        uid = f"cu_{cid}"
        window = open_window(sandbox, params(pg=pg, customer_uid=uid, merchant_uid=f"m_{cid}"))
        window.post({"outcome": "approve"})
        customer = sandbox.state.get_customer(uid)
        assert customer is not None and customer["pg_id"] == cid


# ----------------------------------------------------------------------------- outcomes


def test_a_one_time_cid_approves_but_leaves_no_billing_key(sandbox: RunningSandbox) -> None:
    window = open_window(sandbox, params(pg="kakaopay.TC0ONETIME", amount=4900))
    rsp = window.post({"outcome": "approve"}).json()["rsp"]
    assert rsp["error_code"] is None and rsp["status"] == "paid"  # looks fine in the browser…
    assert rest_get(sandbox, "/subscribe/customers/cu_0001").status_code == 404  # …but no key
    payment = sandbox.state.get_payment(rsp["imp_uid"])
    assert payment is not None and payment["pg_id"] == "TC0ONETIME"


def test_approve_amount_zero_issues_the_key_and_leaves_a_ready_record(
    sandbox: RunningSandbox,
) -> None:
    window = open_window(sandbox, params())
    answer = window.post({"outcome": "approve", "channel": "qr", "card": "hyundai"})
    assert answer.status_code == 200
    rsp = answer.json()["rsp"]
    assert set(rsp) >= CALLBACK_KEYS and "success" not in rsp and "imp_success" not in rsp
    assert rsp["error_code"] is None and rsp["error_msg"] is None
    assert rsp["status"] == "ready" and rsp["paid_amount"] == 0 and rsp["paid_at"] == 0
    assert rsp["merchant_uid"] == "signup_0001"
    assert rsp["card_name"] == "카카오페이 (현대카드)"
    assert re.fullmatch(r"\d{6}\*{6}\d{4}", rsp["card_number"])
    assert json.loads(rsp["custom_data"]) == {"plan": "basic"}

    customer = rest_get(sandbox, "/subscribe/customers/cu_0001")
    assert customer.status_code == 200
    assert_matches_spec("/subscribe/customers/{customer_uid}", "get", 200, customer.json())
    key = customer.json()["response"]
    assert key["card_name"] == "카카오페이 (현대카드)" and key["card_code"] == "367"
    assert key["customer_name"] == "홍길동" and key["customer_tel"] == "010-1234-5678"

    payment = rest_get(sandbox, f"/payments/{rsp['imp_uid']}?include_sandbox=true")
    assert_matches_spec("/payments/{imp_uid}", "get", 200, payment.json())
    record = payment.json()["response"]
    assert record["status"] == "ready" and record["amount"] == 0
    assert record["customer_uid"] == "cu_0001" and record["customer_uid_usage"] == "issue"
    assert record["channel"] == "pc" and record["pg_provider"] == "kakaopay"


def test_approve_with_first_payment_by_kakao_money_is_kept_for_later_charges(
    sandbox: RunningSandbox,
) -> None:
    window = open_window(sandbox, params(amount=12900))
    answer = window.post(
        {"outcome": "approve", "channel": "phone", "phone": "010-9876-5432", "pay_method": "point"}
    )
    rsp = answer.json()["rsp"]
    assert rsp["error_code"] is None
    assert rsp["status"] == "paid" and rsp["paid_amount"] == 12900 and rsp["paid_at"] > 0
    assert rsp["pay_method"] == "point" and rsp["card_number"] is None
    payment = rest_get(sandbox, f"/payments/{rsp['imp_uid']}?include_sandbox=true").json()
    assert payment["response"]["amount"] == 12900 and payment["response"]["status"] == "paid"
    # As the live service answers for Kakao Money (kakaopay-test-payment-paid.json).
    assert payment["response"]["pay_method"] == "point" and payment["response"]["apply_num"] == ""
    assert all(payment["response"][f] is None for f in PAYMENT_CARD_FIELDS)
    key = rest_get(sandbox, "/subscribe/customers/cu_0001").json()["response"]
    assert all(key[f] is None for f in CUSTOMER_CARD_FIELDS)

    # The customer's choice in the window is reused by the re-charges (REFERENCE §3).
    again = HTTP.post(
        f"{sandbox.base_url}/subscribe/payments/again",
        json={"customer_uid": "cu_0001", "merchant_uid": "charge_2", "amount": 12900, "name": "x"},
        headers=sandbox.auth_headers(),
    ).json()
    assert again["code"] == 0 and again["response"]["status"] == "paid"
    assert again["response"]["pay_method"] == "point" and again["response"]["apply_num"] == ""
    assert all(again["response"][f] is None for f in PAYMENT_CARD_FIELDS)


def test_approve_by_card_is_kept_for_later_charges(sandbox: RunningSandbox) -> None:
    window = open_window(sandbox, params(amount=0))
    rsp = window.post({"outcome": "approve", "pay_method": "card", "card": "hyundai"}).json()["rsp"]
    assert rsp["error_code"] is None and rsp["status"] == "ready" and rsp["pay_method"] == "card"
    key = rest_get(sandbox, "/subscribe/customers/cu_0001").json()["response"]
    assert key["card_name"] == "카카오페이 (현대카드)" and key["card_number"].startswith("404825")
    again = HTTP.post(
        f"{sandbox.base_url}/subscribe/payments/again",
        json={"customer_uid": "cu_0001", "merchant_uid": "charge_2", "amount": 12900, "name": "x"},
        headers=sandbox.auth_headers(),
    ).json()["response"]
    assert again["status"] == "paid" and again["pay_method"] == "card"
    assert again["card_name"] == key["card_name"] and again["card_number"] == key["card_number"]
    assert again["card_code"] == "367" and len(again["apply_num"]) == 8


@pytest.mark.parametrize(
    ("body", "error_code", "message_part", "status"),
    [
        ({"outcome": "decline", "decline_reason": "limit"}, DECLINE_CODE, "한도", "failed"),
        ({"outcome": "decline", "decline_reason": "balance"}, DECLINE_CODE, "잔액", "failed"),
        # Nobody approved: the attempt stays unpaid ("ready"), it did not fail at the card side.
        ({"outcome": "cancel"}, CANCEL_CODE, CANCEL_MESSAGE, "ready"),
        ({"outcome": "timeout"}, TIMEOUT_CODE, "시간", "ready"),
    ],
)
def test_failures_issue_no_key_and_leave_an_unpaid_record(
    sandbox: RunningSandbox,
    body: dict[str, Any],
    error_code: str,
    message_part: str,
    status: str,
) -> None:
    window = open_window(sandbox, params(amount=5000))
    rsp = window.post(body).json()["rsp"]
    assert rsp["error_code"] == error_code
    assert message_part in rsp["error_msg"]
    assert rsp["imp_uid"] and rsp["status"] == status and rsp["paid_amount"] == 0
    assert sandbox.state.get_customer("cu_0001") is None
    assert rest_get(sandbox, "/subscribe/customers/cu_0001").status_code == 404
    record = sandbox.state.get_payment(rsp["imp_uid"])
    assert record is not None and record["status"] == status and record["paid_at"] == 0
    if status == "failed":
        assert record["fail_reason"] == rsp["error_msg"] and record["failed_at"] > 0
    else:
        assert record["fail_reason"] is None and record["failed_at"] == 0
    assert not sandbox.state.merchant_uid_is_paid("signup_0001")
    # The order was never paid: a new window for it may open.
    assert open_window(sandbox, params(amount=5000)).post({"outcome": "approve"}).status_code == 200


# ----------------------------------------------------------------------------- the session rules


def test_one_outcome_per_window(sandbox: RunningSandbox) -> None:
    window = open_window(sandbox, params(amount=1000))
    first = window.post({"outcome": "approve"})
    assert first.status_code == 200
    for outcome in ("approve", "decline", "cancel", "timeout"):
        again = window.post({"outcome": outcome})
        assert again.status_code == 409
        assert again.json()["rsp"] == first.json()["rsp"]  # what was recorded, unchanged
    assert len(sandbox.state.all_payments()) == 1
    # Reloading the window shows the recorded result and changes nothing.
    reloaded = HTTP.get(window.url)
    assert "finished_rsp&quot;: {" in reloaded.text
    assert len(sandbox.state.all_payments()) == 1


def test_the_window_cannot_change_what_it_was_opened_with(sandbox: RunningSandbox) -> None:
    window = open_window(sandbox, params(amount=1000))
    rsp = window.post(
        {
            "outcome": "approve",
            "amount": 1,
            "customer_uid": "someone_else",
            "merchant_uid": "other",
            "params": {"amount": 1},
        }
    ).json()["rsp"]
    assert rsp["paid_amount"] == 1000 and rsp["merchant_uid"] == "signup_0001"
    assert sandbox.state.get_customer("someone_else") is None
    assert sandbox.state.get_customer("cu_0001") is not None


def test_outcome_needs_the_window_token_and_the_sandbox_origin(sandbox: RunningSandbox) -> None:
    window = open_window(sandbox, params())
    forged = HTTP.post(
        f"{window.url}/outcome", json={"outcome": "approve"}, headers={"X-Window-Token": "guess"}
    )
    assert forged.status_code == 403
    missing = HTTP.post(f"{window.url}/outcome", json={"outcome": "approve"})
    assert missing.status_code == 403
    # The merchant page (another origin) may know the session id, but not act for the customer.
    cross = window.post({"outcome": "approve"}, Origin=PARENT)
    assert cross.status_code == 403
    assert "access-control-allow-origin" not in cross.headers
    assert sandbox.state.get_customer("cu_0001") is None
    # The window itself (same origin) still can.
    assert window.post({"outcome": "approve"}, Origin=sandbox.base_url).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"outcome": "pay-twice"},
        {"outcome": "approve", "channel": "fax"},
        {"outcome": "approve", "pay_method": "bitcoin"},
        {"outcome": "approve", "card": "kb"},
        {"outcome": "decline", "decline_reason": "because"},
        {"outcome": "approve", "channel": "phone"},
        {"outcome": "approve", "channel": "phone", "phone": "02-123-4567"},
        {"outcome": "approve", "channel": "phone", "phone": "01012345678", "birth": "1990"},
        ["approve"],
    ],
)
def test_bad_outcome_bodies_are_refused_and_the_window_stays_open(
    sandbox: RunningSandbox, body: Any
) -> None:
    window = open_window(sandbox, params())
    answer = HTTP.post(f"{window.url}/outcome", json=body, headers={"X-Window-Token": window.token})
    assert answer.status_code == 400
    assert sandbox.state.all_payments() == []
    assert window.post({"outcome": "cancel"}).status_code == 200


def test_unknown_session(sandbox: RunningSandbox) -> None:
    url = f"{sandbox.base_url}/sandbox/kakaopay/window/ks_nope%22%3E%3Cb%3E"
    page = HTTP.get(url)
    assert page.status_code == 404 and "찾을 수 없습니다" in page.text
    # The page tells a waiting SDK (whatever its origin) that this window is gone.
    gone = re.search(r'data-gone="([^"]*)"', page.text)
    assert gone is not None
    assert json.loads(html.unescape(gone.group(1)))["session_id"] == 'ks_nope"><b>'
    assert "<b>" not in page.text
    assert "frame-ancestors *" in page.headers["content-security-policy"]
    assert HTTP.post(f"{url}/outcome", json={"outcome": "approve"}).status_code == 404


def test_racing_outcomes_record_exactly_one(sandbox: RunningSandbox) -> None:
    window = open_window(sandbox, params(amount=2500))

    async def race() -> list[int]:
        async with httpx.AsyncClient() as client:
            answers = await asyncio.gather(
                *(
                    client.post(
                        f"{window.url}/outcome",
                        json={"outcome": outcome},
                        headers={"X-Window-Token": window.token},
                    )
                    for outcome in ("approve", "decline", "cancel", "approve", "timeout") * 2
                )
            )
        return sorted(answer.status_code for answer in answers)

    assert asyncio.run(race()) == [200] + [409] * 9
    assert len(sandbox.state.all_payments()) == 1


class ManualClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_an_outcome_after_expiry_is_a_timeout(sandbox_factory: SandboxFactory) -> None:
    clock = ManualClock()
    box = sandbox_factory(clock=clock, window_timeout_s=60)
    window = open_window(box, params(amount=3000))
    assert window.session["seconds_left"] == 60
    clock.now += timedelta(seconds=61)
    rsp = window.post({"outcome": "approve"}).json()["rsp"]
    assert rsp["error_code"] == TIMEOUT_CODE
    assert box.state.get_customer("cu_0001") is None
    assert not box.state.merchant_uid_is_paid("signup_0001")


def test_two_windows_for_one_order_pay_once(sandbox: RunningSandbox) -> None:
    first = open_window(sandbox, params(amount=7000, customer_uid="cu_a"))
    second = open_window(sandbox, params(amount=7000, customer_uid="cu_b"))
    assert first.post({"outcome": "approve"}).json()["rsp"]["error_code"] is None
    rsp = second.post({"outcome": "approve"}).json()["rsp"]
    assert rsp["error_code"] == "ALREADY_PAID" and rsp["imp_uid"] is None
    paid = [p for p in sandbox.state.all_payments() if p["status"] == "paid"]
    assert len(paid) == 1
    assert sandbox.state.get_customer("cu_b") is None  # no key without the payment


# ----------------------------------------------------------------------------- escaping, headers

HOSTILE = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&amp;"


def test_user_text_is_escaped_and_the_page_has_a_strict_csp(sandbox: RunningSandbox) -> None:
    window = open_window(
        sandbox,
        params(name=HOSTILE[:40], buyer_name=HOSTILE, merchant_uid="m<b>\"'&", amount=1234567),
    )
    text = window.page.text
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert 'id="merchant-uid">m&lt;b&gt;&quot;&#x27;&amp;</span>' in text
    assert "₩1,234,567" in text
    assert "<script>" not in text.replace('<script src="/sandbox/static/kakaopay-window.js"', "")
    headers = window.page.headers
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert f"frame-ancestors {PARENT}" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"
    assert window.session["parent_origin"] == PARENT
    # The callback carries the text back as data, unchanged.
    rsp = window.post({"outcome": "approve"}).json()["rsp"]
    assert rsp["buyer_name"] == HOSTILE and rsp["name"] == HOSTILE[:40]


def test_amount_zero_reads_as_a_registration(sandbox: RunningSandbox) -> None:
    text = open_window(sandbox, params(amount=0)).page.text
    assert "정기결제 등록" in text and "₩0" not in text


def test_a_bogus_origin_header_is_not_trusted(sandbox: RunningSandbox) -> None:
    body = json.dumps({"imp_code": "imp00000000", "params": params()})
    answer = HTTP.post(
        f"{sandbox.base_url}/sandbox/kakaopay/checkout",
        content=body,
        headers={"Origin": "http://x; script-src *"},
    )
    page = HTTP.get(answer.json()["window_url"])
    assert "script-src *" not in page.headers["content-security-policy"].replace(
        "script-src 'self'", ""
    )
    assert "frame-ancestors *" in page.headers["content-security-policy"]


# ----------------------------------------------------------------------------- helpers


def test_render_escapes_by_default_and_refuses_unknown_placeholders() -> None:
    assert render("<p>{{a}}</p>{{{b}}}", {"a": "<i>&"}, {"b": "<i>"}) == "<p>&lt;i&gt;&amp;</p><i>"
    with pytest.raises(KeyError):
        render("{{missing}}", {})


def test_qr_picture_is_stable_per_session_and_differs_between_sessions() -> None:
    first = qr_svg("ks_a")
    assert first == qr_svg("ks_a")
    assert first != qr_svg("ks_b")
    assert first.startswith("<svg") and first.count("h1v1h-1z") > 200


def test_format_won() -> None:
    assert format_won(0) == "₩0"
    assert format_won(1234567) == "₩1,234,567"


def test_a_failure_while_issuing_the_key_leaves_no_paid_first_payment(
    sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first payment and the billing key are written in one transaction."""
    window = open_window(sandbox, params(merchant_uid="signup_atomic", amount=9900))

    def broken_issue(*_args: Any, **_kwargs: Any) -> dict[str, Any]:
        raise RuntimeError("disk full while issuing the key")

    monkeypatch.setattr(sandbox.state, "issue_billing_key", broken_issue)
    answer = window.post({"outcome": "approve", "channel": "qr", "card": "hyundai"})
    assert answer.status_code >= 500
    monkeypatch.undo()
    assert not sandbox.state.merchant_uid_is_paid("signup_atomic")
    # A fresh connection: the server dropped the kept-alive one after the crash.
    found = httpx.get(
        f"{sandbox.base_url}/payments/findAll/signup_atomic", headers=sandbox.auth_headers()
    )
    assert found.status_code == 404
