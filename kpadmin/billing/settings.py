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

Rules
-----
Every number has bounds (`BOUNDS`, said in `kpadmin config show --help` and the settings
dialog): a pacing of 1e-300 requests per second would make a batch wait for ever.
``api_base_url`` is checked for scheme, host and length. In test and live mode the REST secret is
sent to ``api_base_url``, so it must be ``https://``; plain ``http://`` is allowed there only to a
loopback address (127.0.0.1 or ::1: a local proxy on this computer, which `local_proxy` names).
Single values are checked by `set_value` / `set_values`; the rules across keys by `check`, which
`set_values` and the runtime also apply.

A settings file that cannot be used (not UTF-8, not JSON, nested too deeply, too large, or holding
a refused value) is a `SettingsFileError` naming the file; it is never silently replaced.
`reset_settings` moves it aside (``settings.json.broken-<time>``) and writes the defaults, whose
mode is SANDBOX: the error says so whenever the old file may have said LIVE.
"""

from __future__ import annotations

import dataclasses
import email.utils
import getpass
import ipaddress
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from kpadmin import clock
from kpadmin.billing import retry_policy
from kpadmin.paths import MODES, ensure_private_dir

SETTINGS_FILE: Final = "settings.json"
LIVE_API_BASE_URL: Final = "https://api.iamport.kr"
LIVE_SDK_URL: Final = "https://cdn.iamport.kr/v1/iamport.js"
SDK_PATH: Final = "/v1/iamport.js"
#: The sandbox's documented merchant code (kpadmin.sandbox.config.DEFAULT_IMP_CODE); repeated here
#: because billing must not import the sandbox (the sandbox test suite pins the two together).
SANDBOX_IMP_CODE: Final = "imp00000000"
LANGUAGES: Final = ("auto", "ko", "en")
MIN_CONCURRENCY: Final = 1
MAX_CONCURRENCY: Final = 32
#: One request every 10 s at the slowest: slower pacing is a mistake (1e-300 waited for ever).
MIN_REQUESTS_PER_SECOND: Final = 0.1
MAX_REQUESTS_PER_SECOND: Final = 1000.0
MIN_MONTHLY_LIMIT: Final = 1
MAX_MONTHLY_LIMIT: Final = 10_000
MAX_STAFF_NAME: Final = 60
#: A base URL is a few dozen characters; the bound keeps a pasted blob out of every request and log.
MAX_URL_LENGTH: Final = 512
#: DNS limits (RFC 1035): 253 characters a name, 63 a label.
MAX_HOST_LENGTH: Final = 253
#: settings.json is a few hundred bytes; anything this big is not a settings file.
MAX_FILE_BYTES: Final = 64 * 1024
NOTICE_CHANNELS: Final = ("off", "email")
MIN_NOTICE_DAYS_BEFORE: Final = 1
MAX_NOTICE_DAYS_BEFORE: Final = 14
MAX_MERCHANT_NAME: Final = 100
MAX_MERCHANT_CONTACT: Final = 200
#: RFC 5321's limit on an address (a user name is often one).
MAX_ADDRESS_LENGTH: Final = 254
SMTP_SCHEMES: Final = ("smtp", "smtps")

#: The bounds of every numeric setting, as (low, high); `config show --help` and the GUI say them.
BOUNDS: Final[dict[str, tuple[float, float]]] = {
    "concurrency": (MIN_CONCURRENCY, MAX_CONCURRENCY),
    "requests_per_second": (MIN_REQUESTS_PER_SECOND, MAX_REQUESTS_PER_SECOND),
    "monthly_limit": (MIN_MONTHLY_LIMIT, MAX_MONTHLY_LIMIT),
    "notice_days_before": (MIN_NOTICE_DAYS_BEFORE, MAX_NOTICE_DAYS_BEFORE),
}

_IMP_CODE_RE: Final = re.compile(r"imp\d{8}")
# `kakaopay` or `kakaopay.{CID}` (REFERENCE.md §7); other PGs keep the same `{pg}[.{mid}]` shape.
_PG_RE: Final = re.compile(r"[a-z][a-z0-9_]{0,15}(\.[A-Za-z0-9_-]{1,80})?")
_NONE_WORDS: Final = frozenset({"", "none", "null", "unset", "-"})
_LABEL_RE: Final = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


class SettingsError(ValueError):
    """A setting is unknown, malformed or out of range, or the settings file cannot be read.

    ``key`` names the setting at fault when there is one.
    """

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class SettingsFileError(SettingsError):
    """settings.json exists but cannot be used; nothing was changed and nothing was guessed.

    ``unreadable`` is True when the file is not a JSON object at all (only `reset_settings` helps);
    False when it holds a refused value (``key``), which `kpadmin config set` can also repair.
    ``may_be_live`` is True when the file says, or may have said, LIVE mode: the defaults are
    SANDBOX, and whoever resets must know the mode changes. ``file_values`` holds the text of the
    values the file has (never a secret: this file holds none). ``str()`` is the command line's
    message; the GUI builds its own from the attributes.
    """

    def __init__(
        self,
        path: Path,
        problem: str,
        *,
        unreadable: bool,
        may_be_live: bool,
        key: str | None = None,
        file_values: Mapping[str, str] | None = None,
    ) -> None:
        self.path = path
        self.problem = problem
        self.unreadable = unreadable
        self.may_be_live = may_be_live
        self.file_values = dict(file_values or {})
        self.key = key
        super().__init__(self._message(), key=key)

    def _message(self) -> str:
        if self.unreadable:
            head = f"settings file unreadable: {self.path} ({self.problem})."
            fix = ""
        else:
            head = f"settings file {self.path} holds a refused value: {self.problem}."
            fix = f" Fix it with `kpadmin config set {self.key} VALUE`, or" if self.key else ""
        reset = (
            f"{fix or ' Run'} `kpadmin config reset` to keep it aside as "
            f"{self.path.name}.broken-<time> and start from the defaults"
        )
        said = "LIVE" if self.may_be_live else self.file_values.get("mode", "").strip().upper()
        mode = (
            f": SANDBOX mode, and this file says or may have said {said}, so set the mode again "
            "once the rest is right."
            if said in ("LIVE", "TEST")
            else " (SANDBOX mode)."
        )
        return head + reset + mode


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
    # --- collections (issue #12): retries, automatic runs, customer notices ---
    #: Days after the period's first decline on which a declined card is charged again
    #: (kpadmin.billing.retry_policy); () = no automatic retries.
    retry_days: tuple[int, ...] = retry_policy.DEFAULT_RETRY_DAYS
    #: "HH:MM" in Asia/Seoul for the daily automatic charge-due run; None = off.
    auto_charge_time: str | None = None
    #: LIVE mode runs charge-due automatically only with this explicit opt-in.
    auto_charge_live: bool = False
    notices: str = "off"
    smtp_url: str | None = None
    smtp_user: str | None = None
    notice_from: str | None = None
    #: The advance notice, this many days before a charge; None = off.
    notice_days_before: int | None = None
    merchant_name: str = ""
    merchant_contact: str = ""
    # --- one truth for several desks (issue #11) ---
    #: A shared PostgreSQL database (``postgresql://USER@HOST:PORT/DB``, never a password: that
    #: is the secret ``database_password``); None = this PC's own SQLite file. Env
    #: KPADMIN_DATABASE_URL wins over it (`database_url(settings)`).
    database_url: str | None = None


#: The keys `kpadmin config` shows, in this order.
KEYS: Final[tuple[str, ...]] = tuple(f.name for f in dataclasses.fields(Settings))

#: One line per key for `kpadmin config show --help` and the settings dialog's tooltips; the
#: bounds are the ones the parsers enforce.
DESCRIPTIONS: Final[dict[str, str]] = {
    "mode": "sandbox (built-in simulator), test (real i'mport, test channel) or live (real "
    "money; `config set mode live` asks first)",
    "api_base_url": f"overrides the REST base URL in any mode; at most {MAX_URL_LENGTH} "
    "characters; https:// in test and live (http:// only in sandbox, or to 127.0.0.1 / [::1]: "
    "a local proxy); the SDK then comes from the same origin's /v1/iamport.js",
    "imp_code": "merchant code for IMP.init: 'imp' + 8 digits (sandbox default imp00000000)",
    "pg": "channel for IMP.request_pay, e.g. kakaopay.TCSUBSCRIP (test) or kakaopay.CA…",
    "concurrency": f"charges sent at once, {MIN_CONCURRENCY}..{MAX_CONCURRENCY}",
    "requests_per_second": f"optional cap on charge requests per second, "
    f"{MIN_REQUESTS_PER_SECOND:g}..{MAX_REQUESTS_PER_SECOND:g} (empty = none)",
    "monthly_limit": f"Kakao Pay's per-key monthly cap of paid charges, "
    f"{MIN_MONTHLY_LIMIT}..{MAX_MONTHLY_LIMIT:,} (empty = none)",
    "staff_name": f"your name (at most {MAX_STAFF_NAME} characters), written to the audit log "
    "with every action",
    "language": "UI language: auto (follow the OS), ko or en",
    "retry_days": "days after a period's first decline on which the card is charged again, "
    f"{retry_policy.MIN_RETRY_DAY}..{retry_policy.MAX_RETRY_DAY}, ascending, at most "
    f"{retry_policy.MAX_RETRIES} (default 1,3,5; off = none); after the last one the subscriber "
    "is past due",
    "auto_charge_time": "HH:MM (Korean time) of the daily automatic charge-due run, or off "
    "(default); `kpadmin schedule install` puts it in the OS scheduler",
    "auto_charge_live": "true lets the automatic run charge in LIVE mode (default false: "
    "automatic runs skip LIVE)",
    "notices": "customer notices (receipt, decline, past due, advance notice, price change): "
    "off (default) or email (needs smtp_url, notice_from and merchant_name)",
    "smtp_url": "the mail server: smtp://host:port (STARTTLS when offered; default port 587) "
    "or smtps://host:port (TLS; default 465); the password is a secret: "
    "`config set smtp_password -` or env KPADMIN_SMTP_PASSWORD",
    "smtp_user": f"the mail server's user name (at most {MAX_ADDRESS_LENGTH} characters; "
    "empty = no login)",
    "notice_from": "the notices' From: an address, optionally with a name, e.g. "
    "'가나다 상점 <billing@example.com>'",
    "notice_days_before": "advance notice this many days before a charge, "
    f"{MIN_NOTICE_DAYS_BEFORE}..{MAX_NOTICE_DAYS_BEFORE}, or off (default)",
    "merchant_name": f"your business name as customers know it, in every notice (at most "
    f"{MAX_MERCHANT_NAME} characters)",
    "merchant_contact": f"how customers reach you (phone, e-mail, web), in every notice (at "
    f"most {MAX_MERCHANT_CONTACT} characters)",
    "database_url": "a shared PostgreSQL database for several desks: "
    "postgresql://USER@HOST:PORT/DBNAME (no password: `config set database_password -` or env "
    "KPADMIN_DATABASE_PASSWORD); empty = this PC's own database; env KPADMIN_DATABASE_URL wins",
}

_LIST_KEYS: Final = frozenset({"retry_days"})
_BOOL_KEYS: Final = frozenset({"auto_charge_live"})
#: Keys whose unset value reads "off" (the others read "" when unset).
_OFF_WHEN_NONE: Final = frozenset({"auto_charge_time", "notice_days_before"})


# --- validation -------------------------------------------------------------------------------


def _optional(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse_optional(raw: str) -> Any:
        return None if raw.strip().lower() in _NONE_WORDS else parse(raw)

    return parse_optional


def _optional_off(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """Like `_optional`, and ``off`` clears too."""
    inner = _optional(parse)

    def parse_optional(raw: str) -> Any:
        return None if raw.strip().lower() == "off" else inner(raw)

    return parse_optional


def _parse_mode(raw: str) -> str:
    value = raw.strip().lower()
    if value not in MODES:
        raise SettingsError(f"mode must be one of {', '.join(MODES)}, not {_shown(raw)}")
    return value


def _shown(raw: str, limit: int = 60) -> str:
    """A value for a message: never a 70,000-character echo."""
    return repr(raw if len(raw) <= limit else raw[:limit] + "…")


def _parse_url(raw: str) -> str:
    value = raw.strip()
    if len(value) > MAX_URL_LENGTH:
        raise SettingsError(
            f"api_base_url is too long ({len(value):,} characters; at most {MAX_URL_LENGTH})"
        )
    if not (value.isascii() and value.isprintable()) or " " in value:
        raise SettingsError(
            "api_base_url must be plain ASCII without spaces (write an international host name "
            f"in its xn-- form), not {_shown(raw)}"
        )
    try:
        parts = urlsplit(value)  # raises ValueError for "http://[::1" (an unclosed bracket)
    except ValueError as exc:
        raise SettingsError(f"api_base_url is not a valid URL ({exc}): {_shown(raw)}") from None
    try:
        port = parts.port  # raises ValueError for a malformed or out-of-range port
    except ValueError:
        port = 0
    if parts.scheme not in ("http", "https"):
        raise SettingsError(f"api_base_url must be an http:// or https:// URL, not {_shown(raw)}")
    if not parts.hostname:
        raise SettingsError(f"api_base_url has no host: {_shown(raw)}")
    if parts.username or parts.password or "@" in parts.netloc:
        raise SettingsError("api_base_url must not contain a user name or password")
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        raise SettingsError("api_base_url must not have a query (?…) or fragment (#…)")
    if port == 0:
        raise SettingsError(f"api_base_url has a bad port: {_shown(raw)}")
    _check_host(parts.hostname, raw)
    return value.rstrip("/")


def _check_host(host: str, raw: str) -> None:
    if len(host) > MAX_HOST_LENGTH:
        raise SettingsError(
            f"api_base_url's host name is too long ({len(host):,} characters; "
            f"at most {MAX_HOST_LENGTH})"
        )
    try:
        ipaddress.ip_address(host)
        return
    except ValueError:
        pass
    if not all(_LABEL_RE.fullmatch(label) for label in host.split(".")):
        raise SettingsError(f"api_base_url has an invalid host name: {_shown(raw)}")


def _parse_imp_code(raw: str) -> str:
    value = raw.strip()
    if not _IMP_CODE_RE.fullmatch(value):
        raise SettingsError(
            f"imp_code must be 'imp' followed by 8 digits (e.g. imp12345678), not {_shown(raw)}"
        )
    return value


def _parse_pg(raw: str) -> str:
    value = raw.strip()
    if not _PG_RE.fullmatch(value):
        raise SettingsError(f"pg must look like kakaopay or kakaopay.CID, not {_shown(raw)}")
    return value


def _parse_int(name: str) -> Callable[[str], int]:
    low, high = (int(b) for b in BOUNDS[name])

    def parse(raw: str) -> int:
        try:
            value = int(raw.strip())
        except ValueError:  # also a number of more than 4,300 digits
            raise SettingsError(f"{name} must be a whole number, not {_shown(raw)}") from None
        if not low <= value <= high:
            raise SettingsError(f"{name} must be between {low} and {high}, not {value}")
        return value

    return parse


def _parse_rps(raw: str) -> float:
    low, high = BOUNDS["requests_per_second"]
    try:
        value = float(raw.strip())
    except ValueError:
        raise SettingsError(f"requests_per_second must be a number, not {_shown(raw)}") from None
    if not low <= value <= high:  # also rejects nan and inf
        raise SettingsError(
            f"requests_per_second must be between {low:g} and {high:g} "
            f"(or empty for no cap), not {_shown(raw.strip())}"
        )
    return value


def _parse_staff(raw: str) -> str:
    value = raw.strip()
    if len(value) > MAX_STAFF_NAME:
        raise SettingsError(f"staff_name is limited to {MAX_STAFF_NAME} characters")
    if any(unicodedata.category(ch).startswith("C") for ch in value):
        raise SettingsError("staff_name must not contain control characters")
    return value


def _parse_language(raw: str) -> str:
    value = raw.strip().lower()
    if value not in LANGUAGES:
        raise SettingsError(f"language must be one of {', '.join(LANGUAGES)}, not {_shown(raw)}")
    return value


def _parse_retry_days(raw: str) -> tuple[int, ...]:
    try:
        return retry_policy.parse_retry_days(raw)
    except retry_policy.RetryDaysError as exc:
        raise SettingsError(str(exc)) from None


_HHMM_RE: Final = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def _parse_time(raw: str) -> str | None:
    value = raw.strip().lower()
    if value in _NONE_WORDS or value == "off":
        return None
    match = _HHMM_RE.fullmatch(value)
    if not match:
        raise SettingsError(
            f"auto_charge_time must be HH:MM (24-hour, Korean time), e.g. 09:00, or off, "
            f"not {_shown(raw)}"
        )
    return f"{int(match.group(1)):02d}:{match.group(2)}"


_TRUE_WORDS: Final = frozenset({"true", "yes", "on", "1"})
_FALSE_WORDS: Final = frozenset({"false", "no", "off", "0", ""})


def _parse_bool(name: str) -> Callable[[str], bool]:
    def parse(raw: str) -> bool:
        value = raw.strip().lower()
        if value in _TRUE_WORDS:
            return True
        if value in _FALSE_WORDS:
            return False
        raise SettingsError(f"{name} must be true or false, not {_shown(raw)}")

    return parse


def _parse_notices(raw: str) -> str:
    value = raw.strip().lower()
    if value not in NOTICE_CHANNELS:
        raise SettingsError(
            f"notices must be one of {', '.join(NOTICE_CHANNELS)}, not {_shown(raw)}"
        )
    return value


def _parse_smtp_url(raw: str) -> str:
    value = raw.strip()
    if len(value) > MAX_URL_LENGTH:
        raise SettingsError(f"smtp_url is too long ({len(value):,} characters)")
    if not (value.isascii() and value.isprintable()) or " " in value:
        raise SettingsError(f"smtp_url must be plain ASCII without spaces, not {_shown(raw)}")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise SettingsError(f"smtp_url has a bad host or port: {_shown(raw)}") from None
    if parts.scheme not in SMTP_SCHEMES:
        raise SettingsError(
            f"smtp_url must start with smtp:// (STARTTLS) or smtps:// (TLS), not {_shown(raw)}"
        )
    if not parts.hostname:
        raise SettingsError(f"smtp_url has no host: {_shown(raw)}")
    if parts.username or parts.password or "@" in parts.netloc:
        raise SettingsError(
            "smtp_url must not contain a user name or password: set smtp_user, and the password "
            "with `kpadmin config set smtp_password -`"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment or value.endswith(("?", "#")):
        raise SettingsError(f"smtp_url is only smtp[s]://host[:port], not {_shown(raw)}")
    if port == 0:
        raise SettingsError(f"smtp_url has a bad port: {_shown(raw)}")
    try:
        _check_host(parts.hostname, raw)
    except SettingsError as exc:
        raise SettingsError(str(exc).replace("api_base_url", "smtp_url")) from None
    return value.rstrip("/")


def _plain_text(name: str, limit: int) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip()
        if len(value) > limit:
            raise SettingsError(f"{name} is limited to {limit} characters")
        if any(unicodedata.category(ch).startswith("C") for ch in value):
            raise SettingsError(f"{name} must not contain control characters")
        return value

    return parse


_ADDRESS_RE: Final = re.compile(r"[^@\s<>\"]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


def _parse_from(raw: str) -> str:
    value = _plain_text("notice_from", MAX_ADDRESS_LENGTH)(raw)
    if not value:
        return value
    found = email.utils.getaddresses([value])
    address = found[0][1] if len(found) == 1 else ""
    if not _ADDRESS_RE.fullmatch(address) or "." not in address.rpartition("@")[2]:
        raise SettingsError(
            "notice_from must be one e-mail address, optionally with a name "
            f"('Shop <billing@example.com>'), not {_shown(raw)}"
        )
    return value


def notice_sender(settings: Settings) -> tuple[str, str] | None:
    """notice_from as (display name, address); None when unset."""
    if not settings.notice_from:
        return None
    name, address = email.utils.getaddresses([settings.notice_from])[0]
    return name, address


_PARSERS: Final[dict[str, Callable[[str], Any]]] = {
    "mode": _parse_mode,
    "api_base_url": _optional(_parse_url),
    "imp_code": _optional(_parse_imp_code),
    "pg": _parse_pg,
    "concurrency": _parse_int("concurrency"),
    "requests_per_second": _optional(_parse_rps),
    "monthly_limit": _optional(_parse_int("monthly_limit")),
    "staff_name": _parse_staff,
    "language": _parse_language,
    "retry_days": _parse_retry_days,
    "auto_charge_time": _parse_time,
    "auto_charge_live": _parse_bool("auto_charge_live"),
    "notices": _parse_notices,
    "smtp_url": _optional(_parse_smtp_url),
    "smtp_user": _optional(_plain_text("smtp_user", MAX_ADDRESS_LENGTH)),
    "notice_from": _optional(_parse_from),
    "notice_days_before": _optional_off(_parse_int("notice_days_before")),
    "merchant_name": _plain_text("merchant_name", MAX_MERCHANT_NAME),
    "merchant_contact": _plain_text("merchant_contact", MAX_MERCHANT_CONTACT),
    "database_url": _optional(lambda raw: parse_database_url(raw)),
}

#: The environment variable that names the shared database (it wins over the setting).
DATABASE_URL_ENV: Final = "KPADMIN_DATABASE_URL"


def parse_database_url(raw: str) -> str:
    """A shared database's URL, checked: ``postgresql://USER@HOST[:PORT]/DBNAME``, ASCII, no
    password, no query. Raises `SettingsError`."""
    value = raw.strip()
    if len(value) > MAX_URL_LENGTH or not (value.isascii() and value.isprintable()):
        raise SettingsError(
            f"database_url must be a plain ASCII URL of at most {MAX_URL_LENGTH} characters"
        )
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise SettingsError(f"database_url is not a valid URL ({exc})") from None
    if parts.scheme not in ("postgresql", "postgres"):
        raise SettingsError(
            "database_url must be postgresql://USER@HOST:PORT/DBNAME (empty: this PC's own "
            f"database), not {_shown(value)}"
        )
    if parts.password is not None:
        raise SettingsError(
            "database_url must not contain the password: set it with `kpadmin config set "
            "database_password -` (the keyring) or env KPADMIN_DATABASE_PASSWORD"
        )
    if not parts.hostname:
        raise SettingsError(f"database_url has no host: {_shown(value)}")
    if port == 0:
        raise SettingsError(f"database_url has a bad port: {_shown(value)}")
    database = parts.path.lstrip("/")
    if not database or "/" in database:
        raise SettingsError(f"database_url names no database (…/DBNAME): {_shown(value)}")
    if parts.query or parts.fragment:
        raise SettingsError("database_url must not have a query (?…) or fragment (#…)")
    return value


def database_url(settings: Settings, env: Mapping[str, str] | None = None) -> str | None:
    """The shared database this desk uses: env KPADMIN_DATABASE_URL (checked like the setting),
    else the setting; None = this PC's own SQLite file."""
    environ = os.environ if env is None else env
    raw = environ.get(DATABASE_URL_ENV, "").strip()
    if raw:
        try:
            return parse_database_url(raw)
        except SettingsError as exc:
            raise SettingsError(f"{DATABASE_URL_ENV}: {exc}", key="database_url") from None
    return settings.database_url


