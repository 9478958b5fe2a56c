"""Rendering notices from the template files: every kind in Korean and English, amounts as ₩,
dates in Korean time, the card and phone masked, HTML escaped, and broken templates refused."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kpadmin.billing.notices import (
    LANGUAGES,
    Advance,
    Decline,
    Facts,
    Merchant,
    NewPrice,
    NoticeKind,
    PastDue,
    Receipt,
    Recipient,
    TemplateProblem,
    render,
)
from kpadmin.billing.notices import rendering as render_module
from kpadmin.redact import register_secret, unregister_secret

PHONE = "010-1234-5678"
CARD = "5365101234565766"  # a Luhn-valid test number, unmasked on purpose
CUSTOMER = Recipient("김민지", "minji@example.com", PHONE)
MERCHANT = Merchant("카페 온도", "02-555-0100 · help@cafe.example")
# 15:30 UTC on Mar 31 is 00:30 on Apr 1 in Seoul.
AT = datetime(2026, 3, 31, 15, 30, tzinfo=UTC)


def every_kind(recipient: Recipient = CUSTOMER) -> list[Facts]:
    return [
        Receipt(
            recipient,
            "월간 구독",
            12_300,
            "2026-03",
            "kp-1-2026-03-1",
            AT,
            CARD,
            "https://iamport.kr/receipts/imp_1",
        ),
        Decline(
            recipient,
            "월간 구독",
            12_300,
            "2026-03",
            "kp-1-2026-03-2",
            AT,
            date(2026, 4, 3),
            "잔액이 부족합니다",
            card=CARD,
        ),
        PastDue(recipient, "월간 구독", 12_300, "2026-03", "cu_1", AT, CARD),
        Advance(recipient, "월간 구독", 12_300, "cu_1", date(2026, 4, 5), 3, CARD),
        NewPrice(
            recipient, "월간 구독", 9_900, 12_300, "2026-05", date(2026, 5, 5), 7, "cu_1", CARD
        ),
    ]


@pytest.mark.parametrize(("facts", "language"), list(itertools.product(every_kind(), LANGUAGES)))
def test_every_kind_renders_in_every_language(facts: Facts, language: str) -> None:
    notice = render(facts, merchant=MERCHANT, language=language)
    assert notice.kind is facts.kind and notice.language == language
    assert notice.subject.startswith("[카페 온도] ")
    assert "\n" not in notice.subject and len(notice.subject) <= 200
    for body in (notice.text, notice.html):
        assert "₩12,300" in body
        assert "카페 온도" in body
        assert "5365-****-****-5766" not in body  # masked as one run of digits…
        assert "5365********5766" in body  # …keeping the first and last four
        assert CARD not in body
        assert PHONE not in body and "12345678" not in body
        assert "02-555-0100" in body  # the merchant's contact is not the customer's phone
    assert notice.html.lstrip().startswith("<!DOCTYPE html>")
    assert f'<html lang="{language}">' in notice.html
    assert notice.recipient == CUSTOMER


def test_the_masked_phone_is_shown_where_it_identifies_the_subscription() -> None:
    receipt = render(every_kind()[0], merchant=MERCHANT)
    assert "010-****-5678" in receipt.text and "010-****-5678" in receipt.html


@pytest.mark.parametrize(
    ("language", "paid", "retry"),
    [
        ("ko", "2026년 4월 1일 (수) 00:30", "2026년 4월 3일 (금)"),
        ("en", "Wed 1 April 2026, 00:30 (Korean time)", "Fri 3 April 2026"),
    ],
)
def test_dates_are_korean_time_in_the_languages_style(language: str, paid: str, retry: str) -> None:
    receipt = render(every_kind()[0], merchant=MERCHANT, language=language)
    assert paid in receipt.text and paid in receipt.html
    decline = render(every_kind()[1], merchant=MERCHANT, language=language)
    assert retry in decline.text and retry in decline.html
    assert decline.fields["next_retry"] == retry


def test_amounts() -> None:
    assert render_module.won(0) == "₩0"
    assert render_module.won(12_300) == "₩12,300"
    assert render_module.won(1_234_567) == "₩1,234,567"


def test_the_period_is_said_in_words() -> None:
    assert "2026년 3월분" in render(every_kind()[0], merchant=MERCHANT).text
    assert "March 2026" in render(every_kind()[0], merchant=MERCHANT, language="en").text
    with pytest.raises(ValueError, match="YYYY-MM"):
        render_module.format_period("2026-13", "ko")


def test_keys_name_the_event() -> None:
    keys = [render(f, merchant=MERCHANT).key for f in every_kind()]
    assert keys == [
        "receipt:kp-1-2026-03-1",
        "decline:kp-1-2026-03-2",
        "past_due:cu_1:2026-03",
        "advance:cu_1:2026-04-05",
        "price_change:7:cu_1",
    ]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("ko", ["₩9,900에서 ₩12,300으로", "2026년 5월분부터", "2026년 5월 5일 (화) 결제부터"]),
        ("en", ["from ₩9,900 to ₩12,300 from May 2026", "the payment on Tue 5 May 2026"]),
    ],
)
def test_a_price_change_says_the_old_and_new_price_and_from_when(
    language: str, said: list[str]
) -> None:
    notice = render(every_kind()[4], merchant=MERCHANT, language=language)
    for text in said:
        assert text in notice.text and text in notice.html
    assert "₩12,300" in notice.subject and "월간 구독" in notice.subject


def test_a_decline_says_what_happens_next() -> None:
    retry = every_kind()[1]
    assert isinstance(retry, Decline)
    with_retry = render(retry, merchant=MERCHANT)
    assert "2026년 4월 3일 (금)에 다시 결제를 시도합니다" in with_retry.text
    assert "잔액이 부족합니다" in with_retry.text
    none = render(
        Decline(CUSTOMER, "월간 구독", 12_300, "2026-03", "kp-x", AT, None), merchant=MERCHANT
    )
    assert "자동으로 다시 결제하지 않습니다" in none.text and "다음 결제 시도" not in none.html
    cap = render(
        Decline(
            CUSTOMER, "월간 구독", 12_300, "2026-03", "kp-y", AT, date(2026, 4, 1), monthly_cap=True
        ),
        merchant=MERCHANT,
        language="en",
    )
    assert "monthly limit" in cap.text and "nothing you need to do" in cap.text


def test_a_decline_reason_is_redacted() -> None:
    register_secret("tok_SECRET_123456")
    try:
        facts = Decline(
            CUSTOMER,
            "월간 구독",
            12_300,
            "2026-03",
            "kp-z",
            AT,
            None,
            reason="card 4111111111111111 refused, call 010-9999-8888, tok_SECRET_123456 "
            "mail a@b.example " + "x" * 500,
        )
        notice = render(facts, merchant=MERCHANT)
    finally:
        unregister_secret("tok_SECRET_123456")
    for body in (notice.text, notice.html):
        assert "4111111111111111" not in body
        assert "010-9999-8888" not in body and "010-****-8888" in body
        assert "tok_SECRET_123456" not in body and "[REDACTED]" in body
        assert "a@b.example" not in body
    assert len(notice.fields["reason"]) <= 200


def test_html_escapes_what_the_text_keeps() -> None:
    merchant = Merchant('<script>alert("x")</script> & Co', "")
    notice = render(every_kind()[0], merchant=merchant)
    assert "<script>" not in notice.html
    assert "&lt;script&gt;" in notice.html and "&amp; Co" in notice.html
    assert '<script>alert("x")</script> & Co' in notice.text
    assert "문의:" not in notice.text  # no contact, no contact line


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://iamport.kr/receipts/imp_1", True),
        ("javascript:alert(1)", False),
        ("http://iamport.kr/receipts/imp_1", False),
        ("https://user@evil.example/", False),
        ("https://iamport.kr/a b", False),
        (None, False),
    ],
)
def test_only_https_receipt_links_are_kept(url: str | None, kept: bool) -> None:
    facts = Receipt(CUSTOMER, "p", 1, "2026-03", "kp-1", AT, None, url)
    notice = render(facts, merchant=MERCHANT)
    assert (notice.fields["receipt_url"] == url) is kept
    assert ("href=" in notice.html) is kept
    if not kept and url:
        assert url not in notice.html and url not in notice.text


def test_the_notice_keeps_personal_data_out_of_its_repr() -> None:
    notice = render(every_kind()[0], merchant=MERCHANT)
    shown = repr(notice)
    for private in ("김민지", "minji@example.com", PHONE, "010-****-5678", notice.text[:20]):
        assert private not in shown
    assert CUSTOMER.masked() == "m***@example.com"
    assert Recipient("x", "", PHONE).masked() == "010-****-5678"


def test_fields_serve_a_template_code_channel() -> None:
    decline = render(every_kind()[1], merchant=MERCHANT)
    assert decline.fields["amount"] == "₩12,300"
    assert decline.fields["merchant_name"] == "카페 온도"
    assert decline.fields["card"] == "5365********5766"
    assert decline.fields["phone"] == "010-****-5678"
    assert decline.fields["next_retry"] == "2026년 4월 3일 (금)"


def test_every_template_file_exists_for_every_kind_and_language() -> None:
    root = render_module.templates_root()
    for language, kind in itertools.product(LANGUAGES, NoticeKind):
        for name in render_module.template_names(kind):
            assert (root / language / name).is_file(), (language, name)


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="ko, en"):
        render(every_kind()[0], merchant=MERCHANT, language="ja")


def copy_templates(tmp_path: Path) -> Path:
    root = tmp_path / "notices"
    for source in render_module.templates_root().rglob("*"):
        if source.is_file():
            target = root / source.relative_to(render_module.templates_root())
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    return root


def test_a_missing_template_is_a_clear_problem(tmp_path: Path) -> None:
    root = copy_templates(tmp_path)
    (root / "ko" / "receipt.html").unlink()
    with pytest.raises(TemplateProblem, match=r"ko/receipt.html is missing"):
        render(every_kind()[0], merchant=MERCHANT, root=root)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ no_such_value }}", "undefined"),
        ("{{ ''.__class__.__mro__ }}", "unsafe"),
        ("{% if %}", "receipt notice template"),
    ],
)
def test_a_broken_template_is_a_clear_problem(tmp_path: Path, text: str, message: str) -> None:
    root = copy_templates(tmp_path)
    (root / "en" / "receipt.subject.txt").write_text(text, encoding="utf-8")
    with pytest.raises(TemplateProblem, match=message):
        render(every_kind()[0], merchant=MERCHANT, language="en", root=root)
