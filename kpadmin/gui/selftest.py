"""`kpadmin selftest [--language auto|ko|en] [--screenshots DIR]`: the whole journey, offscreen,
against a built-in sandbox.

Start the main window on a temporary data dir (never the user's) in sandbox mode, sign a customer
up through the simulated Kakao Pay window (clicked with ``runJavaScript`` inside its iframe),
charge them through the charging UI (the confirmation accepted programmatically), check the payment
in the journal *and* at the sandbox over REST, refund part of it and check both again, do the other
audited things staff do (check the billing key, pause and resume, edit, import a change, export,
save a setting), open the payments, settlement and audit views (the audit with a detail of every
kind), preview an import, open the settings, quit. The UI speaks ``--language`` (default: the OS
locale, as the app does); in Korean every screen shot is also checked for English UI words, and
every audit detail for English words (`kpadmin.gui.ui_language`), and a step with any fails.

One line per step (``✓`` or ``✗`` and what was checked); exit 0 only when every step was verified.
It is also the packaged build's smoke test, so it must never hang: every wait has a deadline, the
whole run has one (``--timeout``), and a watchdog thread ends the process if the event loop itself
gets stuck.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_TIMEOUT = 3

PARTIAL_REFUND = 1_000
AMOUNT = 9_900
#: The audit actions the journey makes: the audit view must list (and, in Korean, say) each.
AUDITED = frozenset(
    {
        "signup_started",
        "signup",
        "charge",
        "charge_batch",
        "refund",
        "key_check",
        "pause",
        "resume",
        "edit",
        "import_update",
        "import_file",
        "export",
        "settings",
    }
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--screenshots", metavar="DIR", help="save a PNG of every step in DIR")
    parser.add_argument(
        "--language",
        choices=("auto", "ko", "en"),
        default="auto",
        help="the UI language (default: the OS locale)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=180.0,
        help="give up (exit 3) after this many seconds (default 180)",
    )


class StepFailed(Exception):
    """A check did not hold; the message says which."""


class Journey:
    """The steps, run in order on the qasync loop; each prints its line."""

    def __init__(
        self,
        data_dir: Path,
        screenshots: Path | None,
        out: Callable[[str], None],
        language: str = "en",
    ):
        self.language = language
        #: English UI words found on Korean screens (``shot: where: text``).
        self.english: list[str] = []
        self.data_dir = data_dir
        self.screenshots = screenshots
        self.out = out
        self.ok = True
        self.step_no = 0
        self.window: Any = None
        self.backend: Any = None
        self.subscriber_id: int | None = None
        self.payment_id: str | None = None

    # --- plumbing ---------------------------------------------------------------------------

    def report(self, ok: bool, name: str, what: str) -> None:
        self.out(f"{'✓' if ok else '✗'} {name}: {what}")
        if not ok:
            self.ok = False

    def shoot(self, name: str, widget: Any) -> None:
        if widget is not None and self.language == "ko":
            from kpadmin.gui.ui_language import english_leftovers

            self.english += [f"{name}: {text}" for text in english_leftovers(widget)]
        if self.screenshots is None or widget is None:
            return
        self.step_no += 1
        path = self.screenshots / f"{self.step_no:02d}-{name}.png"
        if not widget.grab().save(str(path)):
            raise StepFailed(f"could not save {path}")

    @staticmethod
    async def until(predicate: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise StepFailed(f"timed out after {timeout:.0f} s waiting for {what}")
            await asyncio.sleep(0.05)

    @staticmethod
    async def js(target: Any, code: str, timeout: float = 10.0) -> Any:
        loop = asyncio.get_running_loop()
        result: asyncio.Future[Any] = loop.create_future()

        def done(value: Any) -> None:
            if not result.done():
                result.set_result(value)

        target.runJavaScript(code, 0, done)
        return await asyncio.wait_for(result, timeout)

    # --- the journey ------------------------------------------------------------------------

    async def run(self) -> bool:
        steps = [
            ("start", self.start),
            ("sign-up", self.sign_up),
            ("subscriber row", self.check_row),
            ("charge", self.charge),
            ("paid at the sandbox", self.check_sandbox_paid),
            ("refund", self.refund),
            ("audited actions", self.audited_actions),
            ("books", self.books),
            ("import preview", self.import_preview),
            ("settings", self.settings),
            ("quit", self.quit),
        ]
        try:
            for name, step in steps:
                try:
                    what = await step()
                except StepFailed as exc:
                    self.report(False, name, str(exc))
                    return False
                except Exception as exc:  # an unexpected error is a failed step, not a hang
                    self.report(False, name, f"{type(exc).__name__}: {exc}")
                    return False
                self.report(True, name, what)
            return self.ok
        finally:
            await self.cleanup()

    async def start(self) -> str:
        from kpadmin.gui.backend import Backend
        from kpadmin.gui.main_window import MainWindow
        from kpadmin.runtime import open_runtime

        runtime = open_runtime(self.data_dir)
        if runtime.mode != "sandbox":
            raise StepFailed(f"expected sandbox mode in a fresh data dir, got {runtime.mode}")
        self.backend = Backend(runtime)
        self.window = MainWindow(self.backend)
        self.window.resize(1280, 800)
        self.window.show()
        await self.backend.connect()
        if self.backend.api is None:
            raise StepFailed(f"no i'mport connection: {self.backend.api_error}")
        self.shoot("start", self.window)
        return f"main window shown, in-process sandbox at {self.backend.api.base_url}"

    async def sign_up(self) -> str:
        from kpadmin.billing.signup import RawSignupForm

        window = self.window
        before = window.signup_dialog
        window.act_signup.trigger()
        dialog = await self.until(
            lambda: window.signup_dialog is not before and window.signup_dialog,
            "the sign-up dialog",
        )
        outcomes: list[tuple[str, str]] = []
        saved: list[Any] = []
        dialog.finished_attempt.connect(lambda r, m: outcomes.append((r, m)))
        dialog.signed_up.connect(saved.append)
        dialog.form.set_values(
            RawSignupForm(
                name="김하늘",
                phone="010-1234-5678",
                email="haneul@example.com",
                plan="프리미엄 월 구독",
                amount=f"{AMOUNT:,}",
                # Today's day of the month: the first charge is due today (no first payment).
                billing_day=str(self.backend.today().day),
                first_payment_now=False,
                channel="phone",
            )
        )
        await self.until(dialog.start_button.isEnabled, "the sign-up form to be valid")
        self.shoot("signup-form", dialog)
        dialog.start_button.click()

        def window_frame() -> Any:
            page = dialog.web.page if dialog.web else None
            if page is None:
                return None
            for child in page.mainFrame().children():
                if "/sandbox/kakaopay/window/" in child.url().toString():
                    return child
            return None

        frame = await self.until(window_frame, "the Kakao Pay window", timeout=30)
        # The button exists before the page's script has wired it: wait for the whole document.
        ready = "document.readyState === 'complete' && !!document.getElementById('approve')"
        for _ in range(200):
            if await self.js(frame, ready) is True:
                break
            await asyncio.sleep(0.05)
        else:
            raise StepFailed("the Kakao Pay window has no approve button")
        self.shoot("kakaopay-window", dialog)
        click = (
            "(function(){var e=document.getElementById('approve');"
            "if(!e||e.disabled)return 'unavailable';e.click();return 'clicked';})()"
        )
        clicked = await self.js(frame, click)
        if clicked != "clicked":
            raise StepFailed(f"could not click approve: {clicked}")
        await self.until(lambda: outcomes, "the sign-up outcome", timeout=30)
        result, message = outcomes[0]
        self.shoot("signup-result", dialog)
        if result != "signed_up" or not saved:
            raise StepFailed(f"sign-up ended {result}: {message}")
        self.subscriber_id = int(saved[0].id)
        dialog.accept()
        return f"approved in the Kakao Pay window; i'mport verified key {saved[0].customer_uid}"

    async def check_row(self) -> str:
        sid = self.subscriber_id
        row = await self.until(lambda: self.window.model.row_for_id(sid), "the subscriber row")
        sub = row.subscriber
        if not (sub.card_name or sub.card_number):
            raise StepFailed("the row has no card details from i'mport")
        if not row.is_due(self.window.today):
            raise StepFailed(f"the subscriber is not due today (next {sub.next_charge_date})")
        self.window.select_ids([sid])
        self.shoot("subscriber-row", self.window)
        return f"row {sub.name} with card {sub.card_name} {sub.card_number or ''}".rstrip()

    async def charge(self) -> str:
        from kpadmin.billing.records import ChargeState

        controller = self.window.charging
        sid = self.subscriber_id
        finished: list[Any] = []
        controller.batch_finished.connect(finished.append)
        self.window.charge_now(sid)
        dialog = await self.until(lambda: controller.confirm_dialog, "the confirmation")
        if dialog.plan.count != 1 or dialog.plan.total_amount != AMOUNT:
            raise StepFailed(
                f"the confirmation offers {dialog.plan.count} charge(s) for "
                f"₩{dialog.plan.total_amount:,}, expected 1 for ₩{AMOUNT:,}"
            )
        self.shoot("charge-confirmation", dialog)
        dialog.charge_button.click()  # accepted programmatically, as staff would click it
        await self.until(lambda: finished, "the batch to finish", timeout=60)
        result = finished[0]
        self.shoot("charge-result", controller.batch_dialog)
        if result is None or result.progress.paid != 1:
            raise StepFailed(f"the batch did not pay: {result}")
        history = self.backend.charge_history(sid)
        paid = [c for c in history if c.state is ChargeState.PAID]
        if len(paid) != 1 or paid[0].amount != AMOUNT or not paid[0].imp_uid:
            raise StepFailed(f"the journal has {[(c.state, c.amount) for c in history]}")
        self.payment_id = paid[0].imp_uid
        controller.batch_dialog.accept()
        return f"₩{AMOUNT:,} paid in the journal ({paid[0].merchant_uid})"

    async def check_sandbox_paid(self) -> str:
        assert self.payment_id is not None
        payment = await self.backend.gateway().get_payment(self.payment_id)
        if not payment.is_paid or payment.amount != AMOUNT:
            raise StepFailed(f"i'mport shows {payment.status.value} ₩{payment.amount:,}")
        return f"i'mport shows payment {self.payment_id}: paid ₩{payment.amount:,}"

    async def refund(self) -> str:
        controller = self.window.charging
        outcomes: list[Any] = []
        controller.refund_finished.connect(outcomes.append)
        controller.refund(self.subscriber_id, 0)
        dialog = await self.until(lambda: controller.refund_dialog, "the refund dialog")
        dialog.set_values(amount=PARTIAL_REFUND, reason="셀프 테스트: 부분 환불")
        if not dialog.review_button.isEnabled():
            raise StepFailed(f"the refund form is refused: {dialog.error.text()}")
        dialog.review()
        self.shoot("refund-confirmation", dialog)
        dialog.confirm_button.click()
        await self.until(lambda: outcomes, "the refund", timeout=30)
        if not outcomes[0].ok:
            raise StepFailed(outcomes[0].text)
        charge = next(c for c in self.backend.charge_history(self.subscriber_id) if c.imp_uid)
        if charge.cancelled_amount != PARTIAL_REFUND:
            raise StepFailed(f"the journal shows ₩{charge.cancelled_amount:,} refunded")
        assert self.payment_id is not None
        payment = await self.backend.gateway().get_payment(self.payment_id)
        if payment.refunded_amount != PARTIAL_REFUND:
            raise StepFailed(f"i'mport shows ₩{payment.refunded_amount:,} refunded")
        audit = self.backend.audit.list(subscriber_id=self.subscriber_id, action="refund")
        if not audit:
            raise StepFailed("no refund in the audit log")
        self.window.select_ids([self.subscriber_id])
        self.shoot("refunded", self.window)
        return (
            f"₩{PARTIAL_REFUND:,} of ₩{AMOUNT:,} refunded: journal, audit and "
            f"i'mport's payment {self.payment_id} agree"
        )

    async def audited_actions(self) -> str:
        """The other things staff do that the audit records, through the app's own paths, so
        the audit view holds a detail of every kind (`AUDITED`)."""
        from kpadmin.billing import csvio

        backend, sid = self.backend, self.subscriber_id
        check = await backend.check_key(sid)
        if not check.present:
            raise StepFailed("i'mport does not have the subscriber's billing key")
        if not (backend.pause(sid) and backend.resume(sid)):
            raise StepFailed("pause and resume did not both apply")
        backend.edit(sid, {"memo": "셀프 테스트 메모"})
        sub = backend.subscribers.get(sid)
        data = f"customer_uid,name,phone,amount,plan\n{sub.customer_uid},{sub.name},{sub.phone},"
        data += f"{sub.amount},셀프 테스트 요금제\n"
        report = await csvio.import_subscribers(
            backend.store,
            backend.gateway(),
            data.encode(),
            today=backend.today(),
            now=backend.now(),
            staff=backend.staff,
        )
        if not report.applied or sub.customer_uid not in report.updated:
            raise StepFailed(f"the import did not update the subscriber: {report.problems}")
        if self.window.csv.start_export(str(self.data_dir / "구독자.csv"), "subscribers") is None:
            raise StepFailed("the export wrote nothing")
        self.window.open_settings()
        dialog = await self.until(lambda: self.window.settings_dialog, "the settings dialog")
        dialog.concurrency.setValue(dialog.concurrency.value() % 8 + 1)
        dialog.auto_charge_time.setText("09:30")
        dialog.save()
        if dialog.isVisible():
            raise StepFailed(f"the settings were not saved: {dialog.problem.text()}")
        self.window.settings_dialog = None
        missing = AUDITED - {e.action for e in backend.audit.list()}
        if missing:
            raise StepFailed(f"no audit line of {', '.join(sorted(missing))}")
        return "key checked, paused and resumed, edited, imported, exported, a setting saved"

    async def books(self) -> str:
        from kpadmin.gui import books_window as books

        window = self.window.open_books(books.PAYMENTS)
        window.resize(1280, 800)
        await asyncio.sleep(0.1)
        lines = window.payments.model.lines
        if not any(line.payment_id == self.payment_id for line in lines):
            raise StepFailed("the payments view does not list the payment")
        self.shoot("payments", window)
        window.show_tab(books.REPORT)
        report = window.report.report
        if report is None or report.total.paid_count < 1:
            raise StepFailed("the settlement shows no payment")
        self.shoot("settlement", window)
        window.show_tab(books.AUDIT)
        events = [line.event for line in window.audit.lines]
        missing = AUDITED - {e.action for e in events}
        if missing:
            raise StepFailed(f"the audit view does not list {', '.join(sorted(missing))}")
        self.shoot("audit", window)
        self.check_details("audit", events)
        window.close()
        self.check_details("detail pane", self.backend.audit_entries(self.subscriber_id))
        return (
            f"payments list {len(lines)} row(s); settlement net ₩{report.total.net_amount:,}; "
            f"the audit lists {len(events)} action(s), a detail of every kind"
        )

    def check_details(self, name: str, events: Any) -> None:
        """In Korean: every audit detail said without an English word."""
        if self.language == "ko":
            from kpadmin.gui.ui_language import audit_leftovers

            self.english += [f"{name}: {text}" for text in audit_leftovers(events)]

    async def import_preview(self) -> str:
        subscriber = self.backend.subscribers.get(self.subscriber_id)
        data = (
            "customer_uid,name,phone,amount,plan\n"
            f"{subscriber.customer_uid},{subscriber.name},{subscriber.phone},"
            f"{subscriber.amount * 2},프리미엄\n"
        ).encode()
        csv = self.window.csv
        csv.import_dialog = None
        csv.run_import(data, skip_bad=False)
        dialog = await self.until(lambda: csv.import_dialog, "the import preview")
        if subscriber.customer_uid not in dialog.report.changes:
            raise StepFailed("the preview lists no change")
        self.shoot("import-preview", dialog)
        dialog.reject()
        after = self.backend.subscribers.get(self.subscriber_id)
        if after.amount != subscriber.amount:
            raise StepFailed("the preview wrote the change")
        return "the preview lists the change (amount and plan); nothing written"

    async def settings(self) -> str:
        self.window.open_settings()
        dialog = await self.until(lambda: self.window.settings_dialog, "the settings dialog")
        self.shoot("settings", dialog)
        dialog.reject()
        if self.english:
            shown = "; ".join(self.english[:8])
            raise StepFailed(f"{len(self.english)} English UI text(s) on Korean screens: {shown}")
        checked = "; no English UI words on Korean screens" if self.language == "ko" else ""
        return f"settings shown{checked}"

    async def quit(self) -> str:
        window, backend = self.window, self.backend
        self.window = self.backend = None
        window.close()
        await backend.aclose()
        return "window closed, sandbox stopped"

    async def cleanup(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window = None
        if self.backend is not None:
            backend, self.backend = self.backend, None
            try:
                await asyncio.wait_for(backend.aclose(), 15)
            except Exception as exc:  # clean-up must not hide the real result
                self.out(f"  (clean-up: {type(exc).__name__}: {exc})")


def _watchdog(seconds: float) -> threading.Timer:
    """End the process if the event loop itself is stuck (a smoke test must never hang)."""

    def fire() -> None:
        sys.stdout.write(f"✗ selftest: stuck for {seconds:.0f} s; giving up\n")
        sys.stdout.flush()
        os._exit(EXIT_TIMEOUT)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    return timer


def _printer() -> Callable[[str], None]:
    # A Windows console may not encode ✓/✗ or Korean: replace rather than crash.
    with contextlib.suppress(AttributeError, ValueError):
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]

    def out(line: str) -> None:
        print(line, flush=True)

    return out


def run(args: argparse.Namespace) -> int:
    from kpadmin.gui.app import prepare_environment

    prepare_environment()
    # The built-in sandbox's credentials, for this process only: never the OS keyring, which
    # could prompt on a desktop or hold the staff's real keys.
    from kpadmin.sandbox.config import SandboxConfig

    os.environ["KPADMIN_IMP_KEY"] = SandboxConfig.imp_key
    os.environ["KPADMIN_IMP_SECRET"] = SandboxConfig.imp_secret
    out = _printer()
    screenshots = Path(args.screenshots).resolve() if args.screenshots else None
    if screenshots is not None:
        screenshots.mkdir(parents=True, exist_ok=True)
    watchdog = _watchdog(args.timeout + 30)
    try:
        with tempfile.TemporaryDirectory(prefix="kpadmin-selftest-") as tmp:
            language = getattr(args, "language", "auto")
            code = _run_app(Path(tmp) / "data", screenshots, out, args.timeout, language)
    finally:
        watchdog.cancel()
    out("selftest: " + ("all steps verified" if code == EXIT_OK else "FAILED"))
    return code


def _run_app(
    data_dir: Path,
    screenshots: Path | None,
    out: Callable[[str], None],
    timeout: float,
    language: str = "auto",
):
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    from kpadmin import APP_NAME, APP_ORGANIZATION

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ORGANIZATION)
    app.setQuitOnLastWindowClosed(False)

    import qasync

    from kpadmin.gui import i18n

    shown = i18n.install(i18n.resolve_language(language))
    journey = Journey(data_dir, screenshots, out, shown)

    async def main() -> int:
        try:
            ok = await asyncio.wait_for(journey.run(), timeout)
        except TimeoutError:
            out(f"✗ selftest: not done within {timeout:.0f} s")
            return EXIT_TIMEOUT
        return EXIT_OK if ok else EXIT_FAILED

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:  # run exactly once (STYLE pitfall 3)
        result: int = loop.run_until_complete(main())
    return result
