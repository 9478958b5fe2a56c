"""The sandbox's iamport.js and Kakao Pay window in a real browser (QtWebEngine, offscreen).

A checkout page on another origin (``http://localhost:<port>``, while the sandbox is
``http://127.0.0.1:<port>``: same server, different origin, like the app's own checkout page)
loads ``/v1/iamport.js`` and calls ``IMP.request_pay``. The test then plays the customer inside
the window's iframe and reads the callback back from the page.

Clicking inside the iframe (what the app's self-test and e2e tests do too) — PySide6 ≥ 6.8::

    frames = view.page().mainFrame().children()          # list[QWebEngineFrame]
    window = next(f for f in frames if "/sandbox/kakaopay/window/" in f.url().toString())
    window.runJavaScript("document.getElementById('approve').click()", 0, callback)

``QWebEngineFrame.runJavaScript(source, worldId, callback)`` runs in that frame's document
(worldId 0 = the page's main world); ``children()`` is a snapshot, so take it again after the
frame navigates. Wait for ``document.body.dataset.ready == "1"`` before clicking: the window's
script is deferred and sets it last. Element ids: ``#tab-qr``, ``#tab-phone``, ``#phone-input``,
``#birth-input``, ``#send-request``, ``#method-card``, ``#card-select``, ``#method-money``,
``#approve``, ``#decline``, ``#decline-reason``, ``#cancel``, ``#close``, ``#simulate-timeout``.

One view, page and off-the-record profile serve the whole module (a page load per test).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QUrl, QUrlQuery
from PySide6.QtWebEngineCore import QWebEngineFrame, QWebEnginePage, QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from starlette.routing import Route

from kpadmin.sandbox.checkout import CANCEL_CODE, DECLINE_CODE, TIMEOUT_CODE
from kpadmin.sandbox.config import SandboxConfig
from kpadmin.sandbox.server import SandboxServer
from kpadmin.sandbox.web import BrowserSide

pytestmark = pytest.mark.e2e

WINDOW_PATH = "/sandbox/kakaopay/window/"
CHECKOUT_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>checkout</title>{csp}
<script src="{base}/v1/iamport.js"></script></head>
<body><h1>checkout</h1>
<script nonce="t3st">
window.__calls = [];
window.__sentinel = false;
window.addEventListener("message", function (e) {{
  if (e.data === "sentinel") {{ window.__sentinel = true; }}
}});
window.startPay = function (impCode, params) {{
  if (impCode !== null) {{ IMP.init(impCode); }}
  IMP.request_pay(params, function (rsp) {{
    window.__calls.push(rsp);
    document.title = "callback";
  }});
}};
</script></body></html>
"""


class RecordingPage(QWebEnginePage):
    """Keeps the console, so a CSP violation or a script error fails the test."""

    def __init__(self, profile: QWebEngineProfile) -> None:
        super().__init__(profile)
        self.console: list[str] = []

    def javaScriptConsoleMessage(self, level: Any, message: str, line: int, source: str) -> None:
        self.console.append(f"{source}:{line}: {message}")


