"""A Hypothesis state machine of the journal and reconciliation against the sandbox (real HTTP).

Rules add subscribers (some with keys that always decline, some whose key is deleted later), switch
sandbox faults and declines on and off, run batches, cancel a batch mid-flight, "crash" after
sending (intents journaled, requests sent, answers never recorded), reconcile, and move the clock
on to the next month. After every step the money invariants hold:

* the sandbox never holds two paid payments for one merchant_uid, nor for one subscriber and period;
* every merchant_uid the sandbox has seen was journaled first;
* a row is recorded paid only if the sandbox holds that payment, and every paid payment at the
  sandbox is journaled as paid or still in doubt (never as declined / rejected: money not lost);
* at most one row per subscriber is open.

At the end, with faults off, reconciliation and batches settle everything: the local paid set
equals the sandbox's and nothing is in doubt.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from kpadmin.billing.engine import ChargeEngine, EventKind
from kpadmin.billing.periods import today_in_seoul
from kpadmin.store import NewSubscriber, SubscriberRepository, open_store
from kpadmin.store.charges import ChargeRepository
from kpadmin.store.models import ChargeState, SubscriberState
from tests.billing.sandboxed import gateway_for
from tests.fixtures.sandbox import RunningSandbox, SandboxFactory

_examples = itertools.count()
FAULT_KINDS = ("error_before", "error_after", "drop_after", "delay_after")


def make_machine(sandbox: RunningSandbox) -> type[RuleBasedStateMachine]:
    class JournalMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.tag = f"m{next(_examples)}"
            self.dir = tempfile.TemporaryDirectory()
            self.db = open_store(Path(self.dir.name) / "kp.sqlite3")
            self.now = datetime(2026, 11, 10, 3, 0, tzinfo=UTC)
            self.uids: list[str] = []
            sandbox.clear_faults()
            sandbox.set_faults(
                decline_rate=0.0, delay_s=0.25, endpoints={"again", "payment_find_all"}
            )

        def teardown(self) -> None:
            try:
                self._final_check()
            finally:
                sandbox.clear_faults()
                sandbox.set_faults(decline_rate=0.0)
                self.db.close()
                self.dir.cleanup()

        # -- helpers ---------------------------------------------------------------------------

        def _engine_call(self, action: Any) -> Any:
            async def go() -> Any:
                async with gateway_for(sandbox, read_timeout=0.12) as gateway:
                    engine = ChargeEngine(
                        self.db,
                        gateway,
                        clock=lambda: self.now,
                        retry_delays=(0.01, 0.02),
                        lookup_tries=3,
                        flush_interval=0.01,
                    )
                    return await action(engine, gateway)

            return asyncio.run(go())

        def _remote(self) -> list[dict[str, Any]]:
            mine = set(self.uids)
            return [p for p in sandbox.state.all_payments() if p.get("customer_uid") in mine]

        # -- rules -----------------------------------------------------------------------------

        @rule(
            amount=st.integers(100, 90_000),
            days_ago=st.integers(0, 40),
            kind=st.sampled_from(["ok", "ok", "ok", "declining"]),
        )
        def add_subscriber(self, amount: int, days_ago: int, kind: str) -> None:
            uid = f"{self.tag}-{len(self.uids)}"
            sandbox.state.issue_billing_key(
                uid, behaviour="decline" if kind == "declining" else None
            )
            due = today_in_seoul(lambda: self.now) - timedelta(days=days_ago)
            SubscriberRepository(self.db).add(NewSubscriber(uid, "이름", amount, due.day, due))
            self.uids.append(uid)

        @rule(
            kind=st.sampled_from(FAULT_KINDS),
            rate=st.sampled_from([0.0, 0.3, 0.6]),
            decline=st.sampled_from([0.0, 0.0, 0.3]),
        )
        def set_faults(self, kind: str, rate: float, decline: float) -> None:
            sandbox.clear_faults()
            sandbox.set_faults(**{kind: rate}, decline_rate=decline)

        @precondition(lambda self: self.uids)
        @rule(concurrency=st.integers(1, 4))
        def run_batch(self, concurrency: int) -> None:
            async def action(engine: ChargeEngine, gateway: Any) -> None:
                result = await engine.run(engine.plan(None, None, "기계"), concurrency=concurrency)
                assert result.progress.done == result.progress.total

            self._engine_call(action)

        @precondition(lambda self: self.uids)
        @rule(after=st.integers(0, 3))
        def cancelled_batch(self, after: int) -> None:
            async def action(engine: ChargeEngine, gateway: Any) -> None:
                cancel = asyncio.Event()

                def on_event(event: Any) -> None:
                    if event.kind is EventKind.CHARGE and event.progress.done >= after:
                        cancel.set()
                    if event.kind is EventKind.STARTED and after == 0:
                        cancel.set()

                await engine.run(
                    engine.plan(None, None, "기계"), concurrency=2, on_event=on_event, cancel=cancel
                )

            self._engine_call(action)

        @precondition(lambda self: self.uids)
        @rule(sent=st.integers(1, 3))
        def crash_after_sending(self, sent: int) -> None:
            """Intents durable, some requests sent, then the process 'dies': no result written."""

            async def action(engine: ChargeEngine, gateway: Any) -> None:
                plan = engine.plan(None, None, "기계")
                intents, _ = engine._journal_intents(plan, "crashed", {})
                for intent in intents[:sent]:
                    row = intent.row
                    with contextlib.suppress(Exception):  # the answer is lost with the process
                        await gateway.charge_key(row.key_id, row.order_id, row.amount, "x")

            self._engine_call(action)

        @rule()
        def reconcile(self) -> None:
            async def action(engine: ChargeEngine, gateway: Any) -> None:
                await engine.reconcile()

            self._engine_call(action)

        @precondition(lambda self: self.uids)
        @rule(index=st.integers(0, 50))
        def delete_key(self, index: int) -> None:
            uid = self.uids[index % len(self.uids)]
            if sandbox.state.get_customer(uid) is not None:
                sandbox.state.delete_customer(uid)

        @rule(days=st.integers(10, 40))
        def time_passes(self, days: int) -> None:
            self.now += timedelta(days=days)

        # -- invariants ------------------------------------------------------------------------

        @invariant()
        def money_invariants(self) -> None:
            remote = self._remote()
            charges = {c.merchant_uid: c for c in ChargeRepository(self.db).list_all()}
            paid = Counter(p["merchant_uid"] for p in remote if p["status"] == "paid")
            assert all(n == 1 for n in paid.values()), paid
            assert {p["merchant_uid"] for p in remote} <= set(charges), "sent before journaled"
            per_period = Counter((charges[m].subscriber_id, charges[m].period) for m in paid)
            assert all(n == 1 for n in per_period.values()), per_period
            for merchant_uid, charge in charges.items():
                if charge.state is ChargeState.PAID:
                    assert merchant_uid in paid, f"{merchant_uid} recorded paid without money"
            for merchant_uid in paid:
                state = charges[merchant_uid].state
                assert state is ChargeState.PAID or state.in_doubt, (merchant_uid, state)
            open_rows = Counter(c.subscriber_id for c in charges.values() if c.state.in_doubt)
            assert all(n == 1 for n in open_rows.values())

        def _final_check(self) -> None:
            sandbox.clear_faults()
            sandbox.set_faults(decline_rate=0.0)
            # Staff would mark these; the engine cannot tell "no key" from other rejections
            # without reading messages (REFERENCE §2: don't).
            self.now += timedelta(hours=1)  # past the engine's quiet period for withdrawals
            subs = SubscriberRepository(self.db)
            for sub in subs.list_all():
                if sandbox.state.get_customer(sub.customer_uid) is None:
                    subs.update(sub.id, state=SubscriberState.KEY_MISSING)
                elif _declining(sandbox, sub.customer_uid):
                    subs.update(sub.id, state=SubscriberState.PAUSED)

            async def action(engine: ChargeEngine, gateway: Any) -> None:
                for _ in range(40):
                    await engine.reconcile()
                    plan = engine.plan(None, None, "기계")
                    if not plan.count and not engine.charges.in_doubt():
                        return
                    await engine.run(plan, concurrency=3)
                raise AssertionError("did not settle")

            self._engine_call(action)
            self.money_invariants()
            charges = ChargeRepository(self.db).list_all()
            assert [c for c in charges if c.state.in_doubt] == []
            paid = {p["merchant_uid"] for p in self._remote() if p["status"] == "paid"}
            assert {c.merchant_uid for c in charges if c.state is ChargeState.PAID} == paid
            # Every active subscriber is paid up to today.
            today = today_in_seoul(lambda: self.now)
            for sub in subs.list_all():
                if sub.state is SubscriberState.ACTIVE:
                    assert sub.next_charge_date > today, (sub.customer_uid, sub.next_charge_date)

    return JournalMachine


def _declining(sandbox: RunningSandbox, customer_uid: str) -> bool:
    conn = sandbox.state._db  # type: ignore[attr-defined]
    row = conn.execute(
        "SELECT behaviour FROM customers WHERE customer_uid = ?", (customer_uid,)
    ).fetchone()
    return bool(row and row[0] == "decline")


def test_journal_state_machine(sandbox_factory: SandboxFactory) -> None:
    sandbox = sandbox_factory(seed=5)
    machine = make_machine(sandbox)
    machine.TestCase.settings = settings(
        max_examples=40,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        derandomize=True,
    )
    machine.TestCase().runTest()
