"""The app's start when settings.json cannot be used: say so, offer the defaults, or quit.

Nothing is guessed and nothing is lost: "Use the defaults" keeps the old file aside
(``settings.json.broken-<time>``, `settings.reset_settings`) and starts in SANDBOX mode; when the
old file says or may have said LIVE (or TEST), the dialog says the mode changes. "Quit" (the
default button, and Escape) changes nothing. Shown before the qasync loop runs, so ``exec()`` is
safe here (STYLE pitfall 5 is about coroutines).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QMessageBox

from kpadmin.billing import settings as settings_mod
from kpadmin.billing.settings import SettingsError, SettingsFileError
from kpadmin.gui.formatting import tr

log = logging.getLogger(__name__)

# Shows the box and says whether the user chose the defaults (tests pass their own).
Chooser = Callable[[QMessageBox, QAbstractButton | None], bool]


def problem_box(exc: SettingsError) -> tuple[QMessageBox, QAbstractButton | None]:
    """The dialog, and its "use the defaults" button (None when the defaults cannot help)."""
    box = QMessageBox(QMessageBox.Icon.Warning, "kpadmin", "")
    box.setObjectName("settings_problem_box")
    if isinstance(exc, SettingsFileError):
        head = (
            tr("The settings file cannot be read.")
            if exc.unreadable
            else tr("The settings file holds a value kpadmin refuses.")
        )
        box.setText(head)
        lines = [
            str(exc.path),
            exc.problem,
            "",
            tr(
                "kpadmin can keep this file aside as {name}.broken-<time> (nothing is deleted) "
                "and start with the default settings: SANDBOX mode, the built-in simulator."
            ).format(name=exc.path.name),
        ]
        said = "LIVE" if exc.may_be_live else exc.file_values.get("mode", "").strip().upper()
        if said in ("LIVE", "TEST"):
            lines.append(
                tr(
                    "This file says or may have said {mode} mode. The defaults are SANDBOX: "
                    "check the settings, then switch to {mode} again yourself."
                ).format(mode=said)
            )
        box.setInformativeText("\n".join(lines))
        use_defaults = box.addButton(
            tr("Use the defaults (SANDBOX)"), QMessageBox.ButtonRole.AcceptRole
        )
        use_defaults.setObjectName("use_defaults")
    else:
        box.setText(tr("The settings cannot be used."))
        box.setInformativeText(str(exc))
        use_defaults = None
    quit_button = box.addButton(tr("Quit"), QMessageBox.ButtonRole.RejectRole)
    quit_button.setObjectName("quit")
    box.setDefaultButton(quit_button)
    box.setEscapeButton(quit_button)
    return box, use_defaults


def _ask(box: QMessageBox, use_defaults: QAbstractButton | None) -> bool:
    box.exec()
    return use_defaults is not None and box.clickedButton() is use_defaults


def offer_defaults(exc: SettingsError, *, choose: Chooser = _ask) -> Path | None:
    """Ask; on "use the defaults" move the old file aside and write the defaults.

    Returns the data dir to open again, or None to quit (nothing changed)."""
    box, use_defaults = problem_box(exc)
    if not choose(box, use_defaults) or not isinstance(exc, SettingsFileError):
        log.warning("settings unusable, the user quit: %s", exc)
        return None
    data_root = exc.path.parent
    try:
        moved = settings_mod.reset_settings(data_root)
    except OSError as err:
        QMessageBox.critical(
            None,
            "kpadmin",
            tr("The default settings could not be written: {error}").format(
                error=f"{err.strerror or err}: {err.filename or data_root}"
            ),
        )
        return None
    log.warning("settings reset to the defaults at the user's choice; old file kept as %s", moved)
    return data_root
