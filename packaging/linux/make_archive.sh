#!/usr/bin/env bash
# The Linux release archive: dist/kpadmin (from `make package`) as dist/kpadmin-<version>-linux-x86_64.tar.xz.
#
#   make package && bash packaging/linux/make_archive.sh
#
# xz -9 (what Linux desktop apps usually ship; about 30% smaller than gzip -9 on this folder, see
# bench/package_size.py). Entries sorted, owned by root, so two archives of one build match. The
# folder runs from wherever it is unpacked; it needs the system libraries the PySide6 wheel needs
# (README, Packaging).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [[ ! -x dist/kpadmin/kpadmin ]]; then
    echo "no dist/kpadmin/kpadmin: run 'make package' first" >&2
    exit 1
fi
VERSION=$(dist/kpadmin/kpadmin --version | awk '{print $2}')
OUT="dist/kpadmin-$VERSION-linux-$(uname -m).tar.xz"
tar --sort=name --owner=0 --group=0 --numeric-owner -C dist -cf - kpadmin | xz -9 -T0 > "$OUT.part"
mv "$OUT.part" "$OUT"
echo "$OUT"
