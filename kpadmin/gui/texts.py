"""The GUI's words for the core's codes, from the one translation catalogue.

`say(message)` is a `kpadmin.billing.messages.Message` in the UI language: its English template
looked up in context ``"Message"`` and filled with the message's parameters; `audit_label(action)`
names an audit action (context ``"AuditAction"``). Both fall back to the English when a language
has no translation, and never raise for a translation that does not fit its parameters.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kpadmin.billing.messages import (
    AUDIT_CONTEXT,
    AUDIT_LABELS,
    ENGLISH,
    MESSAGE_CONTEXT,
    Message,
    audit_action,
    render,
)


def say(message: Message) -> str:
    template = QCoreApplication.translate(MESSAGE_CONTEXT, ENGLISH[message.code])
    return render(template, message.params)


def audit_label(action: str) -> str:
    """A stored audit action as staff read it (an action this version does not know: as is)."""
    known = audit_action(action)
    if known is None:
        return action
    return QCoreApplication.translate(AUDIT_CONTEXT, AUDIT_LABELS[known])
