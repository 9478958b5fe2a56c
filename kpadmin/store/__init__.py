"""kpadmin's local SQLite store: schema, subscribers, the charge journal, audit."""

from kpadmin.store.audit import AuditRepository
from kpadmin.store.charges import ChargeRepository, NewCharge
from kpadmin.store.db import open_database, transaction
from kpadmin.store.errors import (
    DatabaseDamaged,
    DatabaseMissing,
    DatabaseUnusable,
    DiskError,
    SchemaTooNew,
    StoreError,
)
from kpadmin.store.subscribers import NewSubscriber, SubscriberRepository

__all__ = [
    "AuditRepository",
    "ChargeRepository",
    "DatabaseDamaged",
    "DatabaseMissing",
    "DatabaseUnusable",
    "DiskError",
    "NewCharge",
    "NewSubscriber",
    "SchemaTooNew",
    "StoreError",
    "SubscriberRepository",
    "open_database",
    "transaction",
]
