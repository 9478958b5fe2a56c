"""A QtWebEngine probe that packaging tests build next to the app (never shipped).

It proves that a frozen build really runs Chromium: the helper process starts, resources and locales
are found, JavaScript runs and the page is painted. It loads a small page, reads a value the page's
script computed, grabs the painted view and checks two pixels, then prints one JSON line and exits
0 (or 1, with the reason). Built only when `KPADMIN_BUILD_PROBE=1` (see build.spec).

``--import-all`` instead imports every module of the frozen ``kpadmin`` package (and the modules
libraries load by name) and prints which imported and which failed: a module PyInstaller missed,
or one that needs a file the build left out, shows up here rather than in a staff member's hands.
``--icu`` prints what Qt gets from the bundled ICU data (see packaging/icu_data.py).
``--psycopg [URL]`` prints which libpq psycopg uses frozen and, given a URL, what the server says.
``--notices`` renders every customer notice in every language from the bundled templates
(resources/notices, Jinja2) and prints their subjects and where the templates were found.
``--xlsx DIR`` writes the payments view's Excel export (openpyxl) into DIR, reads it back and
prints what it holds.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QColor
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication

# A dark box on Kakao yellow; the script writes what the layout engine measured into the title.
PAGE = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>loading</title></head>
<body style="margin:0;background:#fee500">
<div id="box" style="width:120px;height:80px;background:#191919"></div>
<p>구독 결제 ₩9,900</p>
<script>
const width = document.getElementById("box").getBoundingClientRect().width;
// What Chromium's (trimmed) ICU data gives JavaScript for Korean: read back by the probe.
const seoulNoon = new Date(Date.UTC(2026, 11, 6, 15, 30));
document.body.dataset.intl = JSON.stringify({
  won: new Intl.NumberFormat("ko-KR", {style: "currency", currency: "KRW"}).format(9900),
  date: new Intl.DateTimeFormat("ko-KR", {timeZone: "Asia/Seoul", dateStyle: "long"})
    .format(seoulNoon),
  weekday: new Intl.DateTimeFormat("ko-KR", {timeZone: "Asia/Seoul", weekday: "long"})
    .format(seoulNoon),
  en_date: new Intl.DateTimeFormat("en-US", {timeZone: "Asia/Seoul", dateStyle: "long"})
    .format(seoulNoon),
  ko_order: ["하늘", "apple", "나비", "가나"].sort(new Intl.Collator("ko").compare),
  upper: "istanbul".toLocaleUpperCase("tr"),
});
document.title = "ready:" + (6 * 7) + ":" + width;
</script></body></html>"""
EXPECTED_TITLE = "ready:42:120"
DARK, YELLOW = (0x19, 0x19, 0x19), (0xFE, 0xE5, 0x00)
TIMEOUT_MS = 60_000


def _close(color: QColor, rgb: tuple[int, int, int]) -> bool:
    ours = (color.red(), color.green(), color.blue())
    return all(abs(a - b) <= 24 for a, b in zip(ours, rgb, strict=True))


