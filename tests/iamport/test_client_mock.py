"""The client against a scripted transport: classification, parsing, token rules, request shapes."""

from __future__ import annotations

import asyncio
import json
import logging
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from kpadmin.iamport.client import IamportClient
from kpadmin.iamport.errors import (
    AuthenticationFailed,
    InvalidResponse,
    NotFound,
    OutcomeUnknown,
    PaymentDeclined,
    PaymentNotFinal,
    RequestNotSent,
    RequestRejected,
)
from tests.iamport.fake_api import SECRET, FakeApi
from tests.iamport.helpers import customer_json, envelope, payment_json, run

AGAIN = "/subscribe/payments/again"


def pay(client: IamportClient, merchant_uid: str = "kp-2024-11-cu_1-1") -> object:
    return run(_pay(client, merchant_uid))


async def _pay(client: IamportClient, merchant_uid: str) -> object:
    async with client:
        return await client.pay_again("cu_1", merchant_uid, 9900, "월 구독")


# ------------------------------------------------------------------ request shape and outcomes


def test_pay_again_paid_sends_bearer_json_and_returns_payment() -> None:
    api = FakeApi()
    api.reply("POST", AGAIN, 200, envelope(payment_json()))
    payment = pay(api.client())
    assert getattr(payment, "status", None) == "paid"
    (request,) = api.calls("POST", AGAIN)
    assert request.headers["Authorization"] == "Bearer tok_0001_abcdefghijklmnop"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {
        "customer_uid": "cu_1",
        "merchant_uid": "kp-2024-11-cu_1-1",
        "amount": 9900,
        "name": "월 구독",
    }
    (token_request,) = api.calls("POST", "/users/getToken")
    assert "Authorization" not in token_request.headers


def test_pay_again_declined_raises_with_payment() -> None:
    api = FakeApi()
    api.reply(
        "POST",
        AGAIN,
        200,
        envelope(payment_json(status="failed", paid_at=0, failed_at=1, fail_reason="한도 초과")),
    )
    with pytest.raises(PaymentDeclined) as info:
        pay(api.client())
    assert info.value.fail_reason == "한도 초과"
    assert info.value.payment.imp_uid == "imp_100000000001"


@pytest.mark.parametrize("status", ["ready", "cancelled", "weird"])
def test_pay_again_non_final_status_is_not_final(status: str) -> None:
    api = FakeApi()
    api.reply("POST", AGAIN, 200, envelope(payment_json(status=status)))
    with pytest.raises(PaymentNotFinal) as info:
        pay(api.client())
    assert isinstance(info.value, InvalidResponse)
    assert info.value.payment.status == status


def test_pay_again_answer_for_another_merchant_uid_is_invalid() -> None:
    api = FakeApi()
    api.reply("POST", AGAIN, 200, envelope(payment_json(merchant_uid="someone-else")))
    with pytest.raises(InvalidResponse, match="someone-else"):
        pay(api.client())


def test_pay_again_code_nonzero_is_rejected_with_code_and_message() -> None:
    api = FakeApi()
    api.reply("POST", AGAIN, 200, envelope(None, code=-1, message="등록되지 않은 구매자입니다."))
    with pytest.raises(RequestRejected) as info:
        pay(api.client())
    assert info.value.code == -1 and info.value.http_status == 200
    assert info.value.api_message == "등록되지 않은 구매자입니다."


@pytest.mark.parametrize(
    ("amount", "name"), [(0, "x"), (-5, "x"), (True, "x"), (99.5, "x"), (1000, "")]
)
def test_pay_again_rejects_bad_arguments_before_sending(amount: object, name: str) -> None:
    api = FakeApi()

    async def go() -> None:
        async with api.client() as client:
            await client.pay_again("cu_1", "m1", amount, name)  # type: ignore[arg-type]

    with pytest.raises(ValueError):
        run(go())
    assert api.requests == []


