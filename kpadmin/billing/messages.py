"""What the core says to people: message codes with parameters, and their English.

The core never hands the GUI a finished English sentence to show: it hands a `Message` — a
`MessageCode` and the values that go into it. The command line prints `Message.english()` (also
what is written to logs, the audit trail and the journal's ``fail_reason``); the GUI looks the
same English template up in its one Qt translation catalogue (context ``"Message"``) and formats
the translation with the same parameters (`kpadmin.gui.texts.say`). Audit actions are codes too
(`AuditAction`, stored as their values); the GUI shows their labels (context ``"AuditAction"``).

Templates use Python's ``{name}`` placeholders (format specs allowed, ``{amount:,}``), the one
placeholder style of the whole catalogue; a translation must use the same names
(tests/gui/test_translations.py checks every one).

`QT_TRANSLATE_NOOP` below is not Qt: it returns its text unchanged. Qt's ``lupdate`` recognises
the name and files the text under the context given, which is how these templates reach
resources/translations/kpadmin_<lang>.ts (scripts/update_translations.sh) while this module,
like the rest of the core, never imports Qt.
"""

from __future__ import annotations

import enum
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

log = logging.getLogger(__name__)

#: The translation contexts the GUI looks these texts up in.
MESSAGE_CONTEXT = "Message"
AUDIT_CONTEXT = "AuditAction"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for Qt's lupdate under ``context``; returns it unchanged."""
    del context
    return text


