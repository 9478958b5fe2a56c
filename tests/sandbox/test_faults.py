"""Network faults over real HTTP: each kind, where it applies, and that a seed reproduces them."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from kpadmin.sandbox.config import SandboxConfig
from tests.fixtures.sandbox import RunningSandbox, SandboxFactory
from tests.sandbox.api import Api


def charge(api: Api, merchant_uid: str) -> httpx.Response:
    return api.http.post(
        "/subscribe/payments/again",
        headers={"Authorization": f"Bearer {api.token}"},
        json={"customer_uid": "cu", "merchant_uid": merchant_uid, "amount": 5000, "name": "구독"},
    )


@pytest.fixture
def api(sandbox: RunningSandbox) -> Iterator[Api]:
    client = Api(sandbox)
    client.issue_key("cu")
    yield client
    client.close()


def test_error_before_does_not_process(sandbox: RunningSandbox, api: Api) -> None:
    sandbox.set_faults(error_before=1.0)
    answer = charge(api, "m-eb")
    assert answer.status_code == 500 and answer.json()["code"] != 0
    assert sandbox.state.find_payments("m-eb") == []


def test_error_after_processes_then_500(sandbox: RunningSandbox, api: Api) -> None:
    sandbox.set_faults(error_after=1.0)
    answer = charge(api, "m-ea")
    assert answer.status_code == 500
    assert [p["status"] for p in sandbox.state.find_payments("m-ea")] == ["paid"]


def test_drop_after_is_a_transport_error_after_processing(
    sandbox: RunningSandbox, api: Api
) -> None:
    sandbox.set_faults(drop_after=1.0)
    with pytest.raises(httpx.TransportError):
        charge(api, "m-drop")
    assert [p["status"] for p in sandbox.state.find_payments("m-drop")] == ["paid"]
    sandbox.clear_faults()
    # The client may look it up afterwards (reconcile) and must not be able to pay it twice.
    assert api.find_all("m-drop").json()["response"]["total"] == 1
    assert charge(api, "m-drop").json()["code"] != 0


def test_delay_after_outlasts_the_read_timeout(sandbox: RunningSandbox, api: Api) -> None:
    sandbox.set_faults(delay_after=1.0, delay_s=30)
    with pytest.raises(httpx.ReadTimeout):
        api.http.post(
            "/subscribe/payments/again",
            headers={"Authorization": f"Bearer {api.token}"},
            json={"customer_uid": "cu", "merchant_uid": "m-late", "amount": 1, "name": "n"},
            timeout=httpx.Timeout(5.0, read=0.3),
        )
    assert [p["status"] for p in sandbox.state.find_payments("m-late")] == ["paid"]


def test_delay_after_answers_eventually(sandbox: RunningSandbox, api: Api) -> None:
    sandbox.set_faults(delay_after=1.0, delay_s=0.2)
    assert charge(api, "m-slow").json()["response"]["status"] == "paid"


def test_faults_only_hit_their_endpoints(sandbox: RunningSandbox, api: Api) -> None:
    sandbox.set_faults(error_before=1.0)  # default endpoints: all but getToken
    token = httpx.post(f"{sandbox.base_url}/users/getToken", json=sandbox.credentials)
    assert token.status_code == 200
    sandbox.set_faults(endpoints={"cancel"})
    assert charge(api, "m-ok").json()["response"]["status"] == "paid"
    assert api.call("post", "/payments/cancel", json={"merchant_uid": "m-ok"}).status_code == 500
    with pytest.raises(ValueError):
        sandbox.set_faults(endpoints={"nonsense"})
    with pytest.raises(ValueError):
        sandbox.set_faults(drop_after=1.5)


def test_seeded_faults_are_reproducible(sandbox_factory: SandboxFactory) -> None:
    def run() -> list[int]:
        box = sandbox_factory(seed=11, fault_error_before=0.3, fault_error_after=0.3)
        box.state.issue_billing_key("cu", card_name="신한카드")
        api = Api(box)
        codes = [charge(api, f"m{i}").status_code for i in range(15)]
        api.close()
        return codes

    first = run()
    assert first == run()
    assert set(first) == {200, 500}


def test_config_validates_rates() -> None:
    with pytest.raises(ValueError):
        SandboxConfig(decline_rate=2)
    with pytest.raises(ValueError):
        SandboxConfig(fault_endpoints=frozenset({"nope"}))


def test_latency_still_answers_correctly(sandbox_factory: SandboxFactory) -> None:
    box = sandbox_factory(latency_ms=20)
    api = Api(box)
    assert api.issue_key("cu").json()["code"] == 0
    api.close()


def test_logs_carry_no_secret_or_token(
    sandbox: RunningSandbox, api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "kpadmin"):
        caplog.set_level(logging.DEBUG, logger=name)
    token = httpx.post(f"{sandbox.base_url}/users/getToken", json=sandbox.credentials)
    access_token = token.json()["response"]["access_token"]
    sandbox.set_faults(drop_after=1.0)
    with pytest.raises(httpx.TransportError):
        charge(api, "m-log")
    sandbox.set_faults(drop_after=0.0, error_after=1.0)
    charge(api, "m-log2")
    text = caplog.text
    assert sandbox.imp_secret not in text
    assert access_token not in text and api.token not in text
