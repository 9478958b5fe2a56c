"""The shared PostgreSQL database (issue #11 item 2): what only a server database has — several
desks writing at once, the desk's mode, a migration two desks race for, a server that goes away —
and the settings that point a desk at it. The store's and the engine's ordinary tests run on
PostgreSQL too (tests/fixtures/stores.py)."""

from __future__ import annotations

import asyncio
import threading
from datetime import date
from pathlib import Path

import pytest

from kpadmin import runtime as rt
from kpadmin.billing import settings as st
from kpadmin.store import (
    DatabaseBusy,
    DatabaseUnusable,
    NewSubscriber,
    ServerUnreachable,
    open_store,
)
from kpadmin.store.errors import WrongMode
from kpadmin.store.models import ChargeState
from kpadmin.store.postgres import MODE_ACTION, describe_url, parse_url
from tests.fixtures.postgres import PostgresDatabase
from tests.sql import sql


def _new(uid: str) -> NewSubscriber:
    return NewSubscriber(uid, "홍길동", 9900, 15, date(2026, 11, 15))


def test_writes_from_two_desks_are_serialised(postgres: PostgresDatabase) -> None:
    """A write transaction holds the database's write lock from its first statement: another
    desk's write waits (and, past the lock timeout, is DatabaseBusy with nothing written)."""
    desk_a = open_store(postgres.url)
    desk_b = open_store(postgres.url)
    sql(desk_b, "SET lock_timeout = '100ms'")  # this thread's connection: 5 s otherwise
    with desk_a.transaction():
        desk_a.subscribers.add(_new("a"))
        with pytest.raises(DatabaseBusy):
            desk_b.subscribers.add(_new("b"))
    desk_b.subscribers.add(_new("b"))  # free again after desk A's COMMIT
    assert desk_a.subscribers.count() == desk_b.subscribers.count() == 2
    desk_a.close()
    desk_b.close()


def test_two_desks_opening_a_new_database_at_once_migrate_it_once(
    postgres: PostgresDatabase,
) -> None:
    opened: list[object] = []
    failures: list[BaseException] = []

    def open_one() -> None:
        try:
            opened.append(open_store(postgres.url, mode="test", staff="desk"))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    with postgres.connect() as conn:
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
        modes = conn.execute("SELECT detail FROM audit WHERE action = %s", (MODE_ACTION,))
        assert modes.fetchall() == [("mode=test",)]  # recorded once, by the first desk
    for store in opened:
        store.close()  # type: ignore[attr-defined]


def test_test_and_live_never_share_a_database(postgres: PostgresDatabase) -> None:
    open_store(postgres.url, mode="test", staff="kim").close()
    with pytest.raises(WrongMode) as refused:
        open_store(postgres.url, mode="live", staff="lee")
    assert "holds TEST data" in str(refused.value)
    assert "LIVE mode" in rt.explain(refused.value)
    open_store(postgres.url, mode="test").close()  # the same mode is welcome


def test_a_database_with_other_tables_is_refused(postgres: PostgresDatabase) -> None:
    with postgres.connect(autocommit=True) as conn:
        conn.execute("CREATE TABLE customers (id int)")
    with pytest.raises(DatabaseUnusable, match="not kpadmin's"):
        open_store(postgres.url)
    with postgres.connect() as conn:  # nothing was added to it
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    assert tables == [("customers",)]


def test_a_server_that_goes_away_is_a_calm_error(postgres: PostgresDatabase) -> None:
    store = open_store(postgres.url)
    store.subscribers.add(_new("before"))
    postgres.server.kill()
    with pytest.raises(ServerUnreachable) as gone:
        store.subscribers.add(_new("during"))
    message = rt.explain(gone.value)
    assert "cannot be reached" in message and "Traceback" not in message
    assert rt.exit_code(gone.value, 1) == rt.ExitCode.DISK
    with pytest.raises(ServerUnreachable):
        open_store(postgres.url)
    postgres.server.start()
    # The same store carries on once the server is back (a GUI left open), nothing half-kept.
    assert [s.customer_uid for s in store.subscribers.list_all()] == ["before"]
    store.subscribers.add(_new("after"))
    again = open_store(postgres.url)
    assert [s.customer_uid for s in again.subscribers.list_all()] == ["before", "after"]
    again.close()
    store.close()


# --------------------------------------------------------------------------- the settings


def test_the_database_url_setting_never_holds_a_password(tmp_path: Path) -> None:
    settings = st.Settings()
    changed = st.set_value(settings, "database_url", "postgresql://kim@db.shop.lan:5432/kpadmin")
    assert changed.database_url == "postgresql://kim@db.shop.lan:5432/kpadmin"
    for bad in (
        "postgresql://kim:secret@db/kpadmin",
        "mysql://db/kpadmin",
        "postgresql://db",
        "postgresql:///kpadmin",
        "postgresql://db/kpadmin?sslmode=disable",
        "postgresql://db:99999/kpadmin",
    ):
        with pytest.raises(st.SettingsError) as refused:
            st.set_value(settings, "database_url", bad)
        assert "secret" not in str(refused.value)
    assert st.set_value(changed, "database_url", "").database_url is None  # this PC again
    st.save_settings(tmp_path, changed)
    assert "secret" not in (tmp_path / "settings.json").read_text()


