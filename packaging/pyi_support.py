"""What build.spec keeps and drops: the trimming rules of the PyInstaller build, kept testable.

PyInstaller's PySide6 hooks collect a Qt module's libraries, plugins and translations whenever that
module is imported, and QtWebEngine's helper process, resources and locales with QtWebEngineCore.
What is left to decide here: which Qt modules can never be needed (excluded, and refused if kpadmin
starts to import one), which of the collected translations, locales and plugins a Korean back-office
needs, and which Qt libraries nothing links any more once those are gone.

build.spec loads this file by path: a folder named ``packaging`` must never shadow the ``packaging``
library, so this folder has no ``__init__.py``.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

# Qt modules nothing in kpadmin uses and nothing it loads links. Most come from the big
# PySide6-Addons wheel, which also carries QtWebEngine/QtWebChannel/QtPositioning up to 6.11 (the
# rest of Addons: 3D, Multimedia, Charts, Pdf, Location, ...). PyInstaller collects only what is
# imported; listing them keeps its hooks from pulling any in, and the build refuses to run if
# kpadmin starts importing one (check_excludes).
# QtWebEngineCore links QtQuick, QtQml, QtWebChannel, QtPositioning and QtNetwork (QtQmlModels and
# QtOpenGL through QtQuick); QtWebEngineWidgets adds QtQuickWidgets, QtPrintSupport, QtQmlMeta and
# QtQmlWorkerScript (readelf -d on libQt6WebEngine*.so.6, PySide6 6.11.3) -- those stay.
# QtAxContainer exists in the Windows wheel only.
EXCLUDED_QT_MODULES = (
    "Qt3DAnimation",
    "Qt3DCore",
    "Qt3DExtras",
    "Qt3DInput",
    "Qt3DLogic",
    "Qt3DRender",
    "QtAxContainer",
    "QtBluetooth",
    "QtCanvasPainter",
    "QtDataVisualization",
    "QtDesigner",
    "QtGraphs",
    "QtGraphsWidgets",
    "QtHelp",
    "QtHttpServer",
    "QtLocation",
    "QtMultimedia",
    "QtMultimediaWidgets",
    "QtNetworkAuth",
    "QtNfc",
    "QtPdf",
    "QtPdfWidgets",
    "QtQuick3D",
    "QtQuickControls2",
    "QtQuickTest",
    "QtRemoteObjects",
    "QtScxml",
    "QtSensors",
    "QtSerialBus",
    "QtSerialPort",
    "QtSpatialAudio",
    "QtSql",
    "QtStateMachine",
    "QtTextToSpeech",
    "QtUiTools",
    "QtWebEngineQuick",
    "QtWebSockets",
    "QtWebView",
)

# Qt modules the app needs only as libraries (QtWebEngine links them), whose Python bindings
# PyInstaller's hooks add too. The bindings stay out unless what kpadmin imports loads them.
BINDING_ONLY_QT_MODULES = (
    "QtOpenGL",
    "QtQml",
    "QtQuick",
    "QtQuickWidgets",
    "QtPositioning",
    "QtDBus",
)

# Python packages a desktop build never needs (test suites, Tk, the dev tools' own dependencies).
EXCLUDED_PYTHON = (
    "tkinter",
    "_tkinter",
    "turtle",
    "idlelib",
    "lib2to3",
    "pydoc_data",
    "test",
    # Our own test package (sample data included, tests/sample_data.py): no kpadmin module
    # imports it; excluded so the build fails its import check rather than ship it if one did.
    "tests",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "mypy",
    "ruff",
    "jsonschema",
    "yaml",
    "PyInstaller",
    "setuptools",
    "pip",
    "numpy",
    # decimal's pure-Python fallback; the C module _decimal is always there.
    "_pydecimal",
    # httpx's optional command-line client (imported in a try/except) and its syntax highlighting.
    "httpx._main",
    "pygments",
    "rich",
    # Chinese, Japanese and Taiwanese codecs (~0.7 MB of C): the app reads and writes UTF-8 and,
    # at most, Korean legacy encodings (_codecs_kr, _codecs_iso2022 stay). A lookup of one of
    # these encodings raises LookupError, as for any unknown encoding.
    "_codecs_jp",
    "_codecs_cn",
    "_codecs_hk",
    "_codecs_tw",
)

# Languages the UI ships in; Chromium's locale packs and Qt's catalogues for the others go.
LANGUAGES = ("en", "ko")
WEBENGINE_LOCALES = ("en-US.pak", "ko.pak")
QT_CATALOGUES = ("qtbase", "qtwebengine")

# Qt plugins (category -> file-name stems without "lib" and extension) the app never loads:
# platform plugins for embedded/kiosk screens, evdev input, the virtual keyboard, GPS, QML debugging
# and image formats no page or icon of ours uses. Libraries only they linked are pruned after them.
DROPPED_PLUGINS: dict[str, tuple[str, ...]] = {
    # Linux keeps xcb (X11 and XWayland), offscreen and minimal; the native Wayland plugins go.
    "platforms": ("qeglfs", "qlinuxfb", "qminimalegl", "qvkkhrdisplay", "qvnc", "qwayland*"),
    "wayland-decoration-client": ("*",),
    "wayland-graphics-integration-client": ("*",),
    "wayland-shell-integration": ("*",),
    # Printing through CUPS (and the GnuTLS/Kerberos/Avahi tree it links): nothing here prints;
    # receipts open in the system browser.
    "printsupport": ("*",),
    "egldeviceintegrations": ("*",),
    "generic": ("*",),
    "platforminputcontexts": ("qtvirtualkeyboardplugin",),
    "position": ("*",),
    "qmltooling": ("*",),
    # The GTK theme: loads the system's GTK 3 into the process next to the bundled cairo/pango/glib
    # copies it drags in; the desktop portal theme stays.
    "platformthemes": ("qgtk3",),
    # Our images are SVG (icons) and PNG (built into QtGui, screenshots); web pages decode their own
    # images inside Chromium. ico stays for Windows-style icons.
    "imageformats": (
        "qpdf",
        "qtiff",
        "qtga",
        "qwbmp",
        "qicns",
        "qmng",
        "qjp2",
        "qjpeg",
        "qwebp",
        "qgif",
    ),
    # QNetworkInformation (online/offline from NetworkManager, ConnMan, GLib): nothing asks; the
    # app talks HTTP through httpx and Chromium watches the network itself.
    "networkinformation": ("*",),
}

# Other collected files (destination path patterns) nothing opens: Chromium's developer tools, and
# Qt Linguist sources (.ts) wherever they sit -- package data included; the app loads the .qm.
DROPPED_FILES = ("*/qtwebengine_devtools_resources.pak", "*.ts")


def _posix(dest: str) -> PurePosixPath:
    return PurePosixPath(dest.replace("\\", "/"))


def _plugin_dropped(parts: tuple[str, ...]) -> bool:
    """``.../plugins/<category>/<file>`` whose stem is listed in DROPPED_PLUGINS."""
    if len(parts) < 3 or parts[-3] != "plugins":
        return False
    category, filename = parts[-2], parts[-1]
    stem = filename.split(".", 1)[0].removeprefix("lib")
    patterns = DROPPED_PLUGINS.get(category, ())
    return any(fnmatch.fnmatch(stem, pattern) for pattern in patterns)


def keep(dest: str) -> bool:
    """Whether a collected file (its destination path in the bundle) stays in the build."""
    path = _posix(dest)
    if any(fnmatch.fnmatch(str(path), pattern) for pattern in DROPPED_FILES):
        return False
    parts = path.parts
    if _plugin_dropped(parts):
        return False
    if "qtwebengine_locales" in parts:
        return path.name in WEBENGINE_LOCALES
    if (
        len(parts) >= 2
        and parts[-2] == "translations"
        and path.suffix == ".qm"
        and "PySide6" in parts
    ):
        # Qt's own catalogues: qtbase_ko.qm, qtwebengine_ko.qm ... keep en/ko only, and not the
        # catalogues of modules we leave out (qt_help_*) nor the qt_<lang> meta-catalogue (the
        # app loads qtbase_<lang> itself, kpadmin/gui/i18n.py).
        module, _, lang = path.stem.rpartition("_")
        return lang in LANGUAGES and module in QT_CATALOGUES
    return True


Toc = list[tuple[str, str, str]]


def trim(toc: Iterable[tuple[str, str, str]]) -> Toc:
    """A PyInstaller TOC (dest, src, typecode) without the dropped entries."""
    return [entry for entry in toc if keep(entry[0])]


def _is_library(dest: str) -> bool:
    """A shared library (not a plugin, an extension module or an executable)."""
    path = _posix(dest)
    name = path.name
    if "plugins" in path.parts or name.endswith((".abi3.so", ".pyd")) or ".cpython-" in name:
        return False
    return (name.startswith("lib") and ".so" in name) or name.lower().endswith(".dll")


def _closure(
    roots: Iterable[str], by_name: dict[str, str], linked: Callable[[str], Iterable[str]]
) -> set[str]:
    """Names of the libraries in ``by_name`` (lower-case name -> source) that ``roots`` link,
    transitively. Names compare case-insensitively: Windows import tables are not case-exact."""
    found: set[str] = set()
    queue = list(roots)
    seen: set[str] = set()
    while queue:
        src = queue.pop()
        if src in seen:
            continue
        seen.add(src)
        for name in linked(src):
            base = _posix(name).name.lower()
            if base in by_name and base not in found:
                found.add(base)
                queue.append(by_name[base])
    return found


def trim_binaries(
    binaries: Iterable[tuple[str, str, str]], linked_names: Callable[[str], Iterable[str]]
) -> Toc:
    """The binaries without the dropped plugins and without the libraries only those linked.

    ``linked_names(src)`` gives the names a binary links (PyInstaller's bindepend.get_imports).
    PyInstaller's dependency analysis ran before this trimming, so the libraries a dropped plugin
    pulled in are still listed; a library goes only if a dropped file linked it and no kept file
    does (a library nothing links at all may be loaded with dlopen, e.g. NSS modules, so it stays).
    """
    entries = list(binaries)
    kept = [e for e in entries if keep(e[0])]
    dropped = [e for e in entries if not keep(e[0])]
    libraries = {_posix(e[0]).name.lower(): e[1] for e in kept if _is_library(e[0])}
    needed = _closure((e[1] for e in kept if not _is_library(e[0])), libraries, linked_names)
    orphaned = _closure((e[1] for e in dropped), libraries, linked_names) - needed
    return [e for e in kept if not _is_library(e[0]) or _posix(e[0]).name.lower() not in orphaned]


def imported_qt_modules(package_dir: Path) -> set[str]:
    """Every ``PySide6.<Module>`` any module under ``package_dir`` imports (lazy imports too)."""
    found: set[str] = set()
    for source in sorted(package_dir.rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
                if node.module == "PySide6":
                    names += [f"PySide6.{alias.name}" for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "PySide6" and len(parts) > 1:
                    found.add(parts[1])
    return found


def check_excludes(package_dir: Path, excluded: Iterable[str] = EXCLUDED_QT_MODULES) -> None:
    """Refuse to build if the app imports a Qt module the spec excludes (it would break frozen)."""
    clash = sorted(imported_qt_modules(package_dir) & set(excluded))
    if clash:
        raise SystemExit(
            f"build.spec excludes {', '.join(clash)} but kpadmin imports it: "
            "remove it from EXCLUDED_QT_MODULES in packaging/pyi_support.py"
        )


def drop_dangling_symlinks(datas: Iterable[tuple[str, str, str]], kept: set[str]) -> Toc:
    """PyInstaller adds top-level SYMLINK entries (in datas) for shared libraries; drop those whose
    target (the entry's source field, a path inside the bundle) was trimmed away."""
    return [e for e in datas if e[2] != "SYMLINK" or _posix(e[1]).as_posix() in kept]


# Loaded with dlopen by NSS (so nothing links them); they belong to whichever libnss3 is used.
NSS_MODULES = (
    "libsoftokn3.so",
    "libnssckbi.so",
    "libnssdbm3.so",
    "libfreebl3.so",
    "libfreeblpriv3.so",
)


def drop_qt_system_libraries(
    binaries: Iterable[tuple[str, str, str]], linked_names: Callable[[str], Iterable[str]]
) -> Toc:
    """Linux: leave out the system libraries that only Qt and Chromium link (X11/xcb, fontconfig,
    glib, D-Bus, NSS, ALSA, ...), as the PySide6 wheel itself does.

    The frozen app then needs what `pip install PySide6` needs from the system, nothing more, and
    never loads a bundled glib or X11 next to the desktop's own copies (GTK input methods, portals).
    Python's own dependencies (OpenSSL, SQLite, libffi, zlib, ...) stay bundled: they are what the
    frozen interpreter brings.
    """
    entries = list(binaries)
    top = {
        e[0].lower(): e[1]
        for e in entries
        if _is_library(e[0]) and "/" not in _posix(e[0]).as_posix()
    }
    qt_side = [e[1] for e in entries if _posix(e[0]).parts[0] in ("PySide6", "shiboken6")]
    python_side = [
        e[1]
        for e in entries
        if _posix(e[0]).parts[0] not in ("PySide6", "shiboken6")
        and (not _is_library(e[0]) or _posix(e[0]).name.startswith("libpython"))
    ]
    qt_only = _closure(qt_side, top, linked_names) - _closure(python_side, top, linked_names)
    if "libnss3.so" in qt_only:
        qt_only.update(name for name in NSS_MODULES if name in top)
    return [e for e in entries if e[0].lower() not in qt_only]


def loaded_qt_bindings(modules: Iterable[str]) -> set[str]:
    """The PySide6 binding modules (``QtCore``, ...) that importing ``modules`` loads, found by
    importing them in a fresh interpreter (bindings import the bindings they depend on)."""
    code = (
        "import importlib, json, sys\n"
        f"for name in {sorted(modules)!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m.split('.')[1] for m in sys.modules"
        " if m.startswith('PySide6.Qt'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def binding_excludes(package_dir: Path, extra_modules: Iterable[str]) -> list[str]:
    """``PySide6.<M>`` for each BINDING_ONLY module that nothing kpadmin imports loads."""
    wanted = {f"PySide6.{m}" for m in imported_qt_modules(package_dir)} | set(extra_modules)
    loaded = loaded_qt_bindings(wanted)
    return [f"PySide6.{m}" for m in BINDING_ONLY_QT_MODULES if m not in loaded]
