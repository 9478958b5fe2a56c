"""The async i'mport (PortOne V1) REST client.

One ``IamportClient`` per app (per event loop), used as an async context manager; it owns one
``httpx.AsyncClient`` (HTTP/1.1, a pool sized for ``MAX_CONCURRENT_CHARGES`` charges in flight).

How an answer is read (REFERENCE.md §2):

* success is HTTP 200 **and** envelope ``code == 0``; for a charge also ``response.status``:
  ``paid`` -> ``Payment``; ``failed`` -> ``PaymentDeclined(payment)``; anything else (``ready``,
  ``cancelled``) -> ``PaymentNotFinal`` (an ``InvalidResponse``: look the ``merchant_uid`` up);
* HTTP 200 + ``code != 0`` -> ``RequestRejected`` — except for the GET-by-id lookups
  (``get_customer``, ``get_payment``, ``find_payment``), where it becomes ``NotFound``: REFERENCE.md
  §2 says an unknown ``customer_uid`` may come back as 200 + non-zero code instead of a 404. The
  ``NotFound`` keeps ``http_status``/``code`` so a caller can still tell the two shapes apart;
* 404 with i'mport's envelope -> ``NotFound``; a bare 404 (no envelope: a wrong base URL or a
  proxy's page) -> ``InvalidResponse``, so it can never pass for "no such payment";
* other 4xx -> ``RequestRejected`` (envelope parsed when the body is JSON);
* 401 -> one token refresh and one retry of the same request (safe even for a charge: a 401 means
  i'mport refused it before processing); a second 401 -> ``AuthenticationFailed``;
* 5xx -> ``OutcomeUnknown``: a 500 before processing looks exactly like a 500 after it;
* an unparseable body, a wrong envelope or a payload missing required fields -> ``InvalidResponse``.

Transport failures are classified by *when* they happened, never collapsed:

* ``RequestNotSent``: connect error, connect timeout, pool timeout (no connection was ever handed
  to the request), or no access token could be obtained for the call;
* ``OutcomeUnknown``: read timeout, read error, the server closing the connection mid-answer
  (``RemoteProtocolError``), write errors/timeouts (part of the request may have left), and any
  other transport failure — when in doubt, the money-safe answer is "unknown".

Retries: a charge or cancel (``POST``) or ``DELETE`` is never re-sent by the client on a transport
error — the billing engine decides after a lookup. ``GET`` lookups and getToken are re-sent on
``RequestNotSent`` only, up to ``get_retries`` times (default 2) with a short back-off: the request
never left, and they move no money. ``OutcomeUnknown`` is never retried here.

Answer size: an answer is read as a stream and never beyond ``max_answer_bytes`` (10 MB by
default; the largest real answer, a page of 1,000 payments, is a few MB). A larger one — declared
by ``Content-Length`` or found while reading — is dropped at the cap and the connection closed:
for a lookup or getToken that is ``InvalidResponse``; for a call that may have moved money or
changed a key (``again``, ``cancel``, ``DELETE`` a key) it is ``OutcomeUnknown`` (look it up).
The client asks for ``Accept-Encoding: identity``; a server that compresses anyway (gzip,
deflate) is inflated in bounded steps against the same cap, any other encoding is refused the same
way. A body nested too deeply for the JSON parser is unreadable (``InvalidResponse``), never a
``RecursionError``.

Redaction: the envelope's ``message`` is redacted as it is read, every error redacts its own
message (``errors.py``) and the models redact the server's free text (``models.py``): no caller
can print, store or show a secret or a card number a server echoed.

Cancellation: a call cancelled by its caller (``asyncio.CancelledError``) after the request may
have left is, for money, an unknown outcome as well; the client just lets the cancellation through.

``transport=`` replaces httpx's own transport (tests); a custom transport brings its own pool, so
the pool limits above apply only when it is None.

Logging goes to ``kpadmin.iamport``: method, path (never the query), HTTP status, envelope code and
duration. The secret and every token are registered with ``kpadmin.redact`` and the logger carries
a ``SecretRedactingFilter``, so even an accidental ``log.info("%r", ...)`` cannot leak them.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
import logging
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Final
from urllib.parse import quote

import httpx

from kpadmin import __version__
from kpadmin.iamport.errors import (
    ApiError,
    AuthenticationFailed,
    InvalidResponse,
    NotFound,
    OutcomeUnknown,
    PaymentDeclined,
    PaymentNotFinal,
    RequestNotSent,
    RequestRejected,
    TransportError,
)
from kpadmin.iamport.models import (
    FAILED,
    PAID,
    PAYMENT_STATUSES,
    AccessToken,
    Customer,
    CustomersResult,
    Payment,
    PaymentPage,
)
from kpadmin.iamport.tokens import TokenCache
from kpadmin.redact import install_redaction, redact_text, register_secret

log = logging.getLogger("kpadmin.iamport")
install_redaction(log)

#: The billing engine runs at most this many charges at once; the pool is sized for it.
MAX_CONCURRENT_CHARGES: Final = 32
#: customer_uid[] values per multi-get request: ~100 bytes each keeps the URL well under 8 KB.
CUSTOMERS_CHUNK: Final = 50
#: Multi-get chunks in flight at once.
CUSTOMERS_PARALLEL: Final = 4
#: imp_uids per ``GET /payments?imp_uid[]=…`` (i'mport takes at most 100 at once).
PAYMENTS_CHUNK: Final = 100
#: Payment statuses accepted by /payments/status/{status}.
STATUS_FILTERS: Final = frozenset({"all", *PAYMENT_STATUSES})
#: Sort orders accepted by find / findAll / status.
SORTINGS: Final = frozenset({"started", "-started", "paid", "-paid", "updated", "-updated"})
#: The largest answer read (bytes after decoding). A page of 1,000 payments is a few MB.
MAX_ANSWER_BYTES: Final = 10_000_000


@dataclass(frozen=True)
class Timeouts:
    """Per-phase timeouts in seconds (PortOne: read at least 60 s; card approvals can be slow).

    ``pool`` is how long a request may wait for a free connection; hitting it means the request
    never left (``RequestNotSent``), so it is generous.
    """

    connect: float = 10.0
    read: float = 60.0
    write: float = 30.0
    pool: float = 60.0

    def __post_init__(self) -> None:
        for name in ("connect", "read", "write", "pool"):
            value = getattr(self, name)
            if not value > 0:
                raise ValueError(f"Timeouts.{name} must be > 0 seconds, got {value!r}")

    def to_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


# Room for a full batch of charges plus the lookups and token refreshes running next to it.
# Keep-alive expiry stays below uvicorn's 5 s default idle timeout (and far below typical load
# balancers): re-using a connection the server is closing at that moment would turn a charge that
# never reached the server into an OutcomeUnknown.
POOL_LIMITS: Final = httpx.Limits(
    max_connections=MAX_CONCURRENT_CHARGES + 8,
    max_keepalive_connections=MAX_CONCURRENT_CHARGES,
    keepalive_expiry=4.0,
)

_NOT_SENT_ERRORS: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
)


@dataclass(frozen=True)
class _Reply:
    """One HTTP answer with its envelope parsed (or the reason it could not be)."""

    status: int
    code: int | None
    message: str | None
    payload: Any
    envelope_error: str | None  # None when the body was a well-formed envelope
    body: Any  # the parsed JSON body (or a text snippet) for error reports


class IamportClient:
    """Async client for the i'mport V1 REST API. Use ``async with IamportClient(...) as client``."""

    def __init__(
        self,
        base_url: str,
        imp_key: str,
        imp_secret: str,
        *,
        timeouts: Timeouts = Timeouts(),  # frozen: a shared default is safe
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        get_retries: int = 2,
        retry_backoff_s: float = 0.25,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        if not imp_key or not imp_secret:
            raise ValueError("imp_key and imp_secret are required")
        if max_answer_bytes < 1024:
            raise ValueError(f"max_answer_bytes must be >= 1024, got {max_answer_bytes!r}")
        self.max_answer_bytes = max_answer_bytes
        register_secret(imp_secret)
        self.base_url = base_url.rstrip("/")
        self.timeouts = timeouts
        self._imp_key = imp_key
        self._imp_secret = imp_secret
        self._get_retries = max(0, get_retries)
        self._retry_backoff_s = retry_backoff_s
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=timeouts.to_httpx(),
            limits=POOL_LIMITS,
            transport=transport,
            http1=True,
            http2=False,
            follow_redirects=False,
            trust_env=False,  # no surprise proxies from the environment in front of money calls
            headers={
                "User-Agent": f"kpadmin/{__version__}",
                "Accept": "application/json",
                # Answers are small; plain bytes can be capped exactly (see _read_capped).
                "Accept-Encoding": "identity",
            },
        )
        self.tokens = TokenCache(self.request_token, clock=clock)

    def __repr__(self) -> str:  # never the secret
        return f"IamportClient({self.base_url!r}, imp_key={self._imp_key!r})"

    async def __aenter__(self) -> IamportClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # ------------------------------------------------------------------------------------ token

    async def request_token(self) -> AccessToken:
        """``POST /users/getToken``, uncached. 401 / non-zero code -> ``AuthenticationFailed``."""
        body = {"imp_key": self._imp_key, "imp_secret": self._imp_secret}
        reply = await self._send_retrying("POST", "/users/getToken", json=body, retry=True)
        if reply.status == 401:
            raise AuthenticationFailed(
                f"getToken refused the REST API key/secret (HTTP 401){_detail(reply)}"
            )
        try:
            payload = self._expect_ok(reply, "getToken")
        except RequestRejected as exc:
            raise AuthenticationFailed(f"getToken refused: {exc}") from exc
        token = AccessToken.from_api(payload)
        register_secret(token.access_token)
        return token

    async def get_token(self) -> str:
        """A valid access token: cached, refreshed 60 s before expiry, one refresh at a time."""
        return await self.tokens.get()

    # ---------------------------------------------------------------------------- billing keys

    async def pay_again(
        self, customer_uid: str, merchant_uid: str, amount: int, name: str, **extra: Any
    ) -> Payment:
        """``POST /subscribe/payments/again``: charge a billing key once.

        Returns the payment when it is ``paid``; raises ``PaymentDeclined`` for ``failed``,
        ``PaymentNotFinal`` for any other status, ``RequestRejected`` for ``code != 0`` (not proof
        that no money moved: look ``merchant_uid`` up) and the transport errors described above.
        Never re-sent on a transport error. ``extra`` carries optional spec fields (``tax_free``,
        ``buyer_name``, ``custom_data``, ``notice_url`` …).
        """
        _require_text("customer_uid", customer_uid)
        _require_text("merchant_uid", merchant_uid)
        _require_text("name", name)
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise ValueError(f"amount must be a positive whole number of won, got {amount!r}")
        clash = {"customer_uid", "merchant_uid", "amount", "name"} & extra.keys()
        if clash:
            raise ValueError(f"pass {sorted(clash)} as arguments, not in extra")
        body = {
            "customer_uid": customer_uid,
            "merchant_uid": merchant_uid,
            "amount": amount,
            "name": name,
            **extra,
        }
        reply = await self._call("POST", "/subscribe/payments/again", json=body, retry=False)
        payment = Payment.from_api(self._expect_ok(reply, "again"))
        if payment.merchant_uid != merchant_uid:
            raise InvalidResponse(
                f"again: answer is for merchant_uid {payment.merchant_uid!r}, not {merchant_uid!r}",
                http_status=reply.status,
                code=reply.code,
                body=payment,
            )
        if payment.status == PAID:
            return payment
        if payment.status == FAILED:
            raise PaymentDeclined(payment)
        raise PaymentNotFinal(
            f"again: merchant_uid {merchant_uid!r} came back with status {payment.status!r}, "
            "which is not a final outcome; look it up before doing anything else",
            payment=payment,
        )

    async def get_customer(self, customer_uid: str) -> Customer:
        """``GET /subscribe/customers/{customer_uid}``; unknown -> ``NotFound`` (404, 200+code)."""
        _require_text("customer_uid", customer_uid)
        reply = await self._call("GET", f"/subscribe/customers/{_seg(customer_uid)}", retry=True)
        return Customer.from_api(self._expect_ok(reply, "get customer", lookup=True))

    async def delete_customer(self, customer_uid: str, reason: str | None = None) -> Customer:
        """``DELETE /subscribe/customers/{customer_uid}[?reason=]``; returns the deleted key.

        404 -> ``NotFound``; 200 + ``code != 0`` -> ``RequestRejected`` (a refused delete is not
        proof the key is gone). Not re-sent on a transport error.
        """
        _require_text("customer_uid", customer_uid)
        params = {"reason": reason} if reason else None
        reply = await self._call(
            "DELETE", f"/subscribe/customers/{_seg(customer_uid)}", params=params, retry=False
        )
        return Customer.from_api(self._expect_ok(reply, "delete customer"))

    async def get_customers(self, customer_uids: Iterable[str]) -> CustomersResult:
        """Multi-get ``GET /subscribe/customers?customer_uid[]=…`` for any number of uids.

        Chunked into requests of ``CUSTOMERS_CHUNK`` (a few in parallel); duplicates are asked once.
        Per chunk: 200 = all found, 207 = some found, 404 = none found. ``missing`` keeps the
        caller's order.
        """
        uids = list(dict.fromkeys(customer_uids))
        for uid in uids:
            _require_text("customer_uid", uid)
        chunks = [uids[i : i + CUSTOMERS_CHUNK] for i in range(0, len(uids), CUSTOMERS_CHUNK)]
        gate = asyncio.Semaphore(CUSTOMERS_PARALLEL)

        async def fetch(chunk: Sequence[str]) -> list[Customer]:
            async with gate:
                return await self._customers_chunk(chunk)

        tasks = [asyncio.create_task(fetch(chunk)) for chunk in chunks]
        try:
            answers = await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:  # one chunk failed: don't leave the others running unowned
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        found: dict[str, Customer] = {}
        for customers in answers:
            for customer in customers:
                found.setdefault(customer.customer_uid, customer)
        asked = set(uids)
        ordered = tuple(found[uid] for uid in uids if uid in found)
        extra = tuple(c for uid, c in found.items() if uid not in asked)
        missing = tuple(uid for uid in uids if uid not in found)
        return CustomersResult(found=ordered + extra, missing=missing)

    async def _customers_chunk(self, chunk: Sequence[str]) -> list[Customer]:
        params = [("customer_uid[]", uid) for uid in chunk]
        reply = await self._call("GET", "/subscribe/customers", params=params, retry=True)
        if reply.status == 404:
            _require_api_404(reply, "customers")
            return []
        if reply.status == 207:
            if reply.envelope_error is not None:
                raise InvalidResponse(
                    f"customers: HTTP 207 with {reply.envelope_error}",
                    http_status=207,
                    body=reply.body,
                )
            payload = reply.payload
        else:
            payload = self._expect_ok(reply, "customers")
        if payload is None:
            return []
        if not isinstance(payload, list):
            raise InvalidResponse(
                f"customers: expected an array, got {type(payload).__name__}",
                http_status=reply.status,
                code=reply.code,
                body=reply.body,
            )
        return [Customer.from_api(item) for item in payload]

    async def get_payments(self, imp_uids: Iterable[str]) -> list[Payment]:
        """Multi-get ``GET /payments?imp_uid[]=…`` for any number of imp_uids (chunks of
        ``PAYMENTS_CHUNK``, a few in parallel; duplicates asked once). The payments found, in no
        particular order; an imp_uid i'mport does not know is simply absent (207 / 404)."""
        uids = list(dict.fromkeys(imp_uids))
        for uid in uids:
            _require_text("imp_uid", uid)
        chunks = [uids[i : i + PAYMENTS_CHUNK] for i in range(0, len(uids), PAYMENTS_CHUNK)]
        gate = asyncio.Semaphore(CUSTOMERS_PARALLEL)

        async def fetch(chunk: Sequence[str]) -> list[Payment]:
            async with gate:
                return await self._payments_chunk(chunk)

        tasks = [asyncio.create_task(fetch(chunk)) for chunk in chunks]
        try:
            answers = await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        return [payment for answer in answers for payment in answer]

    async def _payments_chunk(self, chunk: Sequence[str]) -> list[Payment]:
        params = [("imp_uid[]", uid) for uid in chunk]
        reply = await self._call("GET", "/payments", params=params, retry=True)
        if reply.status == 404:
            _require_api_404(reply, "payments")
            return []
        if reply.status == 207:
            if reply.envelope_error is not None:
                raise InvalidResponse(
                    f"payments: HTTP 207 with {reply.envelope_error}",
                    http_status=207,
                    body=reply.body,
                )
            payload = reply.payload
        else:
            payload = self._expect_ok(reply, "payments")
        if payload is None:
            return []
        if not isinstance(payload, list):
            raise InvalidResponse(
                f"payments: expected an array, got {type(payload).__name__}",
                http_status=reply.status,
                code=reply.code,
                body=reply.body,
            )
        return [Payment.from_api(item) for item in payload]

    async def customer_payments(self, customer_uid: str, page: int = 1) -> PaymentPage:
        """``GET /subscribe/customers/{customer_uid}/payments?page=`` (20 a page, page >= 1)."""
        _require_text("customer_uid", customer_uid)
        _require_page(page)
        reply = await self._call(
            "GET",
            f"/subscribe/customers/{_seg(customer_uid)}/payments",
            params={"page": page},
            retry=True,
        )
        return PaymentPage.from_api(self._expect_ok(reply, "customer payments"))

    def iter_customer_payments(self, customer_uid: str) -> AsyncIterator[Payment]:
        """Every payment made with a key, walking the pages (unknown key -> nothing)."""
        return _walk(lambda page: self.customer_payments(customer_uid, page))

    # -------------------------------------------------------------------------------- payments

    async def get_payment(self, imp_uid: str, include_sandbox: bool = True) -> Payment:
        """``GET /payments/{imp_uid}``. ``include_sandbox`` defaults to True: since 2026-01-26 the
        API hides test-channel payments without it, and test mode is exactly where we look."""
        _require_text("imp_uid", imp_uid)
        params = {"include_sandbox": "true" if include_sandbox else "false"}
        reply = await self._call("GET", f"/payments/{_seg(imp_uid)}", params=params, retry=True)
        return Payment.from_api(self._expect_ok(reply, "get payment", lookup=True))

    async def find_payment(
        self, merchant_uid: str, status: str | None = None, sorting: str | None = None
    ) -> Payment:
        """``GET /payments/find/{merchant_uid}[/{status}]``: the first payment by ``sorting``
        (i'mport's default ``-started``: the newest attempt). None -> ``NotFound``."""
        _require_text("merchant_uid", merchant_uid)
        path = f"/payments/find/{_seg(merchant_uid)}" + _status_seg(status, PAYMENT_STATUSES)
        reply = await self._call("GET", path, params=_sorting(sorting), retry=True)
        return Payment.from_api(self._expect_ok(reply, "find payment", lookup=True))

    async def find_all_payments(
        self,
        merchant_uid: str,
        status: str | None = None,
        page: int = 1,
        limit: int = 20,
        sorting: str | None = None,
    ) -> PaymentPage:
        """``GET /payments/findAll/{merchant_uid}[/{status}]``: every attempt (limit <= 1000).
        No attempt at all -> ``NotFound`` (``all_payments`` turns that into an empty list)."""
        _require_text("merchant_uid", merchant_uid)
        _require_page(page)
        _require_limit(limit)
        path = f"/payments/findAll/{_seg(merchant_uid)}" + _status_seg(status, PAYMENT_STATUSES)
        params: dict[str, Any] = {"page": page, "limit": limit, **_sorting(sorting)}
        reply = await self._call("GET", path, params=params, retry=True)
        return PaymentPage.from_api(self._expect_ok(reply, "find all payments"))

    def iter_all_payments(
        self, merchant_uid: str, status: str | None = None, limit: int = 100
    ) -> AsyncIterator[Payment]:
        """Every attempt for ``merchant_uid`` across pages; nothing found -> nothing yielded."""
        return _walk(lambda page: self.find_all_payments(merchant_uid, status, page, limit))

    async def all_payments(
        self, merchant_uid: str, status: str | None = None, limit: int = 100
    ) -> list[Payment]:
        """``iter_all_payments`` collected into a list (``[]`` when i'mport has none)."""
        return [p async for p in self.iter_all_payments(merchant_uid, status, limit)]

    async def payments_by_status(
        self,
        status: str,
        page: int = 1,
        limit: int = 20,
        from_: datetime | int | None = None,
        to: datetime | int | None = None,
        sorting: str | None = None,
    ) -> PaymentPage:
        """``GET /payments/status/{all|ready|paid|cancelled|failed}`` with an optional time window
        (i'mport's default: the last 90 days). ``from_``/``to``: aware datetimes or unix seconds."""
        if status not in STATUS_FILTERS:
            raise ValueError(f"status must be one of {sorted(STATUS_FILTERS)}, got {status!r}")
        _require_page(page)
        _require_limit(limit)
        params: dict[str, Any] = {"page": page, "limit": limit, **_sorting(sorting)}
        if from_ is not None:
            params["from"] = _unix(from_, "from_")
        if to is not None:
            params["to"] = _unix(to, "to")
        reply = await self._call("GET", f"/payments/status/{status}", params=params, retry=True)
        return PaymentPage.from_api(self._expect_ok(reply, "payments by status"))

    def iter_payments_by_status(
        self,
        status: str,
        limit: int = 100,
        from_: datetime | int | None = None,
        to: datetime | int | None = None,
    ) -> AsyncIterator[Payment]:
        """Every payment in a status and window, walking the pages."""
        return _walk(lambda page: self.payments_by_status(status, page, limit, from_, to))

    async def cancel_payment(
        self,
        *,
        imp_uid: str | None = None,
        merchant_uid: str | None = None,
        amount: int | None = None,
        checksum: int | None = None,
        reason: str,
        **extra: Any,
    ) -> Payment:
        """``POST /payments/cancel``: full (``amount`` None) or partial refund.

        ``checksum`` is the refundable balance the caller believes is left (``Payment.refundable``);
        i'mport refuses the refund when it differs, so two operators cannot refund twice.
        A refused refund (HTTP 200 + ``code != 0``) -> ``RequestRejected``. Never re-sent on a
        transport error.
        """
        if not imp_uid and not merchant_uid:
            raise ValueError("cancel_payment needs imp_uid or merchant_uid")
        _require_text("reason", reason)
        body: dict[str, Any] = {"reason": reason, **extra}
        if imp_uid:
            body["imp_uid"] = imp_uid
        if merchant_uid:
            body["merchant_uid"] = merchant_uid
        for key, value in (("amount", amount), ("checksum", checksum)):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{key} must be a whole number of won >= 0, got {value!r}")
            body[key] = value
        reply = await self._call("POST", "/payments/cancel", json=body, retry=False)
        return Payment.from_api(self._expect_ok(reply, "cancel"))

    # ------------------------------------------------------------------------------- plumbing

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        retry: bool,
    ) -> _Reply:
        """An authorised request: token, one refresh-and-retry on 401, ``RequestNotSent`` retries
        for idempotent lookups (``retry=True``)."""
        return await self._retry_not_sent(
            lambda: self._authorised(method, path, params=params, json=json, lookup=retry),
            method,
            path,
            retry=retry,
        )

    async def _retry_not_sent(
        self,
        attempt_once: Callable[[], Awaitable[_Reply]],
        method: str,
        path: str,
        *,
        retry: bool,
    ) -> _Reply:
        """Re-run ``attempt_once`` after ``RequestNotSent`` (only when ``retry``), with back-off."""
        attempts = 1 + (self._get_retries if retry else 0)
        for attempt in range(1, attempts + 1):
            try:
                return await attempt_once()
            except RequestNotSent:
                if attempt >= attempts:
                    raise
                log.info(
                    "%s %s not sent; trying again (%d/%d)", method, path, attempt + 1, attempts
                )
                await asyncio.sleep(self._retry_backoff_s * (2 ** (attempt - 1)))
        raise AssertionError("unreachable")

    async def _authorised(
        self, method: str, path: str, *, params: Any, json: Any, lookup: bool
    ) -> _Reply:
        token = await self._token_for(method, path, stale=None)
        reply = await self._send(method, path, params=params, json=json, token=token, lookup=lookup)
        if reply.status != 401:
            return reply
        log.info("%s %s -> 401: refreshing the access token and retrying once", method, path)
        token = await self._token_for(method, path, stale=token)
        reply = await self._send(method, path, params=params, json=json, token=token, lookup=lookup)
        if reply.status == 401:
            raise AuthenticationFailed(
                f"{method} {path}: a freshly issued access token was refused (HTTP 401)"
                f"{_detail(reply)}"
            )
        return reply

    async def _token_for(self, method: str, path: str, *, stale: str | None) -> str:
        """A token for a call; failing to get one means the call itself never left."""
        try:
            if stale is None:
                return await self.tokens.get()
            return await self.tokens.refresh(stale)
        except AuthenticationFailed:
            raise
        except (TransportError, ApiError) as exc:
            raise RequestNotSent(
                f"{method} {path} not sent: no access token ({type(exc).__name__}: {exc})"
            ) from exc

    async def _send_retrying(self, method: str, path: str, *, json: Any, retry: bool) -> _Reply:
        """An unauthorised request (getToken), re-sent after ``RequestNotSent`` when ``retry``."""
        return await self._retry_not_sent(
            lambda: self._send(method, path, params=None, json=json, token=None, lookup=True),
            method,
            path,
            retry=retry,
        )

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Any,
        json: Any,
        token: str | None,
        lookup: bool,
    ) -> _Reply:
        """One HTTP exchange, classified. Raises TransportError subclasses, and InvalidResponse
        for a lookup (``lookup``: a GET or getToken, which move nothing) whose answer is too
        large or unreadable; the same answer to a call that may have moved money is
        ``OutcomeUnknown``."""
        headers = {"Authorization": f"Bearer {token}"} if token else None
        started = time.monotonic()
        try:
            request = self._http.build_request(
                method, path, params=params, json=json, headers=headers
            )
        except httpx.InvalidURL as exc:
            _log_failure(method, path, started, "not sent", exc)
            raise RequestNotSent(f"{method} {path} not sent: {_describe(exc)}") from exc
        try:
            response = await self._http.send(request, stream=True)
        except _NOT_SENT_ERRORS as exc:
            _log_failure(method, path, started, "not sent", exc)
            raise RequestNotSent(f"{method} {path} not sent: {_describe(exc)}") from exc
        except httpx.InvalidURL as exc:
            _log_failure(method, path, started, "not sent", exc)
            raise RequestNotSent(f"{method} {path} not sent: {_describe(exc)}") from exc
        except httpx.HTTPError as exc:
            # Read timeout, dropped connection, write failure, bad encoding …: it may have been
            # processed. Anything unforeseen lands here too, which is the money-safe side.
            _log_failure(method, path, started, "outcome unknown", exc)
            raise OutcomeUnknown(
                f"{method} {path}: outcome unknown ({_describe(exc)}); look it up before retrying"
            ) from exc
        try:
            content = await self._read_capped(response)
        except httpx.HTTPError as exc:
            _log_failure(method, path, started, "outcome unknown", exc)
            raise OutcomeUnknown(
                f"{method} {path}: outcome unknown ({_describe(exc)}); look it up before retrying"
            ) from exc
        except UnreadableAnswer as exc:
            _log_failure(method, path, started, "answer refused", exc)
            message = f"{method} {path}: HTTP {response.status_code} answer refused: {exc}"
            if lookup:
                raise InvalidResponse(message, http_status=response.status_code) from None
            raise OutcomeUnknown(
                f"{message}; outcome unknown, look it up before retrying"
            ) from None
        finally:
            await response.aclose()
        reply = _parse_reply(response.status_code, content)
        elapsed_ms = (time.monotonic() - started) * 1000
        if reply.status >= 500:
            level = logging.WARNING
        elif method != "GET" or reply.status >= 400:
            level = logging.INFO
        else:
            level = logging.DEBUG  # lookups are many and routine
        log.log(
            level,
            "%s %s -> %s code=%s %.0f ms",
            method,
            path,
            reply.status,
            reply.code,
            elapsed_ms,
        )
        if reply.status >= 500:
            raise OutcomeUnknown(
                f"{method} {path}: HTTP {reply.status}, outcome unknown (the server may have "
                f"processed it){_detail(reply)}; look it up before retrying",
                http_status=reply.status,
            )
        return reply

    async def _read_capped(self, response: httpx.Response) -> bytes:
        """The body, never more than ``max_answer_bytes`` of it held or inflated. Raises
        `UnreadableAnswer` past the cap (or for an encoding we cannot bound); the caller closes the
        response, which drops the connection instead of reading the rest."""
        cap = self.max_answer_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise UnreadableAnswer(f"it declares {int(declared):,} bytes; at most {cap:,} are read")
        try:
            # Already in memory (an in-process test transport hands over a finished response):
            # nothing left to bound, only to check.
            content = response.content
        except httpx.ResponseNotRead:
            pass
        else:
            if len(content) > cap:
                raise UnreadableAnswer(f"it is larger than {cap:,} bytes")
            return content
        decoder = _Decoder(response.headers.get("content-encoding", ""))
        parts: list[bytes] = []
        size = 0
        async for chunk in response.aiter_raw():
            # One byte more than may be held: getting it proves the answer is too large.
            data = decoder.decode(chunk, cap - size + 1)
            size += len(data)
            if size > cap:
                raise UnreadableAnswer(f"it is larger than {cap:,} bytes; reading stopped there")
            parts.append(data)
        tail = decoder.finish()
        if size + len(tail) > cap:
            raise UnreadableAnswer(f"it is larger than {cap:,} bytes; reading stopped there")
        parts.append(tail)
        return b"".join(parts)

    @staticmethod
    def _expect_ok(reply: _Reply, op: str, *, lookup: bool = False) -> Any:
        """The ``response`` payload of a successful answer, or the right exception."""
        status = reply.status
        if status == 200:
            if reply.envelope_error is not None:
                raise InvalidResponse(
                    f"{op}: HTTP 200 with {reply.envelope_error}", http_status=200, body=reply.body
                )
            if reply.code != 0:
                kind: type[ApiError] = NotFound if lookup else RequestRejected
                raise kind(
                    f"{op}: code {reply.code}: {reply.message or '(no message)'}",
                    http_status=200,
                    code=reply.code,
                    api_message=reply.message,
                    body=reply.body,
                )
            if reply.payload is None:
                raise InvalidResponse(
                    f"{op}: code 0 but the response is null", http_status=200, body=reply.body
                )
            return reply.payload
        args: dict[str, Any] = {
            "http_status": status,
            "code": reply.code,
            "api_message": reply.message,
            "body": reply.body,
        }
        if status == 404:
            _require_api_404(reply, op)
            raise NotFound(f"{op}: not found (HTTP 404){_detail(reply)}", **args)
        if status == 401:
            raise AuthenticationFailed(f"{op}: HTTP 401{_detail(reply)}")
        if 400 <= status < 500:
            raise RequestRejected(f"{op}: HTTP {status}{_detail(reply)}", **args)
        raise InvalidResponse(f"{op}: unexpected HTTP {status}{_detail(reply)}", **args)