class MessageCode(enum.StrEnum):
    # --- the subscriber fields (kpadmin.billing.fields: sign-up, CSV import, edit dialog) --
    NAME_EMPTY = "form.name_empty"
    NAME_TOO_LONG = "form.name_too_long"
    NAME_CHARS = "form.name_chars"
    NAME_FORMULA = "form.name_formula"
    PHONE_EMPTY = "form.phone_empty"
    PHONE_FORMAT = "form.phone_format"
    EMAIL_FORMAT = "form.email_format"
    PLAN_TOO_LONG = "form.plan_too_long"
    PLAN_CHARS = "form.plan_chars"
    AMOUNT_EMPTY = "form.amount_empty"
    AMOUNT_FORMAT = "form.amount_format"
    AMOUNT_ZERO = "form.amount_zero"
    AMOUNT_HIGH = "form.amount_high"
    BILLING_DAY = "form.billing_day"
    CHANNEL = "form.channel"
    # --- how a sign-up attempt ended without a subscriber --------------------------------
    SIGNUP_CANCELLED = "signup.cancelled"
    SIGNUP_DECLINED = "signup.declined"
    SIGNUP_TIMED_OUT = "signup.timed_out"
    SIGNUP_NOT_VERIFIED = "signup.not_verified"
    SIGNUP_PAID_NOT_VERIFIED = "signup.paid_not_verified"
    SIGNUP_UNREACHABLE = "signup.unreachable"
    SIGNUP_WINDOW_FAILED = "signup.window_failed"
    SIGNUP_UNEXPECTED = "signup.unexpected"
    # --- why a subscriber is left out of a batch (the detail next to its SkipReason) ------
    SKIP_PAUSED = "skip.paused"
    SKIP_CANCELLED = "skip.cancelled"
    SKIP_KEY_MISSING = "skip.key_missing"
    SKIP_NO_SUCH_SUBSCRIBER = "skip.no_such_subscriber"
    SKIP_SUBSCRIBER_DELETED = "skip.subscriber_deleted"
    SKIP_IN_DOUBT = "skip.in_doubt"
    SKIP_NOT_DUE = "skip.not_due"
    SKIP_ALREADY_PAID = "skip.already_paid"
    SKIP_MONTHLY_CAP = "skip.monthly_cap"
    SKIP_TURNED_OUT_DECLINED = "skip.turned_out_declined"
    SKIP_TURNED_OUT_REJECTED = "skip.turned_out_rejected"
    SKIP_SETTLED_SINCE_PLAN = "skip.settled_since_plan"
    SKIP_AMOUNT_CHANGED = "skip.amount_changed"
    SKIP_EARLIER_PAID = "skip.earlier_paid"
    SKIP_EARLIER_UNCLEAR = "skip.earlier_unclear"
    # the retry policy (billing/retry_policy.py, billing/collections.py)
    SKIP_PAST_DUE = "skip.past_due"
    SKIP_RETRY_WAIT = "skip.retry_wait"
    SKIP_ATTEMPTED_TODAY = "skip.attempted_today"
    SKIP_CAP_WAIT = "skip.cap_wait"
    SKIP_PAID_AT_GATEWAY = "skip.paid_at_gateway"
    SKIP_GATEWAY_UNCLEAR = "skip.gateway_unclear"
    SKIP_LEDGER_UNREADABLE = "skip.ledger_unreadable"
    SKIP_LEDGER_CONFLICT = "skip.ledger_conflict"
    # --- what the engine notes on a charge's outcome (besides i'mport's own words) ---------
    OUTCOME_NOT_SENT = "outcome.not_sent"
    OUTCOME_AUTH_FAILED = "outcome.auth_failed"
    OUTCOME_MAYBE_PAID = "outcome.maybe_paid"
    OUTCOME_REJECTED_UNCLEAR = "outcome.rejected_unclear"
    OUTCOME_NOT_PROCESSED = "outcome.not_processed"
    OUTCOME_UNCLEAR = "outcome.unclear"
    OUTCOME_STATUS = "outcome.status"
    OUTCOME_INTERRUPTED = "outcome.interrupted"
    OUTCOME_INTERNAL_ERROR = "outcome.internal_error"
    OUTCOME_AMOUNT_MISMATCH = "outcome.amount_mismatch"
    OUTCOME_DOUBLE_PAYMENT = "outcome.double_payment"
    # --- a CSV import row's problems (besides the field rules' FORM codes) ------------------
    CSV_UID_EMPTY = "csv.uid_empty"
    CSV_UID_LONG = "csv.uid_long"
    CSV_UID_CHARS = "csv.uid_chars"
    CSV_DATE_FORMAT = "csv.date_format"
    CSV_DATE_UNREAL = "csv.date_unreal"
    CSV_DATE_PAST = "csv.date_past"
    CSV_DATE_AHEAD = "csv.date_ahead"
    CSV_TOO_MANY_FIELDS = "csv.too_many_fields"
    CSV_FIELD_COUNT = "csv.field_count"
    CSV_NAMELESS_COLUMN = "csv.nameless_column"
    CSV_DUPLICATE = "csv.duplicate"
    CSV_NO_KEY = "csv.no_key"
    CSV_IN_DOUBT = "csv.in_doubt"
    CSV_LARGE_CHANGE = "csv.large_change"
    # --- why a CSV file as a whole cannot be imported --------------------------------------
    CSV_FILE_TOO_LARGE = "csv_file.too_large"
    CSV_FILE_EMPTY = "csv_file.empty"
    CSV_FILE_XLSX = "csv_file.xlsx"
    CSV_FILE_UTF16 = "csv_file.utf16"
    CSV_FILE_BINARY = "csv_file.binary"
    CSV_FILE_BAD_UTF8 = "csv_file.bad_utf8"
    CSV_FILE_ENCODING = "csv_file.encoding"
    CSV_FILE_CONTROL = "csv_file.control"
    CSV_HEADER_TOO_WIDE = "csv_file.header_too_wide"
    CSV_HEADER_NOT_COMMAS = "csv_file.header_not_commas"
    CSV_HEADER_REPEATS = "csv_file.header_repeats"
    CSV_HEADER_MISSING = "csv_file.header_missing"
    CSV_HEADER_UNKNOWN = "csv_file.header_unknown"
    CSV_HEADER_MISSING_UNKNOWN = "csv_file.header_missing_unknown"
    CSV_FILE_TOO_MANY_ROWS = "csv_file.too_many_rows"
    CSV_FILE_MALFORMED = "csv_file.malformed"
    CSV_FILE_NO_HEADER = "csv_file.no_header"
    CSV_FILE_NO_ROWS = "csv_file.no_rows"
    # --- the daily automatic run (kpadmin.billing.daily) -----------------------------------
    DAILY_RUN_HELD = "daily.held"
    # --- audit details (kpadmin.store.audit: what each audit row says) ----------------------
    # sign-up
    AUDIT_ATTEMPT = "audit.attempt"
    AUDIT_ATTEMPT_EMAIL = "audit.attempt_email"
    AUDIT_SIGNUP = "audit.signup"
    AUDIT_SIGNUP_FIRST_PAYMENT = "audit.signup_first_payment"
    AUDIT_SIGNUP_FAILED = "audit.signup_failed"
    AUDIT_NOTE = "audit.note"
    AUDIT_SIGNUP_PAID_UNSAVED = "audit.signup_paid_unsaved"
    AUDIT_LEFTOVERS = "audit.leftovers"
    AUDIT_LEFTOVERS_UNCHECKED = "audit.leftovers_unchecked"
    AUDIT_LEFTOVER_KEY = "audit.leftover_key"
    AUDIT_LEFTOVER_NO_KEY = "audit.leftover_no_key"
    AUDIT_LEFTOVER_PAYMENT = "audit.leftover_payment"
    AUDIT_LEFTOVERS_CHECKED_AGAIN = "audit.leftovers_checked_again"
    AUDIT_LEFTOVERS_AFTER = "audit.leftovers_after"
    AUDIT_LEFTOVERS_ABANDONED = "audit.leftovers_abandoned"
    AUDIT_LEFTOVERS_AFTER_REFUND = "audit.leftovers_after_refund"
    AUDIT_LEFTOVER_REFUNDED = "audit.leftover_refunded"
    AUDIT_LEFTOVER_REFUND_FAILED = "audit.leftover_refund_failed"
    AUDIT_ORPHAN_KEY_DELETED = "audit.orphan_key_deleted"
    AUDIT_ORPHAN_KEY_KEPT = "audit.orphan_key_kept"
    # subscribers and billing keys
    AUDIT_KEY_MISSING_MARKED = "audit.key_missing_marked"
    AUDIT_KEY_GONE_AFTER_REJECTION = "audit.key_gone_after_rejection"
    AUDIT_KEY_GONE_OUTSIDE = "audit.key_gone_outside"
    AUDIT_KEY_CHECK_MISSING = "audit.key_check_missing"
    AUDIT_KEY_CHECK_PRESENT = "audit.key_check_present"
    AUDIT_KEY_CHECK_FOUND_AGAIN = "audit.key_check_found_again"
    AUDIT_STATE_MOVE = "audit.state_move"
    AUDIT_CANCELLED = "audit.cancelled"
    AUDIT_KEY_DELETED = "audit.key_deleted"
    AUDIT_KEY_DELETED_NONE = "audit.key_deleted_none"
    AUDIT_FIELD_CHANGE = "audit.field_change"
    AUDIT_PARTS = "audit.parts"  # clauses joined by "; " (an edit's changes, …)
    # charges, collections, refunds
    AUDIT_CHARGE = "audit.charge"
    AUDIT_CHARGE_PAYMENT = "audit.charge_payment"
    AUDIT_CHARGE_NOTE = "audit.charge_note"
    AUDIT_AMOUNT_MISMATCH = "audit.amount_mismatch"
    AUDIT_BATCH = "audit.batch"
    AUDIT_BATCH_MISMATCHES = "audit.batch_mismatches"
    AUDIT_BATCH_CANCELLED = "audit.batch_cancelled"
    AUDIT_BATCH_STOPPED = "audit.batch_stopped"
    AUDIT_WITHDRAWN = "audit.withdrawn"
    AUDIT_DAILY_RUN = "audit.daily_run"
    AUDIT_PAST_DUE = "audit.past_due"
    AUDIT_RETRY_REQUESTED = "audit.retry_requested"
    AUDIT_REFUND = "audit.refund"
    AUDIT_REFUND_NOT_MADE = "audit.refund_not_made"
    AUDIT_REFUND_REFUSED = "audit.refund_refused"
    AUDIT_REFUND_UNKNOWN = "audit.refund_unknown"
    AUDIT_OUTSIDE_REFUND = "audit.outside_refund"
    # files, settings, the database
    AUDIT_IMPORTED = "audit.imported"
    AUDIT_IMPORT_UPDATE = "audit.import_update"
    AUDIT_IMPORT_FILE = "audit.import_file"
    AUDIT_DB_COPY = "audit.db_copy"
    AUDIT_EXPORT = "audit.export"
    AUDIT_EXPORT_PAYMENTS = "audit.export_payments"
    AUDIT_SETTING_CHANGE = "audit.setting_change"
    AUDIT_SETTING_SET = "audit.setting_set"
    AUDIT_SECRET_REPLACED = "audit.secret_replaced"
    AUDIT_SECRET_STORED = "audit.secret_stored"
    AUDIT_SECRET_REMOVED = "audit.secret_removed"
    AUDIT_SETTINGS_RESET = "audit.settings_reset"
    AUDIT_SETTINGS_RESET_KEPT = "audit.settings_reset_kept"
    AUDIT_NEW_DATABASE = "audit.new_database"
    # the plans catalogue
    AUDIT_PLAN_ADDED = "audit.plan_added"
    AUDIT_PLAN_PRICE = "audit.plan_price"
    AUDIT_PLAN_PRICE_SUBSCRIBER = "audit.plan_price_subscriber"


