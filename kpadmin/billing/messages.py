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
import logging
from collections.abc import Mapping
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
    }
)


@dataclass(frozen=True, slots=True)
class Message:
    """A code and the values that go into its sentence. ``str()`` is the English."""

    code: MessageCode
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, code: MessageCode, **params: Any) -> Message:
        return cls(code, MappingProxyType(dict(params)))

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


def render(template: str, params: Mapping[str, Any]) -> str:
    """``template`` with ``params`` filled in; a template that does not fit its parameters (a
    translation that lost a placeholder) is returned as it is rather than raising."""
    try:
        return template.format_map(params)
    except (KeyError, IndexError, ValueError, TypeError):
        log.warning("message template does not fit its parameters: %r", template)
        return template


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
