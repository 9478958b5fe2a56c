"""Korean and English through Qt's translation system.

The language follows the OS locale unless the settings say ``ko`` or ``en``. Translations live in
``resources/translations/kpadmin_<lang>.qm`` (built from the ``.ts`` by
``scripts/update_translations.sh``);
Qt's own ``qtbase_<lang>.qm`` translates the standard buttons (OK, Cancel, …).
English is the source language, so it needs no file.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from kpadmin.gui.resources import resource_path

log = logging.getLogger(__name__)

LANGUAGES = ("ko", "en")
_installed: list[QTranslator] = []


def resolve_language(setting: str | None) -> str:
    """``ko``/``en`` as set; anything else (``system``, empty) follows the OS locale."""
    if setting in LANGUAGES:
        return setting
    return "ko" if QLocale.system().language() == QLocale.Language.Korean else "en"


def install(language: str) -> str:
    """Replace the app's translators with those for ``language``; returns the language in effect."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install translations after the QApplication exists")
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return "en"
    ours = QTranslator(app)
    if ours.load(str(resource_path("translations", f"kpadmin_{language}.qm"))):
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        log.warning("no translation file for %r; showing English", language)
        return "en"
    qt_own = QTranslator(app)
    if qt_own.load(
        f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    QLocale.setDefault(QLocale(QLocale.Language.Korean, QLocale.Country.SouthKorea))
    return language


class KoreanPackageTranslator:
    """A package's own compiled Korean ``.qm`` (sign-up, charging), loaded while Korean is the UI
    language (`QLocale()`, set by `install`) and removed otherwise. `sync()` is idempotent."""

    def __init__(self, qm: Path) -> None:
        self.qm = qm
        self._installed: QTranslator | None = None

    def sync(self) -> None:
        app = QCoreApplication.instance()
        if app is None:
            return
        korean = QLocale().language() == QLocale.Language.Korean
        if korean and self._installed is None:
            translator = QTranslator(app)
            if translator.load(str(self.qm)):
                app.installTranslator(translator)
                self._installed = translator
        elif not korean and self._installed is not None:
            app.removeTranslator(self._installed)
            self._installed = None