_M = MessageCode

#: The English of every code: the command line's text and the catalogue's source text.
ENGLISH: Mapping[MessageCode, str] = MappingProxyType(
    {
        _M.NAME_EMPTY: QT_TRANSLATE_NOOP("Message", "Enter the customer's name."),
        _M.NAME_TOO_LONG: QT_TRANSLATE_NOOP(
            "Message", "The name is too long (50 characters at most)."
        ),
        _M.NAME_CHARS: QT_TRANSLATE_NOOP(
            "Message", "The name contains characters that cannot be used."
        ),
        _M.NAME_FORMULA: QT_TRANSLATE_NOOP(
            "Message",
            "The name starts with {first}: a spreadsheet would run it as a formula. "
            "Remove the {first} (names may not start with = + - or @).",
        ),
        _M.PHONE_EMPTY: QT_TRANSLATE_NOOP("Message", "Enter a mobile number."),
        _M.PHONE_FORMAT: QT_TRANSLATE_NOOP(
            "Message", "Enter a Korean mobile number, e.g. 010-1234-5678."
        ),
        _M.EMAIL_FORMAT: QT_TRANSLATE_NOOP(
            "Message", "Enter a valid e-mail address, or leave it empty."
        ),
        _M.PLAN_TOO_LONG: QT_TRANSLATE_NOOP(
            "Message", "The plan name is too long (40 characters at most)."
        ),
        _M.PLAN_CHARS: QT_TRANSLATE_NOOP(
            "Message", "The plan name contains characters that cannot be used."
        ),
        _M.AMOUNT_EMPTY: QT_TRANSLATE_NOOP("Message", "Enter the monthly amount in won."),
        _M.AMOUNT_FORMAT: QT_TRANSLATE_NOOP(
            "Message", "The amount must be a whole number of won, e.g. 9,900."
        ),
        _M.AMOUNT_ZERO: QT_TRANSLATE_NOOP("Message", "The amount must be more than ₩0."),
        _M.AMOUNT_HIGH: QT_TRANSLATE_NOOP("Message", "The amount is above ₩10,000,000; check it."),
        _M.BILLING_DAY: QT_TRANSLATE_NOOP("Message", "The billing day must be between 1 and 31."),
        _M.CHANNEL: QT_TRANSLATE_NOOP("Message", "Choose phone or in person."),
        _M.SIGNUP_CANCELLED: QT_TRANSLATE_NOOP(
            "Message", "The Kakao Pay window was closed before approval. Nothing was saved."
        ),
        _M.SIGNUP_DECLINED: QT_TRANSLATE_NOOP(
            "Message", "Kakao Pay declined the request. Nothing was saved."
        ),
        _M.SIGNUP_TIMED_OUT: QT_TRANSLATE_NOOP(
            "Message", "Nobody approved in time; the request expired. Nothing was saved."
        ),
        _M.SIGNUP_NOT_VERIFIED: QT_TRANSLATE_NOOP(
            "Message", "i'mport does not confirm this sign-up. Nothing was saved."
        ),
        _M.SIGNUP_PAID_NOT_VERIFIED: QT_TRANSLATE_NOOP(
            "Message",
            "A first payment was taken but the sign-up could not be verified. Nothing was saved; "
            "check the payment in the i'mport console and refund it if needed.",
        ),
        _M.SIGNUP_UNREACHABLE: QT_TRANSLATE_NOOP(
            "Message",
            "i'mport could not be reached to verify the sign-up. Nothing was saved yet.",
        ),
        _M.SIGNUP_WINDOW_FAILED: QT_TRANSLATE_NOOP(
            "Message", "The Kakao Pay window could not be loaded. Nothing was saved."
        ),
        _M.SIGNUP_UNEXPECTED: QT_TRANSLATE_NOOP(
            "Message", "The sign-up could not be verified. Nothing was saved."
        ),
        _M.SKIP_PAUSED: QT_TRANSLATE_NOOP("Message", "paused"),
        _M.SKIP_CANCELLED: QT_TRANSLATE_NOOP("Message", "cancelled"),
        _M.SKIP_KEY_MISSING: QT_TRANSLATE_NOOP(
            "Message", "no billing key at i'mport (sign the customer up again)"
        ),
        _M.SKIP_NO_SUCH_SUBSCRIBER: QT_TRANSLATE_NOOP("Message", "no such subscriber"),
        _M.SKIP_SUBSCRIBER_DELETED: QT_TRANSLATE_NOOP("Message", "the subscriber was deleted"),
        _M.SKIP_IN_DOUBT: QT_TRANSLATE_NOOP(
            "Message",
            "the outcome of {merchant_uid} ({period}) is not known yet; "
            "reconcile before charging again",
        ),
        _M.SKIP_NOT_DUE: QT_TRANSLATE_NOOP("Message", "next charge date is {date}"),
        _M.SKIP_ALREADY_PAID: QT_TRANSLATE_NOOP("Message", "already paid for {period}"),
        _M.SKIP_MONTHLY_CAP: QT_TRANSLATE_NOOP(
            "Message",
            "{paid} paid charge(s) this month; the Kakao Pay monthly cap is {cap} per billing key",
        ),
        _M.SKIP_TURNED_OUT_DECLINED: QT_TRANSLATE_NOOP(
            "Message", "{merchant_uid} turned out declined: {detail}"
        ),
        _M.SKIP_TURNED_OUT_REJECTED: QT_TRANSLATE_NOOP(
            "Message", "{merchant_uid} turned out rejected: {detail}"
        ),
        _M.SKIP_SETTLED_SINCE_PLAN: QT_TRANSLATE_NOOP(
            "Message", "{period} was settled since the plan was made; plan again"
        ),
        _M.SKIP_AMOUNT_CHANGED: QT_TRANSLATE_NOOP(
            "Message",
            "the amount changed to ₩{amount:,} since the plan was made "
            "(₩{confirmed:,} was confirmed); plan again",
        ),
        _M.SKIP_EARLIER_PAID: QT_TRANSLATE_NOOP(
            "Message", "an earlier attempt ({merchant_uid}) turned out to be paid"
        ),
        _M.SKIP_EARLIER_UNCLEAR: QT_TRANSLATE_NOOP(
            "Message", "could not confirm that {merchant_uid} was not paid: {detail}"
        ),
        _M.SKIP_PAST_DUE: QT_TRANSLATE_NOOP(
            "Message",
            "past due: every retry declined; press retry or sign the customer up again",
        ),
        _M.SKIP_RETRY_WAIT: QT_TRANSLATE_NOOP(
            "Message", "declined {failures} time(s); next retry on {date}"
        ),
        _M.SKIP_ATTEMPTED_TODAY: QT_TRANSLATE_NOOP(
            "Message", "already tried today (once a day); next retry on {date}"
        ),
        _M.SKIP_CAP_WAIT: QT_TRANSLATE_NOOP(
            "Message", "Kakao Pay's monthly cap for this key: charged again from {date}"
        ),
        _M.SKIP_PAID_AT_GATEWAY: QT_TRANSLATE_NOOP(
            "Message",
            "{period} is already paid at i'mport ({merchant_uid}): recorded here, not charged "
            "again",
        ),
        _M.SKIP_GATEWAY_UNCLEAR: QT_TRANSLATE_NOOP(
            "Message",
            "i'mport shows an attempt for {period} that is not final ({merchant_uid}): "
            "looked up again before any new charge",
        ),
        _M.SKIP_LEDGER_UNREADABLE: QT_TRANSLATE_NOOP(
            "Message",
            "i'mport's record of the billing key could not be read ({detail}): not charged "
            "this time",
        ),
        _M.SKIP_LEDGER_CONFLICT: QT_TRANSLATE_NOOP(
            "Message",
            "i'mport's attempts for {period} do not fit this database's journal ({detail}): "
            "not charged; check the subscriber at i'mport",
        ),
        _M.OUTCOME_NOT_SENT: QT_TRANSLATE_NOOP("Message", "not sent: {why}"),
        _M.OUTCOME_AUTH_FAILED: QT_TRANSLATE_NOOP("Message", "not sent: authentication failed"),
        _M.OUTCOME_MAYBE_PAID: QT_TRANSLATE_NOOP(
            "Message",
            "sent again and rejected ({reason}), but the lookup shows no payment: it may have "
            "been paid; check it at i'mport",
        ),
        _M.OUTCOME_REJECTED_UNCLEAR: QT_TRANSLATE_NOOP(
            "Message", "rejected ({reason}) but {detail}"
        ),
        _M.OUTCOME_NOT_PROCESSED: QT_TRANSLATE_NOOP(
            "Message",
            "not processed by i'mport ({error}); will be sent again with the same merchant_uid",
        ),
        _M.OUTCOME_UNCLEAR: QT_TRANSLATE_NOOP("Message", "{error}; {detail}"),
        _M.OUTCOME_STATUS: QT_TRANSLATE_NOOP("Message", "status {status}"),
        _M.OUTCOME_INTERRUPTED: QT_TRANSLATE_NOOP(
            "Message", "interrupted while the request was in flight"
        ),
        _M.OUTCOME_INTERNAL_ERROR: QT_TRANSLATE_NOOP("Message", "internal error: {error}"),
        _M.OUTCOME_AMOUNT_MISMATCH: QT_TRANSLATE_NOOP(
            "Message",
            "AMOUNT MISMATCH: i'mport charged ₩{paid:,} for ₩{asked:,} asked; recorded as paid "
            "— check this payment at i'mport",
        ),
        _M.OUTCOME_DOUBLE_PAYMENT: QT_TRANSLATE_NOOP(
            "Message", "DOUBLE PAYMENT: {period} is already paid by {clash}; refund {payment_id}"
        ),
        # No full stop: a row's problems are joined by "; " after "line N (uid): ".
        _M.CSV_UID_EMPTY: QT_TRANSLATE_NOOP("Message", "customer_uid is empty"),
        _M.CSV_UID_LONG: QT_TRANSLATE_NOOP("Message", "customer_uid is longer than 80 characters"),
        _M.CSV_UID_CHARS: QT_TRANSLATE_NOOP(
            "Message",
            "customer_uid {uid} may only contain letters, digits and _ . @ : - "
            "(starting with a letter or digit)",
        ),
        _M.CSV_DATE_FORMAT: QT_TRANSLATE_NOOP(
            "Message", "next_charge_date {raw} must be a date like 2026-12-06 or 2026.12.06"
        ),
        _M.CSV_DATE_UNREAL: QT_TRANSLATE_NOOP(
            "Message", "next_charge_date {raw} is not a real date"
        ),
        _M.CSV_DATE_PAST: QT_TRANSLATE_NOOP(
            "Message", "next_charge_date {day} is in the past (today is {today} in Seoul)"
        ),
        _M.CSV_DATE_AHEAD: QT_TRANSLATE_NOOP(
            "Message", "next_charge_date {day} is more than {days} days ahead"
        ),
        _M.CSV_TOO_MANY_FIELDS: QT_TRANSLATE_NOOP(
            "Message", "has {count:,} fields; a line has at most {most}"
        ),
        _M.CSV_FIELD_COUNT: QT_TRANSLATE_NOOP(
            "Message", "has {count} fields but the header has {header}"
        ),
        _M.CSV_NAMELESS_COLUMN: QT_TRANSLATE_NOOP("Message", "column {index} has no name"),
        _M.CSV_DUPLICATE: QT_TRANSLATE_NOOP(
            "Message", "duplicate customer_uid (also on line {lines})"
        ),
        _M.CSV_NO_KEY: QT_TRANSLATE_NOOP(
            "Message", "i'mport has no billing key for this customer_uid"
        ),
        _M.CSV_IN_DOUBT: QT_TRANSLATE_NOOP(
            "Message",
            "this subscriber has a charge in flight or with an unknown outcome; "
            "run `kpadmin reconcile` first",
        ),
        _M.CSV_LARGE_CHANGE: QT_TRANSLATE_NOOP(
            "Message",
            "amount {old} → {new} is a large change (more than {factor}× or {step}); check it, "
            "then import with --allow-large-changes",
        ),
        _M.CSV_FILE_TOO_LARGE: QT_TRANSLATE_NOOP(
            "Message",
            "the file is larger than {mb} MB; a subscriber file of {rows:,} rows is far smaller. "
            "Split it",
        ),
        _M.CSV_FILE_EMPTY: QT_TRANSLATE_NOOP(
            "Message",
            "the file is empty",
        ),
        _M.CSV_FILE_XLSX: QT_TRANSLATE_NOOP(
            "Message",
            "this is an Excel workbook (.xlsx), not a CSV file; in Excel use File > Save As > "
            "'CSV UTF-8 (Comma delimited)'",
        ),
        _M.CSV_FILE_UTF16: QT_TRANSLATE_NOOP(
            "Message",
            "the file is UTF-16 text; save it as 'CSV UTF-8 (Comma delimited)'",
        ),
        _M.CSV_FILE_BINARY: QT_TRANSLATE_NOOP(
            "Message",
            "the file contains binary data; it is not a CSV text file",
        ),
        _M.CSV_FILE_BAD_UTF8: QT_TRANSLATE_NOOP(
            "Message",
            "the file starts like UTF-8 but is not valid UTF-8 ({error})",
        ),
        _M.CSV_FILE_ENCODING: QT_TRANSLATE_NOOP(
            "Message",
            "the file is neither UTF-8 nor CP949 (EUC-KR) text; save it as 'CSV UTF-8 (Comma "
            "delimited)'",
        ),
        _M.CSV_FILE_CONTROL: QT_TRANSLATE_NOOP(
            "Message",
            "the file contains control characters; it is not a CSV text file",
        ),
        _M.CSV_HEADER_TOO_WIDE: QT_TRANSLATE_NOOP(
            "Message",
            "line {line}: the header has {count:,} columns; a subscriber file has at most {most} "
            "(expected {expected})",
        ),
        _M.CSV_HEADER_NOT_COMMAS: QT_TRANSLATE_NOOP(
            "Message",
            "line {line}: the header is not comma-separated; save the file as CSV with commas",
        ),
        _M.CSV_HEADER_REPEATS: QT_TRANSLATE_NOOP(
            "Message",
            "line {line}: the header repeats column(s): {columns}",
        ),
        _M.CSV_HEADER_MISSING: QT_TRANSLATE_NOOP(
            "Message",
            "line {line}: bad header: missing required column(s): {missing}. Expected {expected}",
        ),
        _M.CSV_HEADER_UNKNOWN: QT_TRANSLATE_NOOP(
            "Message",
            "line {line}: bad header: unknown column(s): {unknown}. Expected {expected}",
        ),
        _M.CSV_HEADER_MISSING_UNKNOWN: QT_TRANSLATE_NOOP(
            "Message",
            "line {line}: bad header: missing required column(s): {missing}; unknown column(s): "
            "{unknown}. Expected {expected}",
        ),
        _M.CSV_FILE_TOO_MANY_ROWS: QT_TRANSLATE_NOOP(
            "Message",
            "line {line}: the file has more than {rows:,} rows; split it",
        ),
        _M.CSV_FILE_MALFORMED: QT_TRANSLATE_NOOP(
            "Message",
            "line {line}: the CSV is malformed ({error})",
        ),
        _M.CSV_FILE_NO_HEADER: QT_TRANSLATE_NOOP(
            "Message",
            "the file has no header line",
        ),
        _M.CSV_FILE_NO_ROWS: QT_TRANSLATE_NOOP(
            "Message",
            "the file has a header but no rows",
        ),
        _M.DAILY_RUN_HELD: QT_TRANSLATE_NOOP("Message", "daily run {day} by {desk} ({time})"),
        # --- audit details: the English is what the `detail` column keeps (CLI, logs) -------
        _M.AUDIT_ATTEMPT: QT_TRANSLATE_NOOP(
            "Message",
            "customer_uid={key_id} merchant_uid={order_id} name={name} phone={phone}{email} "
            "plan={plan} amount={amount:,} first_payment={first_payment:,} "
            "billing_day={billing_day} channel={channel}",
        ),
        _M.AUDIT_ATTEMPT_EMAIL: QT_TRANSLATE_NOOP("Message", " email={email}"),
        _M.AUDIT_SIGNUP: QT_TRANSLATE_NOOP(
            "Message", "verified: card={card}; next charge {next_date}{first_payment}; {attempt}"
        ),
        _M.AUDIT_SIGNUP_FIRST_PAYMENT: QT_TRANSLATE_NOOP(
            "Message", "; first payment ₩{amount:,} imp_uid={payment_id}"
        ),
        _M.AUDIT_SIGNUP_FAILED: QT_TRANSLATE_NOOP(
            "Message", "{reason}: {why}{note}; {attempt}{paid}"
        ),
        _M.AUDIT_NOTE: QT_TRANSLATE_NOOP("Message", " ({text})"),
        _M.AUDIT_SIGNUP_PAID_UNSAVED: QT_TRANSLATE_NOOP(
            "Message", "; PAID PAYMENT WITHOUT SIGN-UP imp_uid={payment_id}"
        ),
        _M.AUDIT_LEFTOVERS: QT_TRANSLATE_NOOP(
            "Message", "{when}: {found}; merchant_uid={order_id} customer_uid={key_id}"
        ),
        _M.AUDIT_LEFTOVERS_UNCHECKED: QT_TRANSLATE_NOOP(
            "Message", "could not check i'mport ({error})"
        ),
        _M.AUDIT_LEFTOVER_KEY: QT_TRANSLATE_NOOP("Message", "billing key EXISTS"),
        _M.AUDIT_LEFTOVER_NO_KEY: QT_TRANSLATE_NOOP("Message", "billing key none"),
        _M.AUDIT_LEFTOVER_PAYMENT: QT_TRANSLATE_NOOP(
            "Message", "PAID imp_uid={payment_id} amount={amount:,} refundable={refundable:,}"
        ),
        _M.AUDIT_LEFTOVERS_CHECKED_AGAIN: QT_TRANSLATE_NOOP("Message", "checked again"),
        _M.AUDIT_LEFTOVERS_AFTER: QT_TRANSLATE_NOOP("Message", "after {reason}"),
        _M.AUDIT_LEFTOVERS_ABANDONED: QT_TRANSLATE_NOOP("Message", "attempt abandoned"),
        _M.AUDIT_LEFTOVERS_AFTER_REFUND: QT_TRANSLATE_NOOP("Message", "after refund"),
        _M.AUDIT_LEFTOVER_REFUNDED: QT_TRANSLATE_NOOP(
            "Message",
            "refunded imp_uid={payment_id} ₩{amount:,} of a sign-up that was not completed; "
            "merchant_uid={order_id}",
        ),
        _M.AUDIT_LEFTOVER_REFUND_FAILED: QT_TRANSLATE_NOOP(
            "Message",
            "refund of imp_uid={payment_id} ₩{amount:,} not confirmed ({error}); "
            "merchant_uid={order_id}: check it at i'mport",
        ),
        _M.AUDIT_ORPHAN_KEY_DELETED: QT_TRANSLATE_NOOP(
            "Message",
            "deleted the unused billing key customer_uid={key_id} of a sign-up that was not "
            "completed (merchant_uid={order_id})",
        ),
        _M.AUDIT_ORPHAN_KEY_KEPT: QT_TRANSLATE_NOOP(
            "Message",
            "ORPHAN BILLING KEY customer_uid={key_id} could not be deleted ({error}); delete it "
            "at i'mport",
        ),
        _M.AUDIT_KEY_MISSING_MARKED: QT_TRANSLATE_NOOP(
            "Message", "billing key missing at i'mport: marked key missing"
        ),
        _M.AUDIT_KEY_GONE_AFTER_REJECTION: QT_TRANSLATE_NOOP(
            "Message", "billing key not found at i'mport after a rejected charge"
        ),
        _M.AUDIT_KEY_GONE_OUTSIDE: QT_TRANSLATE_NOOP(
            "Message", "billing key not found at i'mport (deleted outside kpadmin)"
        ),
        _M.AUDIT_KEY_CHECK_MISSING: QT_TRANSLATE_NOOP("Message", "billing key missing at i'mport"),
        _M.AUDIT_KEY_CHECK_PRESENT: QT_TRANSLATE_NOOP("Message", "billing key present"),
        _M.AUDIT_KEY_CHECK_FOUND_AGAIN: QT_TRANSLATE_NOOP(
            "Message", "billing key present: {was} → {now}"
        ),
        _M.AUDIT_STATE_MOVE: QT_TRANSLATE_NOOP("Message", "{was} → {now}"),
        _M.AUDIT_CANCELLED: QT_TRANSLATE_NOOP("Message", "cancelled: {reason}"),
        _M.AUDIT_KEY_DELETED: QT_TRANSLATE_NOOP("Message", "reason: {reason}"),
        _M.AUDIT_KEY_DELETED_NONE: QT_TRANSLATE_NOOP(
            "Message", "reason: {reason} (i'mport had no such key)"
        ),
        _M.AUDIT_FIELD_CHANGE: QT_TRANSLATE_NOOP("Message", "{field}: {old} → {new}"),
        _M.AUDIT_PARTS: QT_TRANSLATE_NOOP("Message", "{parts}"),
        _M.AUDIT_CHARGE: QT_TRANSLATE_NOOP(
            "Message",
            "{state} ₩{amount:,} for {period} (attempt {attempt}, merchant_uid {order_id}"
            "{payment}){note}",
        ),
        _M.AUDIT_CHARGE_PAYMENT: QT_TRANSLATE_NOOP("Message", ", imp_uid {payment_id}"),
        _M.AUDIT_CHARGE_NOTE: QT_TRANSLATE_NOOP("Message", ": {text}"),
        _M.AUDIT_AMOUNT_MISMATCH: QT_TRANSLATE_NOOP(
            "Message",
            "{order_id} (imp_uid {payment_id}) for {period}: i'mport charged ₩{paid:,}, "
            "₩{asked:,} was asked",
        ),
        _M.AUDIT_BATCH: QT_TRANSLATE_NOOP(
            "Message",
            "batch {batch_id}: {paid} paid (₩{paid_amount:,}), {declined} declined, {rejected} "
            "rejected, {unknown} unknown, {unsent} not sent, {withdrawn} withdrawn{mismatches}"
            "{cancelled}{stopped}",
        ),
        _M.AUDIT_BATCH_MISMATCHES: QT_TRANSLATE_NOOP("Message", ", {count} AMOUNT MISMATCH(ES)"),
        _M.AUDIT_BATCH_CANCELLED: QT_TRANSLATE_NOOP("Message", " — cancelled"),
        _M.AUDIT_BATCH_STOPPED: QT_TRANSLATE_NOOP("Message", " — stopped: {error}"),
        _M.AUDIT_WITHDRAWN: QT_TRANSLATE_NOOP(
            "Message", "batch {batch_id}: {count} planned charge(s) withdrawn before sending"
        ),
        _M.AUDIT_DAILY_RUN: QT_TRANSLATE_NOOP("Message", "daily run {day} by {desk}"),
        _M.AUDIT_PAST_DUE: QT_TRANSLATE_NOOP(
            "Message",
            "past due for {period}: {failures} card decline(s), retry days {days} used up",
        ),
        _M.AUDIT_RETRY_REQUESTED: QT_TRANSLATE_NOOP("Message", "retry requested (was {state})"),
        _M.AUDIT_REFUND: QT_TRANSLATE_NOOP(
            "Message",
            "refunded ₩{amount:,} of ₩{charged:,} ({period}, merchant_uid {order_id}, imp_uid "
            "{payment_id}); ₩{total:,} refunded in total; reason: {reason}",
        ),
        _M.AUDIT_REFUND_NOT_MADE: QT_TRANSLATE_NOOP(
            "Message",
            "refund of ₩{asked:,} not made: i'mport shows no new refund (₩{total:,} refunded "
            "in total; reason: {reason})",
        ),
        _M.AUDIT_REFUND_REFUSED: QT_TRANSLATE_NOOP(
            "Message",
            "refund of ₩{asked:,} refused by i'mport: {error} (we believed ₩{balance:,} "
            "refundable; reason: {reason})",
        ),
        _M.AUDIT_REFUND_UNKNOWN: QT_TRANSLATE_NOOP(
            "Message", "refund of ₩{asked:,} sent, answer lost (reason: {reason})"
        ),
        _M.AUDIT_OUTSIDE_REFUND: QT_TRANSLATE_NOOP(
            "Message",
            "{order_id} (imp_uid {payment_id}): i'mport shows ₩{refunded:,} refunded (here "
            "₩{here:,}), a refund or cancellation made outside kpadmin",
        ),
        _M.AUDIT_IMPORTED: QT_TRANSLATE_NOOP("Message", "imported from CSV line {line}"),
        _M.AUDIT_IMPORT_UPDATE: QT_TRANSLATE_NOOP("Message", "CSV import changed {changes}"),
        _M.AUDIT_IMPORT_FILE: QT_TRANSLATE_NOOP(
            "Message",
            "CSV import: {added} added, {updated} updated, {unchanged} unchanged, {bad} bad "
            "rows skipped",
        ),
        _M.AUDIT_DB_COPY: QT_TRANSLATE_NOOP(
            "Message",
            "copied from {file} on another computer: {subscribers} subscribers, {charges} charges",
        ),
        _M.AUDIT_EXPORT: QT_TRANSLATE_NOOP("Message", "{what}: {count} rows to {file}"),
        _M.AUDIT_EXPORT_PAYMENTS: QT_TRANSLATE_NOOP(
            "Message", "payments {start}..{end} ({kind}): {count} rows to {file}"
        ),
        _M.AUDIT_SETTING_CHANGE: QT_TRANSLATE_NOOP("Message", "{key}: {old} → {new}"),
        _M.AUDIT_SETTING_SET: QT_TRANSLATE_NOOP("Message", "setting {key}: {old} → {new}"),
        _M.AUDIT_SECRET_REPLACED: QT_TRANSLATE_NOOP("Message", "{name} replaced (keyring, {mode})"),
        _M.AUDIT_SECRET_STORED: QT_TRANSLATE_NOOP(
            "Message", "{name} stored in the OS keyring for {mode} mode"
        ),
        _M.AUDIT_SECRET_REMOVED: QT_TRANSLATE_NOOP(
            "Message", "{name} removed from the OS keyring for {mode} mode"
        ),
        _M.AUDIT_SETTINGS_RESET: QT_TRANSLATE_NOOP(
            "Message", "settings reset to the defaults (sandbox mode)"
        ),
        _M.AUDIT_SETTINGS_RESET_KEPT: QT_TRANSLATE_NOOP(
            "Message",
            "settings reset to the defaults (sandbox mode); the old file is kept as "
            "{file}{problem}",
        ),
        _M.AUDIT_NEW_DATABASE: QT_TRANSLATE_NOOP(
            "Message", "started empty on purpose (--new-database); the missing database had {facts}"
        ),
        _M.AUDIT_PLAN_ADDED: QT_TRANSLATE_NOOP("Message", "plan {plan}: ₩{price:,}"),
        _M.AUDIT_PLAN_PRICE: QT_TRANSLATE_NOOP(
            "Message",
            "plan {plan}: ₩{old:,} → ₩{new:,} from {period}; {now} subscriber(s) now, {later} "
            "when their next charge reaches {period}; {told} customer(s) notified",
        ),
        _M.AUDIT_PLAN_PRICE_SUBSCRIBER: QT_TRANSLATE_NOOP(
            "Message", "amount ₩{old:,} → ₩{new:,} (plan {plan} from {period})"
        ),
    }
)


