"""The customer notices in the app (kpadmin/gui/notices.py): the status-bar count of unsent
notices, the window listing them (recipient masked) and Send now, against a real SMTP server on
127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kpadmin.billing.notices import Receipt, Recipient
from kpadmin.billing.outbox import NoticePolicy, enqueue
from kpadmin.billing.settings import Settings
from kpadmin.gui.backend import Backend
from kpadmin.gui.main_window import MainWindow
from kpadmin.runtime import open_runtime
from kpadmin.store.subscribers import NewSubscriber
from tests.billing.notices.smtp_server import Handler, Server
from tests.clock import FrozenClock


@pytest.fixture
def smtp() -> Iterator[tuple[Server, Handler]]:
    handler = Handler()
    server = Server(handler)
    server.start()
    yield server, handler
    server.stop()


@pytest.fixture
def mail_backend(qapp, tmp_path: Path, clock: FrozenClock, smtp, memory_keyring) -> Iterator:
    server, _ = smtp
    settings = Settings(
        notices="email",
        smtp_url=f"smtp://127.0.0.1:{server.url_port}",
        notice_from="카페 온도 <billing@cafe.example>",
        merchant_name="카페 온도",
    )
    backend = Backend(open_runtime(tmp_path / "data", clock=clock).with_settings(settings))
    yield backend
    backend.store.close()


def _two_receipts(backend: Backend) -> None:
    today = backend.today()
    for i in range(2):
        sid = backend.subscribers.add(
            NewSubscriber(f"cu-{i}", "김민지", 9900, today.day, today, email=f"m{i}@example.com")
        ).id
        facts = Receipt(
            recipient=Recipient("김민지", f"m{i}@example.com"),
            plan="월간",
            amount=9900,
            period=f"{today:%Y-%m}",
            order_id=f"kp-{i}",
            paid_at=backend.now() - timedelta(minutes=1),
        )
        enqueue(backend.store, NoticePolicy("email"), facts, sid, backend.now())


def test_unsent_notices_are_counted_listed_and_sent(qtbot, qloop, mail_backend, smtp) -> None:
    _, handler = smtp
    window = MainWindow(mail_backend)
    qtbot.addWidget(window)
    window.show()
    assert window.notices.button.isHidden()  # nothing unsent: no button
    _two_receipts(mail_backend)
    assert not window.notices.button.isHidden()
    assert "2" in window.notices.button.text()
    window.notices.show_dialog()
    dialog = window.notices.dialog
    assert dialog is not None and dialog.tree.topLevelItemCount() == 2
    shown = [dialog.tree.topLevelItem(i).text(1) for i in range(2)]
    assert all("example.com" in s and not s.startswith("m0@") for s in shown)  # masked
    dialog.send.click()
    qtbot.waitUntil(lambda: len(handler.received) == 2, timeout=10_000)
    qtbot.waitUntil(lambda: window.notices.button.isHidden(), timeout=5_000)
    assert mail_backend.unsent_notices() == 0
    assert dialog.tree.topLevelItemCount() == 0
