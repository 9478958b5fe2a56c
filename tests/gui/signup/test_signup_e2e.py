"""The sign-up end to end: the real dialog, the real QtWebEngine view, the real sandbox over HTTP.

Each test opens the dialog, lets the checkout page load the sandbox's iamport.js, and clicks inside
the simulated Kakao Pay window's iframe with `QWebEngineFrame.runJavaScript`. What counts is what
ends up in the SQLite file: a verified subscriber after approval, nothing but audit rows otherwise.
The hostile part drives the same page: navigations, frames and popups to forbidden places, and
bridge messages forged from the page and from the Kakao Pay frame.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kpadmin.billing.signup import PageStatus
from kpadmin.gui.signup import SignupDialog
from kpadmin.store.audit import AuditRepository
from kpadmin.store.charges import ChargeRepository
from kpadmin.store.models import ChargeState, Subscriber
from kpadmin.store.subscribers import SubscriberRepository
from tests.fixtures.sandbox import RunningSandbox
from tests.gui.signup.harness import (
    SignupBackend,
    click,
    fill,
    run_js,
    wait_for_window_frame,
)

pytestmark = pytest.mark.e2e

APP_WORLD = 1  # QWebEngineScript.ApplicationWorld: where the bridge lives
MAIN_WORLD = 0


@pytest.fixture
def dialog(qtbot: Any, backend: SignupBackend) -> Iterator[SignupDialog]:
    d = SignupDialog(None, backend)
    qtbot.addWidget(d)
    d.resize(760, 820)
    d.show()
    yield d
    d.abort_window()  # (nothing happens unless the window is still open)
    # Failed attempts are looked up at i'mport in the background: let that finish before the
    # client closes under it.
    qtbot.waitUntil(lambda: d.session.idle)
    d.dispose_web()


class Outcome:
    def __init__(self, dialog: SignupDialog) -> None:
        self.results: list[tuple[str, str]] = []
        self.subscribers: list[Subscriber] = []
        dialog.finished_attempt.connect(lambda r, m: self.results.append((r, m)))
        dialog.signed_up.connect(self.subscribers.append)


def open_window(qtbot: Any, dialog: SignupDialog, **form: Any) -> tuple[Any, Outcome]:
    outcome = Outcome(dialog)
    fill(dialog, **form)
    assert dialog.start_button.isEnabled()
    dialog.start_button.click()
    return wait_for_window_frame(qtbot, dialog), outcome


def wait_result(qtbot: Any, outcome: Outcome) -> tuple[str, str]:
    qtbot.waitUntil(lambda: bool(outcome.results), timeout=20_000)
    return outcome.results[0]


# ----------------------------------------------------------------------------- outcomes


def test_approve_with_first_payment(qtbot: Any, dialog: SignupDialog, backend: Any) -> None:
    frame, outcome = open_window(qtbot, dialog, first_payment_now=True)
    click(qtbot, frame, "approve")  # QR tab: the customer scanned and approved
    assert wait_result(qtbot, outcome)[0] == "signed_up"

    (sub,) = SubscriberRepository(backend.store).list_all()
    assert outcome.subscribers == [sub]
    assert sub.customer_uid == dialog.attempt.key_id
    assert sub.card_name and "카드" in sub.card_name  # from the API, not from the callback
    assert sub.card_number and "*" in sub.card_number
    assert sub.amount == 9900 and sub.phone == "010-1234-5678"
    (charge,) = ChargeRepository(backend.store).for_subscriber(sub.id)
    assert charge.state is ChargeState.PAID
    assert charge.amount == 9900 and charge.merchant_uid == dialog.attempt.order_id
    assert "✓" in dialog.result_icon.text()
    assert "₩9,900" in dialog.result_detail.text()
    actions = [e.action for e in AuditRepository(backend.store).list()]
    assert actions == ["signup", "signup_started"]


def test_approve_with_kakao_money(qtbot: Any, dialog: SignupDialog, backend: Any) -> None:
    frame, outcome = open_window(qtbot, dialog, first_payment_now=True)
    click(qtbot, frame, "method-money")
    click(qtbot, frame, "approve")
    assert wait_result(qtbot, outcome)[0] == "signed_up"

    # i'mport reports no card for Kakao Money (pay_method "point", card fields null): kpadmin
    # names it instead of storing a blank.
    (sub,) = SubscriberRepository(backend.store).list_all()
    assert sub.card_name == "카카오머니" and sub.card_number is None
    (charge,) = ChargeRepository(backend.store).for_subscriber(sub.id)
    assert charge.state is ChargeState.PAID and charge.amount == 9900
    assert "카카오머니" in dialog.result_detail.text() and "None" not in dialog.result_detail.text()


def test_approve_card_only_by_phone(qtbot: Any, dialog: SignupDialog, backend: Any) -> None:
    frame, outcome = open_window(
        qtbot, dialog, first_payment_now=False, channel="in_person", billing_day="28"
    )
    assert dialog.screen_button.isVisible()  # in person: the second-screen button is offered
    assert not dialog.screen_button.isEnabled()  # …but this machine has one screen
    click(qtbot, frame, "tab-phone")
    run_js(qtbot, frame, "document.getElementById('phone-input').value = '01098765432'")
    click(qtbot, frame, "send-request")
    click(qtbot, frame, "approve")
    assert wait_result(qtbot, outcome)[0] == "signed_up"

    (sub,) = SubscriberRepository(backend.store).list_all()
    assert sub.card_name
    assert ChargeRepository(backend.store).for_subscriber(sub.id) == []  # ₩0: nothing charged
    # The sandbox has the key under our customer_uid and no paid payment for the window.
    box_key = backend.api and dialog.attempt and dialog.attempt.key_id
    assert box_key == sub.customer_uid


@pytest.mark.parametrize(
    ("button", "reason"),
    [("decline", "declined"), ("close", "cancelled"), ("simulate-timeout", "timed_out")],
)
def test_no_approval_saves_nothing(
    qtbot: Any,
    dialog: SignupDialog,
    backend: Any,
    sandbox: RunningSandbox,
    button: str,
    reason: str,
) -> None:
    frame, outcome = open_window(qtbot, dialog, first_payment_now=True)
    click(qtbot, frame, button)
    assert wait_result(qtbot, outcome)[0] == reason

    assert SubscriberRepository(backend.store).count() == 0
    assert ChargeRepository(backend.store).list_all() == []
    failed, started = AuditRepository(backend.store).list()
    assert (failed.action, started.action) == ("signup_failed", "signup_started")
    assert dialog.attempt.order_id in failed.detail and reason in failed.detail
    assert "1234-5678" not in failed.detail
    assert sandbox.state.get_customer(dialog.attempt.key_id) is None
    # What the sandbox recorded: a decline failed; a closed or expired window stays unpaid.
    attempts = sandbox.state.find_payments(dialog.attempt.order_id)
    assert [p["status"] for p in attempts] == ["failed" if reason == "declined" else "ready"]
    assert "✕" in dialog.result_icon.text()
    assert dialog.retry_button.isVisible()


def test_staff_cancel_while_window_open(qtbot: Any, dialog: SignupDialog, backend: Any) -> None:
    _frame, outcome = open_window(qtbot, dialog)
    dialog.abort_button.click()
    assert wait_result(qtbot, outcome)[0] == "cancelled"
    assert SubscriberRepository(backend.store).count() == 0
    assert AuditRepository(backend.store).list()[0].action == "signup_failed"
    # Cancelled is not the last word: i'mport is asked (test_signup_leftovers.py has the rest).
    qtbot.waitUntil(lambda: "nothing was taken" in dialog.leftover_note.text(), timeout=20_000)


# ----------------------------------------------------------------------------- hostile, for real


def test_hostile_navigation_frames_and_popups_blocked(
    qtbot: Any, dialog: SignupDialog, sandbox: RunningSandbox, caplog: Any
) -> None:
    frame, outcome = open_window(qtbot, dialog)
    web = dialog.web
    page = web.page
    blocked: list[tuple[str, str]] = []
    web.navigation_blocked.connect(lambda u, r: blocked.append((u, r)))

    port = int(sandbox.base_url.rsplit(":", 1)[1])
    hostile_main = [
        "https://evil.example/steal",
        "https://iamport.kr.evil.example/",
        "http://cdn.iamport.kr/v1/iamport.js",
        f"http://127.0.0.1:{port + 1}/",
    ]
    for url in hostile_main:
        before = len(blocked)
        run_js(qtbot, page, f"location.href = {json.dumps(url)}; 'ok'")
        qtbot.waitUntil(lambda b=before: len(blocked) > b, timeout=5000)
        assert url.split("/")[2] in blocked[-1][0]
        assert page.url().toString() == "https://checkout.kpadmin.invalid/"
    # Chromium itself refuses renderer-initiated top-level data: and file: navigations; whichever
    # layer says no, the checkout page stays.
    for url in ("data:text/html,<h1>x</h1>", "file:///etc/passwd", "javascript:void(0)"):
        run_js(qtbot, page, f"location.href = {json.dumps(url)}; 'ok'")
    qtbot.wait(300)
    assert page.url().toString() == "https://checkout.kpadmin.invalid/"
    assert run_js(qtbot, page, "document.getElementById('kp-config') !== null") is True

    # An iframe the page itself adds, pointing somewhere else: the page's CSP (frame-src, built
    # from the same allow-list) refuses it before any request; the policy would refuse it next.
    with caplog.at_level(logging.DEBUG, logger="kpadmin.gui.signup.page"):
        run_js(
            qtbot,
            page,
            "var f = document.createElement('iframe'); f.src = 'https://evil.example/frame';"
            " document.body.appendChild(f); 'ok'",
        )
        qtbot.waitUntil(
            lambda: "Refused to frame 'https://evil.example/" in caplog.text, timeout=5000
        )

    # window.open to a forbidden host: the popup's navigation is refused and the popup closed.
    before = len(blocked)
    run_js(qtbot, page, "window.open('https://evil.example/popup'); 'ok'")
    qtbot.waitUntil(lambda: len(blocked) > before, timeout=5000)
    qtbot.waitUntil(lambda: not page.popups, timeout=5000)

    # The Kakao Pay frame cannot take the top window away (the SDK's iframe sandbox forbids top
    # navigation; the policy would refuse the host anyway), nor navigate itself somewhere else.
    run_js(qtbot, frame, "try { top.location = 'https://evil.example/'; 'ok' } catch (e) { 'x' }")
    before = len(blocked)
    run_js(qtbot, frame, "location.href = 'https://evil.example/in-frame'; 'ok'")
    qtbot.waitUntil(
        lambda: len(blocked) > before or "Refused to frame 'https://evil.example/" in caplog.text,
        timeout=5000,
    )
    qtbot.wait(200)
    assert page.url().toString() == "https://checkout.kpadmin.invalid/"

    # Still waiting for the customer: nothing above produced a result.
    assert outcome.results == []
    assert ("https://evil.example/popup", "host evil.example not allowed") in blocked


def test_bridge_only_from_the_checkout_page(qtbot: Any, dialog: SignupDialog) -> None:
    frame, outcome = open_window(qtbot, dialog)
    page = dialog.web.page
    bridge = page.bridge
    rejected: list[str] = []
    bridge.message_rejected.connect(rejected.append)
    callbacks: list[Any] = []
    bridge.callback_received.connect(callbacks.append)

    # The transport exists only in the main frame's isolated world.
    assert run_js(qtbot, page, "typeof qt", APP_WORLD) == "object"
    assert run_js(qtbot, page, "typeof qt", MAIN_WORLD) == "undefined"
    assert run_js(qtbot, frame, "typeof qt", APP_WORLD) == "undefined"
    assert run_js(qtbot, frame, "typeof qt", MAIN_WORLD) == "undefined"
    # The Kakao Pay frame (another origin) cannot reach the checkout document to forge an event…
    forged = run_js(
        qtbot,
        frame,
        "try { parent.document.dispatchEvent(new CustomEvent('kpadmin-bridge', {detail: '{}'}));"
        " 'sent' } catch (e) { e.name }",
    )
    assert forged == "SecurityError"
    # …and postMessage to the parent is not a path into the bridge.
    muid = dialog.attempt.order_id
    rsp = json.dumps(
        {"type": "callback", "rsp": {"merchant_uid": muid, "imp_uid": "imp_000000000001"}}
    )
    run_js(qtbot, frame, f"parent.postMessage({json.dumps(rsp)}, '*'); 'ok'")

    # Messages the checkout page's own world sends are checked strictly.
    def send(detail: str) -> None:
        run_js(
            qtbot,
            page,
            f"document.dispatchEvent(new CustomEvent('kpadmin-bridge', {{detail: {detail}}})); 1",
        )

    hostile = [
        json.dumps("not json {"),
        json.dumps(json.dumps({"type": "callback", "rsp": {"merchant_uid": "kpa-su-other"}})),
        json.dumps(json.dumps({"type": "callback", "rsp": {"merchant_uid": muid, "x": {}}})),
        json.dumps(json.dumps({"type": "callback", "rsp": {"merchant_uid": muid, "imp_uid": 5}})),
        '\'{"type":"callback","rsp":{"merchant_uid":"' + muid + '","error_msg":"\''
        " + 'x'.repeat(20000) + '\"}}'",
    ]
    for detail in hostile:
        send(detail)
    qtbot.waitUntil(lambda: len(rejected) >= len(hostile), timeout=5000)
    assert rejected[:5] == [
        "not JSON",
        "merchant_uid is not this attempt's",
        "unknown field",
        "imp_uid must be a string or null",
        "too large",
    ]
    # A non-string detail never even reaches Python (the relay drops it).
    send("{type: 'callback'}")
    qtbot.wait(200)
    assert len(rejected) == len(hostile)
    assert callbacks == [] and outcome.results == []


def test_page_status_reaches_the_dialog(qtbot: Any, dialog: SignupDialog) -> None:
    statuses: list[PageStatus] = []
    fill(dialog)
    dialog.start_button.click()
    dialog.web.status_received.connect(statuses.append)
    qtbot.waitUntil(lambda: PageStatus.REQUESTED in statuses, timeout=15_000)
    assert "QR" in dialog.window_status.text()


# ----------------------------------------------------------------------------- logs


def test_log_file_never_holds_the_full_phone_number(
    qtbot: Any, dialog: SignupDialog, backend: Any, data_dir: Path, caplog: Any
) -> None:
    """A whole sign-up (a declined window, then an approval by KakaoTalk request) with the app's
    own logging at its most talkative: neither the file nor the records our code emits (before
    the redaction filter, which is only the safety net) carry a full phone number or e-mail."""
    from kpadmin import logs

    level = logging.getLogger().level
    log_path = logs.setup_logging(data_dir, verbose=True, console=False)
    try:
        with caplog.at_level(logging.DEBUG):
            frame, outcome = open_window(qtbot, dialog, first_payment_now=True)
            click(qtbot, frame, "decline")
            assert wait_result(qtbot, outcome)[0] == "declined"
            qtbot.waitUntil(lambda: dialog.leftover_note.text().endswith("taken."), timeout=20_000)
            dialog.retry_button.click()
            outcome.results.clear()
            dialog.start_button.click()
            frame = wait_for_window_frame(qtbot, dialog)
            click(qtbot, frame, "tab-phone")
            run_js(qtbot, frame, "document.getElementById('phone-input').value = '01098765432'")
            click(qtbot, frame, "send-request")
            click(qtbot, frame, "approve")
            assert wait_result(qtbot, outcome)[0] == "signed_up"
    finally:
        logs.shutdown_logging()
        logs.setup_logging(data_dir, console=False)  # httpx back to WARNING for later tests
        logs.shutdown_logging()
        logging.getLogger().setLevel(level)

    text = "\n".join(
        p.read_text(encoding="utf-8") for p in log_path.parent.iterdir() if p.is_file()
    )
    assert "sign-up saved" in text and "sign-up not completed" in text  # the flow was logged
    assert "010-****-5678" in text  # masked, as it should be
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("kpadmin"))
    for shown in (text, ours):
        for full in ("010-1234-5678", "01012345678", "010 1234 5678", "98765432", "9876-5432"):
            assert full not in shown
        assert "haneul@" not in shown
