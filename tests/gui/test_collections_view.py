"""The retry policy as staff see it: the next retry date in the table and the detail pane, the
past-due state (label, filter, overview count) and the Retry now button (billing/collections.py).
Declines are written to the journal directly: what is shown is read from the store."""

from __future__ import annotations

from datetime import timedelta

from kpadmin.gui import formatting as fmt
from kpadmin.gui.detail_pane import DetailPane
from kpadmin.gui.overview import OverviewStrip
from kpadmin.gui.subscriber_model import Column, SubscriberTableModel
from kpadmin.store.charges import NewCharge
from kpadmin.store.models import ChargeState, SubscriberState
from kpadmin.store.subscribers import NewSubscriber


def _declined(backend, uid: str, times: int) -> int:
    today = backend.today()
    sub = backend.subscribers.add(NewSubscriber(uid, "김하늘", 9_900, today.day, today))
    for attempt in range(1, times + 1):
        cid = backend.charges.insert(
            NewCharge(sub.id, uid, f"{today:%Y-%m}", attempt, f"m-{uid}-{attempt}", 9_900),
            batch_id=None,
            staff="t",
            now=backend.now(),
        )
        backend.charges.set_state(cid, ChargeState.DECLINED, fail_reason="[8008] 잔액 부족")
    return sub.id


def test_a_declined_subscriber_shows_its_next_retry_and_can_be_retried(qtbot, backend) -> None:
    sid = _declined(backend, "cu-retry", 1)
    (row,) = backend.rows_for([sid])
    tomorrow = backend.today() + timedelta(days=1)
    assert row.next_retry == tomorrow and not row.is_due(backend.today())
    model = SubscriberTableModel()
    model.set_rows([row])
    shown = model.data(model.index(0, Column.NEXT_CHARGE))
    assert fmt.format_date(tomorrow) in shown and shown != fmt.format_date(row.next_charge_date)
    pane = DetailPane(backend)
    qtbot.addWidget(pane)
    pane.show_row(row)
    assert fmt.format_date(tomorrow) in pane.schedule.text()
    assert not pane.retry.isHidden() and pane.retry.isEnabled()
    with qtbot.waitSignal(pane.charge_now_requested, timeout=5000) as asked:
        pane.retry_now()
    assert asked.args == [sid]
    assert backend.subscribers.retry_requests([sid]) == {sid: backend.now()}
    (entry,) = backend.audit.list(subscriber_id=sid, action="retry_requested")
    assert entry.staff == backend.staff


def test_past_due_in_the_table_the_filter_states_and_the_overview(qtbot, backend) -> None:
    sid = _declined(backend, "cu-past", 4)
    backend.subscribers.update(sid, state=SubscriberState.PAST_DUE)
    _declined(backend, "cu-wait", 1)
    rows = backend.load_rows()
    past = next(r for r in rows if r.id == sid)
    assert past.state is SubscriberState.PAST_DUE and past.next_retry is None
    model = SubscriberTableModel()
    model.set_rows(rows)
    pos = model.position_of(sid)
    assert model.data(model.index(pos, Column.STATE)) == fmt.state_label(SubscriberState.PAST_DUE)
    assert model.data(model.index(pos, Column.NEXT_CHARGE)) == ""
    strip = OverviewStrip(backend, model)
    qtbot.addWidget(strip)
    strip.refresh()
    assert strip.past_due.value.text() == "1"
    assert "1" in strip.past_due.detail.text()  # one more waiting for a retry
    pane = DetailPane(backend)
    qtbot.addWidget(pane)
    pane.show_row(past)
    assert not pane.retry.isHidden() and not pane.charge_now.isEnabled()
