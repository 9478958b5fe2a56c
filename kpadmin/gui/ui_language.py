"""Find English UI words on a screen that should be Korean (the selftest and the tests use it).

It reads what the widgets themselves say — labels, buttons, check boxes, tabs, group titles,
placeholders, table and tree headers, combo box entries, window titles — not the data they show
(names, plans, details typed by staff), and reports every text that holds an English word outside
the allowed names (product and file-format names, ids, units).

Audit details are the core's words, not data: `audit_leftovers` says each event's detail as the
audit view and the detail pane do and reports the English in it — a row with no message code
(said as the English it stored), a template or a code inside it (a state, a reason, a setting)
with no translation — leaving out the data the message carries (names, ids, amounts, a server's
words), which is no UI word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)

from kpadmin.billing.messages import ENGLISH, MESSAGE_CONTEXT, Message, Term, render
from kpadmin.billing.records import AuditEvent
from kpadmin.gui.texts import audit_detail, term_label

#: Words that stay as they are in the Korean UI (names, formats, ids, units).
ALLOWED: frozenset[str] = frozenset(
    w.casefold()
    for w in (
        "kpadmin",
        "Kakao",
        "Pay",
        "KakaoPay",
        "PortOne",
        "iamport",
        "mport",
        "i'mport",
        "CSV",
        "Excel",
        "xlsx",
        "csv",
        "UID",
        "KST",
        "SANDBOX",
        "TEST",
        "LIVE",
        "REST",
        "API",
        "URL",
        "ID",
        "customer_uid",
        "merchant_uid",
        "imp_uid",
        "imp",
        "kakaopay",
        "SMTP",
        "QR",
        "KRW",
        "UTF",
        "Ctrl",
        "Shift",
        "Esc",
        "Enter",
        "F5",
        "OK",
        "http",
        "https",
        "email",
        "PG",  # the payment gateway channel, as PortOne's console names it
        "PC",  # "이 PC": Windows' own Korean name for this computer
        "English",  # the language's own name in the language choice
    )
)
#: Widgets whose text carries data (a staff member's name, a customer's), not UI words.
DATA_WIDGETS: frozenset[str] = frozenset({"staff_label", "audit_staff_filter"})
#: Ids kpadmin mints (billing key ids, order ids) and PortOne's.
_ID_PREFIXES = ("kp_", "kpa_", "kp-", "kpa-", "cu_", "imp_")
#: An environment variable's or a constant's name (KPADMIN_IMP_KEY): a name, not a word.
_CONSTANT = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_WORD = re.compile(r"[A-Za-z][A-Za-z_']+")
#: A file's name (kpadmin-export.csv): a name, not a word.
_FILE_NAME = re.compile(r"\S+\.(?:csv|xlsx|png|sqlite3)\b", re.IGNORECASE)


def english_words(text: str) -> list[str]:
    """The English words of `text` that are not allowed names."""
    text = re.sub(r"https?://\S+|\S+@\S+|&(?=\w)", "", text)
    text = _FILE_NAME.sub("", text)
    text = _CONSTANT.sub("", text)
    text = " ".join(t for t in text.split() if not t.startswith(_ID_PREFIXES))
    return [w for w in _WORD.findall(text) if w.casefold().strip("'") not in ALLOWED]


def ui_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of every visible widget's own words under `root`."""
    found: list[tuple[str, str]] = []

    def add(widget: QWidget, text: str) -> None:
        if text and text.strip():
            found.append((widget.objectName() or type(widget).__name__, text))

    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        hidden = not w.isVisibleTo(root) and w is not root
        if hidden or w.objectName() in DATA_WIDGETS:
            continue
        if w.isWindow():
            add(w, w.windowTitle())
        if isinstance(w, QLabel):
            if w.textFormat() != Qt.TextFormat.RichText:
                add(w, w.text())
        elif isinstance(w, QAbstractButton):
            add(w, w.text())
        elif isinstance(w, QGroupBox):
            add(w, w.title())
        elif isinstance(w, QLineEdit) and " " in w.placeholderText().strip():
            add(w, w.placeholderText())  # one word is an example value (a default, a channel)
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                add(w, w.itemText(i))
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                add(w, w.tabText(i))
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            for c in range(model.columnCount()):
                add(w, str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
    return found


def english_leftovers(root: QWidget) -> list[str]:
    """``where: text`` of every UI text under `root` that holds an English word."""
    return [f"{where}: {text}" for where, text in ui_texts(root) if english_words(text)]


def audit_leftovers(events: Iterable[AuditEvent]) -> list[str]:
    """``action: detail`` of every audit event whose detail, said in the UI language, holds an
    English word (its data left out: see the module docstring)."""
    found = []
    for event in events:
        message = Message.stored(event.detail_code, event.detail_params)
        if message is None:
            if english_words(event.detail):
                found.append(f"{event.action}: {event.detail} (no message code)")
            continue
        words = english_words(_without_data(message))
        if words:
            found.append(f"{event.action}: {audit_detail(event)} ({', '.join(words)})")
    return found


def _without_data(message: Message) -> str:
    """The message said in the UI language with every plain value (data) left blank."""
    template = QCoreApplication.translate(MESSAGE_CONTEXT, ENGLISH[message.code])
    return render(template, {k: _blank(v) for k, v in message.params.items()})


def _blank(value: Any) -> Any:
    if isinstance(value, Message):
        return _without_data(value)
    if isinstance(value, Term):
        return term_label(value)
    if isinstance(value, tuple):
        return "; ".join(str(_blank(v)) for v in value)
    if isinstance(value, bool | int | float):
        return value  # a number keeps its format spec ({amount:,})
    return ""
