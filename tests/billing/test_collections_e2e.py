"""Issue #12's "done when": `kpadmin charge-due` as a scheduler runs it — child processes, twice a
day on successive (fake) days (KPADMIN_NOW) — against the sandbox over HTTP and a real SMTP server
on 127.0.0.1 (aiosmtpd): the declining card is tried on the first day and on days 1, 3 and 5 after
it, once a day; then it is past due and left alone; each customer gets each notice once."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from kpadmin.billing.periods import SEOUL
from kpadmin.billing.settings import Settings, save_settings
from kpadmin.store import NewSubscriber, open_store
from kpadmin.store.models import SubscriberState
from tests.billing import helpers as h
from tests.billing.notices.smtp_server import Handler, Server
from tests.clock import NOW, TODAY
from tests.fixtures.sandbox import RunningSandbox


@pytest.fixture
def smtp() -> Iterator[tuple[Server, Handler]]:
    handler = Handler()
    server = Server(handler)
    server.start()
    yield server, handler
    server.stop()


def _charge_due(data: Path, day: int, hours: int = 0, *extra: str) -> dict:
    """`charge-due` at 09:00 Korean time (plus ``hours``) on the ``day``-th day after today: the
    same Korean day whatever the injected instant's hour (KPADMIN_TEST_NOW)."""
    at = datetime.combine(TODAY + timedelta(days=day), time(9 + hours), tzinfo=SEOUL)
    result = h.run_kpadmin(
        data, "charge-due", "--yes", "--json", *extra, env={"KPADMIN_NOW": at.isoformat()}
    )
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_retries_on_days_1_3_5_then_past_due_and_each_notice_once(
    sandbox: RunningSandbox, smtp: tuple[Server, Handler], tmp_path: Path
) -> None:
    server, handler = smtp
    data = tmp_path / "data"
    save_settings(
        data,
        Settings(
            api_base_url=sandbox.base_url,
            staff_name="자동",
            notices="email",
            smtp_url=f"smtp://127.0.0.1:{server.url_port}",
            notice_from="카페 온도 <billing@cafe.example>",
            merchant_name="카페 온도",
            merchant_contact="02-555-0100",
        ),
    )
    sandbox.state.issue_billing_key("cu-declines", behaviour="decline")
    sandbox.state.issue_billing_key("cu-pays")
    store = open_store(h.db_path(data))
    declines = store.subscribers.add(
        NewSubscriber("cu-declines", "거절고객", 5000, TODAY.day, TODAY, email="no@example.com")
    ).id
    store.subscribers.add(
        NewSubscriber("cu-pays", "결제고객", 9900, TODAY.day, TODAY, email="yes@example.com")
    )
    store.close()

    tried_on: list[int] = []
    for day in range(8):
        for hours in (0, 6):  # a scheduler that runs twice a day
            out = _charge_due(data, day, hours)
            tried_on += [day for c in out["charges"] if c["customer_uid"] == "cu-declines"]
            if day == 0 and hours == 0:
                (declined,) = [c for c in out["charges"] if c["state"] == "declined"]
                assert declined["next_retry"] == (TODAY + timedelta(days=1)).isoformat()
                assert out["notices"]["sent"] == 2  # the receipt and the decline notice
    assert tried_on == [0, 1, 3, 5]

    store = open_store(h.db_path(data))
    assert store.subscribers.get(declines).state is SubscriberState.PAST_DUE
    assert store.notices.count_unsent() == 0
    store.close()
    paid = [p for p in sandbox.state.all_payments() if p["status"] == "paid"]
    assert [p["customer_uid"] for p in paid] == ["cu-pays"]

    by_kind = Counter(
        (r.rcpt_tos[0], r.message["Message-ID"].split("@")[0]) for r in handler.received
    )
    assert max(by_kind.values()) == 1  # no notice twice
    to = Counter(r.rcpt_tos[0] for r in handler.received)
    assert to == {"yes@example.com": 1, "no@example.com": 4}  # 3 declines + 1 past due
    subjects = [r.message["Subject"] for r in handler.received if r.rcpt_tos == ["no@example.com"]]
    assert len(set(subjects)) >= 2  # decline notices and the past-due notice differ
    texts = [
        r.message.get_body(("plain",)).get_content()
        for r in handler.received
        if r.rcpt_tos == ["no@example.com"]
    ]
    # The decline notices name the next retry day: day 1, then day 3, then day 5.
    for text, retry in zip(texts[:3], (1, 3, 5), strict=True):
        day = TODAY + timedelta(days=retry)
        assert f"{day.year}년 {day.month}월 {day.day}일" in text

    # Staff retry from the command line: charged once more (declined again), still past due,
    # and no second past-due mail for the period.
    out = _charge_due(data, 7, 8, "--retry-past-due", "cu-declines")
    assert [c["customer_uid"] for c in out["charges"]] == ["cu-declines"]
    assert out["charges"][0]["past_due"] is True
    store = open_store(h.db_path(data))
    assert store.subscribers.get(declines).state is SubscriberState.PAST_DUE
    store.close()
    assert Counter(r.rcpt_tos[0] for r in handler.received)["no@example.com"] == 4
    listed = h.run_kpadmin(data, "notices", "list", "--all", "--json")
    kinds = Counter(n["kind"] for n in json.loads(listed.stdout)["notices"])
    assert kinds == {"decline": 3, "past_due": 1, "receipt": 1}
    assert all(
        "@" in n["to"] and "no@" not in n["to"] for n in json.loads(listed.stdout)["notices"]
    )


