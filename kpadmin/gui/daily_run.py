"""The daily automatic run while the app is open (setting ``auto_charge_time``; billing's rules in
kpadmin/billing/daily.py): a timer looks every 30 seconds; when today's time has come and this
desk claims the day, the charging controller runs the due batch without a confirmation (the batch
window shows it). Another desk that ran it already is said once in the status bar.
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QObject, QTimer

from kpadmin.billing import daily
from kpadmin.billing.periods import SEOUL
from kpadmin.gui import messages
from kpadmin.gui.backend import Backend
from kpadmin.gui.charging import ChargingController
from kpadmin.gui.formatting import tr
from kpadmin.gui.texts import say

log = logging.getLogger(__name__)

CHECK_EVERY_MS = 30_000


class DailyRun(QObject):
    def __init__(
        self, backend: Backend, charging: ChargingController, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.charging = charging
        #: The Asia/Seoul day whose run this desk has dealt with (ran it, or saw another desk's).
        self.done_for: date | None = None
        #: What the last check decided (for tests and the log): "off", "waiting", "busy",
        #: "started", "other desk".
        self.last = ""
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        if daily.run_time(backend.runtime.settings) is not None:
            self.timer.start()

    def check(self) -> str:
        settings = self.backend.runtime.settings
        why = daily.refusal(settings)
        at = daily.run_time(settings)
        if why is not None or at is None:
            self.last = "off"
            return self.last
        now = self.backend.now()
        today = now.astimezone(SEOUL).date()
        if self.done_for == today or not daily.is_due(now, at):
            self.last = "waiting"
            return self.last
        if not self.charging.can_start() or self.backend.api is None:
            self.last = "busy"  # a batch of staff's own, or not connected yet: look again soon
            return self.last
        holder = daily.claim(self.backend.store, today, desk=self.backend.staff, now=now)
        self.done_for = today
        if holder is not None:
            self.last = "other desk"
            messages.info(
                tr("Today's automatic charge run was done elsewhere: {who}").format(who=say(holder))
            )
            return self.last
        log.info("daily automatic run (%s Korean time) started", settings.auto_charge_time)
        messages.info(
            tr("Automatic daily charge run ({time}) started.").format(
                time=settings.auto_charge_time
            )
        )
        self.charging.charge_due_unattended()
        self.last = "started"
        return self.last

    def stop(self) -> None:
        self.timer.stop()
