"""The i'mport REST API key and secret, and the mail server's password: in the OS keyring, or from
the environment, never in a file.

Where a secret comes from, first match wins:

1. env ``KPADMIN_IMP_KEY`` / ``KPADMIN_IMP_SECRET`` / ``KPADMIN_SMTP_PASSWORD`` — for schedulers
   and CI, in any mode;
2. the OS keyring (service ``kpadmin``, user names ``"{mode}:imp_key"`` / ``"{mode}:imp_secret"`` /
   ``"{mode}:smtp_password"``, so test and live credentials never mix);
3. sandbox mode only, for the REST key and secret: the sandbox's documented defaults (they are
   public; nothing to protect). The mail password has no default.

A keyring that cannot be used (no backend on a headless Linux box, a locked or broken one, or a
backend that would write the secret to a plain file) raises `SecretsUnavailable` with the two
ways out. There is deliberately no plaintext fallback.
"""

from __future__ import annotations

import enum
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from kpadmin.paths import MODES

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE: Final = "kpadmin"
#: The REST credentials (what `secret_sources` and `load_credentials` are about).
SECRET_NAMES: Final = ("imp_key", "imp_secret")
#: The customer notices' mail server password (kpadmin.billing.notices.smtp).
SMTP_PASSWORD: Final = "smtp_password"
#: The shared PostgreSQL database's password (issue #11; never in the URL or settings.json).
DATABASE_PASSWORD: Final = "database_password"
#: Every secret `kpadmin config set` stores in the keyring.
ALL_SECRET_NAMES: Final = (*SECRET_NAMES, SMTP_PASSWORD, DATABASE_PASSWORD)
ENV_VARS: Final[dict[str, str]] = {
    "imp_key": "KPADMIN_IMP_KEY",
    "imp_secret": "KPADMIN_IMP_SECRET",
    SMTP_PASSWORD: "KPADMIN_SMTP_PASSWORD",
    DATABASE_PASSWORD: "KPADMIN_DATABASE_PASSWORD",
}
#: The sandbox's documented credentials (kpadmin.sandbox.config); billing does not import the
#: sandbox, so they are repeated here and pinned together by a test.
SANDBOX_DEFAULTS: Final[dict[str, str]] = {
    "imp_key": "sandbox-key",
    "imp_secret": "sandbox-secret",
}
MAX_SECRET_LENGTH: Final = 256

# Backends that "work" but keep the secret somewhere we promised it would never be.
_REFUSED_BACKENDS: Final = (
    "keyring.backends.fail.Keyring",
    "keyring.backends.null.Keyring",
    "keyrings.alt.file.PlaintextKeyring",
    "keyrings.alt.file.EncryptedKeyring",  # prompts on the terminal; useless for the GUI
)

_HOW_TO_FIX: Final = (
    "Install and unlock an OS keyring (Windows Credential Manager, macOS Keychain, or on Linux "
    "GNOME Keyring/KWallet with the Secret Service), or set the environment variables "
    "KPADMIN_IMP_KEY and KPADMIN_IMP_SECRET."
)


class SecretSource(enum.StrEnum):
    ENV = "env"
    KEYRING = "keyring"
    SANDBOX_DEFAULT = "sandbox default"
    UNSET = "unset"


class SecretsError(Exception):
    """Base of the errors about the REST key and secret."""


class SecretsUnavailable(SecretsError):
    """The OS keyring cannot be used. The message says how to fix it."""


class CredentialsMissing(SecretsError):
    """Test or live mode has no REST key or secret configured."""


class InvalidSecret(SecretsError, ValueError):
    """A value given for the key or secret is obviously wrong (empty, spaces, too long)."""


@dataclass(frozen=True, slots=True)
class Credentials:
    """The REST credentials of one mode. The secret is kept out of repr() and so out of logs."""

    imp_key: str
    imp_secret: str = field(repr=False)
    key_source: SecretSource
    secret_source: SecretSource


def keyring_username(mode: str, name: str) -> str:
    _check(mode, name)
    return f"{mode}:{name}"


def _check(mode: str, name: str) -> None:
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    if name not in ALL_SECRET_NAMES:
        raise ValueError(f"unknown secret {name!r}; expected one of {', '.join(ALL_SECRET_NAMES)}")


def _backend_name(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__name__}"


def _usable_backend(name: str | None = None) -> KeyringBackend:
    """The active keyring backend, or `SecretsUnavailable` when it cannot keep a secret safely
    (the message names the environment variable(s) for ``name``, the REST ones by default)."""
    fix = _how_to_fix(name)
    try:
        import keyring  # here, not at start-up: finding the OS's backend takes ~50 ms

        backend = keyring.get_keyring()
    except Exception as exc:  # backends fail in many ways (D-Bus, locked, misconfigured)
        raise SecretsUnavailable(f"The OS keyring could not be loaded ({exc}). {fix}") from exc
    members = getattr(backend, "backends", None)  # the chainer backend wraps several
    candidates = list(members) if isinstance(members, list | tuple) else [backend]
    if not [b for b in candidates if _backend_name(b) not in _REFUSED_BACKENDS]:
        raise SecretsUnavailable(
            f"No usable OS keyring was found (backend: {_backend_name(backend)}). {fix}"
        )
    return backend


def keyring_available() -> tuple[bool, str]:
    """Whether secrets can be stored, and a sentence saying why not (for the settings dialog)."""
    try:
        backend = _usable_backend()
    except SecretsUnavailable as exc:
        return False, str(exc)
    return True, _backend_name(backend)


