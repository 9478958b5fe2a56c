"""Render the main window with the sample data to PNG, in English and Korean.

    .venv/bin/python -m tests.gui.render_screenshots docs/screenshots

Not a test (no ``test_`` prefix): a tool to look at the window and to refresh docs/screenshots.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")


def render(out_dir: Path, language: str, *, mode: str = "sandbox", size=(1440, 860)) -> Path:
    from PySide6.QtWidgets import QApplication

    from kpadmin.gui import i18n
    from kpadmin.gui.backend import Backend
    from kpadmin.gui.main_window import MainWindow
    from kpadmin.runtime import open_runtime
    from tests.sample_data import seed

    app = QApplication.instance() or QApplication([])
    i18n.install(language)
    with tempfile.TemporaryDirectory() as tmp:
        from kpadmin.billing.settings import Settings

        runtime = open_runtime(tmp).with_settings(Settings(mode=mode))
        backend = Backend(runtime)
        seed(backend.store, today=backend.today(), count=30)
        window = MainWindow(backend)
        window.resize(*size)
        window.show()
        window.select_ids([3])
        window.statusBar().showMessage(
            window.tr("{total} subscribers").format(total=30) if language == "en" else "준비됨"
        )
        for _ in range(5):
            app.processEvents()
        suffix = "" if mode == "sandbox" else f"-{mode}"
        path = out_dir / f"main-window-{language}{suffix}.png"
        window.grab().save(str(path))
        if mode == "sandbox":
            render_books(window, out_dir, language)
        window.close()
        backend.store.close()
    return path


def render_books(window, out_dir: Path, language: str, size=(1280, 800)) -> list[Path]:
    """The books window's three tabs (payments, settlement, audit) at 1280×800."""
    from datetime import timedelta

    from PySide6.QtWidgets import QApplication

    from kpadmin.gui import books_window as books

    app = QApplication.instance()
    today = window.backend.today()
    paths = []
    for tab, name in (
        (books.PAYMENTS, "payments"),
        (books.REPORT, "settlement"),
        (books.AUDIT, "audit"),
    ):
        w = window.open_books(tab)
        w.resize(*size)
        view = w.tabs.currentWidget()
        view.range.set_range(today - timedelta(days=29 if tab == books.REPORT else 120), today)
        for _ in range(5):
            app.processEvents()
        path = out_dir / f"{name}-{language}.png"
        w.grab().save(str(path))
        paths.append(path)
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    target.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "ko"):
        print(render(target, lang))
    print(render(target, "ko", mode="live"))
