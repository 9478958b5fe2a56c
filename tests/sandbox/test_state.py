"""SandboxState on its own: rules that hold whichever door (REST or window) is used."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kpadmin.sandbox.state import (
    MONTHLY_LIMIT_REASON,
    PAYMENT_CARD_FIELDS,
    CancelRejected,
    MerchantUidAlreadyPaid,
    SandboxState,
    UnknownCustomer,
    page_of,
    seoul_month_bounds,
)


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def test_issue_and_replace_key_keeps_inserted() -> None:
    clock = Clock(datetime(2026, 1, 1, tzinfo=UTC))
    state = SandboxState(clock=clock)
    first = state.issue_billing_key("cu1", card_name="신한카드", card_number="4000-****-****-0001")
    clock.moment = datetime(2026, 1, 2, tzinfo=UTC)
    second = state.issue_billing_key("cu1", card_name=None)
    assert second["inserted"] == first["inserted"] < second["updated"]
    # No card: a Kakao Money key. Live style: every card field null, no `sandbox` field.
    assert second["card_name"] is None and second["card_number"] is None
    assert "sandbox" not in second
    assert state.get_customer("cu1") == second
    state.answer_style = "spec"  # the spec requires card_name and sandbox
    spec = state.get_customer("cu1")
    assert spec is not None and spec["card_name"] == "카카오머니" and spec["sandbox"] is True
    assert spec["card_number"] is None and spec["inserted"] == second["inserted"]


def test_window_payment_and_paid_merchant_uid() -> None:
    state = SandboxState()
    p = state.create_payment(
        merchant_uid="m1",
        amount=1000,
        name="x",
        status="failed",
        customer_uid="c",
        customer_uid_usage="issue",
        channel="pc",
        fail_reason="사용자 취소",
    )
    assert re.fullmatch(r"imp_\d{12}", p["imp_uid"])  # the live format (imp_406540408880)
    assert p["receipt_url"].endswith(f"/sandbox/receipts/{p['imp_uid']}")
    assert not state.merchant_uid_is_paid("m1")
    paid = state.create_payment(
        merchant_uid="m1",
        amount=1000,
        name="x",
        status="paid",
        customer_uid="c",
        customer_uid_usage="issue",
        channel="pc",
    )
    assert paid["imp_uid"] != p["imp_uid"]
    assert state.merchant_uid_is_paid("m1")
    with pytest.raises(MerchantUidAlreadyPaid):
        state.create_payment(
            merchant_uid="m1",
            amount=1000,
            name="x",
            status="paid",
            customer_uid="c",
            customer_uid_usage="issue",
            channel="pc",
        )
    assert len(state.find_payments("m1")) == 2


def test_imp_uids_are_live_shaped_and_unique() -> None:
    state = SandboxState()
    state.issue_billing_key("c", card_name="신한카드")
    ids = [
        state.pay_again(customer_uid="c", merchant_uid=f"m{i}", amount=10, name="n")["imp_uid"]
        for i in range(300)
    ]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"imp_\d{12}", imp_uid) for imp_uid in ids)


def test_kakao_money_key_charges_as_point_and_card_key_as_card() -> None:
    state = SandboxState()
    state.issue_billing_key("money", pay_method="point")
    state.issue_billing_key("card", card_name="신한카드", card_number="451842******1234")
    money = state.pay_again(customer_uid="money", merchant_uid="m1", amount=10, name="n")
    card = state.pay_again(customer_uid="card", merchant_uid="m2", amount=10, name="n")
    # Captured (kakaopay-test-payment-paid.json): point, every card field null, apply_num "".
    assert money["pay_method"] == "point" and money["apply_num"] == ""
    assert all(money[f] is None for f in PAYMENT_CARD_FIELDS)
    assert card["pay_method"] == "card" and card["card_name"] == "신한카드"
    assert card["card_number"] == "451842******1234" and len(card["apply_num"]) == 8
    assert "sandbox" not in money and "sandbox" not in card


def test_pay_again_unknown_and_deleted_key() -> None:
    state = SandboxState()
    with pytest.raises(UnknownCustomer):
        state.pay_again(customer_uid="nobody", merchant_uid="m", amount=10, name="n")
    state.issue_billing_key("c1", card_name="국민카드")
    state.delete_customer("c1")
    with pytest.raises(UnknownCustomer):
        state.pay_again(customer_uid="c1", merchant_uid="m", amount=10, name="n")
    assert state.all_payments() == []


def test_monthly_limit_follows_the_seoul_calendar() -> None:
    # 2026-01-31 15:30 UTC is already 2026-02-01 00:30 in Seoul.
    clock = Clock(datetime(2026, 1, 31, 14, 0, tzinfo=UTC))  # 23:00 Jan 31 in Seoul
    state = SandboxState(clock=clock)
    state.issue_billing_key("c", card_name="카드")
    first = state.pay_again(customer_uid="c", merchant_uid="a", amount=1, name="n", monthly_limit=1)
    second = state.pay_again(
        customer_uid="c", merchant_uid="b", amount=1, name="n", monthly_limit=1
    )
    assert (first["status"], second["status"]) == ("paid", "failed")
    assert second["fail_reason"] == MONTHLY_LIMIT_REASON
    clock.moment = datetime(2026, 1, 31, 15, 30, tzinfo=UTC)  # February in Seoul, not in UTC
    third = state.pay_again(customer_uid="c", merchant_uid="b", amount=1, name="n", monthly_limit=1)
    assert third["status"] == "paid"


def test_seoul_month_bounds() -> None:
    start, end = seoul_month_bounds(datetime(2026, 12, 31, 15, 0, tzinfo=UTC))  # Jan 1 in Seoul
    assert datetime.fromtimestamp(start, UTC) == datetime(2026, 12, 31, 15, 0, tzinfo=UTC)
    assert datetime.fromtimestamp(end, UTC) == datetime(2027, 1, 31, 15, 0, tzinfo=UTC)


def test_cancel_rules() -> None:
    state = SandboxState()
    state.issue_billing_key("c", card_name="카드")
    p = state.pay_again(customer_uid="c", merchant_uid="m", amount=1000, name="n")
    with pytest.raises(CancelRejected):
        state.cancel(imp_uid=p["imp_uid"], amount=100, checksum=999)
    assert state.get_payment(p["imp_uid"])["cancel_amount"] == 0  # type: ignore[index]
    part = state.cancel(imp_uid=p["imp_uid"], amount=300, checksum=1000, reason="부분")
    assert (part["status"], part["cancel_amount"], part["cancelled_at"]) == ("paid", 300, 0)
    with pytest.raises(CancelRejected):
        state.cancel(merchant_uid="m", amount=701)
    rest = state.cancel(merchant_uid="m", checksum=700)
    assert rest["status"] == "cancelled" and rest["cancel_amount"] == 1000
    assert [h["amount"] for h in rest["cancel_history"]] == [300, 700]
    with pytest.raises(CancelRejected):
        state.cancel(imp_uid=p["imp_uid"])


def test_concurrent_again_on_one_merchant_uid_pays_once() -> None:
    state = SandboxState()
    state.issue_billing_key("c", card_name="카드")
    results: list[str] = []

    def charge() -> None:
        try:
            state.pay_again(customer_uid="c", merchant_uid="same", amount=5, name="n")
            results.append("paid")
        except MerchantUidAlreadyPaid:
            results.append("dup")

    threads = [threading.Thread(target=charge) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["dup"] * 7 + ["paid"]


def test_file_state_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    state = SandboxState(path)
    state.issue_billing_key("c", card_name="카드")
    token = state.get_token("k")
    p = state.pay_again(customer_uid="c", merchant_uid="m", amount=5, name="n")
    state.cancel(imp_uid=p["imp_uid"], amount=2)
    state.close()
    again = SandboxState(path)
    assert again.get_customer("c") is not None
    assert again.token_is_valid(token["access_token"])
    assert again.get_payment(p["imp_uid"])["cancel_amount"] == 2  # type: ignore[index]


def test_page_of() -> None:
    items = [{"i": i} for i in range(45)]
    first = page_of(items, 1, 20)
    last = page_of(items, 3, 20)
    assert (first.total, first.previous, first.next, len(first.list)) == (45, 0, 2, 20)
    assert (last.previous, last.next, len(last.list)) == (2, 0, 5)
