"""Sign-up rules without Qt: ids, form validation, bridge-message checks, dates, saving.

Verification against the real sandbox over HTTP is in test_signup_verify.py.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kpadmin.billing import signup as su
from kpadmin.billing.signup import (
    CALLBACK_MAX_BYTES,
    CallbackRejected,
    CheckoutCallback,
    FailureReason,
    FormInvalid,
    PageStatus,
    RawSignupForm,
    SignupFailed,
    VerifiedPayment,
    VerifiedSignup,
)
from kpadmin.store import open_store
from kpadmin.store.audit import AuditRepository
from kpadmin.store.charges import ChargeRepository
from kpadmin.store.models import ChargeState, SignupChannel, SubscriberState
from kpadmin.store.subscribers import SubscriberRepository

GOOD = RawSignupForm(
    name="김하늘",
    phone="010-1234-5678",
    email="haneul@example.com",
    plan="프리미엄 월 구독",
    amount="9,900",
    billing_day="5",
    first_payment_now=True,
    channel="phone",
)


def replace(**changes: object) -> RawSignupForm:
    from dataclasses import replace as dc_replace

    return dc_replace(GOOD, **changes)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- ids


def test_customer_uids_are_random_short_and_carry_no_personal_data() -> None:
    uids = {su.mint_key_id() for _ in range(2000)}
    assert len(uids) == 2000
    for uid in uids:
        assert re.fullmatch(r"kpa_[a-z2-7]{16}", uid), uid
        assert len(uid) <= su.KEY_ID_MAX


def test_merchant_uids_fit_the_window_limits() -> None:
    uids = {su.mint_order_id() for _ in range(2000)}
    assert len(uids) == 2000
    for uid in uids:
        assert re.fullmatch(r"kpa-su-[a-z2-7]{16}", uid)
        assert len(uid) <= su.ORDER_ID_MAX


def test_attempt_request_pay_params() -> None:
    form = su.validate_form(GOOD)
    attempt = su.start_attempt(form, imp_code="imp00000000", pg="kakaopay.TCSUBSCRIP")
    params = attempt.request_pay_params()
    assert params == {
        "pg": "kakaopay.TCSUBSCRIP",
        "pay_method": "card",
        "merchant_uid": attempt.order_id,
        "name": "프리미엄 월 구독",
        "amount": 9900,
        "customer_uid": attempt.key_id,
        "buyer_name": "김하늘",
        "buyer_tel": "010-1234-5678",
        "buyer_email": "haneul@example.com",
    }
    key_only = su.start_attempt(
        su.validate_form(replace(first_payment_now=False, email="")),
        imp_code="imp00000000",
        pg="kakaopay",
    )
    assert key_only.request_pay_params()["amount"] == 0
    assert "buyer_email" not in key_only.request_pay_params()
    assert key_only.key_id != attempt.key_id
    # The audit text masks the phone and the e-mail.
    assert "1234-5678" not in attempt.describe()
    assert "010-****-5678" in attempt.describe()
    assert "haneul@" not in attempt.describe()


# ----------------------------------------------------------------------------- the form


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("010-1234-5678", "010-1234-5678"),
        ("01012345678", "010-1234-5678"),
        ("010 1234 5678", "010-1234-5678"),
        ("010.1234.5678", "010-1234-5678"),
        ("+82 10-1234-5678", "010-1234-5678"),
        ("+821012345678", "010-1234-5678"),
        ("+82 010 1234 5678", "010-1234-5678"),
        ("011-123-4567", "011-123-4567"),
        ("016-1234-5678", "016-1234-5678"),
        (" 019 987 6543 ", "019-987-6543"),
    ],
)
def test_korean_mobile_formats(raw: str, normalised: str) -> None:
    assert su.normalise_phone(raw) == normalised
    assert su.validate_form(replace(phone=raw)).phone == normalised


@pytest.mark.parametrize(
    "raw",
    [
        "02-123-4567",  # Seoul landline
        "031-123-4567",  # area landline
        "010-123-4567",  # 010 needs 4+4
        "010-12345-6789",
        "101234567",  # one digit short even with the 0 Excel drops put back
        "+1 10-1234-5678",
        "010-1234-567a",
        "０１０-1234-5678",  # full-width digits
        "010-1234-5678-9",
        "070-1234-5678",
    ],
)
def test_not_korean_mobile(raw: str) -> None:
    assert su.normalise_phone(raw) is None
    assert su.form_errors(replace(phone=raw)) == {"phone": su.MSG_PHONE_FORMAT}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", su.MSG_NAME_EMPTY),
        ({"name": "가" * 51}, "name", su.MSG_NAME_LONG),
        ({"name": "<script>"}, "name", su.MSG_NAME_CHARS),
        ({"name": "a\x00b"}, "name", su.MSG_NAME_CHARS),
        ({"phone": ""}, "phone", su.MSG_PHONE_EMPTY),
        ({"email": "nope"}, "email", su.MSG_EMAIL_FORMAT),
        ({"email": "a@b"}, "email", su.MSG_EMAIL_FORMAT),
        ({"plan": "p" * 41}, "plan", su.MSG_PLAN_LONG),
        ({"plan": "월\n구독"}, "plan", su.MSG_PLAN_CHARS),
        ({"amount": ""}, "amount", su.MSG_AMOUNT_EMPTY),
        ({"amount": "9.900,5"}, "amount", su.MSG_AMOUNT_FORMAT),
        ({"amount": "99.5"}, "amount", su.MSG_AMOUNT_FORMAT),
        ({"amount": "-100"}, "amount", su.MSG_AMOUNT_FORMAT),
        ({"amount": "0"}, "amount", su.MSG_AMOUNT_ZERO),
        ({"amount": "10,000,001"}, "amount", su.MSG_AMOUNT_HIGH),
        ({"billing_day": "0"}, "billing_day", su.MSG_DAY),
        ({"billing_day": "32"}, "billing_day", su.MSG_DAY),
        ({"billing_day": "x"}, "billing_day", su.MSG_DAY),
        ({"channel": "import"}, "channel", su.MSG_CHANNEL),
        ({"channel": "fax"}, "channel", su.MSG_CHANNEL),
    ],
)
def test_one_message_per_bad_field(changes: dict[str, str], field: str, message: str) -> None:
    raw = replace(**changes)
    assert su.form_errors(raw) == {field: message}
    with pytest.raises(FormInvalid) as info:
        su.validate_form(raw)
    assert info.value.errors == {field: message}


def test_every_field_reported_at_once() -> None:
    errors = su.form_errors(RawSignupForm(billing_day="", channel=""))
    # The plan may be left empty (the field rules, kpadmin.billing.fields).
    assert set(errors) == {"name", "phone", "amount", "billing_day", "channel"}


def test_field_errors_are_the_field_rules_codes() -> None:
    from kpadmin.billing.messages import MessageCode

    errors = su.form_errors(replace(name="가" * 51, amount="0"))
    assert {f: m.code for f, m in errors.items()} == {
        "name": MessageCode.NAME_TOO_LONG,
        "amount": MessageCode.AMOUNT_ZERO,
    }
    assert errors["name"] == su.MSG_NAME_LONG


def test_an_empty_plan_orders_as_a_monthly_subscription() -> None:
    form = su.validate_form(replace(plan="  "))
    assert form.plan == ""
    attempt = su.start_attempt(form, imp_code="imp00000000", pg="kakaopay")
    assert attempt.request_pay_params()["name"] == su.DEFAULT_ORDER_NAME == "정기결제"


def test_valid_form_is_normalised() -> None:
    form = su.validate_form(
        replace(name="  김  하늘 ", amount="₩12,900원", email="", channel="in_person")
    )
    assert form.name == "김 하늘"
    assert form.amount == 12900
    assert form.email == ""
    assert form.channel is SignupChannel.IN_PERSON
    assert form.first_payment_amount == 12900
    assert su.validate_form(replace(first_payment_now=False)).first_payment_amount == 0


# ----------------------------------------------------------------------------- bridge messages

MUID = "kpa-su-aaaaaaaaaaaaaaaa"


def msg(rsp: object, **envelope: object) -> str:
    body = {"type": "callback", "rsp": rsp, **envelope}
    return json.dumps(body)


def test_good_callbacks_and_statuses() -> None:
    ok = su.parse_bridge_message(
        msg(
            {
                "imp_uid": "imp_000000000001",
                "merchant_uid": MUID,
                "error_code": None,
                "paid_amount": 0,
            }
        ),
        expected_order_id=MUID,
    )
    assert isinstance(ok, CheckoutCallback)
    assert ok.payment_id == "imp_000000000001" and not ok.failed
    failed = su.parse_bridge_message(
        msg({"merchant_uid": MUID, "imp_uid": None, "error_code": "F0005", "error_msg": "취소"}),
        expected_order_id=MUID,
    )
    assert isinstance(failed, CheckoutCallback) and failed.failed
    status = su.parse_bridge_message(
        json.dumps({"type": "status", "status": "requested"}), expected_order_id=MUID
    )
    assert status is PageStatus.REQUESTED


HOSTILE_MESSAGES = {
    "not text": 42,
    "bytes": b'{"type":"callback"}',
    "not JSON": "{type: callback",
    "empty": "",
    "JSON array": "[1, 2]",
    "JSON string": '"callback"',
    "NaN constant": '{"type": "callback", "rsp": {"merchant_uid": "x", "paid_amount": NaN}}',
    "huge": msg({"merchant_uid": MUID, "error_msg": "x" * (CALLBACK_MAX_BYTES + 1)}),
    "huge multibyte": msg({"merchant_uid": MUID, "error_msg": "가" * 6000}),
    "deep nesting": '{"type": "callback", "rsp": ' + "[" * 5000 + "]" * 5000 + "}",
    "extra envelope key": msg({"merchant_uid": MUID}, extra=1),
    "wrong type": json.dumps({"type": "eval", "rsp": {"merchant_uid": MUID}}),
    "missing rsp": json.dumps({"type": "callback"}),
    "rsp is a list": msg([MUID]),
    "rsp is a string": msg(MUID),
    "unknown field": msg({"merchant_uid": MUID, "__proto__": {}}),
    "nested object": msg({"merchant_uid": MUID, "custom_data": {"a": 1}}),
    "nested list": msg({"merchant_uid": MUID, "imp_uid": ["imp_000000000001"]}),
    "number as imp_uid": msg({"merchant_uid": MUID, "imp_uid": 123}),
    "string amount": msg({"merchant_uid": MUID, "paid_amount": "9900"}),
    "bool amount": msg({"merchant_uid": MUID, "paid_amount": True}),
    "string success": msg({"merchant_uid": MUID, "success": "true"}),
    "missing merchant_uid": msg({"imp_uid": "imp_000000000001"}),
    "null merchant_uid": msg({"merchant_uid": None}),
    "wrong merchant_uid": msg({"merchant_uid": "kpa-su-bbbbbbbbbbbbbbbb"}),
    "merchant_uid with quotes": msg({"merchant_uid": MUID + "'"}),
    "imp_uid with a path": msg({"merchant_uid": MUID, "imp_uid": "../payments/imp_000000000001"}),
    "overlong field": msg({"merchant_uid": MUID, "error_msg": "x" * 2001}),
    "unknown status": json.dumps({"type": "status", "status": "approved"}),
    "status with extra": json.dumps({"type": "status", "status": "requested", "rsp": {}}),
}


@pytest.mark.parametrize("message", HOSTILE_MESSAGES.values(), ids=HOSTILE_MESSAGES.keys())
def test_hostile_bridge_messages_are_rejected(message: object) -> None:
    with pytest.raises(CallbackRejected) as info:
        su.parse_bridge_message(message, expected_order_id=MUID)
    # The reason is short and never echoes the message.
    assert len(str(info.value)) < 60
    assert "xxxx" not in str(info.value)


# ----------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("today", "day", "taken", "expected"),
    [
        (date(2026, 11, 27), 5, True, date(2026, 12, 5)),
        (date(2026, 11, 27), 27, True, date(2026, 12, 27)),
        (date(2026, 11, 2), 30, True, date(2026, 12, 30)),  # never twice in one period
        (date(2026, 1, 31), 31, True, date(2026, 2, 28)),
        (date(2026, 12, 15), 10, True, date(2027, 1, 10)),
        (date(2026, 11, 27), 27, False, date(2026, 11, 27)),  # today is the billing day
        (date(2026, 11, 27), 30, False, date(2026, 11, 30)),
        (date(2026, 11, 27), 5, False, date(2026, 12, 5)),
        (date(2026, 2, 10), 31, False, date(2026, 2, 28)),
        (date(2026, 12, 20), 1, False, date(2027, 1, 1)),
    ],
)
def test_first_next_charge_date(today: date, day: int, taken: bool, expected: date) -> None:
    assert su.first_next_charge_date(today, day, first_payment_taken=taken) == expected


# ----------------------------------------------------------------------------- saving


def attempt_for(raw: RawSignupForm = GOOD) -> su.SignupAttempt:
    return su.start_attempt(su.validate_form(raw), imp_code="imp00000000", pg="kakaopay")


def test_verified_signup_with_first_payment_is_saved_atomically(tmp_path: Path) -> None:
    conn = open_store(tmp_path / "k.sqlite3")
    attempt = attempt_for()
    now = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)  # 2026-11-28 01:00 in Seoul
    verified = VerifiedSignup(
        attempt=attempt,
        card_name="카카오페이 (신한카드)",
        card_number="451842******1234",
        first_payment=VerifiedPayment(
            payment_id="imp_000000000001", amount=9900, receipt_url="https://r/1", paid_at=now
        ),
    )
    sub = su.save_verified_signup(conn, verified, staff="민지", now=now)
    assert sub.customer_uid == attempt.key_id
    assert sub.state is SubscriberState.ACTIVE
    assert sub.card_name == "카카오페이 (신한카드)"
    assert sub.next_charge_date == date(2026, 12, 5)
    assert sub.phone == "010-1234-5678"
    (charge,) = ChargeRepository(conn).for_subscriber(sub.id)
    assert charge.state is ChargeState.PAID
    assert charge.period == "2026-11"  # the Seoul month of the payment
    assert (charge.amount, charge.imp_uid, charge.merchant_uid) == (
        9900,
        "imp_000000000001",
        attempt.order_id,
    )
    (event,) = AuditRepository(conn).list(subscriber_id=sub.id)
    assert event.action == "signup" and event.staff == "민지"
    assert "1234-5678" not in event.detail

    # The same customer_uid twice violates the schema: nothing of the second write remains.
    with pytest.raises(Exception):  # noqa: B017 (sqlite3.IntegrityError)
        su.save_verified_signup(conn, verified, staff="민지", now=now)
    assert SubscriberRepository(conn).count() == 1
    assert len(ChargeRepository(conn).list_all()) == 1
    assert len(AuditRepository(conn).list()) == 1


def test_key_only_signup_has_no_charge(tmp_path: Path) -> None:
    conn = open_store(tmp_path / "k.sqlite3")
    attempt = attempt_for(replace(first_payment_now=False, billing_day="30"))
    now = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)  # Seoul: 27th
    sub = su.save_verified_signup(
        conn,
        VerifiedSignup(
            attempt=attempt, card_name="카카오머니", card_number=None, first_payment=None
        ),
        staff="민지",
        now=now,
    )
    assert sub.next_charge_date == date(2026, 11, 30)
    assert ChargeRepository(conn).for_subscriber(sub.id) == []


def test_failed_attempt_writes_only_audit(tmp_path: Path) -> None:
    conn = open_store(tmp_path / "k.sqlite3")
    attempt = attempt_for()
    su.record_attempt_started(conn, attempt, staff="민지")
    failure = SignupFailed(FailureReason.DECLINED, su.MSG_DECLINED, detail="window: -780")
    su.record_failed_attempt(conn, attempt, failure, staff="민지")
    events = AuditRepository(conn).list()
    assert [e.action for e in events] == ["signup_failed", "signup_started"]
    assert attempt.order_id in events[0].detail and "declined" in events[0].detail
    assert "1234-5678" not in events[0].detail
    assert SubscriberRepository(conn).count() == 0
    assert ChargeRepository(conn).list_all() == []
