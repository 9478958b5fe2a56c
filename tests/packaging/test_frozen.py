"""The frozen build's smoke test: build.spec built here, then its executables run offscreen.

One module-scoped build (reused while its inputs are unchanged, see frozen_build.py), then:
the version from both executables; the probe proving the frozen QtWebEngine paints a page; every
kpadmin module importable frozen; psycopg on the libpq its wheel bundles, talking to a real
PostgreSQL server (tests/fixtures/postgres.py); the frozen sandbox serving its API and iamport.js;
the files the app opens at run time present and the excluded Qt parts absent; and `kpadmin-cli
selftest`, as soon as kpadmin/gui/selftest.py exists (then a failure fails this test -- it never
skips).

Needs PyInstaller, which the `dev` extra brings (so `make test` runs all of this); installed
without it the module is skipped, saying so.
"""

from __future__ import annotations

import json
import os
import pkgutil
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import kpadmin
from tests.clock import TODAY, child_env
from tests.fixtures.postgres import PostgresDatabase
from tests.packaging import frozen_build

pytestmark = pytest.mark.skipif(
    frozen_build.pyinstaller_version() is None,
    reason="PyInstaller is not installed: pip install -e '.[dev]' (make test does)",
)

ROOT = frozen_build.ROOT
SELFTEST_SOURCE = ROOT / "kpadmin" / "gui" / "selftest.py"


@pytest.fixture(scope="module")
def frozen() -> Iterator[frozen_build.FrozenBuild]:
    with (
        frozen_build.exclusive()
    ):  # another run on this checkout waits rather than rebuilds under us
        result = frozen_build.build()
        how = "reused" if result.reused else f"built in {result.seconds:.0f} s"
        print(f"\nfrozen build {how}: {result.folder}")
        yield result


@pytest.fixture
def frozen_env(tmp_path: Path) -> dict[str, str]:
    """What a headless machine needs to run the frozen app, and a data dir of its own."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV", "QT_PLUGIN", "QML"))
    }
    env.update(
        QT_QPA_PLATFORM="offscreen",
        QTWEBENGINE_DISABLE_SANDBOX="1",
        QTWEBENGINE_CHROMIUM_FLAGS="--disable-gpu",
        KPADMIN_DATA_DIR=str(tmp_path / "data"),
    )
    return child_env(env)  # the tests' clock (KPADMIN_NOW), as for every kpadmin child


def run(
    exe: Path, *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(exe), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=exe.parent.parent,  # not the repository root: nothing may come from the source tree
        check=False,
    )


def source_modules() -> set[str]:
    names = {"kpadmin"}
    for info in pkgutil.walk_packages([str(ROOT / "kpadmin")], "kpadmin."):
        if info.name.rsplit(".", 1)[-1] != "__main__":
            names.add(info.name)
    return names


def test_both_executables_report_the_package_version(
    frozen: frozen_build.FrozenBuild, frozen_env: dict[str, str]
) -> None:
    for name in ("kpadmin", "kpadmin-cli"):
        result = run(frozen.exe(name), "--version", env=frozen_env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"kpadmin {kpadmin.__version__}"


def test_frozen_qtwebengine_renders_a_page(
    frozen: frozen_build.FrozenBuild, frozen_env: dict[str, str]
) -> None:
    result = run(frozen.exe("kpadmin-webengine-probe"), env=frozen_env)
    lines = result.stdout.strip().splitlines()
    assert lines, f"no output; stderr:\n{result.stderr[-3000:]}"
    report = json.loads(lines[-1])
    assert report["ok"] is True, (report, result.stderr[-3000:])
    assert report["title"] == "ready:42:120"
    # Chromium's ICU data is trimmed to Korean and English (build.spec): JavaScript's Intl still
    # formats won, Korean dates and weekdays, sorts Hangul, and a left-out locale falls back.
    assert report["intl"] == {
        "won": "₩9,900",
        "date": "2026년 12월 7일",
        "weekday": "월요일",
        "en_date": "December 7, 2026",
        "ko_order": ["가나", "나비", "하늘", "apple"],
        "upper": "İSTANBUL",
    }
    assert result.returncode == 0


def test_every_kpadmin_module_imports_frozen(
    frozen: frozen_build.FrozenBuild, frozen_env: dict[str, str]
) -> None:
    result = run(frozen.exe("kpadmin-webengine-probe"), "--import-all", env=frozen_env)
    lines = result.stdout.strip().splitlines()
    assert lines, f"no output; stderr:\n{result.stderr[-3000:]}"
    report = json.loads(lines[-1])
    assert report["failed"] == {}
    # The build may be a little older than the tree only if reused, and then it was rebuilt on
    # any change under kpadmin/, so the two lists must match exactly.
    assert set(report["imported"]) == source_modules()
    # Sample data lives in tests/ (tests/sample_data.py), never in what staff install.
    assert not [m for m in report["imported"] if "sample" in m]
    assert result.returncode == 0


def test_frozen_qt_gets_korean_and_english_from_the_bundled_icu(
    frozen: frozen_build.FrozenBuild, frozen_env: dict[str, str]
) -> None:
    """On Linux the bundle's ICU data is trimmed to Korean and English (packaging/icu_data.py)."""
    result = run(frozen.exe("kpadmin-webengine-probe"), "--icu", env=frozen_env)
    lines = result.stdout.strip().splitlines()
    assert lines, f"no output; stderr:\n{result.stderr[-3000:]}"
    report = json.loads(lines[-1])
    assert report["ko_order"] == ["가나", "나비", "하늘", "apple", "Zed"]
    assert report["en_order"] == ["apple", "Zed", "가나", "나비", "하늘"]
    assert report["tr_upper"] == "İSTANBUL"  # root data: a locale we left out still works
    assert report["seoul_ko"] == "대한민국 표준시"
    assert report["seoul_en"] == "Korean Standard Time"
    assert all(report["codecs"].values()), report["codecs"]
    assert result.returncode == 0


