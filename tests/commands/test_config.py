"""`kpadmin config show/set` through the real CLI entry point."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from kpadmin import cli
from kpadmin.billing.settings import DESCRIPTIONS, load_settings
from kpadmin.store import open_store
from kpadmin.store.audit import AuditRepository
from tests.billing import helpers as h
from tests.commands.memory_keyring import MemoryKeyring, memory_keyring, no_keyring

__all__ = ["memory_keyring", "no_keyring"]


def config(data_dir: Path, *args: str) -> int:
    return cli.main(["--data-dir", str(data_dir), "config", *args])


def audit_details(data_dir: Path, mode: str) -> list[tuple[str, str, str]]:
    conn = open_store(data_dir / mode / "kpadmin.sqlite3")
    try:
        return [(e.staff, e.action, e.detail) for e in AuditRepository(conn).list()]
    finally:
        conn.close()


def test_show_defaults(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert config(data_dir, "show", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["mode"] == "sandbox"
    assert shown["pg"] == "kakaopay.TCSUBSCRIP"
    assert shown["concurrency"] == "4"
    assert shown["imp_key"] == shown["imp_secret"] == "sandbox default"
    assert shown["imp_code"] == "" and shown["imp_code_in_use"] == "imp00000000"
    assert shown["rest_base_url"].startswith("(built-in sandbox")
    assert shown["data_dir"] == str(data_dir)
    assert config(data_dir, "show") == 0
    table = capsys.readouterr().out
    assert "mode" in table and "sandbox" in table and "monthly_limit" in table


def test_set_settings_with_audit(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert config(data_dir, "set", "staff_name", "김민지") == 0
    assert config(data_dir, "set", "monthly_limit", "5") == 0
    assert config(data_dir, "set", "mode", "test") == 0
    out = capsys.readouterr().out
    assert "monthly_limit: (unset) → 5" in out
    settings = load_settings(data_dir)
    assert (settings.mode, settings.monthly_limit, settings.staff_name) == ("test", 5, "김민지")
    sandbox_audit = audit_details(data_dir, "sandbox")
    assert ("김민지", "settings", "setting monthly_limit: (unset) → 5") in sandbox_audit
    assert ("김민지", "settings", "setting mode: sandbox → test") in sandbox_audit
    assert ("김민지", "settings", "setting mode: sandbox → test") in audit_details(data_dir, "test")
    # Setting the same value again changes (and audits) nothing.
    assert config(data_dir, "set", "monthly_limit", "5") == 0
    assert "already 5" in capsys.readouterr().out
    assert len(audit_details(data_dir, "sandbox")) == len(sandbox_audit)
    # Clearing an optional key.
    assert config(data_dir, "set", "monthly_limit", "") == 0
    assert load_settings(data_dir).monthly_limit is None


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("concurrency", "99", "between 1 and 32"),
        ("concurrency", "many", "whole number"),
        ("mode", "prod", "mode must be one of"),
        ("api_base_url", "ftp://x", "http:// or https://"),
        ("api_base_url", "http://[::1", "api_base_url is not a valid URL"),
        ("api_base_url", "https://" + "h" * 70_000, "too long (70,008 characters; at most 512)"),
        ("requests_per_second", "1e-300", "between 0.1 and 1000"),
        ("colour", "red", "unknown setting 'colour'"),
    ],
)
def test_bad_values_change_nothing(
    data_dir: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    key: str,
    value: str,
    message: str,
) -> None:
    assert config(data_dir, "set", key, value) == 2
    assert message in capsys.readouterr().err
    assert not (data_dir / "settings.json").exists()


def test_secret_from_stdin_goes_to_keyring_only(
    data_dir: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    secret = "Sup3rSecretRestApiValue0123456789"
    assert config(data_dir, "set", "mode", "live", "--yes") == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(secret + "\n"))
    assert config(data_dir, "set", "imp_secret", "-") == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("1234567890123456\n"))
    assert config(data_dir, "set", "imp_key", "-") == 0
    assert memory_keyring.store[("kpadmin", "live:imp_secret")] == secret
    assert memory_keyring.store[("kpadmin", "live:imp_key")] == "1234567890123456"
    setting_output = capsys.readouterr()
    assert config(data_dir, "show", "--json") == 0
    captured = capsys.readouterr()
    shown = json.loads(captured.out)
    assert shown["imp_secret"] == "set (keyring)"
    assert shown["imp_key"] == "set (keyring)"
    for text in (captured.out, captured.err, setting_output.out, setting_output.err):
        assert secret not in text
    live_audit = [detail for _, _, detail in audit_details(data_dir, "live")]
    assert "imp_secret stored in the OS keyring for live mode" in live_audit
    assert not any(secret in detail for detail in live_audit)
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
    # An empty value removes it again.
    assert config(data_dir, "set", "imp_secret", "") == 0
    assert ("kpadmin", "live:imp_secret") not in memory_keyring.store


def test_secret_for_another_mode_and_env_source(
    data_dir: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert config(data_dir, "set", "imp_key", "test-key-123", "--mode", "test") == 0
    assert "shell history" in capsys.readouterr().err
    assert memory_keyring.store[("kpadmin", "test:imp_key")] == "test-key-123"
    monkeypatch.setenv("KPADMIN_IMP_SECRET", "from-env-secret")
    assert config(data_dir, "show", "--json", "--mode", "test") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["secrets_mode"] == "test"
    assert shown["imp_key"] == "set (keyring)"
    assert shown["imp_secret"] == "set (env)"
    assert config(data_dir, "set", "concurrency", "3", "--mode", "test") == 2


def test_no_keyring_is_a_clear_failure(
    data_dir: Path,
    no_keyring: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-value\n"))
    assert config(data_dir, "set", "imp_secret", "-", "--mode", "live") == 7  # ExitCode.SECRETS
    err = capsys.readouterr().err
    assert "No usable OS keyring" in err and "KPADMIN_IMP_SECRET" in err
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert b"s3cret-value" not in path.read_bytes()
    assert config(data_dir, "show", "--json", "--mode", "live") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["imp_secret"] == "unavailable (no usable OS keyring)"
    assert "KPADMIN_IMP_SECRET" in shown["keyring_problem"]


def test_invalid_secret_is_refused(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert config(data_dir, "set", "imp_secret", "has spaces in it") == 2
    assert "printable ASCII" in capsys.readouterr().err
    assert memory_keyring.store == {}


def test_bounds_are_enforced_and_listed_in_help(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert config(data_dir, "set", "requests_per_second", "1e-300") == 2
    err = capsys.readouterr().err
    assert "requests_per_second must be between 0.1 and 1000 (or empty for no cap)" in err
    assert config(data_dir, "set", "requests_per_second", "0.1") == 0
    assert load_settings(data_dir).requests_per_second == 0.1
    with pytest.raises(SystemExit) as info:
        config(data_dir, "show", "--help")
    assert info.value.code == 0
    text = capsys.readouterr().out
    for key, line in DESCRIPTIONS.items():
        assert f"  {key}" in text, key
        assert " ".join(line.split()) in " ".join(text.split()), key
    for bounds in ("1..32", "0.1..1000", "1..10,000", "at most 512 characters"):
        assert bounds in text


def test_http_is_refused_for_test_and_live_and_a_local_proxy_is_named(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert config(data_dir, "set", "api_base_url", "http://gw.example.com") == 0  # sandbox
    assert config(data_dir, "set", "mode", "test") == 2  # the secret would go in cleartext
    assert (
        "TEST mode sends the REST secret to it, so it must be https://" in capsys.readouterr().err
    )
    assert config(data_dir, "set", "mode", "live", "--yes") == 2
    assert load_settings(data_dir).mode == "sandbox"
    assert config(data_dir, "set", "api_base_url", "http://127.0.0.1:8080") == 0
    assert config(data_dir, "set", "mode", "test") == 0
    out = capsys.readouterr().out
    assert "note: api_base_url is a local proxy on this computer" in out
    assert config(data_dir, "set", "api_base_url", "http://gw.example.com") == 2
    assert config(data_dir, "show", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["rest_base_url"] == "http://127.0.0.1:8080"
    assert shown["rest_base_url_note"].startswith("a local proxy on this computer")


def test_switching_to_live_asks_on_a_terminal_and_needs_yes_elsewhere(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert config(data_dir, "set", "mode", "live") == 2  # stdin is not a terminal here
    err = capsys.readouterr().err
    assert "Not on a terminal, so not asking: the mode stays SANDBOX" in err and "--yes" in err
    assert load_settings(data_dir).mode == "sandbox"
    # Live mode refuses KPADMIN_NOW, so these children run without it (nothing here is dated).
    answer_no = _on_a_terminal(data_dir, b"n\n", "config", "set", "mode", "live", pretend=False)
    assert answer_no.code == 2 and "Switch to LIVE mode?" in answer_no.text
    assert "Not switched: the mode stays SANDBOX." in answer_no.text
    assert load_settings(data_dir).mode == "sandbox"
    answer_yes = _on_a_terminal(data_dir, b"y\n", "config", "set", "mode", "live", pretend=False)
    assert answer_yes.code == 0 and "LIVE mode: charges now move real money." in answer_yes.text
    assert load_settings(data_dir).mode == "live"
    assert ("staff", "settings", "setting mode: sandbox → live") in [
        ("staff", a, d) for _s, a, d in audit_details(data_dir, "live")
    ]
    # Back to test needs no question; live again with --yes needs none either.
    assert config(data_dir, "set", "mode", "test") == 0
    assert config(data_dir, "set", "mode", "live", "--yes") == 0


def test_unreadable_settings_stop_every_command_until_reset(
    data_dir: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    broken = b'{"mode": "live", "pg": "\xff\xfe"}'
    path = data_dir / "settings.json"
    path.write_bytes(broken)
    for args in (
        ["config", "show"],
        ["config", "set", "staff_name", "x"],
        ["charge-due", "--dry-run"],
        ["reconcile"],
        ["import", str(tmp_path / "none.csv")],
        ["export", "subscribers", str(tmp_path / "out.csv")],
    ):
        assert cli.main(["--data-dir", str(data_dir), *args]) == 3, args  # ExitCode.SETTINGS
        err = capsys.readouterr().err
        assert f"settings file unreadable: {path} (not UTF-8 text" in err, args
        assert "`kpadmin config reset`" in err and "may have said LIVE" in err, args
        assert "Traceback" not in err
    assert path.read_bytes() == broken  # never replaced silently
    assert config(data_dir, "reset") == 0
    out = capsys.readouterr().out
    (kept,) = data_dir.glob("settings.json.broken-*")
    assert kept.read_bytes() == broken
    assert f"The old settings file is kept as {kept}." in out
    assert "SANDBOX mode" in out and "maybe LIVE" in out
    assert config(data_dir, "show", "--json") == 0
    assert json.loads(capsys.readouterr().out)["mode"] == "sandbox"
    assert any(
        "settings reset to the defaults" in d for _s, _a, d in audit_details(data_dir, "sandbox")
    )


def test_a_refused_value_in_the_file_is_repaired_by_config_set(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_dir / "settings.json"
    path.write_text(
        json.dumps({"mode": "live", "requests_per_second": 1e-300, "staff_name": "민지"}),
        encoding="utf-8",
    )
    assert config(data_dir, "show") == 3
    err = capsys.readouterr().err
    assert f"settings file {path} holds a refused value: requests_per_second" in err
    assert "`kpadmin config set requests_per_second VALUE`" in err
    assert config(data_dir, "set", "staff_name", "지원") == 3  # the refused value is still there
    assert config(data_dir, "set", "requests_per_second", "0") == 2  # a bad repair is refused
    assert config(data_dir, "set", "requests_per_second", "5") == 0
    assert "requests_per_second: 1e-300 → 5" in capsys.readouterr().out
    repaired = load_settings(data_dir)
    assert (repaired.mode, repaired.requests_per_second, repaired.staff_name) == ("live", 5, "민지")
    assert ("민지", "settings", "setting requests_per_second: 1e-300 → 5") in audit_details(
        data_dir, "live"
    )


@dataclass
class _TerminalRun:
    code: int
    text: str


def _on_a_terminal(data_dir: Path, answer: bytes, *args: str, pretend: bool = True) -> _TerminalRun:
    """`kpadmin ARGS` in a child process whose stdin/stdout are a pseudo-terminal; `answer` is
    typed at the first [y/N]. ``pretend=False``: no KPADMIN_NOW (for a switch to live mode)."""
    master, slave = pty.openpty()
    child = subprocess.Popen(
        h.kpadmin_command(data_dir, *args),
        cwd=h.REPO_ROOT,
        env=h.child_env(pretend=pretend),
        stdin=slave,
        stdout=slave,
        stderr=slave,
    )
    os.close(slave)
    seen = b""
    answered = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        if not answered and b"[y/N]" in seen:
            os.write(master, answer)
            answered = True
        if child.poll() is not None and not ready:
            break
    child.wait(timeout=30)
    os.close(master)
    return _TerminalRun(child.returncode, seen.decode("utf-8", "replace"))
