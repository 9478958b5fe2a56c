"""from_api: spec field names, tolerance of unknown fields and nulls, clear errors for garbage."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from kpadmin.iamport.errors import InvalidResponse
from kpadmin.iamport.models import (
    AccessToken,
    CancelHistory,
    Customer,
    Payment,
    PaymentPage,
)
from tests.iamport.helpers import PAID_AT, customer_json, payment_json


def test_payment_reads_spec_fields_and_timestamps() -> None:
    p = Payment.from_api(payment_json())
    assert p.imp_uid == "imp_100000000001"
    assert p.amount == 9900 and isinstance(p.amount, int)
    assert p.status == "paid" and p.is_paid and not p.is_failed
    assert p.paid_at == datetime.fromtimestamp(PAID_AT, UTC)
    assert p.paid_at is not None and p.paid_at.tzinfo is UTC
    assert p.failed_at is None and p.cancelled_at is None  # 0 -> None
    assert p.card_type is None
    assert p.refundable == 9900


def test_payment_ignores_unknown_fields_and_missing_optionals() -> None:
    minimal = {
        key: payment_json()[key]
        for key in ("imp_uid", "merchant_uid", "amount", "cancel_amount", "currency", "status")
    }
    minimal["sandbox"] = False
    minimal["brand_new_field"] = {"nested": [1, 2]}
    minimal["promotion"] = {"id": "promotion-id-x", "discount": 1000}
    p = Payment.from_api(minimal)
    assert p.pay_method is None and p.paid_at is None and p.cancel_history == ()


def test_payment_nulls_for_every_optional_field() -> None:
    data = payment_json()
    required = {"imp_uid", "merchant_uid", "amount", "cancel_amount", "status"}
    for key in data:
        if key not in required:
            data[key] = None
    p = Payment.from_api(data)
    assert p.cancel_history == () and p.started_at is None and p.customer_uid is None
    assert p.currency == "KRW" and p.sandbox is None  # the documented defaults


def test_amount_accepts_whole_floats_and_rejects_fractions_and_bools() -> None:
    assert Payment.from_api(payment_json(amount=1000.0)).amount == 1000
    with pytest.raises(InvalidResponse, match=r"PaymentAnnotation\.amount"):
        Payment.from_api(payment_json(amount=1000.5))
    with pytest.raises(InvalidResponse, match="boolean"):
        Payment.from_api(payment_json(amount=True))
    with pytest.raises(InvalidResponse, match="str"):
        Payment.from_api(payment_json(amount="1000"))


@pytest.mark.parametrize("field", ["imp_uid", "merchant_uid", "amount", "status", "cancel_amount"])
def test_missing_or_null_required_field_is_invalid_response(field: str) -> None:
    data = payment_json()
    del data[field]
    with pytest.raises(InvalidResponse, match=f"{field}: required field is missing"):
        Payment.from_api(data)
    with pytest.raises(InvalidResponse, match=f"{field}: required field is null"):
        Payment.from_api(payment_json(**{field: None}))


@pytest.mark.parametrize(
    ("field", "value"),
    [("imp_uid", 123), ("status", ["paid"]), ("sandbox", "yes"), ("paid_at", "yesterday")],
)
def test_wrong_types_are_invalid_response(field: str, value: Any) -> None:
    with pytest.raises(InvalidResponse, match=field):
        Payment.from_api(payment_json(**{field: value}))


def test_not_an_object_is_invalid_response() -> None:
    garbage_values: list[object] = [None, [], "paid", 42]
    for garbage in garbage_values:
        with pytest.raises(InvalidResponse, match="expected a JSON object"):
            Payment.from_api(garbage)


def test_cancel_history_is_parsed() -> None:
    entry = {
        "pg_tid": "C1",
        "amount": 3000,
        "cancelled_at": PAID_AT + 60,
        "reason": "부분 환불",
        "cancellation_id": "cx_1",
        "receipt_url": None,
        "extra": 1,
    }
    p = Payment.from_api(payment_json(cancel_amount=3000, cancel_history=[entry]))
    assert p.cancel_history == (
        CancelHistory(
            amount=3000,
            pg_tid="C1",
            cancelled_at=datetime.fromtimestamp(PAID_AT + 60, UTC),
            reason="부분 환불",
            cancellation_id="cx_1",
        ),
    )
    assert p.refundable == 6900
    without_id = Payment.from_api(payment_json(cancel_history=[{**entry, "cancellation_id": None}]))
    assert without_id.cancel_history[0].cancellation_id is None  # optional: only amount is needed
    with pytest.raises(InvalidResponse, match=r"PaymentCancelAnnotation\.amount"):
        Payment.from_api(payment_json(cancel_history=[{**entry, "amount": None}]))
    with pytest.raises(InvalidResponse, match="cancel_history: expected an array"):
        Payment.from_api(payment_json(cancel_history={"pg_tid": "C1"}))


def test_personal_fields_stay_out_of_repr() -> None:
    p = Payment.from_api(payment_json())
    c = Customer.from_api(customer_json())
    assert "010-1234-5678" not in repr(p) and "5365" not in repr(p)
    assert "010-9876-5432" not in repr(c)
    assert p.buyer_tel == "010-1234-5678"  # still there for whoever needs it


def test_customer() -> None:
    c = Customer.from_api(customer_json(card_name=None, unknown="x"))
    assert c.customer_uid == "cu_1" and c.card_name is None and c.sandbox is True
    assert c.inserted == datetime.fromtimestamp(PAID_AT - 86400, UTC)
    # Only customer_uid is required; the rest defaults (the live service may omit `sandbox`).
    bare = Customer.from_api({"customer_uid": "cu_1"})
    assert bare.pg_provider is None and bare.sandbox is None and bare.inserted is None
    with pytest.raises(InvalidResponse, match=r"CustomerAnnotation\.customer_uid"):
        Customer.from_api(customer_json(customer_uid=None))
    with pytest.raises(InvalidResponse, match=r"CustomerAnnotation\.pg_provider"):
        Customer.from_api(customer_json(pg_provider=["x"]))  # present but of the wrong type


def test_payment_page() -> None:
    page = PaymentPage.from_api(
        {"total": 3, "previous": 0, "next": 2, "list": [payment_json(), payment_json(imp_uid="b")]}
    )
    assert page.total == 3 and page.next == 2 and len(page.list) == 2
    assert page.payments[1].imp_uid == "b"
    empty = PaymentPage.from_api({"total": 0, "previous": 0, "next": 0, "list": None})
    assert empty.list == ()
    with pytest.raises(InvalidResponse, match=r"PagedPaymentAnnotation\.next"):
        PaymentPage.from_api({"total": 0, "previous": 0, "list": []})
    bare = PaymentPage.from_api({"next": 0, "list": [payment_json()]})
    assert (bare.total, bare.previous) == (1, 0)  # documented defaults
    with pytest.raises(InvalidResponse, match=r"PaymentAnnotation\.merchant_uid: required"):
        PaymentPage.from_api({"total": 1, "previous": 0, "next": 0, "list": [{"imp_uid": "x"}]})


def test_access_token_lifetime_and_repr() -> None:
    t = AccessToken.from_api({"access_token": "secret-tok-123", "now": 1000, "expired_at": 2800})
    assert t.lifetime_s == 1800
    assert "secret-tok-123" not in repr(t)
    with pytest.raises(InvalidResponse, match=r"AuthAnnotation\.expired_at"):
        AccessToken.from_api({"access_token": "x", "now": 1000, "expired_at": 0})
