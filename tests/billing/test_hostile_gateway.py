"""The engine and the commands against a hostile i'mport on 127.0.0.1 (`tests.fixtures.hostile`):
a charge answered paid for 100× (or a tenth of) the amount asked, and reasons / messages that
echo the REST secret, the access token, a card number and a phone number.

An amount mismatch is paid — the money moved — so it is recorded paid with what i'mport charged,
and flagged everywhere a person looks: the journal's note, an ``amount_mismatch`` audit row,
`BatchResult.mismatches` (not ``ok``), `charge-due` / `reconcile` exit 1 with a warning naming the
subscriber and both amounts, the charges export's ``paid_amount``. Echoed secrets reach none of:
stdout / stderr of the commands, ``charges.fail_reason``, the audit, the charges export.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from contextlib import AbstractAsyncContextManager
from datetime import UTC, date, datetime
from pathlib import Path

from kpadmin.billing.engine import ChargeEngine
from kpadmin.billing.journal import AMOUNT_MISMATCH
from kpadmin.billing.settings import Settings, save_settings
from kpadmin.iamport.gateway import IamportGateway, open_gateway
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
from tests.fixtures.hostile import HostileServer, hostile, payment_json
from tests.sql import sql

__all__ = ["hostile"]

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # 12:00 in Seoul
DUE = date(2026, 11, 27)
#: For the commands, which run on the real clock: long past, so due whatever the day (a date
#: months behind is charged once, for the latest billing date that has come).
LONG_AGO = date(2024, 1, 27)
CARD_GROUPED = "4111-1111-1111-1111"
CARD_PLAIN = "4111111111111111"
PHONE = "010-1234-5678"


def echo(server: HostileServer) -> str:
    return (
        f"PG: secret={server.imp_secret} token={server.token} card {CARD_GROUPED} "
        f"({CARD_PLAIN}) tel {PHONE}"
    )


def leaks(server: HostileServer, text: str) -> list[str]:
    needles = (server.imp_secret, server.token, CARD_GROUPED, CARD_PLAIN, PHONE, "1234-5678")
    return [n for n in needles if n in text]


def _engine(conn, gateway) -> ChargeEngine:  # type: ignore[no-untyped-def]
    return ChargeEngine(conn, gateway, clock=lambda: NOW, retry_delays=(0.01,), flush_interval=0.01)


def _gateway(server: HostileServer) -> AbstractAsyncContextManager[IamportGateway]:
    return open_gateway(server.base_url, server.imp_key, server.imp_secret, retry_backoff_s=0.01)


def _subscribers(conn, *amounts: int, due: date = DUE) -> list[int]:  # type: ignore[no-untyped-def]
    repo = SubscriberRepository(conn)
    return [
        repo.add(NewSubscriber(f"cu_{i}", f"구독자{i}", amount, due.day, due)).id
        for i, amount in enumerate(amounts, start=1)
    ]


# --- amount mismatch ---------------------------------------------------------------------------


def test_paid_for_100_times_the_amount_is_recorded_paid_and_flagged(
    hostile: HostileServer, tmp_path: Path
) -> None:
    hostile.charge = lambda asked: asked * 100 if asked == 1000 else asked
    conn = open_store(tmp_path / "db.sqlite3")
    flagged, fine = _subscribers(conn, 1000, 2000)

    async def go():  # type: ignore[no-untyped-def]
        async with _gateway(hostile) as gateway:
            engine = _engine(conn, gateway)
            return await engine.run(engine.plan(None, DUE, "tester"))

    result = asyncio.run(go())
    # Paid (the money moved), for what i'mport charged; the batch is not ok.
    assert result.progress.paid == 2 and result.progress.failed == 0
    assert result.progress.paid_amount == 100_000 + 2000  # the real money, not ₩3,000
    assert result.progress.mismatched == 1 and not result.ok
    [outcome] = [o for o in result.outcomes if o.subscriber_id == flagged]
    assert outcome.amount_mismatch and outcome.paid_amount == 100_000
    assert "AMOUNT MISMATCH: i'mport charged ₩100,000 for ₩1,000 asked" in outcome.message
    [mismatch] = result.mismatches
    assert (mismatch.key_id, mismatch.name, mismatch.asked, mismatch.paid) == (
        "cu_1",
        "구독자1",
        1000,
        100_000,
    )
    charges = {c.subscriber_id: c for c in ChargeRepository(conn).list_all()}
    row = charges[flagged]
    assert row.state is ChargeState.PAID and row.amount == 1000 and row.paid_amount == 100_000
    assert row.amount_mismatch and row.collected == 100_000
    assert row.fail_reason is not None and row.fail_reason.startswith("AMOUNT MISMATCH")
    assert not charges[fine].amount_mismatch and charges[fine].paid_amount == 2000
    # It is paid: the next charge date moved on like any paid charge.
    assert SubscriberRepository(conn).get(flagged).next_charge_date == date(2026, 12, 27)
    audit = AuditRepository(conn).list(action=AMOUNT_MISMATCH)
    assert [(e.subscriber_id, e.staff) for e in audit] == [(flagged, "tester")]
    assert "i'mport charged ₩100,000, ₩1,000 was asked" in audit[0].detail
    [batch] = AuditRepository(conn).list(action="charge_batch")
    assert "(₩102,000)" in batch.detail and "1 AMOUNT MISMATCH(ES)" in batch.detail


def test_paid_for_less_than_asked_is_flagged_too(hostile: HostileServer, tmp_path: Path) -> None:
    hostile.charge = lambda asked: asked // 10
    conn = open_store(tmp_path / "db.sqlite3")
    _subscribers(conn, 50_000)

    async def go():  # type: ignore[no-untyped-def]
        async with _gateway(hostile) as gateway:
            engine = _engine(conn, gateway)
            return await engine.run(engine.plan(None, DUE, "tester"))

    result = asyncio.run(go())
    assert [(m.asked, m.paid) for m in result.mismatches] == [(50_000, 5_000)]
    assert result.progress.paid_amount == 5_000 and not result.ok


def test_a_mismatch_found_by_reconciliation_is_flagged(
    hostile: HostileServer, tmp_path: Path
) -> None:
    """A crash left the intent 'sent'; i'mport has it paid for 100×: reconcile records it paid,
    flags it and says so."""
    conn = open_store(tmp_path / "db.sqlite3")
    [sid] = _subscribers(conn, 1000)
    with conn.transaction():
        cid = ChargeRepository(conn).insert(
            NewCharge(sid, "cu_1", "2026-11", 1, "kp-crash-1", 1000), batch_id="b0", staff="t"
        )
        ChargeRepository(conn).set_state(cid, ChargeState.SENT)
    hostile.payments["kp-crash-1"] = [payment_json("kp-crash-1", 100_000, "cu_1")]

    async def go():  # type: ignore[no-untyped-def]
        async with _gateway(hostile) as gateway:
            engine = _engine(conn, gateway)
            report = await engine.reconcile(staff="tester")
            return report, engine.amount_mismatches()

    report, mismatches = asyncio.run(go())
    assert [(r.amount, r.paid_amount) for r in report.mismatched] == [(1000, 100_000)]
    assert [(m.charge_id, m.paid) for m in mismatches] == [(cid, 100_000)]
    assert [e.subscriber_id for e in AuditRepository(conn).list(action=AMOUNT_MISMATCH)] == [sid]


def _data_dir(tmp_path: Path, server: HostileServer, *amounts: int) -> Path:
    data = tmp_path / "data"
    save_settings(data, Settings(api_base_url=server.base_url, staff_name="테스트직원"))
    conn = open_store(h.db_path(data))
    _subscribers(conn, *amounts, due=LONG_AGO)
    conn.close()
    return data


def test_charge_due_exits_1_and_warns_with_both_amounts(
    hostile: HostileServer, tmp_path: Path
) -> None:
    """The issue's case: it used to exit 0 with the intended total in the summary."""
    hostile.charge = lambda asked: asked * 100 if asked == 1000 else asked
    data = _data_dir(tmp_path, hostile, 1000, 2000)
    done = h.run_kpadmin(data, "charge-due", "--yes")
    assert done.returncode == 1, done.stderr
    out = done.stdout
    assert "2 paid (₩102,000)" in out
    assert "WARNING: 1 payment(s) were charged for another amount than was asked" in out
    assert "구독자1 (cu_1), " in out and "₩1,000 was asked, i'mport charged ₩100,000" in out
    # The JSON form says the same; a second run has nothing due and nothing new to flag.
    conn = open_store(h.db_path(data))
    paid = {c.customer_uid: c.paid_amount for c in ChargeRepository(conn).list_all()}
    assert paid == {"cu_1": 100_000, "cu_2": 2000}
    conn.close()


