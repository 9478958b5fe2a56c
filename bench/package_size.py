"""Size of the packaged app: the onedir folder and its compressed archives, as JSON.

    .venv/bin/python bench/package_size.py           # measures dist/kpadmin (builds it if missing)
    .venv/bin/python bench/package_size.py --build   # rebuild with build.spec first
    .venv/bin/python bench/package_size.py --check   # exit 1 when over a target

Targets (issue 5): folder <= 350 MB and its compressed archive <= 150 MB, read as decimal MB (the
stricter reading; MiB are printed too). The Linux release archive is tar.xz: the same sorted,
root-owned tar and `xz -9` as packaging/linux/make_archive.sh (sizes agree to a few KB); tar.gz
(gzip -9) is measured beside it for comparison. Sizes in bytes, MiB (what `du -h` shows) and MB.
Also lists the largest files, which is where any trimming has to start. The xz pass takes a few
minutes on two cores.
"""

from __future__ import annotations

import argparse
import gzip
import json
import lzma
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = ROOT / "dist" / "kpadmin"
FOLDER_TARGET_MB = 350
ARCHIVE_TARGET_MB = 150
MB = 1000 * 1000
MIB = 1024 * 1024
RELEASE_FORMAT = "tar.xz (xz -9)"


def build() -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level=WARN",
         str(ROOT / "build.spec")],
        cwd=ROOT,
        check=True,
    )  # fmt: skip
    return time.monotonic() - started


def folder_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _tar(folder: Path, out: Path) -> None:
    """An uncompressed tar of ``folder`` as make_archive.sh writes it: sorted, owned by root."""

    def as_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as tar:
        tar.add(folder, arcname=folder.name, filter=as_root)  # symlinks stay symlinks


def archive_sizes(folder: Path) -> dict[str, tuple[int, float]]:
    """Bytes and seconds of the folder as tar.xz (xz -9) and tar.gz (gzip -9)."""
    result: dict[str, tuple[int, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "kpadmin.tar"
        _tar(folder, plain)
        started = time.monotonic()
        xz = shutil.which("xz")
        if xz:  # the command make_archive.sh runs (both cores)
            with plain.open("rb") as src, (Path(tmp) / "a.xz").open("wb") as dst:
                subprocess.run([xz, "-9", "-T0", "-c"], stdin=src, stdout=dst, check=True)
        else:
            with plain.open("rb") as src, lzma.open(Path(tmp) / "a.xz", "wb", preset=9) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        result["tar.xz"] = ((Path(tmp) / "a.xz").stat().st_size, time.monotonic() - started)
        started = time.monotonic()
        with plain.open("rb") as src, gzip.open(Path(tmp) / "a.gz", "wb", compresslevel=9) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        result["tar.gz"] = ((Path(tmp) / "a.gz").stat().st_size, time.monotonic() - started)
    return result


def sizes(n: int) -> dict[str, float | int]:
    return {"bytes": n, "mib": round(n / MIB, 1), "mb": round(n / 1e6, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--build", action="store_true", help="rebuild dist/kpadmin first")
    parser.add_argument("--check", action="store_true", help="exit 1 when over a target")
    args = parser.parse_args()

    build_seconds = None
    if args.build or (args.folder == DEFAULT_FOLDER and not args.folder.exists()):
        build_seconds = round(build(), 1)
    if not args.folder.is_dir():
        print(f"{args.folder} does not exist: run `make package` first", file=sys.stderr)
        return 2

    files = folder_files(args.folder)
    folder_bytes = sum(p.stat().st_size for p in files)
    archives = archive_sizes(args.folder)
    release_bytes = archives["tar.xz"][0]
    largest = sorted(files, key=lambda p: p.stat().st_size, reverse=True)[:10]
    within = folder_bytes <= FOLDER_TARGET_MB * MB and release_bytes <= ARCHIVE_TARGET_MB * MB
    report = {
        "folder": str(args.folder),
        "platform": sys.platform,
        "files": len(files),
        "folder_size": sizes(folder_bytes),
        "archive_format": RELEASE_FORMAT,
        "archive_size": sizes(release_bytes),
        "archives": {
            fmt: {**sizes(n), "seconds": round(seconds, 1)}
            for fmt, (n, seconds) in {
                RELEASE_FORMAT: archives["tar.xz"],
                "tar.gz (gzip -9)": archives["tar.gz"],
            }.items()
        },
        "build_seconds": build_seconds,
        "targets_mb": {"folder": FOLDER_TARGET_MB, "archive": ARCHIVE_TARGET_MB},
        "within_targets": within,
        "gzip_within_archive_target": archives["tar.gz"][0] <= ARCHIVE_TARGET_MB * MB,
        "largest_files": [
            {"path": os.path.relpath(p, args.folder), "mib": round(p.stat().st_size / MIB, 1)}
            for p in largest
        ],
    }
    print(json.dumps(report, indent=2))
    return 1 if args.check and not within else 0


if __name__ == "__main__":
    raise SystemExit(main())
