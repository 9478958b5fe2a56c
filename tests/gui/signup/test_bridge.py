"""The bridge object on its own (no web page): origin check, strict parsing, one callback only.

What reaches it through a real page is in test_signup_e2e.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from PySide6.QtCore import QUrl

from kpadmin.billing.signup import CheckoutCallback, PageStatus
from kpadmin.gui.signup.bridge import CheckoutBridge

MUID = "kpa-su-aaaaaaaaaaaaaaaa"
GOOD = json.dumps(
    {"type": "callback", "rsp": {"merchant_uid": MUID, "imp_uid": "imp_000000000001"}}
)


class Recorder:
    def __init__(self, url: str = "https://checkout.kpadmin.invalid/") -> None:
        self.url = QUrl(url)
        self.bridge = CheckoutBridge(MUID, lambda: self.url)
        self.callbacks: list[Any] = []
        self.statuses: list[Any] = []
        self.rejected: list[str] = []
        self.bridge.callback_received.connect(self.callbacks.append)
        self.bridge.status_received.connect(self.statuses.append)
        self.bridge.message_rejected.connect(self.rejected.append)


def test_good_messages(qapp: Any) -> None:
    r = Recorder()
    r.bridge.post(json.dumps({"type": "status", "status": "sdk_loaded"}))
    r.bridge.post(GOOD)
    assert r.statuses == [PageStatus.SDK_LOADED]
    assert isinstance(r.callbacks[0], CheckoutCallback)
    assert r.rejected == []


def test_only_the_first_callback_counts(qapp: Any) -> None:
    r = Recorder()
    r.bridge.post(GOOD)
    r.bridge.post(GOOD.replace("imp_000000000001", "imp_000000000002"))
    assert len(r.callbacks) == 1 and r.callbacks[0].payment_id == "imp_000000000001"
    assert r.rejected == ["a callback was already received"]


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.iamport.kr/v1/iamport.js",  # the main frame navigated to an allowed page
        "http://127.0.0.1:38211/sandbox/kakaopay/window/x",
        "https://checkout.kpadmin.invalid:8443/",
        "http://checkout.kpadmin.invalid/",
        "data:text/html,x",
        "about:blank",
    ],
)
def test_messages_from_any_other_page_are_refused(qapp: Any, url: str) -> None:
    r = Recorder(url)
    r.bridge.post(GOOD)
    assert r.callbacks == []
    assert r.rejected == ["not from the checkout page"]


def test_a_broken_check_never_escapes_the_slot(qapp: Any) -> None:
    def explode() -> QUrl:
        raise RuntimeError("boom")

    bridge = CheckoutBridge(MUID, explode)
    rejected: list[str] = []
    bridge.message_rejected.connect(rejected.append)
    bridge.post(GOOD)  # must not raise
    assert rejected == ["internal error"] and bridge.rejected_count == 1


def test_importing_the_dialog_does_not_load_qtwebengine() -> None:
    code = (
        "import sys; import kpadmin.gui.signup; "
        "print(sorted(m for m in sys.modules if 'WebEngine' in m or 'WebChannel' in m))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"