class Browser:
    def __init__(self, server: SandboxServer, view: QWebEngineView, page: RecordingPage) -> None:
        self.server = server
        self.view = view
        self.page = page
        self.qtbot: Any = None

    @property
    def base(self) -> str:
        return self.server.base_url

    @property
    def port(self) -> str:
        return self.base.rsplit(":", 1)[1]

    # -------------------------------------------------------------- JS plumbing
    def js(self, frame: QWebEngineFrame, code: str, timeout: int = 5000) -> Any:
        box: list[Any] = []
        frame.runJavaScript(code, 0, box.append)
        self.qtbot.waitUntil(lambda: bool(box), timeout=timeout)
        return box[0]

    def wait_js(self, frame: QWebEngineFrame, expression: str, timeout: int = 10_000) -> None:
        """Poll until `expression` is true in `frame` (one evaluation in flight at a time)."""
        poll = {"ok": False, "pending": False}

        def answered(value: Any) -> None:
            poll["pending"] = False
            poll["ok"] = value is True

        def check() -> bool:
            if not poll["pending"] and not poll["ok"]:
                poll["pending"] = True
                frame.runJavaScript(f"!!({expression})", 0, answered)
            return poll["ok"]

        self.qtbot.waitUntil(check, timeout=timeout)

    @property
    def main(self) -> QWebEngineFrame:
        return self.page.mainFrame()

    # -------------------------------------------------------------- the journey
    def load_checkout(self, origin: str | None = None, csp: str = "") -> None:
        """The checkout page on `origin` (default ``http://localhost:<port>``)."""
        self.page.console.clear()
        meta = f'<meta http-equiv="Content-Security-Policy" content="{csp}">' if csp else ""
        with self.qtbot.waitSignal(self.page.loadFinished, timeout=10_000):
            self.page.setHtml(
                CHECKOUT_PAGE.format(base=self.base, csp=meta),
                QUrl(f"{origin or f'http://localhost:{self.port}'}/checkout"),
            )
        self.wait_js(self.main, "window.IMP && window.startPay")

    def start_pay(self, params: dict[str, Any], imp_code: str | None = "imp00000000") -> None:
        self.js(self.main, f"startPay({json.dumps(imp_code)}, {json.dumps(params)}); true")

    def window_frame(self) -> QWebEngineFrame:
        def frames() -> list[QWebEngineFrame]:
            return [f for f in self.main.children() if WINDOW_PATH in f.url().toString()]

        self.qtbot.waitUntil(lambda: bool(frames()), timeout=10_000)
        frame = frames()[0]
        self.wait_js(frame, "document.body && document.body.dataset.ready === '1'")
        return frame

    def click(self, frame: QWebEngineFrame, element_id: str) -> None:
        clicked = self.js(
            frame,
            f"(function () {{ var el = document.getElementById({json.dumps(element_id)});"
            " if (!el || el.disabled) { return false; } el.click(); return true; })()",
        )
        assert clicked is True, f"#{element_id} is missing or disabled"

    def callback(self) -> dict[str, Any]:
        self.wait_js(self.main, "window.__calls.length > 0")
        calls = json.loads(self.js(self.main, "JSON.stringify(window.__calls)"))
        assert len(calls) == 1, calls
        return dict(calls[0])

    def overlay_present(self) -> bool:
        return bool(self.js(self.main, "!!document.querySelector('[data-imp-sandbox]')"))

    def assert_clean_console(self) -> None:
        bad = [m for m in self.page.console if "Refused" in m or "Uncaught" in m]
        assert bad == [], bad


@pytest.fixture(scope="module")
def _browser(qapp: Any) -> Iterator[Browser]:
    server = SandboxServer(SandboxConfig(seed=0))
    server.start()
    profile = QWebEngineProfile()  # no storage name: off the record
    page = RecordingPage(profile)
    view = QWebEngineView()
    view.setPage(page)
    view.resize(900, 760)
    view.show()
    yield Browser(server, view, page)
    view.close()
    # View, then page, then profile: a profile released while a page lives makes Qt warn
    # "Release of profile requested but WebEnginePage still not deleted".
    shiboken6.delete(view)
    shiboken6.delete(page)
    shiboken6.delete(profile)
    server.close()


@pytest.fixture
def browser(_browser: Browser, qtbot: Any) -> Iterator[Browser]:
    _browser.qtbot = qtbot
    _browser.load_checkout()
    yield _browser
    _browser.assert_clean_console()


def pay_params(**overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "pg": "kakaopay.TCSUBSCRIP",
        "pay_method": "card",
        "merchant_uid": "signup_1",
        "customer_uid": "cu_1",
        "name": "프리미엄 월간 구독",
        "amount": 0,
        "buyer_name": "김민지",
        "buyer_tel": "010-2222-3333",
        "buyer_email": "minji@example.com",
        "m_redirect_url": "http://localhost/never-used-with-a-callback",
    }
    params.update(overrides)
    return params


def test_approve_amount_zero_in_person_issues_the_key(browser: Browser) -> None:
    state = browser.server.state
    browser.start_pay(pay_params(merchant_uid="b_issue_0", customer_uid="cu_b0"))
    frame = browser.window_frame()
    assert browser.overlay_present()
    assert (
        browser.js(frame, "document.getElementById('order-amount').textContent") == "정기결제 등록"
    )
    browser.click(frame, "approve")
    rsp = browser.callback()

    assert rsp["error_code"] is None and rsp["error_msg"] is None
    assert "success" not in rsp and "imp_success" not in rsp
    assert rsp["merchant_uid"] == "b_issue_0" and re.fullmatch(r"imp_\d{12}", rsp["imp_uid"])
    assert rsp["status"] == "ready" and rsp["paid_amount"] == 0
    assert rsp["pay_method"] == "card" and rsp["pg_provider"] == "kakaopay"
    assert rsp["card_name"] == "카카오페이 (신한카드)"
    assert not browser.overlay_present()
    key = state.get_customer("cu_b0")
    assert key is not None and key["customer_name"] == "김민지"
    record = state.get_payment(rsp["imp_uid"])
    assert record is not None and record["status"] == "ready" and record["amount"] == 0


