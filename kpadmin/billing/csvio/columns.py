"""The file formats: the import's and the exports' columns, the limits, the injection prefix."""

from __future__ import annotations

import re
from typing import Final

from kpadmin.billing import fields

REQUIRED_COLUMNS: Final = ("customer_uid", "name", "phone", "amount")
OPTIONAL_COLUMNS: Final = ("email", "plan", "next_charge_date")
SUBSCRIBER_EXPORT_COLUMNS: Final = (
    *REQUIRED_COLUMNS,
    *OPTIONAL_COLUMNS,
    "billing_day",
    "state",
    "card_name",
    "card_number",
    "channel",
    "memo",
    "created_at",
    "updated_at",
)
#: Columns our own export writes that import accepts and ignores (state etc. are not imported).
IGNORED_COLUMNS: Final = frozenset(SUBSCRIBER_EXPORT_COLUMNS) - {
    *REQUIRED_COLUMNS,
    *OPTIONAL_COLUMNS,
}
CHARGE_EXPORT_COLUMNS: Final = (
    "merchant_uid",
    "customer_uid",
    "subscriber_name",
    "period",
    "attempt",
    "amount",
    "paid_amount",
    "state",
    "imp_uid",
    "fail_reason",
    "paid_at",
    "cancelled_amount",
    "receipt_url",
    "batch_id",
    "created_at",
    "updated_at",
)

#: Highest amount a row may carry (whole KRW). A typo with extra zeros must not reach a card.
MAX_AMOUNT: Final = fields.AMOUNT_MAX
#: A subscriber file of 200,000 rows is about 20 MB; anything much larger is not one.
MAX_FILE_BYTES: Final = 50_000_000
MAX_ROWS: Final = 200_000
#: Fields a line may have: our export writes 15; Excel adds a few empty trailing ones. A header of
#: thousands of columns is not a subscriber file, and it is refused before any per-column work.
MAX_COLUMNS: Final = 100
#: Column names quoted back in a header message (the rest are counted).
_LISTED_COLUMNS: Final = 10
#: How far ahead a next_charge_date may be (a monthly subscription).
MAX_DAYS_AHEAD: Final = 400
#: customer_uids handed to the client's multi-get at a time (the client splits them further into
#: URL-sized requests).
VERIFY_CHUNK: Final = 500

_UID_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@:-]{0,79}")
_INJECTION_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
