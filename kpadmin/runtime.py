"""The composition root: one place that turns a data dir into settings, credentials, a database
path and a connected payment gateway, for the headless commands and the GUI alike.

    runtime = open_runtime(args.data_dir)
    async with runtime.api() as api:          # starts the in-process sandbox when needed
        keys = await api.gateway.get_keys(key_ids)

The gateway is billing's port (`kpadmin.billing.gateway.Gateway`); this module is the only one
outside `kpadmin.iamport` that knows it is i'mport V1 behind it (`kpadmin.iamport.gateway`): a
PortOne V2 adapter would be chosen here and nowhere else.

In sandbox mode without ``api_base_url`` an in-process `SandboxServer` is started for the duration
of the ``async with``, on a state file below the data dir, so the training sandbox's billing keys
and payments survive restarts and are the same for the GUI and for `kpadmin charge-due`. This is
the only module outside the tests that wires the sandbox in; `billing` only ever sees a gateway.

The runtime also carries the process's clock (`kpadmin.clock`): the commands, the charge engine,
the in-process sandbox and the GUI take "now" from `Runtime.clock`. A data dir in live mode refuses
to open while KPADMIN_NOW pretends another date (`clock.ClockError`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final

from kpadmin import clock as seam
from kpadmin import paths
from kpadmin.billing import secrets
from kpadmin.billing import settings as settings_mod
from kpadmin.billing.gateway import (
    AuthFailed,
    Gateway,
    GatewayError,
    NotSent,
    OutcomeUnknown,
)
from kpadmin.billing.periods import today_in_seoul
from kpadmin.billing.secrets import Credentials, SecretsError
from kpadmin.billing.settings import Settings, SettingsError
from kpadmin.exitcodes import ExitCode
from kpadmin.redact import redact_text
from kpadmin.sandbox import STATE_FILE
from kpadmin.store import FILE_NAME, Store, open_store
from kpadmin.store.errors import (
    DatabaseDamaged,
    DatabaseMissing,
    DatabaseUnusable,
    DiskError,
    SchemaTooNew,
    ServerUnreachable,
    StoreError,
    WrongMode,
)

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from kpadmin.sandbox.server import SandboxServer

DB_FILE: Final = FILE_NAME  # the store's file in each mode's folder
SANDBOX_STATE_FILE: Final = STATE_FILE


@dataclass(frozen=True, slots=True)
class Api:
    """A connected gateway plus what the sign-up page needs to load the right SDK."""

    gateway: Gateway
    base_url: str
    sdk_url: str
    imp_code: str | None  # None in test/live until the merchant code is configured
    pg: str
    #: The in-process sandbox when this session started one (the GUI's training tools and tests
    #: use it); None when talking to i'mport or to a sandbox somewhere else.
    sandbox: SandboxServer | None = None


@dataclass(frozen=True, slots=True)
class Runtime:
    """Settings and paths for one data dir. Immutable: settings changes give a new Runtime."""

    data_root: Path
    settings: Settings
    #: ``--new-database``: a missing database of this data folder may be replaced by an empty one.
    new_database: bool = False
    #: "Now" for everything this runtime opens (the process's clock unless a test injects one).
    clock: seam.Clock = field(default_factory=seam.default_clock, compare=False)

    def __post_init__(self) -> None:
        # Here rather than in open_runtime, so a mode switch to live (with_settings) is refused too.
        seam.refuse_in_live(self.mode)

    def today(self) -> date:
        """Today in Asia/Seoul by this runtime's clock."""
        return today_in_seoul(self.clock)

    @property
    def mode(self) -> str:
        return self.settings.mode

    @property
    def mode_dir(self) -> Path:
        return paths.mode_dir(self.data_root, self.mode)

    @property
    def db_path(self) -> Path:
        """The local store of the current mode (test and live never share data)."""
        return self.db_path_for(self.mode)

    def db_path_for(self, mode: str) -> Path:
        return paths.mode_dir(self.data_root, mode) / DB_FILE

    @property
    def database_url(self) -> str | None:
        """The shared PostgreSQL database this desk uses (env KPADMIN_DATABASE_URL, else the
        ``database_url`` setting); None: this PC's own SQLite file."""
        return settings_mod.database_url(self.settings)

    @property
    def database_location(self) -> str | None:
        """``host/db`` of the shared database (the banner's "shared: host/db"); None = this PC."""
        url = self.database_url
        if url is None:
            return None
        from kpadmin.store.postgres import describe_url

        return describe_url(url)

    def open_store(self, mode: str | None = None) -> Store:
        """The checked, migrated store of `mode` (default: the current one), on this runtime's
        clock: the shared database when one is set (its mode recorded by the first desk and
        checked by the others), else this PC's SQLite file of that mode. Close it when done
        (`Store.close`, or ``with``).

        Raises `store.errors.DatabaseMissing` (unless ``new_database``), `DatabaseDamaged`,
        `SchemaTooNew`, `DiskError`, `ServerUnreachable` or `WrongMode`; `explain` and
        `exit_code` turn them into a message and an exit code."""
        mode = mode or self.mode
        url = self.database_url
        if url is not None:
            try:
                password = secrets.database_password(mode)
            except secrets.SecretsUnavailable as exc:
                # A server that trusts this desk (or ~/.pgpass) needs none; one that does not
                # says so when we connect.
                log.info("no database password from the keyring: %s", exc)
                password = None
            return open_store(url, clock=self.clock, password=password, mode=mode, staff=self.staff)
        return open_store(self.db_path_for(mode), clock=self.clock, new_database=self.new_database)

    def check_database_ahead(self) -> None:
        """Start checking this mode's SQLite file in a background thread, so that `open_store`
        finds the check done (`kpadmin.store.sqlite.check_ahead`): the app calls it before it
        imports Qt. Nothing to do for a shared PostgreSQL database."""
        if self.database_url is None:
            from kpadmin.store.sqlite import check_ahead

            check_ahead(self.db_path)

    @property
    def sandbox_state_path(self) -> Path:
        return paths.mode_dir(self.data_root, "sandbox") / SANDBOX_STATE_FILE

    @property
    def log_dir(self) -> Path:
        return paths.log_dir(self.data_root)

    @property
    def imp_code(self) -> str | None:
        return settings_mod.resolved_imp_code(self.settings)

    @property
    def pg(self) -> str:
        return self.settings.pg

    @property
    def staff(self) -> str:
        return settings_mod.staff(self.settings)

    def credentials(self) -> Credentials:
        """The REST key and secret of the current mode (env, keyring, or the sandbox defaults).

        Raises `secrets.SecretsUnavailable` or `secrets.CredentialsMissing` with a fix-it message.
        """
        return secrets.load_credentials(self.mode)

    def with_settings(self, new_settings: Settings) -> Runtime:
        """The same data dir with other settings (call `save_settings` to keep them)."""
        return replace(self, settings=new_settings)

    def save_settings(self, new_settings: Settings) -> Runtime:
        runtime = self.with_settings(new_settings)  # refused (live + KPADMIN_NOW) before saving
        settings_mod.save_settings(self.data_root, new_settings)
        return runtime

    @asynccontextmanager
    async def api(self) -> AsyncIterator[Api]:
        """A connected gateway for the current mode; starts and stops the sandbox when needed.

        The settings' rules across keys are checked again first, so settings built in code
        (not loaded) cannot send a test/live secret over plain http either."""
        settings_mod.check(self.settings)
        creds = self.credentials()
        base_url = settings_mod.rest_base_url(self.settings)
        server: SandboxServer | None = None
        if base_url is None:
            server = self._sandbox_server(creds)
            try:
                base_url = server.start()
            except BaseException:
                server.close()
                raise
        try:
            from kpadmin.iamport.gateway import open_gateway  # httpx: not at start-up

            async with open_gateway(base_url, creds.imp_key, creds.imp_secret) as gateway:
                yield Api(
                    gateway=gateway,
                    base_url=base_url,
                    sdk_url=settings_mod.sdk_url(self.settings, base_url),
                    imp_code=self.imp_code,
                    pg=self.pg,
                    sandbox=server,
                )
        finally:
            if server is not None:
                server.close()

    @asynccontextmanager
    async def gateway(self) -> AsyncIterator[Gateway]:
        """Just the gateway, for commands that need nothing else."""
        async with self.api() as api:
            yield api.gateway

    def _sandbox_server(self, creds: Credentials) -> SandboxServer:
        # Imported here: only sandbox mode pays for Starlette/uvicorn.
        from kpadmin.sandbox.config import SandboxConfig
        from kpadmin.sandbox.server import SandboxServer

        config = SandboxConfig(
            imp_code=self.imp_code or SandboxConfig.imp_code,
            # Whatever credentials this mode resolves to are the ones the sandbox accepts, so
            # keys a trainer stored for the sandbox keep working with the in-process one too.
            imp_key=creds.imp_key,
            imp_secret=creds.imp_secret,
            clock=self.clock,
        )
        return SandboxServer(config, state_path=self.sandbox_state_path)


