"""`kpadmin import` and `kpadmin export` end to end: the CLI, a real SQLite store and the sandbox
over real HTTP (billing keys issued with the sandbox's key-in endpoint)."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import httpx
import pytest

from kpadmin import cli
from kpadmin.billing import csvio
from kpadmin.billing.periods import SEOUL, first_charge_date
from kpadmin.billing.settings import Settings, save_settings
from kpadmin.exitcodes import ExitCode
from kpadmin.iamport.gateway import open_gateway
from kpadmin.sandbox.config import SandboxConfig
from kpadmin.sandbox.server import SandboxServer
from kpadmin.store import open_store
from kpadmin.store.audit import AuditRepository
from kpadmin.store.charges import ChargeRepository, NewCharge
from kpadmin.store.models import ChargeState, SignupChannel, Subscriber, SubscriberState
from kpadmin.store.subscribers import SubscriberRepository
from tests.commands.memory_keyring import MemoryKeyring, memory_keyring
from tests.fixtures.sandbox import RunningSandbox

__all__ = ["memory_keyring"]

HEADER = "customer_uid,name,phone,amount,email,plan,next_charge_date"


def issue_keys(base_url: str, uids: Iterable[str]) -> None:
    """Billing keys through the sandbox's key-in endpoint, as a migration tool would."""
    with httpx.Client(base_url=base_url, timeout=10) as http:
        token = http.post(
            "/users/getToken", json={"imp_key": "sandbox-key", "imp_secret": "sandbox-secret"}
        ).json()["response"]["access_token"]
        for uid in uids:
            reply = http.post(
                f"/subscribe/customers/{uid}",
                headers={"Authorization": f"Bearer {token}"},
                json={"card_number": "4092-0230-1234-5678", "expiry": "2031-12", "birth": "900101"},
            )
            assert reply.status_code == 200 and reply.json()["code"] == 0, reply.text


@dataclass
class Setup:
    data_dir: Path
    base_url: str
    tmp: Path

    def run(self, *args: str) -> int:
        return cli.main(["--data-dir", str(self.data_dir), *args])

    def write(self, name: str, text: str, encoding: str = "utf-8") -> Path:
        path = self.tmp / name
        path.write_bytes(text.encode(encoding))
        return path

    def subscribers(self) -> list[Subscriber]:
        conn = open_store(self.data_dir / "sandbox" / "kpadmin.sqlite3")
        try:
            return SubscriberRepository(conn).list_all()
        finally:
            conn.close()

    def audit_actions(self) -> list[str]:
        conn = open_store(self.data_dir / "sandbox" / "kpadmin.sqlite3")
        try:
            return [e.action for e in AuditRepository(conn).list()]
        finally:
            conn.close()


@pytest.fixture
def setup(
    data_dir: Path, tmp_path: Path, sandbox: RunningSandbox, memory_keyring: MemoryKeyring
) -> Setup:
    """Sandbox mode pointed at the test's sandbox through api_base_url."""
    save_settings(data_dir, Settings(api_base_url=sandbox.base_url, staff_name="tester"))
    issue_keys(sandbox.base_url, [f"cu_{i}" for i in range(1, 6)])
    return Setup(data_dir, sandbox.base_url, tmp_path)


GOOD = (
    f"{HEADER}\n"
    "cu_1,김민지,010-1234-5678,9900,minji@example.com,Basic,\n"
    'cu_2,이준호,01098765432,"29,000",,Pro,\n'
    # A name a spreadsheet would run is refused (fields.NAME_FORMULA); a plan is defused on export.
    "cu_3,박서준,+82 10 5555 6666,15000,,=cmd|' /C calc'!A0,\n"
)


