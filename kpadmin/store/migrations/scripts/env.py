"""Alembic's entry point: kpadmin's migrations run through `kpadmin.store.migrations.run_env`."""

from alembic import context

from kpadmin.store.migrations import run_env

run_env(context)
