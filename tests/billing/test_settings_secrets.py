"""Secrets: env wins, keyring per mode, a failing keyring is a clear message, nothing on disk."""

from __future__ import annotations

from pathlib import Path

import keyring.errors
import pytest

from kpadmin.billing import secrets
from kpadmin.billing.secrets import (
    CredentialsMissing,
    InvalidSecret,
    SecretSource,
    SecretsUnavailable,
)
from tests.commands.memory_keyring import MemoryKeyring, memory_keyring, no_keyring

__all__ = ["memory_keyring", "no_keyring"]  # fixtures used below


def test_keyring_entries_are_per_mode(memory_keyring: MemoryKeyring) -> None:
    secrets.store_secret("test", "imp_key", " 1234567890123456 ")
    secrets.store_secret("test", "imp_secret", "test-secret-value")
    secrets.store_secret("live", "imp_key", "9999")
    assert memory_keyring.store[("kpadmin", "test:imp_key")] == "1234567890123456"
    assert memory_keyring.store[("kpadmin", "live:imp_key")] == "9999"
    creds = secrets.load_credentials("test")
    assert (creds.imp_key, creds.imp_secret) == ("1234567890123456", "test-secret-value")
    assert creds.key_source is SecretSource.KEYRING
    assert "test-secret-value" not in repr(creds)
    with pytest.raises(CredentialsMissing, match=r"imp_secret for live mode.*KPADMIN_IMP_SECRET"):
        secrets.load_credentials("live")
    assert secrets.secret_sources("live") == {
        "imp_key": SecretSource.KEYRING,
        "imp_secret": SecretSource.UNSET,
    }
    assert secrets.delete_secret("live", "imp_key") is True
    assert secrets.delete_secret("live", "imp_key") is False


def test_env_wins_over_keyring(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets.store_secret("live", "imp_key", "from-keyring")
    secrets.store_secret("live", "imp_secret", "secret-from-keyring")
    monkeypatch.setenv("KPADMIN_IMP_KEY", "from-env")
    creds = secrets.load_credentials("live")
    assert creds.imp_key == "from-env"
    assert creds.key_source is SecretSource.ENV
    assert creds.imp_secret == "secret-from-keyring"
    assert creds.secret_source is SecretSource.KEYRING


def test_env_works_without_any_keyring(no_keyring: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPADMIN_IMP_KEY", "k")
    monkeypatch.setenv("KPADMIN_IMP_SECRET", "s")
    creds = secrets.load_credentials("live")
    assert (creds.imp_key, creds.imp_secret) == ("k", "s")


def test_missing_keyring_is_a_clear_message(no_keyring: None) -> None:
    with pytest.raises(SecretsUnavailable) as info:
        secrets.load_credentials("test")
    message = str(info.value)
    assert "No usable OS keyring" in message
    assert "KPADMIN_IMP_KEY" in message and "keyring" in message.lower()
    with pytest.raises(SecretsUnavailable):
        secrets.store_secret("live", "imp_secret", "s3cret")
    ok, why = secrets.keyring_available()
    assert not ok and "KPADMIN_IMP_SECRET" in why


def test_failing_backend_is_a_clear_message(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.fail_with = keyring.errors.KeyringLocked("the keyring is locked")
    with pytest.raises(SecretsUnavailable, match=r"locked.*KPADMIN_IMP_KEY"):
        secrets.read_secret("live", "imp_key")
    with pytest.raises(SecretsUnavailable, match="Saving imp_secret"):
        secrets.store_secret("live", "imp_secret", "x")


def test_sandbox_uses_public_defaults(no_keyring: None) -> None:
    creds = secrets.load_credentials("sandbox")
    assert (creds.imp_key, creds.imp_secret) == ("sandbox-key", "sandbox-secret")
    assert creds.key_source is SecretSource.SANDBOX_DEFAULT


def test_sandbox_prefers_stored_credentials(memory_keyring: MemoryKeyring) -> None:
    secrets.store_secret("sandbox", "imp_key", "other-key")
    assert secrets.load_credentials("sandbox").imp_key == "other-key"
    assert secrets.load_credentials("sandbox").imp_secret == "sandbox-secret"


@pytest.mark.parametrize("value", ["", "   ", "has space", "x" * 300, "tab\there", "한글"])
def test_bad_secret_values_are_refused(memory_keyring: MemoryKeyring, value: str) -> None:
    with pytest.raises(InvalidSecret):
        secrets.store_secret("test", "imp_secret", value)
    assert memory_keyring.store == {}


def test_unknown_names_and_modes(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(ValueError, match="unknown secret"):
        secrets.read_secret("test", "token")
    with pytest.raises(ValueError, match="unknown mode"):
        secrets.read_secret("prod", "imp_key")


def test_plaintext_backend_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    class PlaintextKeyring(MemoryKeyring):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    previous = keyring.get_keyring()
    keyring.set_keyring(PlaintextKeyring())
    try:
        with pytest.raises(SecretsUnavailable, match=r"keyrings\.alt\.file\.PlaintextKeyring"):
            secrets.store_secret("live", "imp_key", "abc")
    finally:
        keyring.set_keyring(previous)


def test_nothing_written_to_the_data_dir(memory_keyring: MemoryKeyring, data_dir: Path) -> None:
    from kpadmin.billing.settings import Settings, save_settings

    secrets.store_secret("live", "imp_secret", "VERY-SECRET-VALUE-42")
    save_settings(data_dir, Settings(mode="live"))
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert b"VERY-SECRET-VALUE-42" not in path.read_bytes(), path