def set_value(settings: Settings, key: str, raw: str) -> Settings:
    """A copy of ``settings`` with ``key`` parsed from the text ``raw``.

    Optional keys (api_base_url, imp_code, requests_per_second, monthly_limit) are cleared with an
    empty value or ``none``. Raises `SettingsError` with a message fit for the user.
    """
    return set_values(settings, {key: raw})


def set_values(settings: Settings, changes: Mapping[str, str]) -> Settings:
    """A copy of ``settings`` with every key of ``changes`` parsed, then the rules across keys
    (`check`) applied once: a form that changes the mode and the URL together is judged whole."""
    return check(_parsed(settings, changes))


def _parsed(settings: Settings, changes: Mapping[str, str]) -> Settings:
    values: dict[str, Any] = {}
    for key, raw in changes.items():
        parser = _PARSERS.get(key)
        if parser is None:
            secret_hint = (
                " (imp_key, imp_secret and smtp_password are secrets: see kpadmin.billing.secrets)"
            )
            hint = secret_hint if key in ("imp_key", "imp_secret", "smtp_password") else ""
            raise SettingsError(
                f"unknown setting {_shown(key)}; known settings: {', '.join(KEYS)}{hint}"
            )
        try:
            values[key] = parser(raw)
        except SettingsError as exc:
            raise SettingsError(str(exc), key=key) from None
    return dataclasses.replace(settings, **values)


