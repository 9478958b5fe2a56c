"""The client against a hostile server on 127.0.0.1 (`tests.fixtures.hostile`): answers of
300 MB, compression bombs, JSON nested too deep, and messages that echo the REST secret, the
access token, a card number and a phone number.

What must hold: an answer is never read past the client's cap (the server sees the connection
closed long before it could write 300 MB); over the cap a lookup is `InvalidResponse` and a call
that may have moved money is `OutcomeUnknown`; no text the client hands on — an exception's
message, ``api_message``, ``body``, a payment's ``fail_reason`` — holds the secret, the token, a
card or a phone number. No timings are asserted.
"""

from __future__ import annotations

import gzip
import json
import secrets
import time
import zlib
from collections.abc import Iterator
from typing import Any

import pytest

from kpadmin.iamport.client import MAX_ANSWER_BYTES, IamportClient
from kpadmin.iamport.errors import (
    IamportError,
    InvalidResponse,
    OutcomeUnknown,
    PaymentDeclined,
    RequestNotSent,
    RequestRejected,
)
from tests.fixtures.hostile import Answer, HostileServer, hostile, payment_json
from tests.iamport.helpers import run

__all__ = ["hostile"]

HUGE = 300_000_000
AGAIN = "/subscribe/payments/again"
CARD_GROUPED = "4111-1111-1111-1111"
CARD_PLAIN = "4111111111111111"  # Luhn-valid
PHONE = "010-1234-5678"


@pytest.fixture
def server(hostile: HostileServer) -> HostileServer:
    hostile.imp_secret = "hostile-secret-" + secrets.token_hex(8)  # fresh: never registered before
    return hostile


def client(server: HostileServer, **kw: Any) -> IamportClient:
    kw.setdefault("retry_backoff_s", 0.01)
    return IamportClient(server.base_url, server.imp_key, server.imp_secret, **kw)


def wait_cut_off(answer: Answer) -> None:
    """The server thread notices the closed connection on its next write (bounded wait)."""
    deadline = time.monotonic() + 20
    while not answer.cut_off and time.monotonic() < deadline:
        time.sleep(0.01)


def scripted(server: HostileServer, method: str, path: str) -> Answer:
    [answer] = [
        a
        for r, a in zip(server.requests, server.answers, strict=False)
        if r.method == method and r.path.startswith(path)
    ]
    return answer


# --- size --------------------------------------------------------------------------------------


@pytest.mark.parametrize("declare", [False, True], ids=["chunked", "content-length"])
def test_a_300_mb_charge_answer_is_outcome_unknown_and_not_read(
    server: HostileServer, declare: bool
) -> None:
    server.on("POST", AGAIN, lambda req: Answer.huge(HUGE, declare=declare))

    async def go() -> None:
        async with client(server) as api:
            await api.pay_again("cu_1", "kp-1", 1000, "plan")

    with pytest.raises(OutcomeUnknown, match=r"answer refused: it .* bytes") as info:
        run(go())
    assert "look it up" in str(info.value)
    answer = scripted(server, "POST", AGAIN)
    wait_cut_off(answer)
    # The client closed the connection at the cap: the server could not write the 300 MB
    # (what it did write sits in socket buffers, a few MB at most).
    assert answer.cut_off and answer.sent < 100_000_000


def test_a_300_mb_lookup_answer_is_invalid_response(server: HostileServer) -> None:
    server.on("GET", "/payments/findAll/", lambda req: Answer.huge(HUGE))

    async def go() -> None:
        async with client(server) as api:
            await api.find_all_payments("kp-1")

    with pytest.raises(InvalidResponse, match=f"larger than {MAX_ANSWER_BYTES:,} bytes"):
        run(go())
    answer = scripted(server, "GET", "/payments/findAll/")
    wait_cut_off(answer)
    assert answer.cut_off and answer.sent < 100_000_000


@pytest.mark.parametrize(
    ("method", "path", "call"),
    [
        ("POST", "/payments/cancel", lambda api: api.cancel_payment(imp_uid="imp_1", reason="r")),
        ("DELETE", "/subscribe/customers/", lambda api: api.delete_customer("cu_1")),
        ("GET", "/subscribe/customers/", lambda api: api.get_customer("cu_1")),
        ("GET", "/payments/imp_1", lambda api: api.get_payment("imp_1")),
    ],
    ids=["cancel", "delete-key", "get-customer", "get-payment"],
)
def test_over_the_cap_is_unknown_for_money_calls_and_an_error_for_lookups(
    server: HostileServer, method: str, path: str, call: Any
) -> None:
    server.on(method, path, lambda req: Answer.huge(5_000))

    async def go() -> None:
        async with client(server, max_answer_bytes=4_096) as api:
            await call(api)

    expected = InvalidResponse if method == "GET" else OutcomeUnknown
    with pytest.raises(IamportError) as info:
        run(go())
    assert type(info.value) is expected, info.value
    assert "larger than 4,096 bytes" in str(info.value)


