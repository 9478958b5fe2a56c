"""The schema of kpadmin's database: one definition, as SQLAlchemy Core `Table` objects.

Every query in `kpadmin.store` is built from these tables, and the migrations
(`kpadmin/store/migrations/`) bring a database to exactly this shape (a test compares them). The
SQL is dialect-neutral: SQLite is the embedded default, PostgreSQL (psycopg 3) is another URL.

The money invariants live here, in the database itself, so that no bug above it can break them:

* ``UNIQUE (subscriber_id, period, attempt)`` and ``UNIQUE (merchant_uid)``: one row per attempt.
* ``charges_one_paid``: a partial unique index: two *paid* rows for one subscriber and period
  cannot both exist, whatever the code above does.
* ``charges_one_open``: at most one row per subscriber in a state whose outcome is not known
  (planned / sent / unknown). A new attempt can only be written when every earlier one is
  settled, and a subscriber never has two requests that might be in flight.
* ``charges_paid_is_final``: a trigger: a paid row never goes back to another state (per-dialect
  DDL, which SQLAlchemy's `Table` does not describe: the migrations create it, see
  ``migrations/versions/0001_baseline.py``).

A paid row keeps what i'mport says was paid in ``paid_amount`` next to the ``amount`` that was
asked for. They differ only when i'mport charged another amount than the request carried: the row
is still paid (the money moved), and the difference is an "amount mismatch" that commands, the GUI
and the audit put in front of staff.

Storage formats (kept from the first kpadmin, so its SQLite files open unchanged): an instant is
ISO 8601 text in UTC on SQLite (``2026-11-07T01:30:00+00:00``; one format, so text order is time
order) and ``timestamp with time zone`` on PostgreSQL (`Instant`); a day is ``YYYY-MM-DD`` text on
SQLite and ``date`` on PostgreSQL (`Day`); a period is ``YYYY-MM`` text. The column names keep
i'mport V1's words (customer_uid, merchant_uid, imp_uid): they are what the records are.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    DATE,
    TIMESTAMP,
    CheckConstraint,
    Column,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator, TypeEngine

metadata = MetaData()

SUBSCRIBER_STATES = ("active", "paused", "cancelled", "key_missing", "past_due")
CHANNELS = ("phone", "in_person", "import")
CHARGE_STATES = ("planned", "sent", "paid", "declined", "rejected", "unknown")
OPEN_STATES = ("planned", "sent", "unknown")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Instant(TypeDecorator[datetime]):
    """An aware instant: ISO 8601 text in UTC on SQLite, ``timestamptz`` on PostgreSQL."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(TIMESTAMP(timezone=True))
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError("kpadmin stores aware instants only")
        if dialect.name == "postgresql":
            return value
        return encode_instant(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None or isinstance(value, datetime):
            return value
        return datetime.fromisoformat(value)


class Day(TypeDecorator[date]):
    """A calendar day (Asia/Seoul): ``YYYY-MM-DD`` text on SQLite, ``date`` on PostgreSQL."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(DATE())
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None or dialect.name == "postgresql":
            return value
        return value.isoformat()

    def process_result_value(self, value: Any, dialect: Dialect) -> date | None:
        if value is None or isinstance(value, date):
            return value
        return date.fromisoformat(value)


def as_day(value: Any) -> date:
    """A day as the driver returned it (text on SQLite, a date on PostgreSQL)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def as_instant(value: Any) -> datetime | None:
    """An instant as the driver returned it (text on SQLite, a datetime on PostgreSQL)."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def encode_instant(moment: datetime) -> str:
    """The SQLite text of an instant (UTC, ISO 8601)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: kpadmin stores aware instants only")
    return moment.astimezone(UTC).isoformat()


subscribers = Table(
    "subscribers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_uid", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("phone", Text, nullable=False, server_default=""),
    Column("email", Text, nullable=False, server_default=""),
    Column("plan", Text, nullable=False, server_default=""),
    Column("amount", Integer, nullable=False),
    Column("billing_day", Integer, nullable=False),
    Column("next_charge_date", Day, nullable=False),
    Column("state", Text, nullable=False),
    Column("card_name", Text),
    Column("card_number", Text),  # masked, as i'mport reports it
    Column("channel", Text, nullable=False),
    Column("memo", Text, nullable=False, server_default=""),
    Column("created_at", Instant, nullable=False),
    Column("updated_at", Instant, nullable=False),
    # When staff last pressed "retry" (billing/retry_policy.py: a staff retry charges once, past
    # due or not); None = never. Revision 0003.
    Column("retry_requested_at", Instant),
    CheckConstraint("length(customer_uid) BETWEEN 1 AND 80", name="subscribers_customer_uid"),
    CheckConstraint("amount > 0", name="subscribers_amount"),
    CheckConstraint("billing_day BETWEEN 1 AND 31", name="subscribers_billing_day"),
    CheckConstraint(_in("state", SUBSCRIBER_STATES), name="subscribers_state"),
    CheckConstraint(_in("channel", CHANNELS), name="subscribers_channel"),
)
Index("subscribers_due", subscribers.c.state, subscribers.c.next_charge_date)

charges = Table(
    "charges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subscriber_id", Integer, ForeignKey("subscribers.id"), nullable=False),
    Column("customer_uid", Text, nullable=False),
    Column("period", Text, nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("merchant_uid", Text, nullable=False, unique=True),
    Column("amount", Integer, nullable=False),
    Column("state", Text, nullable=False),
    Column("imp_uid", Text),
    Column("fail_reason", Text),
    Column("receipt_url", Text),
    Column("paid_at", Instant),
    Column("cancelled_amount", Integer, nullable=False, server_default=text("0")),
    Column("batch_id", Text),
    Column("staff", Text, nullable=False, server_default=""),
    Column("created_at", Instant, nullable=False),
    Column("updated_at", Instant, nullable=False),
    # What i'mport reported as paid (paid rows); see the module docstring.
    Column("paid_amount", Integer),
    UniqueConstraint("subscriber_id", "period", "attempt", name="charges_attempt"),
    # "YYYY-MM": SQLite has GLOB, PostgreSQL regular expressions (each dialect gets its own).
    CheckConstraint("period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'", name="charges_period").ddl_if(
        dialect="sqlite"
    ),
    CheckConstraint("period ~ '^[0-9]{4}-[0-1][0-9]$'", name="charges_period").ddl_if(
        dialect="postgresql"
    ),
    CheckConstraint("attempt >= 1", name="charges_attempt_number"),
    CheckConstraint("length(merchant_uid) BETWEEN 1 AND 40", name="charges_merchant_uid"),
    CheckConstraint("amount > 0", name="charges_amount"),
    CheckConstraint(_in("state", CHARGE_STATES), name="charges_state"),
    CheckConstraint("cancelled_amount >= 0", name="charges_cancelled_amount"),
    CheckConstraint("paid_amount >= 0", name="charges_paid_amount"),
)
#: The partial indexes' conditions (the same SQL on both dialects).
PARTIAL_INDEXES: dict[str, str] = {
    "charges_one_paid": "state = 'paid'",
    "charges_one_open": _in("state", OPEN_STATES),
    "charges_amount_mismatch": "state = 'paid' AND paid_amount != amount",
}
_partial = [
    Index(
        "charges_one_paid",
        charges.c.subscriber_id,
        charges.c.period,
        unique=True,
        sqlite_where=text(PARTIAL_INDEXES["charges_one_paid"]),
    ),
    Index(
        "charges_one_open",
        charges.c.subscriber_id,
        unique=True,
        sqlite_where=text(PARTIAL_INDEXES["charges_one_open"]),
    ),
    Index(
        "charges_amount_mismatch",
        charges.c.subscriber_id,
        sqlite_where=text(PARTIAL_INDEXES["charges_amount_mismatch"]),
    ),
]
Index("charges_by_state", charges.c.state)
Index("charges_by_subscriber", charges.c.subscriber_id, charges.c.created_at)


def add_postgresql_options() -> None:
    """Give the partial indexes their ``postgresql_where`` too (idempotent), for a process that
    opens PostgreSQL (`kpadmin.store.postgres` calls it on import).

    Not at import: naming any ``postgresql_*`` option makes SQLAlchemy import its whole
    PostgreSQL dialect and drivers to check the name (~50 ms), which every SQLite start would
    pay for nothing (issue #10's start-up target; tests/test_startup_imports.py). The indexes
    themselves are made by the migrations, which name both dialects' conditions."""
    for index in _partial:
        options = index.dialect_options["postgresql"]
        if options["where"] is None:
            options["where"] = text(PARTIAL_INDEXES[str(index.name)])


REFUND_SOURCES = ("staff", "gateway", "backfill")

# Refund events (revision 0005; kpadmin/store/refunds.py): one row per refund of a charge, on the
# moment it happened. The rows of a charge add up to its ``cancelled_amount`` (kept by the one
# writer of that column, `ChargeRepository.set_state`). ``gateway_ref`` names i'mport's
# cancellation (unique per charge: never recorded twice; NULL when unknown).
refunds = Table(
    "refunds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("charge_id", Integer, ForeignKey("charges.id"), nullable=False),
    Column("amount", Integer, nullable=False),
    Column("refunded_at", Instant, nullable=False),
    Column("source", Text, nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    Column("gateway_ref", Text),
    Column("receipt_url", Text),
    Column("created_at", Instant, nullable=False),
    UniqueConstraint("charge_id", "gateway_ref", name="refunds_gateway_ref"),
    # Negative only as a correction (i'mport's refunded total went down: never expected).
    CheckConstraint("amount <> 0", name="refunds_amount"),
    CheckConstraint(_in("source", REFUND_SOURCES), name="refunds_source"),
)
Index("refunds_by_time", refunds.c.refunded_at)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", Instant, nullable=False),
    Column("staff", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("subscriber_id", Integer, ForeignKey("subscribers.id", ondelete="SET NULL")),
    Column("detail", Text, nullable=False, server_default=""),
    # The detail as a message code and its parameters (JSON text), for the GUI to say it in the
    # UI language (kpadmin.billing.messages); NULL on rows from before revision 0006, which the
    # GUI shows as their English `detail`. `detail` stays the English (CLI, logs, exports).
    Column("detail_code", Text),
    Column("detail_params", Text),
)
Index("audit_by_subscriber", audit.c.subscriber_id, audit.c.at)

# The plans catalogue (issue #13): a plan's name and monthly price, and the price changes staff
# scheduled from a billing period on. A subscriber keeps its own ``amount`` (the charge engine
# charges that); a price change moves the amounts of the plan's subscribers from its period on
# (`kpadmin.billing.plans`).
plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("price", Integer, nullable=False),
    Column("created_at", Instant, nullable=False),
    Column("updated_at", Instant, nullable=False),
    CheckConstraint("price > 0", name="plans_price"),
    CheckConstraint("length(name) BETWEEN 1 AND 40", name="plans_name"),
)

plan_price_changes = Table(
    "plan_price_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plans.id"), nullable=False),
    Column("from_period", Text, nullable=False),  # "YYYY-MM" (Asia/Seoul)
    Column("old_price", Integer, nullable=False),
    Column("new_price", Integer, nullable=False),
    Column("staff", Text, nullable=False, server_default=""),
    Column("created_at", Instant, nullable=False),
    # Set once every subscriber of the plan has the new price (None: some still wait for the
    # period to come).
    Column("done_at", Instant),
    CheckConstraint("new_price > 0", name="plan_price_changes_price"),
)

