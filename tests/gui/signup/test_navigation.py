"""The sign-up view's navigation allow-list, tested as a pure function (QtCore only).

The same policy is exercised through a real QtWebEngine page in test_signup_e2e.py.
"""

from __future__ import annotations

import pytest

from kpadmin.gui.signup.navigation import (
    CHECKOUT_URL,
    NavigationPolicy,
    Origin,
    loggable,
)

SANDBOX = "http://127.0.0.1:38211"
POLICY = NavigationPolicy([SANDBOX])

ALLOWED = [
    CHECKOUT_URL,
    "https://checkout.kpadmin.invalid/#done",
    "https://cdn.iamport.kr/v1/iamport.js",
    "https://service.iamport.kr/kakaopay/ready",
    "https://iamport.kr/",
    "https://checkout-service.prod.iamport.co.portone.io/x",
    "https://online-pay.kakao.com/mockup/bridge/pc/pg/one-time/payment/abc",
    "https://accounts.kakao.com/login",
    "https://pg-web.kakaopay.com/v1/confirmation",
    "HTTPS://CDN.IAMPORT.KR/v1/iamport.js",
    "https://cdn.iamport.kr:443/v1/iamport.js",
    f"{SANDBOX}/sandbox/kakaopay/window/ks_abc",
    f"{SANDBOX}/v1/iamport.js?x=1",
]


@pytest.mark.parametrize("url", ALLOWED)
def test_allowed(url: str) -> None:
    decision = POLICY.check(url, main_frame=True)
    assert decision.allowed, decision.reason
    assert POLICY.check(url, main_frame=False).allowed


HOSTILE = [
    # schemes
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.domain)",
    "file:///etc/passwd",
    "file://localhost/C:/Windows/win.ini",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "blob:https://checkout.kpadmin.invalid/1234",
    "filesystem:https://checkout.kpadmin.invalid/temporary/x",
    "chrome://settings",
    "view-source:https://cdn.iamport.kr/v1/iamport.js",
    "qrc:/qtwebchannel/qwebchannel.js",
    "kakaotalk://kakaopay/pg?url=x",
    "intent://pay#Intent;scheme=kakaotalk;end",
    "ftp://cdn.iamport.kr/v1/iamport.js",
    "ws://127.0.0.1:38211/",
    "about:blank",  # in the main frame
    # other hosts
    "https://evil.example/",
    "https://example.com/kakao.com",
    "https://evil.example/?next=https://cdn.iamport.kr",
    # look-alikes
    "https://iamport.kr.evil.com/",
    "https://cdn.iamport.kr.evil.com/v1/iamport.js",
    "https://eviliamport.kr/",
    "https://kakao.com.evil.com/",
    "https://kakaopay.co/",
    "https://iamport.co.kr/",
    "https://portone.io.evil.com/",
    "https://kakao.comm/",
    "https://cdn.iamport.kr./v1/iamport.js",  # trailing dot
    # userinfo tricks
    "https://iamport.kr@evil.com/",
    "https://cdn.iamport.kr:443@evil.com/",
    "https://user:pass@cdn.iamport.kr/",
    "https://evil.com\\@cdn.iamport.kr/",
    # IDN look-alikes (Cyrillic і / а, Greek ο)
    "https://іamport.kr/",
    "https://cdn.іamport.kr/v1/iamport.js",
    "https://kаkao.com/",
    "https://kakaopay.cοm/",
    "https://xn--amport-9pf.kr/",
    # sandbox: wrong port, host, scheme
    "http://127.0.0.1:38212/sandbox/kakaopay/window/x",
    "http://127.0.0.1/sandbox/kakaopay/window/x",
    "http://localhost:38211/sandbox/kakaopay/window/x",
    "https://127.0.0.1:38211/",
    "http://127.0.0.2:38211/",
    "http://[::1]:38211/",
    # downgrades and odd ports on payment domains
    "http://cdn.iamport.kr/v1/iamport.js",
    "http://online-pay.kakao.com/x",
    "https://cdn.iamport.kr:8443/v1/iamport.js",
    "https://online-pay.kakao.com:444/x",
    # the checkout origin on other ports/schemes
    "http://checkout.kpadmin.invalid/",
    "https://checkout.kpadmin.invalid:8443/",
    "https://evil.kpadmin.invalid/",
    # malformed
    "",
    "not a url",
    "//cdn.iamport.kr/v1/iamport.js",
    "https://",
    "https://cdn.iamport.kr/<script>",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_urls_refused(url: str) -> None:
    assert not POLICY.check(url, main_frame=True).allowed
    if not url.startswith("about:"):
        assert not POLICY.check(url, main_frame=False).allowed


def test_there_are_at_least_thirty_hostile_cases() -> None:
    assert len(HOSTILE) >= 30


def test_about_blank_only_in_sub_frames() -> None:
    assert POLICY.check("about:blank", main_frame=False).allowed
    assert POLICY.check("about:srcdoc", main_frame=False).allowed
    assert not POLICY.check("about:blank", main_frame=True).allowed
    assert not POLICY.check("about:settings", main_frame=False).allowed


def test_without_a_sandbox_origin_the_sandbox_is_refused() -> None:
    live = NavigationPolicy()
    assert not live.check(f"{SANDBOX}/sandbox/kakaopay/window/x").allowed
    assert live.check("https://cdn.iamport.kr/v1/iamport.js").allowed


def test_extra_origins_must_be_origins() -> None:
    with pytest.raises(ValueError):
        NavigationPolicy(["javascript:alert(1)"])
    with pytest.raises(ValueError):
        NavigationPolicy(["https://user@host.example"])
    assert Origin.of("http://127.0.0.1:38211/v1/iamport.js") == Origin("http", "127.0.0.1", 38211)


def test_csp_sources_follow_the_policy() -> None:
    sources = POLICY.content_security_sources()
    assert SANDBOX in sources
    assert "https://*.iamport.kr" in sources and "https://*.kakao.com" in sources
    assert not any("kpadmin.invalid" in s for s in sources)


def test_loggable_drops_query_fragment_and_userinfo() -> None:
    text = loggable("https://user:pw@cdn.iamport.kr/path?buyer_tel=01012345678#frag")
    assert text == "https://cdn.iamport.kr/path"
    assert loggable("data:text/html,secret") == "data:…"
    assert loggable("javascript:alert(1)") == "javascript:…"
