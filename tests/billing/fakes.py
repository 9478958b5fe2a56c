"""A scripted in-memory stand-in for IamportClient, for the engine's unit tests only.

It keeps payments per merchant_uid with i'mport's rule (a merchant_uid already paid is refused with
code != 0 and no new payment), and lets a test script what happens to each request:

* ``"pay"`` / ``"decline"`` — processed, answered normally.
* ``"drop_after"`` — processed (paid), then the answer is lost: ``OutcomeUnknown``.
* ``"drop_before"`` — not processed, but the caller cannot know: ``OutcomeUnknown``.
* ``"garbage_after"`` — processed, answer unreadable: ``InvalidResponse``.
* ``"not_sent"`` — ``RequestNotSent``.
* ``"reject"`` — ``RequestRejected`` without processing; ``"reject_after"`` processed anyway.
* ``"auth"`` — ``AuthenticationFailed``.

Billing keys: every customer_uid has one unless it is in ``missing_keys`` (then a charge is
refused with code != 0, like i'mport, and ``get_customer`` answers ``NotFound``); a customer_uid in
``key_lookup_failures`` makes ``get_customer`` fail with ``OutcomeUnknown``.

It also checks the engine's concurrency promises: never two requests in flight for one merchant_uid
or one customer_uid, and it records the highest number in flight.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any

from kpadmin.clock import Clock
from kpadmin.iamport.errors import (
    AuthenticationFailed,
    InvalidResponse,
    NotFound,
    OutcomeUnknown,
    PaymentDeclined,
    RequestNotSent,
    RequestRejected,
)
from kpadmin.iamport.models import Payment, PaymentPage
from tests.clock import FrozenClock


class FakeApi:
    def __init__(self, *, latency: float = 0.0, clock: Clock | None = None) -> None:
        self.latency = latency
        #: i'mport's clock for paid_at / failed_at: the tests' (tests/clock.py), never the wall's.
        self.clock: Clock = clock or FrozenClock()
        self.payments: dict[str, list[Payment]] = defaultdict(list)
        self.script: dict[str, deque[str]] = defaultdict(deque)
        self.default = "pay"
        self.lookup_failures: dict[str, int] = defaultdict(int)
        self.pay_calls: list[str] = []
        self.lookups: list[str] = []
        self.in_flight_uids: set[str] = set()
        self.in_flight_customers: set[str] = set()
        self.max_in_flight = 0
        self.before_send: Callable[[str], None] | None = None
        self.missing_keys: set[str] = set()
        self.key_lookup_failures: set[str] = set()
        self.key_lookups: list[str] = []
        self._seq = 0

    def when(self, merchant_uid: str, *behaviours: str) -> None:
        self.script[merchant_uid].extend(behaviours)

    def paid(self) -> dict[str, list[Payment]]:
        return {m: [p for p in ps if p.status == "paid"] for m, ps in self.payments.items()}

    def add_payment(self, merchant_uid: str, customer_uid: str, amount: int, status: str) -> None:
        self._process(customer_uid, merchant_uid, amount, status)

    def _process(self, customer_uid: str, merchant_uid: str, amount: int, status: str) -> Payment:
        self._seq += 1
        now = self.clock()
        payment = Payment(
            imp_uid=f"imp_{self._seq:06d}",
            merchant_uid=merchant_uid,
            amount=amount,
            cancel_amount=0,
            currency="KRW",
            status=status,
            sandbox=True,
            customer_uid=customer_uid,
            paid_at=now if status == "paid" else None,
            failed_at=now if status == "failed" else None,
            started_at=now,
            fail_reason="[8008] 잔액이 부족합니다." if status == "failed" else None,
            card_name="카카오페이머니" if status == "paid" else None,
            card_number="536510******1234" if status == "paid" else None,
        )
        self.payments[merchant_uid].append(payment)
        return payment

    async def pay_again(
        self, customer_uid: str, merchant_uid: str, amount: int, name: str, **extra: Any
    ) -> Payment:
        assert len(name) <= 40 and amount > 0
        assert merchant_uid not in self.in_flight_uids, f"two requests for {merchant_uid}"
        assert customer_uid not in self.in_flight_customers, f"two requests for {customer_uid}"
        if self.before_send is not None:
            self.before_send(merchant_uid)
        self.pay_calls.append(merchant_uid)
        behaviour = self.script[merchant_uid].popleft() if self.script[merchant_uid] else None
        behaviour = behaviour or self.default
        self.in_flight_uids.add(merchant_uid)
        self.in_flight_customers.add(customer_uid)
        self.max_in_flight = max(self.max_in_flight, len(self.in_flight_uids))
        try:
            await asyncio.sleep(self.latency)
            return self._answer(behaviour, customer_uid, merchant_uid, amount)
        finally:
            self.in_flight_uids.discard(merchant_uid)
            self.in_flight_customers.discard(customer_uid)

    def _answer(self, behaviour: str, customer_uid: str, merchant_uid: str, amount: int) -> Payment:
        if behaviour == "not_sent":
            raise RequestNotSent("connect refused")
        if behaviour == "auth":
            raise AuthenticationFailed("bad key")
        if behaviour == "drop_before":
            raise OutcomeUnknown("connection dropped")
        if behaviour == "reject" or customer_uid in self.missing_keys:
            raise RequestRejected("rejected", http_status=200, code=-1, api_message="거절")
        already = any(p.status == "paid" for p in self.payments[merchant_uid])
        if already:
            raise RequestRejected("already paid", http_status=200, code=1, api_message="이미 결제")
        status = "failed" if behaviour == "decline" else "paid"
        payment = self._process(customer_uid, merchant_uid, amount, status)
        if behaviour == "drop_after":
            raise OutcomeUnknown("read timeout")
        if behaviour == "garbage_after":
            raise InvalidResponse("not json", http_status=200)
        if behaviour == "reject_after":
            raise RequestRejected("rejected", http_status=200, code=-1, api_message="거절")
        if status == "failed":
            raise PaymentDeclined(payment)
        return payment

    async def get_customer(self, customer_uid: str) -> dict[str, str]:
        self.key_lookups.append(customer_uid)
        await asyncio.sleep(self.latency)
        if customer_uid in self.key_lookup_failures:
            raise OutcomeUnknown("key lookup timed out")
        if customer_uid in self.missing_keys:
            raise NotFound("no such customer_uid", http_status=404)
        return {"customer_uid": customer_uid}

    async def find_all_payments(
        self, merchant_uid: str, status: str | None = None, page: int = 1, limit: int = 20
    ) -> PaymentPage:
        self.lookups.append(merchant_uid)
        await asyncio.sleep(self.latency)
        if self.lookup_failures[merchant_uid] > 0:
            self.lookup_failures[merchant_uid] -= 1
            raise OutcomeUnknown("lookup timed out")
        found = self.payments.get(merchant_uid, [])
        if not found:
            raise NotFound("no payment", http_status=404)
        return PaymentPage(total=len(found), previous=0, next=0, list=tuple(found))
