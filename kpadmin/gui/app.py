"""`kpadmin` (the default command): start the desktop app.

Order matters here:

1. Headless/root defaults go into the environment before Qt is imported: offscreen only when Linux
   has no display; ``QTWEBENGINE_DISABLE_SANDBOX=1`` as root (QtWebEngine refuses root otherwise).
2. The Qt-free core is imported and the settings read before Qt (start-up time: PySide6's import
   hook reads every later module's source; the database's quick_check starts in a thread).
3. ``sys.excepthook`` is installed before the QApplication exists (Vorta does the same), so nothing
   unexpected is ever lost (a problem met before it is re-raised or shown once it exists).
4. One qasync loop, run exactly once: ``with loop: loop.run_until_complete(main())``, with all async
   clean-up inside ``main()`` (STYLE pitfall 3: ``qasync.run()`` crashed at exit with QtWebEngine).
5. The window is shown and painted first; the i'mport connection (and in sandbox mode the
   in-process sandbox) opens after, in the background. Nothing of `NOT_BEFORE_THE_WINDOW`
   (QtWebEngine, Alembic at head, httpx, …) is imported before the window shows.

A first run needs no set-up: default settings are sandbox mode with the built-in simulator.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMessageBox, QWidget

    from kpadmin.gui.backend import Backend
    from kpadmin.gui.main_window import MainWindow
    from kpadmin.runtime import Runtime

_STARTED = time.perf_counter()
#: Start-up phases for ``--startup-probe`` (name -> seconds since this module was imported).
_MARKS: dict[str, float] = {}
log = logging.getLogger(__name__)


#: What the first window does not need, so a start must not import it: a sign-up's QtWebEngine,
#: Alembic (only when the database is not at head), PostgreSQL's dialect and driver, the
#: gateway's HTTP client and the keyring (the connection opens after the window shows), the
#: in-process sandbox's server, the notices' templates. The probe reports any that got loaded
#: (bench/startup.py; tests/gui/test_csv_and_app.py and tests/test_startup_imports.py).
NOT_BEFORE_THE_WINDOW = (
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "alembic",
    "sqlalchemy.dialects.postgresql",
    "psycopg",
    "httpx",
    "keyring",
    "kpadmin.iamport",
    "kpadmin.sandbox.server",
    "uvicorn",
    "starlette",
    "jinja2",
)


def loaded_too_early() -> list[str]:
    """The `NOT_BEFORE_THE_WINDOW` packages this process has imported."""
    return [name for name in NOT_BEFORE_THE_WINDOW if name in sys.modules]


def _mark(name: str) -> None:
    _MARKS[name] = round(time.perf_counter() - _STARTED, 4)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--language",
        choices=("auto", "ko", "en"),
        default=None,
        help="UI language for this run (default: the setting, which follows the OS locale)",
    )
    # For bench/startup.py: print start-up timings as JSON once the window is shown, then quit.
    parser.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)


def prepare_environment(
    env: dict[str, str] | os._Environ[str] | None = None,
    *,
    platform: str | None = None,
    is_root: bool | None = None,
) -> None:
    """Defaults for a machine with no display and for running as root (never overrides a choice)."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if is_root is None:
        is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")
    if is_root:
        env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    env.setdefault("QT_API", "pyside6")  # qasync must pick PySide6 (STYLE pitfall 6)