# ------------------------------------------------------------------------------------ helpers


class UnreadableAnswer(Exception):
    """An answer not read to its end: too large, or compressed in a way we cannot bound."""


class _Decoder:
    """Decodes an answer's body in steps, never producing more than it is asked for: an answer
    compressed 1000:1 is never expanded past the cap."""

    def __init__(self, encoding: str) -> None:
        name = encoding.strip().lower()
        self._zlib: Any = None
        if name in ("", "identity"):
            return
        if name not in ("gzip", "x-gzip", "deflate"):
            raise UnreadableAnswer(f"it is encoded as {encoding!r}, which was not asked for")
        # gzip: a gzip header; deflate: a zlib header (RFC 9110). 32 + 15 detects either.
        self._zlib = zlib.decompressobj(32 + zlib.MAX_WBITS)

    def decode(self, chunk: bytes, room: int) -> bytes:
        """At most ``room`` bytes of ``chunk`` decoded. Exactly ``room`` bytes back means there
        may be more: the caller, which asks for one byte more than it may hold, stops there."""
        if self._zlib is None:
            return chunk[:room]
        try:
            return bytes(self._zlib.decompress(chunk, room))
        except zlib.error as exc:
            raise UnreadableAnswer(f"its compressed data is corrupt ({exc})") from None

    def finish(self) -> bytes:
        if self._zlib is None:
            return b""
        try:
            return bytes(self._zlib.flush())
        except zlib.error as exc:
            raise UnreadableAnswer(f"its compressed data is corrupt ({exc})") from None