def is_loopback_url(url: str) -> bool:
    """True for a URL whose host is a loopback address literal (127.0.0.0/8, ::1).

    A name such as ``localhost`` does not count: a name can be made to resolve elsewhere."""
    try:
        host = urlsplit(url).hostname
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _scheme(url: str) -> str:
    try:
        return urlsplit(url).scheme  # lower-cased: "HTTP://" is http too
    except ValueError:
        return ""


def local_proxy(settings: Settings) -> bool:
    """True when test/live mode talks plain http to this computer (a local proxy, by the rules)."""
    url = settings.api_base_url
    return bool(
        url and settings.mode != "sandbox" and _scheme(url) == "http" and is_loopback_url(url)
    )


def check(settings: Settings) -> Settings:
    """The rules across keys; returns ``settings`` or raises `SettingsError`.

    In test and live mode the REST key and secret go to ``api_base_url``: plain http would send
    them in cleartext, so it must be https — except to a loopback address, a local proxy on this
    very computer (whose own onward connection is its business).
    """
    url = settings.api_base_url
    plain_http = bool(url and _scheme(url) == "http")
    if url and plain_http and settings.mode != "sandbox" and not is_loopback_url(url):
        raise SettingsError(
            f"api_base_url {_shown(url)} is plain http: {settings.mode.upper()} mode sends "
            "the REST secret to it, so it must be https:// (plain http is allowed only to "
            "127.0.0.1 or [::1], a local proxy on this computer); or leave api_base_url empty "
            f"for {LIVE_API_BASE_URL}",
            key="api_base_url",
        )
    if settings.notices == "email":
        missing = [
            key
            for key in ("smtp_url", "notice_from", "merchant_name")
            if not getattr(settings, key)
        ]
        if missing:
            raise SettingsError(
                f"notices by e-mail need {', '.join(missing)}: set "
                f"{'it' if len(missing) == 1 else 'them'} first (or set notices off)",
                key="notices",
            )
    return settings


