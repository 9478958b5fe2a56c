"""`verify_signup` against the real sandbox over HTTP, with honest and forged callbacks.

The sandbox state is arranged directly (a key issued, a payment recorded) the way the simulated
window would leave it; the callback handed to `verify_signup` then tells the truth or lies. Only
what the REST API says may make a sign-up verified.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest

from kpadmin.billing import signup as su
from kpadmin.billing.signup import (
    CheckoutCallback,
    FailureReason,
    RawSignupForm,
    SignupAttempt,
    SignupFailed,
)
from kpadmin.iamport.gateway import open_gateway
from tests.fixtures.sandbox import RunningSandbox

T = TypeVar("T")

FORM = RawSignupForm(
    name="김하늘",
    phone="010-1234-5678",
    plan="프리미엄 월 구독",
    amount="9900",
    billing_day="5",
    first_payment_now=True,
    channel="phone",
)


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def attempt(first_payment: bool = True) -> SignupAttempt:
    from dataclasses import replace

    form = su.validate_form(replace(FORM, first_payment_now=first_payment))
    return su.start_attempt(form, imp_code="imp00000000", pg="kakaopay.TCSUBSCRIP")


def issue_key(box: RunningSandbox, uid: str) -> None:
    box.state.issue_billing_key(uid, card_name="신한카드", card_number="451842******1234")


def pay(
    box: RunningSandbox,
    a: SignupAttempt,
    *,
    status: str = "paid",
    amount: int | None = None,
    merchant_uid: str | None = None,
    customer_uid: str | None = None,
) -> str:
    payment = box.state.create_payment(
        merchant_uid=merchant_uid or a.order_id,
        amount=a.amount if amount is None else amount,
        name=a.form.plan,
        status=status,
        customer_uid=customer_uid or a.key_id,
        customer_uid_usage="issue",
        channel="pc",
        card_name="신한카드",
        card_number="451842******1234",
        fail_reason=None if status == "paid" else "[8008] 잔액이 부족합니다.",
    )
    return str(payment["imp_uid"])


def callback(a: SignupAttempt, imp_uid: str | None, **fields: Any) -> CheckoutCallback:
    return CheckoutCallback(
        order_id=fields.pop("merchant_uid", a.order_id),
        payment_id=imp_uid,
        error_code=fields.pop("error_code", None),
        error_msg=fields.pop("error_msg", None),
        extra=fields,
    )


async def verify(box: RunningSandbox, a: SignupAttempt, cb: CheckoutCallback) -> Any:
    async with open_gateway(box.base_url, box.imp_key, box.imp_secret) as gateway:
        return await su.verify_signup(gateway, a, cb)


def failure(box: RunningSandbox, a: SignupAttempt, cb: CheckoutCallback) -> SignupFailed:
    with pytest.raises(SignupFailed) as info:
        run(verify(box, a, cb))
    return info.value


# ----------------------------------------------------------------------------- honest


def test_key_only_signup_verified(sandbox: RunningSandbox) -> None:
    a = attempt(first_payment=False)
    issue_key(sandbox, a.key_id)
    verified = run(verify(sandbox, a, callback(a, None)))
    assert verified.card_name == "신한카드"
    assert verified.card_number == "451842******1234"
    assert verified.first_payment is None


def test_first_payment_signup_verified(sandbox: RunningSandbox) -> None:
    a = attempt()
    issue_key(sandbox, a.key_id)
    imp_uid = pay(sandbox, a)
    verified = run(verify(sandbox, a, callback(a, imp_uid)))
    assert verified.first_payment is not None
    assert verified.first_payment.payment_id == imp_uid
    assert verified.first_payment.amount == 9900
    assert verified.first_payment.paid_at is not None


@pytest.mark.parametrize("first_payment", [False, True])
def test_kakao_money_signup_is_named_kakao_money(
    sandbox: RunningSandbox, first_payment: bool
) -> None:
    # The live shape of Kakao Money: no card fields on the key nor on its payments.
    a = attempt(first_payment=first_payment)
    sandbox.state.issue_billing_key(a.key_id, pay_method="point")
    imp_uid = None
    if first_payment:
        payment = sandbox.state.create_payment(
            merchant_uid=a.order_id,
            amount=a.amount,
            name=a.form.plan,
            status="paid",
            customer_uid=a.key_id,
            customer_uid_usage="issue",
            channel="pc",
            pay_method="point",
        )
        assert payment["card_name"] is None and payment["pay_method"] == "point"
        imp_uid = str(payment["imp_uid"])
    verified = run(verify(sandbox, a, callback(a, imp_uid)))
    assert verified.card_name == "카카오머니" and verified.card_number is None
    assert (verified.first_payment is not None) == first_payment


# ----------------------------------------------------------------------------- forged / wrong


def test_no_key_means_not_verified(sandbox: RunningSandbox) -> None:
    a = attempt(first_payment=False)
    f = failure(sandbox, a, callback(a, None))
    assert f.reason is FailureReason.VERIFICATION_FAILED
    assert "no billing key" in f.detail


def test_customer_uid_from_the_callback_is_ignored(sandbox: RunningSandbox) -> None:
    # Someone else's key exists; the callback names it. Our own customer_uid has no key.
    a = attempt(first_payment=False)
    issue_key(sandbox, "kpa_someoneelse0000")
    f = failure(sandbox, a, callback(a, None, customer_uid="kpa_someoneelse0000"))
    assert f.reason is FailureReason.VERIFICATION_FAILED


def test_imp_uid_of_another_payment(sandbox: RunningSandbox) -> None:
    a = attempt()
    issue_key(sandbox, a.key_id)
    other = attempt()
    issue_key(sandbox, other.key_id)
    other_imp_uid = pay(sandbox, other)  # a real, paid payment — for another order
    f = failure(sandbox, a, callback(a, other_imp_uid))
    assert f.reason is FailureReason.VERIFICATION_FAILED
    assert "merchant_uid differs" in f.detail and "customer_uid differs" in f.detail
    assert f.paid_payment_id is None  # no money was taken under our merchant_uid


def test_amount_mismatch(sandbox: RunningSandbox) -> None:
    a = attempt()
    issue_key(sandbox, a.key_id)
    imp_uid = pay(sandbox, a, amount=100)
    f = failure(sandbox, a, callback(a, imp_uid))
    assert f.reason is FailureReason.VERIFICATION_FAILED
    assert "amount 100 != 9900" in f.detail
    # Money was taken under our merchant_uid: staff are told which payment to look at.
    assert f.paid_payment_id == imp_uid
    assert f.user_message == su.MSG_PAID_NOT_VERIFIED


def test_unpaid_payment(sandbox: RunningSandbox) -> None:
    a = attempt()
    issue_key(sandbox, a.key_id)
    imp_uid = pay(sandbox, a, status="failed")
    f = failure(sandbox, a, callback(a, imp_uid))
    assert f.reason is FailureReason.VERIFICATION_FAILED
    assert "status is failed" in f.detail


def test_payment_with_another_customer_uid(sandbox: RunningSandbox) -> None:
    a = attempt()
    issue_key(sandbox, a.key_id)
    imp_uid = pay(sandbox, a, customer_uid="kpa_someoneelse0000")
    f = failure(sandbox, a, callback(a, imp_uid))
    assert "customer_uid differs" in f.detail


def test_unknown_imp_uid(sandbox: RunningSandbox) -> None:
    a = attempt()
    issue_key(sandbox, a.key_id)
    f = failure(sandbox, a, callback(a, "imp_000000000000"))
    assert f.reason is FailureReason.VERIFICATION_FAILED
    assert "unknown" in f.detail


def test_first_payment_without_imp_uid(sandbox: RunningSandbox) -> None:
    a = attempt()
    issue_key(sandbox, a.key_id)
    f = failure(sandbox, a, callback(a, None))
    assert "no imp_uid" in f.detail


def test_key_deleted_after_issue(sandbox: RunningSandbox) -> None:
    a = attempt(first_payment=False)
    issue_key(sandbox, a.key_id)
    sandbox.state.delete_customer(a.key_id)
    assert failure(sandbox, a, callback(a, None)).reason is FailureReason.VERIFICATION_FAILED


def test_callback_for_another_merchant_uid(sandbox: RunningSandbox) -> None:
    a = attempt(first_payment=False)
    issue_key(sandbox, a.key_id)
    f = failure(sandbox, a, callback(a, None, merchant_uid="kpa-su-bbbbbbbbbbbbbbbb"))
    assert f.reason is FailureReason.VERIFICATION_FAILED


# ----------------------------------------------------------------------------- window failures


@pytest.mark.parametrize(
    ("code", "message", "reason"),
    [
        ("F0005", "사용자가 결제를 취소 하였습니다.", FailureReason.CANCELLED),
        ("F0004", "결제 요청 시간이 초과되었습니다.", FailureReason.TIMED_OUT),
        ("-780", "결제승인에 실패하였습니다. [8008] 잔액이 부족합니다.", FailureReason.DECLINED),
    ],
)
def test_window_failures(sandbox: RunningSandbox, code: str, message: str, reason: Any) -> None:
    a = attempt()
    f = failure(sandbox, a, callback(a, None, error_code=code, error_msg=message))
    assert f.reason is reason
    assert f.paid_payment_id is None


def test_error_callback_but_money_taken(sandbox: RunningSandbox) -> None:
    # The window says "cancelled", yet i'mport has a paid payment under our merchant_uid.
    a = attempt()
    imp_uid = pay(sandbox, a)
    f = failure(sandbox, a, callback(a, None, error_code="F0005", error_msg="취소"))
    assert f.reason is FailureReason.CANCELLED
    assert f.paid_payment_id == imp_uid
    assert f.user_message == su.MSG_PAID_NOT_VERIFIED


def test_unreachable_api_is_retryable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the with-block ends: connect is refused
    a = attempt(first_payment=False)

    async def go() -> None:
        async with open_gateway(
            f"http://127.0.0.1:{port}", "k", "s", retry_backoff_s=0.01
        ) as gateway:
            await su.verify_signup(gateway, a, callback(a, None))

    with pytest.raises(SignupFailed) as info:
        run(go())
    assert info.value.reason is FailureReason.UNREACHABLE
    assert info.value.retryable