def test_import_then_reimport_is_idempotent(
    setup: Setup, capsys: pytest.CaptureFixture[str], today: date
) -> None:
    path = setup.write("good.csv", "\ufeff" + GOOD)
    assert setup.run("import", str(path)) == 0
    out = capsys.readouterr().out
    assert "3 new, 0 updated, 0 unchanged" in out
    subs = {s.customer_uid: s for s in setup.subscribers()}
    assert set(subs) == {"cu_1", "cu_2", "cu_3"}
    minji = subs["cu_1"]
    assert (minji.name, minji.phone, minji.amount, minji.plan) == (
        "김민지",
        "010-1234-5678",
        9900,
        "Basic",
    )
    assert minji.next_charge_date == first_charge_date(today)  # one cycle after the import
    assert minji.billing_day == today.day
    assert minji.state is SubscriberState.ACTIVE
    assert minji.channel is SignupChannel.IMPORT
    assert minji.card_name  # from the sandbox's key, verified on import
    assert subs["cu_2"].amount == 29000
    assert subs["cu_3"].phone == "010-5555-6666"
    assert setup.audit_actions().count("import") == 3

    before = setup.subscribers()
    assert setup.run("import", str(path)) == 0
    assert "0 new, 0 updated, 3 unchanged" in capsys.readouterr().out
    assert setup.subscribers() == before  # not even updated_at moved
    assert setup.audit_actions().count("import_file") == 1

    changed = setup.write("changed.csv", GOOD.replace("9900", "12000"))
    assert setup.run("import", str(changed)) == 0
    assert "0 new, 1 updated, 2 unchanged" in capsys.readouterr().out
    after = {s.customer_uid: s for s in setup.subscribers()}
    assert after["cu_1"].amount == 12000
    assert after["cu_1"].next_charge_date == minji.next_charge_date  # no date column value