def test_approve_by_phone_with_a_first_payment_in_kakao_money(browser: Browser) -> None:
    state = browser.server.state
    browser.start_pay(pay_params(merchant_uid="b_pay_1", customer_uid="cu_b1", amount=14900))
    frame = browser.window_frame()
    assert browser.js(frame, "document.getElementById('order-amount').textContent") == "₩14,900"
    browser.click(frame, "tab-phone")
    # By phone, nothing can be approved before the KakaoTalk request is sent.
    assert browser.js(frame, "document.getElementById('approve').disabled") is True
    browser.js(frame, "document.getElementById('phone-input').value = '010-5555-7777'; true")
    browser.click(frame, "send-request")
    browser.wait_js(frame, "!document.getElementById('request-sent').hidden")
    assert browser.js(frame, "document.getElementById('sent-phone').textContent") == (
        "010-****-7777"
    )
    browser.click(frame, "method-money")
    browser.click(frame, "approve")
    rsp = browser.callback()

    assert rsp["error_code"] is None
    assert rsp["status"] == "paid" and rsp["paid_amount"] == 14900 and rsp["paid_at"] > 0
    assert rsp["pay_method"] == "point" and rsp["currency"] == "KRW"
    assert rsp["receipt_url"].startswith(browser.base)
    record = state.get_payment(rsp["imp_uid"])
    assert record is not None
    assert record["status"] == "paid" and record["amount"] == 14900
    assert record["customer_uid_usage"] == "issue"
    # Kakao Money, as the live service shows it (kakaopay-test-payment-paid.json): no card.
    assert record["pay_method"] == "point" and record["apply_num"] == ""
    assert record["card_name"] is None and record["card_number"] is None
    key = state.get_customer("cu_b1")
    assert key is not None and key["card_name"] is None and key["card_number"] is None


def test_decline(browser: Browser) -> None:
    state = browser.server.state
    browser.start_pay(pay_params(merchant_uid="b_decline", customer_uid="cu_decline", amount=9900))
    frame = browser.window_frame()
    browser.js(frame, "document.getElementById('decline-reason').value = 'limit'; true")
    browser.click(frame, "decline")
    rsp = browser.callback()
    assert rsp["error_code"] == DECLINE_CODE and "한도" in rsp["error_msg"]
    assert rsp["status"] == "failed" and rsp["imp_uid"]
    assert state.get_customer("cu_decline") is None
    record = state.get_payment(rsp["imp_uid"])
    assert record is not None and record["status"] == "failed"
    assert record["fail_reason"] == rsp["error_msg"]


def test_the_close_button_cancels(browser: Browser) -> None:
    browser.start_pay(pay_params(merchant_uid="b_cancel", customer_uid="cu_cancel"))
    frame = browser.window_frame()
    browser.click(frame, "close")
    rsp = browser.callback()
    assert rsp["error_code"] == CANCEL_CODE
    assert rsp["error_msg"] == "사용자가 결제를 취소 하였습니다."
    assert browser.server.state.get_customer("cu_cancel") is None
    # A window the customer closed leaves the attempt unpaid ("ready"), not "failed".
    record = browser.server.state.get_payment(rsp["imp_uid"])
    assert record is not None and record["status"] == "ready" and rsp["status"] == "ready"
    assert record["failed_at"] == 0 and record["fail_reason"] is None
    assert not browser.overlay_present()


def test_the_countdown_times_out(browser: Browser) -> None:
    config = browser.server.config
    old = config.window_timeout_s
    config.window_timeout_s = 2
    try:
        browser.start_pay(pay_params(merchant_uid="b_timeout", customer_uid="cu_timeout"))
        browser.window_frame()
        rsp = browser.callback()
    finally:
        config.window_timeout_s = old
    assert rsp["error_code"] == TIMEOUT_CODE
    assert browser.server.state.get_customer("cu_timeout") is None


def test_prevalidation_calls_back_without_a_window(browser: Browser) -> None:
    browser.start_pay(pay_params(merchant_uid="b_pre"), imp_code=None)
    rsp = browser.callback()
    assert rsp == {
        "imp_uid": None,
        "merchant_uid": "b_pre",
        "error_code": "NOT_INITIALIZED",
        "error_msg": rsp["error_msg"],
    }
    browser.js(browser.main, "window.__calls = []; true")
    browser.start_pay(pay_params(merchant_uid="m" * 41))
    rsp = browser.callback()
    assert rsp["imp_uid"] is None and rsp["error_code"] == "INVALID_MERCHANT_UID"
    assert browser.main.children() == []
    assert not browser.overlay_present()


