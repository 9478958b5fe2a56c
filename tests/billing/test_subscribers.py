"""billing's subscriber operations (`kpadmin.billing.subscribers`), without Qt, on the port fake:
each write with its audit row, the one key_missing transition, cancel with the key's deletion,
edits judged by the shared field rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kpadmin.billing import subscribers as subs
from kpadmin.billing.gateway import OutcomeUnknown
from kpadmin.store import AuditRepository, NewSubscriber, Store
from kpadmin.store.models import SubscriberState
from tests.billing.fakes import FakeGateway
from tests.billing.sandboxed import open_db
from tests.clock import NOW

pytestmark = pytest.mark.anyio
STAFF = "김직원"


def add(db: Store, uid: str = "cu-1", state: SubscriberState = SubscriberState.ACTIVE) -> int:
    sub = db.subscribers.add(
        NewSubscriber(uid, "김하늘", 9_900, 5, date(2031, 2, 5), phone="010-1234-5678")
    )
    if state is not SubscriberState.ACTIVE:
        db.subscribers.update(sub.id, now=NOW, state=state)
    return sub.id


def state(db: Store, sid: int) -> SubscriberState:
    sub = db.subscribers.get(sid)
    assert sub is not None
    return sub.state


def actions(db: Store, sid: int) -> list[str]:
    return [e.action for e in reversed(AuditRepository(db).list(subscriber_id=sid))]


def test_pause_and_resume_only_from_their_states(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    sid = add(db)
    assert subs.resume(db, sid, staff=STAFF, now=NOW) is False  # not paused
    assert subs.pause(db, sid, staff=STAFF, now=NOW) and state(db, sid) is SubscriberState.PAUSED
    assert subs.pause(db, sid, staff=STAFF, now=NOW) is False
    assert subs.resume(db, sid, staff=STAFF, now=NOW) and state(db, sid) is SubscriberState.ACTIVE
    assert actions(db, sid) == ["pause", "resume"]


@pytest.mark.parametrize(
    ("before", "after", "moved"),
    [
        (SubscriberState.ACTIVE, SubscriberState.KEY_MISSING, True),
        (SubscriberState.PAUSED, SubscriberState.PAUSED, False),  # staff's pause stands
        (SubscriberState.CANCELLED, SubscriberState.CANCELLED, False),
    ],
)
async def test_a_key_check_that_finds_no_key_uses_the_one_transition(
    tmp_path: Path, before: SubscriberState, after: SubscriberState, moved: bool
) -> None:
    db = open_db(tmp_path)
    sid = add(db, "cu-gone", before)
    gateway = FakeGateway()
    gateway.missing_keys.add("cu-gone")
    check = await subs.check_key(db, gateway, sid, staff=STAFF, clock=lambda: NOW)
    assert not check.present and check.marked_missing is moved
    assert state(db, sid) is after
    expected = ["key_missing", "key_check"] if moved else ["key_check"]
    assert actions(db, sid)[-len(expected) :] == expected


async def test_a_key_found_again_records_the_card_and_makes_it_active(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    sid = add(db, "cu-back", SubscriberState.KEY_MISSING)
    check = await subs.check_key(db, FakeGateway(), sid, staff=STAFF, clock=lambda: NOW)
    assert check.present and state(db, sid) is SubscriberState.ACTIVE
    sub = db.subscribers.get(sid)
    assert sub is not None and sub.card_name == "신한카드"
    (entry,) = AuditRepository(db).list(subscriber_id=sid, action="key_check")
    assert "key_missing → active" in entry.detail


async def test_a_failed_key_lookup_changes_nothing(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    sid = add(db, "cu-slow")
    gateway = FakeGateway()
    gateway.key_lookup_failures.add("cu-slow")
    with pytest.raises(OutcomeUnknown):
        await subs.check_key(db, gateway, sid, staff=STAFF, clock=lambda: NOW)
    assert state(db, sid) is SubscriberState.ACTIVE and actions(db, sid) == []


async def test_cancel_then_delete_the_key(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    sid = add(db, "cu-bye")
    gateway = FakeGateway()
    result = await subs.cancel_and_delete_key(
        db, gateway, sid, staff=STAFF, reason="고객 요청", clock=lambda: NOW
    )
    assert result.cancelled and result.key_deleted and result.error is None
    assert "cu-bye" in gateway.missing_keys and state(db, sid) is SubscriberState.CANCELLED
    assert actions(db, sid) == ["cancel", "key_deleted"]
    # Already gone at the gateway: counts as deleted, said so.
    again = await subs.delete_key(db, gateway, sid, staff=STAFF, reason="x", clock=lambda: NOW)
    assert again.key_deleted
    assert "no such key" in AuditRepository(db).list(subscriber_id=sid, limit=1)[0].detail


async def test_a_failed_deletion_leaves_the_subscriber_cancelled(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    sid = add(db, "cu-stuck")

    class Failing(FakeGateway):
        async def delete_key(self, key_id: str, reason: str) -> None:
            raise OutcomeUnknown("lost")

    result = await subs.cancel_and_delete_key(
        db, Failing(), sid, staff=STAFF, reason="r", clock=lambda: NOW
    )
    assert result.cancelled and result.key_deleted is False
    assert isinstance(result.error, OutcomeUnknown)
    assert state(db, sid) is SubscriberState.CANCELLED and actions(db, sid) == ["cancel"]


def test_edit_is_judged_by_the_field_rules_and_audited(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    sid = add(db)
    saved = subs.edit(
        db,
        sid,
        {"name": " 김하늘 ", "phone": "01098765432", "amount": "12,000", "memo": "VIP"},
        staff=STAFF,
        now=NOW,
    )
    assert saved == {"phone": "010-9876-5432", "amount": 12_000, "memo": "VIP"}
    (entry,) = AuditRepository(db).list(subscriber_id=sid, action="edit")
    assert "9876" not in entry.detail  # phones masked in the audit trail
    with pytest.raises(subs.EditRefused) as refused:
        subs.edit(db, sid, {"phone": "02-123-4567"}, staff=STAFF, now=NOW)
    assert [e.field for e in refused.value.errors] == ["phone"]
    with pytest.raises(subs.EditRefused):
        subs.edit(db, sid, {"billing_day": 32}, staff=STAFF, now=NOW)
    assert subs.edit(db, sid, {"name": "김하늘"}, staff=STAFF, now=NOW) == {}
    sub = db.subscribers.get(sid)
    assert sub is not None and sub.phone == "010-9876-5432" and sub.billing_day == 5
    assert actions(db, sid) == ["edit"]