def test_an_answer_at_the_cap_is_read(server: HostileServer) -> None:
    body = json.dumps({"code": 0, "message": None, "response": payment_json("kp-1", 1000, "cu")})
    padded = body[:-1] + ', "pad": "' + "x" * (4_096 - len(body) - 11) + '"}'
    assert len(padded) == 4_096
    server.on("GET", "/payments/imp_1", lambda req: Answer(body=padded.encode()))

    async def go() -> int:
        async with client(server, max_answer_bytes=4_096) as api:
            return (await api.get_payment("imp_1")).amount

    assert run(go()) == 1000


def test_a_huge_token_answer_means_the_charge_never_left(server: HostileServer) -> None:
    server.on("POST", "/users/getToken", lambda req: Answer.huge(HUGE))

    async def go() -> None:
        async with client(server, get_retries=0) as api:
            await api.pay_again("cu_1", "kp-1", 1000, "plan")

    with pytest.raises(RequestNotSent, match="no access token"):
        run(go())
    assert server.hits("POST", AGAIN) == []


def _bomb(size: int) -> Iterator[bytes]:
    """gzip of ``size`` zero bytes, produced in pieces (about 1,000:1)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    for _ in range(size >> 20):
        out = packer.compress(block)
        if out:
            yield out
    yield packer.flush()


def test_a_compression_bomb_is_not_inflated_past_the_cap(server: HostileServer) -> None:
    """The client asks for identity; a server that gzips 300 MB of zeros anyway is inflated in
    bounded steps and refused at the cap."""
    server.on(
        "GET",
        "/payments/findAll/",
        lambda req: Answer(body=_bomb(HUGE), headers={"Content-Encoding": "gzip"}),
    )

    async def go() -> None:
        async with client(server) as api:
            await api.find_all_payments("kp-1")

    with pytest.raises(InvalidResponse, match="larger than"):
        run(go())
    assert server.requests[-1].path.startswith("/payments/findAll/")


def test_identity_is_asked_but_a_small_gzip_answer_still_reads(server: HostileServer) -> None:
    page = {"total": 1, "previous": 0, "next": 0, "list": [payment_json("kp-1", 1000, "cu")]}
    body = gzip.compress(json.dumps({"code": 0, "message": None, "response": page}).encode())
    server.on(
        "GET",
        "/payments/findAll/",
        lambda req: Answer(body=body, headers={"Content-Encoding": "gzip"}),
    )

    async def go() -> int:
        async with client(server) as api:
            return len((await api.find_all_payments("kp-1")).list)

    assert run(go()) == 1
    assert {r.headers.get("Accept-Encoding") for r in server.requests} == {"identity"}


def test_an_encoding_that_was_not_asked_for_is_refused(server: HostileServer) -> None:
    server.on(
        "POST", AGAIN, lambda req: Answer(body=b"\x00" * 10, headers={"Content-Encoding": "br"})
    )

    async def go() -> None:
        async with client(server) as api:
            await api.pay_again("cu_1", "kp-1", 1000, "plan")

    with pytest.raises(OutcomeUnknown, match="encoded as 'br'"):
        run(go())


def test_json_nested_too_deep_is_unreadable_not_a_recursion_error(server: HostileServer) -> None:
    deep = b"[" * 200_000 + b"]" * 200_000
    server.on("GET", "/payments/imp_1", lambda req: Answer(body=deep))

    async def go() -> None:
        async with client(server) as api:
            await api.get_payment("imp_1")

    with pytest.raises(InvalidResponse, match="not JSON"):
        run(go())


# --- echoed secrets ----------------------------------------------------------------------------


def _echo(server: HostileServer) -> str:
    return (
        f"PG says: secret={server.imp_secret} token={server.token} card {CARD_GROUPED} / "
        f"{CARD_PLAIN} tel {PHONE}"
    )


def _leaks(server: HostileServer, text: str) -> list[str]:
    return [
        s
        for s in (server.imp_secret, server.token, CARD_GROUPED, CARD_PLAIN, PHONE, "1234-5678")
        if s in text
    ]


def _texts(exc: BaseException) -> str:
    parts = [str(exc), repr(exc.args)]
    for name in ("api_message", "body", "fail_reason"):
        parts.append(repr(getattr(exc, name, None)))
    payment = getattr(exc, "payment", None)
    if payment is not None:
        parts += [str(payment.fail_reason), repr(payment)]
    return "\n".join(parts)


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(lambda s, r: Answer.envelope(None, -1, _echo(s)), id="rejected"),
        pytest.param(lambda s, r: Answer.envelope(None, -1, _echo(s), status=500), id="5xx"),
        pytest.param(lambda s, r: Answer.envelope(None, -1, _echo(s), status=400), id="4xx"),
        pytest.param(lambda s, r: Answer(body=_echo(s).encode()), id="not-json"),
        pytest.param(
            lambda s, r: Answer.envelope(
                payment_json(
                    r.body["merchant_uid"], 1000, "cu_1", status="failed", fail_reason=_echo(s)
                )
            ),
            id="declined",
        ),
        pytest.param(
            lambda s, r: Answer.envelope(
                payment_json(
                    r.body["merchant_uid"],
                    1000,
                    "cu_1",
                    status="ready",
                    fail_reason=_echo(s),
                    card_number=CARD_PLAIN,
                )
            ),
            id="not-final",
        ),
    ],
)
def test_errors_carry_no_secret_token_card_or_phone(server: HostileServer, answer: Any) -> None:
    server.on("POST", AGAIN, lambda req: answer(server, req))

    async def go() -> None:
        async with client(server) as api:
            await api.pay_again("cu_1", "kp-echo", 1000, "plan")

    with pytest.raises(IamportError) as info:
        run(go())
    text = _texts(info.value)
    assert _leaks(server, text) == [], text
    assert "[REDACTED]" in text or "****" in text


def test_a_declined_payment_keeps_the_reason_redacted(server: HostileServer) -> None:
    server.on(
        "POST",
        AGAIN,
        lambda req: Answer.envelope(
            payment_json(
                req.body["merchant_uid"], 1000, "cu_1", status="failed", fail_reason=_echo(server)
            )
        ),
    )

    async def go() -> None:
        async with client(server) as api:
            await api.pay_again("cu_1", "kp-echo", 1000, "plan")

    with pytest.raises(PaymentDeclined) as info:
        run(go())
    reason = info.value.fail_reason
    assert reason.startswith("PG says: secret=[REDACTED] token=[REDACTED] card 4111-****-****-1111")
    assert "010-****-5678" in reason and info.value.payment.fail_reason == reason


def test_lookups_redact_reasons_and_unmasked_card_numbers(server: HostileServer) -> None:
    page = {
        "total": 1,
        "previous": 0,
        "next": 0,
        "list": [
            payment_json(
                "kp-1",
                1000,
                "cu_1",
                status="cancelled",
                cancel_reason=_echo(server),
                card_number=CARD_PLAIN,
                cancel_history=[{"amount": 1000, "reason": _echo(server)}],
            )
        ],
    }
    server.on("GET", "/payments/findAll/", lambda req: Answer.envelope(page))
    server.on(
        "GET",
        "/subscribe/customers/",
        lambda req: Answer.envelope({"customer_uid": "cu_1", "card_number": CARD_GROUPED}),
    )

    async def go() -> tuple[Any, Any]:
        async with client(server) as api:
            return await api.find_all_payments("kp-1"), await api.get_customer("cu_1")

    found, customer = run(go())
    payment = found.list[0]
    texts = [payment.cancel_reason, payment.card_number, payment.cancel_history[0].reason]
    assert _leaks(server, "\n".join(map(str, [*texts, customer.card_number]))) == []
    assert (
        payment.card_number == "4111********1111" and customer.card_number == "4111-****-****-1111"
    )


def test_rejected_message_is_redacted_in_api_message(server: HostileServer) -> None:
    server.on("POST", AGAIN, lambda req: Answer.envelope(None, -1, _echo(server)))

    async def go() -> None:
        async with client(server) as api:
            await api.pay_again("cu_1", "kp-echo", 1000, "plan")

    with pytest.raises(RequestRejected) as info:
        run(go())
    assert info.value.api_message is not None
    assert "[REDACTED]" in info.value.api_message and _leaks(server, info.value.api_message) == []


def test_the_hostile_inputs_bench_reports_its_figures() -> None:
    """bench/hostile_inputs.py still runs (small answers; its figures are not asserted)."""
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "bench/hostile_inputs.py", "--answer-mb", "30"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["answer"]["refused"] == 2
    assert set(figures["csv_header"]) == {
        "columns_100k_refuse_s",
        "at_limit_all_repeated_s",
        "max_columns",
    }
