"""The retry policy: days of runs on an injected clock (month end, leap day, year end in KST), the
once-a-day rule, past due, Kakao Pay's monthly cap, staff retry and re-enrolment, and Hypothesis
properties over random schedules of runs."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpadmin.billing import retry_policy as rp
from kpadmin.billing.retry_policy import Attempt, Outcome, Reason

DECLINED = Outcome.DECLINED


def kst(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """An instant given by its Asia/Seoul wall time, as aware UTC (what a clock returns)."""
    return datetime(year, month, day, hour, minute, tzinfo=rp.SEOUL).astimezone(UTC)


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def cap(at: datetime) -> Attempt:
    return Attempt(at, DECLINED, monthly_cap=True)


def run_days(
    start: datetime,
    days: int,
    outcome: Callable[[int], Attempt | None] | None = None,
    *,
    runs_per_day: Sequence[int] = (0, 9, 13, 23),
    retry_days: Sequence[int] = rp.DEFAULT_RETRY_DAYS,
) -> tuple[list[Attempt], list[rp.Decision]]:
    """Runs at the given KST hours of each day from ``start``'s KST date, charging whenever the
    policy says so; each charge's outcome is ``outcome(n)`` (a decline by default)."""
    clock = FakeClock(start)
    attempts: list[Attempt] = []
    decisions: list[rp.Decision] = []
    first = rp.kst_date(start)
    for offset in range(days):
        day = first + timedelta(days=offset)
        for hour in runs_per_day:
            clock.now = kst(day.year, day.month, day.day, hour, 30)
            decision = rp.decide_now(attempts, clock=clock, retry_days=retry_days)
            decisions.append(decision)
            if decision.charge_now:
                made = outcome(len(attempts)) if outcome else None
                attempts.append(
                    Attempt(clock.now, made.outcome, made.monthly_cap)
                    if made
                    else Attempt(clock.now, DECLINED)
                )
    return attempts, decisions


def days_of(attempts: Sequence[Attempt]) -> list[date]:
    return [a.day for a in attempts]


# --- days of retries ---------------------------------------------------------------------------


def test_a_declining_card_is_tried_on_the_retry_days_then_past_due_across_a_month_end() -> None:
    attempts, decisions = run_days(kst(2026, 1, 30, 0), 12)
    assert days_of(attempts) == [
        date(2026, 1, 30),
        date(2026, 1, 31),  # +1
        date(2026, 2, 2),  # +3
        date(2026, 2, 4),  # +5
    ]
    final = decisions[-1]
    assert final == rp.Decision(False, Reason.PAST_DUE, None, True, 4)
    # Every run of a retry day after the first one says the subscriber was tried today.
    jan31 = [d for d in decisions if d.reason is Reason.ATTEMPTED_TODAY]
    assert jan31 and all(not d.charge_now for d in jan31)


def test_the_next_retry_date_is_told_while_waiting() -> None:
    first = Attempt(kst(2026, 3, 10, 10), DECLINED)
    on_the_day = rp.decide([first], today=date(2026, 3, 10))
    assert on_the_day == rp.Decision(False, Reason.ATTEMPTED_TODAY, date(2026, 3, 11), False, 1)
    second = Attempt(kst(2026, 3, 11, 10), DECLINED)
    waiting = rp.decide([first, second], today=date(2026, 3, 12))
    assert waiting == rp.Decision(False, Reason.WAITING, date(2026, 3, 13), False, 2)
    assert rp.decide([first, second], today=date(2026, 3, 13)) == rp.Decision(
        True, Reason.RETRY_DUE, date(2026, 3, 13), False, 2
    )


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        # Leap year: Feb 29 exists, so +3 is Mar 1.
        (date(2028, 2, 27), [date(2028, 2, 28), date(2028, 3, 1), date(2028, 3, 3)]),
        # The year before has no Feb 29.
        (date(2027, 2, 27), [date(2027, 2, 28), date(2027, 3, 2), date(2027, 3, 4)]),
        # A first decline on the leap day itself.
        (date(2028, 2, 29), [date(2028, 3, 1), date(2028, 3, 3), date(2028, 3, 5)]),
        # Year end.
        (date(2026, 12, 30), [date(2026, 12, 31), date(2027, 1, 2), date(2027, 1, 4)]),
        (date(2026, 12, 31), [date(2027, 1, 1), date(2027, 1, 3), date(2027, 1, 5)]),
    ],
)
def test_retry_days_over_leap_days_and_year_ends(first: date, expected: list[date]) -> None:
    attempts, _ = run_days(kst(first.year, first.month, first.day, 0), 10)
    assert days_of(attempts) == [first, *expected]


