"""The e-mail channel against a real SMTP server on 127.0.0.1 (aiosmtpd): delivery, refusals
(5xx / 4xx at each stage), dropped connections (mid-DATA, after the message, idle), STARTTLS and
smtps:// with a certificate made here, logins, and no secret in any error or log line."""

from __future__ import annotations

import asyncio
import base64
import logging
import socket
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kpadmin.billing import settings as st
from kpadmin.billing.notices import (
    FailureKind,
    Merchant,
    NoticeError,
    Notifier,
    Receipt,
    Recipient,
    Scope,
    render,
)
from kpadmin.billing.notices.model import Notice
from kpadmin.billing.notices.smtp import (
    SmtpConfig,
    SmtpNotifier,
    SmtpSettingsMissing,
    config_from_settings,
    message_id,
)
from kpadmin.redact import unregister_secret
from tests.billing.notices.smtp_server import (
    Certificate,
    Handler,
    Server,
    accept_login,
    self_signed,
)

FIXED_NOW = datetime(2026, 3, 5, 5, 5, tzinfo=UTC)
USER = "billing@cafe.example"
PASSWORD = "Corr3ct-Horse-Battery"


def notice(
    email: str = "minji@example.com", name: str = "김민지", order: str = "kp-1-2026-03-1"
) -> Notice:
    facts = Receipt(
        recipient=Recipient(name, email, "010-1234-5678"),
        plan="월간 구독",
        amount=12_300,
        period="2026-03",
        order_id=order,
        paid_at=FIXED_NOW,
        card="5365-10**-****-5766",
    )
    return render(facts, merchant=Merchant("카페 온도", "02-555-0100"))


def config(
    server: Server, *, host: str = "127.0.0.1", tls: bool = False, **kwargs: object
) -> SmtpConfig:
    scheme = "smtps" if tls else "smtp"
    return SmtpConfig.from_url(
        f"{scheme}://{host}:{server.url_port}",
        sender=("카페 온도", "billing@cafe.example"),
        timeout=10,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def handler() -> Handler:
    return Handler()


@pytest.fixture
def server(handler: Handler) -> Iterator[Server]:
    controller = Server(handler)
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def cert(tmp_path: Path) -> Certificate:
    pytest.importorskip("cryptography")
    return self_signed(tmp_path)


@pytest.fixture(autouse=True)
def _forget_secrets() -> Iterator[None]:
    yield
    for secret in (PASSWORD, base64.b64encode(PASSWORD.encode()).decode()):
        unregister_secret(secret)


def notifier_for(cfg: SmtpConfig, **kwargs: object) -> SmtpNotifier:
    return SmtpNotifier(cfg, clock=lambda: FIXED_NOW, **kwargs)  # type: ignore[arg-type]


def failure(notifier: SmtpNotifier, what: Notice, *, close: bool = True) -> NoticeError:
    """The error sending ``what``; the notifier is closed after it unless ``close`` is False."""
    try:
        with pytest.raises(NoticeError) as info:
            notifier.deliver(what)
    finally:
        if close:
            notifier.close()
    return info.value


# --- delivery ----------------------------------------------------------------------------------


def test_a_notice_is_delivered_as_text_and_html(server: Server, handler: Handler) -> None:
    sent = notice()
    notifier = notifier_for(config(server))
    try:
        delivery = notifier.deliver(sent)
    finally:
        notifier.close()
    assert isinstance(notifier, Notifier)
    (got,) = handler.received
    assert got.rcpt_tos == ["minji@example.com"]
    assert got.mail_from == "billing@cafe.example"
    assert not got.tls and not got.authenticated
    message = got.message
    assert message["Subject"] == sent.subject == "[카페 온도] 월간 구독 결제 완료 (₩12,300)"
    assert message["From"].addresses[0].display_name == "카페 온도"
    assert message["To"].addresses[0].addr_spec == "minji@example.com"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Date"].datetime == FIXED_NOW
    assert message["Message-ID"] == delivery.reference == message_id(sent.key, USER)
    assert delivery.channel == "email"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    # Mail lines end in CRLF on the wire.
    assert text.get_content().replace("\r\n", "\n") == sent.text
    assert html.get_content().replace("\r\n", "\n") == sent.html
    assert got.content.isascii()  # base64 bodies, encoded headers: no server needs 8BITMIME
    assert "010-1234-5678" not in text.get_content()


def test_the_message_id_depends_only_on_the_notice_key() -> None:
    first = message_id("receipt:kp-1", USER)
    assert first == message_id("receipt:kp-1", USER)
    assert first != message_id("receipt:kp-2", USER)
    assert first.endswith("@cafe.example>")


def test_one_connection_serves_a_batch_and_a_closed_one_is_reopened(
    server: Server, handler: Handler
) -> None:
    notifier = notifier_for(config(server))
    try:
        notifier.deliver(notice(order="a"))
        notifier.deliver(notice(order="b"))
        assert handler.hellos == 1
        server.faults["drop"] = "noop"  # the server closed the idle connection
        notifier.deliver(notice(order="c"))
    finally:
        notifier.close()
    assert server.faults["dropped"] == "noop"
    assert handler.hellos == 2
    assert [r.message["Message-ID"] for r in handler.received] == [
        message_id(f"receipt:{order}", USER) for order in "abc"
    ]


def test_send_on_the_event_loop_runs_on_the_notifiers_thread(
    server: Server, handler: Handler
) -> None:
    async def main() -> None:
        async with notifier_for(config(server)) as notifier:
            await notifier.send(notice(order="x"))
            await notifier.send(notice(order="y"))

    asyncio.run(main())
    assert len(handler.received) == 2


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("switch", "reply", "kind", "scope", "stage"),
    [
        (
            "rcpt_reply",
            "550 5.1.1 <minji@example.com>: user unknown",
            "permanent",
            "notice",
            "recipient",
        ),
        ("rcpt_reply", "452 4.2.2 mailbox full", "temporary", "notice", "recipient"),
        ("data_reply", "554 5.7.1 message refused as spam", "permanent", "notice", "data"),
        ("data_reply", "451 4.3.0 try again later", "temporary", "notice", "data"),
        ("mail_reply", "553 5.7.1 sender not allowed", "permanent", "channel", "sender"),
        ("rcpt_reply", "421 4.3.2 service shutting down", "temporary", "channel", "recipient"),
    ],
)
def test_refusals_are_classified_and_the_next_notice_goes_on(
    server: Server,
    handler: Handler,
    switch: str,
    reply: str,
    kind: str,
    scope: str,
    stage: str,
) -> None:
    notifier = notifier_for(config(server))
    try:
        setattr(handler, switch, reply)
        error = failure(notifier, notice(order="refused"), close=False)
        assert (error.kind, error.scope, error.stage) == (kind, scope, stage)
        assert error.code == int(reply[:3])
        assert error.retry == (kind != "permanent")
        assert reply[:3] in str(error)
        assert "minji@example.com" not in str(error)  # an echoed address is masked
        setattr(handler, switch, None)
        notifier.deliver(notice(order="after"))
    finally:
        notifier.close()
    assert [r.message["Message-ID"] for r in handler.received] == [
        message_id("receipt:after", USER)
    ]


