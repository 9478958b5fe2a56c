"""Checkout sessions of the simulated Kakao Pay billing window: validation, binding, outcomes.

No HTTP here (that is `web.py`); this module decides what `IMP.request_pay` is allowed to open and
what each outcome leaves in the `SandboxState`.

A session is created when the SDK asks for a window (`CheckoutSessions.open`). Everything the
window will do is bound to the parameters validated then: the window page only says *which*
outcome happened (and, for approval, how the customer pays), never the amount or the
customer_uid. A session takes exactly one outcome; it expires `window_timeout_s` after it was
opened, and an outcome arriving later is recorded as a time-out instead.

What each outcome leaves. Sources as in `app.py`: [spec], [captured] (a live answer),
[client test], or [assumed] with the REFERENCE section that discusses it.

=========  ===============================================  ====================================
outcome    state                                            callback
=========  ===============================================  ====================================
approve    billing key issued for customer_uid, with the    ``error_code``/``error_msg`` null,
           customer's pick: card → card fields, Kakao       ``status`` paid (ready for amount 0)
           Money → none, and its payments ``pay_method``    [assumed: REFERENCE §7, new SDK]
           "point" with null card fields and ``apply_num``
           "" [captured]. amount > 0: a ``paid`` payment;
           amount 0: a ``ready`` payment with amount 0
           [assumed: REFERENCE §12 q7]; both with
           ``customer_uid_usage`` "issue" [spec: enum]
decline    a ``failed`` payment with a Kakao-like           ``error_code`` "-780" (Kakao Pay's
           ``fail_reason``; no key [assumed: REFERENCE §3]  approval failure) [assumed], status
                                                            failed
cancel     a ``ready`` payment: unpaid, no fail_reason, no  ``error_code`` "F0005", ``error_msg``
           failed_at; no key [assumed: REFERENCE §5 says    "사용자가 결제를 취소 하였습니다."
           ready or failed depending on the PG; ready is  [assumed: REFERENCE §7 quotes the SDK
           the spec's "미결제"]                              docs], ``status`` ready
timeout    a ``ready`` payment, as for cancel: nobody       ``error_code`` "F0004" [assumed],
           approved [assumed]; no key                       ``status`` ready
=========  ===============================================  ====================================

With ``pg: "kakaopay.TC0ONETIME"`` (Kakao Pay's one-time test CID) an approval looks successful
but leaves no billing key, the known misconfiguration of REFERENCE §8 [assumed: a symptom in an
i'mport issue]: sign-up verification has to notice.

Pre-validation failures (`PrevalidationError`) leave nothing and call back with ``imp_uid`` null
[assumed: REFERENCE §7]. Their codes are the sandbox's own (the real SDK's are not published);
the app must only test ``error_code`` against null. An already-paid merchant_uid is refused
before the window opens [assumed: REFERENCE §3, the SDK docs' "사전거절"].
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from kpadmin.sandbox.config import SandboxConfig
from kpadmin.sandbox.state import MerchantUidAlreadyPaid, SandboxState

MERCHANT_UID_MAX = 40
CUSTOMER_UID_MAX = 80
NAME_MAX = 40
BUYER_FIELD_MAX = 200
#: JavaScript's largest exact integer: beyond it the page's number is not the amount it meant.
MAX_AMOUNT = 2**53 - 1
CUSTOM_DATA_MAX = 4000
#: Live (unfinished) sessions kept at once; more means a page is looping request_pay.
MAX_OPEN_SESSIONS = 500
#: Finished sessions are remembered this long so a retried outcome POST gets the same answer.
FINISHED_TTL_S = 600.0

CANCEL_CODE = "F0005"
CANCEL_MESSAGE = "사용자가 결제를 취소 하였습니다."
TIMEOUT_CODE = "F0004"
TIMEOUT_MESSAGE = "결제 요청 시간이 초과되었습니다. 다시 시도해 주세요."
DECLINE_CODE = "-780"
DECLINE_PREFIX = "결제승인에 실패하였습니다."

#: What the approver can say the customer's phone answered (sandbox control "Customer declined").
DECLINE_REASONS: dict[str, str] = {
    "balance": "[8008] 잔액이 부족합니다.",
    "limit": "[2116] 개인 월 한도금액 초과",
    "suspended": "[1051] 거래정지된 카드입니다.",
    "password": "[5003] 결제 비밀번호 입력 횟수를 초과하였습니다.",
}


@dataclass(frozen=True)
class Card:
    """A card the simulated customer keeps in Kakao Pay (i'mport card company codes)."""

    key: str
    company: str
    code: str
    bin: str


#: Kakao Pay's one-time test CID: a window opened with it approves but issues no billing key.
ONE_TIME_CIDS = frozenset({"TC0ONETIME"})

#: KB국민 is missing on purpose: Kakao Pay's test mode does not offer it (REFERENCE §8).
CARDS: tuple[Card, ...] = (
    Card("shinhan", "신한카드", "366", "451842"),
    Card("hyundai", "현대카드", "367", "404825"),
    Card("samsung", "삼성카드", "365", "536181"),
    Card("lotte", "롯데카드", "368", "467309"),
    Card("hana", "하나카드", "374", "465887"),
    Card("bc", "BC카드", "361", "552376"),
    Card("nh", "NH농협카드", "371", "546112"),
)
CARDS_BY_KEY = {card.key: card for card in CARDS}

_CID = re.compile(r"[A-Za-z0-9]{1,20}")
_ORIGIN = re.compile(r"[a-z][a-z0-9+.\-]*://[A-Za-z0-9.\-_\[\]:]+")
_PHONE = re.compile(r"01[016789]\d{7,8}")
_BIRTH = re.compile(r"\d{6}")


class Outcome(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"
    CANCEL = "cancel"
    TIMEOUT = "timeout"


class PrevalidationError(Exception):
    """request_pay is refused before any window opens (callback with ``imp_uid`` null)."""

    def __init__(self, error_code: str, error_msg: str) -> None:
        super().__init__(f"{error_code}: {error_msg}")
        self.error_code = error_code
        self.error_msg = error_msg


class ChoiceError(ValueError):
    """The window sent an outcome body that makes no sense (bad phone number, unknown card…)."""


@dataclass(frozen=True)
class CheckoutParams:
    """The validated `request_pay` parameters a session is bound to."""

    merchant_uid: str
    customer_uid: str
    amount: int
    name: str
    pg_id: str
    buyer: dict[str, str | None]
    custom_data: str | None


@dataclass(frozen=True)
class Choice:
    """What happened on the customer's phone, as reported by the window page."""

    outcome: Outcome
    channel: str = "qr"  # "qr" (in person) or "phone" (KakaoTalk request)
    pay_method: str = "card"  # "card" or "point" (Kakao Money)
    card: str = CARDS[0].key
    decline_reason: str = "balance"
    phone: str | None = None


@dataclass
class CheckoutSession:
    session_id: str
    #: Shown only inside the window page; the outcome POST must carry it, so the merchant page
    #: that opened the window (and knows the session id) cannot approve on the customer's behalf.
    window_token: str
    params: CheckoutParams
    parent_origin: str
    opened_at: datetime
    expires_at: datetime
    user_agent: str | None = None
    outcome: Outcome | None = None
    rsp: dict[str, Any] | None = None
    finished_at: datetime | None = field(default=None, repr=False)


def _text(params: Mapping[str, Any], key: str, limit: int) -> str | None:
    value = params.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise PrevalidationError("INVALID_PARAMS", f"{key}은(는) 문자열이어야 합니다.")
    text = str(value)
    if len(text) > limit:
        raise PrevalidationError("INVALID_PARAMS", f"{key}은(는) {limit}자 이하여야 합니다.")
    return text


def validate_request(
    imp_code: object, params: object, *, config: SandboxConfig, state: SandboxState
) -> CheckoutParams:
    """Check `IMP.request_pay` as i'mport does before a window opens; raise PrevalidationError."""
    if not imp_code:
        raise PrevalidationError(
            "NOT_INITIALIZED", "IMP.init()으로 가맹점 식별코드를 먼저 설정해 주세요."
        )
    if imp_code != config.imp_code:
        raise PrevalidationError(
            "INVALID_IMP_CODE",
            "등록되지 않은 가맹점 식별코드입니다. IMP.init()의 값을 확인해 주세요.",
        )
    if not isinstance(params, Mapping):
        raise PrevalidationError("INVALID_PARAMS", "결제 파라미터는 객체여야 합니다.")

    pg = params.get("pg")
    pg_id = "TCSUBSCRIP"
    if pg is not None and pg != "kakaopay":
        provider, _, cid = pg.partition(".") if isinstance(pg, str) else ("", "", "")
        if provider != "kakaopay" or not _CID.fullmatch(cid):
            raise PrevalidationError(
                "INVALID_PG",
                "이 샌드박스는 카카오페이만 지원합니다."
                " pg는 'kakaopay' 또는 'kakaopay.{CID}'여야 합니다.",
            )
        pg_id = cid

    customer_uid = params.get("customer_uid")
    if not isinstance(customer_uid, str) or not customer_uid.strip():
        raise PrevalidationError(
            "INVALID_CUSTOMER_UID", "정기결제 빌링키 발급에는 customer_uid가 필요합니다."
        )
    if len(customer_uid) > CUSTOMER_UID_MAX:
        raise PrevalidationError(
            "INVALID_CUSTOMER_UID", f"customer_uid는 {CUSTOMER_UID_MAX}자 이하여야 합니다."
        )

    amount = params.get("amount")
    if (
        isinstance(amount, bool)
        or not isinstance(amount, int | float)
        or not math.isfinite(amount)
        or amount < 0
        or amount > MAX_AMOUNT
        or amount != int(amount)
    ):
        raise PrevalidationError("INVALID_AMOUNT", "amount는 0 이상의 정수(숫자 타입)여야 합니다.")

    merchant_uid = params.get("merchant_uid")
    if not isinstance(merchant_uid, str) or not merchant_uid.strip():
        raise PrevalidationError("INVALID_MERCHANT_UID", "merchant_uid가 필요합니다.")
    if len(merchant_uid) > MERCHANT_UID_MAX:
        raise PrevalidationError(
            "INVALID_MERCHANT_UID", f"merchant_uid는 {MERCHANT_UID_MAX}자 이하여야 합니다."
        )
    if state.merchant_uid_is_paid(merchant_uid):
        raise PrevalidationError(
            "ALREADY_PAID", f"이미 결제가 완료된 주문번호입니다. (merchant_uid: {merchant_uid})"
        )

    name = _text(params, "name", NAME_MAX) or "정기결제"
    buyer = {
        key: _text(params, key, BUYER_FIELD_MAX)
        for key in ("buyer_name", "buyer_tel", "buyer_email", "buyer_addr", "buyer_postcode")
    }
    custom_data = params.get("custom_data")
    custom_text: str | None = None
    if custom_data is not None:
        # The SDK takes an object and i'mport stores it as a JSON string.
        custom_text = custom_data if isinstance(custom_data, str) else json.dumps(custom_data)
        if len(custom_text) > CUSTOM_DATA_MAX:
            raise PrevalidationError("INVALID_PARAMS", "custom_data가 너무 큽니다.")
    return CheckoutParams(
        merchant_uid=merchant_uid,
        customer_uid=customer_uid,
        amount=int(amount),
        name=name,
        pg_id=pg_id,
        buyer=buyer,
        custom_data=custom_text,
    )


def parse_choice(body: object) -> Choice:
    """The window's outcome POST body → a Choice; raise ChoiceError for nonsense."""
    if not isinstance(body, Mapping):
        raise ChoiceError("body must be a JSON object")
    try:
        outcome = Outcome(str(body.get("outcome")))
    except ValueError:
        raise ChoiceError("outcome must be approve, decline, cancel or timeout") from None
    channel = body.get("channel", "qr")
    if channel not in ("qr", "phone"):
        raise ChoiceError("channel must be qr or phone")
    pay_method = body.get("pay_method", "card")
    if pay_method not in ("card", "point"):
        raise ChoiceError("pay_method must be card or point")
    card = body.get("card", CARDS[0].key)
    if card not in CARDS_BY_KEY:
        raise ChoiceError("unknown card")
    reason = body.get("decline_reason", "balance")
    if reason not in DECLINE_REASONS:
        raise ChoiceError("unknown decline reason")
    phone: str | None = None
    if channel == "phone" and outcome in (Outcome.APPROVE, Outcome.DECLINE):
        # Approval by phone only follows a KakaoTalk request, which needs a mobile number.
        raw = body.get("phone")
        phone = re.sub(r"[\s-]", "", raw) if isinstance(raw, str) else ""
        if not _PHONE.fullmatch(phone):
            raise ChoiceError("phone must be a Korean mobile number")
        birth = body.get("birth")
        if birth not in (None, "") and not (isinstance(birth, str) and _BIRTH.fullmatch(birth)):
            raise ChoiceError("birth must be YYMMDD")
    return Choice(
        outcome=outcome,
        channel=channel,
        pay_method=pay_method,
        card=card,
        decline_reason=reason,
        phone=phone,
    )


def valid_origin(origin: str | None) -> str | None:
    """`origin` if it looks like a serialised origin (or "null"), else None."""
    if origin == "null" or (origin is not None and _ORIGIN.fullmatch(origin)):
        return origin
    return None


def masked_card_number(card: Card, customer_uid: str) -> str:
    """A stable, plausible masked number: BIN, digits 7–12 masked, last four from the uid."""
    digest = hashlib.sha256(customer_uid.encode()).hexdigest()
    last4 = f"{int(digest[:8], 16) % 10000:04d}"
    return f"{card.bin}******{last4}"


class CheckoutSessions:
    """The live and recently finished window sessions (in memory: they last minutes)."""

    def __init__(self, state: SandboxState, config: SandboxConfig) -> None:
        self._state = state
        self._config = config
        self._sessions: dict[str, CheckoutSession] = {}

    def now(self) -> datetime:
        return self._config.clock()

    def open(
        self,
        imp_code: object,
        params: object,
        *,
        parent_origin: str,
        user_agent: str | None = None,
    ) -> CheckoutSession:
        """Validate and start a session; raise PrevalidationError (nothing stored)."""
        checked = validate_request(imp_code, params, config=self._config, state=self._state)
        self._prune()
        if sum(1 for s in self._sessions.values() if s.outcome is None) >= MAX_OPEN_SESSIONS:
            raise PrevalidationError("TOO_MANY_WINDOWS", "열린 결제창이 너무 많습니다.")
        now = self.now()
        session = CheckoutSession(
            session_id="ks_" + secrets.token_urlsafe(18),
            window_token=secrets.token_urlsafe(24),
            params=checked,
            parent_origin=parent_origin,
            opened_at=now,
            expires_at=now + timedelta(seconds=self._config.window_timeout_s),
            user_agent=user_agent,
        )
        self._sessions[session.session_id] = session
        return session

    def clear(self) -> None:
        """Forget every session — what a sandbox restart does to the windows still open."""
        self._sessions.clear()

    def get(self, session_id: str) -> CheckoutSession | None:
        return self._sessions.get(session_id)

    def seconds_left(self, session: CheckoutSession) -> float:
        return max(0.0, (session.expires_at - self.now()).total_seconds())

    def finish(self, session: CheckoutSession, choice: Choice) -> dict[str, Any]:
        """Apply the session's one outcome to the state and return the callback `rsp`.

        The caller checks `session.outcome is None` first; this raises RuntimeError otherwise so
        a second outcome can never slip through. An outcome after expiry becomes a time-out.
        """
        if session.outcome is not None:
            raise RuntimeError(f"session {session.session_id} already has an outcome")
        if self.seconds_left(session) <= 0:
            choice = Choice(outcome=Outcome.TIMEOUT, channel=choice.channel)
        try:
            rsp = self._apply(session, choice)
        except MerchantUidAlreadyPaid as exc:
            # Another window paid this order while this one was open: nothing happens here.
            rsp = _failure(session.params.merchant_uid, "ALREADY_PAID", exc.message)
        session.outcome = choice.outcome
        session.rsp = rsp
        session.finished_at = self.now()
        return rsp

    def _apply(self, session: CheckoutSession, choice: Choice) -> dict[str, Any]:
        p = session.params
        common: dict[str, Any] = {
            "merchant_uid": p.merchant_uid,
            "amount": p.amount,
            "name": p.name,
            "customer_uid": p.customer_uid,
            "customer_uid_usage": "issue",
            "channel": "pc",
            "buyer": p.buyer,
            "pg_provider": "kakaopay",
            "pg_id": p.pg_id,
            "custom_data": p.custom_data,
            "user_agent": session.user_agent,
        }
        if choice.outcome is Outcome.APPROVE:
            card = CARDS_BY_KEY[choice.card]
            card_fields: dict[str, Any] = {}
            if choice.pay_method == "card":
                card_fields = {
                    "card_name": f"카카오페이 ({card.company})",
                    "card_number": masked_card_number(card, p.customer_uid),
                    "card_code": card.code,
                    "card_type": 0,
                }
            # The check, the payment and the key in one transaction: a crash can't leave a paid
            # first payment without its billing key, and two windows can't both pass the check.
            with self._state.atomic():
                if self._state.merchant_uid_is_paid(p.merchant_uid):
                    raise MerchantUidAlreadyPaid(
                        f"이미 결제가 완료된 주문번호입니다. (merchant_uid: {p.merchant_uid})"
                    )
                # The payment first: it refuses an already-paid merchant_uid before any key exists.
                payment = self._state.create_payment(
                    **common,
                    status="paid" if p.amount > 0 else "ready",
                    pay_method=choice.pay_method,
                    **card_fields,
                )
                if p.pg_id in ONE_TIME_CIDS:
                    # REFERENCE §8: a one-time CID with customer_uid approves, but no reusable key
                    # exists afterwards. The app's verification must catch it.
                    return _rsp_from_payment(payment, None, None)
                self._state.issue_billing_key(
                    p.customer_uid,
                    pg_provider="kakaopay",
                    pg_id=p.pg_id,
                    customer_name=p.buyer.get("buyer_name"),
                    customer_tel=p.buyer.get("buyer_tel"),
                    customer_email=p.buyer.get("buyer_email"),
                    customer_addr=p.buyer.get("buyer_addr"),
                    customer_postcode=p.buyer.get("buyer_postcode"),
                    pay_method=choice.pay_method,
                    **card_fields,
                )
            return _rsp_from_payment(payment, None, None)
        if choice.outcome is Outcome.DECLINE:
            code, message = (
                DECLINE_CODE,
                f"{DECLINE_PREFIX} {DECLINE_REASONS[choice.decline_reason]}",
            )
            payment = self._state.create_payment(
                **common, status="failed", pay_method=choice.pay_method, fail_reason=message
            )
            return _rsp_from_payment(payment, code, message)
        code, message = (
            (CANCEL_CODE, CANCEL_MESSAGE)
            if choice.outcome is Outcome.CANCEL
            else (TIMEOUT_CODE, TIMEOUT_MESSAGE)
        )
        # Nobody approved: the attempt stays "ready" (미결제), as a window left unpaid does; it
        # never failed at the card side, so it has no fail_reason and no failed_at.
        payment = self._state.create_payment(**common, status="ready", pay_method=choice.pay_method)
        return _rsp_from_payment(payment, code, message)

    def _prune(self) -> None:
        now = self.now()
        limit = timedelta(seconds=FINISHED_TTL_S)
        stale = [
            sid
            for sid, s in self._sessions.items()
            if (s.finished_at is not None and now - s.finished_at > limit)
            or (s.finished_at is None and now - s.expires_at > limit)
        ]
        for sid in stale:
            del self._sessions[sid]


def _failure(merchant_uid: str | None, code: str, message: str) -> dict[str, Any]:
    return {"imp_uid": None, "merchant_uid": merchant_uid, "error_code": code, "error_msg": message}


def prevalidation_rsp(params: object, error: PrevalidationError) -> dict[str, Any]:
    """The callback for a request refused before any window opened."""
    merchant_uid = params.get("merchant_uid") if isinstance(params, Mapping) else None
    return _failure(
        merchant_uid if isinstance(merchant_uid, str) else None, error.error_code, error.error_msg
    )


def _rsp_from_payment(
    payment: Mapping[str, Any], error_code: str | None, error_msg: str | None
) -> dict[str, Any]:
    """The new v1 SDK's callback shape (no ``success``) built from the recorded payment."""
    return {
        "imp_uid": payment["imp_uid"],
        "merchant_uid": payment["merchant_uid"],
        "error_code": error_code,
        "error_msg": error_msg,
        "status": payment["status"],
        "paid_amount": payment["amount"] if payment["status"] == "paid" else 0,
        "currency": payment["currency"],
        "pay_method": payment["pay_method"],
        "pg_provider": payment["pg_provider"],
        "pg_type": "payment",
        "pg_tid": payment["pg_tid"],
        "name": payment["name"],
        "buyer_name": payment["buyer_name"],
        "buyer_email": payment["buyer_email"],
        "buyer_tel": payment["buyer_tel"],
        "buyer_addr": payment["buyer_addr"],
        "buyer_postcode": payment["buyer_postcode"],
        "custom_data": payment["custom_data"],
        "paid_at": payment["paid_at"],
        "receipt_url": payment["receipt_url"],
        "apply_num": payment["apply_num"],
        "card_name": payment["card_name"],
        "card_number": payment["card_number"],
        "card_quota": payment["card_quota"],
    }
