"""Size of the packaged app: the onedir folder and its compressed archive, as JSON.

    .venv/bin/python bench/package_size.py              # measures dist/kpadmin (builds it if missing)
    .venv/bin/python bench/package_size.py --build      # rebuild with build.spec first
    .venv/bin/python bench/package_size.py --check      # exit 1 when over a target

Targets (issue 5): folder <= 350 MiB, archive (tar.gz, gzip -9) <= 150 MiB. Sizes are printed in
bytes, MiB (what `du -h` shows) and decimal MB. Also lists the largest files, which is where any
trimming has to start.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = ROOT / "dist" / "kpadmin"
FOLDER_TARGET_MIB = 350
ARCHIVE_TARGET_MIB = 150
MIB = 1024 * 1024


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


def tar_gz_size(folder: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / f"{folder.name}.tar.gz"
        with tarfile.open(archive, "w:gz", compresslevel=9) as tar:
            tar.add(folder, arcname=folder.name)  # symlinks stay symlinks
        return archive.stat().st_size


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
    started = time.monotonic()
    archive_bytes = tar_gz_size(args.folder)
    largest = sorted(files, key=lambda p: p.stat().st_size, reverse=True)[:10]
    within = folder_bytes <= FOLDER_TARGET_MIB * MIB and archive_bytes <= ARCHIVE_TARGET_MIB * MIB
    report = {
        "folder": str(args.folder),
        "platform": sys.platform,
        "files": len(files),
        "folder_size": sizes(folder_bytes),
        "archive_size": sizes(archive_bytes),
        "archive_format": "tar.gz (gzip -9)",
        "archive_seconds": round(time.monotonic() - started, 1),
        "build_seconds": build_seconds,
        "targets_mib": {"folder": FOLDER_TARGET_MIB, "archive": ARCHIVE_TARGET_MIB},
        "within_targets": within,
        "largest_files": [
            {"path": os.path.relpath(p, args.folder), "mib": round(p.stat().st_size / MIB, 1)}
            for p in largest
        ],
    }
    print(json.dumps(report, indent=2))
    return 1 if args.check and not within else 0


if __name__ == "__main__":
    raise SystemExit(main())