def format_value(settings: Settings, key: str) -> str:
    """The text form of one setting, as `set_value` accepts it back ("" for unset)."""
    value = getattr(settings, key)
    if value is None:
        return "off" if key in _OFF_WHEN_NONE else ""
    if key == "retry_days":
        return retry_policy.format_retry_days(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# --- the file ---------------------------------------------------------------------------------


def settings_path(data_root: Path) -> Path:
    return data_root / SETTINGS_FILE


def load_settings(data_root: Path, *, overrides: Mapping[str, str] | None = None) -> Settings:
    """The saved settings, or the defaults (sandbox mode) when nothing was saved yet.

    Every value is validated; unknown keys are ignored so an older kpadmin can read a newer file.
    A file that cannot be used raises `SettingsFileError` (never a silent default). ``overrides``
    (text values, as `set_values` takes them) replace the file's values of those keys before the
    checks: `kpadmin config set` repairs a refused value that way; a bad override itself is a
    plain `SettingsError`.
    """
    path = settings_path(data_root)
    data = _read_object(path)
    if data is None:
        return set_values(Settings(), overrides or {})
    overrides = dict(overrides or {})
    texts: dict[str, str] = {}
    for key in KEYS:
        if key not in data:
            continue
        value = data[key]
        if key in _LIST_KEYS and isinstance(value, list) and len(value) <= 100:
            # retry_days is saved as a JSON list; a hand-edited "1,3,5" is read as well.
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
                raise _invalid(path, data, key, f"{key} must be a list of whole numbers")
            value = ",".join(str(v) for v in value)
        if isinstance(value, bool) and key in _BOOL_KEYS:
            value = "true" if value else "false"
        # bool is an int in Python; `"concurrency": true` is a mistake, not 1.
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, str | int | float)
        ):
            raise _invalid(path, data, key, f"{key} has a value of the wrong type: {value!r}"[:200])
        texts[key] = "" if value is None else str(value)
    from_file = {k: v for k, v in texts.items() if k not in overrides}
    try:
        settings = _parsed(Settings(), from_file)
    except SettingsError as exc:
        raise _invalid(path, data, exc.key, str(exc)) from None
    if overrides:
        return set_values(settings, overrides)
    try:
        return check(settings)
    except SettingsError as exc:
        raise _invalid(path, data, exc.key, str(exc)) from None


