"""The notifier seam: one module per channel (e-mail today; KakaoTalk 알림톡 or SMS later), one
error hierarchy, and the retry schedule of a notice that could not be sent (pure).

Adding a channel
----------------
A channel is one module in this package with one class that satisfies `Notifier`:

- ``channel``: a short name stored with each delivery (``"email"``, ``"alimtalk"``, ``"sms"``).
- ``async send(notice) -> Delivery``: hand one `Notice` to the provider. Return only once the
  provider has *accepted* it (SMTP: the reply to the end of DATA; an HTTP provider: its answer
  saying queued/sent) with the provider's id for it. Any failure is a `NoticeError` (never another
  exception) classified by `FailureKind` and `Scope` — see below — whose message holds no secret
  (password, API key, token) and no unmasked address, even when the provider echoes them.
- ``async aclose()``: release connections; `send` after it reopens them.
- Blocking client libraries run on one thread owned by the notifier (as `SmtpNotifier` does), never
  on the event loop.

A 알림톡 provider (Solapi, NHN Cloud, Kakao i Connect, …) sends *registered templates*: its module
maps `NoticeKind` to the merchant's template codes (a setting of that module) and fills the
template's variables from ``notice.fields`` (already formatted and masked: ``amount``, ``plan``,
``next_retry``, ``merchant_name``, …), sending to ``notice.recipient.phone``. Typical mappings: an
HTTP 5xx, a timeout or a connection error before an answer → TEMPORARY / DROPPED; the provider's
"invalid phone number" or "template not approved" → PERMANENT (NOTICE or CHANNEL); 401/403 →
PERMANENT, CHANNEL. The provider's SMS fallback, when wanted, stays inside that module. Its
credentials go to the keyring beside ``smtp_password`` (kpadmin.billing.secrets).

Failures
--------
`FailureKind`: PERMANENT — refused for good (an SMTP 5xx): retrying cannot help; TEMPORARY —
refused for now (4xx), or nothing was handed over (no connection, a time-out before the message
went): retry later; DROPPED — the connection broke in the middle: retry later. When it broke after
the whole message had gone (``maybe_delivered``), the provider may have accepted it: a retry can
repeat that one message — the only way a customer gets a notice twice.

`Scope`: NOTICE — about this notice only (its recipient refused, its content rejected): the others
go on; CHANNEL — every notice would fail the same way (login refused, certificate not trusted,
server unreachable, sender refused): the batch stops and staff are told once.

`retry_after(kind, failures)` is the back-off: 1, 5, 15, 60 minutes, then 3, 6, 12 and 24 hours,
so a notice is tried at most 9 times over about two days; after the 9th failure, or any PERMANENT
one, it returns None: give up and show staff.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Protocol, runtime_checkable

from kpadmin.billing.notices.model import Notice


class FailureKind(enum.StrEnum):
    PERMANENT = "permanent"
    TEMPORARY = "temporary"
    DROPPED = "dropped"


class Scope(enum.StrEnum):
    NOTICE = "notice"
    CHANNEL = "channel"


class NoticeError(Exception):
    """A notice was not (or may not have been) accepted. The message is safe to show and log.

    ``code`` is the provider's status (an SMTP reply code) when there was one; ``stage`` says
    where it failed (``connect``, ``tls``, ``auth``, ``sender``, ``recipient``, ``data``, …).
    """

    def __init__(
        self,
        message: str,
        *,
        kind: FailureKind,
        scope: Scope,
        stage: str,
        code: int | None = None,
        maybe_delivered: bool = False,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.scope = scope
        self.stage = stage
        self.code = code
        self.maybe_delivered = maybe_delivered

    @property
    def retry(self) -> bool:
        return self.kind is not FailureKind.PERMANENT


@dataclass(frozen=True, slots=True)
class Delivery:
    """A notice the channel's provider accepted: the channel and the provider's id for it."""

    channel: str
    reference: str


@runtime_checkable
class Notifier(Protocol):
    """One channel for customer notices (see the module docstring for how to add one)."""

    @property
    def channel(self) -> str: ...

    async def send(self, notice: Notice) -> Delivery:
        """Hand ``notice`` to the provider; `NoticeError` when it was not (surely) accepted."""
        ...

    async def aclose(self) -> None: ...


#: The waits between attempts of one notice; its length is the number of retries.
BACKOFF: Final[tuple[timedelta, ...]] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
    timedelta(hours=24),
)
MAX_FAILURES: Final = len(BACKOFF)


def retry_after(kind: FailureKind, failures: int) -> timedelta | None:
    """How long to wait before the next attempt of a notice that has failed ``failures`` times
    (this failure included, so ≥ 1), the last one of ``kind``; None means give up."""
    if failures < 1:
        raise ValueError("failures counts this failure too: at least 1")
    if kind is FailureKind.PERMANENT or failures > MAX_FAILURES:
        return None
    return BACKOFF[failures - 1]


def next_attempt_at(kind: FailureKind, failures: int, failed_at: datetime) -> datetime | None:
    """The instant of the next attempt (`retry_after` from ``failed_at``), or None: give up."""
    wait = retry_after(kind, failures)
    return None if wait is None else failed_at + wait
