"""Linux: a smaller ``libicudata.so.73`` for the bundle -- ICU's data for Korean and English only.

Qt Core (only Qt Core: Chromium has its own ICU and ``icudtl.dat``) links ICU, whose data library
is 31 MiB: every locale's names, collations, units and time zones, Chinese/Japanese/Thai converters
and dictionaries, transliterators. Qt asks ICU for collation (QCollator, localeAwareCompare), locale
case mapping, time-zone display names and non-UTF codecs; its own QLocale tables cover the rest. So
the build keeps ICU's core data (properties, normalization, break rules, the time-zone database,
the converter aliases and the Korean and Western converters) and the ``root``, ``en*`` and ``ko*``
locales of every tree, and leaves out the rest (about 26 MB). Other locales then fall back to
``root``, as ICU does for any locale it has no data for.

The library holds one exported symbol, ``icudt73_dat``: an ICU "common data" package (a header,
a table of contents of names and offsets, then each item 16-byte aligned). :func:`filter_package`
rewrites that package without the dropped items; :func:`build_library` assembles it into a shared
library with the same soname and symbol (``.incbin``, needs a C compiler). Without one the build
keeps the original library and says so.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

LANGUAGES = ("en", "ko")
# A locale bundle: root or language[_Script][_REGION][_VARIANT] (not supplementalData.res etc.).
_LOCALE = re.compile(r"^(root|[a-z]{2,3}(_[A-Za-z0-9]*)*)\.res$")  # coll/de_.res too
# Converters Qt would only use for Chinese, Japanese and Taiwanese legacy encodings (and X11
# compound text). Korean (EUC-KR ibm-970, CP949 windows-949/ibm-949/ibm-1363, ISO-2022-KR) and the
# Western and single-byte tables stay.
_DROPPED_CONVERTERS = re.compile(
    r"^(cns-11643|euc-jp|euc-tw|gb18030|iso-ir-165|jisx-212|windows-(936|950)-|icu-internal-compound-"
    r"|ibm-(1371|1373|1375|1383|1386|1388|1390|1399|16684|33722|930|935|937|939|942|943|950|954"
    r"|964|5471|5478)_).*\.cnv$"
)
# Trees nothing in Qt reads: transliteration (no Transliterator in Qt).
_DROPPED_TREES = ("translit",)
# Word-break dictionaries (Chinese/Japanese, Thai, Lao, Khmer, Burmese; 3.4 MB): only ICU's
# BreakIterator reads them, and Qt breaks text with its own tables (QTextBoundaryFinder, layout).
_KEPT_DICTIONARIES: tuple[str, ...] = ()
_ALIGN = 16
_FILL = b"\xaa"  # what ICU's own tools pad with


def keep_item(name: str) -> bool:
    """Whether an item of the package (``icudt73l/coll/ko.res``) stays."""
    parts = name.split("/")[1:]  # without the package name
    if not parts:
        return True
    filename = parts[-1]
    tree = parts[0] if len(parts) > 1 else ""
    if tree in _DROPPED_TREES:
        return False
    if filename.endswith(".dict") and filename not in _KEPT_DICTIONARIES:
        return False
    if tree == "" and _DROPPED_CONVERTERS.match(filename):
        return False
    if filename == "res_index.res":  # each tree's list of its locales, not a locale
        return True
    if _LOCALE.match(filename):
        locale = filename.removesuffix(".res")
        return locale == "root" or locale.split("_", 1)[0] in LANGUAGES
    return True


def read_package(data: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The header and the (name, bytes) items of an ICU common data package (little-endian)."""
    header_size = struct.unpack_from("<H", data, 0)[0]
    if data[2:4] != b"\xda\x27":
        raise ValueError("not an ICU data package (magic 0xda27 missing)")
    toc = header_size
    count = struct.unpack_from("<I", data, toc)[0]
    entries = [struct.unpack_from("<II", data, toc + 4 + 8 * i) for i in range(count)]
    ends = [offset for _, offset in entries[1:]] + [len(data) - toc]
    items = []
    for (name_offset, data_offset), end in zip(entries, ends, strict=True):
        name_end = data.index(b"\0", toc + name_offset)
        name = data[toc + name_offset : name_end].decode("ascii")
        items.append((name, data[toc + data_offset : toc + end]))
    return data[:header_size], items


def _pad(n: int) -> int:
    return -n % _ALIGN


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The package bytes for ``items`` (kept in their sorted order: ICU binary-searches names)."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    toc_size = 4 + 8 * len(items)
    names_end = toc_size + len(names)
    offset = names_end + _pad(len(header) + names_end)
    name_offset = toc_size
    table = struct.pack("<I", len(items))
    body = b""
    for name, blob in items:
        table += struct.pack("<II", name_offset, offset + len(body))
        name_offset += len(name) + 1
        body += blob + _FILL * _pad(len(blob))
    return header + table + names + _FILL * _pad(len(header) + names_end) + body


def filter_package(data: bytes) -> tuple[bytes, list[str]]:
    """The package without the dropped items, and the names dropped."""
    header, items = read_package(data)
    kept = [(name, blob) for name, blob in items if keep_item(name)]
    dropped = [name for name, _ in items if not keep_item(name)]
    return write_package(header, kept), dropped


def _symbol(library: Path) -> tuple[str, int, int]:
    """The data symbol (``icudt73_dat``), its file offset and its size, read with readelf."""
    out = subprocess.run(
        ["readelf", "-W", "--dyn-syms", "-S", str(library)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    symbol = re.search(
        r":\s+([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\w+\s+\d+\s+(icudt\d+_dat)", out
    )
    rodata = re.search(r"\.rodata\s+PROGBITS\s+([0-9a-f]+)\s+([0-9a-f]+)", out)
    if not symbol or not rodata:
        raise ValueError(f"{library}: no icudt*_dat symbol in .rodata")
    address, size, name = int(symbol.group(1), 16), int(symbol.group(2), 0), symbol.group(3)
    section_address, section_offset = int(rodata.group(1), 16), int(rodata.group(2), 16)
    return name, address - section_address + section_offset, size


def build_library(original: Path, out_dir: Path) -> tuple[Path, list[str]] | None:
    """A trimmed copy of ``original`` (``libicudata.so.NN``) in ``out_dir``, and what was dropped;
    None when the tools are missing (no C compiler or readelf): the caller keeps the original."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None or shutil.which("readelf") is None:
        return None
    name, offset, size = _symbol(original)
    data = original.read_bytes()[offset : offset + size]
    trimmed, dropped = filter_package(data)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / original.name
    with tempfile.TemporaryDirectory() as tmp:
        package = Path(tmp) / f"{name}.dat"
        package.write_bytes(trimmed)
        source = Path(tmp) / "icudata.S"
        source.write_text(
            "\t.section .rodata\n\t.balign 16\n"
            f"\t.globl {name}\n\t.type {name}, @object\n\t.size {name}, {len(trimmed)}\n"
            f'{name}:\n\t.incbin "{package}"\n'
            '\t.section .note.GNU-stack,"",@progbits\n'
        )
        subprocess.run(
            [compiler, "-shared", "-nostdlib", f"-Wl,-soname,{original.name}", "-Wl,-s",
             "-o", str(target), str(source)],
            check=True,
        )  # fmt: skip
    return target, dropped
