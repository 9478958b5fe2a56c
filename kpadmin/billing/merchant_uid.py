"""Deterministic merchant_uids for charge attempts.

``kp-<16 hex of BLAKE2b(customer_uid)>-<YYYYMM>-<attempt>``: at most 40 characters, only
``[A-Za-z0-9_-]`` (PortOne's limits), no personal data, and the same (customer, period, attempt)
always gives the same id. That determinism is the idempotency key of the whole engine: an attempt
re-sent after a lost answer carries the same merchant_uid, and i'mport refuses to pay a merchant_uid
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


def customer_hash(customer_uid: str) -> str:
    """A short stable fingerprint of a customer_uid (no personal data leaves in the id)."""
    return hashlib.blake2b(customer_uid.encode("utf-8"), digest_size=8).hexdigest()


def merchant_uid_for(customer_uid: str, period: str, attempt: int) -> str:
    """The merchant_uid of `attempt` (1, 2, …) to charge `customer_uid` for `period` ("YYYY-MM")."""
    if not customer_uid:
        raise ValueError("customer_uid is empty")
    match = _PERIOD.match(period)
    if match is None:
        raise ValueError(f"period must be YYYY-MM, got {period!r}")
    if not 1 <= attempt <= MAX_ATTEMPT:
        raise ValueError(f"attempt must be 1..{MAX_ATTEMPT}, got {attempt}")
    uid = f"{PREFIX}-{customer_hash(customer_uid)}-{match[1]}{match[2]}-{attempt}"
    assert VALID.match(uid), uid
    return uid
