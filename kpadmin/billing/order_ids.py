"""Deterministic order ids for charge attempts (the gateway's idempotency key; i'mport V1 calls it
``merchant_uid``, and the journal's column keeps that name).

``kp-<16 hex of BLAKE2b(key_id)>-<YYYYMM>-<attempt>``: at most 40 characters, only
``[A-Za-z0-9_-]`` (PortOne's limits), no personal data, and the same (key, period, attempt)
always gives the same id. That determinism is the idempotency key of the whole engine: an attempt
re-sent after a lost answer carries the same order id, and the gateway refuses to pay an order id
twice. Two kpadmin installations that share an i'mport account and (by mistake) the same subscriber
also mint the same id, so even they cannot both charge one period's first attempt.
"""

from __future__ import annotations

import hashlib
import re

PREFIX = "kp"
MAX_LENGTH = 40
MAX_ATTEMPT = 99_999_999  # keeps the id within 40 characters
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
VALID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def key_hash(key_id: str) -> str:
    """A short stable fingerprint of a billing key's id (no personal data leaves in the id)."""
    return hashlib.blake2b(key_id.encode("utf-8"), digest_size=8).hexdigest()


def order_id_for(key_id: str, period: str, attempt: int) -> str:
    """The order id of `attempt` (1, 2, …) to charge the key `key_id` for `period` ("YYYY-MM")."""
    if not key_id:
        raise ValueError("key_id is empty")
    match = _PERIOD.match(period)
    if match is None:
        raise ValueError(f"period must be YYYY-MM, got {period!r}")
    if not 1 <= attempt <= MAX_ATTEMPT:
        raise ValueError(f"attempt must be 1..{MAX_ATTEMPT}, got {attempt}")
    order_id = f"{PREFIX}-{key_hash(key_id)}-{match[1]}{match[2]}-{attempt}"
    assert VALID.match(order_id), order_id
    return order_id
