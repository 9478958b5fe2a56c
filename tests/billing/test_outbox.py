"""The customer notices' durable outbox (kpadmin/billing/outbox.py, kpadmin/store/notices.py):
written in the transaction of the outcome that causes it, each notice once, sent after the batch
to a real SMTP server on 127.0.0.1 (aiosmtpd) and marked sent; refusals, dropped connections and
a server that is not there retried with back-off or given up."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kpadmin.billing.collections import Collections
from kpadmin.billing.engine import ChargeEngine
from kpadmin.billing.notices import Merchant
from kpadmin.billing.notices.smtp import SmtpConfig, SmtpNotifier
from kpadmin.billing.outbox import NoticePolicy, enqueue_advance, send_due
from kpadmin.billing.periods import today_in_seoul
from kpadmin.store import NewSubscriber, Store, open_store
from kpadmin.store.models import ChargeState
from tests.billing.fakes import FakeGateway
from tests.billing.notices.smtp_server import Handler, Server
from tests.clock import FrozenClock

pytestmark = pytest.mark.anyio

EMAIL = NoticePolicy("email")
MERCHANT = Merchant("카페 온도", "02-555-0100")


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def store(tmp_path: Path, clock: FrozenClock) -> Store:
    return open_store(tmp_path / "kp.sqlite3", clock=clock)


@pytest.fixture
def handler() -> Handler:
    return Handler()


@pytest.fixture
def server(handler: Handler) -> Iterator[Server]:
    controller = Server(handler)
    controller.start()
    yield controller
    controller.stop()


def notifier(server: Server, clock: FrozenClock, port: int | None = None) -> SmtpNotifier:
    config = SmtpConfig.from_url(
        f"smtp://127.0.0.1:{port or server.url_port}",
        sender=("카페 온도", "billing@cafe.example"),
        timeout=10,
    )
    return SmtpNotifier(config, clock=clock)


def add(store: Store, clock: FrozenClock, uid: str = "cu-1", email: str = "minji@example.com"):
    due = today_in_seoul(clock)
    return store.subscribers.add(
        NewSubscriber(uid, "김민지", 9900, due.day, due, email=email, phone="010-1234-5678")
    ).id


def engine(store: Store, api: FakeGateway, clock: FrozenClock, **kw: object) -> ChargeEngine:
    collections = Collections((1, 3, 5), notices=EMAIL)
    return ChargeEngine(store, api, clock=clock, retry_delays=(0.0,), collections=collections)


async def run_once(eng: ChargeEngine) -> int:
    plan = eng.plan(None, None, "자동")
    if plan.count:
        await eng.run(plan, concurrency=2)
    return plan.count


def kinds(store: Store) -> list[str]:
    return [n.kind for n in reversed(store.notices.entries())]


# --- in: written with the outcome -------------------------------------------------------------


async def test_each_outcome_writes_its_notice_once(store: Store, clock: FrozenClock) -> None:
    sid = add(store, clock)
    add(store, clock, "cu-no-mail", email="")  # no address: no notice
    api = FakeGateway(clock=clock)
    api.default = "decline"
    eng = engine(store, api, clock)
    assert await run_once(eng) == 2
    await eng.reconcile()  # a second look at the same outcomes writes nothing new
    (decline,) = store.notices.entries()
    assert decline.kind == "decline" and decline.subscriber_id == sid
    facts = json.loads(decline.facts)
    assert facts["next_retry"] == (today_in_seoul(clock) + timedelta(days=1)).isoformat()
    assert facts["recipient"]["email"] == "minji@example.com"
    clock.advance(days=1)
    api.default = "pay"
    assert await run_once(eng) == 2
    assert kinds(store) == ["decline", "receipt"]
    receipt = store.notices.entries()[0]
    assert json.loads(receipt.facts)["amount"] == 9900


async def test_past_due_writes_a_past_due_notice_not_a_fourth_decline(
    store: Store, clock: FrozenClock
) -> None:
    add(store, clock)
    api = FakeGateway(clock=clock)
    api.default = "decline"
    eng = engine(store, api, clock)
    for offset in (0, 1, 3, 5):
        clock.moment = FrozenClock().moment + timedelta(days=offset)
        assert await run_once(eng) == 1
    assert kinds(store) == ["decline", "decline", "decline", "past_due"]


async def test_a_notice_is_written_in_the_outcomes_transaction(
    store: Store, clock: FrozenClock
) -> None:
    """When recording the outcome fails after the notice was written, neither stays: the
    notice cannot exist without its outcome (nor the outcome, once recorded, without it)."""

    class Failing(Collections):
        def after_outcome(self, store: Store, **kw: object) -> None:  # type: ignore[override]
            super().after_outcome(store, **kw)  # type: ignore[arg-type]
            raise OSError(28, "No space left on device")

    sid = add(store, clock)
    api = FakeGateway(clock=clock)
    eng = ChargeEngine(
        store, api, clock=clock, retry_delays=(0.0,), collections=Failing((1, 3, 5), EMAIL)
    )
    result = await eng.run(eng.plan(None, None, "x"), concurrency=1)
    assert not result.ok
    assert store.notices.entries() == []
    assert [c.state for c in store.charges.for_subscriber(sid)] != [ChargeState.PAID]


async def test_advance_notices_once_per_charge_date(store: Store, clock: FrozenClock) -> None:
    today = today_in_seoul(clock)
    soon = today + timedelta(days=3)
    later = today + timedelta(days=9)
    store.subscribers.add(NewSubscriber("cu-soon", "가", 1000, soon.day, soon, email="a@x.kr"))
    store.subscribers.add(NewSubscriber("cu-later", "나", 1000, later.day, later, email="b@x.kr"))
    policy = NoticePolicy("email", days_before=3)
    assert enqueue_advance(store, policy, today=today, now=clock()) == 1
    assert enqueue_advance(store, policy, today=today, now=clock()) == 0
    (notice,) = store.notices.entries()
    assert notice.key == f"advance:cu-soon:{soon.isoformat()}"
    assert json.loads(notice.facts)["days_before"] == 3
    assert enqueue_advance(store, NoticePolicy("email"), today=today, now=clock()) == 0


# --- out: sent after the batch ----------------------------------------------------------------


async def _declined_and_paid(store: Store, clock: FrozenClock) -> None:
    add(store, clock)
    api = FakeGateway(clock=clock)
    api.default = "decline"
    eng = engine(store, api, clock)
    await run_once(eng)
    clock.advance(days=1)
    api.default = "pay"
    await run_once(eng)


async def test_sent_once_and_marked(
    store: Store, clock: FrozenClock, server: Server, handler: Handler
) -> None:
    await _declined_and_paid(store, clock)
    async with notifier(server, clock) as channel:
        report = await send_due(store, channel, merchant=MERCHANT, clock=clock)
        again = await send_due(store, channel, merchant=MERCHANT, clock=clock)
    assert (report.sent, report.retry_later, report.given_up) == (2, 0, 0)
    assert again.sent == 0
    assert len(handler.received) == 2
    subjects = [r.message["Subject"] for r in handler.received]
    assert all("카페 온도" in s for s in subjects)
    assert [r.rcpt_tos for r in handler.received] == [["minji@example.com"]] * 2
    assert "₩9,900" in handler.received[1].message.get_body(("plain",)).get_content()
    assert {n.state for n in store.notices.entries()} == {"sent"}
    assert store.notices.count_unsent() == 0


async def test_a_server_that_refuses_for_now_is_tried_again_after_the_back_off(
    store: Store, clock: FrozenClock, server: Server, handler: Handler
) -> None:
    await _declined_and_paid(store, clock)
    handler.data_reply = "451 4.3.0 try again later"
    async with notifier(server, clock) as channel:
        report = await send_due(store, channel, merchant=MERCHANT, clock=clock)
        assert (report.sent, report.retry_later) == (0, 2)
        first, _ = store.notices.entries()
        assert first.state == "pending" and first.attempts == 1
        assert first.next_attempt_at == clock() + timedelta(minutes=1)
        assert "451" in (first.last_error or "")
        handler.data_reply = None
        assert (await send_due(store, channel, merchant=MERCHANT, clock=clock)).sent == 0
        clock.advance(minutes=1)
        assert (await send_due(store, channel, merchant=MERCHANT, clock=clock)).sent == 2
    assert len(handler.received) == 2


async def test_a_server_that_refuses_for_good_gives_up_and_staff_can_retry(
    store: Store, clock: FrozenClock, server: Server, handler: Handler
) -> None:
    await _declined_and_paid(store, clock)
    handler.rcpt_reply = "550 5.1.1 <minji@example.com>: user unknown"
    async with notifier(server, clock) as channel:
        report = await send_due(store, channel, merchant=MERCHANT, clock=clock)
        assert (report.sent, report.given_up) == (0, 2)
        assert {n.state for n in store.notices.entries()} == {"failed"}
        assert store.notices.count_unsent() == 2
        assert "minji@example.com" not in (store.notices.entries()[0].last_error or "")
        handler.rcpt_reply = None
        assert store.notices.retry_failed(None, clock()) == 2
        assert (await send_due(store, channel, merchant=MERCHANT, clock=clock)).sent == 2


async def test_a_dropped_connection_is_retried_and_delivered_once(
    store: Store, clock: FrozenClock, server: Server, handler: Handler
) -> None:
    await _declined_and_paid(store, clock)
    server.faults["drop"] = "mid-data"
    async with notifier(server, clock) as channel:
        report = await send_due(store, channel, merchant=MERCHANT, clock=clock)
        assert report.sent == 0 and report.retry_later >= 1
        assert server.faults["dropped"] == "mid-data"
        server.faults.clear()
        for _ in range(3):
            clock.advance(minutes=5)
            await send_due(store, channel, merchant=MERCHANT, clock=clock)
    assert {n.state for n in store.notices.entries()} == {"sent"}
    ids = [r.message["Message-ID"] for r in handler.received]
    assert len(ids) == 2 == len(set(ids))  # each notice delivered once


async def test_a_server_that_is_not_there_stops_the_sending(
    store: Store, clock: FrozenClock, server: Server
) -> None:
    import socket

    await _declined_and_paid(store, clock)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with notifier(server, clock, port=port) as channel:
        report = await send_due(store, channel, merchant=MERCHANT, clock=clock)
    assert report.sent == 0 and report.retry_later == 1 and report.stopped
    states = sorted((n.state, n.attempts) for n in store.notices.entries())
    assert states == [("pending", 0), ("pending", 1)]  # the second was not tried


async def test_a_claimed_notice_is_sent_by_one_desk_only(
    store: Store, clock: FrozenClock, server: Server, handler: Handler
) -> None:
    await _declined_and_paid(store, clock)
    first = store.notices.due(clock())[0]
    assert store.notices.claim(first, clock())
    assert not store.notices.claim(first, clock())  # a second desk read the same row
    async with notifier(server, clock) as channel:
        assert (await send_due(store, channel, merchant=MERCHANT, clock=clock)).sent == 1
        # The claiming desk died: after ten minutes the notice is sent (once).
        clock.advance(minutes=11)
        assert (await send_due(store, channel, merchant=MERCHANT, clock=clock)).sent == 1
    assert len(handler.received) == 2


async def test_a_price_change_notice_is_sent_by_the_outbox(
    store: Store, clock: FrozenClock, server: Server, handler: Handler
) -> None:
    """Applying a plan's new price writes its notice; the sender after the batch mails it once,
    in Korean, with the old and new amount and the first charge at the new one."""
    from kpadmin.billing import plans
    from kpadmin.billing.periods import next_charge_date, period_of

    today = today_in_seoul(clock)
    plan = plans.add_plan(store, "베이직", 9900, staff="t", now=clock())
    store.subscribers.add(
        NewSubscriber(
            "cu-1", "김민지", 9900, today.day, today, plan="베이직", email="m@example.com"
        )
    )
    store.subscribers.add(NewSubscriber("cu-2", "나", 9900, today.day, today, plan="베이직"))
    first_new = next_charge_date(today, today.day)
    policy = NoticePolicy("email", days_before=3)
    preview = plans.preview_price_change(
        store, plan, 12900, period_of(first_new), today=today, notices=policy
    )
    assert len(preview.notified) == 1  # cu-2 has no address
    plans.apply_price_change(store, preview, staff="t", now=clock(), notices=policy)
    async with notifier(server, clock) as channel:
        report = await send_due(store, channel, merchant=MERCHANT, clock=clock)
        again = await send_due(store, channel, merchant=MERCHANT, clock=clock)
    assert (report.sent, again.sent) == (1, 0)
    (mail,) = handler.received
    assert mail.rcpt_tos == ["m@example.com"]
    assert "베이직 요금 변경 안내" in mail.message["Subject"]
    body = mail.message.get_body(("plain",)).get_content()
    assert "₩9,900에서 ₩12,900으로" in body
    assert f"{first_new.year}년 {first_new.month}월 {first_new.day}일" in body
    assert {n.state for n in store.notices.entries()} == {"sent"}
