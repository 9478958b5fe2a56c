"""The charging UI against a real sandbox over HTTP: confirmation, progress, live rows, cancel,
declines in the result list, and the never-twice rule from every door of the UI."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from kpadmin.gui import messages
from kpadmin.store.charges import ChargeRepository
from kpadmin.store.models import ChargeState
from tests.gui.test_charging_harness import accept_confirmation, close_desk, open_desk


@pytest.fixture
def desk_factory(qtbot, arun, sandbox_factory, tmp_path, memory_keyring):
    opened = []

    def make(*, latency_ms: int = 0, **kwargs: Any):
        box = sandbox_factory(seed=1, latency_ms=latency_ms)
        desk = open_desk(qtbot, arun, box, tmp_path / f"d{len(opened)}", **kwargs)
        opened.append(desk)
        return desk

    yield make
    for desk in opened:
        close_desk(desk, qtbot, arun)


def wait_batch(qtbot, controller, timeout=30_000):
    qtbot.waitUntil(lambda: controller.task is not None and controller.task.done(), timeout=timeout)
    qtbot.waitUntil(lambda: not controller.running, timeout=timeout)
    return controller.last_result


def test_charge_all_due_confirms_shows_progress_and_updates_rows_live(qtbot, desk_factory):
    desk = desk_factory(latency_ms=120, count=8, declining=frozenset({3}), paused=frozenset({5}))
    window, controller = desk.window, desk.controller
    refreshed: list[list[int]] = []
    original = controller._refresh_rows
    controller._refresh_rows = lambda ids: (refreshed.append(list(ids)), original(ids))[1]

    window.act_charge_due.trigger()
    dialog = accept_confirmation(qtbot, controller)
    # 7 due (one paused is skipped, with its reason), ₩9,900 each.
    assert dialog.headline.text().startswith("SANDBOX: ") and "7" in dialog.headline.text()
    assert dialog.windowTitle().endswith("— SANDBOX")  # every money prompt names the mode
    assert dialog.total.text().startswith("₩69,300")
    assert dialog.items.topLevelItemCount() == 7
    assert dialog.skipped.topLevelItemCount() == 1
    assert dialog.skipped.topLevelItem(0).text(1) == "Paused"
    assert not dialog.charge_button.isDefault()  # Enter never charges
    dialog.charge_button.click()

    qtbot.waitUntil(lambda: controller.running, timeout=5000)
    batch = controller.batch_dialog
    assert batch.isVisible() and not batch.isModal()
    assert not window.act_charge_due.isEnabled() and not window.act_charge_selected.isEnabled()

    # Rows turn paid in the table while the batch is still running (live, not only at the end).
    def a_row_paid_mid_batch() -> bool:
        paid = [r for r in window.model.rows if r.last_charge_state is ChargeState.PAID]
        return bool(paid) and controller.running

    qtbot.waitUntil(a_row_paid_mid_batch, timeout=15_000)
    assert 0 < batch.bar.value() < 7 or controller._progress.done < 7

    result = wait_batch(qtbot, controller)
    assert result.progress.paid == 6 and result.progress.declined == 1
    assert batch.paid.value.text() == "6" and batch.declined.value.text() == "1"
    assert batch.bar.value() == 7
    # The declined one is in the result list with the card side's reason.
    rows = [
        [batch.results.topLevelItem(i).text(c) for c in range(4)]
        for i in range(batch.results.topLevelItemCount())
    ]
    declined = [r for r in rows if r[2] == "Declined"]
    assert len(declined) == 1 and declined[0][0] == "최유나" and declined[0][3]
    assert any(r[2] == "Paused" for r in rows)  # the skipped one is listed too
    assert batch.close_button.isEnabled()
    assert window.act_charge_due.isEnabled()
    assert "running" not in window.act_charge_due.statusTip()

    # Coalesced: a few ids per refresh (never a full reload), fewer refreshes than charges.
    from kpadmin.gui.charging.controller import ROWS_PER_TICK

    assert refreshed and all(0 < len(ids) <= ROWS_PER_TICK for ids in refreshed)
    assert len(refreshed) <= result.progress.total + 2
    # Every row in the table agrees with the journal, and the overview shows this batch.
    for sid in desk.ids:
        row = window.model.row_for_id(sid)
        expected = {3: ChargeState.DECLINED, 5: None}.get(desk.ids.index(sid), ChargeState.PAID)
        assert row.last_charge_state is expected
    last = desk.backend.last_batch()
    assert last.batch_id == result.batch_id and last.paid == 6 and last.failed == 1
    assert window.overview.batch.value.text() == "6 paid · 1 failed"
    # The sandbox holds exactly one paid payment per charged customer.
    for i in range(len(desk.ids)):
        uid = f"kp_test_{i:04d}"
        assert len(desk.paid_at_sandbox(uid)) == (0 if i in (3, 5) else 1)


def test_cancel_mid_batch_never_double_charges_and_the_rest_can_be_charged_later(
    qtbot, desk_factory
):
    desk = desk_factory(latency_ms=150, count=12, concurrency=2)
    controller = desk.controller
    controller.charge_all_due()
    accept_confirmation(qtbot, controller).accept()
    qtbot.waitUntil(lambda: controller._progress.done >= 2, timeout=15_000)
    controller.batch_dialog.cancel_button.click()
    assert "Stopping" in controller.batch_dialog.headline.text()
    first = wait_batch(qtbot, controller)
    assert first.cancelled
    assert 2 <= first.progress.done < 12
    charges = ChargeRepository(desk.backend.store)
    # Nothing is left planned for the withdrawn ones; nothing is paid twice anywhere.
    states = [c.state for c in charges.list_all()]
    assert ChargeState.PLANNED not in states and ChargeState.SENT not in states
    for i in range(12):
        assert len(desk.paid_at_sandbox(f"kp_test_{i:04d}")) <= 1
    assert "Stopped" in controller.batch_dialog.headline.text()

    # Whatever is in doubt can be reconciled; then the rest is charged, each exactly once.
    controller.reconcile()
    qtbot.waitUntil(lambda: desk.window.act_reconcile.isEnabled(), timeout=15_000)
    assert any("Reconcile" in text for _level, text in messages.bridge().history[-3:])
    controller.charge_all_due()
    dialog = accept_confirmation(qtbot, controller)
    assert dialog.plan.count == 12 - first.progress.paid
    dialog.accept()
    second = wait_batch(qtbot, controller)
    assert second.progress.paid == 12 - first.progress.paid
    for i in range(12):
        assert len(desk.paid_at_sandbox(f"kp_test_{i:04d}")) == 1
    assert all(c.state is ChargeState.PAID for c in charges.list_all())


def test_no_second_charge_while_in_flight_or_unknown(qtbot, desk_factory, arun):
    desk = desk_factory(latency_ms=150, count=6, concurrency=1)
    window, controller, backend = desk.window, desk.controller, desk.backend
    charges = ChargeRepository(backend.store)

    # An unknown outcome (the answer was lost, but i'mport did charge): the row is blocked.
    victim = desk.ids[5]
    uid = "kp_test_0005"
    from kpadmin.billing.order_ids import order_id_for
    from kpadmin.billing.periods import period_of
    from kpadmin.store.charges import NewCharge

    period = period_of(backend.today())
    muid = order_id_for(uid, period, 1)
    with backend.store.transaction():
        cid = charges.insert(
            NewCharge(victim, uid, period, 1, muid, 9_900), batch_id=None, staff="t"
        )
        charges.set_state(cid, ChargeState.UNKNOWN, fail_reason="answer lost")
    arun(backend.gateway().charge_key(uid, muid, 9_900, "프리미엄 월 구독"))
    window.reload()
    window.select_ids([victim])
    row = window.model.row_for_id(victim)
    assert row.in_doubt and not row.chargeable()
    assert not window.detail.charge_now.isEnabled()
    assert "reconcile" in window.detail.charge_now.toolTip().lower()

    # Charge now for it (from anywhere): reconciled first, found paid, not charged again.
    controller.charge_now(victim)
    qtbot.waitUntil(lambda: not controller._preparing, timeout=15_000)
    assert controller.confirm_dialog is None
    assert "not charged" in messages.bridge().history[-1][1]
    assert charges.get(cid).state is ChargeState.PAID
    assert len(desk.paid_at_sandbox(uid)) == 1

    # In flight: a batch for the first five is running; nobody can start another charge.
    window.select_ids(desk.ids[:5])
    window.act_charge_selected.trigger()
    accept_confirmation(qtbot, controller).accept()
    qtbot.waitUntil(lambda: controller.running, timeout=5000)
    # A row shows as in flight from the moment its intent is committed (each intent is written
    # after its ledger check, just before its own request).
    in_flight: list[int] = []

    def one_in_flight() -> bool:
        in_flight[:] = [i for i in desk.ids[:5] if window.model.row_for_id(i).in_doubt]
        return bool(in_flight)

    qtbot.waitUntil(one_in_flight, timeout=5000)
    assert not window.model.row_for_id(in_flight[0]).chargeable()
    for trigger in (
        lambda: controller.charge_now(desk.ids[4]),
        lambda: controller.charge_selected(desk.ids[:5]),
        controller.charge_all_due,
        controller.reconcile,
    ):
        trigger()
        assert controller.confirm_dialog is None
        assert "running" in messages.bridge().history[-1][1]
    assert not window.act_charge_selected.isEnabled()
    wait_batch(qtbot, controller)
    for i in range(6):
        assert len(desk.paid_at_sandbox(f"kp_test_{i:04d}")) == 1


def test_closing_the_window_mid_batch_waits_for_the_charges_in_flight(qtbot, desk_factory):
    desk = desk_factory(latency_ms=150, count=10, concurrency=2)
    window, controller = desk.window, desk.controller
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    controller.charge_all_due()
    accept_confirmation(qtbot, controller).accept()
    qtbot.waitUntil(lambda: controller._progress.done >= 2, timeout=15_000)

    window.close()
    assert window.isVisible() and not closed  # not cut off mid-flight
    assert any("Stopping" in text for _level, text in messages.bridge().history[-3:])
    qtbot.waitUntil(lambda: bool(closed), timeout=30_000)
    result = controller.last_result
    assert result is not None and result.cancelled
    charges = ChargeRepository(desk.backend.store).list_all()
    # Everything that was sent got its answer recorded; nothing is left on the wire or in doubt.
    assert not [c for c in charges if c.state.in_doubt]
    for i in range(10):
        assert len(desk.paid_at_sandbox(f"kp_test_{i:04d}")) <= 1


def test_a_decline_found_by_the_pre_plan_reconcile_is_not_offered_again(qtbot, desk_factory, arun):
    """Like charge-due: a decline the reconcile just found is skipped, with its reason."""
    desk = desk_factory(count=3, declining=frozenset({2}))
    controller, backend = desk.controller, desk.backend
    from kpadmin.billing.due import SkipReason
    from kpadmin.billing.gateway import Declined
    from kpadmin.billing.order_ids import order_id_for
    from kpadmin.billing.periods import period_of
    from kpadmin.store.charges import NewCharge

    charges = ChargeRepository(backend.store)
    victim, uid = desk.ids[2], "kp_test_0002"
    period = period_of(backend.today())
    muid = order_id_for(uid, period, 1)
    with backend.store.transaction():
        cid = charges.insert(
            NewCharge(victim, uid, period, 1, muid, 9_900), batch_id=None, staff="t"
        )
        charges.set_state(cid, ChargeState.SENT)  # the answer never arrived
    with pytest.raises(Declined):
        arun(backend.gateway().charge_key(uid, muid, 9_900, "프리미엄 월 구독"))

    controller.charge_all_due()
    dialog = accept_confirmation(qtbot, controller)
    assert charges.get(cid).state is ChargeState.DECLINED
    assert victim not in {item.subscriber_id for item in dialog.plan.items}
    # The retry policy holds it (tried today; next retry tomorrow), before without_declines.
    (held,) = [s for s in dialog.plan.skipped if s.subscriber_id == victim]
    assert held.reason is SkipReason.ATTEMPTED_TODAY
    assert held.next_retry == backend.today() + timedelta(days=1)
    assert dialog.plan.count == 2
    dialog.reject()


def test_the_overview_calls_rows_on_the_wire_in_flight_not_unknown(qtbot, desk_factory):
    desk = desk_factory(latency_ms=200, count=6, concurrency=2)
    window, controller = desk.window, desk.controller
    controller.charge_all_due()
    accept_confirmation(qtbot, controller).accept()
    qtbot.waitUntil(lambda: controller._progress.done >= 1, timeout=15_000)
    window.overview.refresh()
    assert "being charged now" in window.overview.due.detail.text()
    assert "reconcile" not in window.overview.due.detail.text()
    wait_batch(qtbot, controller)
    window.overview.refresh()
    assert "being charged now" not in window.overview.due.detail.text()


class _LateAnswers:
    """An executor that runs each read at once but hands its answer over only when told:
    a chunk of rows read before another write, delivered after it."""

    def __init__(self) -> None:
        self.pending: list[tuple[Any, Any]] = []

    def submit(self, fn, *args):
        from concurrent.futures import Future

        future: Future = Future()
        self.pending.append((future, fn(*args)))
        return future

    def deliver(self) -> None:
        for future, result in self.pending:
            future.set_result(result)
        self.pending.clear()


def test_a_chunk_read_before_another_write_does_not_undo_it(qtbot, desk_factory, monkeypatch):
    from kpadmin.gui.charging import controller as controller_module

    desk = desk_factory(count=3)
    window, controller = desk.window, desk.controller
    late = _LateAnswers()
    monkeypatch.setattr(controller_module, "_ROW_READER", late)
    first, second = desk.ids[0], desk.ids[1]
    controller._refresh_rows([first, second])  # a tick's chunk, read off the loop
    qtbot.waitUntil(lambda: bool(late.pending), timeout=5000)
    desk.backend.edit(first, {"name": "새 이름"})  # meanwhile: an edit, shown at once
    assert window.model.row_for_id(first).name == "새 이름"
    late.deliver()  # the chunk's older row of `first` arrives after the edit
    qtbot.waitUntil(lambda: not controller._reading, timeout=5000)
    assert window.model.row_for_id(first).name == "새 이름"
    assert window.model.row_for_id(second) is not None