def psycopg_report(
    frozen: frozen_build.FrozenBuild, env: dict[str, str], *url: str
) -> dict[str, object]:
    result = run(frozen.exe("kpadmin-webengine-probe"), "--psycopg", *url, env=env)
    lines = result.stdout.strip().splitlines()
    assert lines, f"no output; stderr:\n{result.stderr[-3000:]}"
    assert result.returncode == 0, result.stderr[-3000:]
    report: dict[str, object] = json.loads(lines[-1])
    return report


def test_frozen_psycopg_uses_the_libpq_its_wheel_bundles(
    frozen: frozen_build.FrozenBuild, frozen_env: dict[str, str]
) -> None:
    """psycopg[binary]: the C wrapper and its own libpq, not a system libpq (staff PCs have
    none; this machine has Debian's, an older one, which must not be what loads)."""
    import psycopg

    report = psycopg_report(frozen, frozen_env)
    assert report["impl"] == "binary"
    assert report["libpq"] == psycopg.pq.version()  # the wheel's, as in the .venv
    libs = frozen.folder / "_internal" / "psycopg_binary.libs"
    if sys.platform.startswith("linux"):
        assert list(libs.glob("libpq-*.so*")), "the wheel's libpq is not in the bundle"


def test_frozen_psycopg_talks_to_a_real_postgresql_server(
    frozen: frozen_build.FrozenBuild, frozen_env: dict[str, str], postgres: PostgresDatabase
) -> None:
    report = psycopg_report(frozen, frozen_env, postgres.url)
    assert report["answer"] == [postgres.name, "한국어 ₩9,900"]
    assert report["ssl"] is False  # 127.0.0.1 without TLS; the URL may ask for it elsewhere


