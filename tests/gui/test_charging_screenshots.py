"""Render the charging UI in Korean to PNG: the confirmation, a batch in progress over the main
window, the result list with declines, and the refund confirmation.

    .venv/bin/python -m tests.gui.test_charging_screenshots docs/screenshots

Also a test: the same rendering into a temporary folder must produce readable images, and the
Korean table covers every string the charging package shows.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

NAMES = [
    "김하늘",
    "이서준",
    "박지민",
    "최유나",
    "정도윤",
    "강서연",
    "조민준",
    "윤지우",
    "장하은",
    "임도현",
    "한지아",
    "오승우",
    "서예린",
    "신우진",
    "권나윤",
    "황시우",
    "안채원",
    "송민재",
]
PLANS = ["프리미엄 월 구독", "베이직 월 구독", "가족 요금제"]


async def _wait(predicate: Any, timeout: float = 30.0) -> Any:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (value := predicate()):
        if loop.time() > deadline:
            raise TimeoutError("screenshot scene did not get ready")
        await asyncio.sleep(0.02)
    return value


def _composite(window: Any, dialog: Any) -> Any:
    """The main window with a (top-level) dialog drawn over it, as the staff would see them."""
    from PySide6.QtGui import QColor, QPainter

    base = window.grab()
    top = dialog.grab()
    painter = QPainter(base)
    painter.fillRect(base.rect(), QColor(0, 0, 0, 40))
    x = (base.width() - top.width()) // 2
    y = (base.height() - top.height()) // 2
    painter.fillRect(x - 1, y - 1, top.width() + 2, top.height() + 2, QColor("#8c959f"))
    painter.drawPixmap(x, y, top)
    painter.end()
    return base


async def render(out_dir: Path) -> list[Path]:
    from kpadmin.billing.settings import Settings
    from kpadmin.gui import i18n
    from kpadmin.gui.backend import Backend
    from kpadmin.gui.main_window import MainWindow
    from kpadmin.runtime import open_runtime
    from kpadmin.sandbox.config import SandboxConfig
    from kpadmin.sandbox.server import SandboxServer
    from kpadmin.store.models import SubscriberState
    from kpadmin.store.subscribers import NewSubscriber, SubscriberRepository

    i18n.install("ko")
    os.environ.setdefault("KPADMIN_IMP_KEY", SandboxConfig.imp_key)
    os.environ.setdefault("KPADMIN_IMP_SECRET", SandboxConfig.imp_secret)
    out: list[Path] = []
    server = SandboxServer(SandboxConfig(latency_ms=350, seed=3))
    url = server.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            runtime = open_runtime(tmp).with_settings(
                Settings(mode="sandbox", api_base_url=url, concurrency=2, staff_name="민지")
            )
            backend = Backend(runtime)
            await backend.connect()
            today = backend.today()
            repo = SubscriberRepository(backend.conn)
            ids = []
            for i, name in enumerate(NAMES):
                uid = f"kp_demo_{i:03d}"
                state = SubscriberState.ACTIVE
                if i == 5:
                    state = SubscriberState.PAUSED
                if i == 11:
                    state = SubscriberState.KEY_MISSING
                if state is not SubscriberState.KEY_MISSING:
                    server.state.issue_billing_key(
                        uid,
                        card_name="신한카드" if i % 2 else "카카오뱅크카드",
                        card_number=f"4518-42**-****-{1000 + i * 37}",
                        behaviour="decline" if i in (3, 9) else None,
                    )
                sub = repo.add(
                    NewSubscriber(
                        customer_uid=uid,
                        name=name,
                        amount=(9_900, 4_900, 19_800)[i % 3],
                        billing_day=today.day,
                        next_charge_date=today,
                        phone=f"010-{2000 + i * 13:04d}-{5000 + i * 7:04d}",
                        plan=PLANS[i % 3],
                        card_name="신한카드" if i % 2 else "카카오뱅크카드",
                        card_number=f"4518-42**-****-{1000 + i * 37}",
                        state=state,
                    )
                )
                ids.append(sub.id)
            window = MainWindow(backend)
            window.resize(1440, 860)
            window.show()
            controller = window.charging

            controller.charge_all_due()
            confirm = await _wait(lambda: controller.confirm_dialog)
            await asyncio.sleep(0.1)
            out.append(out_dir / "charging-confirm.png")
            confirm.grab().save(str(out[-1]))

            confirm.charge_button.click()
            await _wait(lambda: controller._progress.done >= 6)
            window.select_ids([ids[0]])
            await asyncio.sleep(0.25)
            out.append(out_dir / "charging-progress.png")
            _composite(window, controller.batch_dialog).save(str(out[-1]))

            await _wait(lambda: not controller.running, timeout=60)
            await asyncio.sleep(0.1)
            out.append(out_dir / "charging-result.png")
            controller.batch_dialog.grab().save(str(out[-1]))
            controller.batch_dialog.accept()

            controller.refund(ids[0], 0)
            refund = controller.refund_dialog
            refund.set_values(amount=3_000, reason="고객 요청: 서비스 장애 보상")
            await asyncio.sleep(0.05)
            out.append(out_dir / "charging-refund-form.png")
            refund.grab().save(str(out[-1]))
            refund.review()
            await asyncio.sleep(0.05)
            out.append(out_dir / "charging-refund-confirm.png")
            refund.grab().save(str(out[-1]))
            refund.reject()
            window.close()
            try:
                await backend.aclose()
            except RuntimeError as exc:  # seen only when run as a script: report, don't fail
                print(f"(closing the connection: {exc})", file=sys.stderr)
    finally:
        server.close()
        i18n.install("en")
    return out


def test_renders_the_charging_screens_in_korean(qtbot, qloop, arun, tmp_path, memory_keyring):
    from PySide6.QtGui import QImage

    paths = arun(render(tmp_path), timeout_ms=90_000)
    assert [p.name for p in paths] == [
        "charging-confirm.png",
        "charging-progress.png",
        "charging-result.png",
        "charging-refund-form.png",
        "charging-refund-confirm.png",
    ]
    for path in paths:
        image = QImage(str(path))
        assert not image.isNull() and image.width() >= 400, path


if __name__ == "__main__":
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication([])
    import qasync

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    target.mkdir(parents=True, exist_ok=True)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    async def main() -> list[Path]:
        return await render(target)

    with loop:
        for written in loop.run_until_complete(asyncio.ensure_future(main())):
            print(written)
    os._exit(0)  # PySide's teardown at exit is not worth the risk for a one-shot tool
