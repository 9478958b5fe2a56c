"""`kpadmin.clock`: the one clock seam, KPADMIN_NOW, and its refusal in live mode."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from kpadmin import clock as seam
from kpadmin import runtime as rt
from kpadmin.billing.periods import today_in_seoul
from kpadmin.billing.settings import Settings, load_settings, save_settings
from tests.clock import FrozenClock, child_env
from tests.fixtures.sandbox import REPO_ROOT, SandboxProcess

#: A designed instant no wall clock is near while this is written (proves a child used the
#: variable, not the system clock): 23:30 on 31 January in Seoul, 14:30 UTC.
PRETEND = "2031-01-31T23:30:00+09:00"


@pytest.fixture
def env_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """The process default as in production: nothing installed, KPADMIN_NOW up to the test."""
    seam.install(None)
    monkeypatch.delenv(seam.ENV_VAR, raising=False)
    yield monkeypatch


def test_system_clock_is_aware_utc() -> None:
    moment = seam.system_clock()
    assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-15T10:00:00+09:00", datetime(2026, 11, 15, 1, 0, tzinfo=UTC)),
        ("2027-12-31T14:59:30Z", datetime(2027, 12, 31, 14, 59, 30, tzinfo=UTC)),
        (" 2028-02-29T03:00:00+00:00 ", datetime(2028, 2, 29, 3, 0, tzinfo=UTC)),
    ],
)
def test_parse_instant_needs_an_offset(text: str, expected: datetime) -> None:
    parsed = seam.parse_instant(text)
    assert parsed == expected and parsed.tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("garbage", "not an ISO 8601 instant"),
        ("2026-11-15", "no UTC offset"),
        ("2026-11-15T10:00:00", "no UTC offset"),
        ("2026-02-30T10:00:00+09:00", "not an ISO 8601 instant"),
    ],
)
def test_an_unusable_value_names_the_variable(text: str, why: str) -> None:
    with pytest.raises(seam.ClockError) as info:
        seam.parse_instant(text)
    assert str(info.value).startswith(f"KPADMIN_NOW={text!r}") and why in str(info.value)
    assert "2026-11-15T10:00:00+09:00" in str(info.value)  # says how to write it


def test_started_clock_starts_at_the_instant_and_runs_with_monotonic() -> None:
    ticks = [100.0]
    start = datetime(2027, 12, 31, 23, 59, 30, tzinfo=timezone(timedelta(hours=9)))
    started = seam.StartedClock(start, monotonic=lambda: ticks[0])
    assert started() == start and started().tzinfo is UTC
    ticks[0] += 45.5  # the monotonic clock moves on: so does this one, across midnight in Seoul
    assert started() == start + timedelta(seconds=45.5)
    assert today_in_seoul(started).isoformat() == "2028-01-01"
    with pytest.raises(ValueError):
        seam.StartedClock(datetime(2027, 1, 1))


def test_clock_from_env(env_clock: pytest.MonkeyPatch) -> None:
    assert seam.clock_from_env({}) is seam.system_clock
    assert seam.clock_from_env({seam.ENV_VAR: "  "}) is seam.system_clock
    started = seam.clock_from_env({seam.ENV_VAR: PRETEND})
    assert isinstance(started, seam.StartedClock)
    assert started.start == datetime(2031, 1, 31, 14, 30, tzinfo=UTC)
    with pytest.raises(seam.ClockError, match="KPADMIN_NOW"):
        seam.clock_from_env({seam.ENV_VAR: "tomorrow"})


def test_default_clock_keeps_running_and_follows_the_variable(
    env_clock: pytest.MonkeyPatch,
) -> None:
    assert seam.default_clock() is seam.system_clock
    assert seam.check_env() is None
    env_clock.setenv(seam.ENV_VAR, PRETEND)
    first = seam.default_clock()
    assert seam.default_clock() is first  # one clock per process: it keeps running
    assert seam.check_env() == datetime(2031, 1, 31, 14, 30, tzinfo=UTC)
    assert seam.now() >= datetime(2031, 1, 31, 14, 30, tzinfo=UTC)
    env_clock.setenv(seam.ENV_VAR, "2031-02-01T00:00:00Z")
    assert seam.default_clock() is not first
    env_clock.setenv(seam.ENV_VAR, "nonsense")
    with pytest.raises(seam.ClockError):
        seam.check_env()


def test_an_installed_clock_comes_first(env_clock: pytest.MonkeyPatch) -> None:
    env_clock.setenv(seam.ENV_VAR, PRETEND)
    frozen = FrozenClock(datetime(2030, 6, 1, tzinfo=UTC))
    seam.install(frozen)
    assert seam.default_clock() is frozen and seam.now() == frozen()
    seam.install(None)
    assert isinstance(seam.default_clock(), seam.StartedClock)


def test_live_mode_refuses_a_pretended_date(env_clock: pytest.MonkeyPatch, data_dir: Path) -> None:
    save_settings(data_dir, Settings(mode="live"))
    assert rt.open_runtime(data_dir).mode == "live"  # without KPADMIN_NOW: fine
    env_clock.setenv(seam.ENV_VAR, PRETEND)
    with pytest.raises(seam.ClockError) as info:
        rt.open_runtime(data_dir)
    assert "live mode" in str(info.value) and "KPADMIN_NOW" in str(info.value)
    assert isinstance(info.value, rt.EXPECTED_ERRORS)  # a calm message, never a traceback
    # A switch to live mode is refused the same way; sandbox and test mode are fine.
    save_settings(data_dir, Settings(mode="sandbox"))
    sandbox = rt.open_runtime(data_dir)
    assert sandbox.with_settings(Settings(mode="test")).mode == "test"
    with pytest.raises(seam.ClockError):
        sandbox.with_settings(Settings(mode="live"))


def test_runtime_hands_its_clock_to_the_in_process_sandbox(
    data_dir: Path, clock: FrozenClock
) -> None:
    import asyncio

    from kpadmin.iamport.gateway import IamportGateway

    runtime = rt.open_runtime(data_dir, clock=clock)
    assert runtime.clock is clock and runtime.today() == clock.today()

    async def go() -> int:
        async with runtime.api() as api:
            assert api.sandbox is not None and api.sandbox.config.clock is clock
            # The i'mport adapter's own client: the token's "now" is the sandbox's clock.
            assert isinstance(api.gateway, IamportGateway)
            token = await api.gateway.client.request_token()
            return int(token.now.timestamp())

    assert asyncio.run(go()) == int(clock().timestamp())


def _kpadmin(
    *args: str, env: dict[str, str], cwd: Path = REPO_ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kpadmin", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("value", ["garbage", "2026-11-15T10:00:00", "2026-13-01T00:00:00Z"])
def test_cli_refuses_an_unusable_value_calmly(tmp_path: Path, value: str) -> None:
    result = _kpadmin(
        "--data-dir", str(tmp_path), "reconcile", env=child_env() | {seam.ENV_VAR: value}
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"kpadmin: KPADMIN_NOW={value!r}")
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_cli_refuses_a_pretended_date_in_live_mode(tmp_path: Path) -> None:
    save_settings(tmp_path, Settings(mode="live", imp_code="imp12345678"))
    env = child_env(now=datetime.fromisoformat(PRETEND))
    env.pop("KPADMIN_IMP_KEY", None)
    result = _kpadmin("--data-dir", str(tmp_path), "charge-due", "--dry-run", env=env)
    assert result.returncode == 2
    assert "live mode" in result.stderr and "KPADMIN_NOW" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "live" / rt.DB_FILE).exists()  # refused before anything was opened


def test_cli_says_when_it_pretends(tmp_path: Path) -> None:
    result = _kpadmin(
        "--data-dir",
        str(tmp_path),
        "charge-due",
        "--dry-run",
        env=child_env(now=datetime.fromisoformat(PRETEND)),
    )
    assert result.returncode == 0, result.stderr
    assert "KPADMIN_NOW is set: the clock starts at 2031-01-31T14:30:00+00:00" in result.stderr


def test_standalone_sandbox_runs_on_kpadmin_now(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fixtures.sandbox import start_sandbox_process

    monkeypatch.setenv("KPADMIN_TEST_NOW", PRETEND)  # child_env gives the child this instant
    proc: SandboxProcess = start_sandbox_process()
    try:
        answer = httpx.post(
            f"{proc.base_url}/users/getToken",
            json={"imp_key": "sandbox-key", "imp_secret": "sandbox-secret"},
        )
        now = answer.json()["response"]["now"]
    finally:
        proc.stop()
    start = int(datetime.fromisoformat(PRETEND).timestamp())
    assert start <= now < start + 3600  # the pretended hour, not the wall clock's


def test_config_will_not_switch_to_live_while_pretending(tmp_path: Path) -> None:
    result = _kpadmin(
        "--data-dir",
        str(tmp_path),
        "config",
        "set",
        "mode",
        "live",
        "--yes",
        env=child_env(now=datetime.fromisoformat(PRETEND)),
    )
    assert result.returncode == 2
    assert "live mode" in result.stderr and "Traceback" not in result.stderr
    assert load_settings(tmp_path).mode == "sandbox"  # refused before anything was saved
