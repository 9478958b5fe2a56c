"""The main window on a real store: actions, banner, search and filters, detail pane, edits."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialogButtonBox

from kpadmin.gui import messages
from kpadmin.gui.backend import Backend
from kpadmin.gui.main_window import MainWindow
from kpadmin.gui.mode_banner import ModeBanner
from kpadmin.gui.subscriber_model import ROW_ROLE, Column
from kpadmin.store.models import SubscriberState


def visible_names(window):
    proxy = window.proxy
    return [proxy.index(r, Column.NAME).data() for r in range(proxy.rowCount())]


def test_actions_have_the_agreed_shortcuts(window):
    shortcuts = {
        window.act_signup: "Ctrl+N",
        window.act_settings: "Ctrl+,",
        window.act_import: "Ctrl+I",
        window.act_export: "Ctrl+E",
    }
    for action, keys in shortcuts.items():
        assert action.shortcut() == QKeySequence(keys), action.text()
    for action in (window.act_charge_selected, window.act_charge_due, window.act_reconcile):
        assert not action.shortcut().isEmpty()


def test_charging_actions_wait_for_the_charging_ui(window):
    if window.charging is not None:
        assert window.act_charge_due.isEnabled()
        return
    for action in (window.act_charge_selected, window.act_charge_due, window.act_reconcile):
        assert not action.isEnabled()
        assert "not available" in action.toolTip()
    assert not window.detail.charge_now.isEnabled()


def test_sandbox_banner_is_visible_and_live_is_red(window, qtbot):
    assert window.banner.isVisible()
    assert window.banner.badge.text() == "SANDBOX"
    live = ModeBanner("live")
    qtbot.addWidget(live)
    assert live.badge.text() == "LIVE"
    assert "#c0392b" in live.styleSheet()
    assert live.minimumHeight() > window.banner.minimumHeight()


def test_the_banner_names_the_database(window, qtbot):
    assert window.banner.where.text() == "Database: this PC"
    shared = ModeBanner("test", database="db.shop.lan:5432/kpadmin")
    qtbot.addWidget(shared)
    assert shared.where.text() == "Database: shared: db.shop.lan:5432/kpadmin"


def test_table_loads_the_store_and_search_filters_it(window, qtbot):
    assert window.model.rowCount() == 30
    some = window.model.rows[5].subscriber
    # QTest aborts on non-Latin key clicks; typing Korean goes through the text API.
    window.search.setText(some.name)
    qtbot.waitUntil(lambda: window.proxy.rowCount() < 30)
    assert some.name in visible_names(window)
    window.search.clear()
    qtbot.keyClicks(window.search, some.customer_uid.upper())
    qtbot.waitUntil(lambda: visible_names(window) == [some.name])
    window.search.clear()
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 30)
    assert "30" in window.count_label.text()


def test_filters_from_the_bar(window):
    window.unknown_filter.setChecked(True)
    rows = [window.proxy.index(r, 0).data(ROW_ROLE) for r in range(window.proxy.rowCount())]
    assert rows and all(r.in_doubt for r in rows)
    window.unknown_filter.setChecked(False)
    window.state_filter.setCurrentIndex(window.state_filter.findData(SubscriberState.PAUSED))
    rows = [window.proxy.index(r, 0).data(ROW_ROLE) for r in range(window.proxy.rowCount())]
    assert all(r.subscriber.state == SubscriberState.PAUSED for r in rows)
    assert "of 30" in window.count_label.text()


def test_selecting_a_row_fills_the_detail_pane(window):
    row = window.model.rows[2]
    window.select_ids([row.id])
    assert window.selected_ids() == [row.id]
    assert window.detail.title.text() == row.subscriber.name
    assert window.detail.key_id_label.text() == row.subscriber.customer_uid
    history = window.detail.history
    assert history.topLevelItemCount() >= 1
    audit = window.detail.audit
    # The action by its label (the stored code is "signup").
    labels = {audit.topLevelItem(i).text(2) for i in range(audit.topLevelItemCount())}
    assert "Signed up" in labels


def test_in_doubt_subscriber_cannot_be_charged_from_the_pane(window):
    doubtful = next(r for r in window.model.rows if r.in_doubt)
    window.select_ids([doubtful.id])
    window.detail.charging_available = True
    window.detail._update_buttons()
    assert not window.detail.charge_now.isEnabled()
    assert "unknown" in window.detail.charge_now.toolTip()


def test_pause_and_resume_write_store_and_audit_with_staff_name(window, qtbot):
    row = next(r for r in window.model.rows if r.subscriber.state == SubscriberState.ACTIVE)
    window.select_ids([row.id])
    qtbot.mouseClick(window.detail.pause, Qt.MouseButton.LeftButton)
    backend = window.backend
    assert backend.subscribers.get(row.id).state == SubscriberState.PAUSED
    assert window.model.row_for_id(row.id).subscriber.state == SubscriberState.PAUSED
    entry = backend.audit.list(subscriber_id=row.id, limit=1)[0]
    assert (entry.action, entry.staff) == ("pause", backend.staff)
    assert window.detail.pause.text() == "Resume"
    qtbot.mouseClick(window.detail.pause, Qt.MouseButton.LeftButton)
    assert backend.subscribers.get(row.id).state == SubscriberState.ACTIVE
    assert backend.audit.list(subscriber_id=row.id, limit=1)[0].action == "resume"


def test_cancel_without_deleting_the_key(window, qtbot):
    row = next(r for r in window.model.rows if r.subscriber.state == SubscriberState.ACTIVE)
    window.select_ids([row.id])
    window.detail.request_cancel()
    dialog = window.detail._cancel_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reason.setText("moved abroad")
    dialog.accept()
    assert window.backend.subscribers.get(row.id).state == SubscriberState.CANCELLED
    entry = window.backend.audit.list(subscriber_id=row.id, limit=1)[0]
    assert entry.action == "cancel" and "moved abroad" in entry.detail
    assert not window.detail.cancel.isEnabled()


def test_edit_dialog_validates_as_you_type_and_saves(window, qtbot):
    row = window.model.rows[0]
    window.select_ids([row.id])
    window.edit_current()
    dialog = window.edit_dialog
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    dialog.name.clear()
    assert not save.isEnabled() and dialog.problem.text()
    dialog.name.setText("홍길동")
    dialog.phone.setText("12")
    assert not save.isEnabled()
    dialog.phone.setText("010-2222-3333")
    dialog.amount.setValue(12_345)
    assert save.isEnabled()
    dialog.accept()
    stored = window.backend.subscribers.get(row.id)
    # Saved normalised, as sign-up and the import store a phone (kpadmin.billing.fields).
    assert (stored.name, stored.phone, stored.amount) == ("홍길동", "010-2222-3333", 12_345)
    entry = window.backend.audit.list(subscriber_id=row.id, limit=1)[0]
    assert entry.action == "edit" and "010-****-3333" in entry.detail
    assert "2222" not in entry.detail  # the phone number is masked in the audit log
    assert window.model.row_for_id(row.id).subscriber.amount == 12_345
    assert window.detail.title.text() == "홍길동"


def test_overview_figures_follow_the_rows(window):
    active = sum(1 for r in window.model.rows if r.subscriber.state == SubscriberState.ACTIVE)
    assert window.overview.active.value.text() == f"{active:,}"
    mrr = sum(
        r.subscriber.amount
        for r in window.model.rows
        if r.subscriber.state == SubscriberState.ACTIVE
    )
    assert window.overview.mrr.value.text() == f"₩{mrr:,}"
    assert len(window.overview.chart.totals) == 6
    assert any(t.collected for t in window.overview.chart.totals)
    assert "paid" in window.overview.batch.value.text()


def test_messages_reach_the_status_bar(window):
    messages.error("the network is down")
    assert window.statusBar().currentMessage() == "the network is down"


def test_new_signup_opens_the_signup_dialog_without_a_connection(window, qtbot):
    window.new_signup()
    dialog = window.signup_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    # The sign-up package brings its own translator; the rest of the UI must keep its texts.
    from kpadmin.gui.formatting import state_label

    assert state_label(SubscriberState.ACTIVE) == "Active"
    assert window.act_settings.text() == "Settings…"


def test_window_geometry_is_kept_beside_the_data(qtbot, seeded):
    first = MainWindow(seeded)
    qtbot.addWidget(first)
    first.resize(700, 500)  # inside the offscreen 800x600 screen
    first.show()
    first.close()
    assert (seeded.runtime.data_root / "window.ini").exists()
    second = MainWindow(seeded)
    qtbot.addWidget(second)
    assert second.height() == 500  # (the width is held at the minimum on this small screen)


def test_empty_store_is_calm(qtbot, backend: Backend):
    w = MainWindow(backend)
    qtbot.addWidget(w)
    w.show()
    assert w.model.rowCount() == 0
    assert w.overview.batch.value.text() == "None yet"
    assert w.detail.empty.isVisible()


def test_right_click_offers_the_row_actions(window, qtbot):
    row = next(r for r in window.model.rows if r.state == SubscriberState.ACTIVE)
    window.select_ids([row.id])
    index = window.proxy.mapFromSource(window.model.index(window.model.position_of(row.id), 0))
    window._table_menu(window.table.visualRect(index).center())
    menu = window._context_menu
    texts = [a.text() for a in menu.actions()]
    assert "Edit…" in texts and "Copy customer UID" in texts
    next(a for a in menu.actions() if a.text() == "Copy customer UID").trigger()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == row.customer_uid
    menu.close()
