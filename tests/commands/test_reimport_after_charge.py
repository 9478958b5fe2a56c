"""Re-importing a subscriber file after its subscribers were charged changes nothing.

The issue: a file with ``next_charge_date`` = today was imported, `charge-due` charged it (the
journal moved every date a month on), and importing the same file again said "3 updated" and moved
the dates back to today. A file's date in a period the subscriber has already paid is spent: it is
neither a change nor a bad row. The commands run as child processes at designed instants
(``KPADMIN_NOW``, the product's clock seam) against a sandbox over HTTP; the library-level cases
run on an injected date.
"""

from __future__ import annotations

import asyncio
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

from kpadmin.billing import csvio
from kpadmin.billing.engine import ChargeEngine
from kpadmin.billing.settings import Settings, save_settings
from kpadmin.store import AuditRepository, SubscriberRepository, open_store
from tests.billing import helpers as h
from tests.billing.sandboxed import gateway_for
from tests.fixtures.sandbox import RunningSandbox

FILE = (
    "customer_uid,name,phone,amount,next_charge_date\n"
    "cu_1,김민지,010-1111-1111,9900,2026-11-27\n"
    "cu_2,이준호,010-2222-2222,19900,2026-11-27\n"
    "cu_3,박서준,010-3333-3333,29900,2026-11-27\n"
)
TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # 12:00 in Seoul


