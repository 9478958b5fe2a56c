"""`kpadmin config show`, `kpadmin config set KEY VALUE` and `kpadmin config reset`.

Settings go to the settings file; ``imp_key``, ``imp_secret`` and ``smtp_password`` go to the OS
keyring (for the current mode, or ``--mode``). A secret is never printed: `show` says only whether
it is set and where it comes from. ``-`` as the value reads it from stdin (a hidden prompt on a
terminal), so it does not land in the shell history. Every change is written to the audit table
with the staff name.

Switching to LIVE asks on a terminal (y/N) and is refused elsewhere unless ``--yes`` is given. A
settings file that cannot be used stops every action but two: `set` repairs a refused value (the
rest of the file is kept), and `reset` keeps the old file aside as ``settings.json.broken-<time>``
and writes the defaults (SANDBOX mode), saying so.

Exit codes (`kpadmin.exitcodes`): 0 done, 2 a refused value or a refused confirmation, 3 the
settings file cannot be used, 7 the OS keyring cannot be used.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
import textwrap
from typing import Any

from kpadmin import paths, stopping
from kpadmin import runtime as rt
from kpadmin.billing import secrets
from kpadmin.billing import settings as st
from kpadmin.billing.messages import Message, MessageCode, Term, TermKind, setting_change
from kpadmin.clock import ClockError
from kpadmin.exitcodes import ExitCode
from kpadmin.paths import MODES
from kpadmin.store import Store, StoreError

log = logging.getLogger(__name__)

EXIT_OK = ExitCode.OK
EXIT_USAGE = ExitCode.USAGE


def settings_help() -> str:
    """The settings and their bounds, for `config show --help` and `config set --help`."""
    width = max(len(k) for k in st.KEYS)
    lines = [
        textwrap.fill(
            st.DESCRIPTIONS[key],
            width=96,
            initial_indent=f"  {key:<{width}}  ",
            subsequent_indent=" " * (width + 4),
            break_on_hyphens=False,
        )
        for key in st.KEYS
    ]
    return "settings (numbers outside these bounds are refused):\n" + "\n".join(lines)


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    show = actions.add_parser(
        "show",
        help="print every setting and whether the secrets are set",
        description="Print every setting and whether the REST key and secret are set.",
        epilog=settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    show.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    show.add_argument(
        "--mode", choices=MODES, help="whose secrets to check (default: the current mode)"
    )
    keys = ", ".join((*st.KEYS, *secrets.ALL_SECRET_NAMES))
    change = actions.add_parser(
        "set",
        help="change one setting or secret",
        description=f"Keys: {keys}. An empty VALUE clears an optional setting or removes a "
        "secret from the keyring; '-' reads the value from stdin.",
        epilog=settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    change.add_argument("key", metavar="KEY")
    change.add_argument("value", metavar="VALUE")
    change.add_argument(
        "--mode",
        choices=MODES,
        help="for imp_key/imp_secret/smtp_password: the mode they belong to (default: the "
        "current mode)",
    )
    change.add_argument(
        "--yes", action="store_true", help="switch to LIVE mode without asking (for scripts)"
    )
    actions.add_parser(
        "reset",
        help="keep settings.json aside (settings.json.broken-<time>) and write the defaults",
        description="Rename settings.json to settings.json.broken-<time> (nothing is deleted) "
        "and write the default settings: SANDBOX mode, no api_base_url. Secrets in the OS "
        "keyring and the databases are not touched.",
    )


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except ClockError as exc:  # KPADMIN_NOW unreadable, or set while the mode is or becomes live
        return _fail(str(exc), EXIT_USAGE)


def _run(args: argparse.Namespace) -> int:
    if args.config_action == "reset":
        return _reset(args.data_dir, new_database=_new_database(args))
    try:
        runtime = rt.open_runtime(args.data_dir, new_database=_new_database(args))
    except st.SettingsFileError as exc:
        if args.config_action == "set" and args.key in st.KEYS and not exc.unreadable:
            return _repair(
                exc, args.key, args.value, yes=args.yes, new_database=_new_database(args)
            )
        return _fail(str(exc), ExitCode.SETTINGS)
    except rt.EXPECTED_ERRORS as exc:
        return _fail(rt.explain(exc), EXIT_USAGE)
    if args.config_action == "show":
        return _show(runtime, mode=args.mode or runtime.mode, as_json=args.json)
    return _set(runtime, args.key, args.value, mode=args.mode, yes=args.yes)


def _new_database(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "new_database", False))


def _fail(message: str, code: int) -> int:
    print(f"kpadmin config: {message}", file=sys.stderr)
    return code


# --- show -------------------------------------------------------------------------------------


def _secret_lines(mode: str) -> tuple[dict[str, str], str | None]:
    """How each secret of ``mode`` is set, and why the keyring is unusable (if it is)."""
    try:
        sources = secrets.secret_sources(mode)
    except secrets.SecretsUnavailable as exc:
        unusable = "unavailable (no usable OS keyring)"
        return dict.fromkeys(secrets.ALL_SECRET_NAMES, unusable), str(exc)
    smtp: str | None = None
    try:
        sources[secrets.SMTP_PASSWORD] = secrets.read_secret(mode, secrets.SMTP_PASSWORD)[1]
    except secrets.SecretsUnavailable:
        smtp = "unavailable (no usable OS keyring)"
    described = {}
    for name, source in sources.items():
        if source is secrets.SecretSource.UNSET:
            described[name] = "unset"
        elif source is secrets.SecretSource.SANDBOX_DEFAULT:
            described[name] = "sandbox default"
        else:
            described[name] = f"set ({source.value})"
    if smtp is not None:
        described[secrets.SMTP_PASSWORD] = smtp
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
        "database": _database_in_use(runtime),
    }
    if st.local_proxy(settings):
        values["rest_base_url_note"] = LOCAL_PROXY_NOTE
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


LOCAL_PROXY_NOTE = (
    "a local proxy on this computer: plain http to a loopback address, so the REST secret "
    "never leaves this machine unencrypted here; the proxy must go on to i'mport over https"
)


# --- set --------------------------------------------------------------------------------------


def _read_value(key: str, raw: str) -> str:
    if raw != "-":
        return raw
    if sys.stdin.isatty():
        return getpass.getpass(f"{key}: ")
    return sys.stdin.readline().rstrip("\r\n")


def _open_audit(runtime: rt.Runtime, modes: list[str]) -> list[Store]:
    """The stores of the affected modes, opened *before* anything changes: one that is
    missing, damaged or on a full disk refuses the change (`StoreError`) instead of leaving it
    unaudited."""
    stores: list[Store] = []
    try:
        for mode in dict.fromkeys(modes):
            stores.append(runtime.open_store(mode))
    except BaseException:
        for store in stores:
            store.close()
        raise
    return stores


def _secret_line(code: MessageCode, name: str, mode: str) -> Message:
    return Message.of(code, name=Term(TermKind.SECRET, name), mode=Term(TermKind.MODE, mode))


def _audit(stores: list[Store], staff: str, detail: Message) -> None:
    """Record a settings change in the audit table of each affected mode's database."""
    try:
        for store in stores:
            store.audit.record(staff, "settings", detail)
    finally:
        for store in stores:
            store.close()


