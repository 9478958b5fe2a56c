"""`kpadmin config show` and `kpadmin config set KEY VALUE`.

Settings go to the settings file; ``imp_key`` and ``imp_secret`` go to the OS keyring (for the
current mode, or ``--mode``). A secret is never printed: `show` says only whether it is set and
where it comes from. ``-`` as the value reads it from stdin (a hidden prompt on a terminal), so it
does not land in the shell history. Every change is written to the audit table with the staff name.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sqlite3
import sys
from typing import Any

from kpadmin import runtime as rt
from kpadmin.billing import secrets
from kpadmin.billing import settings as st
from kpadmin.paths import MODES
from kpadmin.store.audit import AuditRepository
from kpadmin.store.errors import StoreError

EXIT_OK = 0
EXIT_FAILED = 1  # the environment let us down (keyring, disk)
EXIT_USAGE = 2  # the input was wrong


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="print every setting and whether the secrets are set")
    show.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    show.add_argument(
        "--mode", choices=MODES, help="whose secrets to check (default: the current mode)"
    )
    keys = ", ".join((*st.KEYS, *secrets.SECRET_NAMES))
    change = actions.add_parser(
        "set",
        help="change one setting or secret",
        description=f"Keys: {keys}. An empty VALUE clears an optional setting or removes a "
        "secret from the keyring; '-' reads the value from stdin.",
    )
    change.add_argument("key", metavar="KEY")
    change.add_argument("value", metavar="VALUE")
    change.add_argument(
        "--mode",
        choices=MODES,
        help="for imp_key/imp_secret: the mode they belong to (default: the current mode)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        runtime = rt.open_runtime(args.data_dir, new_database=getattr(args, "new_database", False))
    except rt.EXPECTED_ERRORS as exc:
        print(f"kpadmin config: {rt.explain(exc)}", file=sys.stderr)
        return EXIT_USAGE
    if args.config_action == "show":
        return _show(runtime, mode=args.mode or runtime.mode, as_json=args.json)
    return _set(runtime, args.key, args.value, mode=args.mode)


# --- show -------------------------------------------------------------------------------------


def _secret_lines(mode: str) -> tuple[dict[str, str], str | None]:
    """How each secret of ``mode`` is set, and why the keyring is unusable (if it is)."""
    try:
        sources = secrets.secret_sources(mode)
    except secrets.SecretsUnavailable as exc:
        return dict.fromkeys(secrets.SECRET_NAMES, "unavailable (no usable OS keyring)"), str(exc)
    described = {}
    for name, source in sources.items():
        if source is secrets.SecretSource.UNSET:
            described[name] = "unset"
        elif source is secrets.SecretSource.SANDBOX_DEFAULT:
            described[name] = "sandbox default"
        else:
            described[name] = f"set ({source.value})"
    return described, None


def _show(runtime: rt.Runtime, *, mode: str, as_json: bool) -> int:
    settings = runtime.settings
    rest = st.rest_base_url(settings)
    secret_lines, keyring_problem = _secret_lines(mode)
    values: dict[str, Any] = {
        "data_dir": str(runtime.data_root),
        **{key: st.format_value(settings, key) for key in st.KEYS},
        "imp_code_in_use": runtime.imp_code or "",
        "secrets_mode": mode,
        **secret_lines,
        "rest_base_url": rest or "(built-in sandbox, started on demand)",
        "sdk_url": st.sdk_url(settings, rest) if rest else "(built-in sandbox)/v1/iamport.js",
        "database": str(runtime.db_path),
    }
    if keyring_problem:
        values["keyring_problem"] = keyring_problem
    if as_json:
        print(json.dumps(values, ensure_ascii=False, indent=2))
        return EXIT_OK
    values.pop("keyring_problem", None)
    width = max(len(k) for k in values)
    for key, value in values.items():
        shown = value if value != "" else "(unset)"
        print(f"{key:<{width}}  {shown}")
    if keyring_problem:
        print(f"\n{keyring_problem}")
    if settings.mode == "live":
        print("\nLIVE mode: charges move real money.")
    return EXIT_OK


# --- set --------------------------------------------------------------------------------------


def _read_value(key: str, raw: str) -> str:
    if raw != "-":
        return raw
    if sys.stdin.isatty():
        return getpass.getpass(f"{key}: ")
    return sys.stdin.readline().rstrip("\r\n")


def _open_audit(runtime: rt.Runtime, modes: list[str]) -> list[sqlite3.Connection]:
    """The databases of the affected modes, opened *before* anything changes: one that is
    missing, damaged or on a full disk refuses the change (`StoreError`) instead of leaving it
    unaudited."""
    conns: list[sqlite3.Connection] = []
    try:
        for mode in dict.fromkeys(modes):
            conns.append(runtime.open_database(mode))
    except BaseException:
        for conn in conns:
            conn.close()
        raise
    return conns


def _audit(conns: list[sqlite3.Connection], staff: str, detail: str) -> None:
    """Record a settings change in the audit table of each affected mode's database."""
    try:
        for conn in conns:
            AuditRepository(conn).record(staff, "settings", detail)
    finally:
        for conn in conns:
            conn.close()