class Probe:
    """One off-the-record view that loads PAGE and checks it."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.result: dict[str, object] = {"ok": False}
        self.profile = QWebEngineProfile()  # off the record: the probe leaves nothing on disk
        self.page = QWebEnginePage(self.profile)
        self.view = QWebEngineView()
        self.view.setPage(self.page)
        self.view.resize(320, 200)
        self.page.loadFinished.connect(self._on_loaded)

    def start(self) -> None:
        self.view.show()
        QTimer.singleShot(TIMEOUT_MS, lambda: self._finish(False, "timed out"))
        self.page.setHtml(PAGE, QUrl("http://probe.invalid/"))

    def close(self) -> None:
        # The page must go before its profile, or Qt warns and may crash at exit.
        self.view.close()
        self.view.setPage(None)  # type: ignore[arg-type]
        del self.view
        del self.page
        del self.profile

    def _finish(self, ok: bool, reason: str) -> None:
        if "reason" in self.result:
            return
        self.result.update(ok=ok, reason=reason)
        self.app.exit(0 if ok else 1)

    def _on_loaded(self, ok: bool) -> None:
        if not ok:
            self._finish(False, "loadFinished(false)")
            return
        self.page.runJavaScript("document.title", 0, self._on_title)

    def _on_title(self, title: object) -> None:
        self.result["title"] = title
        if title != EXPECTED_TITLE:
            self._finish(False, f"script result {title!r}, expected {EXPECTED_TITLE!r}")
            return
        self.page.runJavaScript("document.body.dataset.intl", 0, self._on_intl)

    def _on_intl(self, intl: object) -> None:
        self.result["intl"] = json.loads(intl) if isinstance(intl, str) else intl
        QTimer.singleShot(500, self._check_pixels)  # give the compositor a frame or two

    def _check_pixels(self) -> None:
        image = self.view.grab().toImage()
        dark, light = image.pixelColor(20, 20), image.pixelColor(250, 150)
        self.result["pixels"] = [dark.name(), light.name()]
        if _close(dark, DARK) and _close(light, YELLOW):
            self._finish(True, "rendered")
        else:
            self._finish(False, "the page was not painted as expected")


# Modules libraries load by name at run time, which an import scan cannot see: uvicorn's loop and
# protocol choices, psycopg and the libpq wrapper it picks (psycopg_binary, with its bundled libpq),
# and this platform's keyring backend (with what it needs, e.g. secretstorage).
BY_NAME = {
    "all": (
        "uvicorn.loops.auto",
        "uvicorn.protocols.http.auto",
        "uvicorn.lifespan.on",
        "psycopg",
        "psycopg_binary.pq",
        "psycopg_binary._psycopg",
        "sniffio",  # httpcore's per-request import (build.spec)
    ),
    "linux": ("keyring.backends.SecretService", "secretstorage"),
    "win32": ("keyring.backends.Windows",),
    "darwin": ("keyring.backends.macOS",),
}


def import_all() -> int:
    """Import every kpadmin module (except ``__main__``, which runs the app) and BY_NAME's."""
    import kpadmin

    imported: list[str] = ["kpadmin"]
    failed: dict[str, str] = {}
    names = [info.name for info in pkgutil.walk_packages(kpadmin.__path__, "kpadmin.")]
    platform = "linux" if sys.platform.startswith("linux") else sys.platform
    extra = [*BY_NAME["all"], *BY_NAME.get(platform, ())]
    for name in [*names, *extra]:
        if name.rsplit(".", 1)[-1] == "__main__":
            continue
        try:
            importlib.import_module(name)
        except Exception as exc:  # report every failure, not just the first
            failed[name] = f"{type(exc).__name__}: {exc}"
        else:
            if name.startswith("kpadmin"):
                imported.append(name)
    report = {"imported": sorted(imported), "by_name": extra, "failed": failed}
    print(json.dumps(report), flush=True)
    return 1 if failed else 0


def psycopg_report(url: str | None) -> dict[str, object]:
    """Which libpq wrapper psycopg picked frozen ("binary": the wheel's own libpq, so staff PCs
    need none), that libpq's version and, given a database URL, what a real server answers."""
    import psycopg

    report: dict[str, object] = {
        "impl": psycopg.pq.__impl__,
        "libpq": psycopg.pq.version(),
    }
    if url:
        with psycopg.connect(url, connect_timeout=30) as conn:
            row = conn.execute("SELECT current_database(), %s::text", ("한국어 ₩9,900",)).fetchone()
            report["answer"] = list(row) if row else None
            report["server_version"] = conn.info.server_version
            report["ssl"] = conn.pgconn.ssl_in_use
    return report


