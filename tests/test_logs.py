"""Logging set-up: a private rotating file with secrets and phone numbers scrubbed."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kpadmin import logs, redact


@pytest.fixture
def logging_in(data_dir: Path) -> Iterator[Path]:
    level = logging.getLogger().level
    path = logs.setup_logging(data_dir, console=False)
    yield path
    logs.shutdown_logging()
    logging.getLogger().setLevel(level)


def test_file_is_in_the_data_dirs_log_folder_and_private(logging_in: Path, data_dir: Path) -> None:
    assert logging_in == data_dir / "logs" / "kpadmin.log"
    logging.getLogger("kpadmin.test").info("hello")
    assert "hello" in logging_in.read_text(encoding="utf-8")
    if os.name == "posix":
        assert stat.S_IMODE(logging_in.stat().st_mode) == 0o600


def test_secrets_and_phones_are_scrubbed(logging_in: Path) -> None:
    secret = "sk_live_0123456789abcdef"
    redact.register_secret(secret)
    try:
        log = logging.getLogger("kpadmin.billing.something")
        log.warning("auth with %s for %s", secret, "010-1234-5678")
        try:
            raise RuntimeError(f"boom {secret}")
        except RuntimeError:
            log.exception("failed")
    finally:
        redact.unregister_secret(secret)
    text = logging_in.read_text(encoding="utf-8")
    assert secret not in text
    assert "010-1234-5678" not in text
    assert "010-****-5678" in text
    assert "[REDACTED]" in text and "boom" in text


def test_setup_twice_does_not_double_handlers(data_dir: Path) -> None:
    try:
        logs.setup_logging(data_dir, console=True)
        path = logs.setup_logging(data_dir, console=True, verbose=True)
        ours = [h for h in logging.getLogger().handlers if getattr(h, "_kpadmin_handler", False)]
        assert len(ours) == 2
        logging.getLogger("kpadmin.x").debug("debug line")
        assert path.read_text(encoding="utf-8").count("debug line") == 1
    finally:
        logs.shutdown_logging()


def test_rotation_keeps_five_private_generations(logging_in: Path) -> None:
    log = logging.getLogger("kpadmin.flood")
    line = "x" * 1000
    for _ in range(7 * 1100):  # ~7.7 MB: more than 1 MB × (1 + 5)
        log.info(line)
    files = sorted(p.name for p in logging_in.parent.iterdir())
    assert files == ["kpadmin.log"] + [f"kpadmin.log.{i}" for i in range(1, 6)]
    for p in logging_in.parent.iterdir():
        assert p.stat().st_size <= logs.MAX_BYTES + 2000
        if os.name == "posix":
            assert stat.S_IMODE(p.stat().st_mode) == 0o600


def _request(url: str) -> None:
    # httpx logs "HTTP Request: GET <url> ..." at INFO for every request, whatever the transport.
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"code": 0}))
    with httpx.Client(transport=transport) as client:
        assert client.get(url).status_code == 200


def test_httpx_request_lines_stay_out_of_the_file(logging_in: Path) -> None:
    url = "https://api.iamport.kr/subscribe/customers/kpa_abcdefghijklmnop"
    _request(url)
    logging.getLogger("kpadmin.x").info("after the request")
    text = logging_in.read_text(encoding="utf-8")
    assert "after the request" in text  # the file works…
    assert "kpa_abcdefghijklmnop" not in text and "HTTP Request" not in text  # …httpx stays out
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("httpcore").getEffectiveLevel() == logging.WARNING
    # A warning from httpx still gets through.
    logging.getLogger("httpx").warning("httpx warning line")
    assert "httpx warning line" in logging_in.read_text(encoding="utf-8")


def test_verbose_keeps_httpx_request_lines(data_dir: Path) -> None:
    level = logging.getLogger().level
    try:
        path = logs.setup_logging(data_dir, console=False, verbose=True)
        _request("https://api.iamport.kr/payments/find/kpa-su-verbose")
        assert "kpa-su-verbose" in path.read_text(encoding="utf-8")
        assert logging.getLogger("httpcore").getEffectiveLevel() == logging.WARNING
    finally:
        logs.shutdown_logging()
        logs.setup_logging(data_dir, console=False)  # leave httpx quiet for later tests
        logs.shutdown_logging()
        logging.getLogger().setLevel(level)
