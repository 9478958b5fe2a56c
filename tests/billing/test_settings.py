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
        ("requests_per_second", "0", "between 0.1 and 1000 (or empty for no cap)"),
        ("requests_per_second", "nan", "between 0.1 and 1000"),
        ("requests_per_second", "1e-300", "between 0.1 and 1000"),
        ("requests_per_second", "0.09", "between 0.1 and 1000"),
        ("requests_per_second", "inf", "between 0.1 and 1000"),
        ("requests_per_second", "1000.5", "between 0.1 and 1000"),
        ("requests_per_second", "fast", "must be a number"),
        ("concurrency", "9" * 5000, "whole number"),
        ("monthly_limit", "10001", "between 1 and 10000"),
        ("api_base_url", "ftp://example.com", "http:// or https://"),
        ("api_base_url", "javascript:alert(1)", "http:// or https://"),
        ("api_base_url", "example.com", "http:// or https://"),
        ("api_base_url", "https://", "no host"),
        ("api_base_url", "https://user:pw@example.com", "user name or password"),
        ("api_base_url", "https://example.com/?a=1", "query"),
        ("api_base_url", "https://example.com:99999", "bad port"),
        ("api_base_url", "https://example.com:0", "bad port"),
        ("api_base_url", "http://[::1", "not a valid URL"),
        (
            "api_base_url",
            "https://" + "a" * 70_000 + ".com",
            "too long (70,012 characters; at most 512)",
        ),
        ("api_base_url", "https://" + "a" * 64 + ".com", "invalid host name"),
        ("api_base_url", "https://" + "a." * 127 + "com", "host name is too long"),
        ("api_base_url", "https://ex_ample.com", "invalid host name"),
        ("api_base_url", "https://a..example.com", "invalid host name"),
        ("api_base_url", "https://-a.example.com", "invalid host name"),
        ("api_base_url", "https://예시.kr", "xn-- form"),
        ("api_base_url", "https://exa mple.com", "without spaces"),
        ("api_base_url", "https://example.com/\x00", "without spaces"),
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
    with pytest.raises(SettingsError) as info:
        set_value(Settings(), key, raw)
    assert message in str(info.value)
    assert info.value.key == (key if key in s.KEYS else None)
    assert len(str(info.value)) < 400  # a 70,000-character value is never echoed whole


def test_good_urls_are_kept() -> None:
    for url in (
        "https://api.iamport.kr",
        "https://gw.example.com:8443/iamport",
        "http://127.0.0.1:8712",
        "http://[::1]:8080/proxy",
        "https://xn--9n2bp8q.kr",
        "https://" + "a" * 63 + ".com",
    ):
        assert set_value(Settings(), "api_base_url", url).api_base_url == url


@pytest.mark.parametrize("mode", ["test", "live"])
def test_plain_http_is_refused_outside_sandbox_except_to_a_local_proxy(mode: str) -> None:
    for url in ("http://gw.example.com", "HTTP://1.2.3.4:80", "http://localhost:8080"):
        with pytest.raises(SettingsError, match="REST secret") as info:
            set_value(Settings(mode=mode), "api_base_url", url)
        assert info.value.key == "api_base_url" and mode.upper() in str(info.value)
        # The same rule whichever key changes last: switching the mode is refused too.
        with pytest.raises(SettingsError, match="must be https://"):
            set_value(Settings(api_base_url=url.lower()), "mode", mode)
    secure = set_value(Settings(mode=mode), "api_base_url", "https://gw.example.com")
    assert not s.local_proxy(secure)
    for local in ("http://127.0.0.1:8080", "http://[::1]:8080"):
        proxied = set_value(Settings(mode=mode), "api_base_url", local)
        assert proxied.api_base_url == local and s.local_proxy(proxied)
    # A form changing both at once is judged whole: leaving http and LIVE together is fine.
    both = s.set_values(
        Settings(api_base_url="http://gw.example.com"), {"mode": mode, "api_base_url": ""}
    )
    assert (both.mode, both.api_base_url) == (mode, None)
    # Settings built in code are checked too (the runtime calls `check` before any request).
    with pytest.raises(SettingsError):
        s.check(Settings(mode=mode, api_base_url="http://gw.example.com"))


def test_plain_http_is_fine_in_sandbox_mode() -> None:
    sandbox = set_value(Settings(), "api_base_url", "http://trainer.example.com:8712")
    assert sandbox.api_base_url == "http://trainer.example.com:8712"
    assert not s.local_proxy(sandbox)