def _refuse(exc: StoreError) -> int:
    print(f"kpadmin config: {rt.explain(exc)}", file=sys.stderr)
    return rt.exit_code(exc, ExitCode.DISK)


def _database_in_use(runtime: rt.Runtime) -> str:
    """This PC's file, or the shared database (host/db: never the user or password)."""
    try:
        where = runtime.database_location
    except st.SettingsError as exc:  # a malformed KPADMIN_DATABASE_URL
        return f"(unusable: {exc})"
    return f"shared: {where}" if where else str(runtime.db_path)


def _set(runtime: rt.Runtime, key: str, raw: str, *, mode: str | None, yes: bool) -> int:
    if key in secrets.ALL_SECRET_NAMES:
        return _set_secret(runtime, key, raw, mode=mode or runtime.mode)
    if mode is not None:
        return _fail("--mode applies only to imp_key, imp_secret and smtp_password", EXIT_USAGE)
    try:
        value = _read_value(key, raw)
        changed = st.set_value(runtime.settings, key, value)
    except st.SettingsError as exc:
        return _fail(str(exc), EXIT_USAGE)
    before = st.format_value(runtime.settings, key) or "(unset)"
    if changed == runtime.settings:
        print(f"{key} is already {before}")
        return EXIT_OK
    return _save(runtime, runtime.mode, changed, key, before, yes=yes)


def _repair(exc: st.SettingsFileError, key: str, raw: str, *, yes: bool, new_database: bool) -> int:
    """`config set` on a file with a refused value: that key replaced, the rest kept and checked."""
    root = exc.path.parent
    try:
        value = _read_value(key, raw)
        changed = st.load_settings(root, overrides={key: value})
    except st.SettingsFileError as still:  # another value of the file is refused too
        return _fail(str(still), ExitCode.SETTINGS)
    except st.SettingsError as bad:
        return _fail(str(bad), EXIT_USAGE)
    before = exc.file_values.get(key) or "(unset)"
    old_mode = exc.file_values.get("mode", "").strip().lower()
    runtime = rt.Runtime(data_root=root, settings=changed, new_database=new_database)
    return _save(runtime, old_mode if old_mode in MODES else None, changed, key, before, yes=yes)


