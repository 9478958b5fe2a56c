"""`kpadmin config` for the collections settings (issue #12): the mail password goes to the keyring
(or comes from env KPADMIN_SMTP_PASSWORD) and is never printed or written; notices by e-mail are
switched on only once their server, sender and merchant name are set."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kpadmin.billing import secrets
from kpadmin.billing.settings import load_settings
from tests.commands.memory_keyring import MemoryKeyring, memory_keyring, no_keyring
from tests.commands.test_config import audit_details, config

__all__ = ["memory_keyring", "no_keyring"]

PASSWORD = "mail pass phrase 4 u"  # spaces: an app password as some providers show it


def test_smtp_password_from_stdin_goes_to_the_keyring_only(
    data_dir: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert config(data_dir, "set", "smtp_password", "-") == 0
    assert memory_keyring.store[("kpadmin", "sandbox:smtp_password")] == PASSWORD
    assert secrets.smtp_password("sandbox") == PASSWORD
    said = capsys.readouterr()
    assert config(data_dir, "show", "--json") == 0
    shown_out = capsys.readouterr()
    assert json.loads(shown_out.out)["smtp_password"] == "set (keyring)"
    for text in (said.out, said.err, shown_out.out, shown_out.err):
        assert PASSWORD not in text
    assert "smtp_password stored in the OS keyring for sandbox mode" in [
        detail for _, _, detail in audit_details(data_dir, "sandbox")
    ]
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
    assert config(data_dir, "set", "smtp_password", "") == 0
    assert ("kpadmin", "sandbox:smtp_password") not in memory_keyring.store
    assert secrets.smtp_password("sandbox") is None


def test_smtp_password_for_live_and_from_env(
    data_dir: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("live-mail-password\n"))
    assert config(data_dir, "set", "smtp_password", "-", "--mode", "live") == 0
    assert memory_keyring.store[("kpadmin", "live:smtp_password")] == "live-mail-password"
    capsys.readouterr()
    assert config(data_dir, "show", "--json") == 0
    assert json.loads(capsys.readouterr().out)["smtp_password"] == "unset"  # sandbox has none
    monkeypatch.setenv("KPADMIN_SMTP_PASSWORD", "from-the-environment")
    assert config(data_dir, "show", "--json", "--mode", "live") == 0
    assert json.loads(capsys.readouterr().out)["smtp_password"] == "set (env)"
    assert secrets.smtp_password("live") == "from-the-environment"


def test_no_keyring_names_the_mail_password_variable(
    data_dir: Path,
    no_keyring: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("some-mail-password\n"))
    assert config(data_dir, "set", "smtp_password", "-") == 7  # ExitCode.SECRETS
    assert "KPADMIN_SMTP_PASSWORD" in capsys.readouterr().err
    assert config(data_dir, "show", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    # Sandbox mode: the REST credentials fall back to the sandbox's; the mail password cannot.
    assert shown["imp_secret"] == "sandbox default"
    assert shown["smtp_password"] == "unavailable (no usable OS keyring)"


def test_a_control_character_in_the_mail_password_is_refused(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert config(data_dir, "set", "smtp_password", "abc\x1bdef") == 2
    assert "control characters" in capsys.readouterr().err
    assert memory_keyring.store == {}


def test_notices_are_switched_on_after_their_settings(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert config(data_dir, "set", "notices", "email") == 2
    assert "notices by e-mail need smtp_url, notice_from, merchant_name" in capsys.readouterr().err
    assert not (data_dir / "settings.json").exists()
    for key, value in [
        ("smtp_url", "smtps://mail.example.com"),
        ("notice_from", "카페 온도 <hello@example.com>"),
        ("merchant_name", "카페 온도"),
        ("merchant_contact", "02-555-0100"),
        ("notices", "email"),
        ("retry_days", "1,2,7"),
        ("auto_charge_time", "9:30"),
        ("notice_days_before", "3"),
    ]:
        assert config(data_dir, "set", key, value) == 0, key
    out = capsys.readouterr().out
    assert "auto_charge_time: off → 09:30" in out
    assert "retry_days: 1,3,5 → 1,2,7" in out
    settings = load_settings(data_dir)
    assert settings.notices == "email" and settings.retry_days == (1, 2, 7)
    assert settings.notice_days_before == 3
    audit = [detail for _, _, detail in audit_details(data_dir, "sandbox")]
    assert "setting notices: off → email" in audit


def test_help_lists_the_collections_settings(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        config(data_dir, "set", "--help")
    text = " ".join(capsys.readouterr().out.split())
    for key in ("retry_days", "auto_charge_time", "auto_charge_live", "notices", "smtp_url"):
        assert key in text
    assert "smtp_password" in text
    assert "1..28" in text and "1..14" in text
