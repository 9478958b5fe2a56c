"""The collections settings (issue #12): retry days, the automatic run, customer notices. Parsed,
bounded, saved and read back like the others; notices by e-mail need their server and sender."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kpadmin.billing import settings as s
from kpadmin.billing.settings import Settings, SettingsError, set_value, set_values

EMAIL_READY = {
    "smtp_url": "smtp://mail.example.com:587",
    "notice_from": "가나다 상점 <billing@example.com>",
    "merchant_name": "가나다 상점",
}


def test_defaults() -> None:
    settings = Settings()
    assert settings.retry_days == (1, 3, 5)
    assert (
        settings.auto_charge_time is None and s.format_value(settings, "auto_charge_time") == "off"
    )
    assert settings.auto_charge_live is False
    assert s.format_value(settings, "auto_charge_live") == "false"
    assert settings.notices == "off"
    assert settings.notice_days_before is None
    assert s.format_value(settings, "notice_days_before") == "off"
    assert s.format_value(settings, "retry_days") == "1,3,5"
    assert settings.smtp_url is settings.smtp_user is settings.notice_from is None
    assert settings.merchant_name == settings.merchant_contact == ""


def test_every_collections_key_round_trips_through_the_file(data_dir: Path) -> None:
    changed = set_values(
        Settings(),
        {
            **EMAIL_READY,
            "retry_days": " 2, 4 ,9 ",
            "auto_charge_time": "9:05",
            "auto_charge_live": "YES",
            "notices": "Email",
            "smtp_user": "billing@example.com",
            "notice_days_before": "3",
            "merchant_contact": "02-123-4567 · help@example.com",
        },
    )
    assert changed.retry_days == (2, 4, 9)
    assert changed.auto_charge_time == "09:05"
    assert changed.auto_charge_live is True
    assert changed.notices == "email"
    s.save_settings(data_dir, changed)
    data = json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))
    assert data["retry_days"] == [2, 4, 9]
    assert data["auto_charge_live"] is True
    assert s.load_settings(data_dir) == changed
    for key in s.KEYS:
        again = set_value(changed, key, s.format_value(changed, key))
        assert getattr(again, key) == getattr(changed, key), key


def test_a_hand_edited_file_may_say_retry_days_as_text(data_dir: Path) -> None:
    (data_dir / "settings.json").write_text(
        json.dumps({"retry_days": "1, 2", "auto_charge_live": "false"}), encoding="utf-8"
    )
    assert s.load_settings(data_dir).retry_days == (1, 2)
    (data_dir / "settings.json").write_text(json.dumps({"retry_days": []}), encoding="utf-8")
    assert s.load_settings(data_dir).retry_days == ()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([3, 1], "ascending"),
        ([1, "3"], "list of whole numbers"),
        ([1, True], "list of whole numbers"),
        ([0], "1..28"),
        ({"a": 1}, "wrong type"),
    ],
)
def test_a_refused_retry_days_in_the_file_names_the_key(
    data_dir: Path, value: object, message: str
) -> None:
    (data_dir / "settings.json").write_text(json.dumps({"retry_days": value}), encoding="utf-8")
    with pytest.raises(s.SettingsFileError, match=message) as info:
        s.load_settings(data_dir)
    assert info.value.key == "retry_days" and not info.value.unreadable


@pytest.mark.parametrize(
    ("key", "raw", "expected"),
    [
        ("retry_days", "off", ()),
        ("retry_days", "28", (28,)),
        ("retry_days", "1,2,3,4,5,6", (1, 2, 3, 4, 5, 6)),
        ("auto_charge_time", "00:00", "00:00"),
        ("auto_charge_time", "23:59", "23:59"),
        ("auto_charge_time", " OFF ", None),
        ("auto_charge_time", "", None),
        ("auto_charge_live", "on", True),
        ("auto_charge_live", "0", False),
        ("notices", " OFF", "off"),
        ("smtp_url", "smtps://127.0.0.1:465", "smtps://127.0.0.1:465"),
        ("smtp_url", "smtp://[::1]:2525/", "smtp://[::1]:2525"),
        ("smtp_url", "", None),
        ("smtp_user", "  user@example.com ", "user@example.com"),
        ("notice_from", "billing@example.com", "billing@example.com"),
        ("notice_from", '"Shop, Inc." <b@example.co.kr>', '"Shop, Inc." <b@example.co.kr>'),
        ("notice_days_before", "14", 14),
        ("notice_days_before", "off", None),
        ("merchant_name", " 카페 온도 ", "카페 온도"),
    ],
)
def test_accepted_values(key: str, raw: str, expected: object) -> None:
    assert getattr(set_value(Settings(), key, raw), key) == expected


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("retry_days", "0,3", "1..28"),
        ("retry_days", "1,29", "1..28"),
        ("retry_days", "5,3", "ascending"),
        ("retry_days", "1,2,3,4,5,6,7", "at most 6"),
        ("retry_days", "1 3", "whole numbers"),
        ("auto_charge_time", "24:00", "HH:MM"),
        ("auto_charge_time", "9:60", "HH:MM"),
        ("auto_charge_time", "0900", "HH:MM"),
        ("auto_charge_time", "09:00:00", "HH:MM"),
        ("auto_charge_time", "９:００", "HH:MM"),
        ("auto_charge_live", "maybe", "true or false"),
        ("notices", "sms", "off, email"),
        ("smtp_url", "http://mail.example.com", "smtp://"),
        ("smtp_url", "smtp://user:pw@mail.example.com", "user name or password"),
        ("smtp_url", "smtp://mail.example.com/inbox", "only smtp"),
        ("smtp_url", "smtp://mail.example.com?x=1", "only smtp"),
        ("smtp_url", "smtp://mail.example.com:99999", "bad host or port"),
        ("smtp_url", "smtp://", "no host"),
        ("smtp_url", "smtp://bad_host!.example", "smtp_url has an invalid host name"),
        ("smtp_url", "smtp://mail .example.com", "without spaces"),
        ("smtp_url", "smtp://" + "a" * 600, "too long"),
        ("smtp_user", "a\nb", "control characters"),
        ("smtp_user", "u" * 255, "limited to 254"),
        ("notice_from", "billing@example.com, thief@example.net", "one e-mail address"),
        ("notice_from", "Shop <billing@example.com>\nBcc: x@example.net", "control characters"),
        ("notice_from", "not an address", "one e-mail address"),
        ("notice_from", "someone@localhost", "one e-mail address"),
        ("notice_days_before", "0", "between 1 and 14"),
        ("notice_days_before", "15", "between 1 and 14"),
        ("notice_days_before", "soon", "whole number"),
        ("merchant_name", "x" * 101, "limited to 100"),
        ("merchant_name", "Shop\u202e", "control characters"),
        ("merchant_contact", "c" * 201, "limited to 200"),
    ],
)
def test_refused_values_name_the_key(key: str, raw: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message) as info:
        set_value(Settings(), key, raw)
    assert info.value.key == key


def test_notices_by_email_need_a_server_a_sender_and_a_name() -> None:
    with pytest.raises(SettingsError, match="smtp_url, notice_from, merchant_name") as info:
        set_value(Settings(), "notices", "email")
    assert info.value.key == "notices"
    partial = set_values(Settings(), {"smtp_url": EMAIL_READY["smtp_url"]})
    with pytest.raises(SettingsError, match="need notice_from, merchant_name: set them"):
        set_value(partial, "notices", "email")
    ready = set_values(Settings(), {**EMAIL_READY, "notices": "email"})
    assert ready.notices == "email"
    # Taking the server away while notices are on is refused, and says how to turn them off.
    with pytest.raises(SettingsError, match=r"need smtp_url: set it first \(or set notices off\)"):
        set_value(ready, "smtp_url", "")
    assert set_values(ready, {"smtp_url": "", "notices": "off"}).smtp_url is None


def test_a_file_with_notices_on_and_no_server_is_refused(data_dir: Path) -> None:
    (data_dir / "settings.json").write_text(
        json.dumps({"notices": "email", "merchant_name": "x"}), encoding="utf-8"
    )
    with pytest.raises(s.SettingsFileError, match="notices by e-mail need") as info:
        s.load_settings(data_dir)
    assert info.value.key == "notices"
    assert "kpadmin config set notices VALUE" in str(info.value)


def test_notice_sender_splits_the_name_and_address() -> None:
    assert s.notice_sender(Settings()) is None
    ready = set_values(Settings(), EMAIL_READY)
    assert s.notice_sender(ready) == ("가나다 상점", "billing@example.com")


def test_descriptions_say_the_bounds() -> None:
    assert "1..28" in s.DESCRIPTIONS["retry_days"] and "at most 6" in s.DESCRIPTIONS["retry_days"]
    assert "1..14" in s.DESCRIPTIONS["notice_days_before"]
    assert "KPADMIN_SMTP_PASSWORD" in s.DESCRIPTIONS["smtp_url"]
    assert set(s.DESCRIPTIONS) == set(s.KEYS)


def test_the_smtp_password_is_no_setting() -> None:
    with pytest.raises(SettingsError, match="smtp_password are secrets"):
        set_value(Settings(), "smtp_password", "hunter22")
