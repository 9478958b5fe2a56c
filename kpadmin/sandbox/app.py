"""The sandbox's REST API: i'mport V1 endpoints at their real paths, shaped like the live service.

`create_app(config, state)` builds a Starlette app. Every answer is the envelope
``{code, message, response}`` with the field names and types of ``v1.openapi.yml``; HTTP statuses
follow REFERENCE.md §2. The app also mounts the browser side (`web.browser_routes`) and a tiny
HTML receipt page at ``/sandbox/receipts/{imp_uid}`` (what ``receipt_url`` points at).

Endpoints (fault names from `config.FAULT_ENDPOINTS` in brackets)::

    POST   /users/getToken                                   [token]     JSON or form body
    POST   /subscribe/payments/again                         [again]
    POST   /subscribe/customers/{customer_uid}               [customer_issue]  key-in issuance
    GET    /subscribe/customers/{customer_uid}               [customer_get]
    DELETE /subscribe/customers/{customer_uid}?reason=       [customer_delete]
    GET    /subscribe/customers?customer_uid[]=…             [customers_multi]  200 / 207 / 404
    GET    /subscribe/customers/{customer_uid}/payments?page= [customer_payments]  20 per page
    GET    /payments/{imp_uid}?include_sandbox=              [payment_get]
    GET    /payments?imp_uid[]=…&merchant_uid[]=…            [payments_multi]  ≤100; 200 / 207 / 404
    GET    /payments/find/{merchant_uid}[/{status}]?sorting= [payment_find]
    GET    /payments/findAll/{merchant_uid}[/{status}]?page&limit&sorting   [payment_find_all]
    GET    /payments/status/{status}?page&limit&from&to&sorting             [payments_by_status]
    POST   /payments/cancel                                  [cancel]
    *      /subscribe/payments/schedule…, /unschedule        HTTP 200, code -1: not supported here

Rules, each with its source in brackets: **spec** = ``v1.openapi.yml``; **captured** = a live
answer in ``shared/iamport/real-answers`` (copied to ``tests/iamport/real_answers``); **client
test** = the official clients' tests (REFERENCE.md §11); **assumed** = nothing above settles it
(the REFERENCE section that discusses it is named). Captured answers win over the spec.

Answer shape (``config.answer_style``; "live" by default, "spec" keeps the spec's shape):

* ``imp_uid`` is ``imp_`` + 12 digits, unique [captured: both payment files].
* Live style: no ``sandbox`` field on payments [captured] nor on customers [assumed: no customer
  answer was captured]. Spec style: ``sandbox: true`` on both [spec: required].
* A Kakao Money payment: ``pay_method "point"``, every card field ``null``, ``apply_num ""``
  [captured: kakaopay-test-payment-paid.json]. A card payment: ``pay_method "card"`` and the
  key's card fields [spec: pay_method "card"], an 8-digit ``apply_num`` when paid, ``""`` when
  not [assumed]. A Kakao Money key's customer record: every card field ``null`` in live style
  [assumed, like its payments], ``card_name "카카오머니"`` in spec style [spec: required].
* The customer's card/Kakao Money pick in the window decides the key's method and every
  re-charge keeps it [assumed: REFERENCE §3/§7 quote the Kakao Pay manual]. Key-in keys are card.
* Fields that did not happen are ``null`` (or ``0`` for times) [captured; spec: 0 = not happened].

Tokens and auth:

* Tokens last 30 min (``expired_at - now = 1800``) [captured: get-token.json; spec]; getToken
  before expiry returns the same token and expiry, extended by 5 min when called in its last
  minute; a new token after expiry [spec: getToken description]. Wrong key/secret → 401 [spec].
* Every other endpoint needs ``Authorization: Bearer <token>``, else 401 [spec]; the bare token
  and the legacy ``X-ImpTokenHeader`` also work [assumed: REFERENCE §1, historic docs]; the 401
  body is an envelope [assumed: REFERENCE §1 calls it unverified].

Charging (``/subscribe/payments/again``):

* A decline is HTTP 200, ``code 0``, ``response.status "failed"`` with ``fail_reason`` and
  ``failed_at`` [assumed: REFERENCE §0/§3, PortOne's historic guide and the PHP client].
* Unknown or deleted customer_uid → ``code -1``, no payment row [client test: python tests].
* A merchant_uid that is already paid → ``code 1``, ``response null``, nothing recorded; one
  whose attempts all failed may be charged again (new imp_uid) [assumed: REFERENCE §3, §12 q1].
* Bad amount (not a positive integer) or missing or too long name or ids → ``code 1`` [spec:
  required fields and maxLength; the code is assumed].
* ``--decline-rate`` declines charges at random (seeded); ``--monthly-limit N`` declines a key's
  charge once it has N paid re-charges (``again``; refunded ones count too, the first payment in
  the window does not) in the current Asia/Seoul calendar month [assumed: a cap exists but its
  number is unpublished, REFERENCE §8]; ``--latency-ms`` delays every REST answer.

Keys and lookups:

* Key-in issuance validates ``card_number`` (dddd-dddd-dddd-dddd), ``expiry`` (YYYY-MM, not in the
  past), ``birth`` (YYMMDD or 10 digits), ``pwd_2digit`` (2 digits) [spec: parameter texts]; a
  refusal is ``code -1`` [client test: python tests]. ``channel_key`` is not required and ``pg``
  defaults to ``kakaopay.TCSUBSCRIP`` [assumed: a sandbox convenience; the spec requires
  channel_key]. Test cards [assumed: sandbox-only]: `FAILING_TEST_CARD` is always refused;
  `DECLINING_TEST_CARD` gets a key whose every charge is declined.
* ``GET /subscribe/customers/{unknown}`` → 404 [spec; the python client tests expect 200 with
  code != 0 — kpadmin's client takes both]. Multi-gets: 200 all found, 207 some, 404 none [spec].
  A key's payments: 20 a page, ``previous``/``next`` 0 when none [spec].
* ``GET /payments/{imp_uid}`` answers 404 for an unknown id [spec; client test] and for every
  sandbox payment unless ``include_sandbox=true``: they all came through a test channel [spec:
  include_sandbox, default false, since 2026-01-26]. ``find``/``findAll``/``status`` and the
  customer's payment list are not filtered [assumed: REFERENCE §12 q8].
* ``find`` returns the first attempt by ``sorting`` (default ``-started``); ``findAll`` pages,
  ``limit`` ≤ 1000, default 20 [spec].
* ``/payments/status``: the window is ``from``..``to`` (defaults: now, ``to`` − 90 days) over the
  time of each payment's own status; a window over 90 days, a page past the data, an unknown
  status or bad parameters → HTTP 400 with an envelope [spec: "검색기간은 최대 90일까지";
  400 "데이터 범위를 넘어선 page인 경우"]. Page 1 of no data is an empty page [assumed].

Cancel:

* ``amount`` omitted/0 = the whole refundable balance; ``checksum`` must equal that balance or
  nothing changes; ``imp_uid`` wins over ``merchant_uid`` [spec; REFERENCE §5]. A refusal
  (unknown payment, nothing to refund, checksum) is ``code 1`` [client test: cancel of an unknown
  payment]. The status turns ``cancelled`` only when fully refunded; a partial refund stays
  ``paid`` with a ``cancel_history`` entry [assumed: REFERENCE §5, §12 q6].
* ``receipt_url`` is ``{base_url}/sandbox/receipts/{imp_uid}``; cancel history entries get their
  own receipt links [assumed: the sandbox's own pages stand in for Kakao Pay's].

Faults (see `faults.py`): after authentication, a request to a fault-enabled endpoint may get
``error_before`` (500, nothing done), ``error_after`` (done, then 500), ``drop_after`` (done, then
the connection is cut mid-body: the client sees a transport error) or ``delay_after`` (done, then
the answer waits ``fault_delay_s``). `SandboxRuntime.faults.configure` changes them at run time.

The browser side's rules (what a window leaves behind) are in `checkout.py`.
"""

