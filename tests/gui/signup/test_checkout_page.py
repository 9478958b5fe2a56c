"""The checkout page's rendering (no browser): config inlined safely, CSP from the allow-list,
the same page for the sandbox and the real CDN."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from kpadmin.billing.signup import SignupForm, start_attempt, validate_form
from kpadmin.gui.signup.checkout_page import PageTexts, relay_script_source, render_checkout_html
from kpadmin.gui.signup.navigation import NavigationPolicy
from kpadmin.store.models import SignupChannel
from tests.gui.signup.harness import FORM

TEXTS = PageTexts(title="카카오페이", loading="…", waiting="…", checking="…", sdk_failed="…")


def config_of(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="kp-config">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))


def hostile_form() -> SignupForm:
    # Validation refuses < and >, but the renderer must be safe on its own.
    form = validate_form(FORM)
    return SignupForm(
        name="</script><script>alert(1)</script>{{CONFIG}}",
        phone=form.phone,
        email="a@b.example",
        plan='"><img src=x onerror=alert(1)> {{JS}} \u2028',
        amount=9900,
        billing_day=5,
        first_payment_now=True,
        channel=SignupChannel.PHONE,
    )


def test_values_cannot_break_out_of_the_page() -> None:
    attempt = start_attempt(hostile_form(), imp_code="imp00000000", pg="kakaopay")
    html = render_checkout_html(
        attempt, sdk_url="http://127.0.0.1:9/v1/iamport.js", policy=NavigationPolicy(), texts=TEXTS
    )
    assert html.count("<script") == 2  # the config block and the nonce'd page script, nothing else
    assert "<img" not in html
    config = config_of(html)
    assert config["params"]["buyer_name"] == attempt.form.name  # intact, only escaped
    assert config["params"]["name"] == attempt.form.plan
    assert config["params"]["customer_uid"] == attempt.key_id
    assert config["params"]["amount"] == 9900
    nonce = config["nonce"]
    assert f"script-src 'nonce-{nonce}'" in html
    assert html.count(f'nonce="{nonce}"') == 2  # <style> and the page <script>


def test_same_page_for_sandbox_and_cdn() -> None:
    attempt = start_attempt(
        validate_form(replace(FORM, first_payment_now=False)), imp_code="imp12345678", pg="kakaopay"
    )
    sandbox = render_checkout_html(
        attempt,
        sdk_url="http://127.0.0.1:38211/v1/iamport.js",
        policy=NavigationPolicy(["http://127.0.0.1:38211"]),
        texts=TEXTS,
    )
    live = render_checkout_html(
        attempt,
        sdk_url="https://cdn.iamport.kr/v1/iamport.js",
        policy=NavigationPolicy(["https://cdn.iamport.kr"]),
        texts=TEXTS,
    )
    assert config_of(sandbox)["params"] == config_of(live)["params"]
    assert config_of(live)["params"]["amount"] == 0
    assert config_of(live)["sdk_url"] == "https://cdn.iamport.kr/v1/iamport.js"
    assert "http://127.0.0.1:38211" in sandbox and "http://127.0.0.1:38211" not in live
    # Everything but the config, the nonces and the CSP (its extra origin) is the same page.
    strip = re.compile(
        r'id="kp-config">.*?</script>|nonce="[^"]+"'
        r'|http-equiv="Content-Security-Policy" content="[^"]*"',
        re.S,
    )
    assert strip.sub("", sandbox) == strip.sub("", live)


def test_relay_is_bound_to_the_checkout_origin() -> None:
    source = relay_script_source()
    assert "'https://checkout.kpadmin.invalid'" in source
    assert "window !== window.top" in source
