"""Helpers for driving the real sign-up dialog against a running sandbox (tests and screenshots).

backend = SignupBackend.for_sandbox(sandbox, tmp_path)       # real SQLite file, real gateway
dialog = SignupDialog(None, backend)
fill(dialog, first_payment=True)
dialog.start()
frame = wait_for_window_frame(qtbot, dialog)                 # the simulated Kakao Pay iframe
run_js(qtbot, frame, "document.getElementById('approve').click()")
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from kpadmin.billing.collections import Collections
from kpadmin.billing.periods import today_in_seoul
from kpadmin.billing.signup import RawSignupForm
from kpadmin.clock import Clock
from kpadmin.iamport.client import IamportClient
from kpadmin.iamport.gateway import IamportGateway
from kpadmin.store import Store, open_store
from tests.clock import FrozenClock

FORM = RawSignupForm(
    name="김하늘",
    phone="010-1234-5678",
    email="haneul@example.com",
    plan="프리미엄 월 구독",
    amount="9,900",
    billing_day="5",
    first_payment_now=True,
    channel="phone",
)


@dataclass
class SandboxApi:
    """The fields of `kpadmin.runtime.Api` the dialog reads (``client``: the gateway's own, for
    closing it)."""

    gateway: IamportGateway
    client: IamportClient
    base_url: str
    sdk_url: str
    imp_code: str | None
    pg: str


class SignupBackend(QObject):
    """The part of `kpadmin.gui.backend.Backend` the dialog uses: store, staff, api, the clock,
    the collections policy (its notices)."""

    api_state_changed = Signal()
    data_changed = Signal(object)

    def __init__(
        self,
        store: Store,
        api: SandboxApi | None,
        staff: str = "민지",
        *,
        clock: Clock | None = None,
    ):
        super().__init__()
        self.store = store
        self.api = api
        self.api_error: str | None = None
        self.staff = staff
        self.clock: Clock = clock or FrozenClock()
        #: The settings' retry and notice policy (`Backend.collections`; notices off).
        self.collections = Collections()

    def now(self) -> datetime:
        return self.clock()

    def notify_changed(self, ids: Any = None, *, journal: bool = False) -> None:
        self.data_changed.emit((ids, journal))

    def today(self) -> date:
        return today_in_seoul(self.clock)

    @classmethod
    def for_sandbox(cls, box: Any, data_dir: Path, *, clock: Clock | None = None) -> SignupBackend:
        client = IamportClient(box.base_url, box.imp_key, box.imp_secret)
        api = SandboxApi(
            gateway=IamportGateway(client),
            client=client,
            base_url=box.base_url,
            sdk_url=box.base_url + "/v1/iamport.js",
            imp_code=box.imp_code,
            pg="kakaopay.TCSUBSCRIP",
        )
        return cls(open_store(data_dir / "kpadmin.sqlite3"), api, clock=clock)


def fill(dialog: Any, **changes: Any) -> None:
    dialog.form.set_values(replace(FORM, **changes))


def run_js(qtbot: Any, target: Any, code: str, world: int = 0, timeout: int = 5000) -> Any:
    """Run `code` in a page or frame and return its result (waits for the callback)."""
    box: list[Any] = []
    target.runJavaScript(code, world, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=timeout)
    return box[0]


def wait_for_window_frame(qtbot: Any, dialog: Any, timeout: int = 15_000) -> Any:
    """The simulated Kakao Pay window's iframe, once its buttons exist."""
    found: list[Any] = []

    def ready() -> bool:
        page = dialog.web.page if dialog.web else None
        if page is None:
            return False
        for child in page.mainFrame().children():
            if "/sandbox/kakaopay/window/" in child.url().toString():
                found[:] = [child]
                return True
        return False

    qtbot.waitUntil(ready, timeout=timeout)
    frame = found[0]
    # The buttons exist before the window's (deferred) script has wired them; it marks the body
    # data-ready when done. A click before that would be lost.
    qtbot.waitUntil(
        lambda: run_js(qtbot, frame, "document.body.getAttribute('data-ready') === '1'") is True,
        timeout=timeout,
    )
    return frame


def click(qtbot: Any, frame: Any, element_id: str) -> None:
    result = run_js(
        qtbot,
        frame,
        f"(function(){{var e=document.getElementById({element_id!r});"
        "if(!e||e.disabled)return 'unavailable';e.click();return 'clicked';})()",
    )
    assert result == "clicked", f"#{element_id}: {result}"
