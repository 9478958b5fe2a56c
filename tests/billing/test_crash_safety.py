"""Crash safety: `kpadmin charge-due` in a child process, against a sandbox in another process
(with latency), killed with SIGKILL at random points, then run again until done.

Afterwards the sandbox holds exactly one paid payment per subscriber and period, the local paid set
equals the sandbox's, nothing is in doubt after reconcile, and the database passes
``PRAGMA integrity_check``. The kill points are chosen two ways: at a random time (start-up,
reconciliation, the intent transaction, the first sends) and when the journal shows a random
amount of progress (mid-batch, with requests in flight and results still buffered).

Disk full mid-batch (injected into the journal's writes, and a real tmpfs filled to the last
block): the batch stops sending at the first failed journal write and exits DISK with one message;
after the next normal run every subscriber is paid exactly once, the journal equal to the sandbox.
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from kpadmin.exitcodes import ExitCode
from tests.billing import helpers as h
from tests.clock import TODAY, add_months
from tests.fixtures.disk import SmallDisk, fill
from tests.fixtures.sandbox import SandboxProcess

DUE = TODAY - timedelta(days=12)  # relative to the injected today (tests/clock.py)


def _settled(db: Path) -> int:
    """Rows whose outcome the child has written (paid/declined/…), from another connection."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=5)
    try:
        return int(
            conn.execute(
                "SELECT count(*) FROM charges WHERE state NOT IN ('planned', 'sent')"
            ).fetchone()[0]
        )
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0
    finally:
        conn.close()


