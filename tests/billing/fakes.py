"""A scripted in-memory gateway (`kpadmin.billing.gateway.Gateway`), for the engine's unit tests.

It keeps payments per order id with the gateway's rule (an order id already paid is refused and
no new payment made), and lets a test script what happens to each charge:

* ``"pay"`` / ``"decline"`` — processed, answered normally (``Declined`` for a decline).
* ``"drop_after"`` — processed (paid), then the answer is lost: ``OutcomeUnknown``.
* ``"drop_before"`` — not processed, but the caller cannot know: ``OutcomeUnknown``.
* ``"garbage_after"`` — processed, answer unreadable: ``BadAnswer``.
* ``"not_sent"`` — ``NotSent``.
* ``"reject"`` — ``Rejected`` without processing; ``"reject_after"`` processed anyway.
* ``"auth"`` — ``AuthFailed``.

Billing keys: every key id has one unless it is in ``missing_keys`` (then a charge is refused,
like i'mport, and ``get_key`` answers ``NotFound``); a key id in ``key_lookup_failures`` makes
``get_key`` fail with ``OutcomeUnknown``.

It also checks the engine's concurrency promises: never two requests in flight for one order id
or one key, and it records the highest number in flight. The variable names keep the schema's
words (``merchant_uid``, ``customer_uid``) where tests read the journal's columns next to them.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime

from kpadmin.billing.gateway import (
    AuthFailed,
    BadAnswer,
    BillingKey,
    Declined,
    GatewayPayment,
    KeysResult,
    NotFound,
    NotSent,
    OutcomeUnknown,
    PaymentStatus,
    Rejected,
)
from kpadmin.clock import Clock
from tests.clock import FrozenClock


class FakeGateway:
    def __init__(self, *, latency: float = 0.0, clock: Clock | None = None) -> None:
        self.latency = latency
        #: i'mport's clock for paid_at / failed_at: the tests' (tests/clock.py), never the wall's.
        self.clock: Clock = clock or FrozenClock()
        self.payments: dict[str, list[GatewayPayment]] = defaultdict(list)
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

    def paid(self) -> dict[str, list[GatewayPayment]]:
        return {m: [p for p in ps if p.is_paid] for m, ps in self.payments.items()}

    def add_payment(self, merchant_uid: str, customer_uid: str, amount: int, status: str) -> None:
        self._process(customer_uid, merchant_uid, amount, status)

    def _process(
        self, customer_uid: str, merchant_uid: str, amount: int, status: str
    ) -> GatewayPayment:
        self._seq += 1
        now = self.clock()
        paid = status == "paid"
        payment = GatewayPayment(
            payment_id=f"imp_{self._seq:06d}",
            order_id=merchant_uid,
            amount=amount,
            refunded_amount=0,
            currency="KRW",
            status=PaymentStatus(status),
            key_id=customer_uid,
            paid_at=now if paid else None,
            failed_at=now if status == "failed" else None,
            started_at=now,
            fail_reason="[8008] 잔액이 부족합니다." if status == "failed" else None,
            card_name="카카오페이머니" if paid else None,
            card_label="카카오페이머니" if paid else None,
            card_number="536510******1234" if paid else None,
        )
        self.payments[merchant_uid].append(payment)
        return payment

    async def check_connection(self) -> None:
        return None

    async def charge_key(
        self, key_id: str, order_id: str, amount: int, order_name: str
    ) -> GatewayPayment:
        customer_uid, merchant_uid, name = key_id, order_id, order_name
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

    def _answer(
        self, behaviour: str, customer_uid: str, merchant_uid: str, amount: int
    ) -> GatewayPayment:
        if behaviour == "not_sent":
            raise NotSent("connect refused")
        if behaviour == "auth":
            raise AuthFailed("bad key")
        if behaviour == "drop_before":
            raise OutcomeUnknown("connection dropped")
        if behaviour == "reject" or customer_uid in self.missing_keys:
            raise Rejected("rejected", gateway_message="거절", code="-1")
        already = any(p.is_paid for p in self.payments[merchant_uid])
        if already:
            raise Rejected("already paid", gateway_message="이미 결제", code="1")
        status = "failed" if behaviour == "decline" else "paid"
        payment = self._process(customer_uid, merchant_uid, amount, status)
        if behaviour == "drop_after":
            raise OutcomeUnknown("read timeout")
        if behaviour == "garbage_after":
            raise BadAnswer("not json")
        if behaviour == "reject_after":
            raise Rejected("rejected", gateway_message="거절", code="-1")
        if status == "failed":
            raise Declined(payment)
        return payment

    async def get_key(self, key_id: str) -> BillingKey:
        self.key_lookups.append(key_id)
        await asyncio.sleep(self.latency)
        if key_id in self.key_lookup_failures:
            raise OutcomeUnknown("key lookup timed out")
        if key_id in self.missing_keys:
            raise NotFound("no such key")
        return BillingKey(
            key_id, pg_provider="kakaopay", card_name="신한카드", card_label="신한카드"
        )

    async def get_keys(self, key_ids: Sequence[str]) -> KeysResult:
        wanted = list(dict.fromkeys(key_ids))
        found = tuple(BillingKey(k) for k in wanted if k not in self.missing_keys)
        return KeysResult(found, tuple(k for k in wanted if k in self.missing_keys))

    async def payments_for_order(self, order_id: str) -> tuple[GatewayPayment, ...]:
        self.lookups.append(order_id)
        await asyncio.sleep(self.latency)
        if self.lookup_failures[order_id] > 0:
            self.lookup_failures[order_id] -= 1
            raise OutcomeUnknown("lookup timed out")
        return tuple(reversed(self.payments.get(order_id, [])))  # newest first

    async def get_payment(self, payment_id: str) -> GatewayPayment:
        for payments in self.payments.values():
            for payment in payments:
                if payment.payment_id == payment_id:
                    return payment
        raise NotFound("no such payment")

    async def get_payments(self, payment_ids: Sequence[str]) -> tuple[GatewayPayment, ...]:
        wanted = set(payment_ids)
        return tuple(p for ps in self.payments.values() for p in ps if p.payment_id in wanted)

    async def delete_key(self, key_id: str, reason: str) -> None:
        if key_id in self.missing_keys:
            raise NotFound("no such key")
        self.missing_keys.add(key_id)

    async def refund(
        self,
        *,
        payment_id: str | None = None,
        order_id: str | None = None,
        amount: int | None = None,
        checksum: int | None = None,
        reason: str,
    ) -> GatewayPayment:
        raise Rejected("the fake gateway does not refund")

    async def key_payments(self, key_id: str) -> AsyncIterator[GatewayPayment]:
        mine = [p for ps in self.payments.values() for p in ps if p.key_id == key_id]
        for payment in sorted(mine, key=lambda p: p.payment_id, reverse=True):
            yield payment

    async def payments_by_status(
        self,
        status: PaymentStatus | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> AsyncIterator[GatewayPayment]:
        for payments in self.payments.values():
            for payment in payments:
                if status is None or payment.status is status:
                    yield payment
