"""A scriptable stand-in for i'mport behind ``httpx.MockTransport`` (unit tests only).

Routes are matched on (method, path); a route returns an ``httpx.Response`` or raises an httpx
transport exception, so tests can script every classification case. Real-HTTP behaviour is tested
against the sandbox in ``test_client_sandbox.py``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from kpadmin.iamport.client import IamportClient, Timeouts
from tests.iamport.helpers import token_json

Handler = Callable[[httpx.Request], Awaitable[httpx.Response] | httpx.Response]

KEY = "test-imp-key"
SECRET = "test-imp-secret-0123456789"


@dataclass
class FakeApi:
    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    token_delay_s: float = 0.0
    tokens_issued: int = 0
    valid_tokens: set[str] = field(default_factory=set)
    token_life_s: int = 1800

    def __post_init__(self) -> None:
        self.routes.setdefault(("POST", "/users/getToken"), self._get_token)

    async def _get_token(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body != {"imp_key": KEY, "imp_secret": SECRET}:
            return httpx.Response(
                401, json={"code": -1, "message": "Unauthorized", "response": None}
            )
        if self.token_delay_s:
            await asyncio.sleep(self.token_delay_s)
        self.tokens_issued += 1
        token = f"tok_{self.tokens_issued:04d}_abcdefghijklmnop"
        self.valid_tokens.add(token)
        return httpx.Response(200, json=token_json(token, life=self.token_life_s))

    def route(self, method: str, path: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.routes[(method, path)] = handler
            return handler

        return register

    def reply(self, method: str, path: str, status: int, body: Any) -> None:
        """A fixed answer (``body`` JSON-encoded unless it is bytes)."""

        def handler(request: httpx.Request) -> httpx.Response:
            if isinstance(body, bytes):
                return httpx.Response(status, content=body)
            return httpx.Response(status, json=body)

        self.routes[(method, path)] = handler

    def raise_(self, method: str, path: str, exc_type: type[httpx.TransportError]) -> None:
        def handler(request: httpx.Request) -> httpx.Response:
            raise exc_type("scripted failure", request=request)

        self.routes[(method, path)] = handler

    def calls(self, method: str, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == method and r.url.path == path]

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        handler = self.routes.get((request.method, request.url.path))
        if handler is None:
            return httpx.Response(404, json={"code": 1, "message": "no route", "response": None})
        if request.url.path != "/users/getToken":
            auth = request.headers.get("Authorization", "")
            if not auth.startswith("Bearer ") or auth[7:] not in self.valid_tokens:
                return httpx.Response(401, json={"code": -1, "message": "Unauthorized"})
        result = handler(request)
        if not isinstance(result, httpx.Response):
            result = await result
        return result

    def client(self, **kwargs: Any) -> IamportClient:
        kwargs.setdefault("retry_backoff_s", 0.0)
        kwargs.setdefault("timeouts", Timeouts())
        return IamportClient(
            "https://api.iamport.test", KEY, SECRET, transport=httpx.MockTransport(self), **kwargs
        )