def crash_loop(
    sandbox_process: Callable[..., SandboxProcess],
    tmp_path: Path,
    *,
    subscribers: int,
    kills: int,
    seed: int,
    latency_ms: int = 100,
    faults: tuple[str, ...] = (),
) -> None:
    rng = random.Random(seed)
    box = sandbox_process(
        "--port", "0", "--latency-ms", str(latency_ms), "--seed", str(seed), *faults
    )
    data = tmp_path / "data"
    uids = h.prepare(data, box.base_url, subscribers, due=DUE)
    db = h.db_path(data)
    done_kills = 0
    finished = False
    runs = 0
    while done_kills < kills and not finished:
        runs += 1
        child = subprocess.Popen(
            h.kpadmin_command(data, "charge-due", "--yes", "--json", "--concurrency", "2"),
            cwd=h.REPO_ROOT,
            env=h.child_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if rng.random() < 0.3:
            deadline = time.monotonic() + rng.uniform(0.05, 1.5)  # anywhere early
            target = None
        else:
            deadline = time.monotonic() + 60
            target = _settled(db) + rng.randint(0, 3)  # mid-batch
        while child.poll() is None and time.monotonic() < deadline:
            if target is not None and _settled(db) >= target:
                break
            time.sleep(0.01)
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            done_kills += 1
        else:
            assert child.returncode in (0, 1), child.stderr.read() if child.stderr else ""
            finished = child.returncode == 0 and _settled(db) >= subscribers
        if child.stderr:
            child.stderr.close()
    assert done_kills >= kills, f"only {done_kills} kills happened before the batch finished"

    # Run again until everything is charged (a run ending 1 left something to settle).
    for _ in range(10):
        result = h.run_kpadmin(data, "charge-due", "--yes", "--json")
        assert result.returncode in (0, 1), result.stderr
        if result.returncode == 0 and json.loads(result.stdout)["due"] == 0:
            break
    else:
        pytest.fail("charge-due never settled")
    time.sleep(latency_ms / 1000 * 3)  # let any request of a killed child land at the sandbox
    final = h.run_kpadmin(data, "reconcile", "--json")
    assert final.returncode == 0, final.stdout + final.stderr

    paid_remote = h.paid_at_sandbox(box.base_url, uids)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute(
            "SELECT s.customer_uid, c.period, c.merchant_uid, c.state FROM charges c "
            "JOIN subscribers s ON s.id = c.subscriber_id"
        ).fetchall()
        doubt = [r for r in rows if r[3] in ("planned", "sent", "unknown")]
        assert doubt == []
        local_paid = {r[2] for r in rows if r[3] == "paid"}
        by_subscriber_period: dict[tuple[str, str], int] = {}
        for uid, period, _merchant_uid, state in rows:
            if state == "paid":
                key = (uid, period)
                by_subscriber_period[key] = by_subscriber_period.get(key, 0) + 1
        next_dates = {
            r[0] for r in conn.execute("SELECT DISTINCT next_charge_date FROM subscribers")
        }
    finally:
        conn.close()
    # Exactly one paid payment per subscriber and period at the sandbox…
    assert all(n == 1 for n in paid_remote.values()), paid_remote
    muid_owner = {r[2]: (r[0], r[1]) for r in rows}
    remote_per_period: dict[tuple[str, str], int] = {}
    for merchant_uid in paid_remote:
        owner = muid_owner[merchant_uid]  # …every one of them journaled locally…
        remote_per_period[owner] = remote_per_period.get(owner, 0) + 1
    assert sorted(remote_per_period) == sorted((uid, f"{DUE:%Y-%m}") for uid in uids)
    assert set(remote_per_period.values()) == {1}
    # …and the local paid set is exactly the sandbox's.
    assert local_paid == set(paid_remote)
    assert set(by_subscriber_period.values()) == {1}
    assert next_dates == {add_months(DUE, 1).isoformat()}


def test_crash_safety_short(sandbox_process: Callable[..., SandboxProcess], tmp_path: Path) -> None:
    crash_loop(sandbox_process, tmp_path, subscribers=30, kills=5, seed=11)


def test_crash_safety_short_with_lost_answers(
    sandbox_process: Callable[..., SandboxProcess], tmp_path: Path
) -> None:
    """Kills on top of answers lost after processing (HTTP 500 after the charge, dropped
    connections): the same end state."""
    crash_loop(
        sandbox_process,
        tmp_path,
        subscribers=30,
        kills=5,
        seed=12,
        faults=(
            "--fault-error-after",
            "0.15",
            "--fault-drop-after",
            "0.15",
            "--fault-endpoints",
            "again,payment_find_all",
        ),
    )


@pytest.mark.slow
def test_crash_safety_full(sandbox_process: Callable[..., SandboxProcess], tmp_path: Path) -> None:
    crash_loop(sandbox_process, tmp_path, subscribers=120, kills=24, seed=2026)


# -- disk full mid-batch ---------------------------------------------------------------------------

#: `charge-due` in a child whose journal (and engine) writes fail from the `fail_from`-th journal
#: group on, as SQLite fails them on a full disk: COMMIT raises "database or disk is full".
DISK_FULL_CHILD = r"""
import sqlite3, sys
from contextlib import contextmanager
from kpadmin.billing.journal import Journal
from kpadmin.store import Store

data_dir, fail_from = sys.argv[1], int(sys.argv[2])
real_transaction, real_commit = Store.transaction, Journal._commit
groups = [0]

def counting_commit(self, writes, background):
    groups[0] += 1
    return real_commit(self, writes, background)

@contextmanager
def failing_transaction(self):
    with real_transaction(self):
        yield
        if groups[0] >= fail_from:  # from that group on, and the batch's other writes too
            raise sqlite3.OperationalError("database or disk is full")

Journal._commit = counting_commit
Store.transaction = failing_transaction
from kpadmin.cli import main
sys.exit(main(["--data-dir", data_dir, "charge-due", "--yes", "--json", "--concurrency", "2"]))
"""


def _assert_each_paid_once(box: SandboxProcess, data: Path, uids: list[str]) -> None:
    """Run `charge-due` until nobody is due, reconcile, then: every subscriber paid exactly once
    for one period at the sandbox, each of those payments journaled paid, nothing in doubt, the
    database intact. (The period is whatever the run's date made due: checked, not assumed.)"""
    for _ in range(10):
        result = h.run_kpadmin(data, "charge-due", "--yes", "--json")
        assert result.returncode in (0, 1), result.stderr
        if result.returncode == 0 and json.loads(result.stdout)["due"] == 0:
            break
    else:
        pytest.fail("charge-due never settled")
    final = h.run_kpadmin(data, "reconcile", "--json")
    assert final.returncode == 0, final.stdout + final.stderr
    paid_remote = h.paid_at_sandbox(box.base_url, uids)
    conn = sqlite3.connect(h.db_path(data))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute(
            "SELECT s.customer_uid, c.period, c.merchant_uid, c.state FROM charges c "
            "JOIN subscribers s ON s.id = c.subscriber_id"
        ).fetchall()
    finally:
        conn.close()
    assert [r for r in rows if r[3] in ("planned", "sent", "unknown")] == []
    assert set(paid_remote.values()) == {1}, paid_remote  # no merchant_uid paid twice
    owner = {r[2]: (r[0], r[1]) for r in rows}
    paid_periods = sorted(owner[m] for m in paid_remote)  # every payment journaled locally
    assert sorted(uid for uid, _period in paid_periods) == sorted(uids)  # 0 lost, 0 double
    assert len({period for _uid, period in paid_periods}) == 1
    assert {r[2] for r in rows if r[3] == "paid"} == set(paid_remote)


def _assert_one_calm_disk_message(child: subprocess.CompletedProcess[str]) -> dict[str, object]:
    assert child.returncode == ExitCode.DISK, child.stdout + child.stderr
    assert "Traceback" not in child.stderr, child.stderr
    out: dict[str, object] = json.loads(child.stdout)
    assert "no more charges were sent" in str(out["error"])
    assert "the disk is full" in str(out["error"])
    return out


def test_disk_full_mid_batch_injected_then_the_next_run_pays_each_once(
    sandbox_process: Callable[..., SandboxProcess], tmp_path: Path
) -> None:
    box = sandbox_process("--port", "0", "--latency-ms", "50", "--seed", "31")
    data = tmp_path / "data"
    uids = h.prepare(data, box.base_url, 30, due=DUE)
    child = subprocess.run(
        [sys.executable, "-c", DISK_FULL_CHILD, str(data), "3"],
        cwd=h.REPO_ROOT,
        env=h.child_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = _assert_one_calm_disk_message(child)
    assert 0 < sum(h.paid_at_sandbox(box.base_url, uids).values()) < 30  # stopped mid-batch
    assert out["ok"] is False
    _assert_each_paid_once(box, data, uids)


def test_disk_full_mid_batch_on_a_real_disk_then_the_next_run_pays_each_once(
    sandbox_process: Callable[..., SandboxProcess], small_disk: SmallDisk
) -> None:
    where = small_disk(4096)
    box = sandbox_process("--port", "0", "--latency-ms", "100", "--seed", "32")
    data = where / "data"
    uids = h.prepare(data, box.base_url, 30, due=DUE)
    db = h.db_path(data)
    child = subprocess.Popen(
        h.kpadmin_command(data, "charge-due", "--yes", "--json", "--concurrency", "2"),
        cwd=h.REPO_ROOT,
        env=h.child_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while _settled(db) < 4 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert child.poll() is None, "the batch ended before the disk could be filled"
    filler = fill(where)  # mid-batch: 4 of 30 recorded, requests in flight
    stdout, stderr = child.communicate(timeout=120)
    _assert_one_calm_disk_message(
        subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)
    )
    assert sum(h.paid_at_sandbox(box.base_url, uids).values()) < 30  # stopped mid-batch
    filler.unlink()  # room again: the next run is a normal one
    _assert_each_paid_once(box, data, uids)
