"""The one exception hierarchy of the i'mport client.

The split follows what a caller must do differently, above all for money:

* ``RequestNotSent`` — the request surely never reached i'mport (connect failure). Safe to send
  again.
* ``OutcomeUnknown`` — the request may have been processed (read timeout, dropped connection, 5xx
  after sending). Never re-send blindly: look the ``merchant_uid`` up first.

Those two are never collapsed into one.
"""

from __future__ import annotations

from typing import Any


class IamportError(Exception):
    """Base of everything the client raises."""


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
        self.api_message = api_message
        self.body = body


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
        reason = getattr(payment, "fail_reason", None) or "declined"
        super().__init__(reason)
        self.payment = payment
        self.fail_reason: str = reason