from __future__ import annotations

import asyncio
import html
import math
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from kpadmin.sandbox import web
from kpadmin.sandbox.config import SandboxConfig
from kpadmin.sandbox.faults import Fault, Faults
from kpadmin.sandbox.state import (
    CUSTOMER_PAGE_SIZE,
    KAKAO_MONEY_NAME,
    PAYMENT_STATUSES,
    SEOUL,
    SORTINGS,
    SandboxState,
    StateError,
    page_of,
)

#: `GET /payments/status`: "검색기간은 최대 90일까지" (spec); the default window is exactly this.
STATUS_WINDOW_MAX_DAYS = 90
STATUS_WINDOW_MAX_S = STATUS_WINDOW_MAX_DAYS * 86400

FAILING_TEST_CARD = "4000-0000-0000-0002"
DECLINING_TEST_CARD = "4000-0000-0000-9995"

Handler = Callable[[Request], Awaitable[Response]]


@dataclass
class SandboxRuntime:
    """What one app instance runs on; reachable as ``app.state.sandbox``."""

    config: SandboxConfig
    state: SandboxState
    faults: Faults


class ApiReject(Exception):
    """Answer with an envelope carrying a non-zero code (and ``response: null``)."""

    def __init__(self, message: str, *, code: int = 1, status: int = 200) -> None:
        super().__init__(message)
        self.message, self.code, self.status = message, code, status


