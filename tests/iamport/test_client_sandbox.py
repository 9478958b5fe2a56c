"""The client against the real sandbox over real HTTP: every call and every error class.

Each test starts its own in-process sandbox (``sandbox`` / ``sandbox_factory`` fixtures) and talks
to it through a real socket. Transport faults come from the sandbox's own fault injection
(error before / after processing, dropped connection, delayed answer), and the money outcome of
each fault is checked in the sandbox's state, so "unknown" is shown to really mean "may have
happened".
"""

from __future__ import annotations

import asyncio
import socket
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from kpadmin.iamport.client import IamportClient, Timeouts
from kpadmin.iamport.errors import (
    AuthenticationFailed,
    NotFound,
    OutcomeUnknown,
    PaymentDeclined,
    RequestNotSent,
    RequestRejected,
)
from kpadmin.iamport.models import Payment
from tests.clock import injected_now
from tests.fixtures.sandbox import RunningSandbox, SandboxFactory
from tests.iamport.helpers import run
from tests.sandbox.api import Clock

AGAIN = "/subscribe/payments/again"


class CountingTransport(httpx.AsyncHTTPTransport):
    """The real HTTP transport, recording ``METHOD /path`` of every request it sends."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("limits", httpx.Limits(max_connections=64))
        super().__init__(**kwargs)
        self.sent: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(f"{request.method} {request.url.path}")
        return await super().handle_async_request(request)

    def count(self, what: str) -> int:
        return self.sent.count(what)


def client_for(box: RunningSandbox, **kwargs: Any) -> IamportClient:
    kwargs.setdefault("retry_backoff_s", 0.01)
    return IamportClient(box.base_url, box.imp_key, box.imp_secret, **kwargs)


def key(box: RunningSandbox, uid: str = "cu_1", **fields: Any) -> None:
    fields.setdefault("card_name", "신한카드")
    fields.setdefault("card_number", "4111-11**-****-1111")
    box.state.issue_billing_key(uid, **fields)


def payments_for(box: RunningSandbox, merchant_uid: str) -> list[dict[str, Any]]:
    return [p for p in box.state.all_payments() if p["merchant_uid"] == merchant_uid]


# ------------------------------------------------------------------------------ every call


def test_every_call_round_trip(sandbox: RunningSandbox, now: datetime) -> None:
    key(sandbox, "cu_1", customer_tel="010-1234-5678")
    key(sandbox, "cu_2")

    async def go() -> None:
        async with client_for(sandbox) as client:
            token = await client.request_token()
            assert 1790 <= token.lifetime_s <= 1800
            assert await client.get_token() == token.access_token

            paid = await client.pay_again("cu_1", "m-1", 9900, "월 구독", buyer_name="홍길동")
            assert paid.status == "paid" and paid.amount == 9900 and paid.customer_uid == "cu_1"
            assert paid.paid_at is not None and paid.paid_at.tzinfo is not None
            assert paid.sandbox is None  # the live shape has no such field: unknown, not False

            customer = await client.get_customer("cu_1")
            assert customer.card_name == "신한카드" and customer.customer_tel == "010-1234-5678"

            got = await client.get_payment(paid.imp_uid)
            assert got == paid
            with pytest.raises(NotFound):  # test-channel payments hidden without include_sandbox
                await client.get_payment(paid.imp_uid, include_sandbox=False)

            assert (await client.find_payment("m-1")).imp_uid == paid.imp_uid
            assert (await client.find_payment("m-1", status="paid")).imp_uid == paid.imp_uid
            with pytest.raises(NotFound):
                await client.find_payment("m-1", status="failed")
            with pytest.raises(NotFound):
                await client.find_payment("never-sent")

            page = await client.find_all_payments("m-1")
            assert page.total == 1 and [p.imp_uid for p in page.list] == [paid.imp_uid]
            with pytest.raises(NotFound):
                await client.find_all_payments("never-sent")
            assert await client.all_payments("never-sent") == []

            mine = await client.customer_payments("cu_1")
            assert [p.imp_uid for p in mine.list] == [paid.imp_uid]

            by_status = await client.payments_by_status(
                "paid", from_=now - timedelta(days=1), to=now
            )
            assert paid.imp_uid in {p.imp_uid for p in by_status.list}

            multi = await client.get_customers(["cu_1", "cu_2"])
            assert {c.customer_uid for c in multi.found} == {"cu_1", "cu_2"} and not multi.missing
            partial = await client.get_customers(["cu_1", "nobody"])  # HTTP 207
            assert [c.customer_uid for c in partial.found] == ["cu_1"]
            assert partial.missing == ("nobody",)
            none = await client.get_customers(["nobody", "ghost"])  # HTTP 404
            assert none.found == () and none.missing == ("nobody", "ghost")

            deleted = await client.delete_customer("cu_2", reason="해지")
            assert deleted.customer_uid == "cu_2"
            with pytest.raises(NotFound):
                await client.get_customer("cu_2")
            with pytest.raises(NotFound):
                await client.delete_customer("cu_2")
            with pytest.raises(RequestRejected) as rejected:  # charging a deleted key
                await client.pay_again("cu_2", "m-2", 9900, "월 구독")
            assert rejected.value.code not in (None, 0)
            assert payments_for(sandbox, "m-2") == []

    run(go())


def test_spec_style_sandbox_flag_and_kakao_money_key(sandbox_factory: SandboxFactory) -> None:
    spec_box = sandbox_factory(answer_style="spec")
    key(spec_box, "cu_card")
    spec_box.state.issue_billing_key("cu_money", pay_method="point")
    live_box = sandbox_factory()
    live_box.state.issue_billing_key("cu_money", pay_method="point")

    async def go() -> None:
        async with client_for(spec_box) as client:
            paid = await client.pay_again("cu_card", "m-1", 9900, "월 구독")
            assert paid.sandbox is True and paid.pay_method == "card"
            money = await client.get_customer("cu_money")
            assert money.sandbox is True and money.card_name == "카카오머니"
        async with client_for(live_box) as client:
            money = await client.get_customer("cu_money")
            assert money.sandbox is None and money.card_name is None and money.card_number is None
            point = await client.pay_again("cu_money", "m-2", 9900, "월 구독")
            assert point.status == "paid" and point.pay_method == "point"
            assert point.card_name is None and point.apply_num == ""

    run(go())


def test_cancel_partial_checksum_and_full(sandbox: RunningSandbox) -> None:
    key(sandbox)

    async def go() -> None:
        async with client_for(sandbox) as client:
            paid = await client.pay_again("cu_1", "m-1", 10000, "월 구독")
            part = await client.cancel_payment(
                imp_uid=paid.imp_uid, amount=3000, checksum=paid.refundable, reason="부분 환불"
            )
            assert part.cancel_amount == 3000 and part.status == "paid"
            assert len(part.cancel_history) == 1 and part.cancel_history[0].amount == 3000
            with pytest.raises(RequestRejected):  # stale checksum: someone refunded meanwhile
                await client.cancel_payment(
                    merchant_uid="m-1", amount=1000, checksum=10000, reason="중복 환불"
                )
            full = await client.cancel_payment(
                merchant_uid="m-1", checksum=part.refundable, reason="해지"
            )
            assert full.status == "cancelled" and full.cancel_amount == 10000
            assert full.cancelled_at is not None
            with pytest.raises(RequestRejected):
                await client.cancel_payment(imp_uid=paid.imp_uid, reason="again")

    run(go())


def test_decline_retry_same_merchant_uid_and_already_paid(sandbox: RunningSandbox) -> None:
    key(sandbox)

    async def go() -> tuple[Payment, Payment]:
        async with client_for(sandbox) as client:
            sandbox.set_faults(decline_rate=1.0)
            with pytest.raises(PaymentDeclined) as declined:
                await client.pay_again("cu_1", "m-1", 9900, "월 구독")
            assert declined.value.payment.failed_at is not None
            assert declined.value.fail_reason
            sandbox.set_faults(decline_rate=0.0)
            paid = await client.pay_again("cu_1", "m-1", 9900, "월 구독")
            with pytest.raises(RequestRejected):
                await client.pay_again("cu_1", "m-1", 9900, "월 구독")
            attempts = await client.all_payments("m-1")
            assert sorted(p.status for p in attempts) == ["failed", "paid"]
            return declined.value.payment, paid

    failed, paid = run(go())
    assert failed.imp_uid != paid.imp_uid
    assert len(payments_for(sandbox, "m-1")) == 2  # the refused third try recorded nothing


def test_monthly_limit_is_a_decline(sandbox_factory: SandboxFactory) -> None:
    box = sandbox_factory(monthly_limit=1)
    key(box)

    async def go() -> None:
        async with client_for(box) as client:
            await client.pay_again("cu_1", "m-1", 9900, "월 구독")
            with pytest.raises(PaymentDeclined) as info:
                await client.pay_again("cu_1", "m-2", 9900, "월 구독")
            assert info.value.payment.status == "failed"

    run(go())


# ---------------------------------------------------------------------------------- tokens


def test_wrong_secret_is_authentication_failed(sandbox: RunningSandbox) -> None:
    key(sandbox)

    async def go() -> None:
        async with IamportClient(sandbox.base_url, sandbox.imp_key, "wrong-secret") as client:
            with pytest.raises(AuthenticationFailed):
                await client.get_token()
            with pytest.raises(AuthenticationFailed):
                await client.pay_again("cu_1", "m-1", 9900, "월 구독")

    run(go())
    assert payments_for(sandbox, "m-1") == []


def test_fifty_concurrent_calls_share_one_get_token(sandbox: RunningSandbox) -> None:
    key(sandbox)
    transport = CountingTransport()

    async def go() -> None:
        async with client_for(sandbox, transport=transport) as client:
            await asyncio.gather(*(client.get_customer("cu_1") for _ in range(50)))

    run(go())
    assert transport.count("POST /users/getToken") == 1
    assert transport.count("GET /subscribe/customers/cu_1") == 50


def test_token_expiry_mid_run_refreshes_once(sandbox_factory: SandboxFactory) -> None:
    """Both clocks move 29 min 50 s: the client refreshes proactively, once, for 50 callers."""
    server_clock = Clock(injected_now())
    box = sandbox_factory(clock=server_clock)
    key(box)
    transport = CountingTransport()
    local = [1000.0]

    async def go() -> None:
        async with client_for(box, transport=transport, clock=lambda: local[0]) as client:
            await asyncio.gather(*(client.get_customer("cu_1") for _ in range(10)))
            assert transport.count("POST /users/getToken") == 1
            server_clock.advance(1790)
            local[0] += 1790
            await asyncio.gather(*(client.get_customer("cu_1") for _ in range(50)))
            assert transport.count("POST /users/getToken") == 2
            # i'mport extended the same token by 5 minutes (its last-minute rule)
            assert client.tokens.seconds_left is not None and client.tokens.seconds_left > 290

    run(go())
    assert transport.count("GET /subscribe/customers/cu_1") == 60


def test_401_from_server_side_expiry_refreshes_once_and_retries(
    sandbox_factory: SandboxFactory,
) -> None:
    """Only the server's clock moves past expiry: 50 calls get 401, one refresh, all retried."""
    server_clock = Clock(injected_now())
    box = sandbox_factory(clock=server_clock)
    key(box)
    transport = CountingTransport()

    async def go() -> None:
        async with client_for(box, transport=transport, clock=lambda: 0.0) as client:
            await client.get_customer("cu_1")
            server_clock.advance(1801)
            results = await asyncio.gather(*(client.get_customer("cu_1") for _ in range(50)))
            assert all(c.customer_uid == "cu_1" for c in results)
            paid = await client.pay_again("cu_1", "m-1", 9900, "월 구독")
            assert paid.status == "paid"

    run(go())
    assert transport.count("POST /users/getToken") == 2
    assert transport.count("GET /subscribe/customers/cu_1") == 1 + 50 + 50  # first + 401s + retries
    assert transport.count(f"POST {AGAIN}") == 1


