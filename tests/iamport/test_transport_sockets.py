"""Transport classification over real sockets, with a tiny misbehaving HTTP server.

The sandbox's faults cover the documented cases; these go one level lower: a connection closed
right after the request was read, a TCP reset, headers cut in half, an answer that never comes, and
a connect that cannot complete. Each server answers getToken properly so the fault lands on the
call under test.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
from collections.abc import Awaitable, Callable

import pytest

from kpadmin.iamport.client import IamportClient, Timeouts
from kpadmin.iamport.errors import InvalidResponse, OutcomeUnknown, RequestNotSent
from tests.iamport.helpers import run, token_json

Behaviour = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def _answer(status: int, body: bytes, content_type: str = "application/json") -> bytes:
    head = (
        f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _read_request(reader: asyncio.StreamReader) -> str:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return lines[0].split(" ")[1]


async def _serve(misbehave: Behaviour, hits: list[str]) -> tuple[asyncio.Server, str]:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                path = await _read_request(reader)
                hits.append(path)
                if path == "/users/getToken":
                    writer.write(_answer(200, json.dumps(token_json("t" * 40)).encode()))
                    await writer.drain()
                    continue
                await misbehave(reader, writer)
                return
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


async def _close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.close()


async def _reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _half_headers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: appli")
    await writer.drain()


async def _short_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{"code": 0, "resp')
    await writer.drain()


async def _silence(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    # Never answer; return as soon as the client gives up and closes (read() -> b"").
    await asyncio.wait_for(reader.read(), 5)


async def _html_200(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(_answer(200, b"<html>maintenance</html>", "text/html"))
    await writer.drain()


@pytest.mark.parametrize(
    "misbehave", [_close, _reset, _half_headers, _short_body, _silence], ids=lambda f: f.__name__
)
def test_failures_after_the_request_was_written_are_outcome_unknown(misbehave: Behaviour) -> None:
    hits: list[str] = []

    async def go() -> None:
        server, base_url = await _serve(misbehave, hits)
        async with server:
            client = IamportClient(base_url, "k", "secret-xyz", timeouts=Timeouts(read=1.0))
            async with client:
                with pytest.raises(OutcomeUnknown):
                    await client.pay_again("cu_1", "m-1", 9900, "월 구독")

    run(go())
    assert hits == ["/users/getToken", "/subscribe/payments/again"]  # sent once, never re-sent


def test_html_on_200_is_invalid_response() -> None:
    hits: list[str] = []

    async def go() -> None:
        server, base_url = await _serve(_html_200, hits)
        async with server, IamportClient(base_url, "k", "secret-xyz") as client:
            with pytest.raises(InvalidResponse, match="not JSON"):
                await client.pay_again("cu_1", "m-1", 9900, "월 구독")

    run(go())


def test_connect_timeout_is_request_not_sent() -> None:
    """A listener whose accept queue is full drops new SYNs: the connect cannot complete."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):  # fill the accept queue (never accepted)
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)

    async def go() -> None:
        client = IamportClient(
            f"http://127.0.0.1:{port}",
            "k",
            "secret-xyz",
            timeouts=Timeouts(connect=0.2),
            get_retries=0,
        )
        async with client:
            with pytest.raises(RequestNotSent) as info:
                await client.get_token()
            # Linux drops the SYN (ConnectTimeout); other kernels may refuse it (ConnectError).
            assert "ConnectTimeout" in str(info.value) or "ConnectError" in str(info.value)
            with pytest.raises(RequestNotSent):
                await client.pay_again("cu_1", "m-1", 9900, "월 구독")

    try:
        run(go())
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