def envelope(response: Any, *, status: int = 200, message: str | None = None) -> JSONResponse:
    return JSONResponse({"code": 0, "message": message, "response": response}, status_code=status)


def reject(message: str, *, code: int = 1, status: int = 200) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "response": None}, status_code=status)


class DroppedResponse(Response):
    """Promise a body, send half of it, then return: uvicorn closes the connection and the
    client sees an incomplete message (a transport error), never a clean answer."""

    def __init__(self) -> None:
        super().__init__()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b'{"code":0,"message":null,"response":{"imp_uid":"'
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body) * 4).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body, "more_body": True})


# ---------------------------------------------------------------------------- parameters


async def read_params(request: Request) -> dict[str, Any]:
    """A POST's parameters from a JSON object or a form body (both are accepted, as by i'mport)."""
    content_type = request.headers.get("content-type", "")
    if "application/json" in content_type:
        try:
            body = await request.json()
        except ValueError as exc:
            raise ApiReject("요청 본문이 올바른 JSON이 아닙니다.", status=400) from exc
        if not isinstance(body, dict):
            raise ApiReject("요청 본문은 JSON 객체여야 합니다.", status=400)
        return body
    # url-encoded forms parsed here: Starlette's request.form() needs python-multipart, and
    # i'mport documents only JSON and x-www-form-urlencoded bodies.
    raw = (await request.body()).decode("utf-8", errors="replace")
    return dict(parse_qsl(raw, keep_blank_values=True))


def text_param(
    params: Mapping[str, Any], name: str, *, required: bool = False, max_len: int | None = None
) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise ApiReject(f"{name} 파라메터가 누락되었습니다.")
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ApiReject(f"{name} 파라메터는 문자열이어야 합니다.")
    text = str(value)
    if max_len is not None and len(text) > max_len:
        raise ApiReject(f"{name} 파라메터는 {max_len}자를 넘을 수 없습니다.")
    return text