class TermKind(enum.StrEnum):
    """The kinds of code a message may carry as a value (a state, a reason, a field name): the
    English shows the code itself, the GUI the word staff read for it (`kpadmin.gui.texts`)."""

    SUBSCRIBER_STATE = "subscriber_state"
    CHARGE_STATE = "charge_state"
    CHANNEL = "channel"
    FIELD = "field"  # a subscriber field (name, phone, amount, …)
    SIGNUP_REASON = "signup_reason"  # kpadmin.billing.signup.verify.FailureReason
    SETTING = "setting"  # a settings key (kpadmin.billing.settings.KEYS)
    SETTING_VALUE = "setting_value"  # a setting's value (a word like "off" or "true" is a code)
    SECRET = "secret"  # a secret's name (imp_key, …), never its value
    MODE = "mode"  # sandbox, test, live
    EXPORT = "export"  # what a CSV export held (subscribers, charges)
    WON = "won"  # an amount as the English has always shown it (9900); the GUI shows ₩9,900


@dataclass(frozen=True, slots=True)
class Term:
    """A code inside a message (`TermKind`): the English is the code as it is stored."""

    kind: TermKind
    value: str

    def __str__(self) -> str:
        return self.value


#: What a message's parameter may be: a plain value (data: a name, an id, an amount, a date's
#: text), a `Term`, a nested `Message` (a clause that is there or not), or a tuple of those
#: (clauses joined by "; ").
Param = Any


