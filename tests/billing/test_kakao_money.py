"""A Kakao Money billing key, as the live service reports it (no card fields, ``pay_method``
"point"), is stored and shown as "카카오머니" wherever kpadmin keeps a card: import, charging."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from kpadmin.billing import csvio
from kpadmin.billing.cards import KAKAO_MONEY, card_label
from kpadmin.billing.engine import ChargeEngine
from kpadmin.iamport.client import IamportClient
from kpadmin.store import NewSubscriber, SubscriberRepository
from tests.billing.sandboxed import client_for, open_db, settle
from tests.clock import NOW, TODAY
from tests.fixtures.sandbox import RunningSandbox

pytestmark = pytest.mark.anyio

DUE = TODAY - timedelta(days=15)  # relative to the injected instant (tests/clock.py)


@pytest.mark.parametrize(
    ("card_name", "card_number", "pay_method", "pg_provider", "expected"),
    [
        ("신한카드", "451842******1234", "card", "kakaopay", "신한카드"),
        ("신한카드", None, None, "kakaopay", "신한카드"),
        (None, None, "point", None, KAKAO_MONEY),  # a payment says so itself
        (None, None, None, "kakaopay", KAKAO_MONEY),  # a Kakao Pay key without any card field
        (None, "451842******1234", None, "kakaopay", None),  # a card whose name is unknown
        (None, None, "card", "kakaopay", None),
        (None, None, None, "html5_inicis", None),  # another PG: nothing to infer
        (None, None, None, None, None),
    ],
)
def test_card_label(
    card_name: str | None,
    card_number: str | None,
    pay_method: str | None,
    pg_provider: str | None,
    expected: str | None,
) -> None:
    got = card_label(card_name, card_number, pay_method=pay_method, pg_provider=pg_provider)
    assert got == expected


async def test_import_names_a_kakao_money_key(sandbox: RunningSandbox, tmp_path: Path) -> None:
    sandbox.state.issue_billing_key("cu_card", card_name="신한카드", card_number="451842******1")
    sandbox.state.issue_billing_key("cu_money", pay_method="point")
    db = open_db(tmp_path)
    data = (
        "customer_uid,name,phone,amount\n"
        "cu_card,A,010-1111-1111,100\n"
        "cu_money,B,010-2222-2222,200\n"
    )
    async with IamportClient(sandbox.base_url, sandbox.imp_key, sandbox.imp_secret) as client:
        report = await csvio.import_subscribers(
            db, client, data.encode(), today=TODAY, staff="tester"
        )
    assert report.applied and sorted(report.added) == ["cu_card", "cu_money"]
    subs = {s.customer_uid: s for s in SubscriberRepository(db).list_all()}
    assert subs["cu_card"].card_name == "신한카드"
    assert subs["cu_money"].card_name == KAKAO_MONEY and subs["cu_money"].card_number is None


async def test_a_paid_point_charge_keeps_kakao_money_as_the_card(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    sandbox.state.issue_billing_key("cu_money", pay_method="point")
    db = open_db(tmp_path)
    # Signed up before kpadmin named Kakao Money: no card name stored yet.
    SubscriberRepository(db).add_many([NewSubscriber("cu_money", "구독자", 9900, DUE.day, DUE)])
    async with client_for(sandbox) as client:
        engine = ChargeEngine(db, client, clock=lambda: NOW, retry_delays=(0.05,))
        await settle(engine)
    paid = [p for p in sandbox.state.all_payments() if p["status"] == "paid"]
    assert len(paid) == 1 and paid[0]["pay_method"] == "point" and paid[0]["card_name"] is None
    (sub,) = SubscriberRepository(db).list_all()
    assert sub.card_name == KAKAO_MONEY and sub.card_number is None
