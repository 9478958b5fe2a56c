"""The always-visible mode strip: SANDBOX (calm blue-grey), TEST (amber), LIVE (red, bold).

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
    def __init__(self, mode: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mode_banner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        self.badge = QLabel()
        self.badge.setObjectName("mode_badge")
        self.text = QLabel()
        self.text.setObjectName("mode_text")
        layout.addWidget(self.badge)
        layout.addWidget(self.text, 1)
        self.mode = ""
        self.set_mode(mode)

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
