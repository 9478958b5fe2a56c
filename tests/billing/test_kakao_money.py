"""A Kakao Money billing key, as the live service reports it (no card fields, ``pay_method``
"point"), is stored and shown as "카카오머니" wherever kpadmin keeps a card: import, charging.
(How the adapter reads it from i'mport's fields: tests/iamport/test_gateway.py.)"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from kpadmin.billing import csvio
from kpadmin.billing.engine import ChargeEngine
from kpadmin.store import NewSubscriber, SubscriberRepository
from tests.billing.sandboxed import gateway_for, open_db, settle
from tests.clock import NOW, TODAY
from tests.fixtures.sandbox import RunningSandbox

KAKAO_MONEY = "카카오머니"

pytestmark = pytest.mark.anyio

DUE = TODAY - timedelta(days=15)  # relative to the injected instant (tests/clock.py)


async def test_import_names_a_kakao_money_key(sandbox: RunningSandbox, tmp_path: Path) -> None:
    sandbox.state.issue_billing_key("cu_card", card_name="신한카드", card_number="451842******1")
    sandbox.state.issue_billing_key("cu_money", pay_method="point")
    db = open_db(tmp_path)
    data = (
        "customer_uid,name,phone,amount\n"
        "cu_card,A,010-1111-1111,100\n"
        "cu_money,B,010-2222-2222,200\n"
    )
    async with gateway_for(sandbox) as gateway:
        report = await csvio.import_subscribers(
            db, gateway, data.encode(), today=TODAY, staff="tester"
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
    async with gateway_for(sandbox) as gateway:
        engine = ChargeEngine(db, gateway, clock=lambda: NOW, retry_delays=(0.05,))
        await settle(engine)
    paid = [p for p in sandbox.state.all_payments() if p["status"] == "paid"]
    assert len(paid) == 1 and paid[0]["pay_method"] == "point" and paid[0]["card_name"] is None
    (sub,) = SubscriberRepository(db).list_all()
    assert sub.card_name == KAKAO_MONEY and sub.card_number is None