# ------------------------------------------------------------------------ garbage answers


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"<html>502 Bad Gateway</html>", "not JSON"),
        (b"", "not JSON"),
        ([1, 2, 3], "not an envelope"),
        ({"code": "0", "response": {}}, "integer code"),
        ({"code": True, "response": {}}, "integer code"),
        ({"message": None, "response": {}}, "integer code"),
        (envelope(None), "response is null"),
        (envelope({"imp_uid": "x"}), r"PaymentAnnotation\.merchant_uid"),
        (envelope([payment_json()]), "expected a JSON object"),
    ],
)
def test_garbage_200_is_invalid_response(body: object, match: str) -> None:
    api = FakeApi()
    api.reply("POST", AGAIN, 200, body)
    with pytest.raises(InvalidResponse, match=match):
        pay(api.client())


def test_unexpected_statuses() -> None:
    api = FakeApi()
    api.reply("GET", "/payments/imp_1", 302, b"")
    api.reply("GET", "/payments/imp_2", 400, envelope(None, code=1, message="bad param"))
    api.reply("GET", "/payments/imp_3", 403, b"forbidden")
    api.reply("GET", "/payments/imp_4", 404, envelope(None, code=1, message="없음"))
    api.reply("GET", "/payments/imp_5", 404, b"<html>Not Found</html>")

    async def go() -> list[BaseException]:
        errors: list[BaseException] = []
        async with api.client() as client:
            for uid in ("imp_1", "imp_2", "imp_3", "imp_4", "imp_5"):
                try:
                    await client.get_payment(uid)
                except Exception as exc:
                    errors.append(exc)
        return errors

    e302, e400, e403, e404, bare404 = run(go())
    assert type(e302) is InvalidResponse and e302.http_status == 302
    assert type(e400) is RequestRejected and e400.code == 1 and e400.api_message == "bad param"
    assert type(e403) is RequestRejected and e403.http_status == 403 and e403.code is None
    assert type(e404) is NotFound and e404.code == 1
    # A 404 that is not i'mport's (wrong base URL, proxy page) never passes for "none exists".
    assert type(bare404) is InvalidResponse and "base URL" in str(bare404)


# ---------------------------------------------------------------------- transport failures


@pytest.mark.parametrize("exc_type", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
def test_failures_before_sending_are_request_not_sent(exc_type: type[httpx.TransportError]) -> None:
    api = FakeApi()
    api.raise_("POST", AGAIN, exc_type)
    with pytest.raises(RequestNotSent) as info:
        pay(api.client())
    assert not isinstance(info.value, OutcomeUnknown)
    assert len(api.calls("POST", AGAIN)) == 1  # a charge is never re-sent by the client


@pytest.mark.parametrize(
    "exc_type",
    [
        httpx.ReadTimeout,
        httpx.ReadError,
        httpx.RemoteProtocolError,
        httpx.WriteError,
        httpx.WriteTimeout,
        httpx.ProxyError,
    ],
)
def test_failures_after_sending_are_outcome_unknown(exc_type: type[httpx.TransportError]) -> None:
    api = FakeApi()
    api.raise_("POST", AGAIN, exc_type)
    with pytest.raises(OutcomeUnknown):
        pay(api.client())
    assert len(api.calls("POST", AGAIN)) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_is_outcome_unknown(status: int) -> None:
    api = FakeApi()
    api.reply("POST", AGAIN, status, envelope(None, code=-1, message="internal"))
    with pytest.raises(OutcomeUnknown) as info:
        pay(api.client())
    assert info.value.http_status == status
    assert len(api.calls("POST", AGAIN)) == 1


def test_get_retries_request_not_sent_then_succeeds() -> None:
    api = FakeApi()
    attempts = 0

    def flaky(request: httpx.Request) -> httpx.Response:
        nonlocal attempts
        attempts += 1
        if attempts < 3:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json=envelope(payment_json()))

    api.routes[("GET", "/payments/imp_1")] = flaky

    async def go() -> str:
        async with api.client(get_retries=2) as client:
            return (await client.get_payment("imp_1")).imp_uid

    assert run(go()) == "imp_100000000001"
    assert attempts == 3


