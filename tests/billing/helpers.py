"""Helpers for the engine's proofs against a real sandbox: billing keys over HTTP, a seeded store,
settings that point kpadmin at a sandbox in another process, and `charge-due` as a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from kpadmin.billing.settings import Settings, save_settings
from kpadmin.paths import mode_dir
from kpadmin.runtime import DB_FILE
from kpadmin.store import NewSubscriber, SubscriberRepository, open_store
from tests.clock import child_env as clock_env

REPO_ROOT = Path(__file__).resolve().parents[2]
IMP_KEY = "sandbox-key"
IMP_SECRET = "sandbox-secret"


def token(base_url: str) -> str:
    answer = httpx.post(
        f"{base_url}/users/getToken", json={"imp_key": IMP_KEY, "imp_secret": IMP_SECRET}
    )
    answer.raise_for_status()
    return str(answer.json()["response"]["access_token"])


def issue_keys(base_url: str, customer_uids: list[str]) -> None:
    """Billing keys through the sandbox's key-in issuance, over real HTTP."""
    headers = {"Authorization": f"Bearer {token(base_url)}"}
    with httpx.Client(base_url=base_url, headers=headers) as http:
        for uid in customer_uids:
            answer = http.post(
                f"/subscribe/customers/{uid}",
                json={
                    "card_number": "5365-1000-0000-1234",
                    "expiry": "2031-12",
                    "birth": "900101",
                    "pwd_2digit": "12",
                },
            )
            assert answer.status_code == 200 and answer.json()["code"] == 0, answer.text


def paid_at_sandbox(base_url: str, customer_uids: list[str]) -> Counter[str]:
    """merchant_uid -> number of paid payments the sandbox holds (over HTTP)."""
    headers = {"Authorization": f"Bearer {token(base_url)}"}
    paid: Counter[str] = Counter()
    with httpx.Client(base_url=base_url, headers=headers) as http:
        for uid in customer_uids:
            page = 1
            while page:
                answer = http.get(f"/subscribe/customers/{uid}/payments", params={"page": page})
                body: dict[str, Any] = answer.json()["response"]
                for payment in body["list"]:
                    if payment["status"] == "paid":
                        paid[payment["merchant_uid"]] += 1
                page = body["next"]
    return paid


def db_path(data_dir: Path) -> Path:
    return mode_dir(data_dir, "sandbox") / DB_FILE


def prepare(data_dir: Path, base_url: str, n: int, *, due: date, prefix: str = "cu") -> list[str]:
    """A data dir whose settings point at `base_url`, with `n` due subscribers holding keys."""
    save_settings(data_dir, Settings(api_base_url=base_url, staff_name="테스트직원"))
    uids = [f"{prefix}-{i:04d}" for i in range(n)]
    issue_keys(base_url, uids)
    conn = open_store(db_path(data_dir))
    SubscriberRepository(conn).add_many(
        NewSubscriber(uid, f"구독자{i}", 1000 + i, due.day, due) for i, uid in enumerate(uids)
    )
    conn.close()
    return uids


def kpadmin_command(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kpadmin", "--data-dir", str(data_dir), *args]


def child_env(*, pretend: bool = True) -> dict[str, str]:
    """The environment of a kpadmin child: unbuffered, no REST key from the developer's shell, and
    ``KPADMIN_NOW`` at the tests' instant (tests/clock.py). ``pretend=False`` leaves it out, for a
    child that must reach live mode (which refuses KPADMIN_NOW): such a test must not depend on
    the date."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if pretend:
        env = clock_env(env)
    else:
        env.pop("KPADMIN_NOW", None)
    env.pop("KPADMIN_IMP_KEY", None)
    env.pop("KPADMIN_IMP_SECRET", None)
    return env


def run_kpadmin(
    data_dir: Path, *args: str, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`kpadmin --data-dir DATA_DIR ARGS...`; ``env`` adds to (or overrides) `child_env()`."""
    return subprocess.run(
        kpadmin_command(data_dir, *args),
        cwd=REPO_ROOT,
        env={**child_env(), **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
