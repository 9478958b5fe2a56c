"""`kpadmin plans list|add|price`: the catalogue from the command line; a price change's preview
(`--dry-run`) says who changes and how many customers are told, applying writes their notices
once, and a refused change exits 2 with the reason."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kpadmin import cli
from kpadmin.billing.periods import next_charge_date, period_of
from kpadmin.billing.settings import Settings, save_settings
from kpadmin.store import NewSubscriber, open_store


def run(data: Path, *args: str) -> int:
    return cli.main(["--data-dir", str(data), *args])


@pytest.fixture
def data(data_dir: Path) -> Path:
    save_settings(
        data_dir,
        Settings(
            staff_name="tester",
            notices="email",
            notice_days_before=7,
            smtp_url="smtp://127.0.0.1:2525",
            notice_from="카페 온도 <billing@cafe.example>",
            merchant_name="카페 온도",
        ),
    )
    return data_dir


def db(data: Path):
    return open_store(data / "sandbox" / "kpadmin.sqlite3")


def test_a_price_change_from_the_command_line(
    data: Path, today: date, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data, "plans", "add", "베이직", "9,900") == 0
    assert "added 베이직: ₩9,900" in capsys.readouterr().out
    assert run(data, "plans", "add", "베이직", "1000") == 2
    assert "already has" in capsys.readouterr().err
    store = db(data)
    store.subscribers.add(
        NewSubscriber("cu_1", "가", 9900, today.day, today, plan="베이직", email="a@example.com")
    )
    store.subscribers.add(NewSubscriber("cu_2", "나", 9900, today.day, today, plan="베이직"))
    store.close()
    this_month = period_of(today)
    args = ("plans", "price", "베이직", "12,900", "--from", this_month)
    assert run(data, *args, "--dry-run", "--json") == 0
    preview = json.loads(capsys.readouterr().out)
    assert preview["now"] == ["cu_1", "cu_2"] and preview["notified"] == 1
    assert preview["short_notice"] == [{"customer_uid": "cu_1", "first_charge": today.isoformat()}]
    assert preview["applied"] is False
    store = db(data)
    assert store.notices.entries() == [] and store.subscribers.list_all()[0].amount == 9900
    store.close()
    assert run(data, *args) == 0
    out = capsys.readouterr().out
    assert "customers told by e-mail: 1" in out and "sooner than the 7-day notice" in out
    assert out.rstrip().endswith("applied")
    # The same change again: nothing to do, refused, no second notice.
    assert run(data, *args) == 2
    assert "already costs" in capsys.readouterr().err
    store = db(data)
    (notice,) = store.notices.entries()
    assert notice.key.endswith(":cu_1")
    assert {s.amount for s in store.subscribers.list_all()} == {12900}
    store.close()
    assert run(data, "plans", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == {
        "plans": [{"name": "베이직", "price": 12900, "subscribers": 2, "waiting_from": None}]
    }


def test_refusals_exit_2_with_the_reason(
    data: Path, today: date, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data, "plans", "list") == 0
    assert "No plans yet" in capsys.readouterr().out
    assert run(data, "plans", "price", "없는 상품", "1000", "--from", period_of(today)) == 2
    assert "no plan named" in capsys.readouterr().err
    assert run(data, "plans", "add", "베이직", "9900") == 0
    next_month = period_of(next_charge_date(today, today.day))
    assert run(data, "plans", "price", "베이직", "0", "--from", next_month) == 2
    assert run(data, "plans", "price", "베이직", "1000", "--from", "2026/13") == 2
    assert "YYYY-MM" in capsys.readouterr().err
