"""Render the sign-up dialog to PNG in Korean: the form, the embedded window (QR and phone tabs)
and the verified result, driven against an in-process sandbox.

    .venv/bin/python -m tests.gui.signup.render_signup_screenshots docs/screenshots

Not a test (no ``test_`` prefix): a tool to look at the dialog and refresh docs/screenshots.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")

SIZE = (760, 860)


async def wait_for(predicate, timeout: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError("screenshot step timed out")
        await asyncio.sleep(0.05)


async def js(target, code: str):
    fut = asyncio.get_running_loop().create_future()
    target.runJavaScript(code, 0, lambda r: fut.done() or fut.set_result(r))
    return await asyncio.wait_for(fut, 5)


async def frame_of(dialog):
    found = []

    def ready() -> bool:
        page = dialog.web.page if dialog.web else None
        kids = page.mainFrame().children() if page else []
        found[:] = [k for k in kids if "/sandbox/kakaopay/window/" in k.url().toString()]
        return bool(found)

    await wait_for(ready)
    frame = found[0]
    for _ in range(200):
        if await js(frame, "document.body.getAttribute('data-ready') === '1'"):
            return frame
        await asyncio.sleep(0.05)
    raise TimeoutError("window not ready")


async def render(out_dir: Path) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from kpadmin.gui import i18n
    from kpadmin.gui.signup import SignupDialog
    from kpadmin.sandbox.config import SandboxConfig
    from kpadmin.sandbox.server import SandboxServer
    from tests.gui.signup.harness import SignupBackend, fill

    app = QApplication.instance()
    i18n.install("ko")
    server = SandboxServer(SandboxConfig(seed=0))
    server.start()
    paths: list[Path] = []

    class Box:  # what SignupBackend.for_sandbox reads
        base_url = server.base_url
        imp_key = server.config.imp_key
        imp_secret = server.config.imp_secret
        imp_code = server.config.imp_code

    async def settle(ms: int = 400) -> None:
        await asyncio.sleep(ms / 1000)
        app.processEvents()

    def shot(widget, name: str) -> None:
        path = out_dir / f"signup-{name}.png"
        widget.grab().save(str(path))
        paths.append(path)

    with tempfile.TemporaryDirectory() as tmp:
        backend = SignupBackend.for_sandbox(Box, Path(tmp))
        try:
            dialog = SignupDialog(None, backend)
            dialog.resize(600, 640)
            dialog.show()
            fill(dialog, channel="in_person")
            dialog.form.phone.setText("010-1234-567")  # one field still wrong: inline message
            dialog.form._touch("phone")
            await settle()
            shot(dialog, "form-invalid")
            fill(dialog, channel="in_person")
            await settle()
            shot(dialog, "form")

            dialog.resize(*SIZE)
            dialog.start_button.click()
            frame = await frame_of(dialog)
            await settle(600)
            shot(dialog, "window-qr")
            await js(frame, "document.getElementById('tab-phone').click()")
            await js(frame, "document.getElementById('phone-input').value = '010-1234-5678'")
            await settle(300)
            shot(dialog, "window-phone")
            await js(frame, "document.getElementById('send-request').click()")
            await settle(300)
            await js(frame, "document.getElementById('approve').click()")
            await wait_for(lambda: dialog.stack.currentIndex() == 2)
            await settle()
            shot(dialog, "verified")

            dialog.retry_button.setVisible(True)
            dialog.try_again()
            fill(dialog, channel="phone", first_payment_now=False, name="이도윤")
            dialog.start_button.click()
            frame = await frame_of(dialog)
            await js(frame, "document.getElementById('decline').click()")
            await wait_for(lambda: dialog.stack.currentIndex() == 2)
            await settle()
            shot(dialog, "declined")
            dialog.accept()
            await settle()
        finally:
            await backend.api.client.aclose()
            backend.conn.close()
            server.close()
    return paths


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    import qasync

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    target.mkdir(parents=True, exist_ok=True)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        for path in loop.run_until_complete(render(target)):
            print(path)


if __name__ == "__main__":
    main()