def test_every_bound_is_described_and_the_engine_agrees() -> None:
    from kpadmin.billing import engine

    for key, (low, high) in s.BOUNDS.items():
        text = s.DESCRIPTIONS[key]
        assert f"{low:g}" in text and (f"{high:g}" in text or f"{high:,.0f}" in text), key
        with pytest.raises(SettingsError):
            set_value(Settings(), key, repr(low / 2 if isinstance(low, float) else low - 1))
        with pytest.raises(SettingsError):
            set_value(Settings(), key, repr(high * 2))
        set_value(Settings(), key, f"{low:g}")
        set_value(Settings(), key, f"{high:g}")
    assert s.BOUNDS["requests_per_second"] == (engine.MIN_RPS, engine.MAX_RPS)
    assert engine.MAX_CONCURRENCY == s.MAX_CONCURRENCY


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"mode": "sandbox", "pg": "\xff\xfe"}', "not UTF-8 text"),
        ('{"mode": "live"}'.encode("utf-16"), "not UTF-8 text"),
        (b"[" * 30_000 + b"]" * 30_000, "nested too deeply"),
        (b'{"a": ' + b"[" * 20_000 + b"]" * 20_000 + b"}", "nested too deeply"),
        (b" " * (s.MAX_FILE_BYTES + 1), "larger than 64 KB"),
        (b'{"concurrency": 1' + b"0" * 5000 + b"}", "a number in it is too long"),
        (b"[1, 2]", "JSON object"),
    ],
)
def test_unreadable_file_names_the_file_and_offers_the_defaults(
    data_dir: Path, content: bytes, problem: str
) -> None:
    path = data_dir / "settings.json"
    path.write_bytes(content)
    with pytest.raises(s.SettingsFileError) as info:
        s.load_settings(data_dir)
    err = info.value
    message = str(err)
    assert err.unreadable and err.path == path and problem in err.problem
    assert message.startswith(f"settings file unreadable: {path} (")
    assert "`kpadmin config reset`" in message and "settings.json.broken-<time>" in message
    assert "SANDBOX mode" in message
    # Only the UTF-16 file mentions live: it may have been a LIVE desk, and the message says so.
    assert err.may_be_live == (b"l\x00i\x00v\x00e" in content)
    assert ("may have said LIVE" in message) == err.may_be_live
    assert path.read_bytes() == content  # never replaced silently


def test_refused_value_in_the_file_is_named_with_its_fix(data_dir: Path) -> None:
    path = data_dir / "settings.json"
    for data, key, fragment in [
        ({"mode": "live", "requests_per_second": 1e-300}, "requests_per_second", "0.1 and 1000"),
        ({"mode": "test", "api_base_url": "http://gw.example.com"}, "api_base_url", "https://"),
        ({"concurrency": 500}, "concurrency", "between 1 and 32"),
        ({"concurrency": True}, "concurrency", "wrong type"),
        ({"mode": "LIVE!"}, "mode", "mode must be one of"),
    ]:
        path.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(s.SettingsFileError) as info:
            s.load_settings(data_dir)
        err = info.value
        assert not err.unreadable and err.key == key and fragment in str(err), data
        assert f"settings file {path} holds a refused value" in str(err)
        assert f"`kpadmin config set {key} VALUE`" in str(err)
        assert "`kpadmin config reset`" in str(err)
        said = str(data.get("mode", "")).upper()
        assert ("may have said LIVE" in str(err)) == ("LIVE" in said), data
        assert ("may have said TEST" in str(err)) == (said == "TEST"), data


def test_overrides_repair_a_refused_value_and_nothing_else(data_dir: Path) -> None:
    path = data_dir / "settings.json"
    path.write_text(
        json.dumps({"mode": "live", "requests_per_second": 1e-300, "staff_name": "민지"}),
        encoding="utf-8",
    )
    repaired = s.load_settings(data_dir, overrides={"requests_per_second": "5"})
    assert (repaired.mode, repaired.requests_per_second, repaired.staff_name) == ("live", 5, "민지")
    with pytest.raises(s.SettingsFileError):  # another refused value is still the file's
        s.load_settings(data_dir, overrides={"staff_name": "x"})
    with pytest.raises(SettingsError) as info:  # a bad override is the user's, not the file's
        s.load_settings(data_dir, overrides={"requests_per_second": "0"})
    assert not isinstance(info.value, s.SettingsFileError)
    # An http URL in live mode can be fixed either way round.
    path.write_text(json.dumps({"mode": "live", "api_base_url": "http://gw.example.com"}))
    assert s.load_settings(data_dir, overrides={"api_base_url": ""}).mode == "live"
    assert s.load_settings(data_dir, overrides={"mode": "sandbox"}).mode == "sandbox"


def test_reset_keeps_the_old_file_aside_and_writes_the_defaults(data_dir: Path) -> None:
    from datetime import UTC, datetime

    path = data_dir / "settings.json"
    path.write_bytes(b"\xff\xfe broken")
    at = datetime(2031, 2, 3, 4, 5, 6, tzinfo=UTC)
    moved = s.reset_settings(data_dir, now=at)
    assert moved == data_dir / "settings.json.broken-20310203T040506Z"
    assert moved.read_bytes() == b"\xff\xfe broken"
    assert s.load_settings(data_dir) == Settings()
    again = s.reset_settings(data_dir, now=at)  # same second: a new name, nothing overwritten
    assert again == data_dir / "settings.json.broken-20310203T040506Z-2"
    assert moved.read_bytes() == b"\xff\xfe broken"
    fresh = data_dir / "fresh"
    fresh.mkdir()
    assert s.reset_settings(fresh, now=at) is None and s.load_settings(fresh) == Settings()


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
