"""Shared bits for the i'mport client tests: running coroutines and building API answers."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

PAID_AT = 1_732_700_000  # 2024-11-27 09:33:20 UTC


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run one coroutine on a fresh loop (pytest-asyncio is not used in this project)."""
    return asyncio.run(coro)


def envelope(response: Any, code: int = 0, message: str | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "response": response}


def payment_json(**overrides: Any) -> dict[str, Any]:
    """A PaymentAnnotation as i'mport sends it for a paid Kakao Pay re-charge."""
    data: dict[str, Any] = {
        "imp_uid": "imp_100000000001",
        "merchant_uid": "kp-2024-11-cu_1-1",
        "amount": 9900,
        "cancel_amount": 0,
        "currency": "KRW",
        "status": "paid",
        "sandbox": True,
        "pay_method": "card",
        "channel": "api",
        "pg_provider": "kakaopay",
        "pg_tid": "T1234567890",
        "pg_id": "TCSUBSCRIP",
        "name": "월 구독",
        "buyer_tel": "010-1234-5678",
        "card_number": "5365-10**-****-5766",
        "card_type": None,
        "started_at": PAID_AT - 2,
        "paid_at": PAID_AT,
        "failed_at": 0,
        "cancelled_at": 0,
        "fail_reason": None,
        "cancel_history": [],
        "cancel_receipt_urls": [],
        "customer_uid": "cu_1",
        "customer_uid_usage": "payment",
    }
    data.update(overrides)
    return data


def customer_json(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "customer_uid": "cu_1",
        "pg_provider": "kakaopay",
        "pg_id": "TCSUBSCRIP",
        "sandbox": True,
        "card_name": "신한카드",
        "customer_tel": "010-9876-5432",
        "inserted": PAID_AT - 86400,
        "updated": PAID_AT - 86400,
    }
    data.update(overrides)
    return data


def token_json(token: str = "tok_aaaaaaaaaaaaaaaa", now: int = PAID_AT, life: int = 1800) -> Any:
    return envelope({"access_token": token, "now": now, "expired_at": now + life})
