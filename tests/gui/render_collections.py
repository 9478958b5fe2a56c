"""Render the collections screens (issue #12) to PNG, in English and Korean: the main window with
a declined subscriber waiting for its retry (selected) and a past-due one, the unsent-notices
window, and the settings dialog's collections box.

    .venv/bin/python -m tests.gui.render_collections /tmp/shots

Not a test (no ``test_`` prefix): a tool to look at the screens.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")


def _declined(backend, uid: str, name: str, times: int, *, email: str) -> int:
    from kpadmin.store.charges import NewCharge
    from kpadmin.store.models import ChargeState
    from kpadmin.store.subscribers import NewSubscriber

    today = backend.today()
    sub = backend.subscribers.add(
        NewSubscriber(uid, name, 9_900, today.day, today, email=email, phone="010-2345-6789")
    )
    for attempt in range(1, times + 1):
        cid = backend.charges.insert(
            NewCharge(sub.id, uid, f"{today:%Y-%m}", attempt, f"kp-{uid}-{attempt}", 9_900),
            batch_id=None,
            staff="자동",
            now=backend.now() - timedelta(hours=2),
        )
        backend.charges.set_state(cid, ChargeState.DECLINED, fail_reason="[8008] 잔액 부족")
    return sub.id


def render(out_dir: Path, language: str) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from kpadmin.billing.notices import Recipient
    from kpadmin.billing.notices.rendering import Decline
    from kpadmin.billing.outbox import NoticePolicy, enqueue
    from kpadmin.billing.settings import Settings
    from kpadmin.gui import i18n
    from kpadmin.gui.backend import Backend
    from kpadmin.gui.main_window import MainWindow
    from kpadmin.gui.settings_dialog import SettingsDialog
    from kpadmin.runtime import open_runtime
    from kpadmin.store.models import SubscriberState
    from tests.sample_data import seed

    app = QApplication.instance() or QApplication([])
    i18n.install(language)
    paths = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            notices="email",
            smtp_url="smtps://smtp.example.com",
            notice_from="카페 온도 <billing@cafe.example>",
            merchant_name="카페 온도",
            merchant_contact="02-555-0100",
            auto_charge_time="09:00",
        )
        backend = Backend(open_runtime(tmp).with_settings(settings))
        seed(backend.store, today=backend.today(), count=30)
        waiting = _declined(backend, "cu-wait", "이서연", 1, email="seoyeon@example.com")
        past = _declined(backend, "cu-past", "정민호", 4, email="minho@example.com")
        backend.subscribers.update(past, state=SubscriberState.PAST_DUE)
        for sid, uid in ((waiting, "cu-wait"), (past, "cu-past")):
            facts = Decline(
                recipient=Recipient("고객", f"{uid}@example.com"),
                plan="월간",
                amount=9_900,
                period=f"{backend.today():%Y-%m}",
                order_id=f"kp-{uid}-1",
                declined_at=backend.now(),
                next_retry=backend.today() + timedelta(days=1),
            )
            enqueue(backend.store, NoticePolicy("email"), facts, sid, backend.now())
        window = MainWindow(backend)
        window.resize(1440, 860)
        window.show()
        window.select_ids([waiting])
        for _ in range(5):
            app.processEvents()
        path = out_dir / f"collections-main-{language}.png"
        window.grab().save(str(path))
        paths.append(path)
        window.select_ids([past])
        for _ in range(5):
            app.processEvents()
        path = out_dir / f"collections-past-due-{language}.png"
        window.grab().save(str(path))
        paths.append(path)
        window.notices.show_dialog()
        dialog = window.notices.dialog
        for _ in range(5):
            app.processEvents()
        path = out_dir / f"collections-notices-{language}.png"
        dialog.grab().save(str(path))
        paths.append(path)
        dialog.close()
        settings_dialog = SettingsDialog(backend, window)
        settings_dialog.show()
        for _ in range(5):
            app.processEvents()
        path = out_dir / f"collections-settings-{language}.png"
        settings_dialog.grab().save(str(path))
        paths.append(path)
        settings_dialog.close()
        window.daily_run.stop()
        window.close()
        backend.store.close()
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/kpadmin-collections")
    target.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "ko"):
        for p in render(target, lang):
            print(p)
