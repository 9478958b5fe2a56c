"""The trimming rules build.spec applies (packaging/pyi_support.py), checked without a build."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "kpadmin_pyi_support", ROOT / "packaging" / "pyi_support.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


support = _load()


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/translations/qtwebengine_locales/ko.pak", True),
        ("PySide6/Qt/translations/qtwebengine_locales/en-US.pak", True),
        ("PySide6/Qt/translations/qtwebengine_locales/de.pak", False),
        ("PySide6/translations/qtwebengine_locales/ja.pak", False),  # Windows layout
        ("PySide6/Qt/translations/qtbase_ko.qm", True),
        ("PySide6/Qt/translations/qtbase_en.qm", True),
        ("PySide6/Qt/translations/qtbase_fr.qm", False),
        ("PySide6/Qt/translations/qt_help_zh_TW.qm", False),
        ("resources/translations/kpadmin_ko.qm", True),  # ours, never filtered
        ("PySide6/Qt/resources/qtwebengine_devtools_resources.pak", False),
        ("PySide6/Qt/resources/qtwebengine_resources.pak", True),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6/plugins/imageformats/qtiff.dll", False),
        ("PySide6/plugins/imageformats/qsvg.dll", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/position/libqtposition_nmea.so", False),
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
        ("PySide6/Qt/plugins/imageformats/libqwebp.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqico.so", True),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
        ("PySide6/Qt/translations/qtwebengine_ko.qm", True),
        ("PySide6/Qt/translations/qt_help_ko.qm", False),
        ("PySide6/Qt/translations/qt_ko.qm", False),
        ("kpadmin/sandbox/static/iamport.js", True),
        ("resources/translations/kpadmin_ko.ts", False),  # the source stays behind
    ],
)
def test_keep(dest: str, kept: bool) -> None:
    assert support.keep(dest) is kept
    assert support.keep(dest.replace("/", "\\")) is kept  # TOC paths use the OS separator


def _linker(graph: dict[str, list[str]]):
    return lambda src: graph.get(src, [])


def test_trim_binaries_drops_plugins_and_only_the_libraries_they_alone_linked() -> None:
    binaries = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/s/qxcb", "BINARY"),
        (
            "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
            "/s/vkb",
            "BINARY",
        ),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/s/xcbqpa", "BINARY"),
        ("PySide6/Qt/lib/libQt6VirtualKeyboard.so.6", "/s/vk", "BINARY"),
        ("PySide6/Qt/lib/libQt6Quick3DUtils.so.6", "/s/q3d", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/s/gui", "BINARY"),
        ("libnssckbi.so", "/s/nssckbi", "BINARY"),  # nothing links it (dlopen): stays
    ]
    graph = {
        "/s/qxcb": ["libQt6XcbQpa.so.6", "libQt6Gui.so.6"],
        "/s/vkb": ["libQt6VirtualKeyboard.so.6", "libQt6Gui.so.6"],
        "/s/vk": ["libQt6Quick3DUtils.so.6", "libQt6Gui.so.6"],
    }
    kept = {dest for dest, _, _ in support.trim_binaries(binaries, _linker(graph))}
    assert kept == {
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "libnssckbi.so",
    }


def test_qt_only_system_libraries_go_and_pythons_stay() -> None:
    binaries = [
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/s/gui", "BINARY"),
        ("PySide6/QtCore.abi3.so", "/s/qtcore", "EXTENSION"),
        ("python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so", "/s/ssl", "EXTENSION"),
        ("libpython3.11.so.1.0", "/s/py", "BINARY"),
        ("libX11.so.6", "/s/x11", "BINARY"),
        ("libxcb.so.1", "/s/xcb", "BINARY"),
        ("libz.so.1", "/s/z", "BINARY"),  # Qt and Python both link it
        ("libssl.so.3", "/s/libssl", "BINARY"),
        ("libnss3.so", "/s/nss3", "BINARY"),
        ("libsoftokn3.so", "/s/softokn3", "BINARY"),
    ]
    graph = {
        "/s/gui": ["libX11.so.6", "libz.so.1", "libnss3.so"],
        "/s/x11": ["libxcb.so.1"],
        "/s/ssl": ["libssl.so.3"],
        "/s/py": ["libz.so.1"],
    }
    kept = {dest for dest, _, _ in support.drop_qt_system_libraries(binaries, _linker(graph))}
    assert kept == {
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "PySide6/QtCore.abi3.so",
        "python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so",
        "libpython3.11.so.1.0",
        "libz.so.1",
        "libssl.so.3",
    }


def test_symlinks_to_trimmed_files_are_dropped() -> None:
    datas = [
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
        ("libQt6VirtualKeyboard.so.6", "PySide6/Qt/lib/libQt6VirtualKeyboard.so.6", "SYMLINK"),
        ("resources/checkout/checkout.html", "/src/checkout.html", "DATA"),
    ]
    kept = support.drop_dangling_symlinks(datas, {"PySide6/Qt/lib/libQt6Gui.so.6"})
    assert [d for d, _, _ in kept] == ["libQt6Gui.so.6", "resources/checkout/checkout.html"]


def test_imported_qt_modules_sees_lazy_and_aliased_imports(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("from PySide6.QtCore import QObject\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "view.py").write_text(
        "def later():\n"
        "    import PySide6.QtWebEngineWidgets as w\n"
        "    from PySide6 import QtCharts, QtSvg\n"
        "    return w, QtCharts, QtSvg\n"
    )
    found = support.imported_qt_modules(package)
    assert found == {"QtCore", "QtWebEngineWidgets", "QtCharts", "QtSvg"}


def test_build_refuses_to_exclude_a_module_the_app_imports(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("def f():\n    from PySide6.QtMultimedia import QSoundEffect\n")
    with pytest.raises(SystemExit, match="QtMultimedia"):
        support.check_excludes(tmp_path)


def test_kpadmin_imports_no_excluded_qt_module() -> None:
    support.check_excludes(ROOT / "kpadmin")


def test_webengine_link_dependencies_are_never_excluded() -> None:
    linked = {"QtWebChannel", "QtQml", "QtQuick", "QtPositioning", "QtNetwork", "QtQuickWidgets"}
    assert not linked & set(support.EXCLUDED_QT_MODULES)


def test_binding_excludes_keep_what_the_web_engine_bindings_load(tmp_path: Path) -> None:
    excludes = support.binding_excludes(tmp_path, ["PySide6.QtWebEngineWidgets"])
    # QtWebEngineWidgets' binding loads QtPrintSupport, QtNetwork, QtWebChannel: none excluded.
    assert set(excludes) <= {f"PySide6.{m}" for m in support.BINDING_ONLY_QT_MODULES}
    assert "PySide6.QtOpenGL" in excludes
