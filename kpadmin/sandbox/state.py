"""The sandbox's memory: access tokens, billing keys (customers), payments and their cancel history.

`SandboxState(path)` keeps everything in one SQLite database — ``:memory:`` when `path` is None, a
file with ``kpadmin sandbox --state FILE`` so the whole state survives a restart. It is shared by
the REST app (`app.py`, running on uvicorn's thread), the browser side (`web.py`) and tests that
poke it directly, so every method takes one re-entrant lock and runs in one transaction: a
check-then-insert (a duplicate ``merchant_uid``, the monthly cap) can never race.

Rows hold the API's own dict shapes (PaymentAnnotation, CustomerAnnotation) as JSON next to the
few columns the lookups need. ``receipt_url`` is not stored: it is built when a payment is read,
from `base_url` (set by the server once it knows its port), so a restarted sandbox on another port
still hands out working receipt links.

The methods raise `StateError` subclasses for the request-level rejections the real API answers
with ``code != 0``; the REST layer turns them into envelopes. Times come from `clock` (aware UTC;
`create_app` installs the config's clock here) and are stored as UNIX seconds.

Rules kept here (sources as in `app.py`):

* ``imp_uid`` = ``imp_`` + 12 random digits, never reused [captured: imp_406540408880].
* Records are stored in one shape and rendered in the state's `answer_style` when read: "live"
  drops ``sandbox`` [captured, payments; assumed, customers] and gives a Kakao Money key no card
  fields [assumed]; "spec" adds ``sandbox: true`` and names such a key's card "카카오머니"
  [spec: both required]. So one state file serves either style, and files written before the
  styles existed (which stored ``sandbox`` and "카카오머니") read the same as new ones.
* A key's ``pay_method`` column ("card" or "point") is the customer's pick at issuance; every
  charge of the key uses it [assumed: REFERENCE §3/§7]. A "point" payment has every card field
  ``null`` and ``apply_num ""`` [captured: kakaopay-test-payment-paid.json].
* Re-issuing a customer_uid replaces the key and keeps ``inserted`` [assumed: REFERENCE §4].
* A merchant_uid with a paid (even if later refunded) payment cannot be paid again; failed or
  unpaid ("ready") attempts do not block it [assumed: REFERENCE §3].
* getToken reuse: same token until expiry, +5 min in its last minute [spec].
"""

from __future__ import annotations

import json
import os
import random
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from kpadmin.sandbox.config import AnswerStyle, utc_now

SEOUL = ZoneInfo("Asia/Seoul")
TOKEN_LIFETIME_S = 30 * 60
#: getToken before expiry returns the same token; in its last minute the expiry moves 5 min on.
TOKEN_EXTEND_WINDOW_S = 60
TOKEN_EXTENSION_S = 5 * 60

PAYMENT_STATUSES = ("ready", "paid", "cancelled", "failed")
SORTINGS = {
    "-started": ("started_at", "DESC"),
    "started": ("started_at", "ASC"),
    "-paid": ("paid_at", "DESC"),
    "paid": ("paid_at", "ASC"),
    "-updated": ("updated", "DESC"),
    "updated": ("updated", "ASC"),
}
CUSTOMER_PAGE_SIZE = 20

#: Kakao Money's name where the spec style must fill the required ``CustomerAnnotation.card_name``.
KAKAO_MONEY_NAME = "카카오머니"
#: Every card field of a payment / a customer record (all ``null`` for a Kakao Money one).
PAYMENT_CARD_FIELDS = (
    "card_code",
    "card_name",
    "card_issuer_code",
    "card_issuer_name",
    "card_publisher_code",
    "card_publisher_name",
    "card_number",
    "card_type",
)
CUSTOMER_CARD_FIELDS = PAYMENT_CARD_FIELDS

MONTHLY_LIMIT_REASON = "[CARD_LIMIT] 카카오페이 정기결제 월 한도 횟수를 초과하였습니다."
ALWAYS_DECLINE_REASON = "[8008] 잔액이 부족합니다."

