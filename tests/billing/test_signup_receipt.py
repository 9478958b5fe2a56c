"""The first payment taken at sign-up gets its receipt e-mail (issue #12): written to the
notices outbox in the transaction that saves the verified sign-up, once per order id, only with
notices on and an e-mail address, and sent by the next outbox send to a real SMTP server
(aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kpadmin.billing import signup as su
from kpadmin.billing.notices import Merchant
from kpadmin.billing.notices.smtp import SmtpConfig, SmtpNotifier
from kpadmin.billing.outbox import NoticePolicy, send_due
from kpadmin.billing.signup import VerifiedPayment, VerifiedSignup
from kpadmin.store import Store, open_store
from tests.billing.notices.smtp_server import Handler, Server
from tests.billing.test_signup import GOOD, attempt_for, replace
from tests.clock import FrozenClock

EMAIL = NoticePolicy("email")
NOW = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)  # 2026-11-28 01:00 in Seoul


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def store(tmp_path: Path, clock: FrozenClock) -> Store:
    return open_store(tmp_path / "kp.sqlite3", clock=clock)


def verified(*, email: str = GOOD.email, paid: bool = True) -> VerifiedSignup:
    attempt = attempt_for(replace(email=email, first_payment_now=paid))
    first = (
        VerifiedPayment(
            payment_id="imp_000000000001", amount=9900, receipt_url="https://r/1", paid_at=NOW
        )
        if paid
        else None
    )
    return VerifiedSignup(
        attempt=attempt,
        card_name="카카오페이 (신한카드)",
        card_number="451842******1234",
        first_payment=first,
    )


def test_the_first_payment_writes_its_receipt_with_the_signup(store: Store) -> None:
    signup = verified()
    sub = su.save_verified_signup(store, signup, staff="민지", now=NOW, notices=EMAIL)
    (notice,) = store.notices.entries()
    assert notice.key == f"receipt:{signup.attempt.order_id}"
    assert (notice.kind, notice.state, notice.subscriber_id) == ("receipt", "pending", sub.id)
    facts = json.loads(notice.facts)
    assert facts["amount"] == 9900
    assert facts["order_id"] == signup.attempt.order_id
    assert facts["recipient"]["email"] == "haneul@example.com"
    assert facts["receipt_url"] == "https://r/1"
    assert facts["paid_at"] == NOW.isoformat()


def test_the_receipt_is_in_the_signups_transaction(store: Store) -> None:
    """Saving the same sign-up again fails (its key exists): no second receipt, and the notice
    key is the one a reconciliation of that order would write (so never a second one either)."""
    signup = verified()
    su.save_verified_signup(store, signup, staff="민지", now=NOW, notices=EMAIL)
    with pytest.raises(Exception):  # noqa: B017 (the store's IntegrityError)
        su.save_verified_signup(store, signup, staff="민지", now=NOW, notices=EMAIL)
    assert len(store.notices.entries()) == 1
    assert store.subscribers.count() == 1


def test_the_receipt_is_rolled_back_with_a_failed_save(store: Store) -> None:
    class Failing(Exception):
        pass

    original = store.audit.record

    def failing_record(*args: object, **kwargs: object) -> None:
        original(*args, **kwargs)  # type: ignore[arg-type]
        raise Failing

    store.audit.record = failing_record  # type: ignore[method-assign]
    with pytest.raises(Failing):
        su.save_verified_signup(store, verified(), staff="민지", now=NOW, notices=EMAIL)
    assert store.notices.entries() == []
    assert store.subscribers.count() == 0


@pytest.mark.parametrize(
    ("email", "paid", "policy"),
    [
        ("haneul@example.com", True, NoticePolicy()),  # notices off
        ("haneul@example.com", True, None),  # no policy given
        ("", True, EMAIL),  # nowhere to send it
        ("haneul@example.com", False, EMAIL),  # key only: nothing was paid
    ],
    ids=["off", "none", "no-email", "key-only"],
)
def test_no_receipt_without_notices_an_address_or_a_payment(
    store: Store, email: str, paid: bool, policy: NoticePolicy | None
) -> None:
    su.save_verified_signup(
        store, verified(email=email, paid=paid), staff="민지", now=NOW, notices=policy
    )
    assert store.subscribers.count() == 1
    assert store.notices.entries() == []


@pytest.fixture
def handler() -> Handler:
    return Handler()


@pytest.fixture
def server(handler: Handler) -> Iterator[Server]:
    controller = Server(handler)
    controller.start()
    yield controller
    controller.stop()


@pytest.mark.anyio
async def test_the_next_send_mails_the_signup_receipt(
    store: Store, clock: FrozenClock, server: Server, handler: Handler
) -> None:
    signup = verified()
    su.save_verified_signup(store, signup, staff="민지", now=NOW, notices=EMAIL)
    config = SmtpConfig.from_url(
        f"smtp://127.0.0.1:{server.url_port}",
        sender=("카페 온도", "billing@cafe.example"),
        timeout=10,
    )
    async with SmtpNotifier(config, clock=clock) as channel:
        report = await send_due(
            store, channel, merchant=Merchant("카페 온도", "02-555-0100"), clock=clock
        )
    assert (report.sent, report.retry_later, report.given_up) == (1, 0, 0)
    (mail,) = handler.received
    assert mail.rcpt_tos == ["haneul@example.com"]
    body = mail.message.get_body(("plain",)).get_content()
    assert "₩9,900" in body
    assert signup.attempt.order_id in body
    assert store.notices.count_unsent() == 0