def test_get_gives_up_after_retries_and_never_retries_outcome_unknown() -> None:
    api = FakeApi()
    api.raise_("GET", "/payments/imp_1", httpx.ConnectError)
    api.raise_("GET", "/payments/imp_2", httpx.ReadTimeout)

    async def go() -> None:
        async with api.client(get_retries=2) as client:
            with pytest.raises(RequestNotSent):
                await client.get_payment("imp_1")
            with pytest.raises(OutcomeUnknown):
                await client.get_payment("imp_2")

    run(go())
    assert len(api.calls("GET", "/payments/imp_1")) == 3
    assert len(api.calls("GET", "/payments/imp_2")) == 1


def test_token_failure_means_the_charge_was_not_sent() -> None:
    api = FakeApi()
    api.raise_("POST", "/users/getToken", httpx.ReadTimeout)
    api.reply("POST", AGAIN, 200, envelope(payment_json()))
    with pytest.raises(RequestNotSent, match="no access token"):
        pay(api.client())
    assert api.calls("POST", AGAIN) == []


# ------------------------------------------------------------------------------- tokens


def test_concurrent_callers_share_one_get_token() -> None:
    api = FakeApi(token_delay_s=0.05)
    api.reply("GET", "/payments/imp_1", 200, envelope(payment_json()))

    async def go() -> None:
        async with api.client() as client:
            await asyncio.gather(*(client.get_payment("imp_1") for _ in range(50)))

    run(go())
    assert api.tokens_issued == 1
    assert len(api.calls("GET", "/payments/imp_1")) == 50


def test_callers_queued_behind_a_failed_token_fetch_share_its_error() -> None:
    api = FakeApi()

    async def refused_slowly(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.05)  # a connect attempt takes time; the other callers queue up
        raise httpx.ConnectError("refused", request=request)

    api.routes[("POST", "/users/getToken")] = refused_slowly
    api.reply("GET", "/payments/imp_1", 200, envelope(payment_json()))

    async def go() -> list[BaseException]:
        async with api.client(get_retries=0) as client:
            results = await asyncio.gather(
                *(client.get_payment("imp_1") for _ in range(50)), return_exceptions=True
            )
            assert all(isinstance(r, RequestNotSent) for r in results)
            del api.routes[("POST", "/users/getToken")]  # the network is back
            api.__post_init__()
            await client.get_payment("imp_1")  # a later call tries afresh
            return [r for r in results if isinstance(r, BaseException)]

    assert len(run(go())) == 50
    # One failed fetch for all 50, then one more that works.
    assert len(api.calls("POST", "/users/getToken")) == 1 + 1
    assert len(api.calls("GET", "/payments/imp_1")) == 1


def test_token_refreshed_60s_before_expiry_by_local_clock() -> None:
    api = FakeApi()
    api.reply("GET", "/payments/imp_1", 200, envelope(payment_json()))
    now = [1000.0]

    async def go() -> list[int]:
        issued = []
        async with api.client(clock=lambda: now[0]) as client:
            for t in (0, 1000, 1739, 1741, 1800, 3000):
                now[0] = 1000.0 + t
                await client.get_payment("imp_1")
                issued.append(api.tokens_issued)
        return issued

    # 1800 s life, refreshed from 1740 s on; the second token lives until 1741 + 1800.
    assert run(go()) == [1, 1, 1, 2, 2, 2]


def test_short_lived_token_is_used_but_not_refetched_every_call() -> None:
    api = FakeApi(token_life_s=30)  # less than the 60 s margin
    api.reply("GET", "/payments/imp_1", 200, envelope(payment_json()))
    now = [0.0]

    async def go() -> int:
        async with api.client(clock=lambda: now[0]) as client:
            for _ in range(20):
                await client.get_payment("imp_1")
        return api.tokens_issued

    assert run(go()) == 1