def run(args: argparse.Namespace) -> int:
    prepare_environment()
    # The Qt-free core (SQLAlchemy, the store, settings) is imported before PySide6: PySide6's
    # import hook reads the source of every module imported after it, looking for the word
    # "PySide6" (PYSIDE-2029), which costs ~0.1 s for these few hundred modules.
    from kpadmin import APP_NAME, APP_ORGANIZATION, __version__, paths
    from kpadmin.billing.settings import SettingsError
    from kpadmin.clock import ClockError
    from kpadmin.exitcodes import ExitCode
    from kpadmin.logs import setup_logging
    from kpadmin.runtime import open_runtime

    _mark("core_imports")
    # The settings before Qt: this mode's database file is then known, and its check
    # (`Runtime.check_database_ahead`: quick_check reads every page, ~0.5 s for 100,000
    # subscribers) runs in the background while Qt and the windows are imported. A problem is
    # shown once the QApplication exists.
    new_database = getattr(args, "new_database", False)
    runtime: Runtime | None = None
    problem: Exception | None = None
    try:
        setup_logging(paths.data_dir(args.data_dir))
        runtime = open_runtime(args.data_dir, new_database=new_database)
    except Exception as exc:  # handled below; anything unexpected reaches the crash hook
        problem = exc
    else:
        runtime.check_database_ahead()
    _mark("runtime")

    from kpadmin.gui import crash

    crash.install_excepthook()

    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication, QMessageBox

    _mark("qt_imports")
    # QtWebEngine is imported late (sign-up); it needs shared GL contexts set before the app exists.
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ORGANIZATION)
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName("kpadmin")
    # The controller decides when to quit (after async clean-up), not the last closed window.
    app.setQuitOnLastWindowClosed(False)
    _set_window_icon(app)
    _mark("qapplication")

    if isinstance(problem, ClockError):  # KPADMIN_NOW unreadable, or set in live mode
        QMessageBox.critical(None, "kpadmin", str(problem))
        return ExitCode.USAGE
    if isinstance(problem, SettingsError):
        # Unusable settings.json: offer the defaults (the old file kept aside) or quit.
        from kpadmin.gui.settings_problem import offer_defaults

        data_root = offer_defaults(problem)
        if data_root is None:
            return ExitCode.SETTINGS
        runtime = open_runtime(data_root, new_database=new_database)
    elif isinstance(problem, OSError):  # the data dir cannot be made or read
        QMessageBox.critical(
            None, "kpadmin", f"{problem.strerror or problem}: {problem.filename or ''}"
        )
        return ExitCode.DISK
    elif problem is not None:
        raise problem  # unexpected: through `crash`'s hook (log and stderr, redacted)
    assert runtime is not None  # opened, or the problem above returned

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    loop.set_exception_handler(crash.asyncio_exception_handler)
    controller = AppController(runtime, language=args.language, probe=args.startup_probe)
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen" and not args.startup_probe:
        print(
            "kpadmin: no display, so the window is drawn offscreen. "
            "`kpadmin selftest --screenshots DIR` shows the app as PNGs; Ctrl+C quits.",
            file=sys.stderr,
            flush=True,
        )
    wake_timer = _quit_on_signals(controller)
    with loop:
        result: int = loop.run_until_complete(controller.main())
    wake_timer.stop()
    return result


def _quit_on_signals(controller: AppController) -> QTimer:
    """Ctrl+C and SIGTERM close the window as the user would, so the async clean-up runs."""
    from PySide6.QtCore import QTimer

    def handler(_signum: int, _frame: object) -> None:
        QTimer.singleShot(0, controller.request_quit)

    signal.signal(signal.SIGINT, handler)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, handler)
    # Python runs signal handlers only when the interpreter gets control; Qt's C++ event loop
    # must hand it over now and then, or Ctrl+C waits for the next mouse move.
    wake_timer = QTimer()
    wake_timer.timeout.connect(lambda: None)
    wake_timer.start(200)
    return wake_timer


