"""The notifier seam: the back-off schedule of a failed notice (a pure function) and the error's
classification."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from kpadmin.billing.notices import FailureKind, NoticeError, Scope, next_attempt_at, retry_after
from kpadmin.billing.notices.notifier import BACKOFF, MAX_FAILURES


def test_the_backoff_grows_and_then_gives_up() -> None:
    waits = [retry_after(FailureKind.TEMPORARY, n) for n in range(1, MAX_FAILURES + 2)]
    assert waits[:-1] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=15),
        timedelta(hours=1),
        timedelta(hours=3),
        timedelta(hours=6),
        timedelta(hours=12),
        timedelta(hours=24),
    ]
    assert waits[-1] is None
    assert all(a < b for a, b in itertools.pairwise(BACKOFF))
    assert sum(BACKOFF, timedelta()) < timedelta(days=2, hours=1)


def test_a_dropped_connection_is_retried_like_a_temporary_refusal() -> None:
    for failures in range(1, MAX_FAILURES + 2):
        assert retry_after(FailureKind.DROPPED, failures) == retry_after(
            FailureKind.TEMPORARY, failures
        )


def test_a_permanent_refusal_is_never_retried() -> None:
    assert all(retry_after(FailureKind.PERMANENT, n) is None for n in range(1, 20))


def test_failures_count_this_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        retry_after(FailureKind.TEMPORARY, 0)


def test_next_attempt_at() -> None:
    failed = datetime(2026, 12, 31, 23, 59, tzinfo=UTC)
    assert next_attempt_at(FailureKind.TEMPORARY, 8, failed) == datetime(
        2027, 1, 1, 23, 59, tzinfo=UTC
    )
    assert next_attempt_at(FailureKind.TEMPORARY, 9, failed) is None
    assert next_attempt_at(FailureKind.PERMANENT, 1, failed) is None


def test_an_error_says_whether_to_retry() -> None:
    temporary = NoticeError("x", kind=FailureKind.TEMPORARY, scope=Scope.NOTICE, stage="data")
    permanent = NoticeError("y", kind=FailureKind.PERMANENT, scope=Scope.CHANNEL, stage="auth")
    assert temporary.retry and not permanent.retry
    assert not temporary.maybe_delivered and temporary.code is None