def _read_object(path: Path) -> dict[str, Any] | None:
    """The file's JSON object; None when there is no file; `SettingsFileError` otherwise."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SettingsFileError(
            path, f"cannot read it: {exc.strerror or exc}", unreadable=True, may_be_live=True
        ) from None

    def unreadable(problem: str) -> SettingsFileError:
        # The mode cannot be read, so look for the word: a LIVE desk must hear that it changes.
        # NULs out first, so UTF-16 text is searched too.
        may_be_live = b"live" in raw.replace(b"\x00", b"").lower()
        return SettingsFileError(path, problem, unreadable=True, may_be_live=may_be_live)

    if len(raw) > MAX_FILE_BYTES:
        raise unreadable(f"larger than {MAX_FILE_BYTES // 1024} KB: not a settings file")
    try:
        text = raw.decode("utf-8-sig")  # Notepad may have added a BOM
    except UnicodeDecodeError as exc:
        raise unreadable(f"not UTF-8 text: byte {exc.start + 1} is not valid") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise unreadable(
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise unreadable("not a settings file: its JSON is nested too deeply") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise unreadable("not valid JSON: a number in it is too long") from None
    if not isinstance(data, dict):
        raise unreadable("it must hold a JSON object ({...})")
    return data


def _invalid(
    path: Path, data: Mapping[str, Any], key: str | None, problem: str
) -> SettingsFileError:
    mode = data.get("mode")
    return SettingsFileError(
        path,
        problem,
        unreadable=False,
        # The mode itself may be the refused value ("LIVE ", "live2"): any mention counts.
        may_be_live=mode is not None and (not isinstance(mode, str) or "live" in mode.lower()),
        key=key,
        file_values={
            k: "" if v is None else str(v)[:200]
            for k, v in data.items()
            if k in KEYS and (v is None or isinstance(v, str | int | float))
        },
    )


def reset_settings(data_root: Path, *, now: datetime | None = None) -> Path | None:
    """Move settings.json aside (``settings.json.broken-<UTC time>``) and write the defaults.

    Returns where the old file went (None when there was none). The old file is renamed, never
    deleted, so nothing a person typed into it is lost.
    """
    path = settings_path(data_root)
    moved: Path | None = None
    if path.exists() or path.is_symlink():
        stamp = (now or clock.now()).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        moved = path.with_name(f"{path.name}.broken-{stamp}")
        n = 1
        while moved.exists():
            n += 1
            moved = path.with_name(f"{path.name}.broken-{stamp}-{n}")
        os.replace(path, moved)
    save_settings(data_root, Settings())
    return moved


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
