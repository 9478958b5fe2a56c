"""One audit detail of every code, grouped by family, made by the code that writes them where it
is a function of its own (the sign-up attempt, the charge outcome, an edit's change, a setting);
the tests of the core (English, JSON) and of the GUI (Korean) share them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kpadmin.billing import journal, subscribers
from kpadmin.billing.messages import Message, MessageCode, Term, TermKind, setting_change
from kpadmin.billing.signup.form import SignupAttempt, SignupForm
from kpadmin.billing.signup.leftovers import AttemptLeftovers, LeftoverPayment
from kpadmin.store.models import ChargeState, SignupChannel

M = MessageCode


def _attempt(email: str) -> SignupAttempt:
    form = SignupForm(
        name="김하늘",
        phone="010-1234-5678",
        email=email,
        plan="프리미엄",
        amount=9_900,
        billing_day=7,
        first_payment_now=True,
        channel=SignupChannel.PHONE,
    )
    return SignupAttempt(
        form=form,
        key_id="kp_2612_00001_abcdef",
        order_id="kp-signup-1",
        imp_code="imp00000000",
        pg="kakaopay.TCSUBSCRIP",
        started_at=datetime(2026, 12, 7, 1, 0, tzinfo=UTC),
    )


def _row() -> journal.RowRef:
    return journal.RowRef(7, 3, "kp_key", "2026-12", 2, "kp-1-202612-2", 9_900)


def _payment_message() -> Message:
    return Message.of(M.AUDIT_CHARGE_PAYMENT, payment_id="imp_123")


ATTEMPT = _attempt("haneul@example.com").describe_message()
LEFT_KEY = AttemptLeftovers(_attempt(""), True, (LeftoverPayment("imp_9", 9_900, 9_900),))

FAMILIES: dict[str, list[Message]] = {
    "signup": [
        ATTEMPT,
        _attempt("").describe_message(),
        Message.of(
            M.AUDIT_SIGNUP,
            card="카카오페이 451842******9477",
            next_date=date(2027, 1, 7).isoformat(),
            first_payment=Message.of(
                M.AUDIT_SIGNUP_FIRST_PAYMENT, amount=9_900, payment_id="imp_1"
            ),
            attempt=ATTEMPT,
        ),
        Message.of(
            M.AUDIT_SIGNUP_FAILED,
            reason=Term(TermKind.SIGNUP_REASON, "declined"),
            why=Message.of(M.SIGNUP_DECLINED),
            note=Message.of(M.AUDIT_NOTE, text="window: error_code=F1 error_msg=한도 초과"),
            attempt=ATTEMPT,
            paid=Message.of(M.AUDIT_SIGNUP_PAID_UNSAVED, payment_id="imp_2"),
        ),
    ],
    "signup leftovers": [
        Message.of(
            M.AUDIT_LEFTOVERS,
            when=Message.of(
                M.AUDIT_LEFTOVERS_AFTER, reason=Term(TermKind.SIGNUP_REASON, "cancelled")
            ),
            found=LEFT_KEY.describe_message(),
            order_id="kp-signup-1",
            key_id="kp_key",
        ),
        Message.of(
            M.AUDIT_LEFTOVERS,
            when=Message.of(M.AUDIT_LEFTOVERS_CHECKED_AGAIN),
            found=AttemptLeftovers(_attempt(""), False, ()).describe_message(),
            order_id="kp-signup-1",
            key_id="kp_key",
        ),
        Message.of(
            M.AUDIT_LEFTOVERS,
            when=Message.of(M.AUDIT_LEFTOVERS_ABANDONED),
            found=AttemptLeftovers(_attempt(""), False, (), error="ReadTimeout").describe_message(),
            order_id="kp-signup-1",
            key_id="kp_key",
        ),
        Message.of(
            M.AUDIT_LEFTOVERS,
            when=Message.of(M.AUDIT_LEFTOVERS_AFTER_REFUND),
            found=LEFT_KEY.describe_message(),
            order_id="kp-signup-1",
            key_id="kp_key",
        ),
        Message.of(M.AUDIT_LEFTOVER_REFUNDED, payment_id="imp_9", amount=9_900, order_id="o"),
        Message.of(
            M.AUDIT_LEFTOVER_REFUND_FAILED,
            payment_id="imp_9",
            amount=9_900,
            error="ReadTimeout",
            order_id="o",
        ),
        Message.of(M.AUDIT_ORPHAN_KEY_DELETED, key_id="kp_key", order_id="o"),
        Message.of(M.AUDIT_ORPHAN_KEY_KEPT, key_id="kp_key", error="ReadTimeout"),
    ],
    "keys and subscribers": [
        Message.of(M.AUDIT_KEY_MISSING_MARKED),
        subscribers.KEY_GONE_AFTER_REJECTION,
        Message.of(M.AUDIT_KEY_GONE_OUTSIDE),
        Message.of(M.AUDIT_KEY_CHECK_MISSING),
        Message.of(M.AUDIT_KEY_CHECK_PRESENT),
        Message.of(
            M.AUDIT_KEY_CHECK_FOUND_AGAIN,
            was=Term(TermKind.SUBSCRIBER_STATE, "key_missing"),
            now=Term(TermKind.SUBSCRIBER_STATE, "active"),
        ),
        Message.of(
            M.AUDIT_STATE_MOVE,
            was=Term(TermKind.SUBSCRIBER_STATE, "active"),
            now=Term(TermKind.SUBSCRIBER_STATE, "paused"),
        ),
        Message.of(M.AUDIT_CANCELLED, reason="고객 요청"),
        Message.of(M.AUDIT_KEY_DELETED, reason="고객 요청"),
        Message.of(M.AUDIT_KEY_DELETED_NONE, reason="고객 요청"),
        Message.of(
            M.AUDIT_PARTS,
            parts=(
                subscribers.field_change("amount", 9_900, 12_900),
                subscribers.field_change("memo", None, "전화 요망"),
                subscribers.field_change("phone", "010-****-5678", "010-****-1234"),
            ),
        ),
    ],
    "charges": [
        journal.describe(_row(), ChargeState.PAID, None, ""),
        journal.describe(
            _row(),
            ChargeState.UNKNOWN,
            None,
            (Message.of(M.OUTCOME_INTERRUPTED), Message.of(M.OUTCOME_STATUS, status="ready")),
        ),
        journal.describe(
            _row(),
            ChargeState.UNKNOWN,
            None,
            (
                Message.of(M.OUTCOME_AMOUNT_MISMATCH, asked=9_900, paid=19_800),
                Message.of(
                    M.OUTCOME_DOUBLE_PAYMENT,
                    period="2026-12",
                    clash="kp-1-202612-1",
                    payment_id="imp_2",
                ),
            ),
        ),
        Message.of(
            M.AUDIT_CHARGE,
            state=Term(TermKind.CHARGE_STATE, "declined"),
            amount=9_900,
            period="2026-12",
            attempt=1,
            order_id="kp-1-202612-1",
            payment=_payment_message(),
            note=Message.of(M.AUDIT_CHARGE_NOTE, text="잔액 부족"),
        ),
        Message.of(
            M.AUDIT_AMOUNT_MISMATCH,
            order_id="kp-1",
            payment_id="imp_1",
            period="2026-12",
            paid=19_800,
            asked=9_900,
        ),
        Message.of(
            M.AUDIT_BATCH,
            batch_id="20261207-ab",
            paid=3,
            paid_amount=29_700,
            declined=1,
            rejected=0,
            unknown=0,
            unsent=0,
            withdrawn=2,
            mismatches=Message.of(M.AUDIT_BATCH_MISMATCHES, count=1),
            cancelled=Message.of(M.AUDIT_BATCH_CANCELLED),
            stopped=Message.of(M.AUDIT_BATCH_STOPPED, error="디스크 가득 참"),
        ),
        Message.of(M.AUDIT_WITHDRAWN, batch_id="20261207-ab", count=2),
        Message.of(M.AUDIT_DAILY_RUN, day="2026-12-07", desk="김민지"),
        Message.of(M.AUDIT_PAST_DUE, period="2026-12", failures=3, days="1, 3, 7"),
        Message.of(M.AUDIT_RETRY_REQUESTED, state=Term(TermKind.SUBSCRIBER_STATE, "past_due")),
    ],
    "refunds": [
        Message.of(
            M.AUDIT_REFUND,
            amount=1_000,
            charged=9_900,
            period="2026-12",
            order_id="kp-1",
            payment_id="imp_1",
            total=1_000,
            reason="부분 환불",
        ),
        Message.of(M.AUDIT_REFUND_NOT_MADE, asked=1_000, total=0, reason="부분 환불"),
        Message.of(
            M.AUDIT_REFUND_REFUSED, asked=1_000, error="이미 취소된 거래", balance=0, reason="r"
        ),
        Message.of(M.AUDIT_REFUND_UNKNOWN, asked=1_000, reason="부분 환불"),
        Message.of(
            M.AUDIT_OUTSIDE_REFUND, order_id="kp-1", payment_id="imp_1", refunded=9_900, here=0
        ),
    ],
    "files": [
        Message.of(M.AUDIT_IMPORTED, line=3),
        Message.of(
            M.AUDIT_IMPORT_UPDATE,
            changes=(subscribers.field_change("plan", "베이직", "프리미엄"),),
        ),
        Message.of(M.AUDIT_IMPORT_FILE, added=1, updated=2, unchanged=3, bad=0),
        Message.of(M.AUDIT_DB_COPY, file="kpadmin.sqlite3", subscribers=10, charges=20),
        Message.of(M.AUDIT_EXPORT, what=Term(TermKind.EXPORT, "charges"), count=5, file="결제.csv"),
        Message.of(
            M.AUDIT_EXPORT_PAYMENTS,
            start="2026-12-01",
            end="2026-12-07",
            kind="xlsx",
            count=5,
            file="payments-20261201-20261207.xlsx",
        ),
    ],
    "settings": [
        Message.of(
            M.AUDIT_PARTS,
            parts=(
                setting_change(M.AUDIT_SETTING_CHANGE, "concurrency", "4", "8"),
                setting_change(M.AUDIT_SETTING_CHANGE, "auto_charge_time", "off", "09:30"),
                setting_change(M.AUDIT_SETTING_CHANGE, "auto_charge_live", "false", "true"),
                setting_change(M.AUDIT_SETTING_CHANGE, "language", "auto", "ko"),
                setting_change(M.AUDIT_SETTING_CHANGE, "mode", "sandbox", "test"),
                setting_change(M.AUDIT_SETTING_CHANGE, "notices", "off", "email"),
                Message.of(
                    M.AUDIT_SECRET_REPLACED,
                    name=Term(TermKind.SECRET, "imp_secret"),
                    mode=Term(TermKind.MODE, "test"),
                ),
            ),
        ),
        setting_change(M.AUDIT_SETTING_SET, "monthly_limit", "(unset)", "2"),
        Message.of(
            M.AUDIT_SECRET_STORED,
            name=Term(TermKind.SECRET, "imp_key"),
            mode=Term(TermKind.MODE, "live"),
        ),
        Message.of(
            M.AUDIT_SECRET_REMOVED,
            name=Term(TermKind.SECRET, "smtp_password"),
            mode=Term(TermKind.MODE, "sandbox"),
        ),
        Message.of(M.AUDIT_SETTINGS_RESET),
        Message.of(M.AUDIT_SETTINGS_RESET_KEPT, file="settings.json.bad", problem=""),
        Message.of(M.AUDIT_NEW_DATABASE, facts="구독자 3명"),
    ],
    "plans": [
        Message.of(M.AUDIT_PLAN_ADDED, plan="프리미엄", price=12_900),
        Message.of(
            M.AUDIT_PLAN_PRICE,
            plan="프리미엄",
            old=9_900,
            new=12_900,
            period="2027-01",
            now=1,
            later=2,
            told=3,
        ),
        Message.of(
            M.AUDIT_PLAN_PRICE_SUBSCRIBER, old=9_900, new=12_900, plan="프리미엄", period="2027-01"
        ),
    ],
}


def codes_in(message: Message) -> set[MessageCode]:
    """The codes of a message and of every message nested in it."""
    found = {message.code}
    for value in message.params.values():
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, Message):
                found |= codes_in(item)
    return found


def every_sample() -> list[Message]:
    return [m for family in FAMILIES.values() for m in family]
