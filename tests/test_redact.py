"""kpadmin.redact: masks, and a filter that keeps secrets, phones and cards out of log output."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from kpadmin.redact import (
    REDACTED,
    SecretRedactingFilter,
    install_redaction,
    luhn_valid,
    mask_card,
    mask_email,
    mask_phone,
    redact_text,
    register_secret,
    registered_secrets,
    unregister_secret,
)

SECRET = "imp-secret-Zq8xW2pL0v"
TOKEN = "3f9c2a77d1e04b6e9a1c5d8f2b7e6a4c9d0e1f2a"


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("010-1234-5678", "010-****-5678"),
        ("01012345678", "010****5678"),
        ("010 1234 5678", "010 **** 5678"),
        ("011-123-4567", "011-***-4567"),
        ("02-123-4567", "02-***-4567"),
        ("031-1234-5678", "031-****-5678"),
        ("+82-10-1234-5678", "+82-10-****-5678"),
        ("+821012345678", "+8210****5678"),
        ("+82 010-1234-5678", "+82 010-****-5678"),
        ("+82-2-123-4567", "+82-2-***-4567"),
        ("1234", "**34"),
    ],
)
def test_mask_phone(raw: str, masked: str) -> None:
    assert mask_phone(raw) == masked


def test_mask_card_and_email() -> None:
    assert mask_card("1234-5678-9012-3456") == "1234-****-****-3456"
    assert mask_card("4111111111111111") == "4111********1111"
    assert mask_card("5365-10**-****-5766") == "5365-****-****-5766"  # already masked by the PG
    assert mask_email("hong.gildong@example.com") == "h***@example.com"
    assert mask_email("not-an-email") == "not-an-email"
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")


def test_redact_text_leaves_ids_and_timestamps_alone() -> None:
    text = (
        "merchant_uid=kp-2024-11-0001 imp_uid=imp_448280090638 paid_at=1732700000 n=1732700000123"
    )
    assert redact_text(text) == text
    # digit runs inside hex hashes (the engine's merchant_uids) look like phone numbers, are not
    hashed = "GET /payments/findAll/kp-e0cf3f0621233043-202612-6 a01012345678b"
    assert redact_text(hashed) == hashed


def test_phone_inside_an_id_is_still_masked() -> None:
    assert redact_text("customer_uid=cu_01012345678") == "customer_uid=cu_010****5678"
    assert redact_text("/subscribe/customers/010-1234-5678") == "/subscribe/customers/010-****-5678"


def test_redact_text_masks_cards_in_every_shape() -> None:
    assert redact_text("card 4111 1111 1111 1111 ok") == "card 4111 **** **** 1111 ok"
    assert redact_text("card 4111111111111111.") == "card 4111********1111."
    assert redact_text("amex 3782-822463-10005") == "amex 3782-******-*0005"


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    logger = logging.getLogger("kpadmin.test_redact")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger.addHandler(handler)
    register_secret(SECRET)
    register_secret(TOKEN)
    yield logger, stream
    logger.removeHandler(handler)
    for flt in list(logger.filters):
        logger.removeFilter(flt)
    unregister_secret(SECRET)
    unregister_secret(TOKEN)


def test_filter_scrubs_secret_token_phone_and_card(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    install_redaction(logger)
    logger.info("login with %s", SECRET)
    logger.info("headers=%r", {"Authorization": f"Bearer {TOKEN}"})
    logger.info("buyer_tel=%s card=%s", "010-1234-5678", "1234-5678-9012-3456")
    logger.info("plain " + "+821098765432 and 4111111111111111")
    try:
        raise RuntimeError(f"refused token {TOKEN} for 010-2222-3333")
    except RuntimeError:
        logger.exception("call failed")
    out = stream.getvalue()
    for leak in (SECRET, TOKEN, "1234-5678", "5678-9012", "9876", "2222", "111111111111"):
        assert leak not in out, leak
    assert f"login with {REDACTED}" in out
    assert f"Bearer {REDACTED}" in out
    assert "buyer_tel=010-****-5678 card=1234-****-****-3456" in out
    assert "plain +8210****5432 and 4111********1111" in out
    assert "RuntimeError: refused token [REDACTED] for 010-****-3333" in out


def test_handler_filter_catches_records_propagated_from_children(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    handler = next(
        h for h in logger.handlers if isinstance(getattr(h, "stream", None), io.StringIO)
    )
    install_redaction(handler)
    child = logging.getLogger("kpadmin.test_redact.child")
    child.info("token %s", TOKEN)
    assert TOKEN not in stream.getvalue() and REDACTED in stream.getvalue()
    handler.removeFilter(handler.filters[0])


def test_install_is_idempotent_and_extra_secrets() -> None:
    logger = logging.getLogger("kpadmin.test_redact.idem")
    install_redaction(logger)
    install_redaction(logger)
    assert sum(isinstance(f, SecretRedactingFilter) for f in logger.filters) == 1
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "pw=%s", ("hunter2-long",), None)
    SecretRedactingFilter(["hunter2-long"]).filter(record)
    assert record.getMessage() == f"pw={REDACTED}"


def test_short_values_are_not_registered() -> None:
    register_secret("abc")
    register_secret("")
    register_secret(None)
    assert "abc" not in registered_secrets()
