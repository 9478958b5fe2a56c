"""Render the app icon, resources/icons/kpadmin.svg, into the files installers need.

    .venv/bin/python packaging/icons/make_icons.py            # after editing the SVG
    .venv/bin/python packaging/icons/make_icons.py --out DIR  # elsewhere (the icon test)

One design, one source: the SVG the running app shows as its window icon (kpadmin/gui/app.py) is
also what the executables (build.spec), the Windows installer (packaging/windows/kpadmin.iss) and
the macOS bundle carry. Writes, next to this script: kpadmin.png (256 px), kpadmin.ico (Windows,
16-256 px) and kpadmin.icns (macOS, 16-1024 px, PNG entries). Both container
formats are written here rather than with Qt's single-image ico/icns writers so every size is
present. Uses only PySide6 (QtSvg), already a dependency; runs offscreen. The outputs are committed,
so a build never needs to run this; tests/packaging/test_icons.py fails when they no longer match
the SVG.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parents[1] / "resources" / "icons" / "kpadmin.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# icns element types holding PNG data (macOS 10.7+), by pixel size.
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),  # 16@2x
    (b"ic12", 64),  # 32@2x
    (b"ic13", 256),  # 128@2x
    (b"ic14", 512),  # 256@2x
)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # stubs say bytes; runtime wants str
        raise RuntimeError(f"could not encode a {image.width()} px PNG")
    buffer.close()
    return bytes(data.data())


def dib(image: QImage) -> bytes:
    """An ICO entry in the classic form (BITMAPINFOHEADER, 32-bit BGRA rows bottom-up, AND mask):
    what every Windows tool reads, including the resource editors of PyInstaller and Inno Setup."""
    size = image.width()
    argb = image.convertToFormat(QImage.Format.Format_ARGB32)  # straight alpha, BGRA in memory
    stride = size * 4
    raw = bytes(argb.constBits())
    rows = [raw[y * argb.bytesPerLine() : y * argb.bytesPerLine() + stride] for y in range(size)]
    mask_stride = ((size + 31) // 32) * 4  # all zero: the alpha channel decides
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    return header + b"".join(reversed(rows)) + bytes(mask_stride * size)


def ico(images: dict[int, QImage], pngs: dict[int, bytes]) -> bytes:
    """An ICO file: DIB entries up to 128 px, a PNG entry for 256 px (as Windows' own icons do)."""
    header = struct.pack("<HHH", 0, 1, len(ICO_SIZES))
    offset = 6 + 16 * len(ICO_SIZES)
    directory, data = b"", b""
    for size in ICO_SIZES:
        entry = pngs[size] if size >= 256 else dib(images[size])
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(entry), offset)
        data += entry
        offset += len(entry)
    return header + directory + data


def icns(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="where to write (default: here)")
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"cannot read {SOURCE}", file=sys.stderr)
        return 1
    images = {size: render(renderer, size) for size in PNG_SIZES}
    pngs = {size: png(image) for size, image in images.items()}
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    (out / "kpadmin.png").write_bytes(pngs[256])
    (out / "kpadmin.ico").write_bytes(ico(images, pngs))
    (out / "kpadmin.icns").write_bytes(icns(pngs))
    print(f"wrote kpadmin.png, kpadmin.ico and kpadmin.icns from {SOURCE.name} to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
