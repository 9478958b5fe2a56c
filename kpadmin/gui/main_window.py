"""The main window: mode banner, actions, overview, the subscriber table and the detail pane.

It wires the parts together and owns none of their work:

* the table (`SubscriberTableModel` + `SubscriberFilterProxy`), the detail pane and the overview
  refresh themselves on the backend's ``data_changed``, whoever wrote (an edit here, a batch, a
  refund, a sign-up, an import);
* `ChargingController(backend, self)` runs confirmations, batches, reconciles and refunds and
  reports through its signals (``batch_started`` / ``batch_finished`` / ``reconciling_changed``),
  which enable and disable the actions here;
* `CsvActions(backend, self)` imports and exports; `SignupDialog(self, backend)` signs a customer
  up (QtWebEngine is imported only when its Kakao Pay window opens, never at start-up) and emits
  ``signed_up(Subscriber)``.
"""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMenuBar,
    QSizePolicy,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from kpadmin import __version__
from kpadmin.billing import plans, subscribers
from kpadmin.billing.records import ChargeState, Subscriber, SubscriberState
from kpadmin.gui import books_window as books
from kpadmin.gui import formatting as fmt
from kpadmin.gui import messages
from kpadmin.gui.backend import Backend, DataChange
from kpadmin.gui.books_window import BooksWindow
from kpadmin.gui.charging import ChargingController
from kpadmin.gui.csv_actions import CsvActions
from kpadmin.gui.daily_run import DailyRun
from kpadmin.gui.detail_pane import DetailPane
from kpadmin.gui.edit_dialog import EditSubscriberDialog
from kpadmin.gui.formatting import tr
from kpadmin.gui.mode_banner import ModeBanner
from kpadmin.gui.notices import NoticesController
from kpadmin.gui.overview import OverviewStrip
from kpadmin.gui.plans_dialog import PlansDialog
from kpadmin.gui.rows import SubscriberRow
from kpadmin.gui.settings_dialog import SettingsDialog
from kpadmin.gui.signup import SignupDialog
from kpadmin.gui.subscriber_filter import SubscriberFilterProxy
from kpadmin.gui.subscriber_model import (
    ROW_ROLE,
    Column,
    SubscriberTableModel,
    column_title,
)
from kpadmin.gui.texts import say

log = logging.getLogger(__name__)

STATUS_TIMEOUT_MS = 8000