def test_one_window_at_a_time(browser: Browser) -> None:
    browser.start_pay(pay_params(merchant_uid="b_first", customer_uid="cu_first"))
    frame = browser.window_frame()
    browser.start_pay(pay_params(merchant_uid="b_second", customer_uid="cu_second"))
    rsp = browser.callback()
    assert rsp["merchant_uid"] == "b_second" and rsp["error_code"] == "IN_PROGRESS"
    assert rsp["imp_uid"] is None
    assert browser.overlay_present()  # the first window is untouched
    browser.click(frame, "cancel")
    browser.wait_js(browser.main, "window.__calls.length === 2")
    first = browser.js(browser.main, "JSON.stringify(window.__calls[1])")
    assert json.loads(first)["merchant_uid"] == "b_first"
    assert json.loads(first)["error_code"] == CANCEL_CODE


def test_forged_results_are_ignored(browser: Browser) -> None:
    browser.start_pay(pay_params(merchant_uid="b_forge", customer_uid="cu_forge"))
    frame = browser.window_frame()
    session_id = browser.js(frame, "JSON.parse(document.body.dataset.session).session_id")
    forged = json.dumps(
        {
            "type": "kpadmin-sandbox:kakaopay-result",
            "session_id": session_id,
            "rsp": {"imp_uid": "imp_999999999999", "merchant_uid": "b_forge", "error_code": None},
        }
    )
    # From the checkout page itself, and from a same-origin iframe that is not the window.
    browser.js(
        browser.main,
        f"""(function () {{
          window.postMessage({forged}, "*");
          var other = document.createElement("iframe");
          document.body.appendChild(other);
          other.contentWindow.parent.postMessage({forged}, "*");
          window.postMessage("sentinel", "*");
          return true;
        }})()""",
    )
    browser.wait_js(browser.main, "window.__sentinel")  # the forged ones were dispatched first
    assert browser.js(browser.main, "window.__calls.length") == 0
    assert browser.overlay_present()

    browser.click(frame, "approve")
    rsp = browser.callback()
    assert rsp["imp_uid"] != "imp_999999999999" and rsp["error_code"] is None


def test_a_window_whose_session_is_gone_still_calls_back(browser: Browser) -> None:
    """A sandbox restart forgets open windows (they live in memory): the SDK must not hang."""
    browser.start_pay(pay_params(merchant_uid="b_gone", customer_uid="cu_gone"))
    frame = browser.window_frame()
    side = next(
        route.endpoint.__self__
        for route in browser.server.app.routes
        if isinstance(route, Route) and route.name == "kakaopay_window"
    )
    assert isinstance(side, BrowserSide)
    side.sessions.clear()
    browser.js(frame, "location.reload(); true")
    rsp = browser.callback()
    assert rsp["imp_uid"] is None and rsp["error_code"] == "SESSION_NOT_FOUND"
    assert rsp["merchant_uid"] == "b_gone"  # filled in by the SDK, which knows its request
    assert not browser.overlay_present()
    assert browser.server.state.get_customer("cu_gone") is None


def test_from_an_https_page_under_a_strict_csp(browser: Browser) -> None:
    """The app's case: its checkout page is setHtml() under an https origin with a nonce CSP
    that names the SDK's origin in script-src, connect-src and frame-src — and allows no
    inline style (the overlay is styled through CSSOM)."""
    sdk = browser.base
    browser.load_checkout(
        origin="https://checkout.kpadmin.invalid",
        csp=(
            f"default-src 'none'; script-src 'nonce-t3st' {sdk}; style-src 'none'; "
            f"connect-src {sdk}; frame-src {sdk}; img-src 'none'; base-uri 'none'"
        ),
    )
    browser.start_pay(pay_params(merchant_uid="b_https", customer_uid="cu_https", amount=1000))
    frame = browser.window_frame()
    overlay_position = "getComputedStyle(document.querySelector('[data-imp-sandbox]')).position"
    assert browser.js(browser.main, overlay_position) == "fixed"
    browser.click(frame, "approve")
    rsp = browser.callback()
    assert rsp["error_code"] is None and rsp["status"] == "paid"
    assert browser.server.state.get_customer("cu_https") is not None