def test_the_day_is_the_kst_day_not_the_utc_day() -> None:
    # 23:30 UTC on Mar 9 is 08:30 on Mar 10 in Seoul; 14:00 UTC on Mar 10 is 23:00 in Seoul.
    morning = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)
    evening = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
    first = Attempt(morning, DECLINED)
    assert first.day == date(2026, 3, 10)
    assert rp.decide_now([first], clock=lambda: evening).reason is Reason.ATTEMPTED_TODAY
    # 15:00 UTC on Mar 10 is midnight on Mar 11 in Seoul: the first retry's day.
    after_midnight = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    assert rp.decide_now([first], clock=lambda: after_midnight).reason is Reason.RETRY_DUE


def test_many_runs_a_day_charge_once_a_day() -> None:
    hourly = tuple(range(24))
    attempts, decisions = run_days(kst(2026, 5, 1, 0), 8, runs_per_day=hourly)
    assert len(set(days_of(attempts))) == len(attempts) == 4
    assert sum(d.charge_now for d in decisions) == 4
    assert len(decisions) == 8 * 24


def test_a_missed_retry_day_is_made_at_the_next_run_and_retries_are_counted_not_days() -> None:
    first = Attempt(kst(2026, 6, 1), DECLINED)
    # Nobody ran on Jun 2; Jun 4 is after retry 1's day (Jun 2) and retry 2's (Jun 4).
    decision = rp.decide([first], today=date(2026, 6, 4))
    assert decision == rp.Decision(True, Reason.RETRY_DUE, date(2026, 6, 4), False, 1)
    # The computer was off for two weeks: one retry a day, never several on one day.
    attempts = [first]
    for day in range(15, 20):
        decision = rp.decide(attempts, today=date(2026, 6, day))
        if decision.charge_now:
            attempts.append(Attempt(kst(2026, 6, day), DECLINED))
    assert days_of(attempts)[1:] == [date(2026, 6, 15), date(2026, 6, 16), date(2026, 6, 17)]
    assert rp.decide(attempts, today=date(2026, 6, 30)).reason is Reason.PAST_DUE


def test_a_paid_retry_ends_the_period_and_in_doubt_blocks() -> None:
    declined = Attempt(kst(2026, 7, 1), DECLINED)
    paid = Attempt(kst(2026, 7, 2), Outcome.PAID)
    assert rp.decide([declined, paid], today=date(2026, 7, 9)) == rp.Decision(
        False, Reason.PAID, None, False, 1
    )
    doubt = Attempt(kst(2026, 7, 2), Outcome.IN_DOUBT)
    assert rp.decide([declined, doubt], today=date(2026, 7, 9)).reason is Reason.IN_DOUBT
    # Even a staff retry waits for the lookup.
    blocked = rp.decide([declined, doubt], today=date(2026, 7, 9), staff_retry_at=kst(2026, 7, 9))
    assert blocked.reason is Reason.IN_DOUBT and not blocked.charge_now


def test_no_attempt_yet_is_a_first_attempt() -> None:
    assert rp.decide([], today=date(2026, 1, 1)) == rp.Decision(
        True, Reason.FIRST_ATTEMPT, date(2026, 1, 1), False, 0
    )


def test_rejected_attempts_count_like_declines() -> None:
    attempts, decisions = run_days(
        kst(2026, 8, 1, 0), 10, lambda n: Attempt(kst(2026, 1, 1), Outcome.REJECTED)
    )
    assert len(attempts) == 4 and decisions[-1].past_due


@pytest.mark.parametrize(
    ("retry_days", "expected"),
    [
        ((), [date(2026, 9, 1)]),
        ((2, 7), [date(2026, 9, 1), date(2026, 9, 3), date(2026, 9, 8)]),
        ((28,), [date(2026, 9, 1), date(2026, 9, 29)]),
        (
            (1, 2, 3, 4, 5, 6),
            [date(2026, 9, d) for d in range(1, 8)],
        ),
    ],
)
def test_other_retry_days(retry_days: tuple[int, ...], expected: list[date]) -> None:
    attempts, decisions = run_days(kst(2026, 9, 1, 0), 40, retry_days=retry_days)
    assert days_of(attempts) == expected
    assert decisions[-1].reason is Reason.PAST_DUE
    assert decisions[-1].card_failures == len(retry_days) + 1