def test_charge_due_json_lists_the_mismatch(hostile: HostileServer, tmp_path: Path) -> None:
    hostile.charge = lambda asked: asked * 100
    data = _data_dir(tmp_path, hostile, 1000)
    done = h.run_kpadmin(data, "charge-due", "--yes", "--json")
    assert done.returncode == 1, done.stderr
    out = json.loads(done.stdout)
    assert out["ok"] is False and out["paid"] == 1 and out["paid_amount"] == 100_000
    assert out["charges"][0]["paid_amount"] == 100_000
    [m] = out["amount_mismatches"]
    assert (m["customer_uid"], m["asked"], m["paid"]) == ("cu_1", 1000, 100_000)


def test_reconcile_command_exits_1_on_a_mismatch(hostile: HostileServer, tmp_path: Path) -> None:
    data = _data_dir(tmp_path, hostile, 1000)
    conn = open_store(h.db_path(data))
    with conn.transaction():
        cid = ChargeRepository(conn).insert(
            NewCharge(1, "cu_1", "2026-11", 1, "kp-crash-1", 1000), batch_id="b0", staff="t"
        )
        ChargeRepository(conn).set_state(cid, ChargeState.SENT)
    conn.close()
    hostile.payments["kp-crash-1"] = [payment_json("kp-crash-1", 100_000, "cu_1")]
    done = h.run_kpadmin(data, "reconcile")
    assert done.returncode == 1, done.stderr
    assert "WARNING: 1 payment(s) were charged for another amount" in done.stdout
    assert "₩1,000 was asked, i'mport charged ₩100,000" in done.stdout


