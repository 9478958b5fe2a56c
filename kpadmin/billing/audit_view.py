"""The audit trail of every action (money, keys, settings, imports, exports) for the audit view:
Korean date range, staff and action filters; rows without a subscriber (imports, settings,
exports, a new database) included, each with its subscriber's name when it has one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kpadmin.billing.messages import AuditAction
from kpadmin.billing.reports import check_range, day_span
from kpadmin.store import Store
from kpadmin.store.ledger import audit_events, audit_staff
from kpadmin.store.models import AuditEvent

#: The action groups the view filters by (one filter entry each).
GROUPS: dict[str, tuple[AuditAction, ...]] = {
    "money": (
        AuditAction.CHARGE,
        AuditAction.CHARGE_BATCH,
        AuditAction.CHARGE_WITHDRAWN,
        AuditAction.RECONCILE,
        AuditAction.FOUND_AT_GATEWAY,  # a payment, refund or missing key i'mport had and we lacked
        AuditAction.AMOUNT_MISMATCH,
        AuditAction.REFUND,
        AuditAction.REFUND_REFUSED,
        AuditAction.REFUND_UNKNOWN,
        AuditAction.SIGNUP_REFUND,
        AuditAction.SIGNUP_REFUND_FAILED,
        AuditAction.PLAN_ADDED,
        AuditAction.PLAN_PRICE,
        AuditAction.RETRY_REQUESTED,  # collections: a staff retry, the daily automatic run
        AuditAction.AUTO_CHARGE,
    ),
    "keys": (
        AuditAction.KEY_CHECK,
        AuditAction.KEY_MISSING,
        AuditAction.KEY_DELETED,
        AuditAction.SIGNUP_ORPHAN_KEY,
    ),
    "subscribers": (
        AuditAction.PAUSE,
        AuditAction.RESUME,
        AuditAction.CANCEL,
        AuditAction.EDIT,
        AuditAction.SIGNUP_STARTED,
        AuditAction.SIGNUP,
        AuditAction.SIGNUP_FAILED,
        AuditAction.SIGNUP_LEFTOVERS,
        AuditAction.PAST_DUE,
    ),
    "files": (
        AuditAction.IMPORT,
        AuditAction.IMPORT_UPDATE,
        AuditAction.IMPORT_FILE,
        AuditAction.EXPORT,
    ),
    "settings": (AuditAction.SETTINGS, AuditAction.NEW_DATABASE),
}


@dataclass(frozen=True, slots=True)
class AuditLine:
    event: AuditEvent
    subscriber_name: str  # "" for an action of no subscriber


def audit_lines(
    store: Store,
    start: date,
    end: date,
    *,
    staff: str | None = None,
    actions: tuple[str, ...] | None = None,
    limit: int = 5000,
) -> list[AuditLine]:
    """Newest first, at most `limit`."""
    check_range(start, end)
    events = audit_events(
        store, span=day_span(start, end), staff=staff, actions=actions, limit=limit
    )
    wanted = {e.subscriber_id for e in events if e.subscriber_id is not None}
    names = {s.id: s.name for s in store.subscribers.list_all() if s.id in wanted}
    return [AuditLine(e, names.get(e.subscriber_id or 0, "")) for e in events]


def staff_names(store: Store) -> list[str]:
    return audit_staff(store)