def read_secret(
    mode: str, name: str, *, env: Mapping[str, str] | None = None
) -> tuple[str | None, SecretSource]:
    """One secret and where it came from. Raises `SecretsUnavailable` if the keyring had to be
    asked and failed — except in sandbox mode, whose public defaults then apply."""
    _check(mode, name)
    environ = os.environ if env is None else env
    from_env = environ.get(ENV_VARS[name], "").strip()
    if from_env:
        return from_env, SecretSource.ENV
    default = SANDBOX_DEFAULTS.get(name) if mode == "sandbox" else None
    try:
        value = _usable_backend(name).get_password(SERVICE, keyring_username(mode, name))
    except SecretsUnavailable:
        if default:
            return default, SecretSource.SANDBOX_DEFAULT
        raise
    except Exception as exc:
        if default:
            log.warning("keyring read failed (%s); using the sandbox's default credentials", exc)
            return default, SecretSource.SANDBOX_DEFAULT
        raise SecretsUnavailable(
            f"Reading {name} from the OS keyring failed ({exc}). {_how_to_fix(name)}"
        ) from exc
    if value:
        return value, SecretSource.KEYRING
    if default:
        return default, SecretSource.SANDBOX_DEFAULT
    return None, SecretSource.UNSET


def _how_to_fix(name: str | None) -> str:
    if name in (SMTP_PASSWORD, DATABASE_PASSWORD):
        return _HOW_TO_FIX.replace(
            "KPADMIN_IMP_KEY and KPADMIN_IMP_SECRET", ENV_VARS[name]
        ).replace("environment variables", "environment variable")
    return _HOW_TO_FIX


def validate_secret(name: str, value: str) -> str:
    """The value stripped of surrounding whitespace, or `InvalidSecret`.

    REST credentials are printable ASCII without spaces; a mail password may hold spaces and
    any printable character (some providers show app passwords in groups of four)."""
    cleaned = value.strip()
    if not cleaned:
        raise InvalidSecret(f"{name} must not be empty")
    if len(cleaned) > MAX_SECRET_LENGTH:
        raise InvalidSecret(f"{name} is longer than {MAX_SECRET_LENGTH} characters")
    if name in (SMTP_PASSWORD, DATABASE_PASSWORD):
        if not cleaned.isprintable():
            raise InvalidSecret(f"{name} must not contain control characters (check the paste)")
        return cleaned
    if not all(33 <= ord(ch) <= 126 for ch in cleaned):
        raise InvalidSecret(f"{name} must be printable ASCII without spaces (check the paste)")
    return cleaned


def store_secret(mode: str, name: str, value: str) -> None:
    """Save a secret in the OS keyring for ``mode``. Never falls back to anything else."""
    _check(mode, name)
    cleaned = validate_secret(name, value)
    backend = _usable_backend(name)
    try:
        backend.set_password(SERVICE, keyring_username(mode, name), cleaned)
    except Exception as exc:
        raise SecretsUnavailable(
            f"Saving {name} in the OS keyring failed ({exc}). {_how_to_fix(name)}"
        ) from exc


def delete_secret(mode: str, name: str) -> bool:
    """Remove a secret from the keyring; False when there was none."""
    _check(mode, name)
    backend = _usable_backend(name)
    from keyring.errors import PasswordDeleteError  # loaded by `_usable_backend` already

    try:
        backend.delete_password(SERVICE, keyring_username(mode, name))
    except PasswordDeleteError:
        return False
    except Exception as exc:
        raise SecretsUnavailable(
            f"Deleting {name} from the OS keyring failed ({exc}). {_how_to_fix(name)}"
        ) from exc
    return True


def secret_sources(mode: str, *, env: Mapping[str, str] | None = None) -> dict[str, SecretSource]:
    """Where each secret of ``mode`` would come from (values are not returned)."""
    return {name: read_secret(mode, name, env=env)[1] for name in SECRET_NAMES}


def load_credentials(mode: str, *, env: Mapping[str, str] | None = None) -> Credentials:
    """The key and secret for ``mode``; `CredentialsMissing` says how to set what is missing."""
    imp_key, key_source = read_secret(mode, "imp_key", env=env)
    imp_secret, secret_source = read_secret(mode, "imp_secret", env=env)
    missing = [n for n, v in (("imp_key", imp_key), ("imp_secret", imp_secret)) if not v]
    if missing or imp_key is None or imp_secret is None:
        how = "; ".join(
            f"`kpadmin config set {n} -` (reads it from stdin) or env {ENV_VARS[n]}"
            for n in missing
        )
        raise CredentialsMissing(
            f"No i'mport REST {' and '.join(missing)} for {mode} mode. Set it with {how}, "
            "or in the app's Settings."
        )
    return Credentials(imp_key, imp_secret, key_source, secret_source)


def smtp_password(mode: str, *, env: Mapping[str, str] | None = None) -> str | None:
    """The mail server's password for ``mode`` (env, else keyring), None when unset.

    Raises `SecretsUnavailable` when the keyring had to be asked and cannot be used."""
    value, _ = read_secret(mode, SMTP_PASSWORD, env=env)
    return value


def database_password(mode: str, *, env: Mapping[str, str] | None = None) -> str | None:
    """The shared database's password for ``mode`` (env KPADMIN_DATABASE_PASSWORD, else the
    keyring), None when unset (a server that trusts the desk, or a ~/.pgpass).

    Raises `SecretsUnavailable` when the keyring had to be asked and cannot be used."""
    value, _ = read_secret(mode, DATABASE_PASSWORD, env=env)
    return value
