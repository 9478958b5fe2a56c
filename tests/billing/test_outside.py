"""Changes made outside kpadmin come in (issue #11 item 3): refunds made in the PortOne console,
keys deleted elsewhere, paid payments of our order ids the journal lacks — through `reconcile`,
on the sandbox over HTTP, with a bounded number of requests."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from kpadmin.billing import csvio
from kpadmin.billing.engine import ChargeEngine
from kpadmin.billing.order_ids import order_id_for
from kpadmin.iamport.client import IamportClient
from kpadmin.store import Store
from kpadmin.store.models import ChargeState, SubscriberState
from tests.billing.fakes import FakeGateway
from tests.billing.sandboxed import gateway_for, seed
from tests.clock import NOW, TODAY, add_months
from tests.fixtures.sandbox import RunningSandbox

pytestmark = pytest.mark.anyio

DUE = TODAY - timedelta(days=12)
PERIOD = f"{DUE:%Y-%m}"


def engine_for(store: Store, gateway: object) -> ChargeEngine:
    return ChargeEngine(
        store,
        gateway,  # type: ignore[arg-type]
        clock=lambda: NOW,
        retry_delays=(0.0,),
        lookup_tries=2,
    )


async def test_refunds_made_in_the_console_come_in(
    sandbox: RunningSandbox, any_store: Store, tmp_path: Path
) -> None:
    store = any_store
    uids = seed(sandbox, store, 3, due=DUE)
    async with gateway_for(sandbox) as gateway:
        engine = engine_for(store, gateway)
        await engine.run(engine.plan(None, None, "kim"))
        # In the PortOne console: a part refund of one, a full cancellation of another.
        part, full = order_id_for(uids[0], PERIOD, 1), order_id_for(uids[1], PERIOD, 1)
        sandbox.state.cancel(merchant_uid=part, amount=300, reason="부분 환불")
        sandbox.state.cancel(merchant_uid=full, reason="전액 취소")
        report = await engine.reconcile(staff="kim")
    assert report.outside is not None
    assert {r.order_id for r in report.outside.refunds} == {part, full}
    rows = {c.merchant_uid: c for c in store.charges.list_all()}
    remote = {p["merchant_uid"]: p for p in sandbox.state.all_payments()}
    for order_id in (part, full):
        assert rows[order_id].cancelled_amount == remote[order_id]["cancel_amount"]
        assert rows[order_id].state is ChargeState.PAID  # paid, then refunded
    assert rows[full].cancelled_amount == rows[full].paid_amount
    assert rows[order_id_for(uids[2], PERIOD, 1)].cancelled_amount == 0
    export = tmp_path / "charges.csv"
    csvio.export_charges(store, export)
    text = export.read_text(encoding="utf-8-sig")
    assert "300" in text
    # Nothing new the second time: the journal equals i'mport.
    async with gateway_for(sandbox) as gateway:
        again = await engine_for(store, gateway).reconcile(staff="kim")
    assert again.outside is not None and again.outside.refunds == ()


async def test_a_key_deleted_elsewhere_makes_the_subscriber_key_missing(
    sandbox: RunningSandbox, any_store: Store
) -> None:
    store = any_store
    uids = seed(sandbox, store, 3, due=DUE)
    sandbox.state.delete_customer(uids[1], reason="고객 요청 (콘솔)")
    async with gateway_for(sandbox) as gateway:
        engine = engine_for(store, gateway)
        report = await engine.reconcile(staff="kim")
        plan = engine.plan(None, None, "kim")
    assert report.outside is not None
    gone = store.subscribers.get_by_uid(uids[1])
    assert gone is not None and gone.state is SubscriberState.KEY_MISSING
    assert report.outside.keys_missing == (gone.id,)
    assert [i.key_id for i in plan.items] == [uids[0], uids[2]]
    assert any(e.action == "key_missing" for e in store.audit.list(subscriber_id=gone.id))


async def test_a_payment_the_journal_lacks_is_recorded_and_not_charged_again(
    sandbox: RunningSandbox, any_store: Store
) -> None:
    store = any_store
    uids = seed(sandbox, store, 2, due=DUE)
    # Another install charged uids[0] for this period; this database never heard of it.
    lacking = order_id_for(uids[0], PERIOD, 2)
    sandbox.state.pay_again(customer_uid=uids[0], merchant_uid=lacking, amount=1000, name="x")
    async with gateway_for(sandbox) as gateway:
        engine = engine_for(store, gateway)
        report = await engine.reconcile(staff="kim")
        assert report.outside is not None and report.outside.found_paid == (lacking,)
        plan = engine.plan(None, None, "kim")
        assert [i.key_id for i in plan.items] == [uids[1]]
    (row,) = store.charges.list_all()
    assert (row.merchant_uid, row.state, row.attempt) == (lacking, ChargeState.PAID, 2)
    sub = store.subscribers.get_by_uid(uids[0])
    assert sub is not None and sub.next_charge_date == add_months(DUE, 1)


async def test_the_cost_is_bounded_by_multi_gets(tmp_path: Path, any_store: Store) -> None:
    """250 paid rows: one multi-get call at the port (the adapter asks 100 a request)."""
    store = any_store
    from kpadmin.store import NewSubscriber

    store.subscribers.add_many(
        NewSubscriber(f"cu-{i}", "고객", 1000, DUE.day, DUE) for i in range(250)
    )
    api = _CountingGateway()
    engine = engine_for(store, api)
    await engine.run(engine.plan(None, None, "kim"), concurrency=8)
    await engine.reconcile(staff="kim")
    assert api.multi_gets == [250]
    assert api.key_multi_gets == [250]


class _CountingGateway(FakeGateway):
    def __init__(self) -> None:
        super().__init__()
        self.multi_gets: list[int] = []
        self.key_multi_gets: list[int] = []

    async def get_payments(self, payment_ids):  # type: ignore[no-untyped-def]
        self.multi_gets.append(len(payment_ids))
        return await super().get_payments(payment_ids)

    async def get_keys(self, key_ids):  # type: ignore[no-untyped-def]
        self.key_multi_gets.append(len(key_ids))
        return await super().get_keys(key_ids)


async def test_the_client_asks_many_payments_100_at_a_time(sandbox: RunningSandbox) -> None:
    sandbox.state.issue_billing_key("cu-many", card_name="신한카드")
    imp_uids = [
        sandbox.state.pay_again(
            customer_uid="cu-many", merchant_uid=f"m-{i}", amount=100, name="x"
        )["imp_uid"]
        for i in range(230)
    ]
    async with IamportClient(sandbox.base_url, sandbox.imp_key, sandbox.imp_secret) as client:
        found = await client.get_payments([*imp_uids, "imp_000000000000"])  # one unknown
    assert sorted(p.imp_uid for p in found) == sorted(imp_uids)
