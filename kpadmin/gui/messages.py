"""The one choke point for user-facing messages (like qutebrowser's ``utils/message.py``).

Code anywhere in the GUI reports with ``messages.info/warning/error(text)``; it never reaches for a
status bar or pops up a box itself. The main window connects ``bridge().shown`` to its status bar.
Every message is logged too, so a support log tells the same story the staff saw. Every message is
redacted like the logs first (registered secrets and tokens, card and phone numbers): text that
quotes a server cannot show a secret in the status bar.
"""

from __future__ import annotations

import enum
import logging

from PySide6.QtCore import QObject, Signal

from kpadmin.redact import redact_text

log = logging.getLogger("kpadmin.messages")


class Level(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class MessageBridge(QObject):
    """Carries messages to whoever shows them (the main window's status bar)."""

    shown = Signal(str, str)  # level, text

    def __init__(self) -> None:
        super().__init__()
        self.history: list[
            tuple[Level, str]
        ] = []  # the last few, for tests and the "messages" menu

    def show(self, level: Level, text: str) -> None:
        text = redact_text(text)
        {Level.INFO: log.info, Level.WARNING: log.warning, Level.ERROR: log.error}[level](
            "%s", text
        )
        self.history = [*self.history[-49:], (level, text)]
        self.shown.emit(str(level), text)


_bridge: MessageBridge | None = None


def bridge() -> MessageBridge:
    global _bridge
    if _bridge is None:
        _bridge = MessageBridge()
    return _bridge


def info(text: str) -> None:
    bridge().show(Level.INFO, text)


def warning(text: str) -> None:
    bridge().show(Level.WARNING, text)


def error(text: str) -> None:
    bridge().show(Level.ERROR, text)
