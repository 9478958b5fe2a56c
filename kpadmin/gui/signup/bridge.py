"""The one narrow bridge between the checkout page and Python (a QWebChannel object).

Its single slot `post(str)` takes the JSON text the page's relay forwards. Every message is checked
before anything else happens:

* the main frame must be showing the checkout page (its origin, not a page the view navigated to
  since — the relay script is injected into every main-frame document of the page);
* `kpadmin.billing.signup.parse_bridge_message` then checks size (≤ 16 KB), JSON, the envelope,
  each field's type, and that the callback is for this attempt's order id;
* only the first callback counts; later ones are refused.

Rejected messages are logged (reason only, never the message) and counted; the slot never raises
(an exception in a slot would only reach Qt's message handler).

Why other frames cannot call it: the web channel lives in ``QWebEngineScript.ApplicationWorld`` of
the main frame only (`CheckoutPage` installs it so and the relay is injected with
``runsOnSubFrames = False``). Page scripts run in the main world and sub-frames (the Kakao Pay
layer, another origin) have neither the transport nor access to the checkout document's events.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QUrl, Signal, Slot

from kpadmin.billing.signup import (
    CallbackRejected,
    CheckoutCallback,
    PageStatus,
    parse_bridge_message,
)
from kpadmin.gui.signup.navigation import CHECKOUT_ORIGIN, Origin

log = logging.getLogger(__name__)


class CheckoutBridge(QObject):
    """Registered on the page's web channel as ``kpadmin_bridge``."""

    #: A checked callback (`CheckoutCallback`); emitted at most once.
    callback_received = Signal(object)
    #: A checked page status (`PageStatus`).
    status_received = Signal(object)
    #: A refused message: the reason (for tests and diagnostics).
    message_rejected = Signal(str)

    def __init__(
        self, order_id: str, page_url: Callable[[], QUrl], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._order_id = order_id
        self._page_url = page_url
        self._callback_taken = False
        self.rejected_count = 0

    @Slot(str)
    def post(self, message: str) -> None:
        try:
            self._handle(message)
        except CallbackRejected as exc:
            self._reject(str(exc))
        except Exception:  # never let a hostile message take the slot down
            log.exception("sign-up bridge: unexpected error while checking a message")
            self._reject("internal error")

    def _handle(self, message: object) -> None:
        if Origin.of(self._page_url()) != CHECKOUT_ORIGIN:
            raise CallbackRejected("not from the checkout page")
        parsed = parse_bridge_message(message, expected_order_id=self._order_id)
        if isinstance(parsed, PageStatus):
            log.info("sign-up page: %s", parsed.value)
            self.status_received.emit(parsed)
            return
        assert isinstance(parsed, CheckoutCallback)
        if self._callback_taken:
            raise CallbackRejected("a callback was already received")
        self._callback_taken = True
        log.info(
            "sign-up callback: order %s payment %s error_code=%s",
            parsed.order_id,
            parsed.payment_id,
            parsed.error_code,
        )
        self.callback_received.emit(parsed)

    def _reject(self, reason: str) -> None:
        self.rejected_count += 1
        log.warning("sign-up bridge: message rejected (%s)", reason)
        self.message_rejected.emit(reason)