def _parse_reply(status: int, content: bytes) -> _Reply:
    try:
        body: Any = jsonlib.loads(content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        snippet = redact_text(content[:200].decode("utf-8", "replace"))
        return _Reply(status, None, None, None, "a body that is not JSON", snippet)
    if not isinstance(body, Mapping):
        return _Reply(status, None, None, None, "a JSON body that is not an envelope object", body)
    code = body.get("code")
    if isinstance(code, bool) or not isinstance(code, int):
        return _Reply(status, None, None, None, "an envelope without an integer code", body)
    message = body.get("message")
    return _Reply(
        status=status,
        code=code,
        # The server's words reach error messages, journal rows and dialogs: redacted here once.
        message=None if message is None else redact_text(str(message)[:2000]),
        payload=body.get("response"),
        envelope_error=None,
        body=body,
    )


def _require_api_404(reply: _Reply, op: str) -> None:
    """A 404 counts as "i'mport has none" only when i'mport said so in its own envelope.

    A bare 404 (a wrong base URL, a proxy's error page) must not read as "this payment does not
    exist": the engine would take that as licence to charge again.
    """
    if reply.envelope_error is not None:
        raise InvalidResponse(
            f"{op}: HTTP 404 that is not an i'mport answer ({reply.envelope_error}); "
            "is the API base URL right?",
            http_status=404,
            body=reply.body,
        )


def _detail(reply: _Reply) -> str:
    if reply.code is None and reply.message is None:
        return ""
    return f" (code {reply.code}: {reply.message or '(no message)'})"


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _log_failure(method: str, path: str, started: float, what: str, exc: BaseException) -> None:
    elapsed_ms = (time.monotonic() - started) * 1000
    log.warning("%s %s -> %s after %.0f ms (%s)", method, path, what, elapsed_ms, _describe(exc))


def _seg(value: str) -> str:
    """One path segment, percent-encoded (merchant_uids may hold '/', '?', '#', Korean …)."""
    return quote(value, safe="")


def _status_seg(status: str | None, allowed: frozenset[str]) -> str:
    if status is None:
        return ""
    if status not in allowed:
        raise ValueError(f"status must be one of {sorted(allowed)}, got {status!r}")
    return f"/{status}"


def _sorting(sorting: str | None) -> dict[str, str]:
    if sorting is None:
        return {}
    if sorting not in SORTINGS:
        raise ValueError(f"sorting must be one of {sorted(SORTINGS)}, got {sorting!r}")
    return {"sorting": sorting}


def _unix(value: datetime | int, name: str) -> int:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"{name} must be timezone-aware")
        return int(value.timestamp())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a datetime or unix seconds, got {value!r}")
    return value


def _require_text(name: str, value: object) -> None:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")


def _require_page(page: int) -> None:
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise ValueError(f"page must be >= 1, got {page!r}")


def _require_limit(limit: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 1000:
        raise ValueError(f"limit must be 1..1000, got {limit!r}")


# More pages than this means the server's paging is broken (every page would repeat); stop there.
_MAX_PAGES: Final = 10_000


async def _walk(fetch: Callable[[int], Awaitable[PaymentPage]]) -> AsyncIterator[Payment]:
    page = 1
    for _ in range(_MAX_PAGES):
        try:
            result = await fetch(page)
        except NotFound:
            if page == 1:  # nothing at all (findAll answers 404 for an unknown merchant_uid)
                return
            raise
        for payment in result.list:
            yield payment
        if result.next <= page or not result.list:
            return
        page = result.next
    raise InvalidResponse(f"paging did not end after {_MAX_PAGES} pages", http_status=200)