async def check_credentials(base_url: str, imp_key: str, imp_secret: str) -> None:
    """Ask the gateway at ``base_url`` for an access token with these credentials (the settings
    dialog's "Test connection", before anything is saved); raises the gateway's errors."""
    from kpadmin.iamport.gateway import open_gateway  # httpx: not at start-up

    async with open_gateway(base_url, imp_key, imp_secret) as gateway:
        await gateway.check_connection()


def open_runtime(
    data_dir_override: str | os.PathLike[str] | None = None,
    *,
    new_database: bool = False,
    clock: seam.Clock | None = None,
) -> Runtime:
    """The runtime for ``--data-dir`` (else env KPADMIN_DATA_DIR, else the user data dir), on
    `clock` (default: the process's clock, `kpadmin.clock.default_clock`).

    Raises `settings.SettingsFileError` when the settings file cannot be used (unreadable or
    holding a refused value); never falls back to the defaults silently. Raises
    `clock.ClockError` when KPADMIN_NOW is unreadable or set for a live-mode data dir.
    """
    root = paths.data_dir(data_dir_override)
    return Runtime(
        data_root=root,
        settings=settings_mod.load_settings(root),
        new_database=new_database,
        clock=clock or seam.default_clock(),
    )


#: Errors a command or the GUI reports as a calm message rather than a traceback.
EXPECTED_ERRORS: Final = (
    SettingsError,
    SecretsError,
    GatewayError,
    StoreError,
    seam.ClockError,
    OSError,
)


