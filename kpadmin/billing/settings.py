"""kpadmin's settings: one small JSON file per data dir, never holding a secret.

The REST key and secret live in the OS keyring (see `kpadmin.billing.secrets`); this file holds only
what is safe to read over someone's shoulder: the mode, the merchant code, the channel, limits, the
staff name and the UI language.

Modes
-----
``sandbox`` (the default) talks to kpadmin's own i'mport simulator, started in-process unless
``api_base_url`` points elsewhere. ``test`` and ``live`` both talk to the real i'mport
(``https://api.iamport.kr`` and ``https://cdn.iamport.kr/v1/iamport.js``); they differ only in their
credentials, their channel (a test CID such as ``kakaopay.TCSUBSCRIP`` vs a real one) and their
data folder. ``api_base_url`` overrides the REST base URL in any mode, and the browser SDK then
comes from the same origin's ``/v1/iamport.js``.

Values are validated the same way whether they come from the file, `kpadmin config set` or the GUI,
so a hand-edited file with a bad value is a clear error rather than a surprise at charge time.
"""

from __future__ import annotations

import dataclasses
import getpass
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from kpadmin.paths import MODES, ensure_private_dir

SETTINGS_FILE: Final = "settings.json"
LIVE_API_BASE_URL: Final = "https://api.iamport.kr"
LIVE_SDK_URL: Final = "https://cdn.iamport.kr/v1/iamport.js"
SDK_PATH: Final = "/v1/iamport.js"
#: The sandbox's documented merchant code (kpadmin.sandbox.config.DEFAULT_IMP_CODE); repeated here
#: because billing must not import the sandbox (the sandbox test suite pins the two together).
SANDBOX_IMP_CODE: Final = "imp00000000"
LANGUAGES: Final = ("auto", "ko", "en")
MAX_CONCURRENCY: Final = 32
MAX_REQUESTS_PER_SECOND: Final = 1000.0
MAX_MONTHLY_LIMIT: Final = 10_000

_IMP_CODE_RE: Final = re.compile(r"imp\d{8}")
# `kakaopay` or `kakaopay.{CID}` (REFERENCE.md §7); other PGs keep the same `{pg}[.{mid}]` shape.
_PG_RE: Final = re.compile(r"[a-z][a-z0-9_]{0,15}(\.[A-Za-z0-9_-]{1,80})?")
_NONE_WORDS: Final = frozenset({"", "none", "null", "unset", "-"})


class SettingsError(ValueError):
    """A setting is unknown, malformed or out of range, or the settings file cannot be read."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything kpadmin remembers that is not a secret. Immutable: change it with `set_value`."""

    mode: str = "sandbox"
    api_base_url: str | None = None
    imp_code: str | None = None
    pg: str = "kakaopay.TCSUBSCRIP"
    concurrency: int = 4
    requests_per_second: float | None = None
    monthly_limit: int | None = None
    staff_name: str = ""
    language: str = "auto"


#: The keys `kpadmin config` shows, in this order.
KEYS: Final[tuple[str, ...]] = tuple(f.name for f in dataclasses.fields(Settings))

#: One line per key for `kpadmin config show --help` and the settings dialog's tooltips.
DESCRIPTIONS: Final[dict[str, str]] = {
    "mode": "sandbox (built-in simulator), test (real i'mport, test channel) or live",
    "api_base_url": "overrides the REST base URL in any mode (http/https); the SDK then comes "
    "from the same origin's /v1/iamport.js",
    "imp_code": "merchant code for IMP.init: 'imp' + 8 digits (sandbox default imp00000000)",
    "pg": "channel for IMP.request_pay, e.g. kakaopay.TCSUBSCRIP (test) or kakaopay.CA…",
    "concurrency": f"charges sent at once, 1..{MAX_CONCURRENCY}",
    "requests_per_second": "optional cap on charge requests per second (empty = none)",
    "monthly_limit": "Kakao Pay's per-key monthly cap of paid charges (empty = none)",
    "staff_name": "your name, written to the audit log with every action",
    "language": "UI language: auto (follow the OS), ko or en",
}


# --- validation -------------------------------------------------------------------------------