@dataclass(frozen=True, slots=True)
class Message:
    """A code and the values that go into its sentence. ``str()`` is the English."""

    code: MessageCode
    params: Mapping[str, Param] = field(default_factory=dict)

    @classmethod
    def of(cls, code: MessageCode, **params: Param) -> Message:
        return cls(code, MappingProxyType({k: _frozen(v) for k, v in params.items()}))

    def english(self) -> str:
        return render(ENGLISH[self.code], self.params)

    def __str__(self) -> str:
        return self.english()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return self.code is other.code and dict(self.params) == dict(other.params)

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted(self.params.items(), key=lambda kv: kv[0]))))

    def map_text(self, change: Callable[[str], str]) -> Message:
        """The same message with `change` applied to every plain text value (nested ones too;
        codes and numbers stay): how the audit redacts what a server's words might carry."""
        return Message(
            self.code,
            MappingProxyType({k: _map_text(v, change) for k, v in self.params.items()}),
        )

    def params_json(self) -> str:
        """The parameters as JSON text (what the audit stores next to the code)."""
        return json.dumps(
            {k: _encode(v) for k, v in self.params.items()}, ensure_ascii=False, sort_keys=True
        )

    @classmethod
    def stored(cls, code: str | None, params_json: str | None) -> Message | None:
        """The message an audit row stored, or None: no code (a row from before codes), or a code
        or a value this version does not know (a newer kpadmin wrote it): show the English."""
        if not code:
            return None
        try:
            raw = json.loads(params_json or "{}")
            if not isinstance(raw, dict):
                return None
            return cls(MessageCode(code), MappingProxyType({k: _decode(v) for k, v in raw.items()}))
        except (ValueError, TypeError, KeyError):
            return None