def test_401_refreshes_once_and_retries_the_same_request() -> None:
    api = FakeApi()
    api.reply("POST", AGAIN, 200, envelope(payment_json()))

    async def go() -> None:
        async with api.client() as client:
            await client.get_token()
            api.valid_tokens.clear()  # i'mport forgot the token (expired on its clock)
            await client.pay_again("cu_1", "kp-2024-11-cu_1-1", 9900, "월 구독")

    run(go())
    assert api.tokens_issued == 2
    sent = api.calls("POST", AGAIN)
    assert len(sent) == 2 and sent[0].content == sent[1].content
    assert sent[1].headers["Authorization"] == "Bearer tok_0002_abcdefghijklmnop"


def test_second_401_is_authentication_failed() -> None:
    api = FakeApi()
    api.reply("POST", AGAIN, 401, {"code": -1, "message": "Unauthorized", "response": None})
    with pytest.raises(AuthenticationFailed, match="freshly issued"):
        pay(api.client())
    assert len(api.calls("POST", AGAIN)) == 2
    assert api.tokens_issued == 2


def test_many_401s_with_the_same_stale_token_cause_one_refresh() -> None:
    api = FakeApi(token_delay_s=0.02)
    api.reply("GET", "/payments/imp_1", 200, envelope(payment_json()))

    async def go() -> None:
        async with api.client() as client:
            await client.get_token()
            api.valid_tokens.clear()
            await asyncio.gather(*(client.get_payment("imp_1") for _ in range(50)))

    run(go())
    assert api.tokens_issued == 2


def test_bad_credentials_are_authentication_failed() -> None:
    api = FakeApi()

    async def go() -> None:
        client = IamportClient(
            "https://api.iamport.test", "test-imp-key", "wrong", transport=httpx.MockTransport(api)
        )
        async with client:
            await client.pay_again("cu_1", "m1", 9900, "월 구독")

    with pytest.raises(AuthenticationFailed, match="401"):
        run(go())
    assert api.calls("POST", AGAIN) == []


def test_get_token_nonzero_code_is_authentication_failed() -> None:
    api = FakeApi()
    api.reply("POST", "/users/getToken", 200, envelope(None, code=-1, message="no such key"))

    async def go() -> None:
        async with api.client() as client:
            await client.get_token()

    with pytest.raises(AuthenticationFailed, match="no such key"):
        run(go())


# ----------------------------------------------------------------- lookups and request shapes


def test_get_customer_not_found_in_both_shapes() -> None:
    api = FakeApi()
    api.reply("GET", "/subscribe/customers/gone", 404, envelope(None, code=1, message="없음"))
    api.reply("GET", "/subscribe/customers/gone2", 200, envelope(None, code=-1, message="없음"))
    api.reply("GET", "/subscribe/customers/cu_1", 200, envelope(customer_json()))

    async def go() -> None:
        async with api.client() as client:
            assert (await client.get_customer("cu_1")).card_name == "신한카드"
            with pytest.raises(NotFound) as a:
                await client.get_customer("gone")
            with pytest.raises(NotFound) as b:
                await client.get_customer("gone2")
            assert a.value.http_status == 404 and b.value.http_status == 200
            assert b.value.code == -1

    run(go())


def test_delete_customer_sends_reason_and_refusal_is_rejected() -> None:
    api = FakeApi()
    api.reply("DELETE", "/subscribe/customers/cu_1", 200, envelope(customer_json()))
    api.reply("DELETE", "/subscribe/customers/cu_2", 200, envelope(None, code=1, message="no"))

    async def go() -> None:
        async with api.client() as client:
            await client.delete_customer("cu_1", reason="해지 요청")
            with pytest.raises(RequestRejected):
                await client.delete_customer("cu_2")

    run(go())
    first, second = (
        api.calls("DELETE", "/subscribe/customers/cu_1"),
        api.calls("DELETE", "/subscribe/customers/cu_2"),
    )
    assert parse_qs(urlsplit(str(first[0].url)).query) == {"reason": ["해지 요청"]}
    assert second[0].url.query == b""