def icu_report() -> dict[str, object]:
    """What Qt asks ICU for, answered by the bundled (trimmed, on Linux) ICU data: Korean and
    English collation, locale case mapping, a time zone's Korean name, the Korean codecs."""
    from functools import cmp_to_key

    from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone

    names = ["하늘", "Zed", "가나", "apple", "나비"]
    seoul = QTimeZone(b"Asia/Seoul")
    standard, long_name = QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName
    return {
        "ko_order": sorted(names, key=cmp_to_key(QCollator(QLocale("ko_KR")).compare)),
        "en_order": sorted(names, key=cmp_to_key(QCollator(QLocale("en_US")).compare)),
        "tr_upper": QLocale("tr_TR").toUpper("istanbul"),
        "seoul_ko": seoul.displayName(standard, long_name, QLocale("ko_KR")),
        "seoul_en": seoul.displayName(standard, long_name, QLocale("en_US")),
        "codecs": {
            name: QStringDecoder(name).isValid()
            for name in ("EUC-KR", "CP949", "ISO-2022-KR", "windows-1252")
        },
    }


def notices_report() -> dict[str, object]:
    """Every notice kind in every language, rendered from the templates the bundle carries."""
    from datetime import UTC, date, datetime

    from kpadmin.billing import notices
    from kpadmin.billing.notices import rendering

    who = notices.Recipient("김민지", "minji@example.com", "010-1234-5678")
    at = datetime(2026, 3, 5, 5, 5, tzinfo=UTC)
    every = [
        notices.Receipt(who, "월간 구독", 12_300, "2026-03", "kp-1", at, "5365101234565766"),
        notices.Decline(who, "월간 구독", 12_300, "2026-03", "kp-2", at, date(2026, 3, 6)),
        notices.PastDue(who, "월간 구독", 12_300, "2026-03", "cu_1", at),
        notices.Advance(who, "월간 구독", 12_300, "cu_1", date(2026, 4, 5), 3),
    ]
    merchant = notices.Merchant("카페 온도", "02-555-0100")
    subjects = {
        f"{facts.kind.value}/{language}": notices.render(
            facts, merchant=merchant, language=language
        ).subject
        for facts in every
        for language in notices.LANGUAGES
    }
    return {"root": str(rendering.templates_root()), "subjects": subjects}


def xlsx_report(folder: str) -> dict[str, object]:
    """The payments export as Excel (openpyxl), written and read back with the bundled code."""
    from datetime import UTC, datetime
    from pathlib import Path

    from openpyxl import load_workbook

    from kpadmin.billing import payments_view
    from kpadmin.store.ledger import LedgerLine
    from kpadmin.store.models import ChargeState

    line = LedgerLine(
        1, 1, "김민지", "010-1234-5678", "월간 구독", "cu_1", "2026-12", 1, "kp-1", "imp_1",
        ChargeState.PAID, 12_300, 12_300, 0, None, datetime(2026, 12, 6, 23, 37, tzinfo=UTC),
        "b", "staff",
    )  # fmt: skip
    path = Path(folder) / "payments.xlsx"
    payments_view.write_xlsx(path, [line])
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    return {"path": str(path), "rows": [[str(v) for v in row[:3]] for row in rows]}


def main() -> int:
    if "--xlsx" in sys.argv[1:]:
        folder = sys.argv[sys.argv.index("--xlsx") + 1]
        print(json.dumps(xlsx_report(folder), ensure_ascii=False), flush=True)
        return 0
    if "--notices" in sys.argv[1:]:
        print(json.dumps(notices_report(), ensure_ascii=False), flush=True)
        return 0
    if "--import-all" in sys.argv[1:]:
        return import_all()
    if "--psycopg" in sys.argv[1:]:
        rest = sys.argv[sys.argv.index("--psycopg") + 1 :]
        print(json.dumps(psycopg_report(rest[0] if rest else None), ensure_ascii=False), flush=True)
        return 0
    if "--icu" in sys.argv[1:]:
        print(json.dumps(icu_report(), ensure_ascii=False), flush=True)
        return 0
    app = QApplication(sys.argv)
    probe = Probe(app)
    probe.start()
    code = app.exec()
    probe.close()
    print(json.dumps(probe.result, ensure_ascii=False), flush=True)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
