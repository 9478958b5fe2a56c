"""`kpadmin config show/set` through the real CLI entry point."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kpadmin import cli
from kpadmin.billing.settings import load_settings
from kpadmin.store.audit import AuditRepository
from kpadmin.store.db import open_database
from tests.commands.memory_keyring import MemoryKeyring, memory_keyring, no_keyring

__all__ = ["memory_keyring", "no_keyring"]


def config(data_dir: Path, *args: str) -> int:
    return cli.main(["--data-dir", str(data_dir), "config", *args])


def audit_details(data_dir: Path, mode: str) -> list[tuple[str, str, str]]:
    conn = open_database(data_dir / mode / "kpadmin.sqlite3")
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
