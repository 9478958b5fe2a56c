"""The always-visible mode strip: SANDBOX (calm blue-grey), TEST (amber), LIVE (red, bold), and
which database this desk works on: "this PC" or "shared: host/db" (issue #11).

It sits between the menu bar and the toolbar, so no dialog, splitter or scroll position can hide it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kpadmin.gui.formatting import mode_label

_STYLES = {
    "sandbox": ("#e8eef5", "#2c4a6b", "#c9d6e4"),
    "test": ("#fff4d6", "#7a5200", "#f0d48a"),
    "live": ("#c0392b", "#ffffff", "#962d22"),
}


class ModeBanner(QWidget):
    def __init__(
        self, mode: str, parent: QWidget | None = None, *, database: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mode_banner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        self.badge = QLabel()
        self.badge.setObjectName("mode_badge")
        self.text = QLabel()
        self.text.setObjectName("mode_text")
        self.where = QLabel()
        self.where.setObjectName("mode_database")
        layout.addWidget(self.badge)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.where)
        self.mode = ""
        self.set_database(database)
        self.set_mode(mode)

    def set_database(self, database: str | None) -> None:
        """``host/db`` of the shared database, or None for this PC's own."""
        if database is None:
            self.where.setText(self.tr("Database: this PC"))
            self.where.setToolTip(self.tr("The data is kept on this computer only."))
        else:
            self.where.setText(self.tr("Database: shared: {where}").format(where=database))
            self.where.setToolTip(
                self.tr("Every desk set to this database sees and charges the same subscribers.")
            )

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        background, foreground, border = _STYLES.get(mode, _STYLES["test"])
        self.badge.setText(mode_label(mode))
        self.text.setText(self._explanation(mode))
        weight = "800" if mode == "live" else "600"
        self.setStyleSheet(
            f"#mode_banner {{ background: {background}; border-bottom: 1px solid {border}; }}"
            f"#mode_banner QLabel {{ color: {foreground}; }}"
            f"#mode_badge {{ font-weight: {weight}; letter-spacing: 1px; padding-right: 8px; }}"
        )
        self.setMinimumHeight(34 if mode == "live" else 26)

    def _explanation(self, mode: str) -> str:
        if mode == "sandbox":
            return self.tr("Training mode: the built-in i'mport simulator. No real money moves.")
        if mode == "test":
            return self.tr("Test channel at i'mport: test payments only, separate data.")
        return self.tr("Charges take real money from real customers.")
