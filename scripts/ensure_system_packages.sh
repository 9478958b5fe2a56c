#!/usr/bin/env bash
# The system (Debian) packages the test suite needs, installed only when missing.
#
#     scripts/ensure_system_packages.sh      # `make test` and `make test-all` run it before pytest
#
# - Everything present: one dpkg query per package and nothing else (no apt-get update, no network).
# - Something missing, running as root with apt-get (CI: a fresh Debian 12 machine, Debian's registry
#   reachable): `apt-get update` once, then `apt-get install -y` of exactly what is missing.
# - Something missing and no way to install it (not root, no apt-get, no network): it says what is
#   missing and how to install it, and exits 0. The tests that need it then skip, saying why.
# KPADMIN_SKIP_SYSTEM_PACKAGES=1 skips all of this (say, a machine whose packages someone else manages).
#
# To add a package: one line in PACKAGES below, with the reason the tests need it.
set -uo pipefail

# "debian-package-name|why the tests need it"
PACKAGES=(
    "postgresql|the PostgreSQL tests (issue #11) start a throwaway cluster of Debian's PostgreSQL (15 on Debian 12)"
)

say() { printf 'ensure_system_packages: %s\n' "$*" >&2; }

if [[ "${KPADMIN_SKIP_SYSTEM_PACKAGES:-}" == 1 ]]; then
    exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    # Not Debian-like: nothing here can check or install; the tests find the programs themselves.
    exit 0
fi

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=()
for entry in "${PACKAGES[@]}"; do
    name=${entry%%|*}
    installed "$name" || missing+=("$name")
done
((${#missing[@]} == 0)) && exit 0

for entry in "${PACKAGES[@]}"; do
    name=${entry%%|*}
    [[ " ${missing[*]} " == *" $name "* ]] && say "missing: $name (${entry#*|})"
done

if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    say "cannot install them here (needs root and apt-get): run 'sudo apt-get install -y ${missing[*]}'"
    say "continuing: the tests that need them will be skipped, each saying why"
    exit 0
fi

# Installing a server package must not start a system service as a side effect of `make test`:
# invoke-rc.d asks /usr/sbin/policy-rc.d, and 101 means "action forbidden" (invoke-rc.d(8)).
# Docker's Debian images already ship that file; elsewhere ours lives only for the install.
policy=/usr/sbin/policy-rc.d
if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\n# kpadmin scripts/ensure_system_packages.sh: no service starts while it installs\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
fi

export DEBIAN_FRONTEND=noninteractive
apt_options=(-q -o Acquire::Retries=2 -o Acquire::http::Timeout=30 -o Dpkg::Use-Pty=0)
say "installing: ${missing[*]}"
# The package lists of a fresh machine are empty or old: refresh them, only now that it matters.
if ! apt-get "${apt_options[@]}" update >/dev/null; then
    say "apt-get update failed (no network or registry?): trying the install with the lists as they are"
fi
if ! apt-get "${apt_options[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null; then
    say "apt-get install ${missing[*]} failed; continuing: the tests that need them will be skipped, each saying why"
    exit 0
fi
say "installed: ${missing[*]}"
