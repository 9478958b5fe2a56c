"""Ctrl+C and SIGTERM against real `kpadmin` child processes: every wait ends, the stop is calm
(one line, no traceback, exit 130 / 143), and nothing recorded is lost.

Waits are made long on purpose: a sandbox that answers a charge or a lookup 120 s late, a pacer
of one charge every 10 s. The communicate() timeouts below only keep a broken build from hanging
the suite; they are far shorter than the waits, so a stop that does not interrupt them fails.
"""

from __future__ import annotations

import asyncio
import json
import os
import pty
import queue
import select
import signal
import subprocess
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from kpadmin import stopping
from kpadmin.billing.order_ids import order_id_for
from kpadmin.billing.settings import Settings, save_settings
from kpadmin.store import ChargeRepository, NewCharge, SubscriberRepository, open_store
from kpadmin.store.models import ChargeState
from tests.billing import helpers as h
from tests.fixtures.sandbox import RunningSandbox, SandboxFactory

DUE = date(2026, 11, 1)
#: Far longer than any hang guard below: a stop that waits for it fails the test.
LONG_S = 120.0
GUARD_S = 60.0


class Child:
    """`python -m kpadmin ...` with stdout collected and stderr readable line by line."""

    def __init__(self, data: Path, *args: str, stdin: int | None = subprocess.DEVNULL) -> None:
        self.proc = subprocess.Popen(
            h.kpadmin_command(data, *args),
            cwd=h.REPO_ROOT,
            env=h.child_env(),
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.err_lines: queue.Queue[str] = queue.Queue()
        self.err: list[str] = []
        self.out: list[str] = []
        self.pumps = [
            threading.Thread(target=self._pump_err, daemon=True),
            threading.Thread(target=self._pump_out, daemon=True),
        ]
        for pump in self.pumps:
            pump.start()

    def _pump_err(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.err.append(line)
            self.err_lines.put(line)

    def _pump_out(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.out.append(line)

    def wait_for_stderr(self, fragment: str) -> str:
        deadline = time.monotonic() + GUARD_S
        while time.monotonic() < deadline:
            try:
                line = self.err_lines.get(timeout=0.2)
            except queue.Empty:
                assert self.proc.poll() is None, f"exited early: {''.join(self.err)}"
                continue
            if fragment in line:
                return line
        raise AssertionError(f"{fragment!r} never came: {''.join(self.err)}")

    def finish(self) -> tuple[int, str, str]:
        code = self.proc.wait(timeout=GUARD_S)
        for pump in self.pumps:  # they end with the pipes
            pump.join(timeout=GUARD_S)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()
        return code, "".join(self.out), "".join(self.err)


def _wait_until(predicate: object, what: str) -> None:
    deadline = time.monotonic() + GUARD_S
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.02)
    raise AssertionError(f"never happened: {what}")


def _request_arrives(box: RunningSandbox, endpoint: str) -> threading.Event:
    """Set when a request to `endpoint` reaches the sandbox (its fault is drawn)."""
    arrived = threading.Event()
    faults = box.server.runtime.faults
    draw = faults.draw

    def spying_draw(name: str) -> object:
        fault = draw(name)
        if name == endpoint:
            arrived.set()
        return fault

    faults.draw = spying_draw  # type: ignore[method-assign]
    return arrived


def _paid(box: RunningSandbox) -> list[dict[str, object]]:
    return [p for p in box.state.all_payments() if p["status"] == "paid"]


def _states(data: Path) -> list[ChargeState]:
    conn = open_store(h.db_path(data))
    try:
        return [c.state for c in ChargeRepository(conn).list_all()]
    finally:
        conn.close()


def test_two_ctrl_c_during_a_late_answer_stop_calmly_and_leave_it_in_doubt(
    sandbox_factory: SandboxFactory, tmp_path: Path
) -> None:
    """The first Ctrl+C waits for the charge in flight; the second stops at once, says what is
    in doubt, and the next reconcile settles it: 0 charged twice, 0 lost."""
    box = sandbox_factory(seed=1)
    data = tmp_path / "data"
    uids = h.prepare(data, box.base_url, 4, due=DUE)
    box.set_faults(delay_after=1.0, delay_s=LONG_S, endpoints={"again"})
    child = Child(data, "charge-due", "--yes", "--json", "--concurrency", "1")
    _wait_until(lambda: len(_paid(box)) == 1, "the first charge reached the sandbox")
    child.proc.send_signal(signal.SIGINT)
    child.wait_for_stderr("Stopping: no new charges")
    child.proc.send_signal(signal.SIGINT)
    code, out, err = child.finish()
    assert code == 130, err  # ExitCode.INTERRUPTED
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "kpadmin charge-due: stopped by Ctrl+C; 1 charge(s) in doubt, recorded as such" in err
    assert out == ""  # no summary claims anything: the batch did not finish
    # The charge in flight is recorded in doubt; the three never sent were withdrawn.
    assert _states(data) == [ChargeState.UNKNOWN]
    box.clear_faults()
    settled = h.run_kpadmin(data, "reconcile", "--json")
    assert settled.returncode == 0, settled.stderr
    assert json.loads(settled.stdout)["paid"] == 1
    assert _states(data) == [ChargeState.PAID]
    again = h.run_kpadmin(data, "charge-due", "--yes", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["paid"] == 3
    paid = h.paid_at_sandbox(box.base_url, uids)
    assert sorted(paid.values()) == [1, 1, 1, 1]  # each subscriber once, none twice


def test_sigterm_during_a_late_lookup_ends_reconcile_at_once(
    sandbox_factory: SandboxFactory, tmp_path: Path
) -> None:
    box = sandbox_factory(seed=1)
    data = tmp_path / "data"
    (uid,) = h.prepare(data, box.base_url, 1, due=DUE)
    conn = open_store(h.db_path(data))
    (sub,) = SubscriberRepository(conn).list_all()
    merchant_uid = order_id_for(uid, "2026-11", 1)
    charges = ChargeRepository(conn)
    cid = charges.insert(
        NewCharge(sub.id, uid, "2026-11", 1, merchant_uid, 1000), batch_id="x", staff="k"
    )
    charges.set_state(cid, ChargeState.SENT)
    conn.close()
    box.set_faults(delay_after=1.0, delay_s=LONG_S, endpoints={"payment_find_all"})
    looked_up = _request_arrives(box, "payment_find_all")
    child = Child(data, "reconcile")
    assert looked_up.wait(GUARD_S), "".join(child.err)
    child.proc.send_signal(signal.SIGTERM)
    code, out, err = child.finish()
    assert code == 143, err  # ExitCode.TERMINATED
    assert err.strip().splitlines()[-1] == "kpadmin reconcile: stopped by SIGTERM."
    assert "Traceback" not in err and out == ""
    assert _states(data) == [ChargeState.SENT]  # untouched: still in doubt for the next run


def test_ctrl_c_at_the_confirmation_prompt_charges_nobody(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
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
    signalled = 0
    deadline = time.monotonic() + GUARD_S
    while time.monotonic() < deadline and child.poll() is None:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                seen += os.read(master, 4096)
            except OSError:
                break
        if signalled == 0 and b"[y/N]" in seen:
            child.send_signal(signal.SIGINT)
            signalled = 1
    child.wait(timeout=GUARD_S)
    try:
        while select.select([master], [], [], 0.2)[0]:
            chunk = os.read(master, 4096)
            if not chunk:
                break
            seen += chunk
    except OSError:
        pass
    os.close(master)
    text = seen.decode("utf-8", "replace")
    assert "SANDBOX: charge 2 subscriber(s), ₩2,001 in total? [y/N]" in text
    assert child.returncode == 130, text
    assert "kpadmin charge-due: stopped by Ctrl+C." in text and "Traceback" not in text
    assert sandbox.state.all_payments() == [] and _states(data) == []


def test_sigterm_while_import_checks_keys_imports_nothing(
    sandbox_factory: SandboxFactory, tmp_path: Path
) -> None:
    box = sandbox_factory(seed=1)
    data = tmp_path / "data"
    save_settings(data, Settings(api_base_url=box.base_url))
    h.issue_keys(box.base_url, ["cu-1", "cu-2"])
    csv_file = tmp_path / "subscribers.csv"
    csv_file.write_text(
        "customer_uid,name,phone,amount\ncu-1,김하나,010-1234-5678,9900\n"
        "cu-2,이둘,010-2345-6789,9900\n",
        encoding="utf-8",
    )
    box.set_faults(delay_after=1.0, delay_s=LONG_S, endpoints={"customers_multi"})
    checked = _request_arrives(box, "customers_multi")
    child = Child(data, "import", str(csv_file))
    assert checked.wait(GUARD_S), "".join(child.err)
    child.proc.send_signal(signal.SIGTERM)
    code, _out, err = child.finish()
    assert code == 143, err
    assert "kpadmin import: stopped by SIGTERM." in err and "Traceback" not in err
    conn = open_store(h.db_path(data))
    assert SubscriberRepository(conn).list_all() == []
    conn.close()


def test_the_pacer_ends_its_wait_when_the_batch_is_stopped(
    sandbox_factory: SandboxFactory, tmp_path: Path
) -> None:
    """One charge every 10 s (the slowest pacing allowed), end to end: SIGTERM after the first
    stops the batch in its pacer wait; the rest are withdrawn, nothing is in doubt. (That the
    wait ends at once, whatever its length, is proved in tests/billing/test_engine.py.)"""
    box = sandbox_factory(seed=1)
    data = tmp_path / "data"
    h.prepare(data, box.base_url, 5, due=DUE)
    settings_file = data / "settings.json"
    saved = json.loads(settings_file.read_text(encoding="utf-8"))
    settings_file.write_text(json.dumps({**saved, "requests_per_second": 0.1}), encoding="utf-8")
    child = Child(data, "charge-due", "--yes", "--json", "--concurrency", "1")
    _wait_until(lambda: len(_paid(box)) == 1, "the first charge was paid")
    child.proc.send_signal(signal.SIGTERM)
    code, out, err = child.finish()
    assert code == 143, err
    result = json.loads(out)
    assert result["cancelled"] is True and result["paid"] == 1 and result["not_sent"] == 0
    assert "Nothing is in doubt." in err and "Traceback" not in err
    assert _states(data) == [ChargeState.PAID] and len(_paid(box)) == 1


def test_a_stop_signal_while_the_sandbox_stops_is_calm(sandbox_process: object) -> None:
    child = sandbox_process("--seed", "1")  # type: ignore[operator]
    child.proc.send_signal(signal.SIGINT)
    child.proc.send_signal(signal.SIGINT)
    code = child.proc.wait(timeout=GUARD_S)
    assert code == 0
    time.sleep(0.2)
    assert not any("Traceback" in line for line in child.stderr)


# --- the pieces, in-process ---------------------------------------------------------------


def test_a_stopped_watch_raises_interrupted_with_the_signals_exit_code() -> None:
    async def main() -> None:
        async with stopping.watch() as stop:
            stop.note = "1 charge in doubt"
            stop.on_signal(signal.SIGTERM)
            await asyncio.sleep(LONG_S)  # cancelled by on_signal, at once

    with stopping.installed(), pytest.raises(stopping.Interrupted) as info:
        asyncio.run(asyncio.wait_for(main(), GUARD_S))
    assert info.value.exit_code == 143
    assert info.value.message() == "stopped by SIGTERM; 1 charge in doubt"


def test_a_graceful_stretch_first_sets_the_event_then_cancels() -> None:
    events: list[str] = []

    async def main() -> None:
        async with stopping.watch() as stop:
            with stop.graceful("stopping gently") as cancel:
                stop.on_signal(signal.SIGINT)
                await cancel.wait()
                events.append("event set")
                stop.on_signal(signal.SIGINT)
                await asyncio.sleep(LONG_S)

    with stopping.installed(), pytest.raises(stopping.Interrupted) as info:
        asyncio.run(asyncio.wait_for(main(), GUARD_S))
    assert events == ["event set"] and info.value.exit_code == 130


def test_installed_restores_the_previous_handlers() -> None:
    before = {s: signal.getsignal(s) for s in stopping.SIGNALS}
    with stopping.installed():
        assert all(signal.getsignal(s) is not before[s] for s in stopping.SIGNALS)
    assert {s: signal.getsignal(s) for s in stopping.SIGNALS} == before