def test_the_environment_wins_and_the_banner_names_host_and_database(
    postgres: PostgresDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = rt.open_runtime(tmp_path)
    assert runtime.database_url is None and runtime.database_location is None
    monkeypatch.setenv(st.DATABASE_URL_ENV, postgres.url)
    runtime = rt.open_runtime(tmp_path)
    assert runtime.database_url == postgres.url
    parsed = parse_url(postgres.url)
    assert runtime.database_location == f"{parsed.host}:{parsed.port}/{parsed.database}"
    with runtime.open_store() as store:
        assert store.dialect == "postgresql" and store.path is None
        assert store.describe == describe_url(postgres.url)
    assert not (runtime.db_path).exists()  # nothing on this PC
    monkeypatch.setenv(st.DATABASE_URL_ENV, "postgresql://kim:pw@db/x")
    with pytest.raises(st.SettingsError, match="KPADMIN_DATABASE_URL"):
        rt.open_runtime(tmp_path).database_url  # noqa: B018


# ------------------------------------------------------------------ other desks' changes


def test_another_desks_commits_arrive_merged_and_its_own_do_not(
    postgres: PostgresDatabase,
) -> None:
    desk_a = open_store(postgres.url)
    desk_b = open_store(postgres.url)
    heard: list[tuple[object, ...] | None] = []
    arrived = threading.Event()

    def on_remote(changes: tuple[object, ...] | None) -> None:
        heard.append(changes)
        arrived.set()

    desk_b.on_remote(on_remote)
    assert desk_b.wait_listening()
    own = desk_b.subscribers.add(_new("b-own"))  # desk B's own write: not "another desk"
    added = [desk_a.subscribers.add(_new(f"a{i}")).id for i in range(3)]
    with pytest.raises(RuntimeError), desk_a.transaction():
        desk_a.subscribers.add(_new("rolled-back"))
        raise RuntimeError("never committed: never announced")
    assert arrived.wait(30)
    merged = {
        (change.kind.value, i)  # type: ignore[union-attr]
        for changes in heard
        if changes is not None
        for change in changes
        for i in change.ids  # type: ignore[union-attr]
    }
    assert {("subscribers", i) for i in added} <= merged
    assert all(i != own.id for _kind, i in merged)
    assert len(heard) < 3  # three commits, merged into fewer deliveries
    desk_a.close()
    desk_b.close()


def test_a_listener_that_lost_the_server_says_everything_may_have_changed(
    postgres: PostgresDatabase,
) -> None:
    desk = open_store(postgres.url)
    heard: list[object] = []
    back = threading.Event()

    def on_remote(changes: object) -> None:
        heard.append(changes)
        if changes is None:
            back.set()

    desk.on_remote(on_remote)
    assert desk.wait_listening()
    postgres.server.kill()
    postgres.server.start()
    assert back.wait(60)  # notifications sent meanwhile are lost: reload everything
    desk.close()


# ------------------------------------------------------------- a server gone mid-batch


def test_a_server_gone_mid_batch_stops_the_sends_and_nothing_is_lost(
    postgres: PostgresDatabase,
) -> None:
    asyncio.run(_gone_mid_batch(postgres))


async def _gone_mid_batch(postgres: PostgresDatabase) -> None:
    """The database server dies after a few charges have left: no more are sent, the batch
    ends with one calm message, and once the server is back the charges in flight are looked
    up before anything else: every subscriber paid exactly once."""
    from collections import Counter

    from kpadmin.billing.engine import ChargeEngine
    from tests.billing.fakes import FakeGateway
    from tests.clock import NOW, TODAY

    store = open_store(postgres.url, clock=lambda: NOW)
    due = TODAY.replace(day=1)
    uids = [f"cu-{i:02d}" for i in range(20)]
    store.subscribers.add_many(NewSubscriber(uid, "고객", 10_000, due.day, due) for uid in uids)
    api = FakeGateway(latency=0.01)
    sent: list[str] = []

    def before_send(order_id: str) -> None:
        sent.append(order_id)
        if len(sent) == 5:
            postgres.server.kill()

    api.before_send = before_send
    engine = ChargeEngine(store, api, clock=lambda: NOW, retry_delays=(0.0,), lookup_tries=2)
    result = await engine.run(engine.plan(None, None, "kim"), concurrency=2)
    assert isinstance(result.journal_error, ServerUnreachable)
    assert result.error is not None and "cannot be reached" in result.error
    assert "Traceback" not in result.error
    assert len(api.pay_calls) < len(uids)  # sending stopped
    postgres.server.start()
    api.before_send = None
    report = await engine.reconcile(staff="kim")
    assert report.unknown == 0
    plan = engine.plan(None, None, "kim")
    await engine.run(plan, concurrency=4)
    paid = Counter(p.key_id for payments in api.payments.values() for p in payments if p.is_paid)
    assert paid == Counter(dict.fromkeys(uids, 1))  # 0 double, 0 lost
    local = [c for c in store.charges.list_all() if c.state is ChargeState.PAID]
    assert sorted(c.customer_uid for c in local) == uids
    assert [c for c in store.charges.list_all() if c.state.in_doubt] == []
    store.close()
