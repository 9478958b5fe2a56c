"""`kpadmin refund` as a user runs it: a real child process, the settings pointing at a sandbox over
HTTP, a charge paid by `kpadmin charge-due` first."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from kpadmin.exitcodes import ExitCode
from kpadmin.store import AuditRepository, ChargeRepository, open_store
from kpadmin.store.models import Charge
from tests.billing import helpers as h
from tests.clock import TODAY
from tests.fixtures.sandbox import RunningSandbox

DUE = TODAY - timedelta(days=2)


def paid(sandbox: RunningSandbox, tmp_path: Path) -> tuple[Path, Charge]:
    data = tmp_path / "data"
    h.prepare(data, sandbox.base_url, 1, due=DUE)
    charged = h.run_kpadmin(data, "charge-due", "--yes", "--json")
    assert charged.returncode == 0, charged.stderr
    return data, charges(data)[0]


def charges(data: Path) -> list[Charge]:
    store = open_store(h.db_path(data))
    try:
        return ChargeRepository(store).list_all()
    finally:
        store.close()


def test_refund_part_by_imp_uid_then_the_rest_by_merchant_uid(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    data, charge = paid(sandbox, tmp_path)
    assert charge.imp_uid
    part = h.run_kpadmin(
        data, "refund", "--imp-uid", charge.imp_uid, "--amount", "400", "--reason", "고객 요청"
    )
    assert part.returncode == ExitCode.OK, part.stderr
    assert "Refunded ₩400" in part.stdout
    rest = h.run_kpadmin(
        data, "refund", "--merchant-uid", charge.merchant_uid, "--reason", "해지", "--json"
    )
    assert rest.returncode == ExitCode.OK, rest.stderr
    out = json.loads(rest.stdout)
    assert out["ok"] and out["state"] == "refunded"
    assert out["refunded"] == charge.amount - 400 and out["refunded_total"] == charge.amount
    assert charges(data)[0].cancelled_amount == charge.amount
    assert sandbox.state.get_payment(charge.imp_uid)["cancel_amount"] == charge.amount
    store = open_store(h.db_path(data))
    try:
        audits = AuditRepository(store).list(action="refund")
    finally:
        store.close()
    assert len(audits) == 2 and {a.staff for a in audits} == {"테스트직원"}
    # Nothing left: a usage error, nothing sent.
    again = h.run_kpadmin(data, "refund", "--imp-uid", charge.imp_uid, "--reason", "x")
    assert again.returncode == ExitCode.USAGE and "nothing left" in again.stderr


def test_bad_requests_change_nothing(sandbox: RunningSandbox, tmp_path: Path) -> None:
    data, charge = paid(sandbox, tmp_path)
    unknown = h.run_kpadmin(data, "refund", "--imp-uid", "imp_000000000000", "--reason", "x")
    assert unknown.returncode == ExitCode.USAGE and "no such charge" in unknown.stderr
    too_much = h.run_kpadmin(
        data,
        "refund",
        "--merchant-uid",
        charge.merchant_uid,
        "--amount",
        str(charge.amount + 1),
        "--reason",
        "x",
    )
    assert too_much.returncode == ExitCode.USAGE and f"₩{charge.amount:,}" in too_much.stderr
    no_reason = h.run_kpadmin(
        data, "refund", "--merchant-uid", charge.merchant_uid, "--reason", " "
    )
    assert no_reason.returncode == ExitCode.USAGE and "reason" in no_reason.stderr
    both = h.run_kpadmin(data, "refund", "--imp-uid", "a", "--merchant-uid", "b", "--reason", "x")
    assert both.returncode == ExitCode.USAGE and "Traceback" not in both.stderr
    assert charges(data)[0].cancelled_amount == 0
    assert sandbox.state.get_payment(charge.imp_uid)["cancel_amount"] == 0


def test_a_balance_changed_elsewhere_exits_attention(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    data, charge = paid(sandbox, tmp_path)
    assert charge.imp_uid
    sandbox.state.cancel(imp_uid=charge.imp_uid, amount=100, reason="console")
    result = h.run_kpadmin(data, "refund", "--imp-uid", charge.imp_uid, "--reason", "x", "--json")
    assert result.returncode == ExitCode.ATTENTION
    out = json.loads(result.stdout)
    assert out["state"] == "refused" and out["balance_differs"] is True and not out["ok"]
    assert charges(data)[0].cancelled_amount == 0
