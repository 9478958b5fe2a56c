"""scripts/ensure_system_packages.sh, which `make test` runs before pytest: it installs only what
is missing, touches neither apt nor the network when nothing is, and never stops the test run.

dpkg-query, id and apt-get are stand-ins on PATH here (scripts that log their arguments), so
these tests install nothing and run anywhere bash does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "ensure_system_packages.sh"
POLICY = Path("/usr/sbin/policy-rc.d")
BASH = shutil.which("bash") or "/bin/bash"

FAKES = {
    # Installed: what FAKE_INSTALLED lists.
    "dpkg-query": """#!/bin/sh
pkg=$(eval echo \\${$#})
case " $FAKE_INSTALLED " in *" $pkg "*) printf 'install ok installed' ;; *) exit 1 ;; esac
""",
    "id": """#!/bin/sh
echo "$FAKE_UID"
""",
    "apt-get": """#!/bin/sh
echo "$* policy=$(test -e /usr/sbin/policy-rc.d && /usr/sbin/policy-rc.d; echo $?)" >>"$FAKE_LOG"
case "$*" in *install*) exit "${FAKE_INSTALL_RC:-0}" ;; esac
""",
}


def run(
    tmp_path: Path, *, installed: str, uid: int, apt: bool = True, **env: str
) -> tuple[int, str, list[str]]:
    # PATH is this folder alone: the stand-ins and the few real tools the script uses, so the
    # machine's own apt-get can never run from here.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, body in FAKES.items():
        if name == "apt-get" and not apt:
            continue
        (bin_dir / name).write_text(body)
        (bin_dir / name).chmod(0o755)
    for tool in ("grep", "chmod", "rm"):
        real = shutil.which(tool)
        assert real is not None
        (bin_dir / tool).symlink_to(real)
    assert shutil.which("apt-get", path=str(bin_dir)) in (None, str(bin_dir / "apt-get"))
    log = tmp_path / "apt.log"
    done = subprocess.run(
        [BASH, str(SCRIPT)],
        env={
            "PATH": str(bin_dir),
            "FAKE_INSTALLED": installed,
            "FAKE_UID": str(uid),
            "FAKE_LOG": str(log),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    calls = log.read_text().splitlines() if log.exists() else []
    return done.returncode, done.stderr, calls


def test_nothing_missing_means_no_apt_at_all(tmp_path: Path) -> None:
    code, err, calls = run(tmp_path, installed="postgresql", uid=0)
    assert (code, err, calls) == (0, "", [])


def test_as_root_it_refreshes_the_lists_then_installs_only_what_is_missing(tmp_path: Path) -> None:
    policy_before = POLICY.exists()
    code, err, calls = run(tmp_path, installed="", uid=0)
    assert code == 0, err
    assert len(calls) == 2
    assert " update" in calls[0]
    assert calls[1].split(" policy=")[0].endswith("install -y --no-install-recommends postgresql")
    # No service may start while it installs; a policy file of its own is gone afterwards.
    if os.geteuid() == 0 or policy_before:
        assert calls[1].endswith("policy=101")
    assert POLICY.exists() == policy_before
    assert "missing: postgresql (the PostgreSQL tests" in err
    assert "installed: postgresql" in err


def test_a_failed_install_says_so_and_lets_the_tests_run(tmp_path: Path) -> None:
    code, err, calls = run(tmp_path, installed="", uid=0, FAKE_INSTALL_RC="100")
    assert code == 0
    assert len(calls) == 2
    assert "apt-get install postgresql failed" in err
    assert "will be skipped, each saying why" in err


@pytest.mark.parametrize("uid, apt", [(1000, True), (0, False)], ids=["not-root", "no-apt"])
def test_without_a_way_to_install_it_names_what_is_missing_and_continues(
    tmp_path: Path, uid: int, apt: bool
) -> None:
    code, err, calls = run(tmp_path, installed="", uid=uid, apt=apt)
    assert code == 0
    assert calls == []
    assert "missing: postgresql" in err
    assert "sudo apt-get install -y postgresql" in err


def test_it_can_be_switched_off(tmp_path: Path) -> None:
    code, err, calls = run(tmp_path, installed="", uid=0, KPADMIN_SKIP_SYSTEM_PACKAGES="1")
    assert (code, err, calls) == (0, "", [])