def _frozen(value: Param) -> Param:
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def _map_text(value: Param, change: Callable[[str], str]) -> Param:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, Message):
        return value.map_text(change)
    if isinstance(value, tuple):
        return tuple(_map_text(v, change) for v in value)
    return value


def _encode(value: Param) -> Any:
    if isinstance(value, Message):
        return {"$m": value.code.value, "p": {k: _encode(v) for k, v in value.params.items()}}
    if isinstance(value, Term):
        return {"$t": value.kind.value, "v": value.value}
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # a date, a path: its text, as the English shows it


def _decode(value: Any) -> Param:
    if isinstance(value, dict):
        if "$m" in value:
            params = value.get("p") or {}
            return Message(
                MessageCode(value["$m"]),
                MappingProxyType({k: _decode(v) for k, v in params.items()}),
            )
        return Term(TermKind(value["$t"]), str(value["v"]))
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    return value


def english_word(value: Message | Term) -> str:
    """A nested value's English: a message's sentence, a term's code."""
    return value.english() if isinstance(value, Message) else value.value


def render(
    template: str,
    params: Mapping[str, Param],
    word: Callable[[Message | Term], str] = english_word,
) -> str:
    """``template`` with ``params`` filled in (nested messages and terms through `word`; a
    tuple's items joined by "; "); a template that does not fit its parameters (a translation
    that lost a placeholder) is returned as it is rather than raising."""
    try:
        return template.format_map({k: _said(v, word) for k, v in params.items()})
    except (KeyError, IndexError, ValueError, TypeError):
        log.warning("message template does not fit its parameters: %r", template)
        return template