def _save(
    runtime: rt.Runtime,
    old_mode: str | None,
    changed: st.Settings,
    key: str,
    before: str,
    *,
    yes: bool,
) -> int:
    after = st.format_value(changed, key) or "(unset)"
    try:
        runtime.with_settings(changed)  # live mode while KPADMIN_NOW pretends a date: refused
    except ClockError as exc:
        return _fail(str(exc), EXIT_USAGE)
    if changed.mode == "live" and old_mode != "live" and not _confirm_live(yes, old_mode):
        return EXIT_USAGE
    try:
        stores = _open_audit(runtime, [m for m in (old_mode, changed.mode) if m is not None])
    except StoreError as exc:
        return _refuse(exc)
    try:
        updated = runtime.save_settings(changed)
        _audit(
            stores,
            updated.staff,
            setting_change(MessageCode.AUDIT_SETTING_SET, key, before, after),
        )
    except (StoreError, OSError) as exc:
        return _fail(rt.explain(exc), rt.exit_code(exc, ExitCode.DISK))
    log.info("setting %s changed (%s mode)", key, changed.mode)
    print(f"{key}: {before} → {after}")
    if changed.mode == "live" and old_mode != "live":
        print("LIVE mode: charges now move real money.")
    if key in ("api_base_url", "mode") and st.local_proxy(changed):
        print(f"note: api_base_url is {LOCAL_PROXY_NOTE}")
    return EXIT_OK


def _confirm_live(yes: bool, old_mode: str | None) -> bool:
    """LIVE moves real money: a person says so on a terminal, or a script says --yes."""
    if yes:
        return True
    stays = f"the mode stays {old_mode.upper()}" if old_mode else "nothing was changed"
    if not sys.stdin.isatty():
        print(
            "kpadmin config: switching to LIVE mode makes every charge take real money. Not on a "
            f"terminal, so not asking: {stays}. Run again with --yes to switch.",
            file=sys.stderr,
        )
        return False
    answer = stopping.ask(
        "Switch to LIVE mode? From now on charges take real money from real customers' "
        "Kakao Pay accounts. [y/N] "
    )
    if answer.strip().lower() in ("y", "yes"):
        return True
    print(f"Not switched: {stays}.", file=sys.stderr)
    return False


def _reset(data_dir: str | None, *, new_database: bool) -> int:
    root = paths.data_dir(data_dir)
    try:
        old = st.load_settings(root)
        old_mode: str | None = old.mode
        problem = ""
    except st.SettingsFileError as exc:
        mode = exc.file_values.get("mode", "").strip().lower()
        old_mode = mode if mode in MODES else ("live?" if exc.may_be_live else None)
        problem = f" ({exc.problem})"
    updated = rt.Runtime(data_root=root, settings=st.Settings(), new_database=new_database)
    try:
        stores = _open_audit(updated, [m for m in (old_mode, "sandbox") if m in MODES])
    except StoreError as exc:
        return _refuse(exc)
    try:
        moved = st.reset_settings(root)
        detail = (
            Message.of(MessageCode.AUDIT_SETTINGS_RESET_KEPT, file=moved.name, problem=problem)
            if moved
            else Message.of(MessageCode.AUDIT_SETTINGS_RESET)
        )
        _audit(stores, updated.staff, detail)
    except (StoreError, OSError) as exc:
        for store in stores:
            store.close()
        return _fail(rt.explain(exc), rt.exit_code(exc, ExitCode.DISK))
    log.info("%s", detail)
    if moved is not None:
        print(f"The old settings file is kept as {moved}.")
    print(f"Default settings written to {st.settings_path(root)}: SANDBOX mode.")
    if old_mode != "sandbox":
        was = {
            None: "unknown (the file could not be read)",
            "live?": "unknown, maybe LIVE (the file could not be read, and it mentions live)",
        }.get(old_mode, (old_mode or "").upper())
        print(
            f"The mode was {was}; it is SANDBOX now. Set it again with `kpadmin config set mode "
            "...` once the other settings are right."
        )
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
        stores = _open_audit(runtime, [mode])
    except StoreError as exc:
        return _refuse(exc)
    try:
        if value.strip():
            secrets.store_secret(mode, name, value)
            detail, told = _secret_line(MessageCode.AUDIT_SECRET_STORED, name, mode), "stored"
        else:
            removed = secrets.delete_secret(mode, name)
            detail, told = (
                _secret_line(MessageCode.AUDIT_SECRET_REMOVED, name, mode),
                ("removed" if removed else "was not set"),
            )
    except (secrets.InvalidSecret, secrets.SecretsUnavailable) as exc:
        for store in stores:
            store.close()
        print(f"kpadmin config: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, secrets.InvalidSecret) else ExitCode.SECRETS
    try:
        _audit(stores, runtime.staff, detail)
    except StoreError as exc:
        return _refuse(exc)
    print(f"{name} for {mode} mode: {told} (OS keyring)")
    env_var = secrets.ENV_VARS[name]
    if os.environ.get(env_var):
        print(f"note: env {env_var} is set and takes precedence over the keyring", file=sys.stderr)
    return EXIT_OK
