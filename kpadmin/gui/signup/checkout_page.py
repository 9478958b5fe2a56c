"""Rendering the app's checkout page (resources/checkout/) for one sign-up attempt.

How the page gets an origin: the page is rendered to one HTML string and shown with
``QWebEnginePage.setHtml(html, CHECKOUT_URL)``. Chromium then gives the document the base URL's
origin, ``https://checkout.kpadmin.invalid`` — a secure context with a stable https origin that
no server can ever answer for (``.invalid`` is reserved), so iamport.js and the Kakao Pay frames
see an ordinary https parent. The alternative, a custom ``QWebEngineUrlScheme`` registered as
secure, must be registered before the QApplication exists, which would force QtWebEngineCore into
the app's start-up; kpadmin loads QtWebEngine only when a sign-up opens. setHtml's 2 MB limit is
far away (the page is a few KB; qwebchannel.js is injected as a script, not inlined).

Everything the page needs is inlined: the CSS and checkout.js under a per-render CSP nonce, and
the configuration (SDK URL, imp_code, the `IMP.request_pay` parameters, UI texts) as JSON in a
``<script type="application/json">`` element, escaped so no value can close that element.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kpadmin.billing.signup import SignupAttempt
from kpadmin.gui.resources import resource_path
from kpadmin.gui.signup.navigation import CHECKOUT_ORIGIN, NavigationPolicy

# The callback fields the page forwards, with the JavaScript type each must have.
CALLBACK_FIELDS: dict[str, str] = {
    "imp_uid": "string",
    "merchant_uid": "string",
    "error_code": "string",
    "error_msg": "string",
    "status": "string",
    "pay_method": "string",
    "pg_provider": "string",
    "card_name": "string",
    "card_number": "string",
    "receipt_url": "string",
    "currency": "string",
    "paid_amount": "number",
    "paid_at": "number",
    "success": "boolean",
    "imp_success": "boolean",
}


def resources_dir() -> Path:
    """resources/checkout, from source or frozen (`kpadmin.gui.resources` knows where)."""
    return resource_path("checkout")


@cache
def _resource(name: str) -> str:
    return (resources_dir() / name).read_text(encoding="utf-8")


def relay_script_source() -> str:
    """relay.js with the checkout origin filled in (injected after qwebchannel.js)."""
    return _resource("relay.js").replace("%CHECKOUT_ORIGIN%", str(CHECKOUT_ORIGIN))


@dataclass(frozen=True)
class PageTexts:
    """The page's visible strings, translated by the caller (the page has no i18n of its own)."""

    title: str
    loading: str
    waiting: str
    checking: str
    sdk_failed: str
    lang: str = "ko"


def _json_for_html(value: Any) -> str:
    # Inside <script type="application/json"> only "</" could end the element; escaping <, > and &
    # as \\u sequences keeps any value inert, and U+2028/9 are escaped for old JS parsers.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _html_text(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def content_security_policy(policy: NavigationPolicy, nonce: str) -> str:
    sources = " ".join(policy.content_security_sources())
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'nonce-{nonce}' {sources}",
            # The SDKs draw their layers with inline styles; styles cannot run code.
            f"style-src 'unsafe-inline' {sources}",
            f"img-src data: blob: {sources} https://*.kakaocdn.net",
            f"font-src data: {sources}",
            f"connect-src {sources}",
            f"frame-src {sources}",
            f"form-action {sources}",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


def render_checkout_html(
    attempt: SignupAttempt, *, sdk_url: str, policy: NavigationPolicy, texts: PageTexts
) -> str:
    """The complete page for one attempt."""
    nonce = secrets.token_urlsafe(18)
    config = {
        "sdk_url": sdk_url,
        "imp_code": attempt.imp_code,
        "params": attempt.request_pay_params(),
        "fields": CALLBACK_FIELDS,
        "nonce": nonce,
        "text": {
            "waiting": texts.waiting,
            "checking": texts.checking,
            "sdk_failed": texts.sdk_failed,
        },
    }
    order = f"{attempt.form.plan} · ₩{attempt.form.amount:,}"
    slots = {
        "{{LANG}}": _html_text(texts.lang),
        "{{CSP}}": _html_text(content_security_policy(policy, nonce)),
        "{{TITLE}}": _html_text(texts.title),
        "{{ORDER}}": _html_text(order),
        "{{LOADING}}": _html_text(texts.loading),
        "{{NONCE}}": nonce,
        "{{CSS}}": _resource("checkout.css"),
        "{{CONFIG}}": _json_for_html(config),
        "{{JS}}": _resource("checkout.js"),
    }
    # One regex pass over the template: inserted values are never scanned again, so a plan name
    # that happens to contain "{{CONFIG}}" stays text.
    return _SLOT_RE.sub(lambda m: slots[m.group(0)], _resource("checkout.html"))


_SLOT_RE = re.compile(r"\{\{[A-Z]+\}\}")