def test_nobody_listening_is_a_temporary_channel_failure() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cfg = SmtpConfig.from_url(f"smtp://127.0.0.1:{port}", sender=("", USER), timeout=5)
    error = failure(notifier_for(cfg), notice())
    assert (error.kind, error.scope, error.stage) == ("temporary", "channel", "connect")
    assert "connection refused" in str(error)


def test_a_customer_without_an_address_is_refused_for_good(
    server: Server, handler: Handler
) -> None:
    error = failure(notifier_for(config(server)), notice(email=""))
    assert (error.kind, error.scope) == ("permanent", "notice")
    bad = failure(notifier_for(config(server)), notice(email="not an address"))
    assert (bad.kind, bad.scope, bad.stage) == ("permanent", "notice", "recipient")
    assert handler.received == []


def test_a_name_cannot_add_headers(server: Server, handler: Handler) -> None:
    notifier = notifier_for(config(server))
    try:
        notifier.deliver(notice(name="김민지\r\nBcc: thief@example.net"))
    finally:
        notifier.close()
    (got,) = handler.received
    assert got.rcpt_tos == ["minji@example.com"]
    assert got.message["Bcc"] is None
    assert b"\r\nBcc:" not in got.content


def test_a_non_ascii_address_needs_smtputf8(handler: Handler) -> None:
    with_utf8 = Server(handler)  # aiosmtpd's controller offers SMTPUTF8 by default
    with_utf8.start()
    try:
        notifier = notifier_for(config(with_utf8))
        notifier.deliver(notice(email="민지@example.com"))
        notifier.close()
    finally:
        with_utf8.stop()
    assert handler.received[-1].rcpt_tos == ["민지@example.com"]
    assert "SMTPUTF8" in handler.received[-1].mail_options
    without = Server(handler, enable_SMTPUTF8=False)
    without.start()
    try:
        error = failure(notifier_for(config(without)), notice(email="민지@example.com"))
    finally:
        without.stop()
    assert (error.kind, error.scope) == ("permanent", "notice")
    assert "SMTPUTF8" in str(error)