Behaviour = Literal["decline"] | None

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    imp_key     TEXT PRIMARY KEY,
    token       TEXT NOT NULL,
    expired_at  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS customers (
    customer_uid TEXT PRIMARY KEY,
    data         TEXT NOT NULL,
    pay_method   TEXT NOT NULL,
    behaviour    TEXT,
    deleted_at   INTEGER
);
CREATE TABLE IF NOT EXISTS payments (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    imp_uid      TEXT NOT NULL UNIQUE,
    merchant_uid TEXT NOT NULL,
    customer_uid TEXT,
    usage        TEXT,
    status       TEXT NOT NULL,
    started_at   INTEGER NOT NULL,
    paid_at      INTEGER NOT NULL,
    failed_at    INTEGER NOT NULL,
    cancelled_at INTEGER NOT NULL,
    updated      INTEGER NOT NULL,
    data         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS payments_merchant ON payments (merchant_uid);
CREATE INDEX IF NOT EXISTS payments_customer ON payments (customer_uid, paid_at);
CREATE INDEX IF NOT EXISTS payments_status ON payments (status, started_at);
"""


class StateError(Exception):
    """A request the real API rejects with ``code != 0`` (``response: null``)."""

    code = -1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownCustomer(StateError):
    """No live billing key for this customer_uid (never issued, or deleted)."""


class MerchantUidAlreadyPaid(StateError):
    """The merchant_uid already has a paid payment; nothing new was created."""

    code = 1


class CancelRejected(StateError):
    """A cancel the API refuses (unknown payment, nothing left to refund, checksum mismatch…)."""

    code = 1


class UnknownPayment(StateError):
    code = 1


@dataclass(frozen=True)
class Page:
    """One page of payments in the API's paged shape."""

    total: int
    previous: int
    next: int
    list: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "previous": self.previous,
            "next": self.next,
            "list": self.list,
        }


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def seoul_month_bounds(moment: datetime) -> tuple[int, int]:
    """[start, end) of the calendar month (Asia/Seoul) containing `moment`, as UNIX seconds."""
    local = moment.astimezone(SEOUL)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=32)).replace(day=1)
    return epoch(start), epoch(end)


