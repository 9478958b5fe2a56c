"""Check response bodies against the i'mport V1 contract (``v1.openapi.yml``, Swagger 2.0).

    from tests.sandbox.spec import assert_matches_spec
    assert_matches_spec("/payments/{imp_uid}", "get", 200, answer.json())               # live style
    assert_matches_spec("/payments/{imp_uid}", "get", 200, answer.json(), style="spec")

Swagger 2 definitions become one JSON Schema (draft 7):

* ``$ref: '#/definitions/X'`` stays as it is (the definitions ride along under ``definitions``).
* ``maxLength``/``minimum``/``maximum`` written as strings in the YAML become integers.
* The spec has no ``x-nullable``: the real API sends ``null`` for fields that did not happen, so a
  property that is **not** in its object's ``required`` list may be null; a required one may not.
  A property with no ``type`` accepts anything.
* Every body must be an envelope: ``code`` (integer), ``message`` (string or null) and
  ``response`` present. Statuses the spec gives no schema (401, 404, …) must still be envelopes
  with ``code != 0`` and ``response: null``.
* ``strict=True`` (the default) also rejects fields the spec does not define on the
  ``*Annotation`` objects — it catches typos in field names. Pass ``strict=False`` for bodies from
  a server that may add fields.
* The path may be given with or without its optional trailing status segment
  (``/payments/find/{merchant_uid}`` is checked as ``…/{payment_status}``).
* ``style`` is the sandbox's answer style (`kpadmin.sandbox.config.SandboxConfig.answer_style`).
  ``"spec"`` checks the spec as it is. ``"live"`` (the default, like the sandbox's) applies
  `LIVE_DIFFERENCES`, the only places the live shape may depart from the spec, and nothing else.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import jsonschema
import yaml

# A copy of the shared contract, so the suite runs from a fresh clone.
SPEC_PATH = Path(__file__).with_name("v1.openapi.yml")
_INT_KEYWORDS = ("maxLength", "minLength", "minimum", "maximum", "maxItems", "minItems")

#: definition -> fields the live style handles differently from v1.openapi.yml:
#: "absent" = must not be sent at all; "nullable" = no longer required, so absent or null is fine.
LIVE_DIFFERENCES: dict[str, dict[str, str]] = {
    # captured answers (kakaopay-test-payment-*.json): no `sandbox` field on a payment.
    "PaymentAnnotation": {"sandbox": "absent"},
    "CustomerAnnotation": {
        # assumed: no customer answer was captured; payments of the same service lack it.
        "sandbox": "absent",
        # assumed: a Kakao Money key has no card, like the captured Kakao Money payment whose
        # card fields are all null.
        "card_name": "nullable",
    },
}


@functools.cache
def load_spec() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as handle:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is ~10x faster
        spec: dict[str, Any] = yaml.load(handle, Loader=loader)
    return spec


def _convert(
    node: Any, *, strict: bool, name: str | None = None, live: dict[str, str] | None = None
) -> Any:
    """Swagger 2 schema node → JSON Schema node (see the module docstring)."""
    if isinstance(node, list):
        return [_convert(item, strict=strict) for item in node]
    if not isinstance(node, dict):
        return node
    live = live or {}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key.startswith("x-") or key in ("example", "description", "title", "format"):
            continue
        if key in _INT_KEYWORDS and isinstance(value, str):
            out[key] = int(value)
        elif key == "required":
            out[key] = [prop for prop in value if prop not in live]
        elif key == "properties":
            required = set(node.get("required", [])) - set(live)
            out[key] = {
                prop: (
                    False  # JSON Schema's "nothing matches": the field must be absent
                    if live.get(prop) == "absent"
                    else _convert(sub, strict=strict)
                    if prop in required
                    else {"anyOf": [_convert(sub, strict=strict), {"type": "null"}]}
                )
                for prop, sub in value.items()
            }
        else:
            out[key] = _convert(value, strict=strict)
    annotation = bool(name and name.endswith("Annotation") and name != "ResponseAnnotation")
    if strict and annotation and "properties" in out:
        out["additionalProperties"] = False
    return out


@functools.cache
def _definitions(strict: bool, style: str) -> dict[str, Any]:
    if style not in ("live", "spec"):
        raise ValueError(f"unknown answer style {style!r}")
    defs = load_spec()["definitions"]
    return {
        name: _convert(
            copy.deepcopy(d),
            strict=strict,
            name=name,
            live=LIVE_DIFFERENCES.get(name) if style == "live" else None,
        )
        for name, d in defs.items()
    }


ENVELOPE = {
    "type": "object",
    "required": ["code", "message", "response"],
    "properties": {
        "code": {"type": "integer"},
        "message": {"type": ["string", "null"]},
    },
}


def _operation(path: str, method: str) -> dict[str, Any]:
    paths = load_spec()["paths"]
    for candidate in (path, f"{path}/{{payment_status}}"):
        if candidate in paths and method.lower() in paths[candidate]:
            op: dict[str, Any] = paths[candidate][method.lower()]
            return op
    raise KeyError(f"{method.upper()} {path} is not in v1.openapi.yml")


def response_schema(path: str, method: str, status: int) -> dict[str, Any] | None:
    """The Swagger schema for one documented answer (None when the spec gives none)."""
    responses = _operation(path, method)["responses"]
    if str(status) not in responses:
        raise AssertionError(f"{method.upper()} {path} documents no HTTP {status}")
    schema = responses[str(status)].get("schema")
    if schema is None:
        return None
    props = schema.get("properties", {})
    if "$ref" not in schema and "allOf" not in schema and "CustomerResponse" in props:
        # GET/DELETE /subscribe/customers/{uid}: "CustomerResponse or SuperBillingKeyResponse",
        # written as an object with those two names as properties. A plain key is the former.
        return {"$ref": "#/definitions/CustomerResponse"}
    result: dict[str, Any] = schema
    return result


def assert_matches_spec(
    path: str, method: str, status: int, body: Any, *, strict: bool = True, style: str = "live"
) -> None:
    """Raise AssertionError unless `body` is what the spec allows for this answer (in `style`)."""
    defs = _definitions(strict, style)
    try:
        jsonschema.Draft7Validator(ENVELOPE).validate(body)
        schema = response_schema(path, method, status)
        if status in (200, 207) and body["code"] == 0 and body["response"] is None:
            raise AssertionError(f"HTTP {status} with code 0 but no response: {body}")
        if schema is None or status not in (200, 207):
            if body["code"] == 0 and status >= 400:
                raise AssertionError(f"HTTP {status} with code 0: {body}")
            if status >= 400 and body["response"] is not None:
                raise AssertionError(f"HTTP {status} with a response: {body}")
        if schema is not None:
            root = {"definitions": defs, **_convert(copy.deepcopy(schema), strict=strict)}
            jsonschema.Draft7Validator(root).validate(body)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path)
        message = f"{method.upper()} {path} {status} ({style}): at {where!r}: {exc.message}"
        raise AssertionError(message) from None