def _said(value: Param, word: Callable[[Message | Term], str]) -> Param:
    if isinstance(value, Message | Term):
        return word(value)
    if isinstance(value, tuple):
        return "; ".join(str(_said(v, word)) for v in value)
    return value


class AuditAction(enum.StrEnum):
    """Every action the audit trail records (stored as the value)."""

    # subscribers (the GUI and the commands)
    PAUSE = "pause"
    RESUME = "resume"
    CANCEL = "cancel"
    EDIT = "edit"
    KEY_CHECK = "key_check"
    KEY_MISSING = "key_missing"
    KEY_DELETED = "key_deleted"
    # sign-up
    SIGNUP_STARTED = "signup_started"
    SIGNUP = "signup"
    SIGNUP_FAILED = "signup_failed"
    SIGNUP_LEFTOVERS = "signup_leftovers"
    SIGNUP_REFUND = "signup_refund"
    SIGNUP_REFUND_FAILED = "signup_refund_failed"
    SIGNUP_ORPHAN_KEY = "signup_orphan_key"
    # charges
    CHARGE = "charge"
    CHARGE_BATCH = "charge_batch"
    CHARGE_WITHDRAWN = "charge_withdrawn"
    RECONCILE = "reconcile"
    FOUND_AT_GATEWAY = "found_at_gateway"
    AMOUNT_MISMATCH = "amount_mismatch"
    PAST_DUE = "past_due"
    RETRY_REQUESTED = "retry_requested"
    AUTO_CHARGE = "auto_charge"  # the app's daily automatic run (billing/daily.py)
    REFUND = "refund"
    REFUND_REFUSED = "refund_refused"
    REFUND_UNKNOWN = "refund_unknown"
    # files and settings
    IMPORT = "import"
    IMPORT_UPDATE = "import_update"
    IMPORT_FILE = "import_file"
    EXPORT = "export"
    SETTINGS = "settings"
    NEW_DATABASE = "new_database"
    # the plans catalogue
    PLAN_ADDED = "plan_added"
    PLAN_PRICE = "plan_price"


