"""Leftovers of an unfinished sign-up, against the real sandbox over HTTP: looking an attempt up by
its own ids, verifying what was left, refunding with `checksum`, deleting an orphan key.

The sandbox state is arranged the way the simulated window leaves it (a key issued, a payment
taken); the SQLite file is real.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import pytest

from kpadmin.billing import signup as su
from kpadmin.billing.gateway import GatewayError
from kpadmin.iamport.gateway import IamportGateway, open_gateway
from kpadmin.store import Store, open_store
from kpadmin.store.audit import AuditRepository
from tests.billing.test_signup_verify import attempt, issue_key, pay, run
from tests.fixtures.sandbox import RunningSandbox


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Store]:
    c = open_store(tmp_path / "kpadmin.sqlite3")
    yield c
    c.close()


def gateway(box: RunningSandbox) -> AbstractAsyncContextManager[IamportGateway]:
    """The gateway port over a real client talking to the sandbox."""
    return open_gateway(box.base_url, box.imp_key, box.imp_secret)


async def inspect(box: RunningSandbox, a: su.SignupAttempt) -> su.AttemptLeftovers:
    async with gateway(box) as c:
        return await su.inspect_attempt(c, a)


def test_nothing_left(sandbox: RunningSandbox, conn: Store) -> None:
    a = attempt()
    left = run(inspect(sandbox, a))
    assert left.empty and left.checked and left.taken == 0
    su.record_leftovers(conn, left, staff="민지", when="after cancelled")
    assert AuditRepository(conn).list() == []  # an empty look-up adds nothing


def test_failed_payments_are_not_leftovers(sandbox: RunningSandbox) -> None:
    a = attempt()
    pay(sandbox, a, status="failed")
    assert run(inspect(sandbox, a)).empty


def test_key_and_payment_found_and_verified(sandbox: RunningSandbox, conn: Store) -> None:
    a = attempt()
    issue_key(sandbox, a.key_id)
    imp_uid = pay(sandbox, a)
    left = run(inspect(sandbox, a))
    assert left.key and [p.payment_id for p in left.payments] == [imp_uid] and left.taken == 9900

    async def offer() -> Any:
        async with gateway(sandbox) as c:
            return await su.verify_leftovers(c, left)

    verified = run(offer())
    assert verified is not None and verified.first_payment.payment_id == imp_uid
    su.record_leftovers(conn, left, staff="민지", when="after cancelled")
    (entry,) = AuditRepository(conn).list()
    assert entry.action == su.AUDIT_LEFTOVERS
    assert imp_uid in entry.detail and "EXISTS" in entry.detail and a.order_id in entry.detail
    assert "1234-5678" not in entry.detail


@pytest.mark.parametrize(
    "case", ["no key", "wrong amount", "another customer_uid", "key-only paid"]
)
def test_leftovers_that_do_not_verify(sandbox: RunningSandbox, case: str) -> None:
    a = attempt(first_payment=case != "key-only paid")
    if case != "no key":
        issue_key(sandbox, a.key_id)
    if case == "wrong amount":
        pay(sandbox, a, amount=100)
    elif case == "another customer_uid":
        pay(sandbox, a, customer_uid="kpa_someoneelse0000")
    else:
        pay(sandbox, a, amount=9900)

    async def go() -> Any:
        async with gateway(sandbox) as c:
            left = await su.inspect_attempt(c, a)
            assert not left.empty
            return await su.verify_leftovers(c, left)

    assert run(go()) is None


def test_refund_with_checksum_and_delete_key(sandbox: RunningSandbox, conn: Store) -> None:
    a = attempt()
    issue_key(sandbox, a.key_id)
    imp_uid = pay(sandbox, a)

    async def go() -> su.AttemptLeftovers:
        async with gateway(sandbox) as c:
            left = await su.inspect_attempt(c, a)
            await su.refund_leftover(c, conn, a, left.payments[0], staff="민지")
            assert await su.delete_orphan_key(c, conn, a, staff="민지")
            assert await su.delete_orphan_key(c, conn, a, staff="민지")  # gone already: fine
            return await su.inspect_attempt(c, a)

    assert run(go()).empty
    payment = sandbox.state.get_payment(imp_uid)
    assert payment is not None and payment["status"] == "cancelled"
    assert sandbox.state.get_customer(a.key_id) is None
    deleted, refunded = AuditRepository(conn).list()
    assert (deleted.action, refunded.action) == (su.AUDIT_KEY_DELETED, su.AUDIT_LEFTOVER_REFUNDED)
    assert imp_uid in refunded.detail and "₩9,900" in refunded.detail
    assert a.key_id in deleted.detail


def test_refund_refused_when_balance_moved(sandbox: RunningSandbox, conn: Store) -> None:
    a = attempt()
    pay(sandbox, a)

    async def go() -> None:
        async with gateway(sandbox) as c:
            left = await su.inspect_attempt(c, a)
            stale = left.payments[0]
            # Someone refunds ₩900 elsewhere; our checksum (₩9,900) no longer matches.
            await c.refund(payment_id=stale.payment_id, amount=900, reason="elsewhere")
            with pytest.raises(GatewayError):
                await su.refund_leftover(c, conn, a, stale, staff="민지")
            again = await su.inspect_attempt(c, a)
            assert again.taken == 9000

    run(go())
    (entry,) = AuditRepository(conn).list()
    assert entry.action == su.AUDIT_LEFTOVER_REFUND_FAILED


def test_unreachable_is_reported_not_clean(sandbox: RunningSandbox, conn: Store) -> None:
    a = attempt()
    issue_key(sandbox, a.key_id)
    sandbox.set_faults(error_before=1.0, endpoints=["customer_get", "customer_delete"])
    left = run(inspect(sandbox, a))
    assert not left.checked and not left.empty and "key lookup" in (left.error or "")

    async def delete() -> bool:
        async with gateway(sandbox) as c:
            return await su.delete_orphan_key(c, conn, a, staff="민지")

    assert run(delete()) is False
    su.record_leftovers(conn, left, staff="민지", when="attempt abandoned")
    actions = [e.action for e in AuditRepository(conn).list()]
    assert actions == [su.AUDIT_LEFTOVERS, su.AUDIT_ORPHAN_KEY]
    assert sandbox.state.get_customer(a.key_id) is not None
