"""The audit view's query (kpadmin/billing/audit_view.py, kpadmin/store/ledger.py) on SQLite and
PostgreSQL: Korean day boundaries, newest first, staff and action filters, actions of no
subscriber with an empty name."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kpadmin.billing import audit_view
from kpadmin.billing.messages import AuditAction
from kpadmin.billing.reports import ReportRangeError
from kpadmin.store import NewSubscriber, Store
from tests.audit_text import text
from tests.billing.test_reports import kst


@pytest.fixture
def day(today: date) -> date:
    return today - timedelta(days=3)


@pytest.fixture
def filled(any_store: Store, day: date) -> Store:
    store = any_store
    (sid,) = store.subscribers.add_many([NewSubscriber("cu_a", "김민지", 9900, 1, day)])
    audit = store.audit
    # 00:00 KST is 15:00 UTC the day before, 23:59 KST is 14:59 UTC the same day: both this day.
    audit.record("민지", AuditAction.IMPORT, text("first"), at=kst(day, 0, 0))
    audit.record("준호", AuditAction.PAUSE, text("second"), subscriber_id=sid, at=kst(day, 12))
    audit.record("민지", AuditAction.REFUND, text("third"), subscriber_id=sid, at=kst(day, 23, 59))
    # Just outside the day on either side.
    audit.record(
        "민지", AuditAction.EXPORT, text("before"), at=kst(day, 0, 0) - timedelta(seconds=1)
    )
    audit.record("민지", AuditAction.SETTINGS, text("after"), at=kst(day + timedelta(days=1), 0, 0))
    return store


def test_a_korean_day_is_its_midnight_to_midnight(filled: Store, day: date) -> None:
    lines = audit_view.audit_lines(filled, day, day)
    assert [line.event.detail for line in lines] == ["third", "second", "first"]
    assert [line.subscriber_name for line in lines] == ["김민지", "김민지", ""]
    assert all(line.event.at.tzinfo is not None for line in lines)
    assert lines[-1].event.at == kst(day, 0, 0)
    two_days = audit_view.audit_lines(filled, day, day + timedelta(days=1))
    assert [line.event.detail for line in two_days] == ["after", "third", "second", "first"]


def test_staff_and_action_filters_narrow(filled: Store, day: date) -> None:
    end = day + timedelta(days=1)
    by_junho = audit_view.audit_lines(filled, day, end, staff="준호")
    assert [line.event.detail for line in by_junho] == ["second"]
    money = audit_view.audit_lines(filled, day, end, actions=audit_view.GROUPS["money"])
    assert [line.event.detail for line in money] == ["third"]
    files = audit_view.audit_lines(
        filled, day - timedelta(days=1), end, actions=("import", "export")
    )
    assert [line.event.detail for line in files] == ["first", "before"]
    assert len(audit_view.audit_lines(filled, day, end, limit=2)) == 2
    assert audit_view.staff_names(filled) == sorted(["민지", "준호"])


def test_a_range_that_ends_before_it_starts_is_refused(any_store: Store, day: date) -> None:
    with pytest.raises(ReportRangeError):
        audit_view.audit_lines(any_store, day, day - timedelta(days=1))
