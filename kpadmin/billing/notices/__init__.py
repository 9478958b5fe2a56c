"""Customer notices: what they say (`render`, templates under ``resources/notices/``), how they go
out (`Notifier`: one module per channel; e-mail in `smtp`), and when a failed one is tried again
(`notifier.retry_after`).

The kinds: a receipt, a decline, past due, an advance notice of a charge, and a plan's new price
(`NewPrice`, written when staff apply a price change: `kpadmin.billing.plans`). The durable outbox
that writes them with what causes them and sends them after the batch is `kpadmin.billing.outbox`.
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
