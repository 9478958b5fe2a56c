"""Customer notices: what they say (`render`, templates under ``resources/notices/``), how they go
out (`Notifier`: one module per channel; e-mail in `smtp`), and when a failed one is tried again
(`notifier.retry_after`).

Built so far: the notice, its rendering, the notifier seam and the SMTP channel. Not yet: the
durable outbox (a notice written in the same transaction as the outcome that causes it, sent after
the batch, marked sent) and its wiring into the charge engine — they come with the store interface.
"""

from kpadmin.billing.notices.model import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Merchant,
    Notice,
    NoticeKind,
    Recipient,
)
from kpadmin.billing.notices.notifier import (
    Delivery,
    FailureKind,
    NoticeError,
    Notifier,
    Scope,
    next_attempt_at,
    retry_after,
)
from kpadmin.billing.notices.rendering import (
    Advance,
    Decline,
    Facts,
    NewPrice,
    PastDue,
    Receipt,
    TemplateProblem,
    render,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Advance",
    "Decline",
    "Delivery",
    "Facts",
    "FailureKind",
    "Merchant",
    "NewPrice",
    "Notice",
    "NoticeError",
    "NoticeKind",
    "Notifier",
    "PastDue",
    "Receipt",
    "Recipient",
    "Scope",
    "TemplateProblem",
    "next_attempt_at",
    "render",
    "retry_after",
]