def test_bad_rows_import_nothing_unless_skip_bad(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        f"{HEADER}\n"
        "cu_1,A,010-1111-1111,9900,,,\n"
        "cu_unknown,B,010-2222-2222,9900,,,\n"  # no billing key at i'mport
        "cu_2,C,010-3333-3333,99000000,,,\n"  # absurd amount
        "cu_3,D,010-4444-4444,5000,,,2020-01-01\n"  # in the past
        "cu_4,E,010-5555-5555,5000,,,\n"
        "cu_4,F,010-5555-5555,5000,,,\n"  # duplicate
        "cu_5,G,010-6666-6666,5000,,,\n"
    )
    path = setup.write("mixed.csv", text)
    assert setup.run("import", str(path)) == 1
    out = capsys.readouterr().out
    assert "line 3 (cu_unknown): i'mport has no billing key" in out
    assert "line 4 (cu_2): The amount is above ₩10,000,000; check it" in out
    assert "line 5 (cu_3): next_charge_date 2020-01-01 is in the past" in out
    assert "line 6 (cu_4): duplicate customer_uid (also on line 7)" in out
    assert "line 7 (cu_4)" in out
    assert "Nothing was imported" in out and "--skip-bad to import the 2 good row(s)" in out
    assert setup.subscribers() == []
    assert setup.audit_actions() == []

    assert setup.run("import", str(path), "--dry-run", "--skip-bad") == 0
    assert "Dry run, nothing written. Would import: 2 new" in capsys.readouterr().out
    assert setup.subscribers() == []

    assert setup.run("import", str(path), "--skip-bad") == 0
    assert (
        "Imported: 2 new, 0 updated, 0 unchanged, 5 bad row(s) skipped" in capsys.readouterr().out
    )
    assert sorted(s.customer_uid for s in setup.subscribers()) == ["cu_1", "cu_5"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (
            b"uid,name,phone,amount\ncu_1,A,010-1111-1111,100\n",
            "missing required column(s): customer_uid",
        ),
        (bytes(range(256)) * 8, "binary data"),
        (b"PK\x03\x04" + os.urandom(300), "Excel workbook"),
        (HEADER.encode() + b"\n", "no rows"),
    ],
)
def test_unusable_files_change_nothing(
    setup: Setup, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = setup.tmp / "broken.csv"
    path.write_bytes(content)
    assert setup.run("import", str(path)) == 2
    err = capsys.readouterr().err
    assert message in err and "Nothing was imported" in err
    assert setup.subscribers() == []


def test_missing_file(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    assert setup.run("import", str(setup.tmp / "nope.csv")) == 2
    assert "cannot read" in capsys.readouterr().err


def test_api_failure_imports_nothing(
    setup: Setup, sandbox: RunningSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox.set_faults(error_before=1.0, endpoints={"customers_multi"})
    path = setup.write("good.csv", GOOD)
    assert setup.run("import", str(path)) == ExitCode.GATEWAY
    assert "Nothing was imported" in capsys.readouterr().err
    assert setup.subscribers() == []


def test_cp949_file_from_korean_excel(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    path = setup.write("excel.csv", GOOD.replace("\n", "\r\n"), encoding="cp949")
    assert setup.run("import", str(path)) == 0
    assert "(cp949)" in capsys.readouterr().out
    assert {s.name for s in setup.subscribers()} >= {"김민지", "이준호"}


def test_verify_keys_in_chunks_against_the_sandbox(sandbox: RunningSandbox) -> None:
    issue_keys(sandbox.base_url, ["k_1", "k_3", "k_5"])

    async def run() -> tuple[set[str], set[str]]:
        async with open_gateway(sandbox.base_url, "sandbox-key", "sandbox-secret") as gateway:
            found, missing = await csvio.verify_keys(
                gateway, ["k_1", "k_2", "k_3", "k_4", "k_5"], chunk=2
            )
            return set(found), missing

    found, missing = asyncio.run(run())
    assert found == {"k_1", "k_3", "k_5"}
    assert missing == {"k_2", "k_4"}


def test_import_through_the_built_in_sandbox(
    data_dir: Path,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """No api_base_url: the command starts the in-process sandbox on the data dir's state file,
    so keys issued there earlier (by the GUI, or here by hand) are found."""
    state_file = data_dir / "sandbox" / "sandbox-state.sqlite3"
    state_file.parent.mkdir(parents=True, exist_ok=True)
    server = SandboxServer(SandboxConfig(), state_path=state_file)
    try:
        issue_keys(server.start(), ["cu_1", "cu_2", "cu_3"])
    finally:
        server.close()
    path = tmp_path / "good.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert cli.main(["--data-dir", str(data_dir), "import", str(path)]) == 0
    assert "3 new" in capsys.readouterr().out


def test_export_round_trip_and_injection_escaping(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    assert setup.run("import", str(setup.write("good.csv", GOOD))) == 0
    out_path = setup.tmp / "subs.csv"
    assert setup.run("export", "subscribers", str(out_path)) == 0
    assert "3 subscribers written" in capsys.readouterr().out
    raw = out_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM for Korean
    if os.name == "posix":
        assert stat.S_IMODE(out_path.stat().st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    by_uid = {r["customer_uid"]: r for r in rows}
    assert by_uid["cu_3"]["plan"] == "'=cmd|' /C calc'!A0"  # defused
    assert by_uid["cu_1"]["phone"] == "010-1234-5678"  # as stored
    assert by_uid["cu_1"]["amount"] == "9900"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    assert b"sandbox-secret" not in raw

    # Re-importing the export changes nothing (the ' prefix is undone, extra columns ignored).
    before = setup.subscribers()
    assert setup.run("import", str(out_path)) == 0
    out = capsys.readouterr().out
    assert "0 new, 0 updated, 3 unchanged" in out
    assert "ignored columns" in out
    assert setup.subscribers() == before

    # An existing file is replaced only with --force.
    assert setup.run("export", "subscribers", str(out_path)) == 2
    assert "--force" in capsys.readouterr().err
    assert setup.run("export", "subscribers", str(out_path), "--force") == 0


def test_export_charges(setup: Setup, capsys: pytest.CaptureFixture[str], now: datetime) -> None:
    period = f"{now.astimezone(SEOUL):%Y-%m}"
    assert setup.run("import", str(setup.write("good.csv", GOOD))) == 0
    conn = open_store(setup.data_dir / "sandbox" / "kpadmin.sqlite3")
    try:
        subs = SubscriberRepository(conn).list_all()
        charges = ChargeRepository(conn)
        with conn.transaction():
            first = charges.insert(
                NewCharge(subs[0].id, subs[0].customer_uid, period, 1, "kp-test-1", 9900),
                batch_id="b1",
                staff="tester",
            )
            second = charges.insert(
                NewCharge(subs[1].id, subs[1].customer_uid, period, 1, "kp-test-2", 29000),
                batch_id="b1",
                staff="tester",
            )
            charges.set_state(first, ChargeState.SENT)
            charges.set_state(first, ChargeState.PAID, imp_uid="imps_1", paid_at=now)
            charges.set_state(second, ChargeState.SENT)
            charges.set_state(second, ChargeState.DECLINED, fail_reason="=한도초과")
    finally:
        conn.close()
    path = setup.tmp / "charges.csv"
    assert setup.run("export", "charges", str(path)) == 0
    assert "2 charges written" in capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    assert [r["merchant_uid"] for r in rows] == ["kp-test-1", "kp-test-2"]
    assert rows[0]["state"] == "paid" and rows[0]["imp_uid"] == "imps_1"
    assert rows[0]["subscriber_name"] == "김민지"
    # Stored in UTC, exported in Korean time with its offset (the same instant).
    assert rows[0]["paid_at"] == now.astimezone(SEOUL).isoformat()
    assert rows[0]["paid_at"].endswith("+09:00")
    assert datetime.fromisoformat(rows[0]["paid_at"]) == now
    assert rows[1]["state"] == "declined"
    assert rows[1]["fail_reason"] == "'=한도초과"
    assert list(rows[0]) == list(csvio.CHARGE_EXPORT_COLUMNS)


def test_no_update_under_a_charge_in_doubt(
    setup: Setup, capsys: pytest.CaptureFixture[str], today: date
) -> None:
    assert setup.run("import", str(setup.write("good.csv", GOOD))) == 0
    conn = open_store(setup.data_dir / "sandbox" / "kpadmin.sqlite3")
    try:
        sub = SubscriberRepository(conn).get_by_uid("cu_1")
        assert sub is not None
        with conn.transaction():
            ChargeRepository(conn).insert(
                NewCharge(sub.id, "cu_1", f"{today:%Y-%m}", 1, "kp-doubt-1", 9900),
                batch_id=None,
                staff="tester",
            )  # planned: the outcome is not known yet
    finally:
        conn.close()
    changed = setup.write("changed.csv", GOOD.replace("9900", "12000"))
    capsys.readouterr()
    assert setup.run("import", str(changed)) == 1
    assert "line 2 (cu_1): this subscriber has a charge in flight" in capsys.readouterr().out
    assert {s.customer_uid: s.amount for s in setup.subscribers()}["cu_1"] == 9900


def test_update_audit_says_what_changed_with_phone_masked(setup: Setup) -> None:
    assert setup.run("import", str(setup.write("good.csv", GOOD))) == 0
    changed = GOOD.replace("9900", "12000").replace("010-1234-5678", "010-2222-3333")
    assert setup.run("import", str(setup.write("changed.csv", changed))) == 0
    conn = open_store(setup.data_dir / "sandbox" / "kpadmin.sqlite3")
    try:
        (event,) = AuditRepository(conn).list(action="import_update")
    finally:
        conn.close()
    assert event.staff == "tester"
    assert "amount: 9900 → 12000" in event.detail
    assert "phone: 010-****-5678 → 010-****-3333" in event.detail
    assert "2222" not in event.detail