# --- dropped connections -----------------------------------------------------------------------


def big_notice() -> Notice:
    """A notice whose message is far larger than the socket buffers: the client is still
    sending when the server hangs up."""
    base = notice(order="big")
    return Notice(
        kind=base.kind,
        key=base.key,
        language=base.language,
        recipient=base.recipient,
        merchant=base.merchant,
        subject=base.subject,
        text=base.text,
        html=base.html + "<!--" + "x" * 20_000_000 + "-->",
        fields=base.fields,
    )


def test_a_drop_in_the_middle_of_data_is_dropped_and_not_delivered(
    server: Server, handler: Handler
) -> None:
    server.faults["drop"] = "mid-data"
    notifier = notifier_for(config(server))
    try:
        error = failure(notifier, big_notice(), close=False)
        assert server.faults["dropped"] == "mid-data"
        assert (error.kind, error.scope, error.stage) == ("dropped", "notice", "data")
        assert not error.maybe_delivered
        assert error.retry
        # A small message may have left whole before the server hung up: still a drop.
        small = failure(notifier, notice(order="small"), close=False)
        assert small.kind is FailureKind.DROPPED
        server.faults.clear()
        notifier.deliver(notice(order="after"))  # a new connection
    finally:
        notifier.close()
    assert [r.message["Message-ID"] for r in handler.received] == [
        message_id("receipt:after", USER)
    ]


def test_a_drop_after_the_message_may_have_delivered_it(server: Server, handler: Handler) -> None:
    server.faults["drop"] = "after-data"
    notifier = notifier_for(config(server))
    try:
        error = failure(notifier, notice())
    finally:
        notifier.close()
    assert server.faults["dropped"] == "after-data"
    assert (error.kind, error.scope, error.stage) == ("dropped", "notice", "data")
    assert error.maybe_delivered and error.retry
    assert "may have been accepted" in str(error)


# --- TLS and login -----------------------------------------------------------------------------


def tls_server(handler: Handler, cert: Certificate, **kwargs: object) -> Server:
    controller = Server(
        handler,
        tls_context=cert.server_context(),
        require_starttls=True,
        authenticator=accept_login(USER, PASSWORD),
        **kwargs,
    )
    controller.start()
    return controller


def test_starttls_with_a_trusted_certificate_and_a_login(
    handler: Handler, cert: Certificate
) -> None:
    controller = tls_server(handler, cert)
    try:
        notifier = notifier_for(
            config(controller, user=USER, password=PASSWORD), ssl_context=cert.client_context()
        )
        notifier.deliver(notice())
        notifier.close()
    finally:
        controller.stop()
    (got,) = handler.received
    assert got.tls and got.authenticated


def test_an_untrusted_certificate_stops_the_channel(
    handler: Handler, cert: Certificate, caplog: pytest.LogCaptureFixture
) -> None:
    controller = tls_server(handler, cert)
    try:
        error = failure(notifier_for(config(controller, user=USER, password=PASSWORD)), notice())
    finally:
        controller.stop()
    assert (error.kind, error.scope, error.stage) == ("permanent", "channel", "tls")
    assert "not trusted" in str(error)
    assert handler.received == []


def test_smtps_is_tls_from_the_first_byte(handler: Handler, cert: Certificate) -> None:
    controller = Server(
        handler,
        ssl_context=cert.server_context(),
        authenticator=accept_login(USER, PASSWORD),
        auth_require_tls=False,  # aiosmtpd does not see the TLS its controller set up
    )
    controller.start()
    try:
        notifier = notifier_for(
            config(controller, tls=True, user=USER, password=PASSWORD),
            ssl_context=cert.client_context(),
        )
        notifier.deliver(notice())
        notifier.close()
        # smtps:// to a server that does not start with TLS is a clear, permanent mistake.
        plain = Server(Handler())
        plain.start()
        try:
            error = failure(
                notifier_for(config(plain, tls=True), ssl_context=cert.client_context()), notice()
            )
        finally:
            plain.stop()
    finally:
        controller.stop()
    (got,) = handler.received
    assert got.authenticated  # (aiosmtpd's session does not see its controller's TLS)
    assert (error.kind, error.scope, error.stage) == ("permanent", "channel", "tls")
    assert "smtps://" in str(error)


