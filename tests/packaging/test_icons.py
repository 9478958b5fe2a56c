"""One icon design: the installer icons in packaging/icons/ are renderings of the app's own
resources/icons/kpadmin.svg (packaging/icons/make_icons.py), not a second drawing."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "packaging" / "icons"
# Pixel tolerance between the committed files and a fresh rendering: another Qt version may
# antialias an edge differently; another design differs by far more.
TOLERANCE = 24
MAX_DIFFERENT_PIXELS = 0.01


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kpadmin_make_icons", ICONS / "make_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _image(data: bytes) -> QImage:
    image = QImage.fromData(data)
    assert not image.isNull()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def _share_different(a: QImage, b: QImage) -> float:
    assert a.size() == b.size()
    different = 0
    for y in range(a.height()):
        for x in range(a.width()):
            pa, pb = a.pixelColor(x, y), b.pixelColor(x, y)
            channels = zip(pa.getRgb(), pb.getRgb(), strict=True)
            if any(abs(c1 - c2) > TOLERANCE for c1, c2 in channels):
                different += 1
    return different / (a.width() * a.height())


def _ico_entries(data: bytes) -> dict[int, bytes]:
    _, kind, count = struct.unpack_from("<HHH", data, 0)
    assert kind == 1
    entries = {}
    for i in range(count):
        side, _, _, _, _, _, size, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        entries[side or 256] = data[offset : offset + size]
    return entries


def _icns_entries(data: bytes) -> dict[bytes, bytes]:
    assert data[:4] == b"icns" and struct.unpack_from(">I", data, 4)[0] == len(data)
    entries, pos = {}, 8
    while pos < len(data):
        kind, size = data[pos : pos + 4], struct.unpack_from(">I", data, pos + 4)[0]
        entries[kind] = data[pos + 8 : pos + size]
        pos += size
    return entries


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("icons")
    assert _load().main(["--out", str(out)]) == 0
    return out


def test_the_app_svg_is_the_only_source() -> None:
    make_icons = _load()
    assert make_icons.SOURCE == ROOT / "resources" / "icons" / "kpadmin.svg"
    assert not list(ICONS.glob("*.svg")), "a second SVG in packaging/icons: one design only"


def test_committed_icons_are_renderings_of_the_app_svg(qapp: object, fresh: Path) -> None:
    committed, rendered = ICONS / "kpadmin.png", fresh / "kpadmin.png"
    share = _share_different(_image(committed.read_bytes()), _image(rendered.read_bytes()))
    assert share <= MAX_DIFFERENT_PIXELS, (
        "packaging/icons are out of date: run .venv/bin/python packaging/icons/make_icons.py"
    )


def test_ico_and_icns_hold_every_size_of_the_same_design(qapp: object, fresh: Path) -> None:
    reference = _image((fresh / "kpadmin.png").read_bytes())
    ico = _ico_entries((ICONS / "kpadmin.ico").read_bytes())
    assert sorted(ico) == [16, 24, 32, 48, 64, 128, 256]
    assert _share_different(_image(ico[256]), reference) <= MAX_DIFFERENT_PIXELS
    icns = _icns_entries((ICONS / "kpadmin.icns").read_bytes())
    assert b"ic10" in icns and b"icp4" in icns  # 1024 px and 16 px
    big = _image(icns[b"ic08"])  # 256 px
    assert _share_different(big, reference) <= MAX_DIFFERENT_PIXELS