# --- Kakao Pay's monthly cap -------------------------------------------------------------------


def test_a_cap_decline_waits_for_the_first_of_next_month_and_is_no_card_failure() -> None:
    capped = cap(kst(2026, 1, 20))
    waiting = rp.decide([capped], today=date(2026, 1, 21))
    assert waiting == rp.Decision(False, Reason.CAP_WAIT, date(2026, 2, 1), False, 0)
    assert rp.decide([capped], today=date(2026, 1, 31)).reason is Reason.CAP_WAIT
    assert rp.decide([capped], today=date(2026, 2, 1)) == rp.Decision(
        True, Reason.CAP_RESET, date(2026, 2, 1), False, 0
    )


def test_cap_declines_every_month_never_make_past_due() -> None:
    attempts, decisions = run_days(kst(2026, 10, 5, 0), 120, lambda n: cap(kst(2026, 1, 1)))
    assert days_of(attempts) == [
        date(2026, 10, 5),
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    ]
    assert not any(d.past_due for d in decisions)
    assert all(d.card_failures == 0 for d in decisions)


@pytest.mark.parametrize(
    ("at", "until"),
    [
        # 23:59 on Dec 31 in Seoul (14:59 UTC): the 1st of January.
        (datetime(2026, 12, 31, 14, 59, tzinfo=UTC), date(2027, 1, 1)),
        # 00:30 on Jan 1 in Seoul, still Dec 31 in UTC: the 1st of *February*.
        (datetime(2026, 12, 31, 15, 30, tzinfo=UTC), date(2027, 2, 1)),
        # The leap day.
        (kst(2028, 2, 29, 12), date(2028, 3, 1)),
        (kst(2026, 1, 31, 23, 59), date(2026, 2, 1)),
    ],
)
def test_the_cap_month_is_the_kst_month(at: datetime, until: date) -> None:
    decision = rp.decide([cap(at)], today=rp.kst_date(at))
    assert decision.reason is Reason.CAP_WAIT and decision.next_retry == until
    assert rp.decide([cap(at)], today=until).charge_now


def test_a_cap_decline_among_retries_delays_the_schedule_without_counting() -> None:
    first = Attempt(kst(2026, 1, 29), DECLINED)
    retry1 = cap(kst(2026, 1, 30))  # retry 1 hit the cap: it is not a failure
    assert rp.decide([first, retry1], today=date(2026, 1, 31)) == rp.Decision(
        False, Reason.CAP_WAIT, date(2026, 2, 1), False, 1
    )
    # On Feb 1 retry 1 is made again (its day, Jan 30, has long come).
    assert rp.decide([first, retry1], today=date(2026, 2, 1)) == rp.Decision(
        True, Reason.RETRY_DUE, date(2026, 2, 1), False, 1
    )
    # The following retries keep their days after the first decline, one a day at the most.
    retry1b = Attempt(kst(2026, 2, 1), DECLINED)
    assert rp.decide([first, retry1, retry1b], today=date(2026, 2, 1)).next_retry == date(
        2026, 2, 2
    )


def test_the_cap_is_recognised_by_kakao_pays_words() -> None:
    sandbox_reason = "[CARD_LIMIT] 카카오페이 정기결제 월 한도 횟수를 초과하였습니다."
    assert rp.is_monthly_cap_decline(sandbox_reason)
    assert not rp.is_monthly_cap_decline("결제승인에 실패하였습니다. [2116]개인 월 한도금액 초과")
    assert not rp.is_monthly_cap_decline("잔액이 부족합니다")
    assert not rp.is_monthly_cap_decline(None)
    assert not rp.is_monthly_cap_decline("")


# --- staff retry and re-enrolment --------------------------------------------------------------


def past_due_history() -> list[Attempt]:
    attempts, decisions = run_days(kst(2026, 4, 1, 0), 8)
    assert decisions[-1].past_due
    return attempts


def test_staff_retry_charges_a_past_due_subscriber_once() -> None:
    attempts = past_due_history()
    pressed = kst(2026, 4, 20, 10)
    decision = rp.decide(attempts, today=date(2026, 4, 20), staff_retry_at=pressed)
    assert decision == rp.Decision(True, Reason.STAFF_RETRY, date(2026, 4, 20), True, 4)
    # The attempt it made is later than the press: the press is used up.
    attempts.append(Attempt(kst(2026, 4, 20, 10, 1), DECLINED))
    after = rp.decide(attempts, today=date(2026, 4, 21), staff_retry_at=pressed)
    assert after == rp.Decision(False, Reason.PAST_DUE, None, True, 5)


