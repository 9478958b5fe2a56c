"""`kpadmin import` with a preview: absent columns change nothing, large amount changes need
`--allow-large-changes`, `--dry-run` lists new / changed (old → new) / unchanged / bad, and a file
as Korean Excel saves it (CP949, Korean headers, ₩ as a backslash, dotted dates, a dropped 0)
imports."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.commands.test_import_export import HEADER, Setup, memory_keyring, setup

__all__ = ["memory_keyring", "setup"]

FULL = (
    f"{HEADER}\n"
    "cu_1,김민지,010-1234-5678,9900,minji@example.com,Basic,\n"
    "cu_2,이준호,010-9876-5432,29000,,Pro,\n"
)


def by_uid(setup: Setup) -> dict:
    return {s.customer_uid: s for s in setup.subscribers()}


def test_a_column_absent_from_the_file_never_changes_its_field(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    assert setup.run("import", str(setup.write("full.csv", FULL))) == 0
    four = "customer_uid,name,phone,amount\ncu_1,김민지,010-1234-5678,12000\n"
    capsys.readouterr()
    assert setup.run("import", str(setup.write("four.csv", four))) == 0
    assert "1 updated" in capsys.readouterr().out
    sub = by_uid(setup)["cu_1"]
    assert (sub.amount, sub.email, sub.plan) == (12000, "minji@example.com", "Basic")
    # A column present with an empty cell does clear the optional field.
    cleared = "customer_uid,name,phone,amount,email\ncu_1,김민지,010-1234-5678,12000,\n"
    assert setup.run("import", str(setup.write("cleared.csv", cleared))) == 0
    assert by_uid(setup)["cu_1"].email == "" and by_uid(setup)["cu_1"].plan == "Basic"


@pytest.mark.parametrize(
    ("new_amount", "large"),
    [(29700, False), (29701, True), (3300, False), (3299, True), (1_009_900, True)],
)
def test_a_large_amount_change_needs_allow_large_changes(
    setup: Setup, capsys: pytest.CaptureFixture[str], new_amount: int, large: bool
) -> None:
    assert setup.run("import", str(setup.write("full.csv", FULL))) == 0
    changed = setup.write("changed.csv", FULL.replace(",9900,", f",{new_amount},"))
    capsys.readouterr()
    code = setup.run("import", str(changed))
    out = capsys.readouterr().out
    if not large:
        assert code == 0 and by_uid(setup)["cu_1"].amount == new_amount
        return
    assert code == 1
    assert f"line 2 (cu_1): amount ₩9,900 → ₩{new_amount:,} is a large change" in out
    assert "--allow-large-changes" in out
    assert by_uid(setup)["cu_1"].amount == 9900
    assert setup.run("import", str(changed), "--allow-large-changes") == 0
    assert by_uid(setup)["cu_1"].amount == new_amount


def test_dry_run_previews_new_changed_unchanged_and_bad_and_writes_nothing(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    assert setup.run("import", str(setup.write("full.csv", FULL))) == 0
    before = setup.subscribers()
    mixed = (
        f"{HEADER}\n"
        "cu_1,김민지,010-1234-5678,12000,minji@example.com,Pro,\n"  # changed
        "cu_2,이준호,010-9876-5432,29000,,Pro,\n"  # unchanged
        "cu_3,박서준,010-5555-6666,15000,,,\n"  # new
        "cu_4,+김철수,010-7777-8888,15000,,,\n"  # bad
    )
    capsys.readouterr()
    assert setup.run("import", str(setup.write("mixed.csv", mixed)), "--dry-run") == 1
    out = capsys.readouterr().out
    assert "1 new:\n  line 4 (cu_3): 박서준, ₩15,000" in out
    assert "1 changed:\n  cu_1: plan: Basic → Pro; amount: ₩9,900 → ₩12,000" in out
    assert "1 unchanged" in out
    assert "line 5 (cu_4): The name starts with +" in out
    assert "Dry run, nothing written" in out
    assert setup.subscribers() == before


def test_a_file_as_korean_excel_saves_it_imports(
    setup: Setup, capsys: pytest.CaptureFixture[str], today: date
) -> None:
    later = today + timedelta(days=20)
    dotted = f"{later.year}. {later.month}. {later.day}."
    text = (
        "고객 UID,이름,휴대폰 번호,금액,이메일,상품,다음 결제일\n"
        f'cu_1,김민지,1012345678,"\\9,900",,베이직,{dotted}\n'
        f'cu_2,이준호,010-9876-5432,"￦29,000",,프로,{later:%Y.%m.%d}\n'
        f"cu_3,박서준,01055556666,15000원,,,{later:%Y/%m/%d}\n"
    )
    path = setup.write("excel.csv", text, encoding="cp949")
    assert setup.run("import", str(path)) == 0, capsys.readouterr().out
    subs = by_uid(setup)
    assert subs["cu_1"].phone == "010-1234-5678" and subs["cu_1"].amount == 9900
    assert subs["cu_2"].amount == 29000 and subs["cu_3"].amount == 15000
    assert {s.next_charge_date for s in subs.values()} == {later}
    # The same file again changes nothing.
    capsys.readouterr()
    assert setup.run("import", str(path)) == 0
    assert "0 new, 0 updated, 3 unchanged" in capsys.readouterr().out