# --- echoed secrets ----------------------------------------------------------------------------


def test_echoed_secrets_reach_no_console_row_audit_or_export(
    hostile: HostileServer, tmp_path: Path
) -> None:
    """cu_1 is declined with a reason that echoes the secret, the token, a card and a phone; cu_2
    is rejected (code -1) with the same message; cu_3's earlier charge is looked up and the
    lookup fails with it. Then every exit: charge-due (text and JSON), reconcile, the journal,
    the audit, and the charges export."""
    data = _data_dir(tmp_path, hostile, 1000, 2000, 3000)
    hostile.decline["cu_1"] = echo(hostile)
    hostile.reject["cu_2"] = echo(hostile)
    conn = open_store(h.db_path(data))
    with conn.transaction():
        cid = ChargeRepository(conn).insert(
            NewCharge(3, "cu_3", "2026-11", 1, "kp-lost-3", 3000), batch_id="b0", staff="t"
        )
        ChargeRepository(conn).set_state(cid, ChargeState.SENT)
    conn.close()
    from tests.fixtures.hostile import Answer

    hostile.on(
        "GET",
        "/payments/findAll/kp-lost-3",
        lambda req: Answer.envelope(None, -1, echo(hostile), status=500),
    )
    outputs = []
    for args in (("charge-due", "--yes"), ("charge-due", "--yes", "--json"), ("reconcile",)):
        done = h.run_kpadmin(data, *args)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        outputs.append(done.stdout + done.stderr)
    console = "\n".join(outputs)
    assert "declined" in console and "[REDACTED]" in console and "010-****-5678" in console
    assert leaks(hostile, console) == [], console

    conn = open_store(h.db_path(data))
    charges = ChargeRepository(conn).list_all()
    reasons = "\n".join(c.fail_reason or "" for c in charges)
    assert {c.state for c in charges} >= {ChargeState.DECLINED, ChargeState.REJECTED}
    assert "[REDACTED]" in reasons and leaks(hostile, reasons) == [], reasons
    audit = "\n".join(e.detail for e in AuditRepository(conn).list())
    assert "[REDACTED]" in audit and leaks(hostile, audit) == [], audit
    conn.close()

    export = tmp_path / "charges.csv"
    done = h.run_kpadmin(data, "export", "charges", str(export))
    assert done.returncode == 0, done.stderr
    text = export.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert any("[REDACTED]" in r["fail_reason"] for r in rows)
    assert leaks(hostile, text) == [], text


def test_the_export_redacts_rows_an_older_kpadmin_stored(
    hostile: HostileServer, tmp_path: Path
) -> None:
    """Defence in depth: a fail_reason written raw (before this fix) leaves redacted."""
    data = _data_dir(tmp_path, hostile, 1000)
    conn = open_store(h.db_path(data))
    with conn.transaction():
        cid = ChargeRepository(conn).insert(
            NewCharge(1, "cu_1", "2026-11", 1, "kp-old-1", 1000), batch_id="b0", staff="t"
        )
        sql(
            conn,
            "UPDATE charges SET state = 'declined', fail_reason = ? WHERE id = ?",
            (f"card {CARD_GROUPED} tel {PHONE}", cid),
        )
    conn.close()
    export = tmp_path / "charges.csv"
    assert h.run_kpadmin(data, "export", "charges", str(export)).returncode == 0
    text = export.read_text(encoding="utf-8-sig")
    assert "4111-****-****-1111" in text and "010-****-5678" in text
    assert leaks(hostile, text) == []
