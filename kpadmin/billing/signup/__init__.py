"""Signing a customer up: the form, the ids for the Kakao Pay window, server-side verification.

No Qt here. The sign-up dialog (``kpadmin.gui.signup``) drives these steps:

1. `validate_form` turns what staff typed (`RawSignupForm`) into a `SignupForm`, or reports one
   clear message per field (`FormInvalid.errors`); `form_errors` is the as-you-type variant. Name,
   phone, e-mail, amount and plan follow the one rule set the CSV import and the edit dialog use
   too (`kpadmin.billing.fields`); every message is a `Message` code (`kpadmin.billing.messages`).
2. `start_attempt` mints the ids: a billing key id, `key_id` (``kpa_`` + 16 base32 characters,
   random, no personal data, fresh for every attempt so an old key is never overwritten; the
   SDK's ``customer_uid``) and the window's `order_id` (``kpa-su-`` + 16 base32 characters,
   ≤ 40, ``[a-z0-9-]``; the SDK's ``merchant_uid``). It returns a `SignupAttempt` that carries
   everything `IMP.request_pay` will be given (in the SDK's own names).
3. The checkout page's callback reaches Python as JSON; `parse_bridge_message` checks it strictly
   (size, types, known fields, the attempt's order id) and gives a `CheckoutCallback`.
4. `verify_signup` treats that callback only as a hint. The billing key must exist at the gateway
   under the key id *we* minted (`Gateway.get_key`); a first payment must be paid with our
   order id, the exact amount and our key (`Gateway.get_payment`). Anything else raises
   `SignupFailed(reason, user_message)`.
5. `save_verified_signup` writes the subscriber row (and the first payment's journal row, paid
   for the current period, with its receipt in the notices outbox when notices are on and the
   customer has an e-mail address) and the audit entry in one transaction; `record_failed_attempt`
   writes only an audit entry. Nothing else is saved for a failed attempt.
6. An attempt that did not end in a saved sign-up (staff cancelled, declined, timed out, window
   closed, not verified) is looked up by its own ids: `inspect_attempt` finds a billing key under
   its key id and paid payments under its order id (the customer may have approved in
   the second staff pressed Cancel). `verify_leftovers` says whether they amount to a complete
   sign-up (then staff may save it after all); otherwise `refund_leftover` refunds with
   `checksum`, `delete_orphan_key` removes a key nobody will save, and `record_leftovers`
   audits what i'mport holds. Nothing found adds nothing.

Next charge date rule (Asia/Seoul dates; a billing day past a month's end is clamped):

* first payment taken now: it pays for the current month's period, so the next charge is the
  billing day of the **next** month (`periods.next_charge_date`);
* no first payment: the first charge is the next billing day **on or after** today (today itself
  when today is the billing day).

The package's rooms: `form` (the form, its checks, the attempt's ids), `callback` (the bridge's
message), `verify` (the gateway's word on a sign-up), `leftovers` (an unfinished attempt's key and
payments), `save` (the first charge date and the writes). Everything is re-exported here.
"""

from __future__ import annotations

