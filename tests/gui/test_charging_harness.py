"""A main window on a real store, connected to a test sandbox, with subscribers whose billing keys
the sandbox really holds (for the charging, refund and self-test tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpadmin.billing.settings import Settings
from kpadmin.runtime import open_runtime
from kpadmin.store.models import SubscriberState
from kpadmin.store.subscribers import NewSubscriber, SubscriberRepository
from tests.clock import FrozenClock

NAMES = ["김하늘", "이서준", "박지민", "최유나", "정도윤", "강서연", "조민준", "윤지우"]


@dataclass
class Desk:
    window: Any
    backend: Any
    box: Any
    ids: list[int]

    @property
    def controller(self) -> Any:
        return self.window.charging

    def paid_at_sandbox(self, customer_uid: str) -> list[dict[str, Any]]:
        return [
            p
            for p in self.box.state.customer_payments(customer_uid)
            if p["status"] in ("paid", "cancelled")
        ]


def open_desk(
    qtbot: Any,
    arun: Any,
    box: Any,
    tmp_path: Path,
    *,
    count: int,
    declining: frozenset[int] = frozenset(),
    paused: frozenset[int] = frozenset(),
    concurrency: int = 2,
    amount: int = 9_900,
) -> Desk:
    from kpadmin.gui.backend import Backend
    from kpadmin.gui.main_window import MainWindow

    # The desk runs on the sandbox's clock (the test's injected one, tests/clock.py); a stand-in
    # without a config (the hostile server) answers at the injected instant too.
    clock = getattr(getattr(box, "config", None), "clock", None) or FrozenClock()
    runtime = open_runtime(tmp_path / "data", clock=clock).with_settings(
        Settings(
            mode="sandbox",
            api_base_url=box.base_url,
            concurrency=concurrency,
            staff_name="민지",
        )
    )
    backend = Backend(runtime)
    arun(backend.connect())
    assert backend.api is not None, backend.api_error
    today = backend.today()
    repo = SubscriberRepository(backend.store)
    ids = []
    for i in range(count):
        uid = f"kp_test_{i:04d}"
        box.state.issue_billing_key(
            uid, card_name="신한카드", behaviour="decline" if i in declining else None
        )
        sub = repo.add(
            NewSubscriber(
                customer_uid=uid,
                name=NAMES[i % len(NAMES)] + (str(i) if i >= len(NAMES) else ""),
                amount=amount,
                billing_day=today.day,
                next_charge_date=today,
                phone=f"010{i:08d}",
                plan="프리미엄 월 구독",
                card_name="신한카드",
                state=SubscriberState.PAUSED if i in paused else SubscriberState.ACTIVE,
            )
        )
        ids.append(sub.id)
    window = MainWindow(backend)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.charging is not None
    return Desk(window, backend, box, ids)


def close_desk(desk: Desk, qtbot: Any, arun: Any) -> None:
    controller = desk.controller
    if controller.task is not None and not controller.task.done():
        controller.cancel_batch()
        qtbot.waitUntil(controller.task.done, timeout=20_000)
    desk.window.close()
    arun(desk.backend.aclose())


def accept_confirmation(qtbot: Any, controller: Any, timeout: int = 15_000) -> Any:
    qtbot.waitUntil(lambda: controller.confirm_dialog is not None, timeout=timeout)
    dialog = controller.confirm_dialog
    return dialog