def test_staff_retry_may_charge_again_on_the_day_of_a_decline() -> None:
    declined = Attempt(kst(2026, 4, 1, 9), DECLINED)
    pressed = kst(2026, 4, 1, 15)
    assert rp.decide([declined], today=date(2026, 4, 1), staff_retry_at=pressed).charge_now
    # A press from before the decline is no new press.
    earlier = kst(2026, 4, 1, 8)
    assert not rp.decide([declined], today=date(2026, 4, 1), staff_retry_at=earlier).charge_now


def test_staff_retry_does_not_beat_the_cap() -> None:
    capped = cap(kst(2026, 4, 10))
    decision = rp.decide([capped], today=date(2026, 4, 11), staff_retry_at=kst(2026, 4, 11))
    assert decision.reason is Reason.CAP_WAIT and not decision.charge_now


def test_a_past_due_subscriber_whose_staff_retry_hit_the_cap_gets_no_automatic_date() -> None:
    attempts = [*past_due_history(), cap(kst(2026, 4, 20))]
    decision = rp.decide(attempts, today=date(2026, 4, 21))
    assert decision == rp.Decision(False, Reason.CAP_WAIT, None, True, 4)
    assert rp.decide(attempts, today=date(2026, 5, 1)).reason is Reason.PAST_DUE


def test_re_enrolment_starts_afresh() -> None:
    attempts = past_due_history()
    new_key = kst(2026, 4, 20, 11)
    decision = rp.decide(attempts, today=date(2026, 4, 20), reenrolled_at=new_key)
    assert decision == rp.Decision(True, Reason.REENROLLED, date(2026, 4, 20), False, 0)
    attempts.append(Attempt(kst(2026, 4, 20, 11, 5), DECLINED))
    # The new key's first decline starts the retry days again.
    again = rp.decide(attempts, today=date(2026, 4, 21), reenrolled_at=new_key)
    assert again == rp.Decision(True, Reason.RETRY_DUE, date(2026, 4, 21), False, 1)


def test_re_enrolment_forgets_the_old_keys_cap_and_day() -> None:
    capped = cap(kst(2026, 4, 10, 9))
    new_key = kst(2026, 4, 10, 12)
    assert rp.decide([capped], today=date(2026, 4, 10), reenrolled_at=new_key).charge_now


# --- inputs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,3,5", (1, 3, 5)),
        (" 2 , 7 ", (2, 7)),
        ("28", (28,)),
        ("off", ()),
        ("", ()),
        ("NONE", ()),
        ("1,2,3,4,5,6", (1, 2, 3, 4, 5, 6)),
    ],
)
def test_parse_retry_days(raw: str, expected: tuple[int, ...]) -> None:
    assert rp.parse_retry_days(raw) == expected
    assert rp.parse_retry_days(rp.format_retry_days(expected)) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("0,3", "1..28"),
        ("1,29", "1..28"),
        ("3,1", "ascending"),
        ("1,1", "ascending"),
        ("1,2,3,4,5,6,7", "at most 6"),
        ("1;3", "whole numbers"),
        ("1,,3", "whole numbers"),
        ("-1", "whole numbers"),
        ("1.5", "whole numbers"),
        ("１,３", "whole numbers"),  # full-width digits
        ("9" * 5000, "whole numbers"),
    ],
)
def test_parse_retry_days_refuses(raw: str, message: str) -> None:
    with pytest.raises(rp.RetryDaysError, match=message):
        rp.parse_retry_days(raw)


def test_decide_checks_its_inputs() -> None:
    with pytest.raises(rp.RetryDaysError):
        rp.decide([], today=date(2026, 1, 1), retry_days=(5, 3))
    with pytest.raises(ValueError, match="aware"):
        Attempt(datetime(2026, 1, 1, 9, 0), DECLINED)
    with pytest.raises(ValueError, match="only a decline"):
        Attempt(kst(2026, 1, 1), Outcome.PAID, monthly_cap=True)
    with pytest.raises(ValueError, match="aware"):
        rp.decide_now([], clock=lambda: datetime(2026, 1, 1))