class AppController:
    """Owns the runtime, the backend and the window; reopens them when settings change.

    A database that cannot be opened (missing where one was, damaged, too new, a disk refusing
    writes) is a dialog, not a traceback (`database_problem`); `main()` then returns the exit code
    of `kpadmin.exitcodes`, or starts with an empty database once the user confirmed that.
    """

    def __init__(
        self, runtime: Runtime, *, language: str | None = None, probe: bool = False
    ) -> None:
        self.runtime = runtime
        self.language_override = language
        self.probe = probe
        self.window: MainWindow | None = None
        self.backend: Backend | None = None
        #: The database-problem dialog on screen, if any (tests answer it).
        self.problem_box: QMessageBox | None = None

    def request_quit(self) -> None:
        if self.window is not None:
            self.window.close()

    async def main(self) -> int:
        from kpadmin.billing.records import StoreError
        from kpadmin.gui import database_problem, i18n
        from kpadmin.gui.backend import Backend
        from kpadmin.gui.main_window import MainWindow
        from kpadmin.runtime import exit_code

        _mark("gui_imports")
        while True:
            wanted = self.language_override or self.runtime.settings.language
            i18n.install(i18n.resolve_language(wanted))
            try:
                backend = Backend(self.runtime)
            except StoreError as exc:
                log.warning("the database cannot be opened: %s", exc)
                if await database_problem.ask_start_empty(exc, on_shown=self._problem_shown):
                    self.runtime = replace(self.runtime, new_database=True)
                    continue
                return exit_code(exc, 1)
            _mark("backend")
            # --new-database (or the confirmed choice) covers this one opening only.
            self.runtime = replace(self.runtime, new_database=False)
            backend.runtime = self.runtime
            window = MainWindow(backend)
            self.backend, self.window = backend, window
            _mark("window")
            outcome: asyncio.Future[object] = asyncio.get_running_loop().create_future()

            def finish(value: object, fut: asyncio.Future[object] = outcome) -> None:
                if not fut.done():
                    fut.set_result(value)

            window.closed.connect(lambda: finish("quit"))
            window.settings_saved.connect(lambda _old, new: finish(new))
            window.show()
            _mark("show")
            # Drawn first, then connected: the connection's first step (the keyring, the sandbox's
            # server, httpx) holds the loop for a moment, and a task started now would run
            # before the window's first paint.
            await _first_paint(window, outcome)
            _mark("shown")
            if self.probe:
                await self._probe(window)
            connecting = asyncio.ensure_future(backend.connect())
            result = await outcome
            if not connecting.done():
                connecting.cancel()
                with _suppress_cancel():
                    await connecting
            if result == "quit":
                await backend.aclose()
                return 0
            # Settings saved: reopen everything for the (possibly new) mode and language.
            self.runtime = backend.runtime
            window.closed.disconnect()
            window.close()
            window.deleteLater()
            await backend.aclose()

    def _problem_shown(self, box: QMessageBox) -> None:
        self.problem_box = box
        box.finished.connect(lambda _r: setattr(self, "problem_box", None))

    async def _probe(self, window: MainWindow) -> None:
        figures = {
            "window_visible": window.isVisible(),
            "since_run_s": round(time.perf_counter() - _STARTED, 4),
            # CPU time since the process started: what a busy machine does not inflate much.
            "cpu_s": round(time.process_time(), 4),
            "rows": window.model.rowCount(),
            "webengine_loaded": any(m.startswith("PySide6.QtWebEngine") for m in sys.modules),
            "loaded_too_early": loaded_too_early(),
            "marks": dict(_MARKS),
        }
        print(json.dumps(figures), flush=True)
        window.close()


#: How long the connection waits for the window's first paint at most (a window that is never
#: drawn, e.g. started minimized, must not keep it waiting).
FIRST_PAINT_WAIT_S = 1.0


async def _first_paint(window: QWidget, closed: asyncio.Future[object]) -> None:
    """Return once `window` has been painted (or closed, or after `FIRST_PAINT_WAIT_S`)."""
    from PySide6.QtCore import QEvent, QObject

    painted: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    class _Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not painted.done():
                painted.set_result(None)  # the awaiting code resumes after this paint is done
            return False

    watch = _Watch()
    window.installEventFilter(watch)
    try:
        waiting: set[asyncio.Future[Any]] = {painted, closed}
        await asyncio.wait(waiting, timeout=FIRST_PAINT_WAIT_S, return_when=asyncio.FIRST_COMPLETED)
    finally:
        window.removeEventFilter(watch)
        if not painted.done():
            painted.cancel()


class _suppress_cancel:
    def __enter__(self) -> _suppress_cancel:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> bool:
        return exc_type is not None and issubclass(exc_type, asyncio.CancelledError)


def _set_window_icon(app: QGuiApplication) -> None:
    from PySide6.QtGui import QIcon

    from kpadmin.gui.resources import resource_path

    icon = resource_path("icons", "kpadmin.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
