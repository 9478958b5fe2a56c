"""The i'mport adapter (`kpadmin.iamport.gateway.IamportGateway`) behind billing's gateway port,
against the real sandbox over real HTTP and against the hostile server on 127.0.0.1.

Every operation of the port, every error class, the sandbox's fault kinds (and what the money did
in each), the 10 MB answer cap, a bare 404, and redaction of what a server echoes: the adapter
must keep the client's careful classification — `NotSent` and `OutcomeUnknown` never collapsed,
`NotFound` only from i'mport's own envelope — while speaking only the port's words.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
from datetime import timedelta
from typing import Any

import pytest

from kpadmin.billing import gateway as gw
from kpadmin.iamport import errors as ie
from kpadmin.iamport.cards import KAKAO_MONEY, card_label
from kpadmin.iamport.client import Timeouts
from kpadmin.iamport.gateway import IamportGateway, open_gateway
from tests.clock import injected_now
from tests.fixtures.hostile import Answer, HostileServer, hostile, payment_json
from tests.fixtures.sandbox import RunningSandbox, SandboxFactory
from tests.iamport.helpers import run

__all__ = ["hostile"]

AGAIN = "/subscribe/payments/again"


def gateway_for(box: Any, **options: Any) -> Any:
    """The adapter over a fresh client (``options``: the client's keyword arguments)."""
    options.setdefault("retry_backoff_s", 0.01)
    return open_gateway(box.base_url, box.imp_key, box.imp_secret, **options)


def key(box: RunningSandbox, uid: str = "cu_1", **fields: Any) -> None:
    fields.setdefault("card_name", "신한카드")
    fields.setdefault("card_number", "4111-11**-****-1111")
    box.state.issue_billing_key(uid, **fields)


def paid_at_sandbox(box: RunningSandbox, order_id: str) -> list[dict[str, Any]]:
    return [p for p in box.state.all_payments() if p["merchant_uid"] == order_id]


# ------------------------------------------------------------------------- every operation


def test_every_operation_speaks_the_ports_words(sandbox: RunningSandbox) -> None:
    key(sandbox, "cu_1")
    key(sandbox, "cu_2")
    now = injected_now()

    async def go() -> None:
        async with gateway_for(sandbox) as gateway:
            assert isinstance(gateway, IamportGateway)
            await gateway.check_connection()

            paid = await gateway.charge_key("cu_1", "m-1", 9900, "월 구독")
            assert isinstance(paid, gw.GatewayPayment)
            assert (paid.order_id, paid.key_id, paid.status) == (
                "m-1",
                "cu_1",
                gw.PaymentStatus.PAID,
            )
            assert paid.payment_id.startswith("imp_") and paid.is_paid
            assert (paid.amount, paid.refunded_amount, paid.refundable) == (9900, 0, 9900)
            assert paid.card_label == "신한카드" and paid.order_name == "월 구독"
            assert paid.paid_at is not None and paid.paid_at.tzinfo is not None
            assert paid.pg_provider == "kakaopay" and paid.currency == "KRW"

            assert await gateway.get_payment(paid.payment_id) == paid
            assert await gateway.payments_for_order("m-1") == (paid,)
            assert await gateway.payments_for_order("never-sent") == ()

            one = await gateway.get_key("cu_1")
            assert isinstance(one, gw.BillingKey)
            assert (one.key_id, one.card_label, one.pg_provider) == ("cu_1", "신한카드", "kakaopay")
            both = await gateway.get_keys(["cu_1", "cu_2", "cu_1"])  # duplicates asked once
            assert [k.key_id for k in both.found] == ["cu_1", "cu_2"] and both.missing == ()
            partial = await gateway.get_keys(["nobody", "cu_2", "ghost"])  # HTTP 207
            assert list(partial.by_id()) == ["cu_2"] and partial.missing == ("nobody", "ghost")
            none = await gateway.get_keys(["nobody"])  # HTTP 404: none found, not an error
            assert none.found == () and none.missing == ("nobody",)

            second = await gateway.charge_key("cu_1", "m-2", 1000, "월 구독")
            listed = [p.payment_id async for p in gateway.key_payments("cu_1")]
            assert listed == [second.payment_id, paid.payment_id]  # newest first
            assert [p async for p in gateway.key_payments("nobody")] == []

            window = {"since": now - timedelta(days=1), "until": now + timedelta(days=1)}
            by_paid = {
                p.payment_id
                async for p in gateway.payments_by_status(gw.PaymentStatus.PAID, **window)
            }
            assert {paid.payment_id, second.payment_id} <= by_paid
            every = {p.payment_id async for p in gateway.payments_by_status(None, **window)}
            assert by_paid <= every
            with pytest.raises(ValueError, match="OTHER"):
                [p async for p in gateway.payments_by_status(gw.PaymentStatus.OTHER)]

            await gateway.delete_key("cu_2", "해지")
            with pytest.raises(gw.NotFound):
                await gateway.get_key("cu_2")
            with pytest.raises(gw.NotFound):
                await gateway.delete_key("cu_2", "again")
            with pytest.raises(gw.Rejected) as rejected:  # charging a deleted key
                await gateway.charge_key("cu_2", "m-3", 9900, "월 구독")
            assert rejected.value.code not in (None, "0") and rejected.value.gateway_message
            assert isinstance(rejected.value.__cause__, ie.RequestRejected)

    run(go())
    assert paid_at_sandbox(sandbox, "m-3") == []


def test_refund_by_payment_or_order_id_with_checksum(sandbox: RunningSandbox) -> None:
    key(sandbox)

    async def go() -> None:
        async with gateway_for(sandbox) as gateway:
            paid = await gateway.charge_key("cu_1", "m-1", 10000, "월 구독")
            part = await gateway.refund(
                payment_id=paid.payment_id, amount=3000, checksum=paid.refundable, reason="부분"
            )
            assert part.status is gw.PaymentStatus.PAID
            assert (part.refunded_amount, part.refundable) == (3000, 7000)
            with pytest.raises(gw.Rejected):  # a stale checksum: refunded elsewhere meanwhile
                await gateway.refund(order_id="m-1", amount=1000, checksum=10000, reason="중복")
            full = await gateway.refund(order_id="m-1", checksum=part.refundable, reason="해지")
            assert full.status is gw.PaymentStatus.CANCELLED and full.refunded_amount == 10000
            assert full.cancelled_at is not None
            with pytest.raises(gw.Rejected):
                await gateway.refund(payment_id=paid.payment_id, reason="again")
            with pytest.raises(ValueError):
                await gateway.refund(reason="no id")

    run(go())


def test_declines_carry_the_failed_payment_and_its_reason(sandbox_factory: SandboxFactory) -> None:
    box = sandbox_factory(monthly_limit=1)
    key(box)

    async def go() -> None:
        async with gateway_for(box) as gateway:
            box.set_faults(decline_rate=1.0)
            with pytest.raises(gw.Declined) as declined:
                await gateway.charge_key("cu_1", "m-1", 9900, "월 구독")
            payment = declined.value.payment
            assert payment is not None and payment.status is gw.PaymentStatus.FAILED
            assert payment.failed_at is not None and payment.order_id == "m-1"
            assert declined.value.reason and declined.value.reason == payment.fail_reason
            box.set_faults(decline_rate=0.0)
            paid = await gateway.charge_key("cu_1", "m-1", 9900, "월 구독")  # same order id
            with pytest.raises(gw.Rejected):  # i'mport never pays one order id twice
                await gateway.charge_key("cu_1", "m-1", 9900, "월 구독")
            attempts = await gateway.payments_for_order("m-1")
            assert sorted(p.status.value for p in attempts) == ["failed", "paid"]
            assert paid.payment_id in {p.payment_id for p in attempts}
            with pytest.raises(gw.Declined):  # the monthly limit is a decline too
                await gateway.charge_key("cu_1", "m-2", 9900, "월 구독")

    run(go())


def test_kakao_money_is_labelled_for_keys_and_payments(sandbox_factory: SandboxFactory) -> None:
    live = sandbox_factory()
    live.state.issue_billing_key("cu_money", pay_method="point")
    spec = sandbox_factory(answer_style="spec")
    spec.state.issue_billing_key("cu_money", pay_method="point")

    async def go() -> None:
        async with gateway_for(live) as gateway:
            money = await gateway.get_key("cu_money")
            assert money.card_name is None and money.card_label == KAKAO_MONEY
            assert money.card_number is None
            point = await gateway.charge_key("cu_money", "m-1", 9900, "월 구독")
            assert point.pay_method == "point" and point.card_name is None
            assert point.card_label == KAKAO_MONEY
        async with gateway_for(spec) as gateway:
            money = await gateway.get_key("cu_money")
            assert money.card_name == KAKAO_MONEY and money.card_label == KAKAO_MONEY

    run(go())


@pytest.mark.parametrize(
    ("card_name", "card_number", "pay_method", "pg_provider", "expected"),
    [
        ("신한카드", "451842******1234", "card", "kakaopay", "신한카드"),
        ("신한카드", None, None, "kakaopay", "신한카드"),
        (None, None, "point", None, KAKAO_MONEY),  # a payment says so itself
        (None, None, None, "kakaopay", KAKAO_MONEY),  # a Kakao Pay key without any card field
        (None, "451842******1234", None, "kakaopay", None),  # a card whose name is unknown
        (None, None, "card", "kakaopay", None),
        (None, None, None, "html5_inicis", None),  # another PG: nothing to infer
        (None, None, None, None, None),
    ],
)
def test_card_label(
    card_name: str | None,
    card_number: str | None,
    pay_method: str | None,
    pg_provider: str | None,
    expected: str | None,
) -> None:
    got = card_label(card_name, card_number, pay_method=pay_method, pg_provider=pg_provider)
    assert got == expected


# ------------------------------------------------------------------------------ error classes


def test_wrong_secret_is_auth_failed_and_nothing_is_charged(sandbox: RunningSandbox) -> None:
    key(sandbox)

    async def go() -> None:
        async with open_gateway(sandbox.base_url, sandbox.imp_key, "wrong-secret") as gateway:
            with pytest.raises(gw.AuthFailed):
                await gateway.check_connection()
            with pytest.raises(gw.AuthFailed) as info:
                await gateway.charge_key("cu_1", "m-1", 9900, "월 구독")
            assert isinstance(info.value.__cause__, ie.AuthenticationFailed)

    run(go())
    assert paid_at_sandbox(sandbox, "m-1") == []


def test_connection_refused_is_not_sent_never_outcome_unknown() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: connecting is refused

    async def go() -> None:
        async with open_gateway(f"http://127.0.0.1:{port}", "k", "s", retry_backoff_s=0) as gateway:
            for call in (
                gateway.check_connection(),
                gateway.charge_key("cu_1", "m-1", 9900, "월 구독"),
                gateway.get_key("cu_1"),
                gateway.payments_for_order("m-1"),
                gateway.refund(payment_id="imp_1", reason="r"),
            ):
                with pytest.raises(gw.NotSent) as info:
                    await call
                assert not isinstance(info.value, gw.OutcomeUnknown)

    run(go())


@pytest.mark.parametrize(
    ("fault", "money_moved"),
    [("error_before", False), ("error_after", True), ("drop_after", True), ("delay_after", True)],
)
def test_charge_faults_are_outcome_unknown_and_the_lookup_tells(
    sandbox: RunningSandbox, fault: str, money_moved: bool
) -> None:
    """A 500 before processing looks exactly like one after; a dropped or late answer may hide a
    payment: all are `OutcomeUnknown` (never `NotSent`), and only the order's lookup tells."""
    key(sandbox)
    sandbox.set_faults(**{fault: 1.0}, delay_s=5.0, endpoints={"again"})

    async def go() -> tuple[gw.GatewayPayment, ...]:
        async with gateway_for(sandbox, timeouts=Timeouts(read=1.5)) as gateway:
            with pytest.raises(gw.OutcomeUnknown) as info:
                await gateway.charge_key("cu_1", "m-1", 9900, "월 구독")
            assert not isinstance(info.value, gw.NotSent)
            assert isinstance(info.value.__cause__, ie.OutcomeUnknown)
            return await gateway.payments_for_order("m-1")

    found = run(go())
    assert [p.status for p in found] == ([gw.PaymentStatus.PAID] if money_moved else [])
    assert len(paid_at_sandbox(sandbox, "m-1")) == (1 if money_moved else 0)


@pytest.mark.parametrize(
    ("endpoint", "call"),
    [
        ("customer_get", lambda g: g.get_key("cu_1")),
        ("payment_find_all", lambda g: g.payments_for_order("m-1")),
        ("customer_delete", lambda g: g.delete_key("cu_1", "해지")),
        ("cancel", lambda g: g.refund(order_id="m-1", reason="환불")),
    ],
    ids=["get-key", "payments-for-order", "delete-key", "refund"],
)
def test_faults_on_lookups_keys_and_refunds_are_outcome_unknown(
    sandbox: RunningSandbox, endpoint: str, call: Any
) -> None:
    key(sandbox)
    sandbox.state.pay_again(customer_uid="cu_1", merchant_uid="m-1", amount=1000, name="x")
    sandbox.set_faults(error_after=1.0, endpoints={endpoint})

    async def go() -> None:
        async with gateway_for(sandbox) as gateway:
            with pytest.raises(gw.OutcomeUnknown):
                await call(gateway)

    run(go())


@pytest.mark.parametrize("fault", ["error_before", "drop_after"])
def test_no_token_means_the_charge_was_not_sent(sandbox: RunningSandbox, fault: str) -> None:
    key(sandbox)
    sandbox.set_faults(**{fault: 1.0}, endpoints={"token"})

    async def go() -> None:
        async with gateway_for(sandbox, get_retries=0) as gateway:
            with pytest.raises(gw.NotSent, match="no access token"):
                await gateway.charge_key("cu_1", "m-1", 9900, "월 구독")
            sandbox.clear_faults()
            assert (await gateway.charge_key("cu_1", "m-1", 9900, "월 구독")).is_paid

    run(go())
    assert len(paid_at_sandbox(sandbox, "m-1")) == 1


def test_unknown_payment_and_key_are_not_found(sandbox: RunningSandbox) -> None:
    async def go() -> None:
        async with gateway_for(sandbox) as gateway:
            with pytest.raises(gw.NotFound) as info:
                await gateway.get_payment("imp_000000000000")
            assert isinstance(info.value.__cause__, ie.NotFound)
            with pytest.raises(gw.NotFound):
                await gateway.get_key("nobody")

    run(go())


# ------------------------------------------------------------------ a hostile i'mport (127.0.0.1)


@pytest.fixture
def server(hostile: HostileServer) -> HostileServer:
    hostile.imp_secret = "hostile-secret-" + secrets.token_hex(8)  # fresh: never registered before
    return hostile


def test_a_not_final_charge_is_outcome_unknown_with_the_payment(server: HostileServer) -> None:
    server.on(
        "POST",
        AGAIN,
        lambda req: Answer.envelope(
            payment_json(req.body["merchant_uid"], 1000, "cu_1", status="ready")
        ),
    )

    async def go() -> None:
        async with gateway_for(server) as gateway:
            await gateway.charge_key("cu_1", "kp-1", 1000, "plan")

    with pytest.raises(gw.NotFinal) as info:
        run(go())
    assert isinstance(info.value, gw.OutcomeUnknown)
    assert info.value.payment is not None and info.value.payment.status is gw.PaymentStatus.READY


def test_a_status_the_port_does_not_know_is_other(server: HostileServer) -> None:
    page = {"total": 1, "previous": 0, "next": 0, "list": [payment_json("kp-1", 1000, "cu_1")]}
    page["list"][0]["status"] = "partial_cancelled"
    server.on("GET", "/payments/findAll/", lambda req: Answer.envelope(page))

    async def go() -> tuple[gw.GatewayPayment, ...]:
        async with gateway_for(server) as gateway:
            return await gateway.payments_for_order("kp-1")

    (payment,) = run(go())
    assert payment.status is gw.PaymentStatus.OTHER and not payment.is_paid


@pytest.mark.parametrize(
    ("path", "call"),
    [
        ("/payments/findAll/", lambda g: g.payments_for_order("kp-1")),
        ("/payments/imp_1", lambda g: g.get_payment("imp_1")),
        ("/subscribe/customers/cu_1", lambda g: g.get_key("cu_1")),
    ],
    ids=["payments-for-order", "get-payment", "get-key"],
)
def test_a_bare_404_is_a_bad_answer_never_nothing(
    server: HostileServer, path: str, call: Any
) -> None:
    """A 404 without i'mport's envelope (a wrong base URL, a proxy's page) must not read as "no
    such payment": the engine would take that as licence to charge again."""
    server.on("GET", path, lambda req: Answer(status=404, body=b"<html>Not Found</html>"))

    async def go() -> None:
        async with gateway_for(server) as gateway:
            await call(gateway)

    with pytest.raises(gw.BadAnswer, match="not an i'mport answer"):
        run(go())


@pytest.mark.parametrize(
    ("method", "path", "call", "expected"),
    [
        ("POST", AGAIN, lambda g: g.charge_key("cu_1", "kp-1", 1000, "plan"), gw.OutcomeUnknown),
        (
            "POST",
            "/payments/cancel",
            lambda g: g.refund(payment_id="imp_1", reason="r"),
            gw.OutcomeUnknown,
        ),
        ("DELETE", "/subscribe/customers/", lambda g: g.delete_key("cu_1", "r"), gw.OutcomeUnknown),
        ("GET", "/subscribe/customers/", lambda g: g.get_key("cu_1"), gw.BadAnswer),
        ("GET", "/payments/findAll/", lambda g: g.payments_for_order("kp-1"), gw.BadAnswer),
        ("GET", "/payments/imp_1", lambda g: g.get_payment("imp_1"), gw.BadAnswer),
    ],
    ids=["charge", "refund", "delete-key", "get-key", "payments-for-order", "get-payment"],
)
def test_over_the_answer_cap_money_calls_are_unknown_and_lookups_bad_answers(
    server: HostileServer, method: str, path: str, call: Any, expected: type[Exception]
) -> None:
    server.on(method, path, lambda req: Answer.huge(50_000))

    async def go() -> None:
        async with gateway_for(server, max_answer_bytes=4_096) as gateway:
            await call(gateway)

    with pytest.raises(gw.GatewayError) as info:
        run(go())
    assert type(info.value) is expected, info.value
    assert "larger than 4,096 bytes" in str(info.value)


def test_an_answer_that_is_not_json_is_a_bad_answer(server: HostileServer) -> None:
    server.on("GET", "/payments/imp_1", lambda req: Answer(body=b"<html>oops</html>"))

    async def go() -> None:
        async with gateway_for(server) as gateway:
            await gateway.get_payment("imp_1")

    with pytest.raises(gw.BadAnswer) as info:
        run(go())
    assert isinstance(info.value.__cause__, ie.InvalidResponse)


def _echo(server: HostileServer) -> str:
    return (
        f"PG says: secret={server.imp_secret} token={server.token} card 4111111111111111 "
        "tel 010-1234-5678"
    )


def _leaks(server: HostileServer, text: str) -> list[str]:
    return [
        s
        for s in (server.imp_secret, server.token, "4111111111111111", "010-1234-5678")
        if s in text
    ]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (lambda s, r: Answer.envelope(None, -1, _echo(s)), gw.Rejected),
        (lambda s, r: Answer.envelope(None, -1, _echo(s), status=500), gw.OutcomeUnknown),
        (lambda s, r: Answer(body=_echo(s).encode()), gw.BadAnswer),
        (
            lambda s, r: Answer.envelope(
                payment_json(
                    r.body["merchant_uid"], 1000, "cu_1", status="failed", fail_reason=_echo(s)
                )
            ),
            gw.Declined,
        ),
    ],
    ids=["rejected", "5xx", "not-json", "declined"],
)
def test_no_error_carries_a_secret_token_card_or_phone(
    server: HostileServer, answer: Any, expected: type[Exception]
) -> None:
    server.on("POST", AGAIN, lambda req: answer(server, req))

    async def go() -> None:
        async with gateway_for(server) as gateway:
            await gateway.charge_key("cu_1", "kp-echo", 1000, "plan")

    with pytest.raises(gw.GatewayError) as info:
        run(go())
    assert type(info.value) is expected
    exc = info.value
    payment = getattr(exc, "payment", None)
    texts = [str(exc), repr(exc.args), str(exc.gateway_message), str(getattr(exc, "reason", ""))]
    if payment is not None:
        texts += [str(payment.fail_reason), repr(payment)]
    text = "\n".join(texts)
    assert _leaks(server, text) == [], text
    if expected is not gw.BadAnswer:  # the unreadable body itself is not carried on at all
        assert "[REDACTED]" in text


def test_concurrent_charges_through_the_port_share_one_token(sandbox: RunningSandbox) -> None:
    for i in range(8):
        key(sandbox, f"cu_{i}")

    async def go() -> list[gw.GatewayPayment]:
        async with gateway_for(sandbox) as gateway:
            return await asyncio.gather(
                *(gateway.charge_key(f"cu_{i}", f"m-{i}", 1000 + i, "월 구독") for i in range(8))
            )

    paid = run(go())
    assert sorted(p.amount for p in paid) == [1000 + i for i in range(8)]
    assert len({p.payment_id for p in paid}) == 8