def exit_code(exc: BaseException, default: int) -> int:
    """The exit code a command ends with for an expected error (`kpadmin.exitcodes`); `default`
    for the errors this does not name."""
    if isinstance(exc, SettingsError):
        return ExitCode.SETTINGS
    if isinstance(exc, DiskError | ServerUnreachable):
        return ExitCode.DISK
    if isinstance(exc, DatabaseUnusable):
        return ExitCode.DATABASE
    if isinstance(exc, seam.ClockError):  # KPADMIN_NOW unreadable, or set in live mode
        return ExitCode.USAGE
    if isinstance(exc, SecretsError):
        return ExitCode.SECRETS
    if isinstance(exc, GatewayError):  # i'mport unreachable or refusing the credentials
        return ExitCode.GATEWAY
    return default


def explain(exc: BaseException, runtime: Runtime | None = None) -> str:
    """One or two sentences for the user about an expected error, redacted like the logs (the
    gateway's errors are redacted already; this is the last door before a console)."""
    return redact_text(_explain(exc, runtime))


def _explain(exc: BaseException, runtime: Runtime | None) -> str:
    mode = f" for {runtime.mode} mode" if runtime is not None else ""
    where = ""
    if runtime is not None:
        base = settings_mod.rest_base_url(runtime.settings)
        where = f" at {base}" if base else " (the built-in sandbox)"
    if isinstance(exc, StoreError):
        return _explain_store(exc)
    if isinstance(exc, AuthFailed):
        return (
            f"i'mport refused the REST API key and secret{mode} ({exc}). "
            "Check them with `kpadmin config show` and set them with `kpadmin config set`."
        )
    if isinstance(exc, NotSent):
        return f"Could not reach i'mport{where}: {exc}. Check the network and api_base_url."
    if isinstance(exc, OutcomeUnknown):
        return f"The connection to i'mport{where} failed mid-request: {exc}."
    if isinstance(exc, GatewayError):
        return f"i'mport answered with an error{where}: {exc}"
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.strerror or exc}: {exc.filename}"
    return str(exc) or type(exc).__name__


def _explain_store(exc: StoreError) -> str:
    """What is wrong with the database and what to do, for the command line (the GUI says the
    same with buttons instead of options)."""
    if isinstance(exc, DatabaseMissing):
        return (
            f"{exc}. Nothing was changed. Restore it from your backup (copy the file back to "
            "that place), or run again with --new-database to start with an empty database on "
            "purpose."
        )
    if isinstance(exc, SchemaTooNew):
        return f"{exc}. Nothing was changed. Update kpadmin to open it."
    if isinstance(exc, DatabaseDamaged):
        return (
            f"{exc}. Nothing was changed. Restore the file from a backup; or move the damaged "
            "file aside (keep it for support) and start with an empty database with "
            "--new-database."
        )
    if isinstance(exc, DiskError):
        return f"{exc}. Nothing more was written or sent. {DISK_FIX}"
    if isinstance(exc, ServerUnreachable):
        return (
            f"{exc}. Nothing more was written or sent; whatever was on its way is looked up at "
            "i'mport before anything else once the server is back. Check the network and the "
            "database server (database_url), then run again."
        )
    if isinstance(exc, WrongMode):
        return f"{exc}. Nothing was changed. Point this mode at another database_url."
    return str(exc)


#: What to do about a `DiskError` (the command line's words).
DISK_FIX: Final = "Free some space on that disk (or make the folder writable), then run again."