def _refuse(exc: StoreError) -> int:
    print(f"kpadmin config: {rt.explain(exc)}", file=sys.stderr)
    return rt.exit_code(exc, EXIT_FAILED)


def _set(runtime: rt.Runtime, key: str, raw: str, *, mode: str | None) -> int:
    if key in secrets.SECRET_NAMES:
        return _set_secret(runtime, key, raw, mode=mode or runtime.mode)
    if mode is not None:
        print("kpadmin config: --mode applies only to imp_key and imp_secret", file=sys.stderr)
        return EXIT_USAGE
    try:
        value = _read_value(key, raw)
        changed = st.set_value(runtime.settings, key, value)
    except st.SettingsError as exc:
        print(f"kpadmin config: {exc}", file=sys.stderr)
        return EXIT_USAGE
    before = st.format_value(runtime.settings, key) or "(unset)"
    after = st.format_value(changed, key) or "(unset)"
    if changed == runtime.settings:
        print(f"{key} is already {after}")
        return EXIT_OK
    try:
        conns = _open_audit(runtime, [runtime.mode, changed.mode])
    except StoreError as exc:
        return _refuse(exc)
    try:
        updated = runtime.save_settings(changed)
        _audit(conns, updated.staff, f"setting {key}: {before} → {after}")
    except (StoreError, OSError) as exc:
        print(f"kpadmin config: {rt.explain(exc)}", file=sys.stderr)
        return rt.exit_code(exc, EXIT_FAILED)
    print(f"{key}: {before} → {after}")
    if key == "mode" and after == "live":
        print("LIVE mode: charges now move real money.")
    return EXIT_OK


def _set_secret(runtime: rt.Runtime, name: str, raw: str, *, mode: str) -> int:
    if raw not in ("-", ""):
        print(
            f"note: {name} was given on the command line and may be in your shell history; "
            f"`kpadmin config set {name} -` reads it from stdin instead",
            file=sys.stderr,
        )
    value = _read_value(name, raw)
    try:
        conns = _open_audit(runtime, [mode])
    except StoreError as exc:
        return _refuse(exc)
    try:
        if value.strip():
            secrets.store_secret(mode, name, value)
            detail, told = f"{name} stored in the OS keyring for {mode} mode", "stored"
        else:
            removed = secrets.delete_secret(mode, name)
            detail, told = (
                f"{name} removed from the OS keyring for {mode} mode",
                ("removed" if removed else "was not set"),
            )
    except (secrets.InvalidSecret, secrets.SecretsUnavailable) as exc:
        for conn in conns:
            conn.close()
        print(f"kpadmin config: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, secrets.InvalidSecret) else EXIT_FAILED
    try:
        _audit(conns, runtime.staff, detail)
    except StoreError as exc:
        return _refuse(exc)
    print(f"{name} for {mode} mode: {told} (OS keyring)")
    env_var = secrets.ENV_VARS[name]
    if os.environ.get(env_var):
        print(f"note: env {env_var} is set and takes precedence over the keyring", file=sys.stderr)
    return EXIT_OK
