"""The sign-up web pages: every navigation, popup, certificate error and permission request is
decided here (imports QtWebEngine: load lazily).

* `GuardedPage` — any page of a sign-up profile: `acceptNavigationRequest` asks the
  `NavigationPolicy` (main frame and sub-frames alike), certificate errors are rejected,
  permission / file-system / full-screen / protocol-handler requests are denied, and
  `createWindow` gives the SDK a `PopupWindow` whose page obeys the same policy (one level
  deep: a popup may not open popups of its own).
* `CheckoutPage` — the main page: it also owns the web channel (in ApplicationWorld) with the
  `CheckoutBridge`, the injected qwebchannel.js + relay, and the one exception to the policy, the
  ``data:`` navigation that `setHtml` makes for the page's own checkout HTML.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QFile, QIODevice, QObject, QUrl, Signal
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEngineCertificateError,
    QWebEnginePage,
    QWebEnginePermission,
    QWebEngineProfile,
    QWebEngineScript,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from kpadmin.gui.signup.bridge import CheckoutBridge
from kpadmin.gui.signup.checkout_page import relay_script_source
from kpadmin.gui.signup.navigation import CHECKOUT_URL, NavigationPolicy, loggable
from kpadmin.redact import redact_text

log = logging.getLogger(__name__)

#: The world the web channel and the relay live in: not the page's (main) world, so neither the
#: page's scripts nor iamport.js can touch ``qt.webChannelTransport``.
BRIDGE_WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld


class GuardedPage(QWebEnginePage):
    """A page that goes only where the policy allows."""

    #: (url for the log, reason) of each refused navigation or popup.
    navigation_blocked = Signal(str, str)

    def __init__(
        self,
        profile: QWebEngineProfile,
        policy: NavigationPolicy,
        parent: QObject | None = None,
        *,
        allow_popups: bool = True,
    ) -> None:
        super().__init__(profile, parent)
        self.policy = policy
        self._allow_popups = allow_popups
        self.popups: list[PopupWindow] = []
        self.certificateError.connect(self._on_certificate_error)
        self.permissionRequested.connect(self._on_permission_requested)
        self.fileSystemAccessRequested.connect(lambda request: request.reject())
        self.fullScreenRequested.connect(lambda request: request.reject())
        self.registerProtocolHandlerRequested.connect(lambda request: request.reject())
        self.desktopMediaRequested.connect(lambda request: request.cancel())
        self.selectClientCertificate.connect(lambda selection: selection.selectNone())

    def acceptNavigationRequest(  # type: ignore[override]  # Qt always passes a QUrl
        self, url: QUrl, nav_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        decision = self.policy.check(url, main_frame=is_main_frame)
        if not decision.allowed:
            self._blocked(url, decision.reason)
        return decision.allowed

    def javaScriptConsoleMessage(  # Qt override: into our log (redacted), not Qt's
        self,
        level: QWebEnginePage.JavaScriptConsoleMessageLevel,
        message: str,
        line: int,
        source: str,
    ) -> None:
        # Third-party scripts may print anything (a buyer's phone number): scrub before logging.
        log.debug(
            "sign-up page console (%s) %s:%s: %s",
            level.name,
            loggable(source),
            line,
            redact_text(message[:500]),
        )

    def createWindow(  # type: ignore[override]  # returning None refuses the window
        self, window_type: QWebEnginePage.WebWindowType
    ) -> QWebEnginePage | None:
        if not self._allow_popups:
            self._blocked(QUrl(), "popup from a popup")
            return None
        popup = PopupWindow(self.profile(), self.policy, QWebEngineView.forPage(self))
        self.popups.append(popup)
        popup.page.navigation_blocked.connect(self.navigation_blocked)
        popup.finished.connect(lambda _result, p=popup: self._forget_popup(p))
        popup.show()
        return popup.page

    def _forget_popup(self, popup: PopupWindow) -> None:
        if popup in self.popups:
            self.popups.remove(popup)
        popup.dispose()

    def _blocked(self, url: QUrl, reason: str) -> None:
        log.warning("sign-up view: blocked %s (%s)", loggable(url), reason)
        self.navigation_blocked.emit(loggable(url), reason)

    def _on_certificate_error(self, error: QWebEngineCertificateError) -> None:
        log.warning(
            "sign-up view: certificate error for %s (%s) — rejected",
            error.url().host(),
            error.description(),
        )
        error.rejectCertificate()

    def _on_permission_requested(self, permission: QWebEnginePermission) -> None:
        log.warning(
            "sign-up view: permission %s for %s denied",
            permission.permissionType(),
            permission.origin().host(),
        )
        permission.deny()


class PopupWindow(QDialog):
    """A window the SDK opened, under the same policy; closed when its first load is refused."""

    def __init__(
        self, profile: QWebEngineProfile, policy: NavigationPolicy, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Kakao Pay"))
        self.resize(480, 640)
        self.page = GuardedPage(profile, policy, self, allow_popups=False)
        self.view = QWebEngineView(self)
        self.view.setPage(self.page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.page.windowCloseRequested.connect(self.reject)
        self.page.navigation_blocked.connect(self._on_blocked)
        self._showed_something = False
        self.page.loadFinished.connect(self._on_load_finished)

    def _on_load_finished(self, ok: bool) -> None:
        self._showed_something = self._showed_something or ok

    def _on_blocked(self, _url: str, _reason: str) -> None:
        # A popup whose very first navigation was refused would stay an empty window: close it.
        if not self._showed_something:
            self.reject()

    def dispose(self) -> None:
        self.view.setPage(None)  # type: ignore[arg-type]  # the stubs lack None
        self.page.deleteLater()
        self.deleteLater()


def _qwebchannel_js() -> str:
    resource = QFile(":/qtwebchannel/qwebchannel.js")
    if not resource.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError("qwebchannel.js is missing from the Qt resources")
    try:
        return bytes(resource.readAll().data()).decode("utf-8")
    finally:
        resource.close()


class CheckoutPage(GuardedPage):
    """The checkout page with its bridge (see `bridge.py` for what reaches Python)."""

    def __init__(
        self,
        profile: QWebEngineProfile,
        policy: NavigationPolicy,
        order_id: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(profile, policy, parent)
        self._own_load_pending = False
        self.bridge = CheckoutBridge(order_id, self.url, self)
        self.channel = QWebChannel(self)
        self.channel.registerObject("kpadmin_bridge", self.bridge)
        self.setWebChannel(self.channel, BRIDGE_WORLD)
        script = QWebEngineScript()
        script.setName("kpadmin-bridge-relay")
        script.setSourceCode(_qwebchannel_js() + "\n" + relay_script_source())
        script.setWorldId(BRIDGE_WORLD)
        script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentCreation)
        script.setRunsOnSubFrames(False)
        self.scripts().insert(script)

    def load_checkout(self, html: str) -> None:
        """Show the rendered checkout page under its https origin (see checkout_page.py)."""
        self._own_load_pending = True
        self.setHtml(html, QUrl(CHECKOUT_URL))

    def acceptNavigationRequest(  # type: ignore[override]  # Qt always passes a QUrl
        self, url: QUrl, nav_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        # setHtml() navigates the main frame to a data: URL carrying our own HTML, exactly once per
        # load_checkout(); every other data: URL (and everything else) goes through the policy.
        if (
            self._own_load_pending
            and is_main_frame
            and url.scheme() == "data"
            and nav_type == QWebEnginePage.NavigationType.NavigationTypeTyped
        ):
            self._own_load_pending = False
            return True
        return super().acceptNavigationRequest(url, nav_type, is_main_frame)


def dispose_page(
    view: QWebEngineView | None, page: QWebEnginePage, profile: QWebEngineProfile
) -> None:
    """Tear down in the order QtWebEngine needs: the page (and its popups) before the profile."""
    if view is not None:
        view.setPage(None)  # type: ignore[arg-type]  # stubs lack None
    for popup in list(getattr(page, "popups", [])):
        popup.dispose()
    page.destroyed.connect(profile.deleteLater)
    page.deleteLater()
