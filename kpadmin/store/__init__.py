"""kpadmin's local SQLite store: schema, subscribers, the charge journal, audit."""

from kpadmin.store.audit import AuditRepository
from kpadmin.store.charges import ChargeRepository, NewCharge
from kpadmin.store.db import open_database, transaction
from kpadmin.store.subscribers import NewSubscriber, SubscriberRepository

__all__ = [
    "AuditRepository",
    "ChargeRepository",
    "NewCharge",
    "NewSubscriber",
    "SubscriberRepository",
    "open_database",
    "transaction",
]
