"""The runtime: per-mode paths, and a real in-process sandbox a real client can talk to."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from kpadmin import runtime as rt
from kpadmin.billing import secrets
from kpadmin.billing.gateway import AuthFailed, NotSent
from kpadmin.billing.settings import Settings, SettingsError
from kpadmin.iamport.gateway import IamportGateway
from tests.commands.memory_keyring import MemoryKeyring, memory_keyring

__all__ = ["memory_keyring"]


def test_paths_per_mode(data_dir: Path) -> None:
    runtime = rt.open_runtime(data_dir)
    assert runtime.data_root == data_dir
    assert runtime.mode == "sandbox"
    assert runtime.db_path == data_dir / "sandbox" / "kpadmin.sqlite3"
    assert runtime.sandbox_state_path == data_dir / "sandbox" / "sandbox-state.sqlite3"
    live = runtime.save_settings(Settings(mode="live", imp_code="imp12345678"))
    assert rt.open_runtime(data_dir).settings == live.settings
    assert live.db_path == data_dir / "live" / "kpadmin.sqlite3"
    test = live.with_settings(Settings(mode="test"))
    assert test.db_path == data_dir / "test" / "kpadmin.sqlite3"
    assert test.db_path != live.db_path
    assert live.imp_code == "imp12345678" and test.imp_code is None
    assert runtime.imp_code == "imp00000000"


def test_env_data_dir_is_used(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPADMIN_DATA_DIR", str(data_dir / "from-env"))
    assert rt.open_runtime().data_root == data_dir / "from-env"


def test_bad_settings_file_is_an_expected_error(data_dir: Path) -> None:
    (data_dir / "settings.json").write_text("{", encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        rt.open_runtime(data_dir)
    assert isinstance(info.value, rt.EXPECTED_ERRORS)
    assert "`kpadmin config reset`" in rt.explain(info.value)
    assert rt.exit_code(info.value, 2) == 3  # ExitCode.SETTINGS


def test_runtime_refuses_plain_http_for_a_real_secret(
    data_dir: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settings built in code (not loaded) are checked before any request can leave."""
    monkeypatch.setenv("KPADMIN_IMP_KEY", "key")
    monkeypatch.setenv("KPADMIN_IMP_SECRET", "the-real-secret")
    runtime = rt.open_runtime(data_dir).with_settings(
        Settings(mode="live", api_base_url="http://gw.example.com")
    )

    async def run() -> None:
        async with runtime.api():
            raise AssertionError("no client may be made")

    with pytest.raises(SettingsError, match="must be https://"):
        asyncio.run(run())


def test_sandbox_mode_starts_a_sandbox_and_keys_persist(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    runtime = rt.open_runtime(data_dir)

    async def first_run() -> None:
        async with runtime.api() as api:
            assert api.sandbox is not None
            assert api.base_url.startswith("http://127.0.0.1:")
            assert api.sdk_url == f"{api.base_url}/v1/iamport.js"
            assert (api.imp_code, api.pg) == ("imp00000000", "kakaopay.TCSUBSCRIP")
            # The composition root builds the i'mport adapter behind billing's port.
            assert isinstance(api.gateway, IamportGateway)
            await api.gateway.check_connection()
            api.sandbox.state.issue_billing_key("cu_persist", card_name="신한카드")
            found = await api.gateway.get_keys(["cu_persist", "cu_nope"])
            assert [k.key_id for k in found.found] == ["cu_persist"]
            assert found.missing == ("cu_nope",)

    asyncio.run(first_run())
    assert runtime.sandbox_state_path.exists()

    async def second_run() -> None:
        async with runtime.gateway() as gateway:
            found = await gateway.get_keys(["cu_persist"])
            assert found.missing == ()

    asyncio.run(second_run())  # a fresh sandbox server on the same state file


def test_sandbox_accepts_the_stored_sandbox_credentials(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    secrets.store_secret("sandbox", "imp_key", "trainer-key")
    secrets.store_secret("sandbox", "imp_secret", "trainer-secret")
    runtime = rt.open_runtime(data_dir)

    async def run() -> None:
        async with runtime.api() as api:
            assert api.sandbox is not None
            assert api.sandbox.config.imp_key == "trainer-key"
            await api.gateway.check_connection()

    asyncio.run(run())


def test_external_base_url_is_used_as_is(
    data_dir: Path, memory_keyring: MemoryKeyring, sandbox: object
) -> None:
    base_url = sandbox.base_url  # type: ignore[attr-defined]
    runtime = rt.open_runtime(data_dir).with_settings(Settings(api_base_url=base_url))

    async def run() -> None:
        async with runtime.api() as api:
            assert api.sandbox is None
            assert api.base_url == base_url
            assert api.sdk_url == f"{base_url}/v1/iamport.js"
            await api.gateway.check_connection()

    asyncio.run(run())


def test_live_mode_without_credentials_says_how_to_set_them(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    runtime = rt.open_runtime(data_dir).with_settings(Settings(mode="live"))

    async def run() -> None:
        async with runtime.api():
            pass

    with pytest.raises(secrets.CredentialsMissing, match="kpadmin config set imp_key -"):
        asyncio.run(run())


def test_wrong_credentials_and_unreachable_hosts_are_explained(
    data_dir: Path, memory_keyring: MemoryKeyring, sandbox: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    base_url = sandbox.base_url  # type: ignore[attr-defined]
    monkeypatch.setenv("KPADMIN_IMP_KEY", "wrong-key")
    monkeypatch.setenv("KPADMIN_IMP_SECRET", "wrong-secret")
    runtime = rt.open_runtime(data_dir).with_settings(Settings(mode="test", api_base_url=base_url))

    async def token() -> None:
        async with runtime.gateway() as gateway:
            await gateway.check_connection()

    with pytest.raises(AuthFailed) as info:
        asyncio.run(token())
    message = rt.explain(info.value, runtime)
    assert "refused the REST API key and secret for test mode" in message
    assert "wrong-secret" not in message

    closed = runtime.with_settings(Settings(mode="test", api_base_url="http://127.0.0.1:9"))
    monkeypatch.setenv("KPADMIN_IMP_KEY", "k")

    async def unreachable() -> None:
        async with closed.gateway() as gateway:
            await gateway.check_connection()

    with pytest.raises(NotSent) as not_sent:
        asyncio.run(unreachable())
    assert "Could not reach i'mport at http://127.0.0.1:9" in rt.explain(not_sent.value, closed)
