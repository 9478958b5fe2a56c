"""`kpadmin charge-due` and `kpadmin reconcile` as a user runs them: real child processes, the
settings pointing at a sandbox over HTTP, a real database in a temporary data dir."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import shlex
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest

from kpadmin.billing.engine import ChargeEvent, EventKind, Progress
from kpadmin.billing.order_ids import order_id_for
from kpadmin.billing.settings import Settings, save_settings
from kpadmin.commands.charge_due import _ProgressBar
from kpadmin.store import (
    AuditRepository,
    ChargeRepository,
    NewCharge,
    NewSubscriber,
    SubscriberRepository,
    open_store,
)
from kpadmin.store.models import ChargeState
from tests.billing import helpers as h
from tests.clock import NOW, TODAY, add_months
from tests.fixtures.sandbox import RunningSandbox, SandboxFactory

DUE = TODAY - timedelta(days=12)  # relative to the injected today (tests/clock.py)
PERIOD = f"{DUE:%Y-%m}"


def _setup(sandbox: RunningSandbox, tmp_path: Path, n: int = 3) -> tuple[Path, list[str]]:
    data = tmp_path / "data"
    uids = h.prepare(data, sandbox.base_url, n, due=DUE)
    sandbox.state.issue_billing_key("declines", behaviour="decline")
    conn = open_store(h.db_path(data))
    SubscriberRepository(conn).add(NewSubscriber("declines", "거절", 5000, DUE.day, DUE))
    conn.close()
    return data, [*uids, "declines"]


def _paid_count(sandbox: RunningSandbox) -> int:
    return sum(1 for p in sandbox.state.all_payments() if p["status"] == "paid")


def test_dry_run_charges_nobody(sandbox: RunningSandbox, tmp_path: Path) -> None:
    data, _ = _setup(sandbox, tmp_path)
    result = h.run_kpadmin(data, "charge-due", "--dry-run", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["dry_run"] is True and out["due"] == 4
    assert out["total_amount"] == 1000 + 1001 + 1002 + 5000
    assert _paid_count(sandbox) == 0
    assert len(out["charges"]) == 4 and all(len(c["merchant_uid"]) <= 40 for c in out["charges"])


def test_refuses_without_yes_when_not_on_a_terminal(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    data, _ = _setup(sandbox, tmp_path)
    result = h.run_kpadmin(data, "charge-due")
    assert result.returncode == 2
    assert "--yes" in result.stderr and "₩8,003" in result.stderr
    assert _paid_count(sandbox) == 0
    conn = open_store(h.db_path(data))
    assert ChargeRepository(conn).list_all() == []  # not even an intent


def test_charges_reports_and_exits_non_zero_on_a_decline(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    data, _ = _setup(sandbox, tmp_path)
    result = h.run_kpadmin(data, "charge-due", "--yes", "--json", "--concurrency", "2")
    assert result.returncode == 1, result.stderr
    out = json.loads(result.stdout)
    assert (out["paid"], out["declined"], out["unknown"], out["ok"]) == (3, 1, 0, False)
    assert out["paid_amount"] == 3003
    declined = [c for c in out["charges"] if c["state"] == "declined"]
    assert [c["customer_uid"] for c in declined] == ["declines"] and declined[0]["message"]
    assert _paid_count(sandbox) == 3
    conn = open_store(h.db_path(data))
    audits = AuditRepository(conn).list(action="charge")
    assert len(audits) == 4 and {a.staff for a in audits} == {"테스트직원"}
    conn.close()
    # The retry policy (retry_days 1,3,5): the declined card waits for tomorrow, and the
    # summary says so.
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    assert declined[0]["next_retry"] == tomorrow and declined[0]["past_due"] is False
    # A second run the same day (an hourly scheduler) charges nobody.
    same_day = h.run_kpadmin(data, "charge-due", "--yes", "--json")
    out_same = json.loads(same_day.stdout)
    assert same_day.returncode == 0 and out_same["due"] == 0, same_day.stderr
    (held,) = [s for s in out_same["skipped"] if s["customer_uid"] == "declines"]
    assert held["reason"] == "attempted_today" and held["next_retry"] == tomorrow
    # Tomorrow's run tries the declined subscriber again (attempt 2) and nobody else.
    again = h.run_kpadmin(
        data,
        "charge-due",
        "--yes",
        "--json",
        env={"KPADMIN_NOW": (NOW + timedelta(days=1)).isoformat()},
    )
    out2 = json.loads(again.stdout)
    assert again.returncode == 1 and out2["declined"] == 1 and out2["paid"] == 0
    assert out2["charges"][0]["merchant_uid"] == order_id_for("declines", PERIOD, 2)
    assert _paid_count(sandbox) == 3


def test_human_summary_and_nobody_due(sandbox: RunningSandbox, tmp_path: Path) -> None:
    data = tmp_path / "data"
    h.prepare(data, sandbox.base_url, 2, due=DUE)
    first = h.run_kpadmin(data, "charge-due", "--yes")
    assert first.returncode == 0, first.stderr
    assert "2 paid (₩2,001)" in first.stdout
    second = h.run_kpadmin(data, "charge-due", "--yes")
    assert second.returncode == 0 and "Nobody is due." in second.stdout


def test_reconcile_command_settles_a_lost_answer(sandbox: RunningSandbox, tmp_path: Path) -> None:
    data = tmp_path / "data"
    (uid,) = h.prepare(data, sandbox.base_url, 1, due=DUE)
    merchant_uid = order_id_for(uid, PERIOD, 1)
    conn = open_store(h.db_path(data))
    (sub,) = SubscriberRepository(conn).list_all()
    charges = ChargeRepository(conn)
    cid = charges.insert(
        NewCharge(sub.id, uid, PERIOD, 1, merchant_uid, 1000), batch_id="x", staff="k"
    )
    charges.set_state(cid, ChargeState.SENT)
    # The request reached i'mport and was paid; the answer never came back.
    sandbox.state.pay_again(customer_uid=uid, merchant_uid=merchant_uid, amount=1000, name="x")
    result = h.run_kpadmin(data, "reconcile", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["checked"], out["paid"], out["unknown"]) == (1, 1, 0)
    assert charges.get(cid).state is ChargeState.PAID  # type: ignore[union-attr]
    assert SubscriberRepository(conn).get(sub.id).next_charge_date == add_months(DUE, 1)  # type: ignore[union-attr]
    assert h.run_kpadmin(data, "charge-due", "--dry-run", "--json").returncode == 0
    assert _paid_count(sandbox) == 1


def test_confirmation_on_a_terminal(sandbox: RunningSandbox, tmp_path: Path) -> None:
    data = tmp_path / "data"
    h.prepare(data, sandbox.base_url, 2, due=DUE)
    master, slave = pty.openpty()
    child = subprocess.Popen(
        h.kpadmin_command(data, "charge-due"),
        cwd=h.REPO_ROOT,
        env=h.child_env(),
        stdin=slave,
        stdout=slave,
        stderr=slave,
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 60
    answered = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        if not answered and b"[y/N]" in seen:
            os.write(master, b"y\n")
            answered = True
        if child.poll() is not None and not ready:
            break
    child.wait(timeout=30)
    os.close(master)
    text = seen.decode("utf-8", "replace")
    assert "SANDBOX: charge 2 subscriber(s), ₩2,001 in total? [y/N]" in text
    assert child.returncode == 0, text
    assert "2/2" in text  # the progress bar was drawn on the terminal
    assert _paid_count(sandbox) == 2


def test_progress_bar_draws_one_line() -> None:
    out = io.StringIO()
    bar = _ProgressBar(out)
    bar.update(ChargeEvent(EventKind.CHARGE, Progress(total=4, done=1, paid=1, paid_amount=9900)))
    bar.update(ChargeEvent(EventKind.CHARGE, Progress(total=4, done=4, paid=3, declined=1)))
    bar.close()
    text = out.getvalue()
    assert text.startswith("\r[#######") and "1/4" in text
    assert "4/4  paid 3  failed 1" in text and text.endswith("\n")


def test_sigterm_stops_new_sends_and_records_those_in_flight(
    sandbox_factory: SandboxFactory, tmp_path: Path
) -> None:
    box = sandbox_factory(seed=1, latency_ms=150)
    data = tmp_path / "data"
    h.prepare(data, box.base_url, 12, due=DUE)
    child = subprocess.Popen(
        h.kpadmin_command(data, "charge-due", "--yes", "--json", "--concurrency", "1"),
        cwd=h.REPO_ROOT,
        env=h.child_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while _paid_count(box) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    child.send_signal(signal.SIGTERM)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 143, err  # ExitCode.TERMINATED
    assert "kpadmin charge-due: stopped by SIGTERM; nothing new was sent after it." in err
    assert "Nothing is in doubt." in err and "Traceback" not in err
    result = json.loads(out)
    assert result["cancelled"] is True and 2 <= result["paid"] < 12
    conn = open_store(h.db_path(data))
    charges = ChargeRepository(conn).list_all()
    # Whatever was sent is recorded; whatever was not is withdrawn, not left in doubt.
    assert all(c.state is ChargeState.PAID for c in charges)
    assert len(charges) == result["paid"] == _paid_count(box)


# -- a reader that goes away: `kpadmin charge-due … | head -1` ---------------------------------


def _many_due(sandbox: RunningSandbox, tmp_path: Path, n: int) -> Path:
    """A data dir with `n` due subscribers (no keys needed: a dry run asks i'mport nothing)."""
    data = tmp_path / "data"
    save_settings(data, Settings(api_base_url=sandbox.base_url, staff_name="테스트직원"))
    conn = open_store(h.db_path(data))
    SubscriberRepository(conn).add_many(
        NewSubscriber(f"cu-{i:05d}", f"구독자{i}", 1000 + i, DUE.day, DUE) for i in range(n)
    )
    conn.close()
    return data


def test_dry_run_into_head_exits_calmly(sandbox: RunningSandbox, tmp_path: Path) -> None:
    """The issue's pipeline, in bash: far more output than a pipe holds, so the reader is gone
    while kpadmin still writes (EPIPE for certain). No "Broken pipe", no traceback, exit 0."""
    data = _many_due(sandbox, tmp_path, 3000)  # about 150 kB of lines
    command = " ".join(shlex.quote(a) for a in h.kpadmin_command(data, "charge-due", "--dry-run"))
    result = subprocess.run(
        ["bash", "-c", f'{command} 2>"$ERR" | head -1; echo "exit=${{PIPESTATUS[0]}}"'],
        cwd=h.REPO_ROOT,
        env={**h.child_env(), "ERR": str(tmp_path / "err.txt")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    first, status = result.stdout.splitlines()
    assert first == "SANDBOX mode: 3000 subscriber(s) due, ₩7,498,500 in total (dry run)."
    assert status == "exit=0"
    err = (tmp_path / "err.txt").read_text()
    assert "Broken pipe" not in err and "Traceback" not in err and "Exception" not in err


def _into_closed_pipe(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run with stdout a pipe nobody reads any more (its read end closed before the start)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            h.kpadmin_command(data, *args),
            cwd=h.REPO_ROOT,
            env=h.child_env(),
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize("as_json", [True, False])
def test_a_completed_batch_into_a_closed_pipe_is_recorded_and_exits_by_its_outcome(
    sandbox: RunningSandbox, tmp_path: Path, as_json: bool
) -> None:
    """Nobody reads the summary: the batch still runs to the end, every outcome is in the
    journal, and the exit code is the outcome's (1: one subscriber declined), not 2."""
    data, _ = _setup(sandbox, tmp_path)
    result = _into_closed_pipe(data, "charge-due", "--yes", *(["--json"] if as_json else []))
    assert result.returncode == 1, result.stderr
    assert "Broken pipe" not in result.stderr and "Traceback" not in result.stderr
    assert _paid_count(sandbox) == 3
    conn = open_store(h.db_path(data))
    states = sorted(c.state.value for c in ChargeRepository(conn).list_all())
    assert states == ["declined", "paid", "paid", "paid"]
    assert len(AuditRepository(conn).list(action="charge")) == 4
    conn.close()


def test_an_all_paid_batch_into_a_closed_pipe_exits_zero(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    h.prepare(data, sandbox.base_url, 2, due=DUE)
    result = _into_closed_pipe(data, "charge-due", "--yes")
    assert result.returncode == 0, result.stderr
    assert "Broken pipe" not in result.stderr and "Traceback" not in result.stderr
    assert _paid_count(sandbox) == 2
    # …and the next run, reading its output this time, finds nobody due.
    again = h.run_kpadmin(data, "charge-due", "--yes")
    assert again.returncode == 0 and "Nobody is due." in again.stdout
