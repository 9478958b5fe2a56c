"""Every headless command leaves a trail in the rotating log (start, outcome, what it told the
user), and no secret reaches it: real `kpadmin` child processes against a sandbox."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from kpadmin import lifecycle
from kpadmin.billing.settings import Settings, save_settings
from kpadmin.logs import LOG_FILE
from kpadmin.paths import mode_dir
from kpadmin.runtime import DB_FILE
from kpadmin.store import NewSubscriber, SubscriberRepository, open_store
from tests.billing import helpers as h
from tests.fixtures.sandbox import SandboxFactory

DUE = date(2026, 11, 1)
SECRET = "Kp-Real-Looking-Secret-0123456789abcdef"


def _log(data: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in sorted((data / "logs").glob(f"{LOG_FILE}*"))
    )


def test_charge_due_and_reconcile_leave_a_trail(
    sandbox_factory: SandboxFactory, tmp_path: Path
) -> None:
    box = sandbox_factory(seed=1)
    data = tmp_path / "data"
    h.prepare(data, box.base_url, 2, due=DUE)
    charged = h.run_kpadmin(data, "charge-due", "--yes", "--json")
    assert charged.returncode == 0, charged.stderr
    settled = h.run_kpadmin(data, "reconcile")
    assert settled.returncode == 0, settled.stderr
    text = _log(data)
    assert "kpadmin charge-due started: charge-due --json --yes" in text
    assert "SANDBOX mode: 2 due (₩2,001), 0 skipped" in text
    assert "2 paid (₩2,001), 0 declined, 0 rejected, 0 unknown, 0 not sent" in text
    assert "kpadmin charge-due finished: exit 0 (ok)" in text
    assert "kpadmin reconcile started: reconcile" in text
    assert "SANDBOX mode: reconciled:" in text
    assert "kpadmin reconcile finished: exit 0 (ok)" in text


def test_what_a_command_tells_the_user_on_stderr_is_in_the_log_too(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.json").write_bytes(b"\xff\xfe not utf-8")
    result = h.run_kpadmin(data, "charge-due", "--yes")
    assert result.returncode == 3, result.stderr  # ExitCode.SETTINGS
    assert result.stderr.count("settings file unreadable") == 1  # said once on the console
    text = _log(data)
    assert "stderr: kpadmin charge-due: settings file unreadable:" in text
    assert "kpadmin charge-due finished: exit 3 (settings)" in text


def test_no_secret_reaches_the_log(sandbox_factory: SandboxFactory, tmp_path: Path) -> None:
    box = sandbox_factory(seed=1, imp_key="real-looking-key", imp_secret=SECRET)
    data = tmp_path / "data"
    # TEST mode through a local proxy (plain http to 127.0.0.1 is allowed and named as such).
    save_settings(data, Settings(mode="test", api_base_url=box.base_url, staff_name="직원"))
    conn = open_store(mode_dir(data, "test") / DB_FILE)
    for i in range(2):
        box.state.issue_billing_key(f"cu-{i}")
        SubscriberRepository(conn).add(NewSubscriber(f"cu-{i}", f"구독자{i}", 1000, 1, DUE))
    conn.close()
    env = {"KPADMIN_IMP_KEY": "real-looking-key", "KPADMIN_IMP_SECRET": SECRET}
    wrong = {**env, "KPADMIN_IMP_SECRET": SECRET[::-1]}
    runs = [
        # The wrong secret: i'mport's refusal is told and logged, the secret tried is not.
        h.run_kpadmin(data, "charge-due", "--yes", env=wrong),
        h.run_kpadmin(data, "charge-due", "--yes", "--json", env=env),
        h.run_kpadmin(data, "reconcile", "--json", env=env),
        # Given on the command line by mistake: stored or refused, never logged.
        h.run_kpadmin(data, "config", "set", "imp_secret", SECRET, "--mode", "test"),
        h.run_kpadmin(data, "config", "show", env=env),
    ]
    assert runs[0].returncode != 0 and "authentication failed" in runs[0].stderr
    assert [r.returncode for r in runs[1:3]] == [0, 0], [r.stderr for r in runs]
    assert json.loads(runs[1].stdout)["paid"] == 2  # the secret was really used
    assert "local proxy on this computer" in runs[4].stdout
    text = _log(data)
    assert "kpadmin config started: config set imp_secret" in text
    assert "stderr: Stopped early: authentication failed" in text
    assert text.count(" started: ") == len(runs)
    for secret in (SECRET, SECRET[::-1]):
        assert secret not in text
        for path in data.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path


def test_the_start_line_names_flags_and_keys_never_values() -> None:
    args = argparse.Namespace(
        command="config",
        config_action="set",
        key="imp_secret",
        value="s3cret",
        yes=True,
        mode="live",
        data_dir="/x",
        _module="m",
    )
    assert lifecycle.describe(args) == "config set imp_secret --yes"
    sandbox = argparse.Namespace(command="sandbox", imp_secret="s3cret", port=0, state=None)
    assert lifecycle.describe(sandbox) == "sandbox"
    assert json.dumps(lifecycle.describe(args))  # one plain line
