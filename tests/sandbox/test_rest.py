"""The sandbox's REST API over real HTTP; every body is checked against v1.openapi.yml."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx
import pytest

from kpadmin.sandbox.app import DECLINING_TEST_CARD, FAILING_TEST_CARD
from kpadmin.sandbox.faults import DECLINE_REASONS
from kpadmin.sandbox.state import ALWAYS_DECLINE_REASON, MONTHLY_LIMIT_REASON
from tests.fixtures.sandbox import RunningSandbox, SandboxFactory
from tests.sandbox.api import Api, Clock
from tests.sandbox.spec import assert_matches_spec

TOKEN = "/users/getToken"


@pytest.fixture
def api(sandbox: RunningSandbox) -> Iterator[Api]:
    client = Api(sandbox)
    yield client
    client.close()


# ----------------------------------------------------------------------------- tokens and auth


def test_get_token_json_and_form(sandbox: RunningSandbox) -> None:
    with httpx.Client(base_url=sandbox.base_url) as http:
        as_json = http.post(TOKEN, json=sandbox.credentials)
        as_form = http.post(TOKEN, data=sandbox.credentials)
    for answer in (as_json, as_form):
        assert answer.status_code == 200
        assert_matches_spec(TOKEN, "post", 200, answer.json())
    first, second = as_json.json()["response"], as_form.json()["response"]
    assert first["access_token"] == second["access_token"]
    assert first["expired_at"] - first["now"] == 30 * 60


@pytest.mark.parametrize(
    "body",
    [
        {"imp_key": "sandbox-key", "imp_secret": "wrong"},
        {"imp_key": "wrong", "imp_secret": "sandbox-secret"},
        {"imp_key": "sandbox-key"},
        {},
    ],
)
def test_get_token_bad_credentials_401(sandbox: RunningSandbox, body: dict[str, str]) -> None:
    answer = httpx.post(f"{sandbox.base_url}{TOKEN}", json=body)
    assert answer.status_code == 401
    assert_matches_spec(TOKEN, "post", 401, answer.json())


def test_token_reuse_and_extension_rule(sandbox_factory: SandboxFactory) -> None:
    clock = Clock(datetime(2026, 3, 1, 0, 0, tzinfo=UTC))
    box = sandbox_factory(clock=clock)

    def token() -> dict[str, int | str]:
        answer = httpx.post(f"{box.base_url}{TOKEN}", json=box.credentials)
        assert_matches_spec(TOKEN, "post", answer.status_code, answer.json())
        result: dict[str, int | str] = answer.json()["response"]
        return result

    first = token()
    t0 = int(clock().timestamp())
    assert (first["now"], first["expired_at"]) == (t0, t0 + 1800)
    clock.advance(1000)  # well before expiry: same token, same expiry
    assert token() == {**first, "now": t0 + 1000}
    clock.advance(1800 - 1000 - 30)  # in the last minute: same token, expiry + 5 min
    extended = token()
    assert extended["access_token"] == first["access_token"]
    assert extended["expired_at"] == t0 + 1800 + 300
    clock.advance(100)  # past the original expiry but inside the extension: still valid
    assert token()["access_token"] == first["access_token"]
    api = Api(box, token=str(first["access_token"]))
    assert api.call("get", "/subscribe/customers/x").status_code == 404
    clock.advance(300)  # now past the extended expiry
    assert api.call("get", "/subscribe/customers/x").status_code == 401
    fresh = token()
    assert fresh["access_token"] != first["access_token"]
    assert fresh["expired_at"] == int(clock().timestamp()) + 1800
    api.close()


def test_endpoints_need_a_valid_token(sandbox: RunningSandbox) -> None:
    path = "/subscribe/customers/{customer_uid}"
    with httpx.Client(base_url=sandbox.base_url) as http:
        for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "nope"}):
            answer = http.get("/subscribe/customers/cu", headers=headers)
            assert answer.status_code == 401
            assert_matches_spec(path, "get", 401, answer.json())
        token = sandbox.token()
        bare = http.get("/subscribe/customers/cu", headers={"Authorization": token})
        legacy = http.get("/subscribe/customers/cu", headers={"X-ImpTokenHeader": token})
    assert bare.status_code == legacy.status_code == 404  # authenticated, the key just isn't there


# ----------------------------------------------------------------------------- billing keys


def test_key_in_issue_get_multi_and_delete(api: Api) -> None:
    issued = api.issue_key("cu_1", customer_name="김하나", customer_tel="010-1234-5678").json()
    customer = issued["response"]
    assert issued["code"] == 0 and customer["customer_uid"] == "cu_1"
    assert customer["card_number"] == "411111******1111"
    # Live style (the default): no `sandbox` field; a key-in key is a card key.
    assert "sandbox" not in customer and customer["pg_provider"] == "kakaopay"
    assert customer["card_name"] == "신한카드"
    path = "/subscribe/customers/{customer_uid}"
    got = api.call("get", "/subscribe/customers/cu_1", path)
    assert got.json()["response"] == customer
    api.issue_key("cu_2")

    multi = "/subscribe/customers"
    both = api.call("get", multi, multi, params={"customer_uid[]": ["cu_1", "cu_2"]})
    assert both.status_code == 200
    assert [c["customer_uid"] for c in both.json()["response"]] == ["cu_1", "cu_2"]
    some = api.call("get", multi, multi, params={"customer_uid[]": ["cu_1", "nobody"]})
    assert some.status_code == 207
    assert [c["customer_uid"] for c in some.json()["response"]] == ["cu_1"]
    none = api.call("get", multi, multi, params={"customer_uid[]": ["nobody"]})
    assert none.status_code == 404 and none.json()["code"] != 0

    deleted = api.call("delete", "/subscribe/customers/cu_1", path, params={"reason": "해지"})
    assert deleted.status_code == 200 and deleted.json()["response"]["customer_uid"] == "cu_1"
    assert api.call("get", "/subscribe/customers/cu_1", path).status_code == 404
    assert api.call("delete", "/subscribe/customers/cu_1", path).status_code == 404


def test_reissue_replaces_the_key(api: Api) -> None:
    api.issue_key("cu", card_number="5111-1111-1111-2222")
    again = api.issue_key("cu", card_number="4111-1111-1111-3333").json()["response"]
    assert again["card_number"].endswith("3333")
    assert api.again("cu", "m-1").json()["response"]["card_number"].endswith("3333")


@pytest.mark.parametrize(
    "fields",
    [
        {"card_number": "4111111111111111"},
        {"card_number": "4111-1111-1111-111"},
        {"expiry": "2099-13"},
        {"expiry": "12/99"},
        {"expiry": "2001-01"},
        {"birth": "9001"},
        {"pwd_2digit": "1"},
        {"card_number": FAILING_TEST_CARD},
    ],
)
def test_key_in_refusals(api: Api, fields: dict[str, str]) -> None:
    answer = api.issue_key("cu_bad", **fields)
    assert answer.status_code == 200 and answer.json()["code"] == -1
    assert answer.json()["response"] is None
    assert api.box.state.get_customer("cu_bad") is None


# ----------------------------------------------------------------------------- charging


def test_again_paid_shape(api: Api) -> None:
    api.issue_key("cu")
    answer = api.again("cu", "order-1", amount=9900, name="9월 구독")
    body = answer.json()
    payment = body["response"]
    assert answer.status_code == 200 and body["code"] == 0
    assert payment["status"] == "paid" and payment["amount"] == 9900
    assert re.fullmatch(r"imp_\d{12}", payment["imp_uid"]) and payment["merchant_uid"] == "order-1"
    assert payment["paid_at"] > 0 and payment["failed_at"] == 0 and payment["fail_reason"] is None
    assert payment["channel"] == "api" and payment["customer_uid_usage"] == "payment"
    assert "sandbox" not in payment  # live style (captured answers)
    assert payment["pay_method"] == "card" and re.fullmatch(r"\d{8}", payment["apply_num"])
    assert payment["card_number"] == "411111******1111" and payment["card_name"] == "신한카드"
    assert payment["receipt_url"] == f"{api.box.base_url}/sandbox/receipts/{payment['imp_uid']}"
    receipt = api.http.get(payment["receipt_url"])
    assert receipt.status_code == 200 and "order-1" in receipt.text
    assert api.http.get("/sandbox/receipts/imp_000000000000").status_code == 404


def test_decline_is_code_0_status_failed(api: Api) -> None:
    api.issue_key("cu", card_number=DECLINING_TEST_CARD)
    body = api.again("cu", "order-d").json()
    payment = body["response"]
    assert body["code"] == 0 and payment["status"] == "failed"
    assert payment["fail_reason"] == ALWAYS_DECLINE_REASON
    assert payment["failed_at"] > 0 and payment["paid_at"] == 0


def test_paid_merchant_uid_cannot_be_paid_again(api: Api) -> None:
    api.issue_key("cu")
    first = api.again("cu", "order-x").json()["response"]
    dup = api.again("cu", "order-x")
    assert dup.status_code == 200 and dup.json()["code"] != 0 and dup.json()["response"] is None
    listed = api.find_all("order-x").json()["response"]
    assert listed["total"] == 1 and listed["list"][0]["imp_uid"] == first["imp_uid"]


def test_failed_merchant_uid_can_be_retried_and_find_all_lists_every_attempt(
    sandbox_factory: SandboxFactory,
) -> None:
    clock = Clock(datetime(2026, 5, 1, tzinfo=UTC))
    box = sandbox_factory(clock=clock, decline_rate=1.0)
    api = Api(box)
    api.issue_key("cu")
    failed = api.again("cu", "order-r").json()["response"]
    assert failed["status"] == "failed" and failed["fail_reason"] in DECLINE_REASONS
    box.set_faults(decline_rate=0.0)
    clock.advance(5)
    paid = api.again("cu", "order-r").json()["response"]
    assert paid["status"] == "paid" and paid["imp_uid"] != failed["imp_uid"]

    listed = api.find_all("order-r").json()["response"]
    assert [p["imp_uid"] for p in listed["list"]] == [paid["imp_uid"], failed["imp_uid"]]
    oldest_first = api.find_all("order-r", sorting="started").json()["response"]["list"]
    assert [p["status"] for p in oldest_first] == ["failed", "paid"]
    only_failed = api.call(
        "get",
        "/payments/findAll/order-r/failed",
        "/payments/findAll/{merchant_uid}/{payment_status}",
    ).json()["response"]
    assert [p["imp_uid"] for p in only_failed["list"]] == [failed["imp_uid"]]

    find = "/payments/find/{merchant_uid}"
    assert api.call("get", "/payments/find/order-r", find).json()["response"] == paid
    assert (
        api.call("get", "/payments/find/order-r/failed", find).json()["response"]["imp_uid"]
        == failed["imp_uid"]
    )
    assert api.call("get", "/payments/find/order-r/cancelled", find).status_code == 404
    assert api.call("get", "/payments/find/nothing", find).status_code == 404
    assert (
        api.call("get", "/payments/findAll/nothing", find.replace("find", "findAll")).status_code
        == 404
    )
    api.close()


def test_again_rejects_unknown_and_deleted_keys_without_a_payment(api: Api) -> None:
    unknown = api.again("nobody", "order-u").json()
    assert unknown["code"] == -1 and unknown["response"] is None
    api.issue_key("cu")
    api.call("delete", "/subscribe/customers/cu")
    deleted = api.again("cu", "order-u").json()
    assert deleted["code"] == -1 and deleted["response"] is None
    assert api.find_all("order-u").status_code == 404


@pytest.mark.parametrize(
    ("amount", "name"),
    [(0, "n"), (-100, "n"), (10.5, "n"), ("abc", "n"), (None, "n"), (100, None), (100, "가" * 41)],
)
def test_again_validates_amount_and_name(api: Api, amount: object, name: object) -> None:
    api.issue_key("cu")
    answer = api.again("cu", "order-v", amount=amount, name=name)
    assert answer.status_code == 200 and answer.json()["code"] != 0
    assert api.box.state.all_payments() == []


def test_again_accepts_a_form_body(api: Api) -> None:
    api.issue_key("cu")
    answer = api.call(
        "post",
        "/subscribe/payments/again",
        "/subscribe/payments/again",
        data={"customer_uid": "cu", "merchant_uid": "order-f", "amount": "1000", "name": "폼"},
    )
    assert answer.json()["response"]["amount"] == 1000


def test_seeded_declines_are_reproducible(sandbox_factory: SandboxFactory) -> None:
    def run() -> list[str]:
        box = sandbox_factory(seed=42, decline_rate=0.5)
        api = Api(box)
        api.issue_key("cu")
        statuses = [api.again("cu", f"o{i}").json()["response"]["status"] for i in range(12)]
        api.close()
        return statuses

    first = run()
    assert first == run()
    assert set(first) == {"paid", "failed"}


def test_monthly_limit_across_seoul_month_boundary(sandbox_factory: SandboxFactory) -> None:
    # 2026-06-30 14:00 UTC = 23:00 on June 30 in Seoul; 15:30 UTC = 00:30 on July 1 in Seoul.
    clock = Clock(datetime(2026, 6, 30, 14, 0, tzinfo=UTC))
    box = sandbox_factory(clock=clock, monthly_limit=2)
    api = Api(box)
    api.issue_key("cu")
    api.issue_key("other")
    june = [api.again("cu", f"jun-{i}").json()["response"] for i in range(3)]
    assert [p["status"] for p in june] == ["paid", "paid", "failed"]
    assert june[2]["fail_reason"] == MONTHLY_LIMIT_REASON
    assert api.again("other", "other-1").json()["response"]["status"] == "paid"  # per key
    clock.advance(90 * 60)  # still June 30 in UTC, already July in Seoul
    api.token = box.token()  # the old one expired meanwhile
    assert api.again("cu", "jun-2").json()["response"]["status"] == "paid"
    api.close()


# ----------------------------------------------------------------------------- lookups


def test_customer_payments_paged_by_20(api: Api) -> None:
    api.issue_key("cu")
    for i in range(23):
        api.again("cu", f"p{i}")
    path = "/subscribe/customers/{customer_uid}/payments"
    first = api.call("get", "/subscribe/customers/cu/payments", path).json()["response"]
    second = api.call("get", "/subscribe/customers/cu/payments", path, params={"page": 2}).json()[
        "response"
    ]
    assert (first["total"], first["previous"], first["next"], len(first["list"])) == (23, 0, 2, 20)
    assert (second["previous"], second["next"], len(second["list"])) == (1, 0, 3)
    uids = {p["merchant_uid"] for p in first["list"] + second["list"]}
    assert uids == {f"p{i}" for i in range(23)}
    assert api.call("get", "/subscribe/customers/nobody/payments", path).status_code == 404
    api.call("delete", "/subscribe/customers/cu")  # history outlives the key
    assert api.call("get", "/subscribe/customers/cu/payments", path).status_code == 200


def test_get_payment_hides_sandbox_payments_unless_asked(api: Api) -> None:
    api.issue_key("cu")
    imp_uid = api.again("cu", "order-g").json()["response"]["imp_uid"]
    path = "/payments/{imp_uid}"
    hidden = api.call("get", f"/payments/{imp_uid}", path)
    shown = api.call("get", f"/payments/{imp_uid}", path, params={"include_sandbox": "true"})
    assert hidden.status_code == 404
    assert shown.status_code == 200 and shown.json()["response"]["imp_uid"] == imp_uid
    unknown = "/payments/imp_000000000001"
    missing = api.call("get", unknown, path, params={"include_sandbox": "true"})
    assert missing.status_code == 404


def test_payments_by_status_and_bad_parameters(sandbox_factory: SandboxFactory) -> None:
    clock = Clock(datetime(2026, 8, 1, tzinfo=UTC))
    box = sandbox_factory(clock=clock)
    api = Api(box)
    api.issue_key("cu")
    api.issue_key("dec", card_number=DECLINING_TEST_CARD)
    t0 = int(clock().timestamp())
    api.again("cu", "s1")
    clock.advance(60)
    api.again("dec", "s2")
    clock.advance(60)
    api.again("cu", "s3")
    path = "/payments/status/{payment_status}"

    def listed(status: str, **params: object) -> list[str]:
        answer = api.call("get", f"/payments/status/{status}", path, params=params)
        assert answer.status_code == 200
        return [p["merchant_uid"] for p in answer.json()["response"]["list"]]

    assert listed("all") == ["s3", "s2", "s1"]
    assert listed("paid", sorting="paid") == ["s1", "s3"]
    assert listed("failed") == ["s2"]
    assert listed("all", **{"from": t0 + 30, "to": t0 + 90}) == ["s2"]
    assert listed("all", limit=2, page=2) == ["s1"]
    assert listed("all", limit=3, page=1) == ["s3", "s2", "s1"]  # the last page, exactly full
    assert listed("ready") == []  # no data: page 1 is an empty page, not an error
    day = 86400
    # The spec's window is at most 90 days: exactly 90 is fine, one second more is refused.
    assert listed("all", **{"from": t0 - 90 * day + 120, "to": t0 + 120}) == ["s3", "s2", "s1"]
    assert listed("all", to=t0 + 120) == ["s3", "s2", "s1"]  # from defaults to to − 90 days
    for bad_path, params in (
        ("/payments/status/all", {"from": t0 - 90 * day + 119, "to": t0 + 120}),
        ("/payments/status/all", {"from": t0 - 91 * day}),  # to defaults to now
        ("/payments/status/all", {"from": 0, "to": t0}),
        ("/payments/status/all", {"page": 2}),  # past the data (3 payments, 20 a page)
        ("/payments/status/all", {"limit": 2, "page": 3}),
        ("/payments/status/all", {"limit": 3, "page": 2}),
        ("/payments/status/ready", {"page": 2}),
        ("/payments/status/refunded", {}),
        ("/payments/status/all", {"limit": 0}),
        ("/payments/status/all", {"limit": 1001}),
        ("/payments/status/all", {"sorting": "amount"}),
        ("/payments/status/all", {"page": "x"}),
    ):
        assert api.call("get", bad_path, path, params=params).status_code == 400
    find_all = "/payments/findAll/{merchant_uid}"
    assert api.call("get", "/payments/findAll/s1", find_all, params={"limit": 0}).status_code == 400
    assert api.call("get", "/payments/findAll/s1/done", find_all).status_code == 400
    api.close()


# ----------------------------------------------------------------------------- cancel


def test_cancel_partial_checksum_and_full(api: Api) -> None:
    api.issue_key("cu")
    payment = api.again("cu", "order-c", amount=10000).json()["response"]
    imp_uid = payment["imp_uid"]

    mismatch = api.cancel(imp_uid=imp_uid, amount=3000, checksum=9000, reason="부분")
    assert mismatch.status_code == 200 and mismatch.json()["code"] != 0
    assert mismatch.json()["response"] is None
    assert api.box.state.get_payment(imp_uid)["cancel_amount"] == 0  # type: ignore[index]

    part = api.cancel(imp_uid=imp_uid, amount=3000, checksum=10000, reason="부분").json()
    assert part["code"] == 0
    assert part["response"]["status"] == "paid" and part["response"]["cancel_amount"] == 3000
    assert [h["amount"] for h in part["response"]["cancel_history"]] == [3000]

    too_much = api.cancel(merchant_uid="order-c", amount=7001).json()
    assert too_much["code"] != 0
    rest = api.cancel(merchant_uid="order-c", checksum=7000, reason="해지").json()["response"]
    assert rest["status"] == "cancelled" and rest["cancel_amount"] == 10000
    assert rest["cancelled_at"] > 0 and rest["cancel_reason"] == "해지"
    assert [h["amount"] for h in rest["cancel_history"]] == [3000, 7000]
    assert api.cancel(imp_uid=imp_uid).json()["code"] != 0  # nothing left to refund
    assert api.cancel(imp_uid="imp_000000000001").json()["code"] != 0
    assert api.cancel().json()["code"] != 0
    listed = api.call(
        "get", "/payments/status/cancelled", "/payments/status/{payment_status}"
    ).json()["response"]["list"]
    assert [p["imp_uid"] for p in listed] == [imp_uid]


def test_cancel_of_a_failed_payment_is_refused(api: Api) -> None:
    api.issue_key("cu", card_number=DECLINING_TEST_CARD)
    failed = api.again("cu", "order-f").json()["response"]
    answer = api.cancel(imp_uid=failed["imp_uid"]).json()
    assert answer["code"] != 0 and answer["response"] is None


def test_schedule_endpoints_say_not_supported(api: Api) -> None:
    for method, path in (
        ("post", "/subscribe/payments/schedule"),
        ("post", "/subscribe/payments/unschedule"),
        ("get", "/subscribe/payments/schedule/order-1"),
    ):
        answer = api.call(method, path, json={} if method == "post" else None)
        assert answer.status_code == 200 and answer.json()["code"] == -1
    assert api.call("post", "/subscribe/payments/schedule", auth=False).status_code == 401


def test_unknown_paths_and_methods_are_not_envelopes(api: Api) -> None:
    # A wrong URL must never pass for i'mport's "not found" (a client could charge again).
    for method, path, status in (
        ("get", "/no/such/api", 404),
        ("put", "/subscribe/payments/again", 405),
    ):
        answer = api.call(method, path)
        assert answer.status_code == status
        assert "code" not in answer.json() and "response" not in answer.json()


def test_concurrent_again_on_one_merchant_uid_pays_once(api: Api) -> None:
    api.issue_key("cu")
    body = {"customer_uid": "cu", "merchant_uid": "same", "amount": 100, "name": "n"}

    def charge(_: int) -> int:
        with httpx.Client(base_url=api.box.base_url) as http:  # one connection per thread
            answer = http.post(
                "/subscribe/payments/again", json=body, headers={"Authorization": api.token}
            )
            return int(answer.json()["code"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(charge, range(8)))
    assert sorted(codes) == [0] + [1] * 7
    assert api.find_all("same").json()["response"]["total"] == 1


def test_token_for_another_imp_key_is_refused(sandbox: RunningSandbox) -> None:
    other = sandbox.state.get_token("someone-else")["access_token"]
    answer = httpx.get(
        f"{sandbox.base_url}/subscribe/customers/x", headers={"Authorization": f"Bearer {other}"}
    )
    assert answer.status_code == 401


def test_payments_multi_get(api: Api) -> None:
    api.issue_key("cu")
    a = api.again("cu", "multi-a").json()["response"]
    b = api.again("cu", "multi-b").json()["response"]
    path = "/payments"
    both = api.call(
        "get", path, path, params={"imp_uid[]": [a["imp_uid"]], "merchant_uid[]": ["multi-b"]}
    )
    assert both.status_code == 200
    assert [p["imp_uid"] for p in both.json()["response"]] == [a["imp_uid"], b["imp_uid"]]
    some = api.call("get", path, path, params={"imp_uid[]": [a["imp_uid"], "imp_000000000000"]})
    assert some.status_code == 207 and len(some.json()["response"]) == 1
    assert api.call("get", path, path, params={"merchant_uid[]": ["nope"]}).status_code == 404
    too_many = {"imp_uid[]": [f"imp_{i:012d}" for i in range(101)]}
    assert api.call("get", path, params=too_many).status_code == 400
