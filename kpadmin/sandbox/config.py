"""Configuration of the i'mport sandbox: credentials, decline behaviour, faults and the clock.

One `SandboxConfig` is shared by the REST app (`app.py`), the browser side (`web.py`), the
in-process server (`server.py`) and the CLI (`cli.py`). Defaults are the documented sandbox
credentials, printed by `kpadmin sandbox` at start:

    imp_code   imp00000000
    imp_key    sandbox-key
    imp_secret sandbox-secret

Faults
------
Each fault rate is a probability in 0..1, drawn per request from one RNG seeded with `seed`
(same seed + same request sequence = same faults). At most one fault applies to a request; they
are tried in this order:

* ``fault_error_before`` — answer HTTP 500 **without** processing the request.
* ``fault_error_after``  — process the request (money may move), then answer HTTP 500.
* ``fault_drop_after``   — process, then drop the connection mid-answer (the client sees a
  transport error, never a clean response).
* ``fault_delay_after``  — process, then wait ``fault_delay_s`` before answering (meant to be
  longer than the client's read timeout).

Faults apply only to the endpoints named in ``fault_endpoints`` (see `FAULT_ENDPOINTS` for the
names). The default is every money-moving POST and every lookup — everything except
``token`` (getToken), so a client can always authenticate and the fault lands on the call under
test. Pass ``fault_endpoints=ALL_ENDPOINTS`` to include getToken too.

Answer style
------------
``answer_style`` picks the shape of payment and customer records (``kpadmin sandbox
--answer-style``):

* ``"live"`` (the default) — like the live service's captured answers
  (``shared/iamport/real-answers``): no ``sandbox`` field; a Kakao Money billing key's customer
  record has every card field ``null``.
* ``"spec"`` — the shape ``v1.openapi.yml`` demands: ``sandbox: true`` on every payment and
  customer, and a Kakao Money key's ``card_name`` is ``"카카오머니"`` (the spec makes
  ``card_name`` required). The conformance test (tests/sandbox/test_conformance.py) runs
  Schemathesis against this style.

Everything else (ids, statuses, ``pay_method``, the card fields of payments, errors) is the same
in both styles.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

from kpadmin import clock as seam

DEFAULT_IMP_CODE = "imp00000000"
DEFAULT_IMP_KEY = "sandbox-key"
DEFAULT_IMP_SECRET = "sandbox-secret"

#: Endpoint names used by ``fault_endpoints`` (route name -> what it is).
FAULT_ENDPOINTS: dict[str, str] = {
    "token": "POST /users/getToken",
    "again": "POST /subscribe/payments/again",
    "customer_issue": "POST /subscribe/customers/{customer_uid} (key-in issuance)",
    "customer_get": "GET /subscribe/customers/{customer_uid}",
    "customer_delete": "DELETE /subscribe/customers/{customer_uid}",
    "customers_multi": "GET /subscribe/customers?customer_uid[]=",
    "customer_payments": "GET /subscribe/customers/{customer_uid}/payments",
    "payment_get": "GET /payments/{imp_uid}",
    "payments_multi": "GET /payments?imp_uid[]=&merchant_uid[]=",
    "payment_find": "GET /payments/find/{merchant_uid}[/{status}]",
    "payment_find_all": "GET /payments/findAll/{merchant_uid}[/{status}]",
    "payments_by_status": "GET /payments/status/{status}",
    "cancel": "POST /payments/cancel",
}
ALL_ENDPOINTS: frozenset[str] = frozenset(FAULT_ENDPOINTS)
DEFAULT_FAULT_ENDPOINTS: frozenset[str] = ALL_ENDPOINTS - {"token"}

AnswerStyle = Literal["live", "spec"]
ANSWER_STYLES: tuple[str, ...] = get_args(AnswerStyle)


def utc_now() -> datetime:
    """The process's clock (aware UTC; `kpadmin.clock`, which honours KPADMIN_NOW). The sandbox
    the runtime starts and `kpadmin sandbox` both pass the clock in explicitly; this is the
    fallback for a bare `SandboxConfig()`."""
    return seam.now()


@dataclass
class SandboxConfig:
    """What shapes the sandbox's behaviour; mutable so tests can change faults at run time."""

    imp_code: str = DEFAULT_IMP_CODE
    imp_key: str = DEFAULT_IMP_KEY
    imp_secret: str = DEFAULT_IMP_SECRET
    #: Paid re-charges allowed per billing key per calendar month (Asia/Seoul); None = no cap.
    monthly_limit: int | None = None
    #: Seed for declines and faults; None = unseeded (different every run).
    seed: int | None = None
    #: Added to every REST answer (asyncio.sleep; never blocks the loop).
    latency_ms: int = 0
    #: Probability that a charge is declined (HTTP 200, code 0, status "failed").
    decline_rate: float = 0.0
    fault_error_before: float = 0.0
    fault_error_after: float = 0.0
    fault_drop_after: float = 0.0
    fault_delay_after: float = 0.0
    #: How long a "delayed" answer waits; pick it above the client's read timeout.
    fault_delay_s: float = 90.0
    fault_endpoints: frozenset[str] = DEFAULT_FAULT_ENDPOINTS
    #: How long the simulated Kakao Pay window waits for the user before timing out (web.py).
    window_timeout_s: float = 300.0
    #: "live" (like the captured live answers) or "spec" (v1.openapi.yml's shape); see above.
    answer_style: AnswerStyle = "live"
    #: The sandbox's notion of now (aware UTC). Tests inject a controllable clock.
    clock: Callable[[], datetime] = field(default=utc_now, repr=False)

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ValueError for settings that make no sense."""
        for name in (
            "decline_rate",
            "fault_error_before",
            "fault_error_after",
            "fault_drop_after",
            "fault_delay_after",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.monthly_limit is not None and self.monthly_limit < 0:
            raise ValueError("monthly_limit must be >= 0")
        if self.latency_ms < 0 or self.fault_delay_s < 0 or self.window_timeout_s <= 0:
            raise ValueError("latency_ms and fault_delay_s must be >= 0, window_timeout_s > 0")
        if self.answer_style not in ANSWER_STYLES:
            raise ValueError(
                f"answer_style must be one of {', '.join(ANSWER_STYLES)}, not {self.answer_style!r}"
            )
        unknown = set(self.fault_endpoints) - ALL_ENDPOINTS
        if unknown:
            raise ValueError(f"unknown fault endpoints: {sorted(unknown)}")

    def replace(self, **changes: object) -> SandboxConfig:
        """A copy with some fields changed (validated)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]