def number_param(params: Mapping[str, Any], name: str, *, required: bool = False) -> int | None:
    """An integer KRW amount from a JSON number or a form string; fractions are refused."""
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise ApiReject(f"{name} 파라메터가 누락되었습니다.")
        return None
    number: float
    if isinstance(value, bool):
        raise ApiReject(f"{name} 파라메터는 숫자여야 합니다.")
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError as exc:
            raise ApiReject(f"{name} 파라메터는 숫자여야 합니다.") from exc
    else:
        raise ApiReject(f"{name} 파라메터는 숫자여야 합니다.")
    if not math.isfinite(number) or number != int(number):
        raise ApiReject(f"{name} 파라메터는 정수여야 합니다.")
    return int(number)


def query_int(request: Request, name: str, default: int, *, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ApiReject(f"{name} 파라메터가 올바르지 않습니다.", status=400) from exc
    if not low <= value <= high:
        raise ApiReject(f"{name} 파라메터는 {low}~{high} 사이여야 합니다.", status=400)
    return value


def query_sorting(request: Request) -> str:
    sorting = request.query_params.get("sorting") or "-started"
    if sorting not in SORTINGS:
        raise ApiReject(f"sorting 파라메터가 올바르지 않습니다: {sorting}", status=400)
    return sorting


def query_bool(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("true", "1", "yes")


def path_status(request: Request, *, allow_all: bool = False) -> str | None:
    status = request.path_params.get("payment_status")
    if status is None:
        return None
    allowed = (*PAYMENT_STATUSES, "all") if allow_all else PAYMENT_STATUSES
    if status not in allowed:
        raise ApiReject(f"지원하지 않는 결제상태입니다: {status}", status=400)
    return None if status == "all" else str(status)


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization") or request.headers.get("x-imptokenheader")
    if not header:
        return None
    scheme, _, rest = header.strip().partition(" ")
    if rest and scheme.lower() == "bearer":
        return rest.strip()
    return header.strip()


# ---------------------------------------------------------------------------- the app


def create_app(config: SandboxConfig, state: SandboxState) -> Starlette:
    """The sandbox app; the config's clock becomes the state's clock (one notion of now)."""
    state.clock = config.clock
    state.answer_style = config.answer_style
    runtime = SandboxRuntime(config=config, state=state, faults=Faults(config))

    def endpoint(name: str, *, auth: bool = True) -> Callable[[Handler], Handler]:
        """Wrap a handler with auth, latency, faults and the ApiReject → envelope mapping."""

        def wrap(handler: Handler) -> Handler:
            async def run(request: Request) -> Response:
                if config.latency_ms:
                    await asyncio.sleep(config.latency_ms / 1000)
                if auth:
                    token = bearer_token(request)
                    if token is None or not state.token_is_valid(token, config.imp_key):
                        return reject("Unauthorized", code=-1, status=401)
                fault = runtime.faults.draw(name)
                if fault is Fault.ERROR_BEFORE:
                    return reject("Internal Server Error (sandbox fault)", code=-1, status=500)
                try:
                    response = await handler(request)
                except ApiReject as exc:
                    response = reject(exc.message, code=exc.code, status=exc.status)
                except StateError as exc:
                    response = reject(exc.message, code=exc.code)
                if fault is Fault.ERROR_AFTER:
                    return reject("Internal Server Error (sandbox fault)", code=-1, status=500)
                if fault is Fault.DROP_AFTER:
                    return DroppedResponse()
                if fault is Fault.DELAY_AFTER:
                    await _wait_or_disconnect(request, config.fault_delay_s)
                return response

            run.__name__ = handler.__name__
            return run

        return wrap

    # -------------------------------------------------------------- auth
    @endpoint("token", auth=False)
    async def get_token(request: Request) -> Response:
        params = await read_params(request)
        key, secret = params.get("imp_key"), params.get("imp_secret")
        if not key or not secret:
            raise ApiReject("imp_key, imp_secret 파라메터가 누락되었습니다.", code=-1, status=401)
        if key != config.imp_key or secret != config.imp_secret:
            raise ApiReject(
                "Unauthorized: imp_key 또는 imp_secret이 올바르지 않습니다.", code=-1, status=401
            )
        return envelope(state.get_token(str(key)))

    # -------------------------------------------------------------- billing keys
    @endpoint("again")
    async def pay_again(request: Request) -> Response:
        params = await read_params(request)
        customer_uid = text_param(params, "customer_uid", required=True, max_len=80)
        merchant_uid = text_param(params, "merchant_uid", required=True, max_len=40)
        amount = number_param(params, "amount", required=True)
        name = text_param(params, "name", required=True, max_len=40)
        assert customer_uid and merchant_uid and name and amount is not None
        if amount <= 0:
            raise ApiReject("amount 파라메터는 0보다 큰 정수여야 합니다.")
        tax_free = number_param(params, "tax_free") or 0
        card_quota = number_param(params, "card_quota") or 0
        buyer = {
            field: text_param(params, field)
            for field in ("buyer_name", "buyer_email", "buyer_tel", "buyer_addr", "buyer_postcode")
            if params.get(field)
        }
        payment = state.pay_again(
            customer_uid=customer_uid,
            merchant_uid=merchant_uid,
            amount=amount,
            name=name,
            monthly_limit=config.monthly_limit,
            decline_reason=runtime.faults.decline_reason(),
            buyer=buyer,
            custom_data=text_param(params, "custom_data"),
            card_quota=card_quota,
            tax_free=tax_free,
        )
        return envelope(payment)

    @endpoint("customer_issue")
    async def issue_customer(request: Request) -> Response:
        customer_uid = str(request.path_params["customer_uid"])
        if len(customer_uid) > 80:
            raise ApiReject("customer_uid는 80자를 넘을 수 없습니다.")
        params = await read_params(request)
        card_number = text_param(params, "card_number", required=True)
        expiry = text_param(params, "expiry", required=True)
        birth = text_param(params, "birth")
        pwd = text_param(params, "pwd_2digit")
        assert card_number and expiry
        problem = _key_in_problem(card_number, expiry, birth, pwd, config.clock())
        if problem is None and card_number == FAILING_TEST_CARD:
            problem = "테스트 카드: 카드사에서 빌링키 발급을 거절하였습니다."
        if problem is not None:
            raise ApiReject(f"카드정보 인증 및 빌키 발급에 실패하였습니다. [{problem}]", code=-1)
        pg = text_param(params, "pg") or "kakaopay.TCSUBSCRIP"
        provider, _, mid = pg.partition(".")
        card_name, card_code = _card_brand(card_number)
        digits = card_number.replace("-", "")
        customer = state.issue_billing_key(
            customer_uid,
            pg_provider=provider,
            pg_id=mid or "TCSUBSCRIP",
            card_name=card_name,
            card_number=f"{digits[:6]}******{digits[-4:]}",
            card_code=card_code,
            card_type=0,
            customer_name=text_param(params, "customer_name", max_len=20),
            customer_tel=text_param(params, "customer_tel", max_len=20),
            customer_email=text_param(params, "customer_email", max_len=200),
            customer_id=text_param(params, "customer_id"),
            customer_addr=text_param(params, "customer_addr", max_len=200),
            customer_postcode=text_param(params, "customer_postcode", max_len=8),
            behaviour="decline" if card_number == DECLINING_TEST_CARD else None,
        )
        return envelope(customer)

    def not_found_customer(customer_uid: str) -> ApiReject:
        return ApiReject(
            f"요청하신 customer_uid({customer_uid})로 등록된 정보를 찾을 수 없습니다.",
            status=404,
        )

    @endpoint("customer_get")
    async def get_customer(request: Request) -> Response:
        customer_uid = str(request.path_params["customer_uid"])
        customer = state.get_customer(customer_uid)
        if customer is None:
            raise not_found_customer(customer_uid)
        return envelope(customer)

    @endpoint("customer_delete")
    async def delete_customer(request: Request) -> Response:
        customer_uid = str(request.path_params["customer_uid"])
        if state.get_customer(customer_uid) is None:
            raise not_found_customer(customer_uid)
        return envelope(state.delete_customer(customer_uid, request.query_params.get("reason")))

    @endpoint("customers_multi")
    async def get_customers(request: Request) -> Response:
        uids = request.query_params.getlist("customer_uid[]")
        if not uids:
            raise ApiReject("customer_uid[] 파라메터가 누락되었습니다.", status=400)
        found = [c for c in (state.get_customer(uid) for uid in uids) if c is not None]
        missing = [uid for uid in uids if state.get_customer(uid) is None]
        if not found:
            raise ApiReject("요청하신 customer_uid로 등록된 정보를 찾을 수 없습니다.", status=404)
        if missing:
            text = "일부 customer_uid를 찾을 수 없습니다: " + ", ".join(missing)
            return envelope(found, status=207, message=text)
        return envelope(found)

    @endpoint("customer_payments")
    async def customer_payments(request: Request) -> Response:
        customer_uid = str(request.path_params["customer_uid"])
        page = query_int(request, "page", 1, low=1, high=10**9)
        payments = state.customer_payments(customer_uid)
        if not payments and not state.customer_known(customer_uid):
            raise not_found_customer(customer_uid)
        return envelope(page_of(payments, page, CUSTOMER_PAGE_SIZE).as_dict())

    # -------------------------------------------------------------- payments
    @endpoint("payment_get")
    async def get_payment(request: Request) -> Response:
        imp_uid = str(request.path_params["imp_uid"])
        payment = state.get_payment(imp_uid)
        # Every payment here came through a test channel, so all of them hide without the flag.
        if payment is None or not query_bool(request, "include_sandbox"):
            raise ApiReject("존재하지 않는 결제정보입니다.", status=404)
        return envelope(payment)

    @endpoint("payments_multi")
    async def get_payments(request: Request) -> Response:
        imp_uids = request.query_params.getlist("imp_uid[]")
        merchant_uids = request.query_params.getlist("merchant_uid[]")
        asked = len(imp_uids) + len(merchant_uids)
        if asked == 0:
            raise ApiReject("imp_uid[] 또는 merchant_uid[] 파라메터가 필요합니다.", status=400)
        if asked > 100:
            raise ApiReject("한 번에 최대 100건까지 조회할 수 있습니다.", status=400)
        found: list[dict[str, Any]] = []
        for imp_uid in imp_uids:
            payment = state.get_payment(imp_uid)
            if payment is not None:
                found.append(payment)
        for merchant_uid in merchant_uids:
            matches = state.find_payments(merchant_uid)  # the newest attempt, as find does
            if matches:
                found.append(matches[0])
        if not found:
            raise ApiReject("존재하지 않는 결제정보입니다.", status=404)
        if len(found) < asked:
            return envelope(found, status=207, message="일부 결제정보를 찾을 수 없습니다.")
        return envelope(found)

    @endpoint("payment_find")
    async def find_payment(request: Request) -> Response:
        merchant_uid = str(request.path_params["merchant_uid"])
        status = path_status(request)
        found = state.find_payments(merchant_uid, status, query_sorting(request))
        if not found:
            raise ApiReject("존재하지 않는 결제정보입니다.", status=404)
        return envelope(found[0])

    @endpoint("payment_find_all")
    async def find_all_payments(request: Request) -> Response:
        merchant_uid = str(request.path_params["merchant_uid"])
        status = path_status(request)
        page = query_int(request, "page", 1, low=1, high=10**9)
        limit = query_int(request, "limit", 20, low=1, high=1000)
        found = state.find_payments(merchant_uid, status, query_sorting(request))
        if not found:
            raise ApiReject("존재하지 않는 결제정보입니다.", status=404)
        return envelope(page_of(found, page, limit).as_dict())

    @endpoint("payments_by_status")
    async def payments_by_status(request: Request) -> Response:
        status = path_status(request, allow_all=True) or "all"
        page = query_int(request, "page", 1, low=1, high=10**9)
        limit = query_int(request, "limit", 20, low=1, high=1000)
        now = state.now()
        time_to = query_int(request, "to", now, low=0, high=2**63 - 1)
        default_from = time_to - STATUS_WINDOW_MAX_S
        time_from = query_int(request, "from", default_from, low=0, high=2**63 - 1)
        if time_from > time_to:
            raise ApiReject("from은 to보다 클 수 없습니다.", status=400)
        if time_to - time_from > STATUS_WINDOW_MAX_S:
            raise ApiReject(
                f"검색기간은 최대 {STATUS_WINDOW_MAX_DAYS}일까지입니다. (from ~ to)", status=400
            )
        found = state.payments_by_status(
            status, time_from=time_from, time_to=time_to, sorting=query_sorting(request)
        )
        last_page = max(1, math.ceil(len(found) / limit))
        if page > last_page:
            raise ApiReject(
                f"데이터 범위를 넘어선 page입니다. (마지막 page: {last_page})", status=400
            )
        return envelope(page_of(found, page, limit).as_dict())

    @endpoint("cancel")
    async def cancel_payment(request: Request) -> Response:
        params = await read_params(request)
        amount = number_param(params, "amount")
        if amount is not None and amount < 0:
            raise ApiReject("amount 파라메터는 0 이상이어야 합니다.")
        payment = state.cancel(
            imp_uid=text_param(params, "imp_uid"),
            merchant_uid=text_param(params, "merchant_uid"),
            amount=amount,
            checksum=number_param(params, "checksum"),
            reason=text_param(params, "reason"),
        )
        return envelope(payment)

    # -------------------------------------------------------------- not supported here
    @endpoint("schedule", auth=True)
    async def not_supported(request: Request) -> Response:
        del request
        raise ApiReject("sandbox: 예약결제(schedule) API는 지원하지 않습니다.", code=-1)

    async def receipt(request: Request) -> Response:
        payment = state.get_payment(str(request.path_params["imp_uid"]))
        if payment is None:
            return HTMLResponse("<h1>영수증을 찾을 수 없습니다</h1>", status_code=404)
        return HTMLResponse(_receipt_html(payment))

    routes: list[BaseRoute] = [
        Route("/users/getToken", get_token, methods=["POST"]),
        Route("/subscribe/payments/again", pay_again, methods=["POST"]),
        Route("/subscribe/payments/schedule", not_supported, methods=["GET", "POST"]),
        Route("/subscribe/payments/unschedule", not_supported, methods=["POST"]),
        Route(
            "/subscribe/payments/schedule/{rest:path}",
            not_supported,
            methods=["GET", "POST", "PUT"],
        ),
        Route("/subscribe/customers", get_customers, methods=["GET"]),
        Route("/subscribe/customers/{customer_uid}/payments", customer_payments, methods=["GET"]),
        Route("/subscribe/customers/{customer_uid}/schedules", not_supported, methods=["GET"]),
        Route("/subscribe/customers/{customer_uid}", get_customer, methods=["GET"]),
        Route("/subscribe/customers/{customer_uid}", issue_customer, methods=["POST"]),
        Route("/subscribe/customers/{customer_uid}", delete_customer, methods=["DELETE"]),
        Route("/payments", get_payments, methods=["GET"]),
        Route("/payments/cancel", cancel_payment, methods=["POST"]),
        Route("/payments/find/{merchant_uid}", find_payment, methods=["GET"]),
        Route("/payments/find/{merchant_uid}/{payment_status}", find_payment, methods=["GET"]),
        Route("/payments/findAll/{merchant_uid}", find_all_payments, methods=["GET"]),
        Route(
            "/payments/findAll/{merchant_uid}/{payment_status}",
            find_all_payments,
            methods=["GET"],
        ),
        Route("/payments/status/{payment_status}", payments_by_status, methods=["GET"]),
        Route("/payments/{imp_uid}", get_payment, methods=["GET"]),
        Route("/sandbox/receipts/{imp_uid}", receipt, methods=["GET"]),
        *web.browser_routes(state, config),
    ]
    app = Starlette(
        routes=routes,
        # A path or method the API does not have gets a JSON body that is deliberately *not* an
        # envelope: a client must never read a wrong URL as "no such payment" (and charge again).
        exception_handlers={404: _not_routed, 405: _not_routed},
    )
    app.state.sandbox = runtime
    return app


# ---------------------------------------------------------------------------- helpers


async def _not_routed(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 404)
    error = "method not allowed" if status == 405 else "no such API"
    return JSONResponse(
        {"error": error, "method": request.method, "path": request.url.path}, status_code=status
    )


async def _wait_or_disconnect(request: Request, seconds: float) -> None:
    """Sleep `seconds`, but stop early once the client has gone (so the server can stop)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        await asyncio.sleep(min(0.05, max(0.0, deadline - loop.time())))
        if await request.is_disconnected():
            return


_CARD_RE = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{4}$")
_EXPIRY_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _key_in_problem(
    card_number: str, expiry: str, birth: str | None, pwd: str | None, now: datetime
) -> str | None:
    """Why key-in card data is unusable, or None."""
    if not _CARD_RE.match(card_number):
        return "카드번호 형식이 올바르지 않습니다 (dddd-dddd-dddd-dddd)."
    match = _EXPIRY_RE.match(expiry)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return "유효기간 형식이 올바르지 않습니다 (YYYY-MM)."
    local = now.astimezone(SEOUL)
    if (int(match.group(1)), int(match.group(2))) < (local.year, local.month):
        return "유효기간이 지난 카드입니다."
    if birth is not None and not re.fullmatch(r"\d{6}|\d{10}", birth):
        return "생년월일(YYMMDD) 또는 사업자등록번호(10자리) 형식이 올바르지 않습니다."
    if pwd is not None and not re.fullmatch(r"\d{2}", pwd):
        return "카드 비밀번호 앞 2자리 형식이 올바르지 않습니다."
    return None


# A rough BIN → issuer table (first digit) so key-in cards get plausible names and 금융결제원 codes.
_BRANDS = {
    "3": ("삼성카드", "365"),
    "4": ("신한카드", "366"),
    "5": ("KB국민카드", "381"),
    "6": ("BC카드", "361"),
    "9": ("현대카드", "367"),
}


def _card_brand(card_number: str) -> tuple[str, str]:
    return _BRANDS.get(card_number[0], ("하나카드", "374"))


def _receipt_html(payment: Mapping[str, Any]) -> str:
    esc = html.escape
    shown = dict(payment)
    if shown.get("pay_method") == "point":
        shown["card_name"] = KAKAO_MONEY_NAME  # a Kakao Money payment has no card to name
    rows = "".join(
        f"<tr><th>{esc(label)}</th><td>{esc(str(shown.get(key) or ''))}</td></tr>"
        for label, key in (
            ("주문명", "name"),
            ("주문번호", "merchant_uid"),
            ("거래번호", "imp_uid"),
            ("결제금액", "amount"),
            ("취소금액", "cancel_amount"),
            ("상태", "status"),
            ("결제수단", "card_name"),
            ("카드번호", "card_number"),
            ("실패사유", "fail_reason"),
        )
    )
    return (
        '<!doctype html><html lang="ko"><head><meta charset="utf-8">'
        "<title>sandbox 영수증</title></head><body>"
        "<h1>카카오페이 매출전표 (sandbox · 테스트 결제)</h1>"
        f"<table>{rows}</table></body></html>"
    )
