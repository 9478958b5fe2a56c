"""`kpadmin db copy --to URL` (issue #11): this PC's database into an empty shared one, refused on
conflicts, checked (counts and money totals equal), the source left as it was."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kpadmin import cli
from kpadmin.paths import mode_dir
from kpadmin.runtime import DB_FILE
from kpadmin.store import NewCharge, NewSubscriber, Store, open_store
from kpadmin.store.copy import totals
from kpadmin.store.models import ChargeState
from kpadmin.store.refunds import CancelEntry, RefundFacts, RefundSource
from tests.audit_text import text
from tests.fixtures.postgres import PostgresDatabase


def _seed(store: Store) -> None:
    """Subscribers with a paid, a refunded, a declined and an in-doubt charge, and audit lines."""
    subs = store.subscribers.add_many(
        NewSubscriber(f"cu-{i}", f"고객{i}", 9_900 + i, 5, date(2026, 11, 5)) for i in range(6)
    )
    charges = store.charges
    for n, (sid, state) in enumerate(
        zip(
            subs,
            [ChargeState.PAID, ChargeState.PAID, ChargeState.DECLINED, ChargeState.UNKNOWN],
            strict=False,
        )
    ):
        cid = charges.insert(
            NewCharge(sid, f"cu-{n}", "2026-11", 1, f"kp-{n}-1", 9_900 + n), batch_id="b", staff="k"
        )
        fields = {"paid_amount": 9_900 + n} if state is ChargeState.PAID else {}
        if n == 1:
            fields["cancelled_amount"] = 5_000  # a part refunded
        charges.set_state(cid, state, **fields)
        if n == 1:  # refunded again on a later day, from i'mport's list: a second refund row
            later = CancelEntry(2_000, datetime(2026, 11, 20, tzinfo=UTC), "cancel-2", "콘솔")
            facts = RefundFacts(RefundSource.GATEWAY, (later,))
            charges.set_state(cid, state, cancelled_amount=7_000, refunds=facts)
    store.audit.record("김지원", "edit", text("memo"), subscriber_id=subs[2])


def _local(data_dir: Path) -> Path:
    return mode_dir(data_dir, "sandbox") / DB_FILE


def test_copy_into_an_empty_shared_database(
    postgres: PostgresDatabase, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = open_store(_local(data_dir))
    _seed(source)
    with source._read() as conn:
        before = totals(conn)
    source.close()
    assert cli.main(["--data-dir", str(data_dir), "db", "copy", "--to", postgres.url]) == 0
    out = capsys.readouterr().out
    assert "Copied 6 subscribers" in out and "totals match" in out
    assert "config set database_url" in out
    shared = open_store(postgres.url, mode="sandbox")
    with shared._read() as conn:
        after = totals(conn)
    assert (after.subscribers, after.charges) == (before.subscribers, before.charges)
    assert after.subscribed_amount == before.subscribed_amount
    assert (after.paid_amount, after.refunded_amount) == (
        before.paid_amount,
        before.refunded_amount,
    )
    assert after.audit == before.audit + 1  # plus the line that says it was copied
    # The refund rows follow their charge, each on its own moment.
    assert (after.refunds, after.refunds_amount) == (before.refunds, before.refunds_amount)
    assert (after.refunds, after.refunds_amount) == (2, 7_000)
    assert shared.refunds.unbalanced() == []
    (refunded,) = [c for c in shared.charges.list_all() if c.merchant_uid == "kp-1-1"]
    rows = {r.amount: r for r in shared.refunds.for_charge(refunded.id)}
    assert {a: r.gateway_ref for a, r in rows.items()} == {5_000: None, 2_000: "cancel-2"}
    assert rows[2_000].refunded_at == datetime(2026, 11, 20, tzinfo=UTC)
    # The journal follows its subscribers to their new ids; the charge in doubt stays in doubt.
    by_id = {s.id: s.customer_uid for s in shared.subscribers.list_all()}
    assert {(by_id[c.subscriber_id], c.merchant_uid) for c in shared.charges.list_all()} == {
        (f"cu-{n}", f"kp-{n}-1") for n in range(4)
    }
    assert [c.merchant_uid for c in shared.charges.in_doubt()] == ["kp-3-1"]
    shared.close()
    # Copying again is refused: the shared database holds these keys; nothing changes.
    assert cli.main(["--data-dir", str(data_dir), "db", "copy", "--to", postgres.url]) == 1
    assert "already holds 6 billing key(s)" in capsys.readouterr().err
    shared = open_store(postgres.url)
    with shared._read() as conn:
        assert totals(conn) == after
    shared.close()
    source = open_store(_local(data_dir))  # this PC's file is as it was
    with source._read() as conn:
        assert totals(conn) == before
    source.close()


def test_a_database_of_another_mode_is_refused(
    postgres: PostgresDatabase, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_store(postgres.url, mode="live").close()
    source = open_store(_local(data_dir))
    _seed(source)
    source.close()
    assert cli.main(["--data-dir", str(data_dir), "db", "copy", "--to", postgres.url]) == 4
    assert "holds LIVE data" in capsys.readouterr().err


def test_a_url_with_a_password_is_refused(data_dir: Path, capsys) -> None:
    assert (
        cli.main(["--data-dir", str(data_dir), "db", "copy", "--to", "postgresql://a:b@h/d"]) == 3
    )
    err = capsys.readouterr().err
    assert "must not contain the password" in err and ":b@" not in err