from kpadmin.billing.signup.callback import (
    CallbackRejected,
    CheckoutCallback,
    PageStatus,
    parse_bridge_message,
)
from kpadmin.billing.signup.form import (
    AMOUNT_MAX,
    CALLBACK_MAX_BYTES,
    DEFAULT_ORDER_NAME,
    EMAIL_MAX,
    KEY_ID_MAX,
    KEY_ID_PREFIX,
    MSG_AMOUNT_EMPTY,
    MSG_AMOUNT_FORMAT,
    MSG_AMOUNT_HIGH,
    MSG_AMOUNT_ZERO,
    MSG_CHANNEL,
    MSG_DAY,
    MSG_EMAIL_FORMAT,
    MSG_NAME_CHARS,
    MSG_NAME_EMPTY,
    MSG_NAME_LONG,
    MSG_PHONE_EMPTY,
    MSG_PHONE_FORMAT,
    MSG_PLAN_CHARS,
    MSG_PLAN_LONG,
    NAME_MAX,
    ORDER_ID_MAX,
    ORDER_ID_PREFIX,
    PLAN_MAX,
    FormInvalid,
    RawSignupForm,
    SignupAttempt,
    SignupForm,
    form_errors,
    mint_key_id,
    mint_order_id,
    normalise_phone,
    parse_amount,
    start_attempt,
    validate_form,
)
from kpadmin.billing.signup.leftovers import (
    AttemptLeftovers,
    LeftoverPayment,
    delete_orphan_key,
    inspect_attempt,
    record_leftovers,
    refund_leftover,
    refund_reason,
    verify_leftovers,
)
from kpadmin.billing.signup.save import (
    AUDIT_FAILED,
    AUDIT_KEY_DELETED,
    AUDIT_LEFTOVER_REFUND_FAILED,
    AUDIT_LEFTOVER_REFUNDED,
    AUDIT_LEFTOVERS,
    AUDIT_ORPHAN_KEY,
    AUDIT_SIGNUP,
    AUDIT_STARTED,
    first_next_charge_date,
    record_attempt_started,
    record_failed_attempt,
    save_verified_signup,
)
from kpadmin.billing.signup.verify import (
    CANCEL_CODES,
    MSG_CANCELLED,
    MSG_DECLINED,
    MSG_NOT_VERIFIED,
    MSG_PAID_NOT_VERIFIED,
    MSG_TIMED_OUT,
    MSG_UNREACHABLE,
    TIMEOUT_CODES,
    FailureReason,
    SignupFailed,
    VerifiedPayment,
    VerifiedSignup,
    verify_signup,
)

__all__ = [
    "AMOUNT_MAX",
    "AUDIT_FAILED",
    "AUDIT_KEY_DELETED",
    "AUDIT_LEFTOVERS",
    "AUDIT_LEFTOVER_REFUNDED",
    "AUDIT_LEFTOVER_REFUND_FAILED",
    "AUDIT_ORPHAN_KEY",
    "AUDIT_SIGNUP",
    "AUDIT_STARTED",
    "CALLBACK_MAX_BYTES",
    "CANCEL_CODES",
    "DEFAULT_ORDER_NAME",
    "EMAIL_MAX",
    "KEY_ID_MAX",
    "KEY_ID_PREFIX",
    "MSG_AMOUNT_EMPTY",
    "MSG_AMOUNT_FORMAT",
    "MSG_AMOUNT_HIGH",
    "MSG_AMOUNT_ZERO",
    "MSG_CANCELLED",
    "MSG_CHANNEL",
    "MSG_DAY",
    "MSG_DECLINED",
    "MSG_EMAIL_FORMAT",
    "MSG_NAME_CHARS",
    "MSG_NAME_EMPTY",
    "MSG_NAME_LONG",
    "MSG_NOT_VERIFIED",
    "MSG_PAID_NOT_VERIFIED",
    "MSG_PHONE_EMPTY",
    "MSG_PHONE_FORMAT",
    "MSG_PLAN_CHARS",
    "MSG_PLAN_LONG",
    "MSG_TIMED_OUT",
    "MSG_UNREACHABLE",
    "NAME_MAX",
    "ORDER_ID_MAX",
    "ORDER_ID_PREFIX",
    "PLAN_MAX",
    "TIMEOUT_CODES",
    "AttemptLeftovers",
    "CallbackRejected",
    "CheckoutCallback",
    "FailureReason",
    "FormInvalid",
    "LeftoverPayment",
    "PageStatus",
    "RawSignupForm",
    "SignupAttempt",
    "SignupFailed",
    "SignupForm",
    "VerifiedPayment",
    "VerifiedSignup",
    "delete_orphan_key",
    "first_next_charge_date",
    "form_errors",
    "inspect_attempt",
    "mint_key_id",
    "mint_order_id",
    "normalise_phone",
    "parse_amount",
    "parse_bridge_message",
    "record_attempt_started",
    "record_failed_attempt",
    "record_leftovers",
    "refund_leftover",
    "refund_reason",
    "save_verified_signup",
    "start_attempt",
    "validate_form",
    "verify_leftovers",
    "verify_signup",
]
