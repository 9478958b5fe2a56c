"""Korean and English through Qt's translation system: one catalogue per language.

The language follows the OS locale unless the settings say ``ko`` or ``en``. The whole app's
strings — every widget's ``tr()``, and the core's message templates and audit labels
(`kpadmin.billing.messages`) — are in ``resources/translations/kpadmin_<lang>.qm``, compiled from
the ``.ts`` by ``scripts/update_translations.sh``. Qt's own ``qtbase_<lang>.qm`` translates the
standard buttons (OK, Cancel, …). English is the source language, so it needs no file.

Never a Python ``QTranslator.translate`` override: PySide 6 drops a reference to the ``None`` such
an override returns for "no translation", and it is asked for every ``tr()`` in the app — the
table died with "deallocating None" after a few thousand cells when one was installed.
"""

from __future__ import annotations

import logging

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
