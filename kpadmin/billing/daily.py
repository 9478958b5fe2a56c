"""The app's own daily automatic run (setting ``auto_charge_time``): when it is due, whether this
mode may run it, and which desk runs it on a shared database. Pure rules plus one store write;
the GUI's timer (kpadmin/gui/daily_run.py) asks these and starts the batch.

* **When.** Once per Asia/Seoul day, from ``auto_charge_time`` (HH:MM Korean time) on: an app
  started after that time the same day runs it then (the day is made up, like the OS scheduler's
  entry); a day the app was not running is not made up the next day (the retry policy and the
  due rules charge what is due then anyway).
* **Whether.** Off unless ``auto_charge_time`` is set; LIVE mode only with ``auto_charge_live``
  (the same rule as ``kpadmin schedule run``).
* **Who.** The first desk to `claim` the day writes an ``auto_charge`` audit line for it, in one
  write transaction (the write lock taken up front, so two desks cannot both find the day free);
  the others read who did and say so. The batch itself then holds the store's batch lock like
  every batch, so even a desk that raced past the claim could not run a second batch at once —
  and one that ran later would find nothing due (paid dates moved on, declines held until their
  retry day).
"""

from __future__ import annotations

from datetime import date, datetime, time

from kpadmin.billing.messages import AuditAction, Message, MessageCode
from kpadmin.billing.periods import SEOUL
from kpadmin.billing.settings import Settings
from kpadmin.store import Store

#: How far back the claim looks for today's line (a day has one; a few spare for races).
_LOOKBACK = 20


def run_time(settings: Settings) -> time | None:
    """The Korean time of the daily run, None when it is off."""
    if not settings.auto_charge_time:
        return None
    hours, minutes = settings.auto_charge_time.split(":")
    return time(int(hours), int(minutes))


def refusal(settings: Settings) -> str | None:
    """Why this app must not run the daily batch (English, for the log), or None."""
    if run_time(settings) is None:
        return "auto_charge_time is off"
    if settings.mode == "live" and not settings.auto_charge_live:
        return "LIVE mode and auto_charge_live is false"
    return None


def due_at(day: date, at: time) -> datetime:
    """The instant of the run on ``day`` (Asia/Seoul)."""
    return datetime.combine(day, at, tzinfo=SEOUL)


def is_due(now: datetime, at: time) -> bool:
    """Has today's (Asia/Seoul) run time come?"""
    local = now.astimezone(SEOUL)
    return local >= due_at(local.date(), at)


def _marker(day: date) -> str:
    return f"daily run {day.isoformat()}"


def claim(store: Store, day: date, *, desk: str, now: datetime) -> Message | None:
    """Take the day's run for this desk: None when taken now, else which desk took it and when
    (`MessageCode.DAILY_RUN_HELD`) — the run is someone else's."""
    marker = _marker(day)
    with store.transaction():
        for event in store.audit.list(action=AuditAction.AUTO_CHARGE.value, limit=_LOOKBACK):
            if event.detail.startswith(marker):
                return Message.of(
                    MessageCode.DAILY_RUN_HELD,
                    day=day.isoformat(),
                    desk=event.staff,  # the line's staff is the desk that took the run
                    time=f"{event.at.astimezone(SEOUL):%H:%M}",
                )
        # The English starts with the marker: the check above reads it.
        line = Message.of(MessageCode.AUDIT_DAILY_RUN, day=day.isoformat(), desk=desk)
        store.audit.record(desk, AuditAction.AUTO_CHARGE, line, at=now)
    return None