_A = AuditAction

#: What staff read for each action (English; the GUI translates it in context "AuditAction").
AUDIT_LABELS: Mapping[AuditAction, str] = MappingProxyType(
    {
        _A.PAUSE: QT_TRANSLATE_NOOP("AuditAction", "Paused"),
        _A.RESUME: QT_TRANSLATE_NOOP("AuditAction", "Resumed"),
        _A.CANCEL: QT_TRANSLATE_NOOP("AuditAction", "Cancelled"),
        _A.EDIT: QT_TRANSLATE_NOOP("AuditAction", "Edited"),
        _A.KEY_CHECK: QT_TRANSLATE_NOOP("AuditAction", "Billing key checked"),
        _A.KEY_MISSING: QT_TRANSLATE_NOOP("AuditAction", "Billing key missing"),
        _A.KEY_DELETED: QT_TRANSLATE_NOOP("AuditAction", "Billing key deleted"),
        _A.SIGNUP_STARTED: QT_TRANSLATE_NOOP("AuditAction", "Sign-up started"),
        _A.SIGNUP: QT_TRANSLATE_NOOP("AuditAction", "Signed up"),
        _A.SIGNUP_FAILED: QT_TRANSLATE_NOOP("AuditAction", "Sign-up not completed"),
        _A.SIGNUP_LEFTOVERS: QT_TRANSLATE_NOOP("AuditAction", "Sign-up left something at i'mport"),
        _A.SIGNUP_REFUND: QT_TRANSLATE_NOOP("AuditAction", "Sign-up payment refunded"),
        _A.SIGNUP_REFUND_FAILED: QT_TRANSLATE_NOOP("AuditAction", "Sign-up refund failed"),
        _A.SIGNUP_ORPHAN_KEY: QT_TRANSLATE_NOOP("AuditAction", "Unused billing key"),
        _A.CHARGE: QT_TRANSLATE_NOOP("AuditAction", "Charge"),
        _A.CHARGE_BATCH: QT_TRANSLATE_NOOP("AuditAction", "Charge batch"),
        _A.CHARGE_WITHDRAWN: QT_TRANSLATE_NOOP("AuditAction", "Charge withdrawn"),
        _A.RECONCILE: QT_TRANSLATE_NOOP("AuditAction", "Reconciled"),
        _A.FOUND_AT_GATEWAY: QT_TRANSLATE_NOOP("AuditAction", "Found at i'mport"),
        _A.AMOUNT_MISMATCH: QT_TRANSLATE_NOOP("AuditAction", "Amount mismatch"),
        _A.PAST_DUE: QT_TRANSLATE_NOOP("AuditAction", "Past due"),
        _A.RETRY_REQUESTED: QT_TRANSLATE_NOOP("AuditAction", "Retry requested"),
        _A.AUTO_CHARGE: QT_TRANSLATE_NOOP("AuditAction", "Daily automatic run"),
        _A.REFUND: QT_TRANSLATE_NOOP("AuditAction", "Refund"),
        _A.REFUND_REFUSED: QT_TRANSLATE_NOOP("AuditAction", "Refund refused"),
        _A.REFUND_UNKNOWN: QT_TRANSLATE_NOOP("AuditAction", "Refund outcome unknown"),
        _A.IMPORT: QT_TRANSLATE_NOOP("AuditAction", "Imported"),
        _A.IMPORT_UPDATE: QT_TRANSLATE_NOOP("AuditAction", "Updated by import"),
        _A.IMPORT_FILE: QT_TRANSLATE_NOOP("AuditAction", "CSV import"),
        _A.EXPORT: QT_TRANSLATE_NOOP("AuditAction", "CSV export"),
        _A.SETTINGS: QT_TRANSLATE_NOOP("AuditAction", "Settings changed"),
        _A.NEW_DATABASE: QT_TRANSLATE_NOOP("AuditAction", "New database"),
        _A.PLAN_ADDED: QT_TRANSLATE_NOOP("AuditAction", "Plan added"),
        _A.PLAN_PRICE: QT_TRANSLATE_NOOP("AuditAction", "Plan price changed"),
    }
)


def audit_action(value: str) -> AuditAction | None:
    """The action a stored value names (None for one this version does not know)."""
    try:
        return AuditAction(value)
    except ValueError:
        return None


#: The values of settings that are words of kpadmin's (`settings.format_value`, the dialog's
#: "-" for none): said in the UI language. Any other value (a number, a time, a name, an address)
#: is data, shown as it is.
SETTING_WORDS = frozenset(
    {"true", "false", "off", "auto", "ko", "en", "email", "sandbox", "test", "live", "(unset)", "-"}
)


def setting_change(code: MessageCode, key: str, old: str, new: str) -> Message:
    """A settings change (`AUDIT_SETTING_CHANGE`, `AUDIT_SETTING_SET`): the key as a term, and
    each value as a term when it is one of kpadmin's words (`SETTING_WORDS`), else as data."""

    def value(text: str) -> Term | str:
        return Term(TermKind.SETTING_VALUE, text) if text in SETTING_WORDS else text

    return Message.of(code, key=Term(TermKind.SETTING, key), old=value(old), new=value(new))
