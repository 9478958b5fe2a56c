"""Background work on the one qasync loop, with a default way to report failure (like Anki's ops).

``run_op(coro, on_success=..., on_failure=...)`` schedules a coroutine and returns its task.
When the caller gives no ``on_failure``, an *expected* error (the gateway's typed errors,
a refused value) becomes a calm status-bar message, and anything else opens the exception
dialog. Tasks are kept referenced until they finish (asyncio holds only weak references).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from kpadmin.billing import gateway as gw
from kpadmin.billing.records import StoreError
from kpadmin.gui import crash, database_problem, messages
from kpadmin.gui.formatting import tr

log = logging.getLogger(__name__)
T = TypeVar("T")

_running: set[asyncio.Task[Any]] = set()


class UserError(Exception):
    """A problem the user can fix, with a message meant for them (already translated)."""


def describe_error(exc: BaseException) -> str | None:
    """A sentence for the staff about an expected error; None when the error is unexpected."""
    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, StoreError):  # a full disk, a damaged page met mid-session
        return database_problem.describe(exc).replace("\n\n", " ")
    if isinstance(exc, gw.AuthFailed):
        return tr("i'mport refused the REST API key or secret. Check them in Settings.")
    if isinstance(exc, gw.NotSent):
        return tr("Could not reach i'mport (network or address). Nothing was sent; try again.")
    if isinstance(exc, gw.OutcomeUnknown):
        return tr(
            "The answer from i'mport was lost, so the outcome is not known."
            " Reconcile before retrying."
        )
    if isinstance(exc, gw.NotFound):
        return tr("i'mport does not know it: {detail}").format(detail=_api_detail(exc))
    if isinstance(exc, gw.Declined):
        return tr("Declined: {detail}").format(detail=str(exc))
    if isinstance(exc, gw.Rejected | gw.BadAnswer):
        return tr("i'mport refused the request: {detail}").format(detail=_api_detail(exc))
    if isinstance(exc, gw.GatewayError):
        return tr("i'mport error: {detail}").format(detail=str(exc))
    return None


def _api_detail(exc: gw.GatewayError) -> str:
    return exc.gateway_message or str(exc)


def report_failure(exc: BaseException) -> None:
    text = describe_error(exc)
    if text is not None:
        messages.error(text)
    else:
        crash.report(type(exc), exc, exc.__traceback__)


def run_op(
    coro: Coroutine[Any, Any, T],
    *,
    on_success: Callable[[T], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
) -> asyncio.Task[T]:
    task = asyncio.ensure_future(coro)
    _running.add(task)

    def _done(t: asyncio.Task[T]) -> None:
        _running.discard(t)
        if t.cancelled():
            return
        exc = t.exception()
        try:
            if exc is None:
                if on_success is not None:
                    on_success(t.result())
            elif on_failure is not None:
                on_failure(exc)
            else:
                report_failure(exc)
        except Exception as callback_error:  # a broken callback is a bug: show it, don't lose it
            crash.report(type(callback_error), callback_error, callback_error.__traceback__)

    task.add_done_callback(_done)
    return task
