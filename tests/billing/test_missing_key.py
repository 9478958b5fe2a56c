"""A charge rejected because the billing key is gone makes the subscriber key_missing.

The engine never reads the rejection's message text: after a lookup-confirmed rejection it asks
i'mport for the key (`get_customer`). `NotFound` → key_missing (the next plan skips it); the key
present, or the lookup failing → nothing changes. Unit tests on the fake, then the real sandbox.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from kpadmin.billing.due import SkipReason
from kpadmin.billing.engine import ChargeEngine
from kpadmin.billing.order_ids import order_id_for
from kpadmin.store import (
    AuditRepository,
    ChargeRepository,
    NewSubscriber,
    Store,
    SubscriberRepository,
)
from kpadmin.store.models import ChargeState, SubscriberState
from tests.billing.fakes import FakeGateway
from tests.billing.sandboxed import gateway_for, open_db, seed
from tests.clock import NOW, TODAY
from tests.fixtures.sandbox import RunningSandbox

pytestmark = pytest.mark.anyio

DUE = TODAY - timedelta(days=12)  # relative to the injected instant (tests/clock.py)
NOTE = "billing key not found at i'mport after a rejected charge"


def make_engine(conn: Store, api: Any) -> ChargeEngine:
    return ChargeEngine(conn, api, clock=lambda: NOW, retry_delays=(0.0,), lookup_tries=2)


def state_of(conn: Store, customer_uid: str) -> SubscriberState:
    sub = SubscriberRepository(conn).get_by_uid(customer_uid)
    assert sub is not None
    return sub.state


def key_notes(conn: Store) -> list[tuple[str, str, int | None]]:
    return [
        (e.staff, e.action, e.subscriber_id)
        for e in AuditRepository(conn).list()
        if e.detail == NOTE
    ]


# --------------------------------------------------------------------------------- the fake


async def test_fake_missing_key_becomes_key_missing_and_is_skipped(tmp_path: Path) -> None:
    conn = open_db(tmp_path)
    api = FakeGateway()
    gone, kept = seed_fake(conn, 2)
    api.missing_keys.add(gone)
    engine = make_engine(conn, api)
    first = await engine.run(engine.plan(None, TODAY, "김직원"))
    assert {o.key_id: o.state for o in first.outcomes} == {
        gone: ChargeState.REJECTED,
        kept: ChargeState.PAID,
    }
    assert api.key_lookups == [gone]  # only the rejected one is looked up
    assert state_of(conn, gone) is SubscriberState.KEY_MISSING
    assert state_of(conn, kept) is SubscriberState.ACTIVE
    sid = SubscriberRepository(conn).get_by_uid(gone)
    assert sid is not None and key_notes(conn) == [("김직원", "key_missing", sid.id)]
    again = engine.plan(None, TODAY, "김직원")
    assert again.count == 0
    assert [(s.key_id, s.reason) for s in again.skipped if s.key_id == gone] == [
        (gone, SkipReason.KEY_MISSING)
    ]
    sent = len(api.pay_calls)
    await engine.run(again)
    assert len(api.pay_calls) == sent


@pytest.mark.parametrize("why", ["key present", "key lookup fails"])
async def test_fake_other_rejections_change_nothing(tmp_path: Path, why: str) -> None:
    conn = open_db(tmp_path)
    api = FakeGateway()
    (uid,) = seed_fake(conn, 1)
    api.when(order_id_for(uid, f"{DUE:%Y-%m}", 1), "reject")
    if why == "key lookup fails":
        api.key_lookup_failures.add(uid)
    engine = make_engine(conn, api)
    result = await engine.run(engine.plan(None, TODAY, "김직원"))
    assert [o.state for o in result.outcomes] == [ChargeState.REJECTED]
    assert api.key_lookups == [uid]
    assert state_of(conn, uid) is SubscriberState.ACTIVE and key_notes(conn) == []


async def test_fake_a_subscriber_paused_meanwhile_stays_paused(tmp_path: Path) -> None:
    """Compare-and-set: the key check never overwrites a state staff set during the batch."""
    conn = open_db(tmp_path)
    api = FakeGateway()
    (uid,) = seed_fake(conn, 1)
    api.missing_keys.add(uid)
    sub = SubscriberRepository(conn).get_by_uid(uid)
    assert sub is not None

    def pause(_: str) -> None:
        SubscriberRepository(conn).update(sub.id, state=SubscriberState.PAUSED)

    api.before_send = pause
    engine = make_engine(conn, api)
    await engine.run(engine.plan(None, TODAY, "김직원"))
    assert state_of(conn, uid) is SubscriberState.PAUSED and key_notes(conn) == []


def seed_fake(conn: Store, n: int) -> list[str]:
    uids = [f"cust-{i}" for i in range(n)]
    SubscriberRepository(conn).add_many(
        NewSubscriber(uid, f"고객{i}", 10_000 + i, DUE.day, DUE) for i, uid in enumerate(uids)
    )
    return uids


# ------------------------------------------------------------------------------ the sandbox


async def test_sandbox_deleted_key_is_rejected_once_then_skipped(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    db = open_db(tmp_path)
    gone, kept = seed(sandbox, db, 2, due=DUE)
    sandbox.state.delete_customer(gone)
    async with gateway_for(sandbox) as gateway:
        engine = make_engine(db, gateway)
        first = await engine.run(engine.plan(None, TODAY, "김직원"), concurrency=2)
        assert {o.key_id: o.state for o in first.outcomes} == {
            gone: ChargeState.REJECTED,
            kept: ChargeState.PAID,
        }
        assert state_of(db, gone) is SubscriberState.KEY_MISSING
        assert state_of(db, kept) is SubscriberState.ACTIVE
        assert [n[:2] for n in key_notes(db)] == [("김직원", "key_missing")]
        second = engine.plan(None, TODAY, "김직원")
        assert second.count == 0
        assert [s.reason for s in second.skipped if s.key_id == gone] == [SkipReason.KEY_MISSING]
        result = await engine.run(second)
    assert result.outcomes == ()
    charges = ChargeRepository(db).list_all()
    assert [c.state for c in charges if c.customer_uid == gone] == [ChargeState.REJECTED]
    assert [p for p in sandbox.state.all_payments() if p["customer_uid"] == gone] == []


async def test_sandbox_deleted_key_with_the_key_lookup_failing_changes_nothing(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    db = open_db(tmp_path)
    (uid,) = seed(sandbox, db, 1, due=DUE)
    sandbox.state.delete_customer(uid)
    sandbox.set_faults(error_before=1.0, endpoints={"customer_get"})
    async with gateway_for(sandbox) as gateway:
        engine = make_engine(db, gateway)
        result = await engine.run(engine.plan(None, TODAY, "김직원"))
    assert [o.state for o in result.outcomes] == [ChargeState.REJECTED]
    assert state_of(db, uid) is SubscriberState.ACTIVE and key_notes(db) == []


class ZeroAmount(httpx.AsyncHTTPTransport):
    """Sends `again` with amount 0: the sandbox refuses it (code != 0) while the key exists."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/subscribe/payments/again"):
            body = json.loads(request.content)
            body["amount"] = 0
            headers = [(k, v) for k, v in request.headers.items() if k.lower() != "content-length"]
            request = httpx.Request(request.method, request.url, headers=headers, json=body)
        return await super().handle_async_request(request)


async def test_sandbox_rejection_with_the_key_present_changes_nothing(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    db = open_db(tmp_path)
    (uid,) = seed(sandbox, db, 1, due=DUE)
    async with gateway_for(sandbox, transport=ZeroAmount()) as gateway:
        engine = make_engine(db, gateway)
        result = await engine.run(engine.plan(None, TODAY, "김직원"))
    assert [o.state for o in result.outcomes] == [ChargeState.REJECTED]
    assert sandbox.state.get_customer(uid) is not None
    assert state_of(db, uid) is SubscriberState.ACTIVE and key_notes(db) == []
