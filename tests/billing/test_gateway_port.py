"""Every implementation of the gateway port — the i'mport adapter and the tests' fake — has every
operation of `kpadmin.billing.gateway.Gateway`, with the same parameters and the same kind (a
coroutine, or an async iterator for the paged listings). mypy checks the adapter statically; this
holds the fake to the same shape, so billing's unit tests exercise the port and nothing else."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from kpadmin.billing import gateway as gw
from kpadmin.iamport.gateway import IamportGateway
from tests.billing.fakes import FakeGateway

OPERATIONS = sorted(
    name
    for name, member in vars(gw.Gateway).items()
    if callable(member) and not name.startswith("_")
)


def test_the_port_has_the_operations_the_product_uses() -> None:
    assert OPERATIONS == [
        "charge_key",
        "check_connection",
        "delete_key",
        "get_key",
        "get_keys",
        "get_payment",
        "get_payments",
        "key_payments",
        "payments_by_status",
        "payments_for_order",
        "refund",
    ]


def _shape(function: Any) -> tuple[list[tuple[str, Any, bool]], str]:
    signature = inspect.signature(function)
    params = [
        (p.name, p.kind, p.default is not inspect.Parameter.empty)
        for p in signature.parameters.values()
        if p.name != "self"
    ]
    if inspect.isasyncgenfunction(function):
        kind = "async iterator"
    elif inspect.iscoroutinefunction(function):
        kind = "coroutine"
    else:
        kind = "iterator" if "AsyncIterator" in str(signature.return_annotation) else "plain"
    return params, kind


@pytest.mark.parametrize("implementation", [IamportGateway, FakeGateway])
@pytest.mark.parametrize("operation", OPERATIONS)
def test_implementations_match_the_port(implementation: type, operation: str) -> None:
    port_params, port_kind = _shape(getattr(gw.Gateway, operation))
    params, kind = _shape(getattr(implementation, operation))
    assert params == port_params
    expected = "async iterator" if port_kind == "iterator" else "coroutine"
    assert kind == expected, (operation, kind)


def test_errors_are_one_hierarchy_and_unknown_is_never_not_sent() -> None:
    classes = [
        gw.NotSent,
        gw.OutcomeUnknown,
        gw.NotFinal,
        gw.Declined,
        gw.Rejected,
        gw.NotFound,
        gw.AuthFailed,
        gw.BadAnswer,
    ]
    assert all(issubclass(c, gw.GatewayError) for c in classes)
    assert not issubclass(gw.OutcomeUnknown, gw.NotSent)
    assert not issubclass(gw.NotSent, gw.OutcomeUnknown)
    assert issubclass(gw.NotFinal, gw.OutcomeUnknown)
    # A refusal is not "not found", nor the other way round (the engine treats them apart).
    assert not issubclass(gw.NotFound, gw.Rejected) and not issubclass(gw.Rejected, gw.NotFound)


def test_errors_redact_what_a_server_echoes() -> None:
    card = "4111-1111-1111-1111"
    error = gw.Rejected(f"refused {card}", gateway_message=f"card {card}", code="-1")
    assert card not in str(error) and error.gateway_message is not None
    assert card not in error.gateway_message
    declined = gw.Declined(None, f"tel 010-1234-5678 card {card}")
    assert "1234-5678" not in declined.reason and card not in str(declined)