def _optional(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse_optional(raw: str) -> Any:
        return None if raw.strip().lower() in _NONE_WORDS else parse(raw)

    return parse_optional


def _parse_mode(raw: str) -> str:
    value = raw.strip().lower()
    if value not in MODES:
        raise SettingsError(f"mode must be one of {', '.join(MODES)}, not {raw!r}")
    return value


def _parse_url(raw: str) -> str:
    value = raw.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise SettingsError(f"api_base_url must be an http:// or https:// URL, not {raw!r}")
    if not parts.hostname:
        raise SettingsError(f"api_base_url has no host: {raw!r}")
    if parts.username or parts.password:
        raise SettingsError("api_base_url must not contain a user name or password")
    if parts.query or parts.fragment:
        raise SettingsError("api_base_url must not have a query (?…) or fragment (#…)")
    try:
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        raise SettingsError(f"api_base_url has a bad port: {raw!r}") from None
    return value.rstrip("/")


def _parse_imp_code(raw: str) -> str:
    value = raw.strip()
    if not _IMP_CODE_RE.fullmatch(value):
        raise SettingsError(
            f"imp_code must be 'imp' followed by 8 digits (e.g. imp12345678), not {raw!r}"
        )
    return value


def _parse_pg(raw: str) -> str:
    value = raw.strip()
    if not _PG_RE.fullmatch(value):
        raise SettingsError(f"pg must look like kakaopay or kakaopay.CID, not {raw!r}")
    return value


def _parse_int(name: str, low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw.strip())
        except ValueError:
            raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
        if not low <= value <= high:
            raise SettingsError(f"{name} must be between {low} and {high}, not {value}")
        return value

    return parse


def _parse_rps(raw: str) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        raise SettingsError(f"requests_per_second must be a number, not {raw!r}") from None
    if not 0 < value <= MAX_REQUESTS_PER_SECOND:  # also rejects nan
        raise SettingsError(
            f"requests_per_second must be above 0 and at most {MAX_REQUESTS_PER_SECOND:g}"
        )
    return value


def _parse_staff(raw: str) -> str:
    value = raw.strip()
    if len(value) > 60:
        raise SettingsError("staff_name is limited to 60 characters")
    if any(unicodedata.category(ch).startswith("C") for ch in value):
        raise SettingsError("staff_name must not contain control characters")
    return value


def _parse_language(raw: str) -> str:
    value = raw.strip().lower()
    if value not in LANGUAGES:
        raise SettingsError(f"language must be one of {', '.join(LANGUAGES)}, not {raw!r}")
    return value


_PARSERS: Final[dict[str, Callable[[str], Any]]] = {
    "mode": _parse_mode,
    "api_base_url": _optional(_parse_url),
    "imp_code": _optional(_parse_imp_code),
    "pg": _parse_pg,
    "concurrency": _parse_int("concurrency", 1, MAX_CONCURRENCY),
    "requests_per_second": _optional(_parse_rps),
    "monthly_limit": _optional(_parse_int("monthly_limit", 1, MAX_MONTHLY_LIMIT)),
    "staff_name": _parse_staff,
    "language": _parse_language,
}


def set_value(settings: Settings, key: str, raw: str) -> Settings:
    """A copy of ``settings`` with ``key`` parsed from the text ``raw``.

    Optional keys (api_base_url, imp_code, requests_per_second, monthly_limit) are cleared with an
    empty value or ``none``. Raises `SettingsError` with a message fit for the user.
    """
    parser = _PARSERS.get(key)
    if parser is None:
        secret_hint = " (imp_key and imp_secret are secrets: see kpadmin.billing.secrets)"
        hint = secret_hint if key in ("imp_key", "imp_secret") else ""
        raise SettingsError(f"unknown setting {key!r}; known settings: {', '.join(KEYS)}{hint}")
    return dataclasses.replace(settings, **{key: parser(raw)})


def format_value(settings: Settings, key: str) -> str:
    """The text form of one setting, as `set_value` accepts it back ("" for unset)."""
    value = getattr(settings, key)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# --- the file ---------------------------------------------------------------------------------


def settings_path(data_root: Path) -> Path:
    return data_root / SETTINGS_FILE


def load_settings(data_root: Path) -> Settings:
    """The saved settings, or the defaults (sandbox mode) when nothing was saved yet.

    Every value is validated; unknown keys are ignored so an older kpadmin can read a newer file.
    """
    path = settings_path(data_root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise SettingsError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path} is not valid JSON ({exc}); fix it or delete it") from exc
    if not isinstance(data, dict):
        raise SettingsError(f"{path} must hold a JSON object; fix it or delete it")
    settings = Settings()
    for key in KEYS:
        if key not in data:
            continue
        value = data[key]
        # bool is an int in Python; `"concurrency": true` is a mistake, not 1.
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, str | int | float)
        ):
            raise SettingsError(f"{path}: {key} has a value of the wrong type: {value!r}")
        try:
            settings = set_value(settings, key, "" if value is None else str(value))
        except SettingsError as exc:
            raise SettingsError(f"{path}: {exc}") from exc
    return settings


def save_settings(data_root: Path, settings: Settings) -> Path:
    """Write the settings atomically (temp file + fsync + rename), readable by the owner only."""
    ensure_private_dir(data_root)
    path = settings_path(data_root)
    payload = json.dumps(dataclasses.asdict(settings), indent=2, ensure_ascii=False) + "\n"
    # mkstemp creates the file with mode 0600 before anything is written into it.
    fd, tmp_name = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=data_root)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as tmp:
            tmp.write(payload)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(data_root)
    return path


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- derived values ---------------------------------------------------------------------------


def rest_base_url(settings: Settings) -> str | None:
    """The i'mport REST base URL; None means "start the in-process sandbox" (sandbox mode)."""
    if settings.api_base_url:
        return settings.api_base_url
    if settings.mode == "sandbox":
        return None
    return LIVE_API_BASE_URL


def sdk_url(settings: Settings, rest_base: str) -> str:
    """Where the sign-up page loads iamport.js from.

    The real CDN in test/live mode; otherwise (sandbox, or an overridden base URL) the
    ``/v1/iamport.js`` on the REST base's own origin.
    """
    if settings.mode != "sandbox" and not settings.api_base_url:
        return LIVE_SDK_URL
    parts = urlsplit(rest_base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"cannot derive the SDK URL from {rest_base!r}")
    return f"{parts.scheme}://{parts.netloc}{SDK_PATH}"


def resolved_imp_code(settings: Settings) -> str | None:
    """The merchant code for IMP.init: the setting, else the sandbox's in sandbox mode."""
    if settings.imp_code:
        return settings.imp_code
    return SANDBOX_IMP_CODE if settings.mode == "sandbox" else None


def staff(settings: Settings) -> str:
    """The name written to the audit log: the setting, else the OS login name."""
    if settings.staff_name:
        return settings.staff_name
    try:
        return getpass.getuser() or "staff"
    except (OSError, KeyError):  # no login name in some containers
        return "staff"
