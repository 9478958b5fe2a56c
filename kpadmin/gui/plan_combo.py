"""The plan field of the sign-up form and the edit dialog: an editable combo offering the plans
catalogue (`kpadmin.billing.plans`), each with its price.

Choosing a catalogue plan — from the list, or by typing its name and leaving the field — emits
`price_chosen` with its price, and the form puts it in the amount. Any other name can still be
typed (the field rules, `kpadmin.billing.fields.plan`, judge it as before; the import accepts any
name too). A name the field already held and staff did not touch never overwrites the amount:
tabbing through the edit dialog keeps a subscriber's own amount.

It reads like the `QLineEdit` it replaces (`text`, `setText`), so the forms' validation and their
tests see the same field; its edits are `editTextChanged` / `lineEdit().textEdited`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QHeaderView, QLineEdit, QTreeView, QWidget

from kpadmin.billing.plans import Plan
from kpadmin.gui.formatting import won

PRICE_ROLE = Qt.ItemDataRole.UserRole


class PlanCombo(QComboBox):
    # A catalogue plan was chosen: its price.
    price_chosen = Signal(int)

    def __init__(self, catalogue: Sequence[Plan] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        # A typed name is the subscriber's plan, not a new catalogue entry.
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.catalogue = list(catalogue)
        model = QStandardItemModel(0, 2, self)
        for plan in self.catalogue:
            name = QStandardItem(plan.name)
            name.setData(plan.price, PRICE_ROLE)
            price = QStandardItem(won(plan.price))
            price.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            model.appendRow([name, price])
        self.setModel(model)
        self.setModelColumn(0)
        # The list shows each plan with its price (the line keeps only the name).
        view = QTreeView()
        view.setHeaderHidden(True)
        view.setRootIsDecorated(False)
        view.setItemsExpandable(False)
        view.setAllColumnsShowFocus(True)
        view.header().setStretchLastSection(False)
        view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        view.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setView(view)
        self.setCurrentIndex(-1)
        self.setEditText("")
        # Qt's combo also emits `activated` when the field is left on a line that names an item
        # other than the current one: typing a catalogue name and leaving is a choice too.
        self.activated.connect(self._on_picked)
        self.setToolTip(
            self.tr("Choose a plan of the catalogue (its price fills the amount) or type a name.")
            if self.catalogue
            else ""
        )

    # --- like a QLineEdit -----------------------------------------------------------------

    def text(self) -> str:
        return self.currentText()

    def setText(self, text: str) -> None:
        """Set the name without choosing it: the amount is left as it is. The matching item is
        made current too: Qt's combo takes a line that differs from its current item for a
        choice when the field is left (and would fill the amount)."""
        self.setCurrentIndex(self.findText(text, Qt.MatchFlag.MatchExactly))
        self.setEditText(text)

    def line(self) -> QLineEdit:
        """The field's line (always there: the combo is editable)."""
        line = self.lineEdit()
        assert line is not None
        return line

    def setPlaceholderText(self, text: str) -> None:
        self.line().setPlaceholderText(text)

    def clear(self) -> None:
        self.setText("")

    # --- choosing -------------------------------------------------------------------------

    def choose(self, name: str) -> None:
        """Choose a plan as staff would from the list (tests, and a programmatic choice)."""
        index = self.findText(name, Qt.MatchFlag.MatchExactly)
        if index >= 0:
            self.setCurrentIndex(index)
            self._on_picked(index)

    def _on_picked(self, index: int) -> None:
        price = self.itemData(index, PRICE_ROLE)
        if isinstance(price, int):
            self.price_chosen.emit(price)