def test_get_customers_chunks_dedupes_and_reports_missing() -> None:
    api = FakeApi()
    known = {f"cu_{i}" for i in range(0, 130, 2)}  # even ones exist

    def multi(request: httpx.Request) -> httpx.Response:
        asked = request.url.params.get_list("customer_uid[]")
        assert len(asked) <= 50
        found = [customer_json(customer_uid=uid) for uid in asked if uid in known]
        if not found:
            return httpx.Response(404, json=envelope(None, code=1, message="none"))
        status = 200 if len(found) == len(asked) else 207
        return httpx.Response(status, json=envelope(found))

    api.routes[("GET", "/subscribe/customers")] = multi
    uids = [f"cu_{i}" for i in range(130)] + ["cu_3", "cu_4"]  # duplicates

    async def go() -> object:
        async with api.client() as client:
            return await client.get_customers(uids)

    result = run(go())
    assert [c.customer_uid for c in result.found] == [f"cu_{i}" for i in range(0, 130, 2)]  # type: ignore[attr-defined]
    assert list(result.missing) == [f"cu_{i}" for i in range(1, 130, 2)]  # type: ignore[attr-defined]
    assert len(api.calls("GET", "/subscribe/customers")) == 3


def test_bare_404_on_lookups_is_not_none_found() -> None:
    api = FakeApi()
    api.reply("GET", "/subscribe/customers", 404, b"")
    api.reply("GET", "/payments/findAll/m1", 404, b"Not Found")

    async def go() -> None:
        async with api.client() as client:
            with pytest.raises(InvalidResponse):
                await client.get_customers(["cu_1", "cu_2"])
            with pytest.raises(InvalidResponse):
                await client.all_payments("m1")

    run(go())


def test_one_failing_chunk_fails_the_multi_get_and_stops_the_rest() -> None:
    api = FakeApi()
    started: list[str] = []

    async def multi(request: httpx.Request) -> httpx.Response:
        first = request.url.params.get_list("customer_uid[]")[0]
        started.append(first)
        if first == "cu_0":
            raise httpx.ReadTimeout("slow", request=request)
        await asyncio.sleep(0.5)
        return httpx.Response(200, json=envelope([]))

    api.routes[("GET", "/subscribe/customers")] = multi

    async def go() -> None:
        async with api.client() as client:
            with pytest.raises(OutcomeUnknown):
                await client.get_customers([f"cu_{i}" for i in range(400)])
            await asyncio.sleep(0.7)  # orphaned chunks would start here as slots free up

    run(go())
    # 8 chunks of 50; the gate lets 4 run (one more slips in as the failing one frees its slot):
    # the rest were cancelled instead of being left running unowned.
    assert len(started) <= 5


def test_path_segments_are_percent_encoded() -> None:
    api = FakeApi()
    seen: list[str] = []

    def find(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path.decode())
        return httpx.Response(200, json=envelope(payment_json(merchant_uid="a/b?c#d 월")))

    api.routes[("GET", "/payments/find/a/b?c#d 월/paid")] = find

    async def go() -> None:
        async with api.client() as client:
            await client.find_payment("a/b?c#d 월", status="paid", sorting="-paid")

    run(go())
    assert seen == ["/payments/find/a%2Fb%3Fc%23d%20%EC%9B%94/paid?sorting=-paid"]


