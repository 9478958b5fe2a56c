"""A realistic sample store: Korean subscribers with six months of charge history.

Used for the screenshots in docs/, the table benchmark (100,000 rows) and GUI tests. Deterministic
for a given seed. It writes only the local store (journal rows marked with the ``sample-`` batch
prefix); nothing is sent to i'mport. It lives under tests/, which is never installed or frozen
(bench/table_100k.py and tests/gui/render_screenshots.py import it from the checkout).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from kpadmin.billing.messages import Message, MessageCode, Term, TermKind
from kpadmin.billing.order_ids import order_id_for
from kpadmin.billing.periods import clamp_day
from kpadmin.store import Store
from kpadmin.store.audit import AuditRepository
from kpadmin.store.charges import ChargeRepository, NewCharge
from kpadmin.store.models import ChargeState, SignupChannel, SubscriberState
from kpadmin.store.subscribers import NewSubscriber, SubscriberRepository
from tests.sql import sql

SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = [
    "민준",
    "서연",
    "도윤",
    "하은",
    "시우",
    "지유",
    "주원",
    "서윤",
    "하준",
    "지우",
    "예준",
    "수아",
    "지호",
    "하린",
    "준우",
    "지아",
    "현우",
    "채원",
    "건우",
    "다은",
    "우진",
    "예린",
    "선우",
    "소율",
    "유준",
    "윤서",
    "정우",
    "민서",
    "승현",
    "지민",
]
PLANS = [
    ("베이직", 9_900),
    ("스탠다드", 19_900),
    ("프리미엄", 39_000),
    ("원두 정기배송", 24_500),
    ("반찬 구독 (주 2회)", 59_000),
    ("필라테스 월 8회", 180_000),
]
CARDS = ["카카오페이머니", "신한카드", "국민카드", "현대카드", "삼성카드", "우리카드", "하나카드"]
DECLINE_REASONS = ["잔액 부족", "한도 초과", "카드 정지", "유효기간 만료"]


def _seoul_noon_utc(day: date) -> datetime:
    return datetime.combine(day, time(1, 30), tzinfo=UTC)  # 10:30 in Seoul


def _months_back(today: date, n: int) -> tuple[int, int]:
    month_index = today.year * 12 + today.month - 1 - n
    return month_index // 12, month_index % 12 + 1


def seed(
    conn: Store,
    *,
    today: date,
    count: int = 30,
    months: int = 6,
    rng_seed: int = 7,
    staff: str = "김지원",
) -> list[int]:
    """Subscribers with history, a last batch, a few declines, one unknown outcome. Returns ids."""
    rng = random.Random(rng_seed)
    subs = SubscriberRepository(conn)
    charges = ChargeRepository(conn)
    audit = AuditRepository(conn)
    new_rows = []
    for i in range(count):
        plan, amount = PLANS[rng.randrange(len(PLANS))]
        billing_day = rng.choice([1, 5, 10, 15, 20, 25, 28, 31, today.day])
        signup_months = rng.randint(1, months)
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
        state = SubscriberState.ACTIVE
        roll = rng.random()
        if roll < 0.08:
            state = SubscriberState.PAUSED
        elif roll < 0.12:
            state = SubscriberState.CANCELLED
        elif roll < 0.15:
            state = SubscriberState.KEY_MISSING
        this_month_charge = clamp_day(today.year, today.month, billing_day)
        if this_month_charge <= today:
            y, m = (today.year + (today.month == 12), today.month % 12 + 1)
            next_date = clamp_day(y, m, billing_day)
        else:
            next_date = this_month_charge
        if i % 9 == 4:  # a few due today
            next_date = today
        card = rng.choice(CARDS)
        new_rows.append(
            (
                NewSubscriber(
                    customer_uid=f"kp_{today:%y%m}_{i:05d}_{rng.randrange(16**6):06x}",
                    name=name,
                    amount=amount,
                    billing_day=billing_day,
                    next_charge_date=next_date,
                    phone=f"010{rng.randrange(10**8):08d}",
                    email=f"user{i:03d}@example.kr",
                    plan=plan,
                    state=state,
                    card_name=card,
                    card_number=f"{rng.randrange(1000, 9999)}-****-****-{rng.randrange(10**4):04d}",
                    channel=rng.choice([SignupChannel.PHONE, SignupChannel.IN_PERSON]),
                    memo="오전 통화 선호" if i % 11 == 3 else "",
                ),
                signup_months,
            )
        )
    ids = []
    with conn.transaction():
        for (new, signup_months), sid in zip(
            new_rows,
            subs.add_many([n for n, _ in new_rows], now=_seoul_noon_utc(today)),
            strict=True,
        ):
            ids.append(sid)
            y, m = _months_back(today, signup_months)
            signed = _seoul_noon_utc(clamp_day(y, m, min(new.billing_day, 28)))
            sql(
                conn,
                "UPDATE subscribers SET created_at = ? WHERE id = ?",
                (signed.isoformat(), sid),
            )
            audit.record(staff, "signup", _signed_up(new), subscriber_id=sid, at=signed)
            for back in range(signup_months, 0, -1):
                y, m = _months_back(today, back)
                day = clamp_day(y, m, new.billing_day)
                _charge(charges, sid, new, f"{y:04d}-{m:02d}", day, rng, batch=f"sample-{y}{m:02d}")
            if (
                new.next_charge_date > today
                and clamp_day(today.year, today.month, new.billing_day) <= today
            ):
                day = clamp_day(today.year, today.month, new.billing_day)
                _charge(charges, sid, new, f"{today:%Y-%m}", day, rng, batch=f"sample-{today:%Y%m}")
        # One charge whose answer was lost: it blocks further charging until reconciled. The
        # seventh subscriber, or the next one without a charge this month (which ones have one
        # depends on the day of the month).
        period = f"{today:%Y-%m}"
        start = min(6, len(ids) - 1)
        doubtful = next(
            (
                sid
                for sid in ids[start:] + ids[:start]
                if not any(c.period == period for c in charges.for_subscriber(sid))
            ),
            None,
        )
        row = subs.get(doubtful) if doubtful is not None else None
        if doubtful is not None and row is not None:
            cid = charges.insert(
                NewCharge(
                    doubtful,
                    row.customer_uid,
                    period,
                    1,
                    order_id_for(row.customer_uid, period, 1),
                    row.amount,
                ),
                batch_id=f"sample-{today:%Y%m}",
                staff=staff,
                now=_seoul_noon_utc(today),
            )
            charges.set_state(cid, ChargeState.UNKNOWN, now=_seoul_noon_utc(today))
    return ids


def _charge(
    charges: ChargeRepository,
    sid: int,
    new: NewSubscriber,
    period: str,
    day: date,
    rng: random.Random,
    *,
    batch: str,
) -> None:
    at = _seoul_noon_utc(day)
    attempt = 1
    cid = charges.insert(
        NewCharge(
            sid,
            new.customer_uid,
            period,
            attempt,
            order_id_for(new.customer_uid, period, attempt),
            new.amount,
        ),
        batch_id=batch,
        staff="scheduler",
        now=at,
    )
    if rng.random() < 0.08:
        charges.set_state(
            cid,
            ChargeState.DECLINED,
            now=at,
            fail_reason=rng.choice(DECLINE_REASONS),
            imp_uid=f"imp_{rng.randrange(10**12):012d}",
        )
        return
    imp_uid = f"imp_{rng.randrange(10**12):012d}"
    refunded = new.amount if rng.random() < 0.03 else 0
    charges.set_state(
        cid,
        ChargeState.PAID,
        now=at,
        imp_uid=imp_uid,
        paid_at=at,
        receipt_url=f"https://iniweb.inicis.com/receipt/{imp_uid}",
        cancelled_amount=refunded,
    )


def seed_bulk(conn: Store, *, count: int, today: date, rng_seed: int = 1) -> None:
    """Many subscribers, fast (one transaction, no history): for the 100,000-row benchmark."""
    rng = random.Random(rng_seed)
    subs = SubscriberRepository(conn)
    batch = []
    for i in range(count):
        plan, amount = PLANS[i % len(PLANS)]
        day = 1 + i % 28
        batch.append(
            NewSubscriber(
                customer_uid=f"kp_bulk_{i:07d}",
                name=SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 20) % len(GIVEN)],
                amount=amount,
                billing_day=day,
                next_charge_date=today + timedelta(days=rng.randrange(-3, 28)),
                phone=f"010{rng.randrange(10**8):08d}",
                email=f"bulk{i}@example.kr",
                plan=plan,
                card_name=CARDS[i % len(CARDS)],
                card_number=f"5365-****-****-{i % 10000:04d}",
                channel=SignupChannel.IMPORT,
            )
        )
    subs.add_many(batch)


def _signed_up(new: NewSubscriber) -> Message:
    """The sign-up's audit line as the app writes it (masked phone, no first payment)."""
    attempt = Message.of(
        MessageCode.AUDIT_ATTEMPT,
        key_id=new.customer_uid,
        order_id=f"{new.customer_uid}-signup",
        name=new.name,
        phone=f"{new.phone[:3]}-****-{new.phone[-4:]}",
        email="",
        plan=new.plan,
        amount=new.amount,
        first_payment=0,
        billing_day=new.billing_day,
        channel=Term(TermKind.CHANNEL, new.channel.value),
    )
    return Message.of(
        MessageCode.AUDIT_SIGNUP,
        card=f"{new.card_name or '-'} {new.card_number or ''}".rstrip(),
        next_date=new.next_charge_date.isoformat(),
        first_payment="",
        attempt=attempt,
    )
