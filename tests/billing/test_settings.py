"""Settings: the JSON file round-trip, validation messages, derived URLs."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from kpadmin.billing import settings as s
from kpadmin.billing.settings import Settings, SettingsError, set_value


def test_defaults_when_nothing_saved(data_dir: Path) -> None:
    loaded = s.load_settings(data_dir)
    assert loaded == Settings()
    assert loaded.mode == "sandbox"
    assert loaded.pg == "kakaopay.TCSUBSCRIP"
    assert loaded.concurrency == 4
    assert not (data_dir / "settings.json").exists()  # loading never writes


def test_round_trip_every_key(data_dir: Path) -> None:
    changed = Settings()
    for key, raw in [
        ("mode", "live"),
        ("api_base_url", "https://proxy.example.com:8443/iamport/"),
        ("imp_code", "imp12345678"),
        ("pg", "kakaopay.CA12345678"),
        ("concurrency", "16"),
        ("requests_per_second", "12.5"),
        ("monthly_limit", "3"),
        ("staff_name", "  김민지 "),
        ("language", "KO"),
    ]:
        changed = set_value(changed, key, raw)
    path = s.save_settings(data_dir, changed)
    assert path == data_dir / "settings.json"
    loaded = s.load_settings(data_dir)
    assert loaded == changed
    assert loaded.api_base_url == "https://proxy.example.com:8443/iamport"  # trailing / dropped
    assert loaded.staff_name == "김민지"
    assert loaded.language == "ko"
    assert loaded.requests_per_second == 12.5
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(data_dir.glob(".settings-*"))  # no temp file left behind


def test_format_value_round_trips() -> None:
    base = Settings(requests_per_second=2.0, monthly_limit=5, api_base_url="http://127.0.0.1:9")
    for key in s.KEYS:
        again = set_value(Settings(), key, s.format_value(base, key))
        assert getattr(again, key) == getattr(base, key), key


def test_optional_keys_clear() -> None:
    base = Settings(api_base_url="http://x.test", monthly_limit=3, requests_per_second=1.0)
    for key in ("api_base_url", "monthly_limit", "requests_per_second", "imp_code"):
        for word in ("", "none", "unset"):
            assert getattr(set_value(base, key, word), key) is None


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("colour", "blue", "unknown setting 'colour'"),
        ("imp_secret", "x", "secrets"),
        ("mode", "production", "mode must be one of sandbox, test, live"),
        ("concurrency", "four", "concurrency must be a whole number"),
        ("concurrency", "0", "between 1 and 32"),
        ("concurrency", "33", "between 1 and 32"),
        ("concurrency", "2.5", "whole number"),
        ("monthly_limit", "-1", "between 1 and"),
        ("monthly_limit", "lots", "whole number"),
        ("requests_per_second", "0", "above 0"),
        ("requests_per_second", "nan", "above 0"),
        ("requests_per_second", "fast", "must be a number"),
        ("api_base_url", "ftp://example.com", "http:// or https://"),
        ("api_base_url", "javascript:alert(1)", "http:// or https://"),
        ("api_base_url", "example.com", "http:// or https://"),
        ("api_base_url", "https://", "no host"),
        ("api_base_url", "https://user:pw@example.com", "user name or password"),
        ("api_base_url", "https://example.com/?a=1", "query"),
        ("api_base_url", "https://example.com:99999", "bad port"),
        ("imp_code", "TC0ONETIME", "'imp' followed by 8 digits"),
        ("imp_code", "imp1234", "'imp' followed by 8 digits"),
        ("pg", "kakao pay", "kakaopay.CID"),
        ("pg", "", "kakaopay.CID"),
        ("language", "fr", "language must be one of auto, ko, en"),
        ("staff_name", "x" * 61, "60 characters"),
        ("staff_name", "bad\nname", "control characters"),
    ],
)
def test_bad_values_have_clear_messages(key: str, raw: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace("?", r"\?")):
        set_value(Settings(), key, raw)


def test_unreadable_file_is_a_clear_error(data_dir: Path) -> None:
    path = data_dir / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"not valid JSON.*fix it or delete it"):
        s.load_settings(data_dir)
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(SettingsError, match="JSON object"):
        s.load_settings(data_dir)
    path.write_text(json.dumps({"concurrency": 500}), encoding="utf-8")
    with pytest.raises(SettingsError, match="concurrency must be between 1 and 32"):
        s.load_settings(data_dir)
    path.write_text(json.dumps({"concurrency": True}), encoding="utf-8")
    with pytest.raises(SettingsError, match="wrong type"):
        s.load_settings(data_dir)


def test_unknown_keys_in_file_are_ignored(data_dir: Path) -> None:
    (data_dir / "settings.json").write_text(
        json.dumps({"mode": "test", "from_a_newer_version": 1, "monthly_limit": None}),
        encoding="utf-8",
    )
    assert s.load_settings(data_dir) == Settings(mode="test")


def test_saved_file_holds_exactly_the_settings_keys(data_dir: Path) -> None:
    s.save_settings(data_dir, Settings(mode="test"))
    data = json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))
    assert set(data) == set(s.KEYS)
    assert not {"imp_key", "imp_secret", "token"} & set(data)


def test_rest_and_sdk_urls_per_mode() -> None:
    sandbox = Settings()
    assert s.rest_base_url(sandbox) is None  # the in-process sandbox
    assert s.sdk_url(sandbox, "http://127.0.0.1:8712") == "http://127.0.0.1:8712/v1/iamport.js"
    for mode in ("test", "live"):
        real = Settings(mode=mode)
        assert s.rest_base_url(real) == "https://api.iamport.kr"
        assert s.sdk_url(real, "https://api.iamport.kr") == "https://cdn.iamport.kr/v1/iamport.js"
        proxied = Settings(mode=mode, api_base_url="https://gw.example.com/iamport")
        assert s.rest_base_url(proxied) == "https://gw.example.com/iamport"
        assert (
            s.sdk_url(proxied, "https://gw.example.com/iamport")
            == "https://gw.example.com/v1/iamport.js"
        )
    external = Settings(api_base_url="http://127.0.0.1:9000")
    assert s.rest_base_url(external) == "http://127.0.0.1:9000"
    with pytest.raises(SettingsError):
        s.sdk_url(sandbox, "not a url")


def test_imp_code_resolution_and_staff() -> None:
    assert s.resolved_imp_code(Settings()) == "imp00000000"
    assert s.resolved_imp_code(Settings(mode="live")) is None
    assert s.resolved_imp_code(Settings(mode="live", imp_code="imp11112222")) == "imp11112222"
    assert s.staff(Settings(staff_name="민지")) == "민지"
    assert s.staff(Settings())  # falls back to the login name, never empty


def test_sandbox_defaults_match_the_sandbox() -> None:
    sandbox_config = pytest.importorskip("kpadmin.sandbox.config")
    from kpadmin.billing import secrets

    assert sandbox_config.DEFAULT_IMP_CODE == s.SANDBOX_IMP_CODE
    assert secrets.SANDBOX_DEFAULTS["imp_key"] == sandbox_config.DEFAULT_IMP_KEY
    assert secrets.SANDBOX_DEFAULTS["imp_secret"] == sandbox_config.DEFAULT_IMP_SECRET