def test_notices_send_from_the_command_line(
    sandbox: RunningSandbox, smtp: tuple[Server, Handler], tmp_path: Path
) -> None:
    """`kpadmin notices send`: off → refused (2); a server refusing for now → 1 and the notice
    waits for its back-off; later (KPADMIN_NOW + 2 min) → sent, 0; `list` then shows nothing."""
    from kpadmin.billing.notices import Recipient
    from kpadmin.billing.notices.rendering import Receipt
    from kpadmin.billing.outbox import NoticePolicy, enqueue

    server, handler = smtp
    data = tmp_path / "data"
    save_settings(data, Settings(api_base_url=sandbox.base_url))
    off = h.run_kpadmin(data, "notices", "send")
    assert off.returncode == 2 and "notices email" in off.stderr
    save_settings(
        data,
        Settings(
            api_base_url=sandbox.base_url,
            notices="email",
            smtp_url=f"smtp://127.0.0.1:{server.url_port}",
            notice_from="카페 온도 <billing@cafe.example>",
            merchant_name="카페 온도",
        ),
    )
    store = open_store(h.db_path(data))
    sid = store.subscribers.add(
        NewSubscriber("cu-1", "김민지", 9900, TODAY.day, TODAY, email="m@example.com")
    ).id
    facts = Receipt(
        recipient=Recipient("김민지", "m@example.com"),
        plan="월간",
        amount=9900,
        period=f"{TODAY:%Y-%m}",
        order_id="kp-cli-1",
        paid_at=NOW,
    )
    assert enqueue(store, NoticePolicy("email"), facts, sid, NOW)
    store.close()
    handler.data_reply = "451 4.3.0 try again later"
    first = h.run_kpadmin(data, "notices", "send", "--json")
    assert first.returncode == 1, first.stderr
    assert json.loads(first.stdout)["retry_later"] == 1
    handler.data_reply = None
    later = {"KPADMIN_NOW": (NOW + timedelta(minutes=2)).isoformat()}
    second = h.run_kpadmin(data, "notices", "send", "--json", env=later)
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout) == {
        "sent": 1,
        "retry_later": 0,
        "given_up": 0,
        "stopped": None,
        "unsent": 0,
    }
    assert len(handler.received) == 1
    listed = h.run_kpadmin(data, "notices", "list")
    assert listed.returncode == 0 and "No unsent notices." in listed.stdout


