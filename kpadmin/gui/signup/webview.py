"""The embedded Kakao Pay window: profile + checkout page + bridge in one widget (imports
QtWebEngine — `dialog.py` imports this module only when a sign-up reaches the window step).

    view = CheckoutWebView(policy, parent)
    view.callback_received.connect(...)        # a checked CheckoutCallback, at most once
    view.start(attempt, sdk_url=api.sdk_url, texts=PageTexts(...))
    ...
    view.dispose()                             # page before profile; safe to call twice
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWebEngineCore import QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kpadmin.billing.signup import SignupAttempt
from kpadmin.gui.signup.checkout_page import PageTexts, render_checkout_html
from kpadmin.gui.signup.navigation import NavigationPolicy
from kpadmin.gui.signup.page import CheckoutPage, dispose_page
from kpadmin.gui.signup.profile import new_signup_profile

log = logging.getLogger(__name__)


class CheckoutWebView(QWidget):
    callback_received = Signal(object)  # CheckoutCallback
    status_received = Signal(object)  # PageStatus
    message_rejected = Signal(str)
    navigation_blocked = Signal(str, str)

    def __init__(self, policy: NavigationPolicy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.policy = policy
        self.profile: QWebEngineProfile | None = None
        self.page: CheckoutPage | None = None
        self.view = QWebEngineView(self)
        # No context menu: no "reload", "view source", "save page" or "open in new window".
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.view.setAcceptDrops(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def start(self, attempt: SignupAttempt, *, sdk_url: str, texts: PageTexts) -> None:
        """A fresh profile and page for this attempt, showing the checkout page."""
        self.dispose()
        # Both end up parented to this widget, page first: Qt deletes children in the order they
        # were added, and QtWebEngine needs a page gone before its profile (it warns otherwise).
        # `dispose` keeps that order too when an attempt ends.
        profile = new_signup_profile()
        self.page = CheckoutPage(profile, self.policy, attempt.order_id, self)
        profile.setParent(self)
        self.profile = profile
        self.page.bridge.callback_received.connect(self.callback_received)
        self.page.bridge.status_received.connect(self.status_received)
        self.page.bridge.message_rejected.connect(self.message_rejected)
        self.page.navigation_blocked.connect(self.navigation_blocked)
        self.view.setPage(self.page)
        html = render_checkout_html(attempt, sdk_url=sdk_url, policy=self.policy, texts=texts)
        self.page.load_checkout(html)

    def dispose(self) -> None:
        if self.page is not None and self.profile is not None:
            dispose_page(self.view, self.page, self.profile)
        self.page = None
        self.profile = None
