"""Two desks, one shared PostgreSQL database, the same subscribers (issue #11): both run
`kpadmin charge-due` at the same time against a sandbox in another process that declines some
cards and drops some answers after charging; desks are SIGKILLed at random points and run again.

At the end, after a reconcile: exactly one paid payment per subscriber at the sandbox (0 double),
every subscriber paid (0 lost), every payment journaled paid in the shared database and nothing
in doubt. The batch lock keeps the two desks from charging at once (the loser exits BUSY, naming
the desk that charges); the ledger check and the shared journal do the rest.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time
from collections.abc import Callable
from datetime import timedelta

import pytest

from kpadmin.billing.order_ids import is_attempt_of
from kpadmin.billing.settings import Settings, save_settings
from kpadmin.exitcodes import ExitCode
from kpadmin.store import NewSubscriber, open_store
from tests.billing import helpers as h
from tests.clock import NOW, TODAY
from tests.fixtures.postgres import Desk, PostgresDatabase
from tests.fixtures.sandbox import SandboxProcess

DUE = TODAY - timedelta(days=12)
PERIOD = f"{DUE:%Y-%m}"
#: A desk that finds the other charging exits 2 (charge-due's "refused"), naming that desk.
REFUSED = 2
OK_CODES = (ExitCode.OK, ExitCode.ATTENTION, REFUSED)


def _settled(postgres: PostgresDatabase) -> int:
    try:
        with postgres.connect() as conn:
            row = conn.execute(
                "SELECT count(*) FROM charges WHERE state NOT IN ('planned', 'sent')"
            ).fetchone()
    except Exception:  # the schema is not there yet
        return 0
    return int(row[0]) if row else 0


def _charge_due(desk: Desk) -> subprocess.Popen[str]:
    return desk.start_kpadmin("charge-due", "--yes", "--json", "--concurrency", "3")


def two_desks_crash_loop(
    sandbox_process: Callable[..., SandboxProcess],
    postgres: PostgresDatabase,
    *,
    subscribers: int,
    kills: int,
    seed: int,
) -> None:
    rng = random.Random(seed)
    box = sandbox_process(
        "--port", "0", "--latency-ms", "40", "--seed", str(seed), "--decline-rate", "0.15",
        "--fault-drop-after", "0.1", "--fault-endpoints", "again,payment_find_all",
    )  # fmt: skip
    desks = [postgres.desk("A"), postgres.desk("B")]
    for desk in desks:
        save_settings(desk.data_dir, Settings(api_base_url=box.base_url, staff_name=desk.name))
    uids = [f"cu-{i:04d}" for i in range(subscribers)]
    h.issue_keys(box.base_url, uids)
    store = open_store(postgres.url, mode="sandbox", staff="setup")
    store.subscribers.add_many(
        NewSubscriber(uid, f"구독자{i}", 1000 + i, DUE.day, DUE) for i, uid in enumerate(uids)
    )
    store.close()

    done_kills = 0
    busy_seen = False
    for _round in range(40):
        if done_kills >= kills:
            break
        children = [_charge_due(desk) for desk in desks]  # both at once, the same subscribers
        target = _settled(postgres) + rng.randint(0, 4)
        deadline = time.monotonic() + rng.uniform(0.3, 6.0)
        while any(c.poll() is None for c in children) and time.monotonic() < deadline:
            if _settled(postgres) >= target and rng.random() < 0.5:
                break
            time.sleep(0.02)
        # The victim is one still running (a desk refused by the other's batch lock has already
        # left); then the other is killed too, a few charges later: a desk left to finish charged
        # everything due, and on a fast machine the rounds ran out of work to kill (12 of 20).
        killed: list[subprocess.Popen[str]] = []
        running = [c for c in children if c.poll() is None]
        if running:
            first = rng.choice(running)
            first.send_signal(signal.SIGKILL)
            killed.append(first)
            other = next((c for c in running if c is not first), None)
            if other is not None:
                target = _settled(postgres) + rng.randint(1, 8)
                later = time.monotonic() + rng.uniform(0.3, 4.0)
                while other.poll() is None and time.monotonic() < later:
                    if _settled(postgres) >= target:
                        break
                    time.sleep(0.02)
                if other.poll() is None:
                    other.send_signal(signal.SIGKILL)
                    killed.append(other)
        done_kills += len(killed)
        for child in children:
            _out, err = child.communicate(timeout=180)
            if child in killed and child.returncode == -signal.SIGKILL:
                continue
            assert child.returncode in OK_CODES, err
            assert "Traceback" not in err
            if child.returncode == REFUSED:
                assert "another kpadmin process is charging" in err
                assert " on " in err  # which desk: staff on computer
                busy_seen = True
    assert done_kills >= kills

    # Both desks run again until nobody is due. A card declined in this period is charged again
    # only on the retry policy's days (1, 3 and 5 days after its first decline, once a Korean day:
    # issue #12), so each round is one (fake) day later.
    for day in range(15):
        for desk in desks:
            desk.extra_env["KPADMIN_NOW"] = (NOW + timedelta(days=day)).isoformat()
        results = [d.kpadmin("charge-due", "--yes", "--json", timeout=300) for d in desks]
        for result in results:
            assert result.returncode in OK_CODES, result.stderr
        done = [
            json.loads(r.stdout)["due"] == 0
            for r in results
            if r.returncode == ExitCode.OK and r.stdout.strip()
        ]
        if done and all(done) and _nothing_due(postgres):
            break
    else:
        pytest.fail("the desks never settled")
    time.sleep(0.2)  # let any request of a killed desk land at the sandbox
    final = desks[0].kpadmin("reconcile", "--json")
    assert final.returncode == ExitCode.OK, final.stdout + final.stderr

    paid = h.paid_at_sandbox(box.base_url, uids)
    per_key: dict[str, int] = {}
    for merchant_uid, count in paid.items():
        assert count == 1, merchant_uid  # no order id paid twice
        owner = next(u for u in uids if is_attempt_of(merchant_uid, u, PERIOD))
        per_key[owner] = per_key.get(owner, 0) + 1
    assert per_key == dict.fromkeys(uids, 1)  # 0 double, 0 lost
    with postgres.connect() as conn:
        rows = conn.execute("SELECT merchant_uid, state FROM charges").fetchall()
    assert [r for r in rows if r[1] in ("planned", "sent", "unknown")] == []  # 0 in doubt
    assert {r[0] for r in rows if r[1] == "paid"} == set(paid)
    # Whether the desks met at the batch lock in a round is the scheduler's business (when they
    # did, the refused one named the other: asserted above); the lock itself is proven in
    # tests/store/test_store.py on both databases.
    del busy_seen


def _nothing_due(postgres: PostgresDatabase) -> bool:
    with postgres.connect() as conn:
        (open_rows,) = conn.execute(
            "SELECT count(*) FROM charges WHERE state IN ('planned', 'sent', 'unknown')"
        ).fetchone() or (0,)
        (unpaid,) = conn.execute(
            "SELECT count(*) FROM subscribers s WHERE NOT EXISTS (SELECT 1 FROM charges c "
            "WHERE c.subscriber_id = s.id AND c.state = 'paid')"
        ).fetchone() or (0,)
    return open_rows == 0 and unpaid == 0


def test_two_desks_killed_at_random_pay_each_subscriber_once(
    sandbox_process: Callable[..., SandboxProcess], postgres: PostgresDatabase
) -> None:
    two_desks_crash_loop(sandbox_process, postgres, subscribers=24, kills=4, seed=7)


@pytest.mark.slow
def test_two_desks_killed_at_random_pay_each_subscriber_once_long(
    sandbox_process: Callable[..., SandboxProcess], postgres: PostgresDatabase
) -> None:
    two_desks_crash_loop(sandbox_process, postgres, subscribers=120, kills=20, seed=2026)