def test_without_a_callback_the_result_goes_to_m_redirect_url(browser: Browser) -> None:
    """The mobile-style flow: no callback, so the SDK navigates to m_redirect_url with the
    result in the query string (imp_uid, merchant_uid, imp_success, error_code, error_msg)."""
    target = f"{browser.base}/sandbox/?from=redirect"
    params = pay_params(
        merchant_uid="b_redirect", customer_uid="cu_redirect", m_redirect_url=target
    )
    browser.js(
        browser.main, f"IMP.init('imp00000000'); IMP.request_pay({json.dumps(params)}); true"
    )
    frame = browser.window_frame()
    with browser.qtbot.waitSignal(browser.page.loadFinished, timeout=10_000):
        browser.click(frame, "cancel")
    query = QUrlQuery(browser.page.url())
    assert browser.page.url().toString().startswith(f"{browser.base}/sandbox/?")
    assert query.queryItemValue("from") == "redirect"
    assert query.queryItemValue("merchant_uid") == "b_redirect"
    assert query.queryItemValue("imp_success") == "false"
    assert query.queryItemValue("error_code") == CANCEL_CODE
    assert re.fullmatch(r"imp_\d{12}", query.queryItemValue("imp_uid"))


def test_the_demo_page_works_in_an_ordinary_browser(browser: Browser) -> None:
    page = browser.page
    with browser.qtbot.waitSignal(page.loadFinished, timeout=10_000):
        page.load(QUrl(f"{browser.base}/sandbox/"))
    browser.wait_js(browser.main, "document.getElementById('customer-uid').value !== ''")
    customer_uid = browser.js(browser.main, "document.getElementById('customer-uid').value")
    browser.js(browser.main, "document.getElementById('amount').value = '3300'; true")
    browser.click(browser.main, "pay")
    frame = browser.window_frame()
    browser.click(frame, "approve")
    browser.wait_js(browser.main, "document.title === 'rsp:ok'")
    shown = json.loads(browser.js(browser.main, "document.getElementById('rsp').textContent"))
    assert shown["error_code"] is None and shown["paid_amount"] == 3300
    assert browser.server.state.get_customer(customer_uid) is not None


def test_the_window_fits_its_frame_on_every_tab(browser: Browser, tmp_path: Path) -> None:
    """No scrolling inside the 420×700 layer, whatever the tab; also renders the screenshots.

    ``KPADMIN_SCREENSHOTS=docs/screenshots pytest tests/sandbox/test_browser_window.py -k fits``
    refreshes ``docs/screenshots/sandbox-window-*.png``.
    """
    out = Path(os.environ.get("KPADMIN_SCREENSHOTS") or tmp_path)
    page = browser.page
    with browser.qtbot.waitSignal(page.loadFinished, timeout=10_000):
        page.load(QUrl(f"{browser.base}/sandbox/"))
    browser.wait_js(browser.main, "document.getElementById('customer-uid').value !== ''")
    fits = "document.documentElement.scrollHeight <= window.innerHeight"
    shots: list[Path] = []

    def shoot(name: str) -> None:
        # The compositor paints a moment after the DOM is ready; grab() takes the last frame.
        browser.qtbot.wait(600)
        path = out / f"sandbox-window-{name}.png"
        assert browser.view.grab().save(str(path))
        shots.append(path)

    def open_window(amount: int) -> QWebEngineFrame:
        browser.js(
            browser.main,
            f"document.getElementById('amount').value = '{amount}';"
            " document.getElementById('name').value = '프리미엄 구독 (월간)'; true",
        )
        browser.click(browser.main, "pay")
        return browser.window_frame()

    frame = open_window(0)
    assert browser.js(frame, fits) is True
    shoot("qr")
    browser.click(frame, "cancel")
    browser.wait_js(browser.main, "!document.querySelector('[data-imp-sandbox]')")

    frame = open_window(29900)
    browser.click(frame, "tab-phone")
    browser.js(frame, "document.getElementById('phone-input').value = '010-1234-5678'; true")
    assert browser.js(frame, fits) is True
    shoot("phone")
    browser.click(frame, "send-request")
    browser.wait_js(frame, "!document.getElementById('request-sent').hidden")
    assert browser.js(frame, fits) is True
    shoot("phone-sent")
    browser.click(frame, "approve")
    browser.wait_js(browser.main, "document.title === 'rsp:ok'")
    shoot("demo-callback")
    assert all(path.stat().st_size > 10_000 for path in shots)
