"""Order ids (i'mport's merchant_uid): deterministic, ≤ 40 characters, only [A-Za-z0-9_-],
distinct per attempt."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpadmin.billing.order_ids import MAX_ATTEMPT, order_id_for

periods = st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(0, 9999), st.integers(1, 12))
uids = st.text(min_size=1, max_size=80)


@given(uids, periods, st.integers(1, MAX_ATTEMPT))
def test_bound_and_charset(key_id: str, period: str, attempt: int) -> None:
    uid = order_id_for(key_id, period, attempt)
    assert len(uid) <= 40
    assert re.fullmatch(r"[A-Za-z0-9_-]+", uid)
    assert uid == order_id_for(key_id, period, attempt)


@given(uids, uids, periods, periods, st.integers(1, 50), st.integers(1, 50))
def test_different_inputs_give_different_ids(
    a: str, b: str, pa: str, pb: str, na: int, nb: int
) -> None:
    if (a, pa, na) != (b, pb, nb):
        assert order_id_for(a, pa, na) != order_id_for(b, pb, nb)


def test_no_personal_data_in_the_id() -> None:
    uid = order_id_for("cust-010-1234-5678", "2026-11", 2)
    assert "1234" not in uid and uid.endswith("-202611-2")


@pytest.mark.parametrize(
    ("key_id", "period", "attempt"),
    [("", "2026-01", 1), ("c", "2026-13", 1), ("c", "2026-1", 1), ("c", "2026-01", 0)],
)
def test_bad_input_is_refused(key_id: str, period: str, attempt: int) -> None:
    with pytest.raises(ValueError):
        order_id_for(key_id, period, attempt)