def test_outcome_from_the_journal_state() -> None:
    assert Outcome.from_charge_state("paid") is Outcome.PAID
    assert Outcome.from_charge_state("declined") is Outcome.DECLINED
    assert Outcome.from_charge_state("rejected") is Outcome.REJECTED
    for state in ("planned", "sent", "unknown"):
        assert Outcome.from_charge_state(state) is Outcome.IN_DOUBT
    with pytest.raises(ValueError, match="unknown charge state"):
        Outcome.from_charge_state("refunded")


# --- properties --------------------------------------------------------------------------------

retry_days_strategy = st.lists(
    st.integers(rp.MIN_RETRY_DAY, rp.MAX_RETRY_DAY), unique=True, max_size=rp.MAX_RETRIES
).map(lambda days: tuple(sorted(days)))
outcome_strategy = st.sampled_from(["declined", "rejected", "cap", "paid"])


@st.composite
def schedules(draw: st.DrawFn) -> tuple[tuple[int, ...], datetime, list[datetime], list[str]]:
    days = draw(retry_days_strategy)
    start = draw(
        st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2031, 12, 31))
    ).replace(tzinfo=UTC)
    # Gaps between runs: a minute to four days, so some days have many runs and some none.
    gaps = draw(st.lists(st.integers(1, 4 * 24 * 60), min_size=1, max_size=120))
    runs = []
    now = start
    for gap in gaps:
        now += timedelta(minutes=gap)
        runs.append(now)
    outcomes = draw(st.lists(outcome_strategy, min_size=len(runs), max_size=len(runs)))
    return days, start, runs, outcomes


def simulate(
    days: tuple[int, ...], runs: list[datetime], outcomes: list[str]
) -> tuple[list[Attempt], list[tuple[datetime, rp.Decision]]]:
    clock = FakeClock(runs[0])
    attempts: list[Attempt] = []
    seen: list[tuple[datetime, rp.Decision]] = []
    for instant in runs:
        clock.now = instant
        decision = rp.decide_now(attempts, clock=clock, retry_days=days)
        seen.append((instant, decision))
        if decision.charge_now:
            kind = outcomes[len(attempts)]
            if kind == "cap":
                attempts.append(cap(instant))
            else:
                attempts.append(Attempt(instant, Outcome(kind)))
    return attempts, seen


@settings(max_examples=300, deadline=None)
@given(schedules())
def test_property_never_more_than_once_a_kst_day(
    schedule: tuple[tuple[int, ...], datetime, list[datetime], list[str]],
) -> None:
    days, _, runs, outcomes = schedule
    attempts, _ = simulate(days, runs, outcomes)
    assert len({a.day for a in attempts}) == len(attempts)


@settings(max_examples=300, deadline=None)
@given(schedules())
def test_property_card_attempts_are_bounded_and_never_early(
    schedule: tuple[tuple[int, ...], datetime, list[datetime], list[str]],
) -> None:
    days, _, runs, outcomes = schedule
    attempts, seen = simulate(days, runs, outcomes)
    card = [a for a in attempts if not a.monthly_cap]
    assert len(card) <= len(days) + 1
    assert sum(a.outcome is Outcome.PAID for a in attempts) <= 1
    failures = [a for a in attempts if a.card_failure]
    if failures:
        first = failures[0].day
        # The k-th attempt after the first card failure (cap declines aside) is never before
        # its retry day.
        after = [a for a in card if a.at > failures[0].at]
        for k, attempt in enumerate(after, start=1):
            assert attempt.day >= first + timedelta(days=days[k - 1])
    for earlier, later in itertools.pairwise(attempts):
        if earlier.monthly_cap:
            assert later.day >= rp.first_of_next_month(earlier.day)
    for _, decision in seen:
        assert decision.past_due == (decision.card_failures > len(days))
        if decision.charge_now:
            assert not decision.past_due


@settings(max_examples=300, deadline=None)
@given(schedules())
def test_property_cap_declines_never_make_past_due(
    schedule: tuple[tuple[int, ...], datetime, list[datetime], list[str]],
) -> None:
    days, _, runs, _ = schedule
    attempts, seen = simulate(days, runs, ["cap"] * len(runs))
    assert not any(decision.past_due for _, decision in seen)
    assert all(decision.card_failures == 0 for _, decision in seen)
    # One attempt per KST month at the most; each one after the first is the first run of its
    # month (a run on the 1st, or the first run after it).
    assert len({(a.day.year, a.day.month) for a in attempts}) == len(attempts)
    for attempt in attempts[1:]:
        month_start = attempt.day.replace(day=1)
        assert not any(month_start <= rp.kst_date(run) < attempt.day for run in runs)
