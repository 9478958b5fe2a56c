"""The live service's own answers parse, and only the money facts are required of any answer.

The fixtures in ``real_answers/`` are copies of ``shared/iamport/real-answers`` (answers of the live
i'mport V1 API; see their README). They have no ``sandbox`` field and a Kakao Money payment's card
fields are ``null``: a client that required more than it needs would have ended every charge that
took money as "unknown" against the live service.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpadmin.iamport.errors import InvalidResponse
from kpadmin.iamport.models import AccessToken, Customer, Payment
from tests.fixtures.sandbox import RunningSandbox
from tests.iamport.fake_api import FakeApi
from tests.iamport.helpers import run
from tests.sandbox.api import Api

REAL = Path(__file__).parent / "real_answers"

#: What the product requires of each answer (kpadmin/iamport/models.py, docs/architecture.md).
REQUIRED_PAYMENT = frozenset({"imp_uid", "merchant_uid", "status", "amount", "cancel_amount"})
REQUIRED_CUSTOMER = frozenset({"customer_uid"})


def real(name: str) -> dict[str, Any]:
    envelope: dict[str, Any] = json.loads((REAL / name).read_text(encoding="utf-8"))
    return envelope


def money_facts(payment: Payment) -> tuple[object, ...]:
    return (
        payment.imp_uid,
        payment.merchant_uid,
        payment.status,
        payment.amount,
        payment.cancel_amount,
        payment.refundable,
    )


def test_real_kakao_money_payment_parses_as_it_is() -> None:
    answer = real("kakaopay-test-payment-paid.json")["response"]
    assert "sandbox" not in answer
    payment = Payment.from_api(answer)
    assert payment.imp_uid == "imp_406540408880" and payment.is_paid
    assert (payment.amount, payment.cancel_amount, payment.refundable) == (100, 0, 100)
    assert payment.pay_method == "point" and payment.pg_provider == "kakaopay"
    assert payment.card_name is None and payment.card_number is None and payment.card_type is None
    assert payment.apply_num == "" and payment.sandbox is None and payment.currency == "KRW"
    assert payment.paid_at is not None and payment.failed_at is None


def test_real_cancelled_payment_parses_with_its_history() -> None:
    payment = Payment.from_api(real("kakaopay-test-payment-cancelled.json")["response"])
    assert payment.status == "cancelled" and payment.refundable == 0
    (entry,) = payment.cancel_history
    assert entry.amount == 10 and entry.cancellation_id == "06JC8FVHJTW2WY16FEY0"
    assert entry.reason == "취소요청api" and entry.cancelled_at is not None


def test_real_token_answer_gives_the_thirty_minute_lifetime() -> None:
    token = AccessToken.from_api(real("get-token.json")["response"])
    assert token.lifetime_s == 1800


@pytest.mark.parametrize(
    "name", ["kakaopay-test-payment-paid.json", "kakaopay-test-payment-cancelled.json"]
)
def test_the_client_reads_real_answers_over_http(name: str) -> None:
    """Through the whole client (envelope checks, lookups), not only the model."""
    envelope = real(name)
    imp_uid = envelope["response"]["imp_uid"]
    merchant_uid = envelope["response"]["merchant_uid"]
    fake = FakeApi()
    fake.reply("GET", f"/payments/{imp_uid}", 200, envelope)
    fake.reply("GET", f"/payments/find/{merchant_uid}", 200, envelope)

    async def scenario() -> tuple[Payment, Payment]:
        async with fake.client() as client:
            by_id = await client.get_payment(imp_uid)
            by_order = await client.find_payment(merchant_uid)
        return by_id, by_order

    by_id, by_order = run(scenario())
    assert (
        money_facts(by_id)
        == money_facts(by_order)
        == money_facts(Payment.from_api(envelope["response"]))
    )


def test_a_customer_answer_without_sandbox_or_card_fields_parses() -> None:
    """The multi-get behind `kpadmin import` and the key checks read this shape."""
    customer = Customer.from_api({"customer_uid": "kpa_1", "pg_provider": "kakaopay"})
    assert customer.customer_uid == "kpa_1" and customer.sandbox is None
    assert customer.pg_id is None and customer.card_name is None and customer.inserted is None


# ------------------------------------------------------ any optional field gone, same money facts


def sandbox_answers(box: RunningSandbox) -> list[tuple[str, dict[str, Any]]]:
    """Raw answers of a real sandbox over HTTP: paid, declined, part-refunded, cancelled, a key."""
    api = Api(box)
    try:
        api.issue_key("cu_ok", card_number="4111-1111-1111-1111")
        api.issue_key("cu_no", card_number="4000-0000-0000-9995")  # every charge declined
        paid = api.again("cu_ok", "order-paid", amount=9900).json()["response"]
        declined = api.again("cu_no", "order-declined", amount=9900).json()["response"]
        api.again("cu_ok", "order-part", amount=5000)
        part = api.cancel(merchant_uid="order-part", amount=2000, checksum=5000, reason="부분")
        api.again("cu_ok", "order-full", amount=3000)
        full = api.cancel(merchant_uid="order-full", reason="전액")
        customer = api.call("get", "/subscribe/customers/cu_ok").json()["response"]
    finally:
        api.close()
    return [
        ("payment", paid),
        ("payment", declined),
        ("payment", part.json()["response"]),
        ("payment", full.json()["response"]),
        ("customer", customer),
    ]


@pytest.fixture(scope="module")
def answers() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    from kpadmin.sandbox.config import SandboxConfig
    from kpadmin.sandbox.server import SandboxServer

    server = SandboxServer(SandboxConfig(seed=0))
    server.start()
    try:
        collected = sandbox_answers(RunningSandbox(server))
    finally:
        server.close()
    real_payments = [
        ("payment", real(name)["response"])
        for name in ("kakaopay-test-payment-paid.json", "kakaopay-test-payment-cancelled.json")
    ]
    yield collected + real_payments


def test_the_sandbox_answers_cover_every_status(answers: list[tuple[str, dict[str, Any]]]) -> None:
    statuses = {a["status"] for kind, a in answers if kind == "payment"}
    assert statuses >= {"paid", "failed", "cancelled"}
    assert any(
        a["cancel_amount"] and a["status"] == "paid" for kind, a in answers if kind == "payment"
    )


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_optional_fields_removed_or_nulled_keep_the_money_facts(
    answers: list[tuple[str, dict[str, Any]]], data: st.DataObject
) -> None:
    kind, answer = data.draw(st.sampled_from(answers), label="answer")
    required = REQUIRED_PAYMENT if kind == "payment" else REQUIRED_CUSTOMER
    optional = sorted(set(answer) - required)
    touched = data.draw(st.lists(st.sampled_from(optional), unique=True), label="fields")
    damaged = dict(answer)
    for name in touched:
        if data.draw(st.booleans(), label=f"remove {name}"):
            del damaged[name]
        else:
            damaged[name] = None
    if kind == "payment":
        assert money_facts(Payment.from_api(damaged)) == money_facts(Payment.from_api(answer))
    else:
        assert Customer.from_api(damaged).customer_uid == answer["customer_uid"]


def test_a_required_field_missing_is_still_refused() -> None:
    """The other half of the rule: the money facts cannot be defaulted."""
    answer = real("kakaopay-test-payment-paid.json")["response"]
    for name in sorted(REQUIRED_PAYMENT):
        damaged = {k: v for k, v in answer.items() if k != name}
        with pytest.raises(InvalidResponse, match=name):
            Payment.from_api(damaged)
