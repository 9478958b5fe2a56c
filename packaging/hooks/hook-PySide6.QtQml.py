"""Replaces PyInstaller's hook for PySide6.QtQml: the Qt libraries, without the QML import tree.

The stock hook also collects every QML plugin Qt ships (Quick 3D, Multimedia, Charts, Location ...),
which drags ~120 MB of libraries into the build. kpadmin has no QML: QtQml and QtQuick are here only
because libQt6WebEngineCore links them, and linking needs the libraries, not the QML imports.
"""

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
