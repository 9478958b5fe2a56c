"""The one exception hierarchy of the i'mport client.

The split follows what a caller must do differently, above all for money:

* ``RequestNotSent`` — the request surely never reached i'mport (connect failure). Safe to send
  again.
* ``OutcomeUnknown`` — the request may have been processed (read timeout, dropped connection, 5xx
  after sending). Never re-send blindly: look the ``merchant_uid`` up first.

Those two are never collapsed into one.

Every message is redacted when the error is made (``kpadmin.redact.redact_text``: registered
secrets and tokens, card and phone numbers), and so are ``api_message``, the strings inside
``body`` and a decline's ``fail_reason``: a server that echoes the secret or a card number in its
``message`` cannot carry it through an exception into a console, a dialog or the database, whoever
catches it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kpadmin.redact import redact_text


class IamportError(Exception):
    """Base of everything the client raises. The message is redacted on the way in."""

    def __init__(self, message: str = "") -> None:
        super().__init__(redact_text(str(message)))


class AuthenticationFailed(IamportError):
    """getToken refused the key/secret, or a fresh token was still refused (HTTP 401)."""


class TransportError(IamportError):
    """The network failed. Subclasses tell whether the request may have been processed.

    ``http_status`` is set when an HTTP answer did arrive but carries no usable outcome (a 5xx).
    """

    def __init__(self, message: str, *, http_status: int | None = None) -> None:
        super().__init__(message)
        self.http_status = http_status


class RequestNotSent(TransportError):
    """The request never left (DNS, connect refused, connect timeout). Safe to retry as is."""


class OutcomeUnknown(TransportError):
    """The request may have been processed; the answer was lost (read timeout, dropped connection,
    or a 5xx that may have followed processing). Look it up before anything is retried."""


class ApiError(IamportError):
    """i'mport answered, but not with success."""

    def __init__(
        self,
        message: str,
        *,
        http_status: int,
        code: int | None = None,
        api_message: str | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.code = code
        self.api_message = None if api_message is None else redact_text(api_message)
        self.body = scrub(body)


class RequestRejected(ApiError):
    """HTTP 200 (or 4xx) with ``code != 0``: the request was refused by i'mport or the PG.

    For a charge this usually means no money moved, but REFERENCE.md §0 warns it is not proof:
    callers that move money still look the ``merchant_uid`` up.
    """


class NotFound(ApiError):
    """The thing asked for does not exist (HTTP 404, or 200 + code != 0 saying 'not found')."""


class InvalidResponse(ApiError):
    """The answer could not be understood (not JSON, wrong envelope, missing required fields).

    For a POST that moves money this is treated like ``OutcomeUnknown`` by the engine: the
    request was processed somehow, and only a lookup can tell how.
    """


class PaymentNotFinal(InvalidResponse):
    """A charge answered ``code == 0`` with a status that is neither ``paid`` nor ``failed``.

    ``ready`` (or ``cancelled``) right after ``subscribe/payments/again`` says nothing final about
    the money, so it is handled like an unknown outcome: look the ``merchant_uid`` up later.
    Carries the payment as i'mport described it.
    """

    def __init__(self, message: str, *, payment: Any) -> None:
        super().__init__(message, http_status=200, body=payment)
        self.payment = payment


class PaymentDeclined(IamportError):
    """``code == 0`` and ``response.status == "failed"``: the card side declined.

    Carries the payment (with ``imp_uid`` and ``fail_reason``) that i'mport recorded.
    """

    def __init__(self, payment: Any) -> None:
        reason = redact_text(getattr(payment, "fail_reason", None) or "declined")
        super().__init__(reason)
        self.payment = payment
        self.fail_reason: str = reason


def scrub(value: Any, *, depth: int = 0) -> Any:
    """``value`` with every string inside (JSON-like dicts and lists) redacted; anything else
    as it is (the models redact their own free-text fields). Deeper than 32 levels -> dropped."""
    if isinstance(value, str):
        return redact_text(value)
    if depth > 32:
        return None
    if isinstance(value, Mapping):
        return {scrub(k, depth=depth + 1): scrub(v, depth=depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(v, depth=depth + 1) for v in value]
    return value
