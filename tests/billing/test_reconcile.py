"""The lookup verdicts: what the gateway's payments for an order id mean for a journal row."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kpadmin.billing.gateway import GatewayPayment, PaymentStatus
from kpadmin.billing.reconcile import Verdict, classify, look_up
from tests.billing.fakes import FakeGateway

pytestmark = pytest.mark.anyio

T = datetime(2026, 11, 1, tzinfo=UTC)


def payment(status: str, payment_id: str, order_id: str = "m1", **kw: object) -> GatewayPayment:
    return GatewayPayment(
        payment_id=payment_id,
        order_id=order_id,
        amount=1000,
        refunded_amount=1000 if status == "cancelled" else 0,
        currency="KRW",
        status=PaymentStatus(status),
        **kw,  # type: ignore[arg-type]
    )


def test_paid_wins_over_earlier_failures() -> None:
    found = classify("m1", [payment("failed", "a"), payment("paid", "b")])
    assert found.verdict is Verdict.PAID and found.payment is not None
    assert found.payment.payment_id == "b"


def test_refunded_means_it_was_paid() -> None:
    assert classify("m1", [payment("cancelled", "a")]).verdict is Verdict.PAID


def test_only_failures_is_a_decline_with_the_newest_reason() -> None:
    found = classify(
        "m1",
        [
            payment("failed", "a", failed_at=T, fail_reason="old"),
            payment("failed", "b", failed_at=T.replace(day=2), fail_reason="new"),
            payment("failed", "c"),  # no timestamps at all: must not break the comparison
        ],
    )
    assert found.verdict is Verdict.DECLINED and found.detail == "new"


def test_nothing_and_unclear() -> None:
    assert classify("m1", []).verdict is Verdict.NOTHING
    # Someone else's payment in the answer does not count for this order id.
    assert classify("m1", [payment("paid", "x", order_id="m2")]).verdict is Verdict.NOTHING
    unclear = classify("m1", [payment("ready", "a"), payment("failed", "b")])
    assert unclear.verdict is Verdict.UNCLEAR and "ready" in unclear.detail


async def test_lookup_retries_then_gives_up() -> None:
    api = FakeGateway()
    api.add_payment("m1", "c", 1000, "paid")
    api.lookup_failures["m1"] = 2
    assert (await look_up(api, "m1", tries=3, delays=(0,))).verdict is Verdict.PAID
    api.lookup_failures["m1"] = 3
    failed = await look_up(api, "m1", tries=3, delays=(0,))
    assert failed.verdict is Verdict.LOOKUP_FAILED and "OutcomeUnknown" in failed.detail
    assert (await look_up(api, "never-sent", tries=1)).verdict is Verdict.NOTHING


def test_a_status_the_port_does_not_know_is_never_final() -> None:
    found = classify("m1", [payment("other", "a"), payment("failed", "b")])
    assert found.verdict is Verdict.UNCLEAR and "other" in found.detail
