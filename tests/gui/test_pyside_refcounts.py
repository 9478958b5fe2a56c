"""The installed PySide6 keeps its reference counts (STYLE.md pitfall 11; pyside_refcounts.py).

PySide6 6.12.0 on CPython 3.11 dropped a reference to None on every void Qt call and to True on
every emit, and a long session aborted. pyproject.toml pins a version that does not; these tests
fail on any version (an upgrade, a different wheel) that does it again.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests import pyside_refcounts

ROOT = Path(__file__).resolve().parents[2]


def test_void_calls_and_emits_keep_the_reference_counts_of_none_true_and_false() -> None:
    assert pyside_refcounts.leaks(5_000) == {}, pyside_refcounts.versions()


def test_a_fresh_interpreter_survives_sixty_thousand_rounds_of_calls_and_emits() -> None:
    # Each probe's figures come first (100 calls each); then 600,000 calls: in a fresh interpreter
    # True has about 600 references and None 5,000, so a leaking binding aborts ("deallocating
    # None") long before the end.
    done = subprocess.run(
        [sys.executable, "-m", "tests.pyside_refcounts"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    moved = {line["probe"]: line["moved"] for line in lines if "probe" in line}
    assert len(moved) == 6
    for probe, deltas in moved.items():
        assert all(abs(d) <= pyside_refcounts.TOLERANCE for d in deltas.values()), (probe, deltas)
    assert lines[-1] == {"alive": True}


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None/True/False are immortal on 3.12+")
def test_the_probe_sees_counts_move() -> None:
    # The probe itself must be able to fail: here each "call" keeps one more reference to None
    # and to True (a leak drops them instead: the same distance, the other way).
    held: list[object] = []
    moved = pyside_refcounts._moved(lambda: held.extend((None, True)), 1_000)
    assert moved["None"] >= 1_000 - pyside_refcounts.TOLERANCE
    assert moved["True"] >= 1_000 - pyside_refcounts.TOLERANCE
    assert abs(moved["False"]) <= pyside_refcounts.TOLERANCE
