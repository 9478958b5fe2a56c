"""The detail pane's i'mport calls against a real sandbox: re-check the key, cancel + delete it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from kpadmin.gui import formatting as fmt
from kpadmin.gui.backend import Backend
from kpadmin.gui.detail_pane import DetailPane, open_receipt
from kpadmin.gui.rows import SubscriberRow
from kpadmin.store.models import SignupChannel, SubscriberState
from kpadmin.store.subscribers import NewSubscriber


def add_subscriber(backend, uid: str) -> SubscriberRow:
    sub = backend.subscribers.add(
        NewSubscriber(
            customer_uid=uid,
            name="김하늘",
            amount=9_900,
            billing_day=5,
            next_charge_date=backend.today() + timedelta(days=8),
            phone="01012345678",
            channel=SignupChannel.PHONE,
        )
    )
    return backend.rows_for([sub.id])[0]


def test_recheck_finds_the_key_and_stores_the_card(qtbot, sandbox, sandbox_backend, clock):
    sandbox.state.issue_billing_key("cu_recheck_1", card_name="신한카드")
    row = add_subscriber(sandbox_backend, "cu_recheck_1")
    pane = DetailPane(sandbox_backend)
    qtbot.addWidget(pane)
    pane.show_row(row)
    with qtbot.waitSignal(sandbox_backend.data_changed, timeout=10_000):
        pane.recheck_key()
    qtbot.waitUntil(lambda: "present" in pane.key_status.text(), timeout=5000)
    stored = sandbox_backend.subscribers.get(row.id)
    assert stored.card_name == "신한카드"
    (entry,) = sandbox_backend.audit.list(subscriber_id=row.id, limit=1)
    assert entry.action == "key_check"
    # "Checked when" and the audit time are the runtime's clock (the test's), not the wall's.
    assert fmt.format_instant(clock()) in pane.key_status.text()
    assert entry.at == clock()


def test_the_backends_today_and_month_follow_the_runtimes_clock(qapp, tmp_path):
    """At 00:30 on 1 February in Seoul (still 31 January in UTC) the table's "this month" is
    February: a charge paid a minute ago counts, one paid at 23:30 Seoul time the day before
    does not."""
    from kpadmin.runtime import open_runtime
    from kpadmin.store.charges import NewCharge
    from kpadmin.store.models import ChargeState
    from tests.clock import FrozenClock

    moment = datetime(2031, 1, 31, 15, 30, tzinfo=UTC)
    backend = Backend(open_runtime(tmp_path / "data", clock=FrozenClock(moment)))
    try:
        assert backend.today() == date(2031, 2, 1) and backend.now() == moment
        subs = []
        for uid, period, paid_at in (
            ("cu_feb", "2031-02", moment - timedelta(minutes=1)),
            ("cu_jan", "2031-01", moment - timedelta(hours=1)),
        ):
            sub = backend.subscribers.add(
                NewSubscriber(uid, "김하늘", 9_900, 1, date(2031, 2, 1), phone="01012345678")
            )
            cid = backend.charges.insert(
                NewCharge(sub.id, uid, period, 1, f"kp-{uid}", 9_900), batch_id=None, staff="t"
            )
            backend.charges.set_state(cid, ChargeState.PAID, paid_at=paid_at)
            subs.append(sub.id)
        counts = {r.customer_uid: r.charges_this_month for r in backend.load_rows()}
        assert counts == {"cu_feb": 1, "cu_jan": 0}
        assert [r.charges_this_month for r in backend.rows_for(subs)] == [1, 0]
    finally:
        backend.store.close()


def test_recheck_names_a_kakao_money_key(qtbot, sandbox, sandbox_backend):
    # The live shape of a Kakao Money key: no card fields at all.
    sandbox.state.issue_billing_key("cu_recheck_money", pay_method="point")
    row = add_subscriber(sandbox_backend, "cu_recheck_money")
    pane = DetailPane(sandbox_backend)
    qtbot.addWidget(pane)
    pane.show_row(row)
    with qtbot.waitSignal(sandbox_backend.data_changed, timeout=10_000):
        pane.recheck_key()
    qtbot.waitUntil(lambda: "present" in pane.key_status.text(), timeout=5000)
    stored = sandbox_backend.subscribers.get(row.id)
    assert stored.card_name == "카카오머니" and stored.card_number is None


def test_recheck_marks_a_missing_key(qtbot, sandbox_backend):
    row = add_subscriber(sandbox_backend, "cu_never_issued")
    pane = DetailPane(sandbox_backend)
    qtbot.addWidget(pane)
    pane.show_row(row)
    with qtbot.waitSignal(sandbox_backend.data_changed, timeout=10_000):
        pane.recheck_key()
    assert sandbox_backend.subscribers.get(row.id).state == SubscriberState.KEY_MISSING
    # billing records the check (the commit announces it), then the pane says what was found.
    qtbot.waitUntil(lambda: "no billing key" in pane.key_status.text(), timeout=5000)


def test_cancel_and_delete_the_key_at_iamport(qtbot, sandbox, sandbox_backend):
    sandbox.state.issue_billing_key("cu_cancel_1", card_name="국민카드")
    row = add_subscriber(sandbox_backend, "cu_cancel_1")
    pane = DetailPane(sandbox_backend)
    qtbot.addWidget(pane)
    pane.show_row(row)
    pane.request_cancel()
    dialog = pane._cancel_dialog
    dialog.delete_key.setChecked(True)
    dialog.reason.setText("고객 요청")
    dialog.accept()
    assert sandbox_backend.subscribers.get(row.id).state == SubscriberState.CANCELLED
    qtbot.waitUntil(lambda: sandbox.state.get_customer("cu_cancel_1") is None, timeout=10_000)
    qtbot.waitUntil(
        lambda: (
            sandbox_backend.audit.list(subscriber_id=row.id, limit=1)[0].action == "key_deleted"
        ),
        timeout=5000,
    )


def test_receipts_open_only_web_addresses(qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(
        "kpadmin.gui.detail_pane.QDesktopServices.openUrl", lambda url: opened.append(url) or True
    )
    assert open_receipt("https://iniweb.inicis.com/receipt/imp_1")
    assert not open_receipt("file:///etc/passwd")
    assert not open_receipt("javascript:alert(1)")
    assert [u.toString() for u in opened] == ["https://iniweb.inicis.com/receipt/imp_1"]
