"""billing's one refund path (`kpadmin.billing.refunds`) against the sandbox over HTTP, without Qt:
partial then full, the checks before sending, a balance changed elsewhere (refused, looked up, not
sniffed), a lost answer looked up (never re-sent), a lost answer whose lookup fails too."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from kpadmin.billing.engine import ChargeEngine
from kpadmin.billing.refunds import (
    Problem,
    RefundState,
    refund_charge,
    refundable,
    send_refund,
)
from kpadmin.store import AuditRepository, ChargeRepository, Store
from kpadmin.store.models import Charge, ChargeState
from tests.billing.sandboxed import gateway_for, open_db, seed
from tests.clock import NOW, TODAY
from tests.fixtures.sandbox import RunningSandbox

pytestmark = pytest.mark.anyio

DUE = TODAY - timedelta(days=3)
STAFF = "김직원"


async def paid_charge(sandbox: RunningSandbox, db: Store) -> Charge:
    seed(sandbox, db, 1, due=DUE)
    async with gateway_for(sandbox) as gateway:
        engine = ChargeEngine(db, gateway, clock=lambda: NOW)
        result = await engine.run(engine.plan(None, TODAY, STAFF))
    assert result.progress.paid == 1
    (charge,) = ChargeRepository(db).list_all()
    return charge


def actions(db: Store) -> list[str]:
    return [e.action for e in AuditRepository(db).list() if e.action.startswith("refund")]


async def test_partial_then_full(sandbox: RunningSandbox, tmp_path: Path) -> None:
    db = open_db(tmp_path)
    charge = await paid_charge(sandbox, db)
    paid = charge.amount
    async with gateway_for(sandbox) as gateway:
        first = await refund_charge(
            db, gateway, charge.id, amount=300, reason=" 고객\n요청 ", staff=STAFF
        )
        assert first.ok and first.refunded_now == 300 and first.refunded_total == 300
        after = ChargeRepository(db).get(charge.id)
        assert after is not None and after.cancelled_amount == 300
        assert refundable(after) == paid - 300
        rest = await refund_charge(db, gateway, charge.id, amount=None, reason="x", staff=STAFF)
    assert rest.ok and rest.refunded_now == paid - 300 and rest.refunded_total == paid
    final = ChargeRepository(db).get(charge.id)
    assert final is not None and final.cancelled_amount == paid and final.state is ChargeState.PAID
    assert sandbox.state.get_payment(charge.imp_uid)["cancel_amount"] == paid
    audits = AuditRepository(db).list(action="refund")
    assert len(audits) == 2 and {a.staff for a in audits} == {STAFF}
    assert any("reason: 고객 요청" in a.detail for a in audits)  # one line, single spaces


async def test_checks_before_sending_change_nothing(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    db = open_db(tmp_path)
    charge = await paid_charge(sandbox, db)
    balance = refundable(charge)
    async with gateway_for(sandbox) as gateway:

        async def ask(**kw: object) -> Problem | None:
            args: dict[str, object] = {"amount": None, "reason": "r", "staff": STAFF, **kw}
            cid = args.pop("charge_id", charge.id)
            result = await refund_charge(db, gateway, cid, **args)  # type: ignore[arg-type]
            assert result.answer is None
            return result.problem

        assert await ask(charge_id=9999) is Problem.NO_SUCH_CHARGE
        assert await ask(subscriber_id=charge.subscriber_id + 1) is Problem.NO_SUCH_CHARGE
        assert await ask(amount=balance + 1) is Problem.BAD_AMOUNT
        assert await ask(amount=0) is Problem.BAD_AMOUNT
        assert await ask(reason="  \n ") is Problem.NO_REASON
        assert await ask(expected_balance=balance - 1) is Problem.BALANCE_CHANGED
    assert sandbox.state.get_payment(charge.imp_uid)["cancel_amount"] == 0
    assert actions(db) == []


async def test_a_balance_changed_elsewhere_is_refused_and_said(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    db = open_db(tmp_path)
    charge = await paid_charge(sandbox, db)
    async with gateway_for(sandbox) as gateway:
        # Refunded from the i'mport console: our journal still believes everything is left.
        await gateway.refund(payment_id=charge.imp_uid, amount=100, reason="console")
        result = await refund_charge(db, gateway, charge.id, amount=None, reason="r", staff=STAFF)
    assert result.answer is not None and result.answer.state is RefundState.REFUSED
    assert result.answer.balance_differs and not result.ok
    after = ChargeRepository(db).get(charge.id)
    assert after is not None and after.cancelled_amount == 0  # nothing recorded as refunded
    assert sandbox.state.get_payment(charge.imp_uid)["cancel_amount"] == 100
    assert actions(db) == ["refund_refused"]


async def test_a_refusal_with_the_same_balance_does_not_blame_the_balance(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    db = open_db(tmp_path)
    charge = await paid_charge(sandbox, db)
    async with gateway_for(sandbox) as gateway:
        # A refusal for another cause (more than the payment's amount) with the right checksum.
        answer = await send_refund(
            gateway,
            payment_id=charge.imp_uid or "",
            amount=charge.amount + 1,
            checksum=refundable(charge),
            refunded_before=0,
            reason="r",
        )
    assert answer.state is RefundState.REFUSED and not answer.balance_differs


async def test_a_lost_answer_is_looked_up_not_sent_again(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    db = open_db(tmp_path)
    charge = await paid_charge(sandbox, db)
    sandbox.set_faults(drop_after=1.0, endpoints={"cancel"})  # refunded, answer lost
    async with gateway_for(sandbox) as gateway:
        result = await refund_charge(db, gateway, charge.id, amount=500, reason="r", staff=STAFF)
    assert result.answer is not None and result.answer.state is RefundState.REFUNDED
    assert result.ok and result.refunded_now == 500 and result.refunded_total == 500
    at_sandbox = sandbox.state.get_payment(charge.imp_uid)
    assert at_sandbox["cancel_amount"] == 500  # once: the refund was not sent again
    after = ChargeRepository(db).get(charge.id)
    assert after is not None and after.cancelled_amount == 500
    assert actions(db) == ["refund"]


async def test_a_lost_answer_that_cannot_be_looked_up_is_unknown(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    db = open_db(tmp_path)
    charge = await paid_charge(sandbox, db)
    sandbox.set_faults(drop_after=1.0, endpoints={"cancel", "payment_get"})
    async with gateway_for(sandbox, read_timeout=1.0) as gateway:
        result = await refund_charge(db, gateway, charge.id, amount=500, reason="r", staff=STAFF)
    assert result.answer is not None and result.answer.state is RefundState.UNKNOWN
    assert not result.ok
    after = ChargeRepository(db).get(charge.id)
    assert after is not None and after.cancelled_amount == 0  # not guessed
    assert actions(db) == ["refund_unknown"]


async def test_nothing_sent_when_the_gateway_cannot_be_reached(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    db = open_db(tmp_path)
    charge = await paid_charge(sandbox, db)
    sandbox.set_faults(error_before=1.0, endpoints={"cancel"})
    async with gateway_for(sandbox) as gateway:
        result = await refund_charge(db, gateway, charge.id, amount=500, reason="r", staff=STAFF)
    # A 5xx before processing is, to the client, an answer that may hide a refund: looked up.
    assert result.answer is not None
    assert result.answer.state is RefundState.NOTHING_NEW
    assert sandbox.state.get_payment(charge.imp_uid)["cancel_amount"] == 0
    assert actions(db) == ["refund_refused"]  # said, never "refunded ₩0"
    after = ChargeRepository(db).get(charge.id)
    assert after is not None and after.cancelled_amount == 0
