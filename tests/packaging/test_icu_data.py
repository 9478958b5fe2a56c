"""The trimmed ICU data library (packaging/icu_data.py), checked against the real one in PySide6.

No PyInstaller needed: the package is read from the installed ``libicudata.so.NN``, filtered,
assembled into a library, and Qt run with that library preloaded must answer what kpadmin asks of
ICU (Korean/English collation, case mapping, Korean time-zone names, Korean codecs) exactly as with
the full one.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux ICU only")


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "kpadmin_icu_data", ROOT / "packaging" / "icu_data.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


icu = _load()


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("icudt73l/coll/ko.res", True),
        ("icudt73l/coll/root.res", True),
        ("icudt73l/coll/ucadata.icu", True),
        ("icudt73l/coll/zh.res", False),
        ("icudt73l/coll/de_.res", False),
        ("icudt73l/zone/ko.res", True),
        ("icudt73l/zone/en_GB.res", True),
        ("icudt73l/zone/fr.res", False),
        ("icudt73l/zone/pool.res", True),
        ("icudt73l/curr/res_index.res", True),
        ("icudt73l/ko_KR.res", True),
        ("icudt73l/ja.res", False),
        ("icudt73l/zoneinfo64.res", True),
        ("icudt73l/supplementalData.res", True),
        ("icudt73l/uprops.icu", True),
        ("icudt73l/cnvalias.icu", True),
        ("icudt73l/ibm-970_P110_P110-2006_U2.cnv", True),  # EUC-KR
        ("icudt73l/windows-949-2000.cnv", True),  # CP949
        ("icudt73l/ibm-1252_P100-2000.cnv", True),
        ("icudt73l/gb18030.cnv", False),
        ("icudt73l/ibm-943_P15A-2003.cnv", False),  # Shift_JIS
        ("icudt73l/brkitr/word.brk", True),
        ("icudt73l/brkitr/thaidict.dict", False),
        ("icudt73l/translit/root.res", False),
    ],
)
def test_keep_item(name: str, kept: bool) -> None:
    assert icu.keep_item(name) is kept


def _package(items: list[tuple[str, bytes]]) -> bytes:
    header = b"\x10\x00\xda\x27" + bytes(12)  # headerSize 16, magic, an empty UDataInfo
    return icu.write_package(header, items)


def test_write_then_read_gives_the_items_back_aligned() -> None:
    items = [
        ("icudt73l/coll/ko.res", b"K" * 17),
        ("icudt73l/coll/zh.res", b"Z" * 40),
        ("icudt73l/uprops.icu", b"U" * 16),
    ]
    data = _package(items)
    header, back = icu.read_package(data)
    assert header == data[:16]
    assert [(n, b.rstrip(b"\xaa")) for n, b in back] == items
    assert all(len(b) % 16 == 0 for _, b in back)
    trimmed, dropped = icu.filter_package(data)
    assert dropped == ["icudt73l/coll/zh.res"]
    assert [n for n, _ in icu.read_package(trimmed)[1]] == [
        "icudt73l/coll/ko.res",
        "icudt73l/uprops.icu",
    ]


def test_not_a_package_is_refused() -> None:
    with pytest.raises(ValueError, match="magic"):
        icu.read_package(b"\x10\x00\x00\x00" + bytes(20))


def _installed_icudata() -> Path | None:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    return found[0] if found else None


@pytest.fixture(scope="module")
def trimmed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    original = _installed_icudata()
    if original is None or not sys.platform.startswith("linux"):
        pytest.skip("this PySide6 has no bundled ICU data library (Linux wheels do)")
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("no C compiler: build.spec keeps the full ICU data library")
    built = icu.build_library(original, tmp_path_factory.mktemp("icu"))
    assert built is not None
    return original, built[0], built[1]


@linux_only
def test_the_real_package_survives_a_rewrite_byte_for_byte(
    trimmed: tuple[Path, Path, list[str]],
) -> None:
    original, _, _ = trimmed
    name, offset, size = icu._symbol(original)
    data = original.read_bytes()[offset : offset + size]
    assert icu.write_package(*icu.read_package(data)) == data
    assert name.startswith("icudt")


@linux_only
def test_trimmed_library_is_smaller_and_exports_the_same_symbol(
    trimmed: tuple[Path, Path, list[str]],
) -> None:
    original, built, dropped = trimmed
    assert built.name == original.name
    assert built.stat().st_size < original.stat().st_size / 3
    assert icu._symbol(built)[0] == icu._symbol(original)[0]
    assert any(name.endswith("/coll/zh.res") for name in dropped)


ASK_QT = (
    "import importlib.util, json, sys\n"
    "spec = importlib.util.spec_from_file_location('probe', sys.argv[1])\n"
    "probe = importlib.util.module_from_spec(spec); spec.loader.exec_module(probe)\n"
    "print(json.dumps(probe.icu_report(), ensure_ascii=False))\n"
)


def _ask_qt(preload: Path | None) -> dict[str, object]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if preload is not None:
        env["LD_PRELOAD"] = str(preload)  # same soname: Qt's ICU binds to this copy
    out = subprocess.run(
        [sys.executable, "-c", ASK_QT, str(ROOT / "packaging" / "webengine_probe.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


@linux_only
def test_qt_answers_the_same_with_the_trimmed_data(
    trimmed: tuple[Path, Path, list[str]],
) -> None:
    _, built, _ = trimmed
    full, small = _ask_qt(None), _ask_qt(built)
    assert small == full
    assert small["ko_order"] == ["가나", "나비", "하늘", "apple", "Zed"]
    assert small["tr_upper"] == "İSTANBUL"
    assert small["seoul_ko"] == "대한민국 표준시"
    assert small["codecs"] == {"EUC-KR": True, "CP949": True, "ISO-2022-KR": True,
                               "windows-1252": True}  # fmt: skip
