"""Revision 0007 (the notice kind ``price_change``) on SQLite and PostgreSQL: a database at 0006
with notices in it keeps every row, index and constraint; a price-change notice the workaround
stored as ``advance`` (its kind in the facts' JSON) becomes ``price_change`` and reads back as
one, nothing else changes kind; the CHECK takes ``price_change`` and still refuses an unknown
kind."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError

from kpadmin.billing import outbox
from kpadmin.billing.notices import Advance, NewPrice, NoticeKind, Receipt, Recipient
from kpadmin.store import NewSubscriber, Store, migrations, open_store, schema
from kpadmin.store.postgres import parse_url
from tests.clock import FrozenClock

N = schema.notices


def _engine(target: str) -> Any:
    return create_engine(parse_url(target) if "://" in target else f"sqlite:///{target}")


def _as_0006_wrote(facts: Any) -> str:
    """The facts' JSON as kpadmin wrote it at revision 0006: ``"kind"`` among the fields."""
    values = json.loads(outbox.facts_to_json(facts))
    values["kind"] = facts.kind.value
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


def _rows(conn: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(select(N).order_by(N.c.id)).all()]


def test_revision_0007_keeps_the_notices_and_gives_a_price_change_its_kind(
    store_target: str, clock: FrozenClock
) -> None:
    now = clock()
    who = Recipient("김민지", "m@example.com", "010-1234-5678")
    price = NewPrice(who, "베이직", 9900, 12900, "2027-01", date(2027, 1, 5), 7, "cu-1")
    advance = Advance(who, "베이직", 9900, "cu-1", date(2026, 12, 10), 3)
    # A plan name holding the very words the migration looks for: escaped in the JSON, so this
    # advance notice stays one.
    tricky = Advance(who, 'x "kind": "price_change" y', 9900, "cu-1", date(2027, 2, 10), 3)
    receipt = Receipt(who, "베이직", 9900, "2026-11", "kp-1", now, "1234", None)
    base = {
        **{c.name: None for c in N.columns if c.name != "id"},
        "subscriber_id": 1,
        "channel": "email",
        "language": "ko",
        "created_at": now,
    }
    engine = _engine(store_target)
    try:
        with engine.begin() as conn:
            command.upgrade(migrations._config(conn), "0006")
            assert migrations.current_revision(conn) == "0006"
            conn.execute(
                insert(schema.subscribers),
                [
                    {
                        "id": 1,
                        "customer_uid": "cu-1",
                        "name": "김민지",
                        "amount": 9_900,
                        "billing_day": 5,
                        "next_charge_date": date(2026, 12, 5),
                        "state": "active",
                        "channel": "phone",
                        "created_at": now,
                        "updated_at": now,
                    }
                ],
            )
            conn.execute(
                insert(N),
                [
                    # the price change as 0006 stored it, sent already
                    {**base, "key": price.key, "kind": "advance",
                     "facts": _as_0006_wrote(price), "state": "sent", "attempts": 1,
                     "reference": "<a@kp>", "sent_at": now + timedelta(minutes=1)},
                    {**base, "key": advance.key, "kind": "advance",
                     "facts": _as_0006_wrote(advance), "state": "pending", "attempts": 0,
                     "next_attempt_at": now},
                    {**base, "key": tricky.key, "kind": "advance",
                     "facts": _as_0006_wrote(tricky), "state": "failed", "attempts": 2,
                     "last_error": "550 no such user", "next_attempt_at": None},
                    {**base, "key": receipt.key, "kind": "receipt",
                     "facts": _as_0006_wrote(receipt), "state": "sending", "attempts": 1,
                     "claimed_at": now, "subscriber_id": None},
                ],
            )  # fmt: skip
            before = _rows(conn)
    finally:
        engine.dispose()

    open_store(store_target, clock=clock).close()  # migrates to the head

    engine = _engine(store_target)
    try:
        with engine.begin() as conn:
            assert migrations.current_revision(conn) == migrations.HEAD == "0007"
            after = _rows(conn)
            kind = list(N.c.keys()).index("kind")
            assert [r[kind] for r in after] == ["price_change", "advance", "advance", "receipt"]
            # every other column of every row as it was
            strip = [r[:kind] + r[kind + 1 :] for r in before]
            assert [r[:kind] + r[kind + 1 :] for r in after] == strip
            found = inspect(conn)
            assert any(
                i["name"] == "notices_unsent" and i["column_names"] == ["state", "next_attempt_at"]
                for i in found.get_indexes("notices")
            )
            assert {c["name"] for c in found.get_check_constraints("notices")} == {
                "notices_kind",
                "notices_state",
                "notices_attempts",
            }
            (fk,) = found.get_foreign_keys("notices")
            assert (fk["referred_table"], fk["constrained_columns"]) == (
                "subscribers",
                ["subscriber_id"],
            )
            assert fk["options"].get("ondelete") == "SET NULL"
        # the CHECK: price_change taken, an unknown kind refused, a key still once, state checked
        row = {**base, "facts": "{}", "state": "pending", "attempts": 0}
        with engine.begin() as conn:
            conn.execute(insert(N), [{**row, "key": "price_change:8:cu-1", "kind": "price_change"}])
        for bad in (
            {**row, "key": "x:1", "kind": "reminder"},
            {**row, "key": price.key, "kind": "price_change"},
            {**row, "key": "x:2", "kind": "advance", "state": "lost"},
        ):
            with pytest.raises(IntegrityError), engine.begin() as conn:
                conn.execute(insert(N), [bad])
        with engine.begin() as conn:  # the foreign key still sets NULL (SQLite: foreign keys on)
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys = ON")
            conn.execute(text("DELETE FROM subscribers WHERE id = 1"))
            told = select(N.c.subscriber_id).where(N.c.key == price.key)
            assert conn.execute(told).scalar_one() is None
    finally:
        engine.dispose()

    store = open_store(store_target, clock=clock)
    try:
        stored = {n.key: n for n in store.notices.entries()}
        told = stored[price.key]
        assert outbox.describe(told)["kind"] == "price_change"
        assert outbox.facts_from_json(told.kind, told.facts) == price
        assert outbox.facts_from_json(stored[tricky.key].kind, stored[tricky.key].facts) == tricky
    finally:
        store.close()


def test_the_table_knows_every_notice_kind() -> None:
    """A new `NoticeKind` needs a revision that widens the CHECK (as 0007 did for price_change)."""
    assert set(schema.NOTICE_KINDS) == {k.value for k in NoticeKind}


def test_a_price_change_notice_is_stored_as_itself(any_store: Store, clock: FrozenClock) -> None:
    store = any_store
    sid = store.subscribers.add(
        NewSubscriber("cu-1", "김민지", 9900, 5, date(2026, 12, 5), email="m@example.com")
    ).id
    who = Recipient("김민지", "m@example.com", "")
    price = NewPrice(who, "베이직", 9900, 12900, "2027-01", date(2027, 1, 5), 7, "cu-1")
    policy = outbox.NoticePolicy("email")
    # True only when the row was written, on both databases (psycopg's rowcount was -1 here).
    assert outbox.enqueue(store, policy, price, sid, clock()) is True
    assert outbox.enqueue(store, policy, price, sid, clock()) is False
    (written,) = store.notices.entries()
    assert written.kind == "price_change"
    assert "kind" not in json.loads(written.facts)
    assert outbox.facts_from_json(written.kind, written.facts) == price