class SandboxState:
    """Thread-safe SQLite-backed sandbox state. See the module docstring."""

    def __init__(
        self, path: str | Path | None = None, *, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.path = ":memory:" if path is None else str(path)
        self.clock: Callable[[], datetime] = clock or utc_now
        #: The shape of the records handed out (`create_app` installs the config's).
        self.answer_style: AnswerStyle = "live"
        #: Base URL receipts point at; the server sets it once it is listening.
        self.base_url = "http://127.0.0.1"
        self._lock = threading.RLock()
        self._ids = random.Random(secrets.randbits(64))
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        if self.path != ":memory:":
            # Sandbox tokens only, but still nobody else's business.
            os.chmod(self.path, 0o600)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    # ------------------------------------------------------------------ plumbing
    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._db.in_transaction:
                # Joined by an enclosing `atomic()` block: one commit for all of it.
                yield self._db
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Group several state changes into one transaction (e.g. the window's payment + key)."""
        with self._tx():
            yield

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def now(self) -> int:
        return epoch(self.clock())

    def _new_imp_uid(self, db: sqlite3.Connection) -> str:
        while True:
            # The live format: "imp_" + 12 digits (captured: imp_406540408880, imp_146565009559).
            imp_uid = f"imp_{self._ids.randrange(10**12):012d}"
            if (
                db.execute("SELECT 1 FROM payments WHERE imp_uid = ?", (imp_uid,)).fetchone()
                is None
            ):
                return imp_uid

    def _new_hex(self, n: int) -> str:
        return "".join(self._ids.choice("0123456789abcdef") for _ in range(n))

    # ------------------------------------------------------------------ tokens
    def get_token(self, imp_key: str) -> dict[str, Any]:
        """getToken's reuse rule: same token and expiry until it expires, +5 min in its last
        minute, a fresh 30-minute token after expiry. Returns an AuthAnnotation dict."""
        with self._tx() as db:
            now = self.now()
            row = db.execute("SELECT token, expired_at FROM tokens WHERE imp_key = ?", (imp_key,))
            found = row.fetchone()
            if found is not None and now < found["expired_at"]:
                token, expired_at = found["token"], found["expired_at"]
                if expired_at - now <= TOKEN_EXTEND_WINDOW_S:
                    expired_at += TOKEN_EXTENSION_S
                    db.execute(
                        "UPDATE tokens SET expired_at = ? WHERE imp_key = ?", (expired_at, imp_key)
                    )
            else:
                token, expired_at = secrets.token_hex(20), now + TOKEN_LIFETIME_S
                db.execute(
                    "INSERT OR REPLACE INTO tokens (imp_key, token, expired_at) VALUES (?, ?, ?)",
                    (imp_key, token, expired_at),
                )
            return {"access_token": token, "now": now, "expired_at": expired_at}

    def token_is_valid(self, token: str, imp_key: str | None = None) -> bool:
        """Whether `token` is live (and, given `imp_key`, was issued for that key)."""
        with self._lock:
            row = self._db.execute(
                "SELECT imp_key, expired_at FROM tokens WHERE token = ?", (token,)
            ).fetchone()
            if row is None or (imp_key is not None and row["imp_key"] != imp_key):
                return False
            return self.now() < int(row["expired_at"])

    # ------------------------------------------------------------------ customers
    def issue_billing_key(
        self,
        customer_uid: str,
        *,
        pg_provider: str = "kakaopay",
        pg_id: str = "TCSUBSCRIP",
        card_name: str | None = None,
        card_number: str | None = None,
        card_code: str | None = None,
        card_type: int | None = None,
        customer_name: str | None = None,
        customer_tel: str | None = None,
        customer_email: str | None = None,
        customer_id: str | None = None,
        customer_addr: str | None = None,
        customer_postcode: str | None = None,
        behaviour: Behaviour = None,
        pay_method: str | None = None,
    ) -> dict[str, Any]:
        """Issue (or re-issue: the newest key replaces the old one) a billing key.

        `pay_method` is what the customer picked in the window, "card" or "point" (Kakao Money);
        every re-charge of the key keeps it (REFERENCE §3/§7). Left None, it is "card" when card
        fields are given, else "point". A "point" key keeps no card fields.
        `behaviour="decline"` marks a key whose every charge is declined (test cards).
        """
        if pay_method is None:
            pay_method = "card" if (card_name or card_number) else "point"
        if pay_method not in ("card", "point"):
            raise ValueError(f"pay_method is card or point, not {pay_method!r}")
        if pay_method == "point":
            card_name = card_number = card_code = None
            card_type = None
        with self._tx() as db:
            now = self.now()
            old = db.execute(
                "SELECT data, deleted_at FROM customers WHERE customer_uid = ?", (customer_uid,)
            ).fetchone()
            inserted = now
            if old is not None and old["deleted_at"] is None:
                inserted = json.loads(old["data"])["inserted"]
            data: dict[str, Any] = {
                "customer_uid": customer_uid,
                "pg_provider": pg_provider,
                "pg_id": pg_id,
                "customer_id": customer_id,
                "card_name": card_name,
                "card_code": card_code,
                "card_issuer_code": None,
                "card_issuer_name": None,
                "card_publisher_code": None,
                "card_publisher_name": None,
                "card_number": card_number,
                "card_type": card_type,
                "customer_name": customer_name,
                "customer_tel": customer_tel,
                "customer_email": customer_email,
                "customer_addr": customer_addr,
                "customer_postcode": customer_postcode,
                "inserted": inserted,
                "updated": now,
            }
            db.execute(
                "INSERT OR REPLACE INTO customers"
                " (customer_uid, data, pay_method, behaviour, deleted_at)"
                " VALUES (?, ?, ?, ?, NULL)",
                (customer_uid, json.dumps(data), pay_method, behaviour),
            )
            return self._render_customer(data, pay_method)

    def get_customer(self, customer_uid: str) -> dict[str, Any] | None:
        """The live billing key, or None (never issued or deleted)."""
        with self._lock:
            row = self._db.execute(
                "SELECT data, pay_method FROM customers"
                " WHERE customer_uid = ? AND deleted_at IS NULL",
                (customer_uid,),
            ).fetchone()
            if row is None:
                return None
            return self._render_customer(json.loads(row["data"]), row["pay_method"])

    def customer_known(self, customer_uid: str) -> bool:
        """Whether a key was ever issued for this customer_uid (even if deleted since)."""
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM customers WHERE customer_uid = ?", (customer_uid,)
            ).fetchone()
            return row is not None

    def delete_customer(self, customer_uid: str, reason: str | None = None) -> dict[str, Any]:
        """Delete a live key; returns its last CustomerAnnotation. Raises UnknownCustomer."""
        del reason  # the real API records it; nothing here reads it back
        with self._tx() as db:
            row = db.execute(
                "SELECT data, pay_method FROM customers"
                " WHERE customer_uid = ? AND deleted_at IS NULL",
                (customer_uid,),
            ).fetchone()
            if row is None:
                raise UnknownCustomer(
                    f"요청하신 customer_uid({customer_uid})로 등록된 정보를 찾을 수 없습니다."
                )
            now = self.now()
            data: dict[str, Any] = json.loads(row["data"])
            db.execute(
                "UPDATE customers SET deleted_at = ? WHERE customer_uid = ?", (now, customer_uid)
            )
            return self._render_customer(data, row["pay_method"])

    # ------------------------------------------------------------------ payments
    def merchant_uid_is_paid(self, merchant_uid: str) -> bool:
        """True when some payment with this merchant_uid is paid (or was paid and refunded)."""
        with self._lock:
            return self._merchant_uid_is_paid(self._db, merchant_uid)

    @staticmethod
    def _merchant_uid_is_paid(db: sqlite3.Connection, merchant_uid: str) -> bool:
        # A refunded payment keeps its paid_at: its order id was used for real money once.
        row = db.execute(
            "SELECT 1 FROM payments WHERE merchant_uid = ? AND paid_at > 0 LIMIT 1", (merchant_uid,)
        ).fetchone()
        return row is not None

    def create_payment(
        self,
        *,
        merchant_uid: str,
        amount: int,
        name: str,
        status: str,
        customer_uid: str | None,
        customer_uid_usage: str | None,
        channel: str,
        pay_method: str = "card",
        fail_reason: str | None = None,
        buyer: dict[str, Any] | None = None,
        card_name: str | None = None,
        card_number: str | None = None,
        card_code: str | None = None,
        card_type: int | None = None,
        card_quota: int = 0,
        pg_provider: str = "kakaopay",
        pg_id: str = "TCSUBSCRIP",
        custom_data: str | None = None,
        user_agent: str | None = None,
        tax_free: int = 0,
    ) -> dict[str, Any]:
        """Record one payment attempt and return it as a PaymentAnnotation dict.

        Raises MerchantUidAlreadyPaid (nothing recorded) if the merchant_uid is already paid.
        """
        with self._tx() as db:
            return self._insert_payment(
                db,
                merchant_uid=merchant_uid,
                amount=amount,
                name=name,
                status=status,
                customer_uid=customer_uid,
                customer_uid_usage=customer_uid_usage,
                channel=channel,
                pay_method=pay_method,
                fail_reason=fail_reason,
                buyer=buyer,
                card_name=card_name,
                card_number=card_number,
                card_code=card_code,
                card_type=card_type,
                card_quota=card_quota,
                pg_provider=pg_provider,
                pg_id=pg_id,
                custom_data=custom_data,
                user_agent=user_agent,
                tax_free=tax_free,
            )

    def _insert_payment(
        self,
        db: sqlite3.Connection,
        *,
        merchant_uid: str,
        amount: int,
        name: str,
        status: str,
        customer_uid: str | None,
        customer_uid_usage: str | None,
        channel: str,
        pay_method: str,
        fail_reason: str | None,
        buyer: dict[str, Any] | None,
        card_name: str | None,
        card_number: str | None,
        card_code: str | None,
        card_type: int | None,
        card_quota: int,
        pg_provider: str,
        pg_id: str,
        custom_data: str | None,
        user_agent: str | None,
        tax_free: int,
    ) -> dict[str, Any]:
        if status not in ("paid", "failed", "ready"):
            raise ValueError(f"a new payment is paid, failed or ready, not {status!r}")
        if self._merchant_uid_is_paid(db, merchant_uid):
            raise MerchantUidAlreadyPaid(
                f"이미 결제가 완료된 주문번호(merchant_uid: {merchant_uid})입니다."
            )
        now = self.now()
        imp_uid = self._new_imp_uid(db)
        buyer = buyer or {}
        paid = status == "paid"
        if pay_method == "point":
            # Kakao Money (captured: kakaopay-test-payment-paid.json): no card behind it.
            card_name = card_number = card_code = None
            card_type = None
        # No approval number is "" in the live service, not null (captured answers, Kakao Money);
        # a paid card payment gets an 8-digit one (assumed format).
        apply_num = f"{self._ids.randrange(10**8):08d}" if paid and pay_method == "card" else ""
        data: dict[str, Any] = {
            "imp_uid": imp_uid,
            "merchant_uid": merchant_uid,
            "pay_method": pay_method,
            "channel": channel,
            "pg_provider": pg_provider,
            "emb_pg_provider": None,
            "pg_tid": "T" + self._new_hex(19),
            "pg_id": pg_id,
            "escrow": False,
            "apply_num": apply_num,
            "bank_code": None,
            "bank_name": None,
            "card_code": card_code,
            "card_name": card_name,
            "card_issuer_code": None,
            "card_issuer_name": None,
            "card_publisher_code": None,
            "card_publisher_name": None,
            "card_quota": card_quota,
            "card_number": card_number,
            "card_type": card_type,
            "vbank_code": None,
            "vbank_name": None,
            "vbank_num": None,
            "vbank_holder": None,
            "vbank_date": 0,
            "vbank_issued_at": 0,
            "name": name,
            "amount": amount,
            "cancel_amount": 0,
            "currency": "KRW",
            "buyer_name": buyer.get("buyer_name"),
            "buyer_email": buyer.get("buyer_email"),
            "buyer_tel": buyer.get("buyer_tel"),
            "buyer_addr": buyer.get("buyer_addr"),
            "buyer_postcode": buyer.get("buyer_postcode"),
            "custom_data": custom_data,
            "user_agent": user_agent or ("sorryNotSupported" if channel == "api" else None),
            "status": status,
            "started_at": now,
            "paid_at": now if paid else 0,
            "failed_at": now if status == "failed" else 0,
            "cancelled_at": 0,
            "fail_reason": fail_reason if status == "failed" else None,
            "cancel_reason": None,
            "cancel_history": [],
            "cancel_receipt_urls": [],
            "cash_receipt_issued": False,
            "customer_uid": customer_uid,
            "customer_uid_usage": customer_uid_usage,
            "_tax_free": tax_free,
        }
        db.execute(
            "INSERT INTO payments (imp_uid, merchant_uid, customer_uid, usage, status, started_at,"
            " paid_at, failed_at, cancelled_at, updated, data) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                imp_uid,
                merchant_uid,
                customer_uid,
                customer_uid_usage,
                status,
                now,
                data["paid_at"],
                data["failed_at"],
                0,
                now,
                json.dumps(data),
            ),
        )
        return self._render(data)

    def pay_again(
        self,
        *,
        customer_uid: str,
        merchant_uid: str,
        amount: int,
        name: str,
        monthly_limit: int | None = None,
        decline_reason: str | None = None,
        buyer: dict[str, Any] | None = None,
        custom_data: str | None = None,
        card_quota: int = 0,
        tax_free: int = 0,
    ) -> dict[str, Any]:
        """A charge on a stored billing key (``/subscribe/payments/again``), atomically.

        Raises UnknownCustomer (no live key) or MerchantUidAlreadyPaid; otherwise records a paid
        or failed payment. It is declined when `decline_reason` is given (the caller's random
        draw), when the key always declines, or when the key already has `monthly_limit` paid
        charges in this Asia/Seoul calendar month.
        """
        with self._tx() as db:
            row = db.execute(
                "SELECT data, pay_method, behaviour FROM customers"
                " WHERE customer_uid = ? AND deleted_at IS NULL",
                (customer_uid,),
            ).fetchone()
            if row is None:
                raise UnknownCustomer(f"등록되지 않은 사용자입니다. (customer_uid: {customer_uid})")
            customer = self._render_customer(json.loads(row["data"]), row["pay_method"])
            if self._merchant_uid_is_paid(db, merchant_uid):
                raise MerchantUidAlreadyPaid(
                    f"이미 결제가 완료된 주문번호(merchant_uid: {merchant_uid})입니다."
                )
            reason = decline_reason
            if row["behaviour"] == "decline":
                reason = ALWAYS_DECLINE_REASON
            if monthly_limit is not None and reason is None:
                start, end = seoul_month_bounds(self.clock())
                (count,) = db.execute(
                    "SELECT COUNT(*) FROM payments WHERE customer_uid = ? AND usage = 'payment'"
                    " AND paid_at >= ? AND paid_at < ?",
                    (customer_uid, start, end),
                ).fetchone()
                if count >= monthly_limit:
                    reason = MONTHLY_LIMIT_REASON
            buyer = dict(buyer or {})
            for field, source in (
                ("buyer_name", "customer_name"),
                ("buyer_tel", "customer_tel"),
                ("buyer_email", "customer_email"),
            ):
                buyer.setdefault(field, customer.get(source))
            return self._insert_payment(
                db,
                merchant_uid=merchant_uid,
                amount=amount,
                name=name,
                status="failed" if reason else "paid",
                customer_uid=customer_uid,
                customer_uid_usage="payment",
                channel="api",
                pay_method=row["pay_method"],
                fail_reason=reason,
                buyer=buyer,
                card_name=customer["card_name"],
                card_number=customer["card_number"],
                card_code=customer["card_code"],
                card_type=customer["card_type"],
                card_quota=card_quota,
                pg_provider=customer["pg_provider"],
                pg_id=customer["pg_id"],
                custom_data=custom_data,
                user_agent=None,
                tax_free=tax_free,
            )

    def cancel(
        self,
        *,
        imp_uid: str | None = None,
        merchant_uid: str | None = None,
        amount: int | None = None,
        checksum: int | None = None,
        reason: str | None = None,
    ) -> dict[str, Any]:
        """Refund all (amount None/0) or part of a paid payment. Raises CancelRejected.

        `checksum`, when given, must equal the refundable balance or nothing changes. The status
        becomes "cancelled" only once the whole amount is refunded; a partial refund leaves it
        "paid" with a grown ``cancel_amount`` and a new ``cancel_history`` entry (REFERENCE [I]).
        """
        with self._tx() as db:
            if imp_uid:  # imp_uid wins over merchant_uid, even when it is wrong
                row = db.execute("SELECT data FROM payments WHERE imp_uid = ?", (imp_uid,))
            elif merchant_uid:
                row = db.execute(
                    "SELECT data FROM payments WHERE merchant_uid = ? AND paid_at > 0"
                    " ORDER BY seq DESC LIMIT 1",
                    (merchant_uid,),
                )
            else:
                raise CancelRejected("imp_uid 또는 merchant_uid 중 하나는 필수입니다.")
            found = row.fetchone()
            if found is None:
                raise CancelRejected("취소할 결제건이 존재하지 않습니다.")
            data: dict[str, Any] = json.loads(found["data"])
            if data["status"] == "cancelled":
                raise CancelRejected("이미 전액취소된 주문입니다.")
            if data["status"] != "paid":
                raise CancelRejected("결제완료 상태가 아니어서 취소할 수 없는 결제건입니다.")
            balance = int(data["amount"]) - int(data["cancel_amount"])
            if checksum is not None and checksum != balance:
                raise CancelRejected(
                    f"취소요청금액 검증(checksum)에 실패하였습니다. 취소가능잔액: {balance}원"
                )
            refund = amount or balance
            if refund < 0:
                raise CancelRejected("취소금액은 0보다 커야 합니다.")
            if refund > balance:
                raise CancelRejected(f"취소가능잔액({balance}원)보다 큰 금액은 취소할 수 없습니다.")
            now = self.now()
            data["cancel_amount"] = int(data["cancel_amount"]) + refund
            data["cancel_reason"] = reason
            data["cancel_history"].append(
                {
                    "pg_tid": data["pg_tid"],
                    "amount": refund,
                    "cancelled_at": now,
                    "reason": reason or "",
                    "cancellation_id": f"{data['imp_uid']}-c{len(data['cancel_history']) + 1}",
                    "receipt_url": None,
                }
            )
            if data["cancel_amount"] >= data["amount"]:
                data["status"] = "cancelled"
                data["cancelled_at"] = now
            db.execute(
                "UPDATE payments SET status = ?, cancelled_at = ?, updated = ?, data = ?"
                " WHERE imp_uid = ?",
                (data["status"], data["cancelled_at"], now, json.dumps(data), data["imp_uid"]),
            )
            return self._render(data)

    # ------------------------------------------------------------------ lookups
    def _render(self, data: dict[str, Any]) -> dict[str, Any]:
        """A stored payment as the API hands it out, in this state's answer style."""
        out = {k: v for k, v in data.items() if not k.startswith("_")}
        # State files written before the answer styles existed stored the flag: drop it first.
        out.pop("sandbox", None)
        if self.answer_style == "spec":
            out["sandbox"] = True  # spec: PaymentAnnotation.sandbox is required
        receipt = f"{self.base_url}/sandbox/receipts/{data['imp_uid']}"
        out["receipt_url"] = receipt
        out["cancel_history"] = [
            {**entry, "receipt_url": f"{receipt}?cancellation_id={entry['cancellation_id']}"}
            for entry in data["cancel_history"]
        ]
        out["cancel_receipt_urls"] = [e["receipt_url"] for e in out["cancel_history"]]
        return out

    def _render_customer(self, data: dict[str, Any], pay_method: str) -> dict[str, Any]:
        """A stored customer record as the API hands it out, in this state's answer style."""
        out = dict(data)
        out.pop("sandbox", None)
        if pay_method == "point":
            # Older state files kept "카카오머니" as the card name; a Kakao Money key has no card.
            out.update(dict.fromkeys(CUSTOMER_CARD_FIELDS))
        if self.answer_style == "spec":
            out["sandbox"] = True  # spec: CustomerAnnotation.sandbox is required
            if out.get("card_name") is None:
                out["card_name"] = KAKAO_MONEY_NAME  # spec: card_name is required
        return out

    def _select(self, where: str, params: tuple[Any, ...], order: str) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(f"SELECT data FROM payments {where} {order}", params)
            return [self._render(json.loads(r["data"])) for r in rows.fetchall()]

    @staticmethod
    def _order(sorting: str) -> str:
        column, direction = SORTINGS[sorting]
        return f"ORDER BY {column} {direction}, seq {direction}"

    def get_payment(self, imp_uid: str) -> dict[str, Any] | None:
        found = self._select("WHERE imp_uid = ?", (imp_uid,), "")
        return found[0] if found else None

    def find_payments(
        self, merchant_uid: str, status: str | None = None, sorting: str = "-started"
    ) -> list[dict[str, Any]]:
        """Every attempt with this merchant_uid (optionally in one status), sorted."""
        if status is None:
            return self._select("WHERE merchant_uid = ?", (merchant_uid,), self._order(sorting))
        return self._select(
            "WHERE merchant_uid = ? AND status = ?", (merchant_uid, status), self._order(sorting)
        )

    def payments_by_status(
        self,
        status: str,
        *,
        time_from: int,
        time_to: int,
        sorting: str = "-started",
    ) -> list[dict[str, Any]]:
        """Payments in a status (or "all") whose status time lies in [time_from, time_to]."""
        # The time filter uses the time that matches each payment's status (OAS `from`/`to`).
        time_expr = (
            "CASE status WHEN 'paid' THEN paid_at WHEN 'cancelled' THEN cancelled_at"
            " WHEN 'failed' THEN failed_at ELSE started_at END"
        )
        where = f"WHERE {time_expr} BETWEEN ? AND ?"
        params: tuple[Any, ...] = (time_from, time_to)
        if status != "all":
            where += " AND status = ?"
            params = (*params, status)
        return self._select(where, params, self._order(sorting))

    def customer_payments(self, customer_uid: str) -> list[dict[str, Any]]:
        """Every payment made with (or issuing) this key, newest first."""
        return self._select("WHERE customer_uid = ?", (customer_uid,), self._order("-started"))

    def all_payments(self) -> list[dict[str, Any]]:
        """Every payment in insertion order (tests, receipts)."""
        return self._select("", (), "ORDER BY seq")


def page_of(items: list[dict[str, Any]], page: int, limit: int) -> Page:
    """Slice a sorted list into the API's paged shape (pages start at 1; 0 = no such page)."""
    start = (page - 1) * limit
    chunk = items[start : start + limit]
    has_next = start + limit < len(items)
    return Page(
        total=len(items),
        previous=page - 1 if page > 1 else 0,
        next=page + 1 if has_next else 0,
        list=chunk,
    )


__all__ = [
    "ALWAYS_DECLINE_REASON",
    "KAKAO_MONEY_NAME",
    "MONTHLY_LIMIT_REASON",
    "CancelRejected",
    "MerchantUidAlreadyPaid",
    "Page",
    "SandboxState",
    "StateError",
    "UnknownCustomer",
    "UnknownPayment",
    "page_of",
    "seoul_month_bounds",
]
