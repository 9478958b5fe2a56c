"""`--state FILE`: tokens, billing keys, payments and cancel history survive a restart."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures.sandbox import SandboxFactory
from tests.sandbox.api import Api


def test_state_survives_a_restart_on_another_port(
    sandbox_factory: SandboxFactory, tmp_path: Path
) -> None:
    path = tmp_path / "sandbox.sqlite"
    first = sandbox_factory(state_path=path)
    api = Api(first)
    api.issue_key("cu", customer_name="박둘")
    paid = api.again("cu", "keep-1", amount=12000).json()["response"]
    api.cancel(imp_uid=paid["imp_uid"], amount=2000, reason="부분 환불")
    api.issue_key("gone")
    api.call("delete", "/subscribe/customers/gone")
    token = api.token
    api.close()
    first.server.close()

    second = sandbox_factory(state_path=path)
    assert second.base_url != "" and path.exists()
    api = Api(second, token=token)  # the token issued before the restart still works
    customer = api.call("get", "/subscribe/customers/cu", "/subscribe/customers/{customer_uid}")
    assert customer.status_code == 200 and customer.json()["response"]["customer_name"] == "박둘"
    assert api.call("get", "/subscribe/customers/gone").status_code == 404
    found = api.call("get", "/payments/find/keep-1", "/payments/find/{merchant_uid}")
    payment = found.json()["response"]
    assert payment["imp_uid"] == paid["imp_uid"] and payment["cancel_amount"] == 2000
    assert [h["reason"] for h in payment["cancel_history"]] == ["부분 환불"]
    assert payment["receipt_url"].startswith(second.base_url)  # receipts follow the new port
    assert api.again("cu", "keep-1").json()["code"] != 0  # still paid: no second charge
    token_again = api.http.post("/users/getToken", json=second.credentials).json()["response"]
    assert token_again["access_token"] == token  # same token until it expires
    api.close()
