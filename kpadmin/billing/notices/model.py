"""What a customer notice is: its kind, who it is for, and its words (subject, text, HTML).

A `Notice` is rendered once (`kpadmin.billing.notices.rendering`) and then handed to a channel
(`Notifier`). It also carries ``fields``, the facts it was rendered from as display strings
(the amount as ``₩12,300``, dates, the masked card and phone): a channel that sends registered
templates rather than free text (KakaoTalk 알림톡) fills its template from those.

``key`` names the event the notice is about (``receipt:<order id>``, ``past_due:<key id>:<period>``,
…): the outbox (later) keeps one notice per key, so each customer gets each notice once; the e-mail
channel derives its Message-ID from it, so a mail repeated after a crash carries the same id.

Personal data stays out of ``repr`` (and so out of logs): the recipient's name, address and phone
and the bodies are hidden; the subject holds none (the templates keep it to the merchant, plan and
amount).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from kpadmin.redact import mask_email, mask_phone


class NoticeKind(enum.StrEnum):
    RECEIPT = "receipt"  # a paid charge
    DECLINE = "decline"  # a declined charge, naming the next retry date
    PAST_DUE = "past_due"  # the retries are used up
    ADVANCE = "advance"  # N days before a charge (notice_days_before)
    PRICE_CHANGE = "price_change"  # a plan's new price, before its first charge (billing/plans.py)


LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "ko"


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who gets the notice. Each channel uses what it needs (e-mail: ``email``; 알림톡/SMS:
    ``phone``); a channel whose address is empty refuses the notice for good."""

    name: str = field(repr=False)
    email: str = field(default="", repr=False)
    phone: str = field(default="", repr=False)

    def masked(self) -> str:
        """For logs and messages: ``h***@example.com`` / ``010-****-5678``."""
        if self.email:
            return mask_email(self.email)
        return mask_phone(self.phone) if self.phone else "(no address)"


@dataclass(frozen=True, slots=True)
class Merchant:
    """The business the customer knows (settings ``merchant_name`` / ``merchant_contact``)."""

    name: str
    contact: str = ""


@dataclass(frozen=True, slots=True)
class Notice:
    kind: NoticeKind
    key: str
    language: str
    recipient: Recipient
    merchant: Merchant
    subject: str
    text: str = field(repr=False)
    html: str = field(repr=False)
    fields: Mapping[str, str] = field(default_factory=dict, repr=False)