@pytest.fixture
def frozen_sandbox(
    frozen: frozen_build.FrozenBuild, frozen_env: dict[str, str]
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    proc = subprocess.Popen(
        [str(frozen.exe("kpadmin-cli")), "sandbox", "--port", "0"],
        env=frozen_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=frozen.folder.parent,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        if not first.startswith("http://127.0.0.1:"):
            proc.kill()
            _, err = proc.communicate(timeout=30)
            pytest.fail(f"frozen sandbox printed {first!r} first; stderr:\n{err[-3000:]}")
        yield first, proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)  # also closes the pipes of a sandbox that ended by itself


def test_frozen_sandbox_serves_the_api_and_the_sdk(
    frozen_sandbox: tuple[str, subprocess.Popen[str]],
) -> None:
    base_url, proc = frozen_sandbox
    with httpx.Client(base_url=base_url, timeout=30) as client:
        token = client.post(
            "/users/getToken", json={"imp_key": "sandbox-key", "imp_secret": "sandbox-secret"}
        )
        assert token.status_code == 200, token.text
        assert token.json()["code"] == 0
        assert token.json()["response"]["access_token"]
        sdk = client.get("/v1/iamport.js")  # a package data file: kpadmin/sandbox/static
        assert sdk.status_code == 200
        assert "request_pay" in sdk.text
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err[-3000:]


def test_frozen_notices_render_from_the_bundled_templates(
    frozen: frozen_build.FrozenBuild, frozen_env: dict[str, str]
) -> None:
    """Jinja2 and resources/notices are in the bundle: every notice renders, from the bundle's
    own copy of the templates (not the source tree)."""
    result = run(frozen.exe("kpadmin-webengine-probe"), "--notices", env=frozen_env)
    lines = result.stdout.strip().splitlines()
    assert lines, f"no output; stderr:\n{result.stderr[-3000:]}"
    report = json.loads(lines[-1])
    assert Path(report["root"]).is_relative_to(frozen.folder)
    assert len(report["subjects"]) == 8
    assert report["subjects"]["receipt/ko"] == "[카페 온도] 월간 구독 결제 완료 (₩12,300)"
    assert result.returncode == 0


def test_frozen_payments_export_writes_excel(
    frozen: frozen_build.FrozenBuild, frozen_env: dict[str, str], tmp_path: Path
) -> None:
    """openpyxl is in the bundle: the payments view's .xlsx export writes and reads back, with
    the Korean time of a charge made at 08:37 KST (23:37 UTC the day before)."""
    result = run(frozen.exe("kpadmin-webengine-probe"), "--xlsx", str(tmp_path), env=frozen_env)
    lines = result.stdout.strip().splitlines()
    assert lines, f"no output; stderr:\n{result.stderr[-3000:]}"
    report = json.loads(lines[-1])
    assert report["rows"][0] == ["time (KST)", "state", "name"]
    assert report["rows"][1] == ["2026-12-07 08:37:00", "paid", "김민지"]
    assert result.returncode == 0


def test_bundle_holds_what_the_app_opens_and_not_what_it_excludes(
    frozen: frozen_build.FrozenBuild,
) -> None:
    internal = frozen.folder / "_internal"
    qt = internal / "PySide6" if sys.platform == "win32" else internal / "PySide6" / "Qt"
    # Files the app and QtWebEngine open by path at run time.
    helper = "QtWebEngineProcess.exe" if sys.platform == "win32" else "libexec/QtWebEngineProcess"
    expected = [
        qt / helper,
        qt / "resources" / "qtwebengine_resources.pak",
        qt / "resources" / "icudtl.dat",
        qt / "translations" / "qtwebengine_locales" / "en-US.pak",
        qt / "translations" / "qtwebengine_locales" / "ko.pak",
        internal / "kpadmin" / "sandbox" / "static" / "iamport.js",
        # Alembic runs the store's migrations from files (a new database, an older kpadmin's).
        internal / "kpadmin" / "store" / "migrations" / "scripts" / "env.py",
        internal / "kpadmin" / "store" / "migrations" / "scripts" / "versions" / "0001_baseline.py",
    ]
    if sys.platform.startswith("linux") and (shutil.which("cc") or shutil.which("gcc")):
        # The trimmed ICU data (about 8 MB; PySide6's own is 32 MB), see packaging/icu_data.py.
        icudata = sorted((qt / "lib").glob("libicudata.so.*"))
        assert icudata and icudata[0].stat().st_size < 16_000_000
    if sys.platform.startswith("linux"):
        # The window icon is an SVG: Qt's SVG icon engine and image plugin, and their library.
        expected += [
            qt / "plugins" / "iconengines" / "libqsvgicon.so",
            qt / "plugins" / "imageformats" / "libqsvg.so",
            qt / "lib" / "libQt6Svg.so.6",
        ]
    for source in sorted((ROOT / "resources").rglob("*")):
        if source.is_file() and source.suffix != ".ts":
            expected.append(internal / source.relative_to(ROOT))
    missing = [str(p.relative_to(frozen.folder)) for p in expected if not p.exists()]
    assert missing == []
    # Trimmed: other languages, the QML import tree, modules nothing links, translation sources.
    locales = {p.name for p in (qt / "translations" / "qtwebengine_locales").iterdir()}
    assert locales == {"en-US.pak", "ko.pak"}
    assert not (qt / "qml").exists()
    everything = [p.relative_to(internal).as_posix() for p in internal.rglob("*")]
    for unwanted in ("Qt63D", "Qt6Multimedia", "Qt6Quick3D", "Qt6VirtualKeyboard", "QtOpenGL.abi3"):
        assert not [p for p in everything if unwanted in p], unwanted
    assert not [p for p in everything if p.endswith(".ts")]


@pytest.mark.skipif(
    not SELFTEST_SOURCE.exists(), reason="kpadmin/gui/selftest.py is not written yet"
)
def test_frozen_selftest_passes_offscreen(
    frozen: frozen_build.FrozenBuild, frozen_env: dict[str, str], tmp_path: Path
) -> None:
    shots = tmp_path / "shots"
    result = run(
        frozen.exe("kpadmin-cli"),
        "selftest",
        "--screenshots",
        str(shots),
        env=frozen_env,
        timeout=280,
    )
    assert result.returncode == 0, (
        f"stdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr[-3000:]}"
    )
    assert list(shots.glob("*.png")), "selftest saved no screenshot"


def test_frozen_app_upgrades_a_database_an_older_kpadmin_made(
    frozen: frozen_build.FrozenBuild, frozen_env: dict[str, str], tmp_path: Path
) -> None:
    """Alembic runs frozen, from the shipped script files: a user_version 1 file (the first
    kpadmin's) is brought to the current schema on first open and its rows read back."""
    import sqlite3

    from kpadmin.paths import mode_dir
    from kpadmin.runtime import DB_FILE
    from kpadmin.store.migrations import HEAD, SCHEMA_VERSION
    from tests.store.legacy import old_database

    db = mode_dir(Path(frozen_env["KPADMIN_DATA_DIR"]), "sandbox") / DB_FILE
    db.parent.mkdir(parents=True, exist_ok=True)
    old_database(db, 1)
    out = tmp_path / "subscribers.csv"
    result = run(frozen.exe("kpadmin-cli"), "export", "subscribers", str(out), env=frozen_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_text(encoding="utf-8-sig").count("cu-old-") == 2
    raw = sqlite3.connect(db)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
    finally:
        raw.close()


def test_frozen_app_uses_a_shared_postgresql_database(
    frozen: frozen_build.FrozenBuild,
    frozen_env: dict[str, str],
    postgres: PostgresDatabase,
    tmp_path: Path,
) -> None:
    """Issue #11 frozen: SQLAlchemy's psycopg dialect (loaded by name from the URL), Alembic's
    migrations on PostgreSQL from the shipped script files, and `db copy` into it."""
    from kpadmin.paths import mode_dir
    from kpadmin.runtime import DB_FILE
    from kpadmin.store import NewSubscriber, open_store
    from kpadmin.store.migrations import HEAD

    local = open_store(mode_dir(Path(frozen_env["KPADMIN_DATA_DIR"]), "sandbox") / DB_FILE)
    local.subscribers.add(NewSubscriber("cu-frozen", "홍길동", 9_900, 5, TODAY))
    local.close()
    copied = run(frozen.exe("kpadmin-cli"), "db", "copy", "--to", postgres.url, env=frozen_env)
    assert copied.returncode == 0, copied.stdout + copied.stderr
    out = tmp_path / "shared.csv"
    shared_env = {**frozen_env, "KPADMIN_DATABASE_URL": postgres.url}
    result = run(frozen.exe("kpadmin-cli"), "export", "subscribers", str(out), env=shared_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cu-frozen" in out.read_text(encoding="utf-8-sig")
    with postgres.connect() as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
