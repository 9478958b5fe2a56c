"""The checkout page's callback: `parse_bridge_message` checks what the bridge relays."""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kpadmin.billing.signup.form import _ORDER_ID_RE, _PAYMENT_ID_RE, CALLBACK_MAX_BYTES


class CallbackRejected(ValueError):
    """A bridge message that is not a well-formed callback for this attempt (logged, ignored)."""


@dataclass(frozen=True, slots=True)
class CheckoutCallback:
    """The `rsp` object of `IMP.request_pay`'s callback, as far as kpadmin reads it.

    New-SDK callbacks carry no ``success`` (REFERENCE.md §7): failure is ``error_code`` not null.
    """

    order_id: str  # the callback's merchant_uid
    payment_id: str | None  # the callback's imp_uid
    error_code: str | None
    error_msg: str | None
    status: str | None = None
    extra: Mapping[str, str | int | float | bool | None] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.error_code is not None


# Fields the callback may carry (REFERENCE.md §7): all scalars. Anything else is refused.
_CALLBACK_STR_FIELDS = frozenset(
    {
        "imp_uid",
        "merchant_uid",
        "error_code",
        "error_msg",
        "status",
        "pay_method",
        "name",
        "pg_provider",
        "emb_pg_provider",
        "pg_tid",
        "pg_type",
        "buyer_name",
        "buyer_tel",
        "buyer_email",
        "buyer_addr",
        "buyer_postcode",
        "custom_data",
        "receipt_url",
        "apply_num",
        "card_name",
        "card_number",
        "currency",
        "customer_uid",
        "bank_name",
    }
)
_CALLBACK_NUM_FIELDS = frozenset({"paid_amount", "paid_at", "card_quota", "card_type"})
_CALLBACK_BOOL_FIELDS = frozenset({"success", "imp_success"})
_CALLBACK_STR_MAX = 2000


class PageStatus(enum.StrEnum):
    """Progress the checkout page reports through the bridge (no data attached)."""

    SDK_LOADED = "sdk_loaded"  # iamport.js loaded; IMP.init done
    SDK_FAILED = "sdk_failed"  # iamport.js could not be loaded (network, blocked)
    REQUESTED = "requested"  # IMP.request_pay was called: the window is opening


def parse_bridge_message(
    message: object, *, expected_order_id: str
) -> CheckoutCallback | PageStatus:
    """Check one bridge message strictly; return the callback or the page status it carries.

    Messages are JSON text of at most `CALLBACK_MAX_BYTES`: ``{"type": "status", "status": ...}``
    or ``{"type": "callback", "rsp": {...}}``, where `rsp` holds only known scalar fields (no
    nesting) and its ``merchant_uid`` is the attempt's own. Anything else raises
    `CallbackRejected` with a short reason (safe to log: it never echoes the message).
    """
    if not isinstance(message, str):
        raise CallbackRejected("not text")
    if len(message.encode("utf-8", "surrogatepass")) > CALLBACK_MAX_BYTES:
        raise CallbackRejected("too large")
    try:
        envelope = json.loads(message, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise CallbackRejected("not JSON") from exc
    if not isinstance(envelope, dict):
        raise CallbackRejected("not an object")
    if envelope.get("type") == "status" and set(envelope) == {"type", "status"}:
        try:
            return PageStatus(envelope["status"])
        except ValueError:
            raise CallbackRejected("unknown status") from None
    if envelope.get("type") != "callback" or set(envelope) != {"type", "rsp"}:
        raise CallbackRejected("unknown message")
    rsp = envelope["rsp"]
    if not isinstance(rsp, dict):
        raise CallbackRejected("rsp is not an object")
    clean: dict[str, str | int | float | bool | None] = {}
    for key, value in rsp.items():
        if key in _CALLBACK_STR_FIELDS:
            if value is not None and not isinstance(value, str):
                raise CallbackRejected(f"{key} must be a string or null")
            if isinstance(value, str) and len(value) > _CALLBACK_STR_MAX:
                raise CallbackRejected(f"{key} too long")
        elif key in _CALLBACK_NUM_FIELDS:
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise CallbackRejected(f"{key} must be a number or null")
        elif key in _CALLBACK_BOOL_FIELDS:
            if value is not None and not isinstance(value, bool):
                raise CallbackRejected(f"{key} must be a boolean or null")
        else:
            raise CallbackRejected("unknown field")
        clean[key] = value
    order_id = clean.get("merchant_uid")  # the SDK's names for the two ids
    if not isinstance(order_id, str) or not _ORDER_ID_RE.fullmatch(order_id):
        raise CallbackRejected("merchant_uid missing or malformed")
    if order_id != expected_order_id:
        raise CallbackRejected("merchant_uid is not this attempt's")
    payment_id = clean.get("imp_uid")
    if payment_id is not None and not (
        isinstance(payment_id, str) and _PAYMENT_ID_RE.fullmatch(payment_id)
    ):
        raise CallbackRejected("imp_uid malformed")
    error_code = clean.get("error_code")
    error_msg = clean.get("error_msg")
    status = clean.get("status")
    known = {"merchant_uid", "imp_uid", "error_code", "error_msg", "status"}
    return CheckoutCallback(
        order_id=order_id,
        payment_id=payment_id if isinstance(payment_id, str) else None,
        # Some PGs send an empty string for "no error"; treat it as null.
        error_code=error_code if isinstance(error_code, str) and error_code else None,
        error_msg=error_msg if isinstance(error_msg, str) and error_msg else None,
        status=status if isinstance(status, str) else None,
        extra={k: v for k, v in clean.items() if k not in known},
    )


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# ----------------------------------------------------------------------------- verification
