"""Where the sign-up web view may go: one pure policy function, shared by every page and popup.

Allowed, and nothing else:

* the checkout page's own origin (``https://checkout.kpadmin.invalid``, see `checkout_page`);
* https on the default port to i'mport's, PortOne's and Kakao/Kakao Pay's registrable domains and
  their subdomains (`ALLOWED_DOMAINS`);
* exact extra origins (scheme + host + port) given by the app: the sandbox's origin in sandbox
  mode, e.g. ``http://127.0.0.1:38211`` — never "any port" or "any scheme" of that host;
* ``about:blank`` / ``about:srcdoc`` in sub-frames (they inherit their parent's origin).

Everything is compared on the URL Chromium hands us, parsed strictly by QUrl: userinfo
(``https://iamport.kr@evil.com``) is refused outright, hosts are compared in their ACE (punycode)
form so IDN look-alikes never match an ASCII name, and a suffix only matches at a label boundary
(``iamport.kr.evil.com`` and ``eviliamport.kr`` do not match ``iamport.kr``). Only QtCore is
imported here, so the policy is testable without QtWebEngine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QUrl

#: The origin the app gives its checkout page (`.invalid` is reserved: it can never resolve, so
#: nobody else can serve a page there).
CHECKOUT_SCHEME = "https"
CHECKOUT_HOST = "checkout.kpadmin.invalid"
CHECKOUT_URL = f"{CHECKOUT_SCHEME}://{CHECKOUT_HOST}/"

#: Registrable domains the payment flow may navigate to (https, port 443, any subdomain).
ALLOWED_DOMAINS: tuple[str, ...] = (
    "iamport.kr",  # i'mport: cdn.iamport.kr (iamport.js), service.iamport.kr (the payment layer)
    "portone.io",  # PortOne, i'mport's current name: newer SDK builds load their pages here
    "kakao.com",  # Kakao: online-pay.kakao.com (Kakao Pay's PC layer), accounts.kakao.com
    "kakaopay.com",  # Kakao Pay's own pages
)

_HOST_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Origin:
    scheme: str
    host: str  # ACE, lower case
    port: int

    def __str__(self) -> str:
        default = _DEFAULT_PORTS.get(self.scheme)
        return f"{self.scheme}://{self.host}" + ("" if self.port == default else f":{self.port}")

    @classmethod
    def of(cls, url: QUrl | str) -> Origin | None:
        """The origin of an http(s) URL, or None when it has none we could compare safely."""
        qurl = _parse(url)
        if qurl is None:
            return None
        scheme = qurl.scheme().lower()
        if scheme not in _DEFAULT_PORTS or qurl.userName() or qurl.password():
            return None
        host = qurl.host(QUrl.ComponentFormattingOption.FullyEncoded).lower()
        if not _HOST_RE.fullmatch(host):
            return None
        return cls(scheme, host, qurl.port(_DEFAULT_PORTS[scheme]))


CHECKOUT_ORIGIN = Origin(CHECKOUT_SCHEME, CHECKOUT_HOST, 443)


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def _parse(url: QUrl | str) -> QUrl | None:
    qurl = QUrl(url, QUrl.ParsingMode.StrictMode) if isinstance(url, str) else QUrl(url)
    if not qurl.isValid() or qurl.isRelative():
        return None
    return qurl


class NavigationPolicy:
    """The allow-list. `check(url, main_frame=…)` answers for navigations and popups alike."""

    def __init__(self, extra_origins: Iterable[str | Origin] = ()) -> None:
        exact = {CHECKOUT_ORIGIN}
        for item in extra_origins:
            origin = item if isinstance(item, Origin) else Origin.of(item)
            if origin is None:
                raise ValueError(f"not an http(s) origin: {item!r}")
            exact.add(origin)
        self.exact_origins: frozenset[Origin] = frozenset(exact)

    def check(self, url: QUrl | str, *, main_frame: bool = True) -> Decision:
        qurl = _parse(url)
        if qurl is None:
            return Decision(False, "malformed URL")
        scheme = qurl.scheme().lower()
        if scheme == "about":
            if not main_frame and qurl.path() in ("blank", "srcdoc"):
                return Decision(True, "about:blank sub-frame")
            return Decision(False, "about: in the main frame")
        if scheme not in _DEFAULT_PORTS:
            return Decision(False, f"scheme {scheme!r} not allowed")
        if qurl.userName() or qurl.password():
            return Decision(False, "credentials in the URL")
        origin = Origin.of(qurl)
        if origin is None:
            return Decision(False, "host not comparable")
        if origin in self.exact_origins:
            return Decision(True, f"exact origin {origin}")
        domain = next(
            (d for d in ALLOWED_DOMAINS if origin.host == d or origin.host.endswith("." + d)),
            None,
        )
        if domain is None:
            return Decision(False, f"host {origin.host} not allowed")
        if origin.scheme != "https":
            return Decision(False, "plain http to a payment domain")
        if origin.port != 443:
            return Decision(False, f"port {origin.port} not allowed")
        return Decision(True, f"payment domain {domain}")

    def content_security_sources(self) -> list[str]:
        """CSP source expressions for the same allow-list (used by the checkout page)."""
        sources = [str(o) for o in sorted(self.exact_origins, key=str) if o != CHECKOUT_ORIGIN]
        for domain in ALLOWED_DOMAINS:
            sources += [f"https://{domain}", f"https://*.{domain}"]
        return sources


def loggable(url: QUrl | str, limit: int = 120) -> str:
    """A URL for the log: no query or fragment (they can carry personal data), bounded length."""
    qurl = QUrl(url)
    scheme = qurl.scheme().lower()
    if scheme not in _DEFAULT_PORTS:
        return f"{scheme}:…" if scheme else "(no URL)"
    port = f":{qurl.port()}" if qurl.port() != -1 else ""
    text = f"{scheme}://{qurl.host()}{port}{qurl.path()}"
    return text if len(text) <= limit else text[:limit] + "…"