class _ManglingTransport(CountingTransport):
    """Replaces the token on charges (a broken proxy), so i'mport refuses every attempt."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == AGAIN:
            request.headers["Authorization"] = "Bearer not-a-real-token"
        return await super().handle_async_request(request)


def test_second_401_is_authentication_failed_and_nothing_is_charged(
    sandbox: RunningSandbox,
) -> None:
    key(sandbox)
    transport = _ManglingTransport()

    async def go() -> None:
        async with client_for(sandbox, transport=transport) as client:
            with pytest.raises(AuthenticationFailed):
                await client.pay_again("cu_1", "m-1", 9900, "월 구독")

    run(go())
    assert transport.count(f"POST {AGAIN}") == 2  # the original and exactly one retry
    assert transport.count("POST /users/getToken") == 2
    assert payments_for(sandbox, "m-1") == []


# --------------------------------------------------------------------------- fault classes


@pytest.mark.parametrize(
    ("fault", "money_moved"),
    [("error_before", False), ("error_after", True), ("drop_after", True), ("delay_after", True)],
)
def test_charge_faults_are_outcome_unknown(
    sandbox: RunningSandbox, fault: str, money_moved: bool
) -> None:
    """A 500 before processing is indistinguishable from one after, so both are unknown; the
    lookup afterwards tells the truth, and the client never re-sent the charge by itself."""
    key(sandbox)
    sandbox.set_faults(**{fault: 1.0}, delay_s=5.0, endpoints={"again"})
    transport = CountingTransport()
    timeouts = Timeouts(read=1.5)

    async def go() -> list[Payment]:
        async with client_for(sandbox, transport=transport, timeouts=timeouts) as client:
            with pytest.raises(OutcomeUnknown) as info:
                await client.pay_again("cu_1", "m-1", 9900, "월 구독")
            assert not isinstance(info.value, RequestNotSent)
            if fault.startswith("error"):
                assert info.value.http_status == 500
            return await client.all_payments("m-1")  # lookups are not faulted here

    found = run(go())
    assert transport.count(f"POST {AGAIN}") == 1
    assert [p.status for p in found] == (["paid"] if money_moved else [])
    assert len(payments_for(sandbox, "m-1")) == (1 if money_moved else 0)


@pytest.mark.parametrize("fault", ["error_before", "drop_after", "delay_after"])
def test_lookup_faults_are_outcome_unknown_and_not_retried(
    sandbox: RunningSandbox, fault: str
) -> None:
    key(sandbox)
    sandbox.set_faults(**{fault: 1.0}, delay_s=5.0, endpoints={"customer_get"})
    transport = CountingTransport()

    async def go() -> None:
        async with client_for(sandbox, transport=transport, timeouts=Timeouts(read=1.0)) as c:
            with pytest.raises(OutcomeUnknown):
                await c.get_customer("cu_1")

    run(go())
    assert transport.count("GET /subscribe/customers/cu_1") == 1


@pytest.mark.parametrize("fault", ["error_before", "drop_after"])
def test_get_token_fault_means_the_charge_was_not_sent(sandbox: RunningSandbox, fault: str) -> None:
    """getToken itself fails: the token call is unknown, but the charge behind it never left."""
    key(sandbox)
    sandbox.set_faults(**{fault: 1.0}, endpoints={"token"})
    transport = CountingTransport()

    async def go() -> None:
        async with client_for(sandbox, transport=transport, get_retries=0) as client:
            with pytest.raises(OutcomeUnknown):
                await client.get_token()
            with pytest.raises(RequestNotSent, match="no access token"):
                await client.pay_again("cu_1", "m-1", 9900, "월 구독")
            sandbox.clear_faults()
            assert (await client.pay_again("cu_1", "m-1", 9900, "월 구독")).status == "paid"

    run(go())
    assert transport.count(f"POST {AGAIN}") == 1


def test_connect_refused_is_request_not_sent(sandbox: RunningSandbox) -> None:
    key(sandbox)
    base_url = sandbox.base_url
    sandbox.server.stop()  # nothing listens on that port any more
    transport = CountingTransport()

    async def go() -> None:
        client = IamportClient(
            base_url, sandbox.imp_key, sandbox.imp_secret, transport=transport, retry_backoff_s=0
        )
        async with client:
            with pytest.raises(RequestNotSent) as info:
                await client.get_token()
            assert not isinstance(info.value, OutcomeUnknown)
            with pytest.raises(RequestNotSent):
                await client.pay_again("cu_1", "m-1", 9900, "월 구독")
            with pytest.raises(RequestNotSent):
                await client.get_customer("cu_1")

    run(go())
    assert payments_for(sandbox, "m-1") == []


def test_connect_refused_on_the_charge_itself_is_not_retried() -> None:
    """Token fine, then the connection for the charge is refused: RequestNotSent, sent once."""
    with socket.socket() as s:  # a port that surely refuses
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    class Refusing(CountingTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path == "/users/getToken":
                self.sent.append("POST /users/getToken")
                return httpx.Response(
                    200,
                    json={
                        "code": 0,
                        "message": None,
                        "response": {"access_token": "t" * 40, "now": 1, "expired_at": 1801},
                    },
                )
            request.url = request.url.copy_with(port=port)
            return await super().handle_async_request(request)

    transport = Refusing()

    async def go() -> None:
        async with IamportClient(
            "http://127.0.0.1:9", "key-x", "secret-x", transport=transport, retry_backoff_s=0
        ) as client:
            with pytest.raises(RequestNotSent):
                await client.pay_again("cu_1", "m-1", 9900, "월 구독")

    run(go())
    assert transport.count(f"POST {AGAIN}") == 1


def test_pool_exhausted_is_request_not_sent(sandbox: RunningSandbox) -> None:
    """Every pooled connection hangs on a delayed answer; one more request waits for a
    connection, times out in the pool and is reported as never sent."""
    from kpadmin.iamport.client import POOL_LIMITS

    assert POOL_LIMITS.max_connections is not None
    busy = POOL_LIMITS.max_connections
    for i in range(busy):
        key(sandbox, f"cu_{i}")
    sandbox.set_faults(delay_after=1.0, delay_s=2.0, endpoints={"again"})

    async def go() -> None:
        timeouts = Timeouts(read=10.0, pool=0.3)
        async with client_for(sandbox, timeouts=timeouts, get_retries=0) as client:
            await client.get_token()
            hanging = [
                asyncio.create_task(client.pay_again(f"cu_{i}", f"m-{i}", 1000, "월 구독"))
                for i in range(busy)
            ]
            # Wait until the sandbox has processed every charge: each now holds its connection
            # while its answer is delayed (a fixed sleep is not enough on a busy machine).
            for _ in range(500):
                if len(sandbox.state.all_payments()) == busy:
                    break
                await asyncio.sleep(0.01)
            assert len(sandbox.state.all_payments()) == busy
            with pytest.raises(RequestNotSent, match="PoolTimeout"):
                await client.payments_by_status("paid")
            done = await asyncio.gather(*hanging)
            assert all(p.status == "paid" for p in done)

    run(go())


# ------------------------------------------------------------------------------ batch shapes


def test_pool_holds_32_concurrent_charges(sandbox_factory: SandboxFactory) -> None:
    """32 charges each holding a connection for 300 ms, with a 0.1 s pool timeout: a pool smaller
    than 32 would make some of them RequestNotSent."""
    box = sandbox_factory(latency_ms=300)
    for i in range(32):
        key(box, f"cu_{i}")

    async def go() -> list[Payment]:
        async with client_for(box, timeouts=Timeouts(pool=0.1)) as client:
            await client.get_token()
            return await asyncio.gather(
                *(client.pay_again(f"cu_{i}", f"m-{i}", 1000 + i, "월 구독") for i in range(32))
            )

    paid = run(go())
    assert sorted(p.amount for p in paid) == [1000 + i for i in range(32)]
    assert len({p.imp_uid for p in paid}) == 32


def test_get_customers_with_a_thousand_uids(sandbox: RunningSandbox) -> None:
    for i in range(0, 1000, 3):
        key(sandbox, f"cu_{i:04d}")
    uids = [f"cu_{i:04d}" for i in range(1000)]
    transport = CountingTransport()

    async def go() -> tuple[set[str], set[str]]:
        async with client_for(sandbox, transport=transport) as client:
            result = await client.get_customers(uids)
            return {c.customer_uid for c in result.found}, set(result.missing)

    found, missing = run(go())
    assert found == {f"cu_{i:04d}" for i in range(0, 1000, 3)}
    assert missing == set(uids) - found
    assert transport.count("GET /subscribe/customers") == 20


def test_paging_helpers_walk_every_page(sandbox: RunningSandbox) -> None:
    key(sandbox)
    sandbox.set_faults(decline_rate=1.0)

    async def go() -> tuple[int, int, int, int]:
        async with client_for(sandbox) as client:
            for _ in range(3):  # three declined attempts on one merchant_uid
                with pytest.raises(PaymentDeclined):
                    await client.pay_again("cu_1", "m-retried", 9900, "월 구독")
            sandbox.set_faults(decline_rate=0.0)
            for i in range(42):
                await client.pay_again("cu_1", f"m-{i}", 9900, "월 구독")
            first = await client.customer_payments("cu_1")
            assert len(first.list) == 20 and first.next == 2 and first.total == 45
            by_key = {p.imp_uid async for p in client.iter_customer_payments("cu_1")}
            paid = {p.imp_uid async for p in client.iter_payments_by_status("paid", limit=10)}
            attempts = await client.all_payments("m-retried", limit=1)
            assert all(p.status == "failed" for p in attempts)
            return len(by_key), len(paid), len(attempts), len(await client.all_payments("m-0"))

    assert run(go()) == (45, 42, 3, 1)
