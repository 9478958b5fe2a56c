"""The GUI's words for a database kpadmin must not use (the store's errors, as
`kpadmin.billing.records` hands them on), and the start-up dialog that says them.

At start-up (`AppController.main`) a missing database where this data folder had one offers two
ways out: Quit (the default, and Esc) to restore a backup, or "Start with an empty database…",
which only takes effect after a second, explicit confirmation. A damaged database, one from a
newer kpadmin, or a disk that refuses writes offers Quit only. Never a traceback.

The same texts serve `aio.describe_error` (any operation that meets a full disk) and the charging
window (`journal_stop_text`: a batch stopped because its outcomes could not be written).
Dialogs are opened with ``open()`` and awaited through a future (STYLE pitfall 5: no ``exec()``
inside a coroutine).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from kpadmin.billing.records import (
    DatabaseDamaged,
    DatabaseFacts,
    DatabaseMissing,
    DiskError,
    SchemaTooNew,
    StoreError,
)
from kpadmin.gui.formatting import tr


def facts_text(facts: DatabaseFacts) -> str:
    if facts.subscribers is None:
        return tr("details unknown")
    text = tr("{n} subscriber(s)").format(n=f"{facts.subscribers:,}")
    if facts.last_batch_id is None:
        return tr("{subscribers}, no charge batch yet").format(subscribers=text)
    when = f"{facts.last_batch_at:%Y-%m-%d %H:%M} UTC" if facts.last_batch_at else "?"
    return tr("{subscribers}, last batch {batch} on {when}").format(
        subscribers=text, batch=facts.last_batch_id, when=when
    )


def problem_text(exc: StoreError) -> str:
    """What is wrong, naming the file."""
    path = str(exc.path)
    if isinstance(exc, DatabaseMissing):
        if exc.empty:
            text = tr("This data folder had a database ({facts}); {path} is empty (0 bytes).")
        else:
            text = tr("This data folder had a database ({facts}); {path} is missing.")
        return text.format(facts=facts_text(exc.facts), path=path)
    if isinstance(exc, SchemaTooNew):
        return tr(
            "The database {path} was written by a newer kpadmin (schema version {found}; this "
            "kpadmin knows up to {known})."
        ).format(path=path, found=exc.found, known=exc.known)
    if isinstance(exc, DatabaseDamaged):
        return tr("The database {path} is damaged ({detail}).").format(path=path, detail=exc.detail)
    if isinstance(exc, DiskError):
        what = {
            "full": tr("the disk is full"),
            "read-only": tr("the disk or folder is read-only"),
        }.get(exc.kind, tr("the disk reported an error"))
        return tr("Cannot write {path}: {what}.").format(path=path, what=what)
    return str(exc)


def remedy_text(exc: StoreError) -> str:
    """What to do about it."""
    if isinstance(exc, DatabaseMissing):
        return tr(
            "Nothing was changed. Restore it: quit kpadmin, copy your backup of the file back to "
            "that place, and start kpadmin again. Or start with an empty database on purpose."
        )
    if isinstance(exc, SchemaTooNew):
        return tr("Nothing was changed. Update kpadmin to open it.")
    if isinstance(exc, DatabaseDamaged):
        return tr(
            "Nothing was changed. Quit kpadmin and restore the file from a backup; or move the "
            "damaged file aside (keep it for support): the next start then offers an empty "
            "database."
        )
    if isinstance(exc, DiskError):
        return tr("Free some space on that disk (or make the folder writable), then try again.")
    return ""


def describe(exc: StoreError) -> str:
    remedy = remedy_text(exc)
    return f"{problem_text(exc)}\n\n{remedy}" if remedy else problem_text(exc)


def journal_stop_text(exc: Exception) -> str:
    """The one message of a batch that stopped because its outcomes could not be written."""
    problem = problem_text(exc) if isinstance(exc, StoreError) else str(exc)
    text = tr(
        "{problem} No more charges were sent. Charges whose outcome could not be recorded stay "
        "in doubt: they are looked up at i'mport before anyone is charged again."
    ).format(problem=problem)
    if isinstance(exc, DiskError):
        text += " " + remedy_text(exc)
    return text


async def ask_start_empty(
    exc: StoreError,
    parent: QWidget | None = None,
    *,
    on_shown: Callable[[QMessageBox], None] | None = None,
) -> bool:
    """Show the problem; True only when the user chose to start with an empty database *and*
    confirmed it (offered for a missing database only). `on_shown` sees each box (tests)."""
    while True:
        box = QMessageBox(
            QMessageBox.Icon.Critical, tr("kpadmin: the database"), describe(exc), parent=parent
        )
        quit_button = box.addButton(tr("Quit"), QMessageBox.ButtonRole.RejectRole)
        empty_button = None
        if isinstance(exc, DatabaseMissing):
            empty_button = box.addButton(
                tr("Start with an empty database…"), QMessageBox.ButtonRole.DestructiveRole
            )
        box.setDefaultButton(quit_button)
        box.setEscapeButton(quit_button)
        if await _answer(box, on_shown) is not empty_button or empty_button is None:
            return False
        assert isinstance(exc, DatabaseMissing)
        confirm = QMessageBox(
            QMessageBox.Icon.Warning,
            tr("Start with an empty database?"),
            tr(
                "The new database will not have the {facts} of the missing one, nor its payment "
                "history. If you have a backup, choose Cancel, quit, and restore it instead."
                "\n\nStart with an empty database?"
            ).format(facts=facts_text(exc.facts)),
            parent=parent,
        )
        start = confirm.addButton(tr("Start empty"), QMessageBox.ButtonRole.AcceptRole)
        cancel = confirm.addButton(tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        confirm.setDefaultButton(cancel)
        confirm.setEscapeButton(cancel)
        if await _answer(confirm, on_shown) is start:
            return True
        # Cancel: back to the first question (Quit stays the default there).


async def _answer(
    box: QMessageBox, on_shown: Callable[[QMessageBox], None] | None
) -> QAbstractButton | None:
    answered: asyncio.Future[QAbstractButton | None] = asyncio.get_running_loop().create_future()

    def done(_result: int) -> None:
        if not answered.done():
            answered.set_result(box.clickedButton())

    box.finished.connect(done)
    box.open()
    if on_shown is not None:
        on_shown(box)
    try:
        return await answered
    finally:
        box.deleteLater()
