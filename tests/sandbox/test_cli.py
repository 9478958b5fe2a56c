"""`kpadmin sandbox` as a child process: URL first, flags honoured, clean exit on SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from kpadmin.sandbox.cli import config_from_args, configure
from kpadmin.sandbox.config import SandboxConfig
from tests.fixtures.sandbox import RunningSandbox, SandboxProcess, get_token


def test_prints_url_first_and_stops_cleanly_on_sigterm(
    sandbox_process: Callable[..., SandboxProcess], tmp_path: Path
) -> None:
    state = tmp_path / "cli.sqlite"
    child = sandbox_process(
        "--imp-key", "k2", "--imp-secret", "s2", "--imp-code", "imp12345678", state_path=state
    )
    assert child.base_url.startswith("http://127.0.0.1:")
    token = get_token(child.base_url, "k2", "s2")
    headers = {"Authorization": f"Bearer {token}"}
    issued = httpx.post(
        f"{child.base_url}/subscribe/customers/cu",
        headers=headers,
        json={"card_number": "4111-1111-1111-1111", "expiry": "2099-01"},
    )
    assert issued.json()["code"] == 0
    assert "sandbox" not in issued.json()["response"]  # the default live answer style
    assert httpx.post(f"{child.base_url}/users/getToken", json={}).status_code == 401
    assert child.stop(signal.SIGTERM) == 0
    printed = "\n".join(child.output())
    assert "imp12345678" in printed and "k2" in printed
    assert token not in printed + "\n".join(child.stderr)  # tokens never printed

    # Same file, new process: the key is still there, here in the spec's shape.
    again = sandbox_process("--answer-style", "spec", state_path=state)
    token = get_token(again.base_url, "sandbox-key", "sandbox-secret")
    got = httpx.get(f"{again.base_url}/subscribe/customers/cu", headers={"Authorization": token})
    assert got.status_code == 200 and got.json()["response"]["sandbox"] is True
    assert again.stop(signal.SIGINT) == 0


def test_bad_flags_fail_fast() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kpadmin", "sandbox", "--decline-rate", "2"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and "between 0 and 1" in result.stderr


def test_answer_style_flag() -> None:
    parser = argparse.ArgumentParser()
    configure(parser)
    assert config_from_args(parser.parse_args([])).answer_style == "live"
    spec = parser.parse_args(["--answer-style", "spec"])
    assert config_from_args(spec).answer_style == "spec"
    with pytest.raises(SystemExit):
        parser.parse_args(["--answer-style", "yaml"])
    with pytest.raises(ValueError, match="answer_style"):
        SandboxConfig(answer_style="yaml")  # type: ignore[arg-type]


def test_busy_port_is_reported(sandbox: RunningSandbox) -> None:
    port = sandbox.base_url.rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, "-m", "kpadmin", "sandbox", "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1 and "could not start" in result.stderr
    assert result.stdout == ""  # no URL printed for a server that is not running