#: The notices' kinds (kpadmin.billing.notices.NoticeKind): revision 0004, price_change since 0007.
NOTICE_KINDS = ("receipt", "decline", "past_due", "advance", "price_change")
NOTICE_STATES = ("pending", "sending", "sent", "failed")

# The customer notices' outbox (revision 0004; kpadmin/store/notices.py): each notice once per
# ``key``, written with the outcome that causes it, sent after the batch.
notices = Table(
    "notices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False, unique=True),
    Column("kind", Text, nullable=False),
    Column("subscriber_id", Integer, ForeignKey("subscribers.id", ondelete="SET NULL")),
    Column("channel", Text, nullable=False),
    Column("language", Text, nullable=False),
    Column("facts", Text, nullable=False),  # JSON: what the notice says (billing/outbox.py)
    Column("state", Text, nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt_at", Instant),
    Column("claimed_at", Instant),  # a desk is sending it (see kpadmin/store/notices.py)
    Column("last_error", Text),
    Column("reference", Text),  # the provider's id (SMTP: the Message-ID)
    Column("created_at", Instant, nullable=False),
    Column("sent_at", Instant),
    CheckConstraint(_in("kind", NOTICE_KINDS), name="notices_kind"),
    CheckConstraint(_in("state", NOTICE_STATES), name="notices_state"),
    CheckConstraint("attempts >= 0", name="notices_attempts"),
)
Index("notices_unsent", notices.c.state, notices.c.next_attempt_at)