class MainWindow(QMainWindow):
    closed = Signal()
    settings_saved = Signal(object, object)  # old Settings, new Settings

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.setObjectName("main_window")
        # The mode in the title too, so it shows in the task bar and window switcher.
        title = self.tr("kpadmin — Kakao Pay subscriptions")
        self.setWindowTitle(f"{title} [{fmt.mode_label(backend.mode)}]")
        self.today = backend.today()
        self._close_after_batch = False  # a close asked for mid-batch waits for the batch
        self.charging = ChargingController(backend, self)
        # The daily automatic run while the app is open (auto_charge_time; off by default).
        self.daily_run = DailyRun(backend, self.charging, self)
        self.csv = CsvActions(backend, self)
        self._selection_shown: list[int] = []  # the selected ids the detail pane and count show
        self._status_tips: dict[QAction, str] = {}  # while a batch disables the charging actions
        # The last dialog of each kind, for tests and for focus (they are window-modal).
        self.edit_dialog: EditSubscriberDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.signup_dialog: SignupDialog | None = None

        self.model = SubscriberTableModel(self, monthly_cap=backend.monthly_cap)
        self.proxy = SubscriberFilterProxy(self, today=self.today)
        self.proxy.setSourceModel(self.model)

        self._build_actions()
        self._build_menus_and_banner()
        self._build_central()
        self._build_status_bar()

        backend.data_changed.connect(self._on_data_changed)
        backend.api_state_changed.connect(self._show_api_state)
        self.charging.batch_started.connect(self._on_batch_started)
        self.charging.batch_finished.connect(self._on_batch_finished)
        self.charging.reconciling_changed.connect(self._on_reconciling_changed)
        messages.bridge().shown.connect(self._show_message)
        self._day_timer = QTimer(self)  # "due today" follows midnight in Seoul
        self._day_timer.timeout.connect(self._check_day)
        self._day_timer.start(60_000)
        self.reload()
        self._restore_geometry()

    # --- construction -----------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        self.act_signup = self._action(
            self.tr("New sign-up"),
            self.new_signup,
            "Ctrl+N",
            self.tr("Sign a customer up in the Kakao Pay window (phone or in person)"),
        )
        self.act_charge_selected = self._action(
            self.tr("Charge selected"),
            self.charge_selected,
            "Ctrl+Shift+C",
            self.tr("Charge the selected subscribers now"),
        )
        self.act_charge_due = self._action(
            self.tr("Charge all due"),
            self.charge_all_due,
            "Ctrl+Shift+D",
            self.tr("Charge every subscriber whose charge date has come"),
        )
        self.act_reconcile = self._action(
            self.tr("Reconcile"),
            self.reconcile,
            "Ctrl+Shift+R",
            self.tr("Look up charges whose outcome is unknown"),
        )
        self.act_import = self._action(
            self.tr("Import CSV…"), self.import_csv, "Ctrl+I", self.tr("Import subscribers")
        )
        self.act_export = self._action(
            self.tr("Export CSV…"),
            self.export_csv,
            "Ctrl+E",
            self.tr("Export subscribers or charges"),
        )
        self.act_settings = self._action(
            self.tr("Settings…"), self.open_settings, "Ctrl+,", self.tr("Mode, keys, limits")
        )
        self._build_books_actions()
        self.act_settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.act_find = self._action(
            self.tr("Find"), self.focus_search, QKeySequence.StandardKey.Find
        )
        self.act_refresh = self._action(
            self.tr("Refresh"), self.reload, QKeySequence.StandardKey.Refresh
        )
        self.act_quit = self._action(self.tr("Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.act_about = self._action(self.tr("About kpadmin"), self.about)
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)
        for action in (
            self.act_signup,
            self.act_charge_selected,
            self.act_charge_due,
            self.act_reconcile,
            self.act_import,
            self.act_export,
            self.act_settings,
        ):
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if shortcut and action.toolTip():
                action.setToolTip(f"{action.toolTip()} ({shortcut})")

    def _build_menus_and_banner(self) -> None:
        menu_bar = QMenuBar()
        file_menu = menu_bar.addMenu(self.tr("&File"))
        file_menu.addActions([self.act_import, self.act_export])
        file_menu.addSeparator()
        file_menu.addAction(self.act_settings)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        subs_menu = menu_bar.addMenu(self.tr("&Subscribers"))
        subs_menu.addActions([self.act_signup, self.act_find, self.act_refresh])
        charge_menu = menu_bar.addMenu(self.tr("&Charging"))
        charge_menu.addActions([self.act_charge_selected, self.act_charge_due, self.act_reconcile])
        books_menu = menu_bar.addMenu(self.tr("&Books"))
        books_menu.addActions([self.act_payments, self.act_report, self.act_audit])
        books_menu.addSeparator()
        books_menu.addAction(self.act_plans)
        help_menu = menu_bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.act_about)
        # The banner lives in the menu widget: above the toolbar, below the menus, never hidden.
        self.banner = ModeBanner(self.backend.mode, database=self.backend.database_location)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(0)
        top_layout.addWidget(menu_bar)
        top_layout.addWidget(self.banner)
        self.setMenuWidget(top)
        self.menu_bar_widget = menu_bar

        toolbar = QToolBar(self.tr("Actions"))
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setFloatable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.act_signup)
        toolbar.addSeparator()
        toolbar.addActions([self.act_charge_selected, self.act_charge_due, self.act_reconcile])
        toolbar.addSeparator()
        toolbar.addActions([self.act_import, self.act_export])
        toolbar.addSeparator()
        toolbar.addActions([self.act_payments, self.act_report])
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addAction(self.act_settings)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar
        # The everyday action stands out a little; the rest stay quiet.
        signup_button = toolbar.widgetForAction(self.act_signup)
        if signup_button is not None:
            bold = signup_button.font()
            bold.setBold(True)
            signup_button.setFont(bold)

    def _build_central(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(6, 4, 6, 0)
        outer.setSpacing(4)
        self.overview = OverviewStrip(self.backend, self.model, today=self.today)
        outer.addWidget(self.overview)

        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search name, phone or customer UID"))
        self.search.setMinimumWidth(260)
        # A debounce of ~0: keystrokes already queued are coalesced, so fast typing filters once
        # for the latest text instead of once per key (filtering 100,000 rows takes ~50 ms).
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(0)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.state_filter = QComboBox()
        self.state_filter.setObjectName("state_filter")
        self.state_filter.addItem(self.tr("All states"), None)
        for state in SubscriberState:
            self.state_filter.addItem(fmt.state_label(state), state)
        self.state_filter.currentIndexChanged.connect(self._on_state_filter)
        self.due_filter = QCheckBox(self.tr("Due today"))
        self.failed_filter = QCheckBox(self.tr("Last charge failed"))
        self.unknown_filter = QCheckBox(self.tr("Unknown outcome"))
        self.due_filter.toggled.connect(self._on_flag_filter(self.proxy.set_due_only))
        self.failed_filter.toggled.connect(self._on_flag_filter(self.proxy.set_failed_only))
        self.unknown_filter.toggled.connect(self._on_flag_filter(self.proxy.set_unknown_only))
        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")
        self.count_label.setStyleSheet("color: #6b6b6b;")
        filters.addWidget(self.search, 2)
        filters.addWidget(self.state_filter)
        filters.addWidget(self.due_filter)
        filters.addWidget(self.failed_filter)
        filters.addWidget(self.unknown_filter)
        filters.addStretch(1)
        filters.addWidget(self.count_label)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        self.table = QTableView()
        self.table.setObjectName("subscriber_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the store's order at start
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        vheader = self.table.verticalHeader()
        vheader.hide()
        # Fixed row heights: with 100,000 rows, Qt would otherwise measure every row.
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Widths from the text they hold, measured in the language and scale on screen, so the
        # longest state, outcome and retry date fit (an em guess clipped them at 125 %).
        for column, width in self._column_widths().items():
            header.resizeSection(column, width)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        left_layout.addWidget(self.table, 1)
        # What to do next when the table is empty (no subscribers yet, or none the filters keep).
        self.empty_hint = QLabel()
        self.empty_hint.setObjectName("empty_hint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: #555; padding: 6px;")
        self.empty_hint.hide()
        left_layout.addWidget(self.empty_hint)

        self.detail = DetailPane(self.backend)
        self.detail.charge_now_requested.connect(self.charge_now)
        self.detail.refund_requested.connect(self.refund)
        self.detail.edit_requested.connect(lambda _sid: self.edit_current())

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        # Extra width goes to the table; the detail pane keeps the width it was given.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

    def _column_widths(self) -> dict[Column, int]:
        """Each column as wide as its widest likely text (or its title) plus the cell margins."""
        fm = self.table.fontMetrics()
        em = fm.horizontalAdvance("0")
        day = "2026-12-28"
        samples: dict[Column, list[str]] = {
            Column.NAME: ["김아무개"],
            Column.PHONE: [fmt.mask_phone("010-0000-0000")],
            Column.PLAN: ["반찬 구독 (주 2회)"],
            Column.AMOUNT: [fmt.won(999_000)],
            Column.STATE: [fmt.state_label(state) for state in SubscriberState],
            Column.CARD: ["카카오페이머니 0000"],
            Column.LAST_CHARGE: [f"{fmt.charge_label(state)} {day}" for state in ChargeState],
            Column.NEXT_CHARGE: [tr("Retry {date}").format(date=day)],
            Column.THIS_MONTH: ["00 / 00"],
        }
        # A cell has a few pixels of margin each side; the header also carries the sort arrow.
        return {
            column: max(
                max(fm.horizontalAdvance(text) for text in texts) + 12,
                fm.horizontalAdvance(column_title(column)) + 2 * em + 8,
            )
            for column, texts in samples.items()
        }

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.connection_label = QLabel()
        self.connection_label.setObjectName("connection_label")
        self.staff_label = QLabel(self.tr("Staff: {name}").format(name=self.backend.staff))
        self.staff_label.setObjectName("staff_label")
        self.notices = NoticesController(self.backend, self)
        bar.addPermanentWidget(self.notices.button)
        bar.addPermanentWidget(self.connection_label)
        bar.addPermanentWidget(self.staff_label)
        self._show_api_state()

    # --- data -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Reload every row from the store (start, F5, after an import)."""
        selected = self.selected_ids()
        # What an earlier reload froze goes back to the collector (garbage made since then,
        # e.g. closed dialogs, is collected as usual)…
        gc.unfreeze()
        self.model.set_rows(self.backend.load_rows(self.today))
        # …and the new rows, which live until the next reload, are kept out of its scans: a full
        # collection over 100,000 rows was the slowest part of some keystrokes. They hold no
        # reference cycles, so reference counting frees them when they are replaced.
        gc.freeze()
        self._update_count()
        if selected:
            self.select_ids(selected)
        else:
            self.detail.show_row(None)

    def _on_data_changed(self, change: DataChange) -> None:
        """The table's part of a change: every row again, or those few in place."""
        if change.subscriber_ids is None:
            self.reload()
        elif change.rows is not None:  # read already, off the loop (a batch's rows)
            self.model.update_rows(change.rows)
            self._update_count()
        elif change.subscriber_ids:
            self.refresh_rows(sorted(change.subscriber_ids))

    def refresh_rows(self, ids: list[int]) -> None:
        """Reload a few rows in place (after an edit or a charge result)."""
        if not ids:
            return
        self.model.update_rows(self.backend.rows_for(list(ids), self.today))
        self._update_count()

    # --- selection --------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        out = []
        for index in rows:
            row = index.data(ROW_ROLE)
            if row is not None:
                out.append(row.id)
        return out

    def current_row(self) -> SubscriberRow | None:
        ids = self.selected_ids()
        return self.model.row_for_id(ids[0]) if len(ids) == 1 else None

    def select_ids(self, ids: list[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        first = None
        for sid in ids:
            pos = self.model.position_of(sid)
            if pos is None:
                continue
            index = self.proxy.mapFromSource(self.model.index(pos, 0))
            if index.isValid():
                selection.select(
                    index,
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                first = first or index
        if first is not None:
            self.table.scrollTo(first)
        self._on_selection()

    def _on_selection(self, *_args: object) -> None:
        ids = self.selected_ids()
        self._selection_shown = ids
        self.detail.show_row(self.model.row_for_id(ids[0]) if len(ids) == 1 else None)
        if len(ids) > 1:
            self.detail.empty.setText(self.tr("{n} subscribers selected").format(n=len(ids)))
        else:
            self.detail.empty.setText(self.tr("Select a subscriber to see their details."))
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = (
            self.tr("{shown} of {total} subscribers").format(shown=f"{shown:,}", total=f"{total:,}")
            if shown != total
            else self.tr("{total} subscribers").format(total=f"{total:,}")
        )
        selected = len(self.selected_ids())
        if selected > 1:
            text += " · " + self.tr("{n} selected").format(n=selected)
        self.count_label.setText(text)
        if total == 0:
            self.empty_hint.setText(
                self.tr(
                    "No subscribers yet. Sign a customer up with “New sign-up” (Ctrl+N), or "
                    "bring your list in with “Import CSV…” (Ctrl+I)."
                )
            )
        elif shown == 0:
            self.empty_hint.setText(
                self.tr("No subscriber matches the search and filters. Clear them to see all.")
            )
        self.empty_hint.setVisible(shown == 0)

    def _table_menu(self, pos: QPoint) -> None:
        """Right-click: the actions of the detail pane for the row under the pointer."""
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        row = index.data(ROW_ROLE)
        if row is not None and row.id not in self.selected_ids():
            self.select_ids([row.id])
        menu = QMenu(self)
        if len(self.selected_ids()) == 1:
            for button in (
                self.detail.charge_now,
                self.detail.refund,
                self.detail.edit,
                self.detail.pause,
                self.detail.cancel,
            ):
                action = menu.addAction(button.text())
                action.setEnabled(button.isEnabled())
                action.triggered.connect(button.click)
            menu.addSeparator()
            copy = menu.addAction(self.tr("Copy customer UID"))
            uid = row.customer_uid if row is not None else ""
            copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(uid))
        else:
            menu.addAction(self.act_charge_selected)
        self._context_menu = menu
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _apply_search(self) -> None:
        self.proxy.set_search(self.search.text())
        self._after_filter()

    def _on_state_filter(self, _index: int) -> None:
        self.proxy.set_state(self.state_filter.currentData())
        self._after_filter()

    def _on_flag_filter(self, setter: Callable[[bool], None]) -> Callable[[bool], None]:
        def apply(on: bool) -> None:
            setter(on)
            self._after_filter()

        return apply

    def _after_filter(self) -> None:
        """Selected rows that the filter hid left the selection (so nothing hidden is charged),
        but Qt's selection model says nothing about it after a layout change: catch up here."""
        if self.selected_ids() != self._selection_shown:
            self._on_selection()
        else:
            self._update_count()

    def _check_day(self) -> None:
        today = self.backend.today()
        if today != self.today:
            self.today = today
            self.proxy.set_today(today)
            self.overview.set_today(today)
            self.reload()

    # --- actions ----------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def new_signup(self) -> None:
        # The dialog itself is light: QtWebEngine is imported when its Kakao Pay window opens.
        dialog = SignupDialog(self, self.backend)
        dialog.signed_up.connect(self._on_signed_up)
        self.signup_dialog = dialog
        dialog.open()

    def _on_signed_up(self, subscriber: Subscriber) -> None:
        """The sign-up dialog saved a verified subscriber (the table has the row by now, through
        ``data_changed``): show and select it."""
        self.search.clear()
        self._apply_search()  # now, not after the debounce: the new row must be selectable
        self.select_ids([subscriber.id])
        messages.info(self.tr("{name} is signed up.").format(name=subscriber.name))

    def charge_selected(self) -> None:
        self.charging.charge_selected(self.selected_ids())

    def charge_all_due(self) -> None:
        self.charging.charge_all_due()

    def reconcile(self) -> None:
        self.charging.reconcile()

    def charge_now(self, subscriber_id: int) -> None:
        row = self.model.row_for_id(subscriber_id)
        # Never offer a second charge while one is in flight or unknown, whatever asked for it.
        if row is not None and row.chargeable():
            self.charging.charge_now(subscriber_id)

    def refund(self, subscriber_id: int, charge_id: int = 0) -> None:
        self.charging.refund(subscriber_id, charge_id)

    def edit_current(self) -> None:
        row = self.current_row()
        if row is None:
            return
        subscriber = self.backend.subscribers.get(row.id)
        if subscriber is None:
            return
        dialog = EditSubscriberDialog(
            subscriber, self, catalogue=plans.list_plans(self.backend.store)
        )
        sid = row.id

        def save() -> None:
            changes = dialog.changes()
            if changes:
                try:
                    self.backend.edit(sid, changes)
                except subscribers.EditRefused as refused:
                    # The dialog judges by the same rules; this is a stored value it let through.
                    first = refused.errors[0] if refused.errors else None
                    day = tr("The billing day must be between 1 and 31.")
                    messages.error(say(first.note) if first else day)
                    return
                messages.info(
                    self.tr("{name}: changes saved.").format(
                        name=changes.get("name", dialog.subscriber.name)
                    )
                )

        dialog.accepted.connect(save)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.edit_dialog = dialog

    # --- the books window (payments, settlement, audit) ------------------------------------

    def _build_books_actions(self) -> None:
        self.books_window: BooksWindow | None = None
        self.plans_dialog: PlansDialog | None = None
        self.act_payments = self._action(
            self.tr("Payments"),
            lambda: self.open_books(books.PAYMENTS),
            "Ctrl+P",
            self.tr("Every payment of a period, all customers; export to Excel"),
        )
        self.act_report = self._action(
            self.tr("Settlement"),
            lambda: self.open_books(books.REPORT),
            "Ctrl+T",
            self.tr("Paid, refunded and net per day, month and plan"),
        )
        self.act_plans = self._action(
            self.tr("Plans…"),
            self.open_plans,
            None,
            self.tr("Plans and their prices; change a price from a chosen month"),
        )
        self.act_audit = self._action(
            self.tr("Audit log"),
            lambda: self.open_books(books.AUDIT),
            "Ctrl+L",
            self.tr("Who did what and when"),
        )

    def open_plans(self) -> PlansDialog:
        dialog = PlansDialog(self.backend, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        self.plans_dialog = dialog
        return dialog

    def open_books(self, tab: int) -> BooksWindow:
        if self.books_window is None:
            self.books_window = BooksWindow(self.backend, self)
        else:
            self.books_window.refresh()
        self.books_window.show_tab(tab)
        return self.books_window

    def import_csv(self) -> None:
        self.csv.start_import()

    def export_csv(self) -> None:
        self.csv.start_export()

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.backend, self)
        dialog.saved.connect(self.settings_saved.emit)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.settings_dialog = dialog

    def about(self) -> None:
        messages.info(
            self.tr("kpadmin {version} — data in {path}").format(
                version=__version__, path=self.backend.runtime.db_path
            )
        )

    # --- the charging controller's state ----------------------------------------------------

    def _charging_actions(self) -> tuple[QAction, ...]:
        return (self.act_charge_selected, self.act_charge_due, self.act_reconcile)

    def _on_batch_started(self) -> None:
        busy = self.tr("A charge batch is running.")
        for action in self._charging_actions():
            self._status_tips.setdefault(action, action.statusTip())
            action.setEnabled(False)
            action.setStatusTip(busy)
        self.detail.set_charging_busy(True)
        self.overview.set_batch_running(True)

    def _on_batch_finished(self, _result: object) -> None:
        for action in self._charging_actions():
            action.setEnabled(True)
            action.setStatusTip(self._status_tips.pop(action, action.statusTip()))
        self.detail.set_charging_busy(False)
        self.overview.set_batch_running(False)
        self.notices.after_batch()  # the batch's receipts and decline notices go out now

    def _on_reconciling_changed(self, running: bool) -> None:
        self.act_reconcile.setEnabled(not running and not self.charging.running)

    # --- status -----------------------------------------------------------------------------

    def _show_message(self, level: str, text: str) -> None:
        bar = self.statusBar()
        colour = {"error": "#c0392b", "warning": "#b9770e"}.get(level, "")
        bar.setStyleSheet(f"QStatusBar {{ color: {colour}; }}" if colour else "")
        bar.showMessage(text, 0 if level == "error" else STATUS_TIMEOUT_MS)

    def _show_api_state(self) -> None:
        backend = self.backend
        if backend.api is not None:
            where = self.tr("built-in sandbox") if backend.api.sandbox else backend.api.base_url
            self.connection_label.setText(self.tr("Connected: {where}").format(where=where))
            self.connection_label.setToolTip(backend.api.base_url)
        elif backend.connecting:
            self.connection_label.setText(self.tr("Connecting to i'mport…"))
        elif backend.api_error:
            self.connection_label.setText(self.tr("Not connected"))
            self.connection_label.setToolTip(backend.api_error)
            messages.warning(
                self.tr("Not connected to i'mport: {reason}").format(reason=backend.api_error)
            )
        else:
            self.connection_label.setText("")

    # --- window state -----------------------------------------------------------------------

    def _settings_store(self) -> QSettings:
        # Beside the data (not the OS-wide QSettings), so --data-dir and tests stay self-contained.
        path = self.backend.runtime.data_root / "window.ini"
        return QSettings(str(path), QSettings.Format.IniFormat)

    def _restore_geometry(self) -> None:
        store = self._settings_store()
        geometry = store.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 860)
        state = store.value("main_window/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([1000, 430])

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.charging.running:
            # Quitting mid-batch: send nothing new, and close only once the charges already on
            # the wire are answered and recorded, rather than cutting them off into "unknown".
            event.ignore()
            if not self._close_after_batch:
                self._close_after_batch = True
                self.charging.batch_finished.connect(
                    lambda _result: QTimer.singleShot(0, self.close)
                )
                self.charging.cancel_batch()
                messages.info(
                    self.tr(
                        "Stopping the batch: kpadmin closes once charges in flight are recorded."
                    )
                )
            return
        self.daily_run.stop()
        store = self._settings_store()
        store.setValue("main_window/geometry", self.saveGeometry())
        store.setValue("main_window/splitter", self.splitter.saveState())
        with contextlib.suppress(RuntimeError, TypeError):  # already disconnected
            messages.bridge().shown.disconnect(self._show_message)
        if self.books_window is not None:
            self.books_window.close()
        super().closeEvent(event)
        self.closed.emit()