def test_the_monthly_cap_waits_for_the_first_and_is_no_card_failure(
    sandbox_factory, clock, smtp: tuple[Server, Handler], tmp_path: Path
) -> None:
    """The sandbox's `--monthly-limit` (1 paid charge per key and month): a key that already paid
    this month is declined with Kakao Pay's cap; charge-due waits for the 1st of next month (no
    attempt in between, however many runs) and then charges it; with retries off a card failure
    would have made it past due at once, the cap does not."""
    from kpadmin.billing.retry_policy import first_of_next_month

    server, handler = smtp
    sandbox = sandbox_factory(monthly_limit=1)
    data = tmp_path / "data"
    save_settings(
        data,
        Settings(
            api_base_url=sandbox.base_url,
            retry_days=(),
            notices="email",
            smtp_url=f"smtp://127.0.0.1:{server.url_port}",
            notice_from="카페 온도 <billing@cafe.example>",
            merchant_name="카페 온도",
        ),
    )
    sandbox.state.issue_billing_key("cu-cap")
    sandbox.state.pay_again(
        customer_uid="cu-cap", merchant_uid="earlier-this-month", amount=1000, name="x"
    )
    store = open_store(h.db_path(data))
    sid = store.subscribers.add(
        NewSubscriber("cu-cap", "한도고객", 5000, TODAY.day, TODAY, email="cap@example.com")
    ).id
    store.close()
    first = first_of_next_month(TODAY)

    def run_on(day: int) -> dict:
        clock.moment = NOW + timedelta(days=day)  # the sandbox's month follows the same clock
        return _charge_due(data, day)

    out = run_on(0)
    (capped,) = out["charges"]
    assert capped["state"] == "declined" and "[CARD_LIMIT]" in capped["message"]
    assert capped["next_retry"] == first.isoformat() and capped["past_due"] is False
    waiting = (first - TODAY).days - 1
    if waiting >= 1:
        out = run_on(waiting)
        assert out["charges"] == []
        (held,) = out["skipped"]
        assert held["reason"] == "cap_wait" and held["next_retry"] == first.isoformat()
    out = run_on((first - TODAY).days)
    assert [c["state"] for c in out["charges"]] == ["paid"]
    store = open_store(h.db_path(data))
    assert store.subscribers.get(sid).state is SubscriberState.ACTIVE
    store.close()
    assert len(handler.received) == 2  # the decline notice (naming the 1st) and the receipt
    text = handler.received[0].message.get_body(("plain",)).get_content()
    assert f"{first.year}년 {first.month}월 {first.day}일" in text


def test_a_price_change_is_told_by_e_mail_from_the_command_line(
    smtp: tuple[Server, Handler], tmp_path: Path
) -> None:
    """`kpadmin plans price` (its preview, then applied with its notices) and `kpadmin notices
    send` as child processes: the customer with an e-mail address gets one mail with the old and
    the new price, once, however often the change and the sending are repeated."""
    from kpadmin.billing.periods import next_charge_date, period_of

    server, handler = smtp
    data = tmp_path / "data"
    save_settings(
        data,
        Settings(
            staff_name="민지",
            notices="email",
            notice_days_before=3,
            smtp_url=f"smtp://127.0.0.1:{server.url_port}",
            notice_from="카페 온도 <billing@cafe.example>",
            merchant_name="카페 온도",
        ),
    )
    assert h.run_kpadmin(data, "plans", "add", "베이직", "9,900").returncode == 0
    store = open_store(h.db_path(data))
    for uid, email in (("cu-1", "m@example.com"), ("cu-2", "")):  # cu-2: nothing to send to
        store.subscribers.add(
            NewSubscriber(uid, "김민지", 9900, TODAY.day, TODAY, plan="베이직", email=email)
        )
    store.close()
    first_new = next_charge_date(TODAY, TODAY.day)
    price = ("plans", "price", "베이직", "12,900", "--from", period_of(first_new), "--json")
    preview = h.run_kpadmin(data, *price, "--dry-run")
    assert preview.returncode == 0, preview.stderr
    assert json.loads(preview.stdout)["notified"] == 1
    applied = h.run_kpadmin(data, *price)
    assert applied.returncode == 0 and json.loads(applied.stdout)["applied"], applied.stderr
    assert h.run_kpadmin(data, *price).returncode == 2  # the same change again: refused
    for _ in range(2):
        sent = h.run_kpadmin(data, "notices", "send", "--json")
        assert sent.returncode == 0, sent.stderr
    (mail,) = handler.received
    assert mail.rcpt_tos == ["m@example.com"]
    assert "요금 변경 안내" in mail.message["Subject"]
    body = mail.message.get_body(("plain",)).get_content()
    assert "₩9,900에서 ₩12,900으로" in body
    assert f"{first_new.year}년 {first_new.month}월 {first_new.day}일" in body
    listed = h.run_kpadmin(data, "notices", "list", "--all", "--json")
    assert [n["kind"] for n in json.loads(listed.stdout)["notices"]] == ["price_change"]
