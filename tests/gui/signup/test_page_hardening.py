"""The sign-up page's hardening on a real QtWebEngine page: certificate errors, permissions,
file access, and the profile's settings.
"""

from __future__ import annotations

import http.server
import logging
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.gui.signup.harness import run_js

pytestmark = pytest.mark.e2e


@pytest.fixture
def page_factory(qtbot: Any) -> Iterator[Any]:
    from kpadmin.gui.signup.navigation import NavigationPolicy
    from kpadmin.gui.signup.page import CheckoutPage, dispose_page
    from kpadmin.gui.signup.profile import new_signup_profile

    made: list[tuple[Any, Any]] = []

    def make(extra_origins: tuple[str, ...] = ()) -> Any:
        profile = new_signup_profile()
        page = CheckoutPage(profile, NavigationPolicy(extra_origins), "kpa-su-aaaaaaaaaaaaaaaa")
        made.append((page, profile))
        return page

    yield make
    for page, profile in made:
        dispose_page(None, page, profile)
    qtbot.wait(50)


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """A local https server with a self-signed certificate; yields (origin, request paths)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            body = b"<html><body>served</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def test_certificate_errors_are_rejected(
    qtbot: Any, page_factory: Any, https_server: Any, caplog: Any
) -> None:
    from PySide6.QtCore import QUrl

    origin, seen = https_server
    page = page_factory((origin,))  # the origin is allowed: only the certificate is wrong
    errors: list[Any] = []
    page.certificateError.connect(lambda e: errors.append(e.url().toString()))
    with (
        caplog.at_level(logging.WARNING, logger="kpadmin.gui.signup.page"),
        qtbot.waitSignal(page.loadFinished, timeout=15_000) as finished,
    ):
        page.load(QUrl(origin + "/pay"))
    assert finished.args == [False]
    assert errors and errors[0].startswith(origin)
    assert "certificate error" in caplog.text and "rejected" in caplog.text
    assert seen == []  # no request was ever sent over the untrusted connection


def test_permissions_denied_and_no_file_access(qtbot: Any, page_factory: Any, caplog: Any) -> None:
    page = page_factory()
    with qtbot.waitSignal(page.loadFinished, timeout=15_000):
        page.load_checkout("<html><body>checkout</body></html>")
    with caplog.at_level(logging.WARNING, logger="kpadmin.gui.signup.page"):
        run_js(
            qtbot,
            page,
            "window.__perm = 'pending'; Notification.requestPermission().then("
            "function (r) { window.__perm = r; }, function (e) { window.__perm = 'error'; }); 1",
        )
        qtbot.waitUntil(lambda: run_js(qtbot, page, "window.__perm") != "pending", timeout=10_000)
        assert run_js(qtbot, page, "window.__perm") == "denied"
        qtbot.waitUntil(lambda: "permission" in caplog.text and "denied" in caplog.text)

    # No file: reads from the page, whatever the API.
    run_js(
        qtbot,
        page,
        "window.__file = 'pending'; fetch('file:///etc/hostname').then("
        "function () { window.__file = 'read'; }, function () { window.__file = 'refused'; }); 1",
    )
    qtbot.waitUntil(lambda: run_js(qtbot, page, "window.__file") != "pending", timeout=10_000)
    assert run_js(qtbot, page, "window.__file") == "refused"


def test_profile_is_fresh_and_locked_down(qapp: Any) -> None:
    from PySide6.QtWebEngineCore import QWebEngineSettings

    from kpadmin.gui.signup.profile import new_signup_profile

    a, b = new_signup_profile(), new_signup_profile()
    try:
        assert a.isOffTheRecord() and b.isOffTheRecord()
        assert a is not b
        assert a.storageName() == "" and b.storageName() == ""  # no name = off the record
        settings = a.settings()
        attr = QWebEngineSettings.WebAttribute
        assert not settings.testAttribute(attr.LocalContentCanAccessFileUrls)
        assert not settings.testAttribute(attr.LocalContentCanAccessRemoteUrls)
        assert not settings.testAttribute(attr.AllowRunningInsecureContent)
        assert not settings.testAttribute(attr.PluginsEnabled)
        assert not settings.testAttribute(attr.JavascriptCanAccessClipboard)
    finally:
        a.deleteLater()
        b.deleteLater()


def test_downloads_are_refused(qtbot: Any, page_factory: Any, caplog: Any) -> None:
    page = page_factory()
    with qtbot.waitSignal(page.loadFinished, timeout=15_000):
        page.load_checkout("<html><body>checkout</body></html>")
    with caplog.at_level(logging.WARNING, logger="kpadmin.gui.signup.profile"):
        run_js(
            qtbot,
            page,
            "var a = document.createElement('a');"
            "a.href = URL.createObjectURL(new Blob(['x'], {type: 'application/octet-stream'}));"
            "a.download = 'x.bin'; document.body.appendChild(a); a.click(); 1",
        )
        qtbot.waitUntil(lambda: "download refused" in caplog.text, timeout=10_000)


def test_popup_to_an_allowed_origin_opens_under_the_same_policy(
    qtbot: Any, page_factory: Any, sandbox: Any
) -> None:
    page = page_factory((sandbox.base_url,))
    with qtbot.waitSignal(page.loadFinished, timeout=15_000):
        page.load_checkout("<html><body>checkout</body></html>")
    blocked: list[tuple[str, str]] = []
    page.navigation_blocked.connect(lambda u, r: blocked.append((u, r)))
    run_js(qtbot, page, f"window.__w = window.open('{sandbox.base_url}/sandbox/'); 1")
    qtbot.waitUntil(lambda: len(page.popups) == 1, timeout=5000)
    popup = page.popups[0]
    qtbot.waitUntil(lambda: popup._showed_something, timeout=10_000)
    assert popup.page.url().toString().startswith(sandbox.base_url + "/sandbox/")
    assert blocked == []
    # The popup's own navigations obey the policy too, and it may not open popups itself.
    run_js(qtbot, popup.page, "location.href = 'https://evil.example/'; 1")
    qtbot.waitUntil(lambda: bool(blocked), timeout=5000)
    assert blocked[0][1] == "host evil.example not allowed"
    assert popup.page.url().toString().startswith(sandbox.base_url + "/sandbox/")
    assert page.popups == [popup]  # it had shown a page: refusing one navigation keeps it open
    # window.close() from the opener closes the popup window.
    run_js(qtbot, page, "window.__w.close(); 1")
    qtbot.waitUntil(lambda: not page.popups, timeout=5000)