def test_no_password_in_clear_text_unless_the_server_is_this_computer(
    handler: Handler, server: Server
) -> None:
    # "localhost" is a name (it could be made to resolve elsewhere); 127.0.0.1 is this computer.
    server.SMTP_kwargs.update(auth_require_tls=False)
    error = failure(
        notifier_for(config(server, host="localhost", user=USER, password=PASSWORD)), notice()
    )
    assert (error.kind, error.scope, error.stage) == ("permanent", "channel", "tls")
    assert "offers no STARTTLS" in str(error)
    assert handler.received == [] and handler.hellos == 1


def test_a_login_on_loopback_without_tls(handler: Handler) -> None:
    controller = Server(handler, authenticator=accept_login(USER, PASSWORD), auth_require_tls=False)
    controller.start()
    try:
        notifier = notifier_for(config(controller, user=USER, password=PASSWORD))
        notifier.deliver(notice())
        notifier.close()
        wrong_password = config(controller, user=USER, password="wrong-pass")
        wrong = failure(notifier_for(wrong_password), notice())
        no_password = failure(notifier_for(config(controller, user=USER)), notice())
    finally:
        controller.stop()
    assert handler.received[0].authenticated
    assert (wrong.kind, wrong.scope, wrong.stage) == ("permanent", "channel", "auth")
    assert wrong.code == 535
    assert (no_password.kind, no_password.stage) == ("permanent", "auth")
    assert "kpadmin config set smtp_password -" in str(no_password)


def test_a_server_that_echoes_the_login_never_gets_it_into_errors_or_logs(
    handler: Handler, caplog: pytest.LogCaptureFixture
) -> None:
    controller = Server(handler, authenticator=accept_login("x", "y"), auth_require_tls=False)
    controller.faults["echo_auth"] = True
    controller.start()
    caplog.set_level(logging.DEBUG)
    try:
        notifier = notifier_for(config(controller, user=USER, password=PASSWORD))
        error = failure(notifier, notice())
    finally:
        controller.stop()
    assert handler.login_attempts >= 1
    assert (error.kind, error.scope, error.stage) == ("permanent", "channel", "auth")
    plain = f"\0{USER}\0{PASSWORD}".encode()
    leaks = {
        PASSWORD,
        base64.b64encode(PASSWORD.encode()).decode(),
        base64.b64encode(PASSWORD.encode()).decode().rstrip("="),
        base64.b64encode(plain).decode(),
        base64.b64encode(plain).decode().rstrip("="),
    }
    ours = [r for r in caplog.records if r.name.startswith("kpadmin")]
    assert any("not sent" in r.getMessage() for r in ours)
    shown = [
        str(error),
        repr(error),
        "".join(traceback.format_exception(error)),
        *(r.getMessage() for r in ours),
        repr(notifier_for(config(controller, user=USER, password=PASSWORD))._config),
    ]
    for text in shown:
        for leak in leaks:
            assert leak not in text
    assert "[REDACTED]" in str(error)  # it was there, and it was scrubbed


# --- configuration -----------------------------------------------------------------------------


def test_config_from_the_settings() -> None:
    settings = st.set_values(
        st.Settings(),
        {
            "smtp_url": "smtps://mail.example.com",
            "smtp_user": USER,
            "notice_from": "카페 온도 <billing@cafe.example>",
        },
    )
    cfg = config_from_settings(settings, PASSWORD)
    assert (cfg.host, cfg.port, cfg.implicit_tls) == ("mail.example.com", 465, True)
    assert (cfg.sender_name, cfg.sender_address, cfg.user) == ("카페 온도", USER, USER)
    assert PASSWORD not in repr(cfg)
    plain = config_from_settings(st.set_value(settings, "smtp_url", "smtp://[::1]"), None)
    assert (plain.host, plain.port, plain.implicit_tls, plain.loopback) == ("::1", 587, False, True)
    with pytest.raises(SmtpSettingsMissing, match="notice_from"):
        config_from_settings(st.set_value(settings, "notice_from", ""), None)
    with pytest.raises(SmtpSettingsMissing, match="smtp_url"):
        config_from_settings(st.set_value(settings, "smtp_url", ""), None)


def test_scopes_and_kinds_are_the_documented_ones() -> None:
    assert {k.value for k in FailureKind} == {"permanent", "temporary", "dropped"}
    assert {s.value for s in Scope} == {"notice", "channel"}
