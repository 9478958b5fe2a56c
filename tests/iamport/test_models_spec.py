"""The models against the contract: field names are the spec's, required fields match, and a body
built from each definition's schema parses."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from kpadmin.iamport.models import AccessToken, CancelHistory, Customer, Payment, PaymentPage
from tests.sandbox.spec import load_spec

# (model, spec definition, spec properties deliberately not carried)
MODELS: list[tuple[type[Any], str, set[str]]] = [
    (Payment, "PaymentAnnotation", {"deposit_history", "promotion"}),
    (CancelHistory, "PaymentCancelAnnotation", set()),
    (Customer, "CustomerAnnotation", set()),
    (PaymentPage, "PagedPaymentAnnotation", set()),
    (AccessToken, "AuthAnnotation", set()),
]


def _definition(name: str) -> dict[str, Any]:
    definition: dict[str, Any] = load_spec()["definitions"][name]
    return definition


def _example(schema: dict[str, Any]) -> Any:
    """A value of the schema's type (refs followed), every property filled."""
    if "$ref" in schema:
        return _example(_definition(schema["$ref"].rsplit("/", 1)[1]))
    kind = schema.get("type", "object" if "properties" in schema else None)
    if kind == "object":
        return {key: _example(prop) for key, prop in schema.get("properties", {}).items()}
    if kind == "array":
        return [_example(schema["items"])]
    return {"string": "x", "integer": 1_700_000_000, "number": 1000, "boolean": True}.get(
        kind or ""
    )


@pytest.mark.parametrize(
    ("model", "name", "skipped"), MODELS, ids=lambda v: getattr(v, "__name__", "")
)
def test_field_names_are_the_specs(model: type[Any], name: str, skipped: set[str]) -> None:
    definition = _definition(name)
    spec_fields = set(definition["properties"])
    model_fields = {f.name for f in dataclasses.fields(model)}
    assert model_fields <= spec_fields, model_fields - spec_fields
    assert spec_fields - skipped == model_fields, (spec_fields - skipped) ^ model_fields
    assert set(definition.get("required", [])) <= model_fields


@pytest.mark.parametrize(
    ("model", "name", "skipped"), MODELS, ids=lambda v: getattr(v, "__name__", "")
)
def test_a_body_built_from_the_schema_parses(
    model: type[Any], name: str, skipped: set[str]
) -> None:
    body = _example(_definition(name))
    parsed = model.from_api(body)
    for field in dataclasses.fields(model):
        value = getattr(parsed, field.name)
        assert value is not None and value != (), field.name  # every filled field was read