def test_all_payments_walks_pages_and_unknown_is_empty() -> None:
    api = FakeApi()

    def find_all(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        assert request.url.params["limit"] == "2"
        items = {1: ["a", "b"], 2: ["c", "d"], 3: ["e"]}[page]
        return httpx.Response(
            200,
            json=envelope(
                {
                    "total": 5,
                    "previous": page - 1,
                    "next": page + 1 if page < 3 else 0,
                    "list": [payment_json(imp_uid=i, status="failed") for i in items],
                }
            ),
        )

    api.routes[("GET", "/payments/findAll/m1")] = find_all
    api.reply("GET", "/payments/findAll/nothing", 404, envelope(None, code=1, message="없음"))

    async def go() -> tuple[list[str], list[object]]:
        async with api.client() as client:
            found = [p.imp_uid for p in await client.all_payments("m1", limit=2)]
            return found, await client.all_payments("nothing")  # type: ignore[return-value]

    found, nothing = run(go())
    assert found == ["a", "b", "c", "d", "e"] and nothing == []


def test_payments_by_status_params_and_validation() -> None:
    from datetime import UTC, datetime

    api = FakeApi()
    page = {"total": 0, "previous": 0, "next": 0, "list": []}
    api.reply("GET", "/payments/status/paid", 200, envelope(page))

    async def go() -> None:
        async with api.client() as client:
            await client.payments_by_status(
                "paid", page=2, limit=100, from_=datetime(2024, 11, 1, tzinfo=UTC), to=1732700000
            )
            with pytest.raises(ValueError):
                await client.payments_by_status("bogus")
            with pytest.raises(ValueError):
                await client.payments_by_status("paid", from_=datetime(2024, 11, 1))

    run(go())
    (request,) = api.calls("GET", "/payments/status/paid")
    assert dict(request.url.params) == {
        "page": "2",
        "limit": "100",
        "from": "1730419200",
        "to": "1732700000",
    }


def test_cancel_payment_body() -> None:
    api = FakeApi()
    api.reply("POST", "/payments/cancel", 200, envelope(payment_json(cancel_amount=1000)))

    async def go() -> None:
        async with api.client() as client:
            p = await client.cancel_payment(imp_uid="imp_1", amount=1000, checksum=9900, reason="r")
            assert p.cancel_amount == 1000
            await client.cancel_payment(merchant_uid="m1", reason="전액")
            with pytest.raises(ValueError):
                await client.cancel_payment(reason="no id")

    run(go())
    first, second = (json.loads(r.content) for r in api.calls("POST", "/payments/cancel"))
    assert first == {"imp_uid": "imp_1", "amount": 1000, "checksum": 9900, "reason": "r"}
    assert second == {"merchant_uid": "m1", "reason": "전액"}


def test_get_payment_include_sandbox_param() -> None:
    api = FakeApi()
    api.reply("GET", "/payments/imp_1", 200, envelope(payment_json()))

    async def go() -> None:
        async with api.client() as client:
            await client.get_payment("imp_1")
            await client.get_payment("imp_1", include_sandbox=False)

    run(go())
    assert [r.url.params["include_sandbox"] for r in api.calls("GET", "/payments/imp_1")] == [
        "true",
        "false",
    ]


# -------------------------------------------------------------------------------- logging


def test_logs_have_method_path_status_and_no_secret_or_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    api = FakeApi()
    api.reply("POST", AGAIN, 200, envelope(payment_json()))
    api.raise_("GET", "/payments/imp_9", httpx.ReadTimeout)
    caplog.set_level(logging.DEBUG, logger="kpadmin.iamport")

    async def go() -> None:
        async with api.client() as client:
            await client.pay_again("cu_1", "kp-2024-11-cu_1-1", 9900, "월 구독")
            with pytest.raises(OutcomeUnknown):
                await client.get_payment("imp_9")
            token = await client.get_token()
            logging.getLogger("kpadmin.iamport").info("oops %s %s", token, SECRET)

    run(go())
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "POST /subscribe/payments/again -> 200 code=0" in text
    assert "POST /users/getToken -> 200" in text
    assert "GET /payments/imp_9 -> outcome unknown" in text
    assert "tok_0001" not in text and SECRET not in text
    assert "oops [REDACTED] [REDACTED]" in text
