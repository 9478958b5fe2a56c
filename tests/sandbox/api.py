"""A thin test client for the sandbox: raw httpx, and every answer checked against the spec."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx

from tests.fixtures.sandbox import RunningSandbox
from tests.sandbox.spec import assert_matches_spec

GOOD_CARD = {"card_number": "4111-1111-1111-1111", "expiry": "2099-12", "birth": "900101"}


class Api:
    """``api.call("get", "/payments/find/m1", "/payments/find/{merchant_uid}")`` → httpx.Response.

    The third argument is the spec's path template; when given, the body is validated.
    """

    def __init__(self, box: RunningSandbox, *, token: str | None = None) -> None:
        self.box = box
        self.http = httpx.Client(base_url=box.base_url, timeout=10)
        self.token = token if token is not None else box.token()

    def close(self) -> None:
        self.http.close()

    def call(
        self,
        method: str,
        path: str,
        template: str | None = None,
        *,
        auth: bool = True,
        **kwargs: Any,
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if auth:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        answer = self.http.request(method.upper(), path, headers=headers, **kwargs)
        if template is not None:
            assert_matches_spec(
                template,
                method,
                answer.status_code,
                answer.json(),
                style=self.box.config.answer_style,
            )
        return answer

    # The calls most tests need, spec-checked.
    def issue_key(self, customer_uid: str, **fields: Any) -> httpx.Response:
        body = {**GOOD_CARD, **fields}
        return self.call(
            "post",
            f"/subscribe/customers/{customer_uid}",
            "/subscribe/customers/{customer_uid}",
            json=body,
        )

    def again(
        self, customer_uid: str, merchant_uid: str, amount: Any = 9900, name: Any = "월 구독"
    ) -> httpx.Response:
        body = {"customer_uid": customer_uid, "merchant_uid": merchant_uid}
        if amount is not None:
            body["amount"] = amount
        if name is not None:
            body["name"] = name
        path = "/subscribe/payments/again"
        return self.call("post", path, path, json=body)

    def find_all(self, merchant_uid: str, **params: Any) -> httpx.Response:
        return self.call(
            "get",
            f"/payments/findAll/{merchant_uid}",
            "/payments/findAll/{merchant_uid}",
            params=params,
        )

    def cancel(self, **body: Any) -> httpx.Response:
        return self.call("post", "/payments/cancel", "/payments/cancel", json=body)


class Clock:
    """A clock tests move by hand (aware UTC)."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)
