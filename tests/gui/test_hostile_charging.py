"""The charging UI against a hostile i'mport on 127.0.0.1 (`tests.fixtures.hostile`): one charge
answered paid for 100× the amount, one declined with a reason that echoes the REST secret, the
access token, a card number and a phone number.

The batch window, the status bar and the detail pane warn about the amount (both amounts shown);
no dialog, list, status message or history row shows what the server echoed.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kpadmin.gui import messages
from kpadmin.gui.charging.refund import refundable
from kpadmin.store.charges import ChargeRepository
from kpadmin.store.models import ChargeState
from tests.fixtures.hostile import HostileServer, hostile
from tests.gui.test_charging_harness import accept_confirmation, close_desk, open_desk
from tests.sql import sql

__all__ = ["hostile"]

CARD = "4111-1111-1111-1111"
PHONE = "010-1234-5678"


def echo(server: HostileServer) -> str:
    return f"PG: secret={server.imp_secret} token={server.token} card {CARD} tel {PHONE}"


def leaks(server: HostileServer, text: str) -> list[str]:
    return [n for n in (server.imp_secret, server.token, CARD, PHONE, "1234-5678") if n in text]


@pytest.fixture
def desk(qtbot, arun, hostile, tmp_path, memory_keyring):
    # open_desk issues keys through a sandbox's state; the hostile server knows every key.
    box = SimpleNamespace(
        base_url=hostile.base_url, state=SimpleNamespace(issue_billing_key=lambda *a, **k: None)
    )
    hostile.charge = lambda asked: asked * 100 if asked == 9_900 else asked
    hostile.decline["kp_test_0001"] = echo(hostile)
    opened = open_desk(qtbot, arun, box, tmp_path, count=2)
    # The second subscriber pays another amount, so only the first one is 100×.
    sql(opened.backend.store, "UPDATE subscribers SET amount = 5000 WHERE id = ?", [opened.ids[1]])
    opened.window.reload()
    yield opened
    close_desk(opened, qtbot, arun)


def test_batch_window_status_bar_and_detail_pane_warn_and_show_no_secret(qtbot, desk, hostile):
    window, controller = desk.window, desk.controller
    window.act_charge_due.trigger()
    accept_confirmation(qtbot, controller).charge_button.click()
    qtbot.waitUntil(lambda: controller.task is not None and controller.task.done(), timeout=30_000)
    qtbot.waitUntil(lambda: not controller.running, timeout=30_000)
    result = controller.last_result
    assert [(m.asked, m.paid) for m in result.mismatches] == [(9_900, 990_000)]

    batch = controller.batch_dialog
    assert "1 payment(s) were charged for another amount than was asked" in batch.subline.text()
    rows = [
        [batch.results.topLevelItem(i).text(c) for c in range(4)]
        for i in range(batch.results.topLevelItemCount())
    ]
    [flagged] = [r for r in rows if r[2] == "Paid"]
    assert flagged[1] == "₩990,000" and "AMOUNT MISMATCH" in flagged[3]
    [declined] = [r for r in rows if r[2] == "Declined"]
    assert "[REDACTED]" in declined[3] and "010-****-5678" in declined[3]
    shown = "\n".join("\t".join(r) for r in rows)
    tips = "\n".join(
        batch.results.topLevelItem(i).toolTip(3) for i in range(batch.results.topLevelItemCount())
    )
    assert leaks(hostile, shown + tips + batch.headline.text() + batch.subline.text()) == []

    status = [text for _level, text in messages.bridge().history]
    assert any("were charged for another amount" in t for t in status)
    assert leaks(hostile, "\n".join(status)) == []

    # The detail pane: both amounts in the history and a warning above the actions.
    window.select_ids([desk.ids[0]])
    detail = window.detail
    assert detail.amount_warning.isVisible()
    assert "₩990,000 charged for ₩9,900" in detail.amount_warning.text()
    assert detail.history.topLevelItem(0).text(2) == "₩990,000 (₩9,900 asked)"
    # What can be refunded is what i'mport charged (its checksum would refuse anything else).
    (charge,) = ChargeRepository(desk.backend.store).for_subscriber(desk.ids[0])
    assert charge.state is ChargeState.PAID and refundable(charge) == 990_000

    window.select_ids([desk.ids[1]])
    assert not detail.amount_warning.isVisible()
    history = detail.history.topLevelItem(0)
    assert history.text(3) == "Declined" and "[REDACTED]" in history.text(4)
    audit = [detail.audit.topLevelItem(i).text(3) for i in range(detail.audit.topLevelItemCount())]
    assert leaks(hostile, history.text(4) + "\n".join(audit)) == []


def test_the_status_bar_redacts_whatever_it_is_given(qapp, hostile):
    from kpadmin.redact import register_secret

    register_secret(hostile.token)
    messages.warning(f"server said {hostile.token} / {CARD} / {PHONE}")
    level, text = messages.bridge().history[-1]
    assert level == "warning" and leaks(hostile, text) == []
    assert "[REDACTED]" in text and "4111-****-****-1111" in text
