"""The detail pane's i'mport calls against a real sandbox: re-check the key, cancel + delete it."""

from __future__ import annotations

from datetime import date

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
            next_charge_date=date(2026, 12, 5),
            phone="01012345678",
            channel=SignupChannel.PHONE,
        )
    )
    return backend.rows_for([sub.id])[0]


def test_recheck_finds_the_key_and_stores_the_card(qtbot, sandbox, sandbox_backend):
    sandbox.state.issue_billing_key("cu_recheck_1", card_name="신한카드")
    row = add_subscriber(sandbox_backend, "cu_recheck_1")
    pane = DetailPane(sandbox_backend)
    qtbot.addWidget(pane)
    pane.show_row(row)
    with qtbot.waitSignal(sandbox_backend.rows_changed, timeout=10_000):
        pane.recheck_key()
    qtbot.waitUntil(lambda: "present" in pane.key_status.text(), timeout=5000)
    stored = sandbox_backend.subscribers.get(row.id)
    assert stored.card_name == "신한카드"
    assert sandbox_backend.audit.list(subscriber_id=row.id, limit=1)[0].action == "key_check"


def test_recheck_names_a_kakao_money_key(qtbot, sandbox, sandbox_backend):
    # The live shape of a Kakao Money key: no card fields at all.
    sandbox.state.issue_billing_key("cu_recheck_money", pay_method="point")
    row = add_subscriber(sandbox_backend, "cu_recheck_money")
    pane = DetailPane(sandbox_backend)
    qtbot.addWidget(pane)
    pane.show_row(row)
    with qtbot.waitSignal(sandbox_backend.rows_changed, timeout=10_000):
        pane.recheck_key()
    qtbot.waitUntil(lambda: "present" in pane.key_status.text(), timeout=5000)
    stored = sandbox_backend.subscribers.get(row.id)
    assert stored.card_name == "카카오머니" and stored.card_number is None


def test_recheck_marks_a_missing_key(qtbot, sandbox_backend):
    row = add_subscriber(sandbox_backend, "cu_never_issued")
    pane = DetailPane(sandbox_backend)
    qtbot.addWidget(pane)
    pane.show_row(row)
    with qtbot.waitSignal(sandbox_backend.rows_changed, timeout=10_000):
        pane.recheck_key()
    assert sandbox_backend.subscribers.get(row.id).state == SubscriberState.KEY_MISSING
    assert "no billing key" in pane.key_status.text()


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