def kpadmin_at(moment: str, data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`kpadmin ...` in a child whose clock starts at ``moment`` (UTC) and runs on."""
    start = datetime.fromisoformat(moment).replace(tzinfo=UTC)
    return subprocess.run(
        h.kpadmin_command(data, *args),
        cwd=h.REPO_ROOT,
        env={**h.child_env(), "KPADMIN_NOW": start.isoformat()},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _dates(data: Path) -> dict[str, date]:
    conn = open_store(h.db_path(data))
    try:
        return {s.customer_uid: s.next_charge_date for s in SubscriberRepository(conn).list_all()}
    finally:
        conn.close()


def _audit_actions(data: Path) -> list[str]:
    conn = open_store(h.db_path(data))
    try:
        return [e.action for e in AuditRepository(conn).list()]
    finally:
        conn.close()


def test_reimport_after_charge_due_changes_nothing(sandbox: RunningSandbox, tmp_path: Path) -> None:
    data = tmp_path / "data"
    save_settings(data, Settings(api_base_url=sandbox.base_url, staff_name="테스트직원"))
    for uid in ("cu_1", "cu_2", "cu_3"):
        sandbox.state.issue_billing_key(uid, card_name="신한카드")
    csv_file = tmp_path / "subscribers.csv"
    csv_file.write_text(FILE, encoding="utf-8")

    first = kpadmin_at("2026-11-27 03:00:00", data, "import", str(csv_file))
    assert first.returncode == 0, first.stderr
    assert "Imported: 3 new, 0 updated, 0 unchanged." in first.stdout
    charged = kpadmin_at("2026-11-27 03:05:00", data, "charge-due", "--yes")
    assert charged.returncode == 0, charged.stdout + charged.stderr
    assert "3 paid (₩59,700)" in charged.stdout
    after_charge = _dates(data)
    assert set(after_charge.values()) == {date(2026, 12, 27)}
    audit_before = _audit_actions(data)

    again = kpadmin_at("2026-11-27 03:10:00", data, "import", str(csv_file))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Nothing to change: 0 new, 0 updated, 3 unchanged." in again.stdout
    assert "next_charge_date kept for 3 subscriber(s)" in again.stdout
    assert _dates(data) == after_charge
    assert _audit_actions(data) == audit_before  # not even an import_file line: nothing changed

    # A month later the file's dates lie in the past; they are still spent, not bad rows.
    later = kpadmin_at("2027-01-05 03:00:00", data, "import", str(csv_file))
    assert later.returncode == 0, later.stdout + later.stderr
    assert "0 new, 0 updated, 3 unchanged" in later.stdout and "bad row" not in later.stdout
    assert _dates(data) == after_charge

    # Nothing is due again for November: charge-due agrees the file changed nothing.
    dry = kpadmin_at("2026-11-27 03:15:00", data, "charge-due", "--dry-run")
    assert dry.returncode == 0 and "0 subscriber(s) due" in dry.stdout, dry.stdout


def _import(conn, gateway, text: str, today: date) -> csvio.ImportReport:  # type: ignore[no-untyped-def]
    return asyncio.run(_import_async(conn, gateway, text, today))


async def _import_async(conn, gateway, text, today):  # type: ignore[no-untyped-def]
    return await csvio.import_subscribers(conn, gateway, text.encode(), today=today, staff="t")


def test_spent_dates_are_unchanged_and_real_changes_still_apply(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """On an injected date: the charge in between is the engine's against the sandbox."""
    for uid in ("cu_1", "cu_2", "cu_3", "cu_4"):
        sandbox.state.issue_billing_key(uid, card_name="신한카드")
    conn = open_store(tmp_path / "db.sqlite3")

    async def go() -> dict[str, csvio.ImportReport]:
        reports = {}
        async with gateway_for(sandbox) as gateway:
            reports["first"] = await _import_async(conn, gateway, FILE, TODAY)
            engine = ChargeEngine(conn, gateway, clock=lambda: NOW, retry_delays=(0.01,))
            result = await engine.run(engine.plan(None, TODAY, "t"))
            assert result.ok and result.progress.paid == 3
            reports["same"] = await _import_async(conn, gateway, FILE, TODAY)
            # A name fixed in the file: that is a change; the spent date still is not.
            renamed = FILE.replace("김민지", "김민지2")
            reports["renamed"] = await _import_async(conn, gateway, renamed, TODAY)
            # Staff move cu_2 to a later date in an unpaid period: that is a change.
            moved = renamed.replace("19900,2026-11-27", "19900,2027-01-10")
            reports["moved"] = await _import_async(conn, gateway, moved, TODAY)
            # Later, the date is past: fine for a subscriber who paid it; a new subscriber with
            # a past date, or one whose past period is not paid, is still a bad row.
            late = moved + "cu_4,최유나,010-4444-4444,9900,2026-11-27\n"
            reports["late"] = await _import_async(conn, gateway, late, date(2027, 1, 15))
        return reports

    reports = asyncio.run(go())
    assert len(reports["first"].added) == 3
    same = reports["same"]
    assert (same.added, same.updated, same.unchanged) == ([], [], ["cu_1", "cu_2", "cu_3"])
    assert same.dates_spent == ["cu_1", "cu_2", "cu_3"] and not same.applied
    assert reports["renamed"].updated == ["cu_1"]
    subs = {s.customer_uid: s for s in SubscriberRepository(conn).list_all()}
    assert subs["cu_1"].name == "김민지2" and subs["cu_1"].next_charge_date == date(2026, 12, 27)
    assert reports["moved"].updated == ["cu_2"]
    assert subs["cu_2"].next_charge_date == date(2027, 1, 10) and subs["cu_2"].billing_day == 10
    late = reports["late"]
    # cu_1 and cu_3 paid November: spent. cu_2's 2027-01-10 is now past and January is not
    # paid: a bad row. cu_4 is new with a past date: a bad row. Nothing is written.
    assert sorted(late.unchanged) == ["cu_1", "cu_3"]
    assert [(p.customer_uid, "in the past" in p.message) for p in late.problems] == [
        ("cu_2", True),
        ("cu_4", True),
    ]
    assert not late.applied


def test_a_duplicated_row_with_a_spent_date_stays_bad(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    sandbox.state.issue_billing_key("cu_1", card_name="신한카드")
    conn = open_store(tmp_path / "db.sqlite3")
    one = "customer_uid,name,phone,amount,next_charge_date\ncu_1,A,010-1111-1111,9900,2026-11-27\n"

    async def go() -> csvio.ImportReport:
        async with gateway_for(sandbox) as gateway:
            await _import_async(conn, gateway, one, TODAY)
            engine = ChargeEngine(conn, gateway, clock=lambda: NOW, retry_delays=(0.01,))
            assert (await engine.run(engine.plan(None, TODAY, "t"))).progress.paid == 1
            twice = one + "cu_1,B,010-1111-1111,9900,2026-12-27\n"
            return await _import_async(conn, gateway, twice, date(2026, 12, 5))

    report = asyncio.run(go())
    assert [p.line for p in report.problems] == [2, 3] and not report.applied
    assert SubscriberRepository(conn).get_by_uid("cu_1").name == "A"  # type: ignore[union-attr]
