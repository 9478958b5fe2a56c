"""The e-mail channel: customer notices through the merchant's own mail server (SMTP).

``smtp_url`` says where: ``smtp://host[:port]`` (default port 587) talks plain SMTP and switches to
TLS with STARTTLS whenever the server offers it; ``smtps://host[:port]`` (default 465) is TLS from
the first byte. Certificates are checked against the system's trust store (`ssl_context` replaces
it, e.g. in tests). With ``smtp_user`` set, kpadmin logs in with the password from the OS keyring or
env ``KPADMIN_SMTP_PASSWORD`` (`kpadmin.billing.secrets`); the password is never sent over a
connection without TLS — a server that offers no STARTTLS is refused then, unless it is this very
computer (a loopback address). Without a user name nothing is sent that needs protecting beyond
the mail itself, and a plain relay is used as it is.

Each message: multipart/alternative (text + HTML, UTF-8, base64 so no server needs 8BITMIME),
From = ``notice_from``, a Message-ID derived from the notice's key (a mail repeated after a crash
carries the same id), ``Auto-Submitted: auto-generated`` (no vacation replies to the merchant).

Every failure is a `NoticeError` classified as in `kpadmin.billing.notices.notifier`: a 5xx reply
is PERMANENT, a 4xx TEMPORARY, a connection that breaks DROPPED (``maybe_delivered`` once the whole
message had gone and only the server's answer was missing); login, TLS, sender and connection
problems are about the CHANNEL, a refused recipient or message about the NOTICE. Server replies
are shown shortened and scrubbed: the password (and the base64 forms AUTH sends it in), tokens,
card and phone numbers and e-mail addresses never reach a message or a log, even when a server
echoes them.

smtplib blocks, so the work runs on one thread of its own (``kpadmin-smtp``), which also keeps one
connection open across the notices of a batch (checked with NOOP before it is reused).
"""

from __future__ import annotations

import asyncio
import base64
import email.policy
import email.utils
import hashlib
import ipaddress
import logging
import re
import smtplib
import socket
import ssl
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC
from email.headerregistry import Address
from email.message import EmailMessage
from typing import Final
from urllib.parse import urlsplit

from kpadmin.billing.notices.model import Notice
from kpadmin.billing.notices.notifier import Delivery, FailureKind, NoticeError, Scope
from kpadmin.billing.settings import Settings, notice_sender
from kpadmin.clock import Clock, default_clock
from kpadmin.redact import REDACTED, redact_text, register_secret

log = logging.getLogger(__name__)

CHANNEL: Final = "email"
DEFAULT_PORTS: Final = {"smtp": 587, "smtps": 465}
DEFAULT_TIMEOUT: Final = 30.0
#: A server's reply is shown at most this long (a hostile one may send pages).
MAX_REPLY: Final = 200


class SmtpSettingsMissing(ValueError):
    """The e-mail channel cannot be built: a setting is unset (the message names it)."""


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    implicit_tls: bool
    sender_address: str
    sender_name: str = ""
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        sender: tuple[str, str],
        user: str | None = None,
        password: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> SmtpConfig:
        """From ``smtp_url`` (already checked by the settings), ``(name, address)`` of
        ``notice_from``, ``smtp_user`` and the password."""
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            raise SmtpSettingsMissing("smtp_url must be smtp://host:port or smtps://host:port")
        name, address = sender
        return cls(
            host=parts.hostname,
            port=parts.port or DEFAULT_PORTS[parts.scheme],
            implicit_tls=parts.scheme == "smtps",
            sender_address=address,
            sender_name=name,
            user=user or None,
            password=password,
            timeout=timeout,
        )

    @property
    def loopback(self) -> bool:
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def config_from_settings(settings: Settings, password: str | None) -> SmtpConfig:
    """The channel's configuration from the settings and the password (from
    `kpadmin.billing.secrets.smtp_password`)."""
    sender = notice_sender(settings)
    if not settings.smtp_url or sender is None:
        missing = [k for k in ("smtp_url", "notice_from") if not getattr(settings, k)]
        raise SmtpSettingsMissing(
            f"e-mail notices need {', '.join(missing)}: `kpadmin config set {missing[0]} …`"
        )
    return SmtpConfig.from_url(
        settings.smtp_url, sender=sender, user=settings.smtp_user, password=password
    )


class _SMTPS(smtplib.SMTP_SSL):
    """smtplib's SMTP_SSL, closing the plain socket when the TLS handshake fails (the stdlib
    leaves it open: a ResourceWarning on every failed smtps:// attempt)."""

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        raw = socket.create_connection((host, port), timeout, self.source_address)
        try:
            return self.context.wrap_socket(raw, server_hostname=host)
        except BaseException:
            raw.close()
            raise


class SmtpNotifier:
    """`Notifier` for e-mail. ``async with`` it, or call `aclose` when the batch is done."""

    channel = CHANNEL

    def __init__(
        self,
        config: SmtpConfig,
        *,
        ssl_context: ssl.SSLContext | None = None,
        local_hostname: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._config = config
        self._context = ssl_context or ssl.create_default_context()
        self._local_hostname = local_hostname
        self._clock = clock or default_clock()
        self._smtp: smtplib.SMTP | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._hidden = _secret_forms(config.user, config.password)
        for secret in self._hidden:
            register_secret(secret)  # the log filter scrubs them too

    # --- the async face ----------------------------------------------------------------------

    async def send(self, notice: Notice) -> Delivery:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kpadmin-smtp")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.deliver, notice)

    async def aclose(self) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            self.close()
            return
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(executor, self.close)
        finally:
            executor.shutdown(wait=False)

    async def __aenter__(self) -> SmtpNotifier:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # --- the blocking work (on the notifier's thread) ----------------------------------------

    def deliver(self, notice: Notice) -> Delivery:
        """Send one notice and wait for the server's answer (blocking)."""
        try:
            message_id = self._deliver(notice)
        except NoticeError as exc:
            log.warning(
                "notice %s for %s not sent (%s, %s): %s",
                notice.key,
                notice.recipient.masked(),
                exc.kind.value,
                exc.scope.value,
                exc,
            )
            raise
        log.info(
            "notice %s accepted by the mail server for %s (%s)",
            notice.key,
            notice.recipient.masked(),
            message_id,
        )
        return Delivery(CHANNEL, message_id)

    def _deliver(self, notice: Notice) -> str:
        message = self.message(notice)
        options = ["SMTPUTF8"] if _needs_utf8(message) else []
        policy = email.policy.SMTPUTF8 if options else email.policy.SMTP
        data = message.as_bytes(policy=policy)
        smtp = self._connection()
        if options and not smtp.has_extn("smtputf8"):
            raise NoticeError(
                "the customer's e-mail address has non-ASCII characters and the mail server "
                "does not accept those (no SMTPUTF8)",
                kind=FailureKind.PERMANENT,
                scope=Scope.NOTICE,
                stage="recipient",
            )
        try:
            self._transaction(smtp, notice.recipient.email, data, options)
        except NoticeError as exc:
            if exc.kind is FailureKind.DROPPED or exc.code == 421:
                self._drop()
            else:
                self._reset(smtp)
            raise
        return str(message["Message-ID"])

    def close(self) -> None:
        """Say QUIT and close the connection (if one is open)."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def message(self, notice: Notice) -> EmailMessage:
        """The e-mail for ``notice`` (`NoticeError` when the customer's address is unusable)."""
        config = self._config
        if not notice.recipient.email:
            raise NoticeError(
                "the customer has no e-mail address",
                kind=FailureKind.PERMANENT,
                scope=Scope.NOTICE,
                stage="recipient",
            )
        msg = EmailMessage(policy=email.policy.SMTP)
        try:
            msg["To"] = _address(notice.recipient.name, notice.recipient.email)
        except (ValueError, IndexError, TypeError):
            raise NoticeError(
                "the customer's e-mail address is not a usable address",
                kind=FailureKind.PERMANENT,
                scope=Scope.NOTICE,
                stage="recipient",
            ) from None
        msg["From"] = _address(config.sender_name, config.sender_address)
        msg["Subject"] = _display(notice.subject)
        msg["Date"] = email.utils.format_datetime(self._clock().astimezone(UTC))
        msg["Message-ID"] = message_id(notice.key, config.sender_address)
        msg["Auto-Submitted"] = "auto-generated"
        msg["Content-Language"] = notice.language
        msg.set_content(notice.text, cte="base64")
        msg.add_alternative(notice.html, subtype="html", cte="base64")
        return msg

    # --- the conversation ---------------------------------------------------------------------

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is not None:
            try:
                code, _ = self._smtp.noop()
                if code == 250:
                    return self._smtp
            except (smtplib.SMTPException, OSError):
                pass
            self._drop()  # the server closed an idle connection: open a new one
        self._smtp = self._open()
        return self._smtp

    def _open(self) -> smtplib.SMTP:
        config = self._config
        smtp: smtplib.SMTP
        try:
            if config.implicit_tls:
                smtp = _SMTPS(
                    config.host,
                    config.port,
                    local_hostname=self._local_hostname,
                    timeout=config.timeout,
                    context=self._context,
                )
            else:
                smtp = smtplib.SMTP(
                    config.host,
                    config.port,
                    local_hostname=self._local_hostname,
                    timeout=config.timeout,
                )
        except ssl.SSLCertVerificationError as exc:
            raise self._tls_refused(exc) from None
        except ssl.SSLError as exc:
            raise self._channel(
                f"TLS with {self._where()} failed ({exc.reason or 'handshake'}); smtps:// is for a "
                "port that starts with TLS (465), smtp:// for one that offers STARTTLS (587, 25)",
                FailureKind.PERMANENT,
                "tls",
            ) from None
        except smtplib.SMTPConnectError as exc:
            raise self._refused(exc.smtp_code, exc.smtp_error, "connect", Scope.CHANNEL) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise self._channel(
                f"cannot reach the mail server {self._where()} ({_os_reason(exc)})",
                FailureKind.TEMPORARY,
                "connect",
            ) from None
        try:
            self._handshake(smtp)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _handshake(self, smtp: smtplib.SMTP) -> None:
        config = self._config
        try:
            smtp.ehlo_or_helo_if_needed()
            if not config.implicit_tls:
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=self._context)
                    smtp.ehlo()
                elif config.user and not config.loopback:
                    raise self._channel(
                        f"the mail server {self._where()} offers no STARTTLS, so the password "
                        "would travel unencrypted: it was not sent. Use smtps:// or a server "
                        "that offers STARTTLS",
                        FailureKind.PERMANENT,
                        "tls",
                    )
            if config.user:
                self._login(smtp)
        except ssl.SSLCertVerificationError as exc:
            raise self._tls_refused(exc) from None
        except ssl.SSLError as exc:
            raise self._channel(
                f"STARTTLS with {self._where()} failed ({exc.reason or 'handshake'})",
                FailureKind.PERMANENT,
                "tls",
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise self._refused(exc.smtp_code, exc.smtp_error, "hello", Scope.CHANNEL) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise self._channel(
                f"the mail server {self._where()} closed the connection ({_os_reason(exc)})",
                FailureKind.DROPPED,
                "hello",
            ) from None

    def _login(self, smtp: smtplib.SMTP) -> None:
        config = self._config
        assert config.user is not None
        if not config.password:
            raise self._channel(
                "smtp_user is set but there is no mail password: `kpadmin config set "
                "smtp_password -` or env KPADMIN_SMTP_PASSWORD",
                FailureKind.PERMANENT,
                "auth",
            )
        if not smtp.has_extn("auth"):
            raise self._channel(
                f"the mail server {self._where()} does not offer a login (AUTH); clear smtp_user "
                "if it needs none",
                FailureKind.PERMANENT,
                "auth",
            )
        try:
            smtp.login(config.user, config.password)
        except smtplib.SMTPAuthenticationError as exc:
            kind = FailureKind.TEMPORARY if 400 <= exc.smtp_code < 500 else FailureKind.PERMANENT
            raise self._channel(
                f"the mail server refused the login of smtp_user ({exc.smtp_code} "
                f"{self._clean(exc.smtp_error)}); check the user name and password",
                kind,
                "auth",
                exc.smtp_code,
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise self._channel(
                "the mail server offers no login method kpadmin knows (PLAIN, LOGIN, CRAM-MD5)",
                FailureKind.PERMANENT,
                "auth",
            ) from None

    def _transaction(
        self, smtp: smtplib.SMTP, recipient: str, data: bytes, options: list[str]
    ) -> None:
        stage = "sender"
        try:
            code, reply = smtp.mail(self._config.sender_address, options)
            if code != 250:
                raise self._refused(code, reply, stage, Scope.CHANNEL)
            stage = "recipient"
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                raise self._refused(code, reply, stage, Scope.NOTICE)
            stage = "data"
            code, reply = smtp.docmd("DATA")
            if code != 354:
                raise self._refused(code, reply, stage, Scope.NOTICE)
            smtp.send(_dot_stuffed(data))
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise NoticeError(
                f"the mail server closed the connection during {stage.upper()} "
                f"({_os_reason(exc)}); the notice was not sent",
                kind=FailureKind.DROPPED,
                scope=Scope.NOTICE,
                stage=stage,
            ) from None
        # The whole message has gone: from here a lost answer may hide an accepted mail.
        try:
            code, reply = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise NoticeError(
                f"the connection broke while the mail server was answering the message "
                f"({_os_reason(exc)}); it may have been accepted, and a retry may repeat it",
                kind=FailureKind.DROPPED,
                scope=Scope.NOTICE,
                stage="data",
                maybe_delivered=True,
            ) from None
        if code != 250:
            raise self._refused(code, reply, "data", Scope.NOTICE)

    # --- errors -------------------------------------------------------------------------------

    def _where(self) -> str:
        return f"{self._config.host}:{self._config.port}"

    def _clean(self, reply: bytes | str) -> str:
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        for secret in self._hidden:
            text = text.replace(secret, REDACTED)
        text = redact_text(" ".join(text.split()), emails=True)
        text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
        return text if len(text) <= MAX_REPLY else text[:MAX_REPLY] + "…"

    def _channel(
        self, message: str, kind: FailureKind, stage: str, code: int | None = None
    ) -> NoticeError:
        return NoticeError(message, kind=kind, scope=Scope.CHANNEL, stage=stage, code=code)

    def _tls_refused(self, exc: ssl.SSLCertVerificationError) -> NoticeError:
        return self._channel(
            f"the mail server {self._where()}'s certificate is not trusted "
            f"({exc.verify_message or 'verification failed'})",
            FailureKind.PERMANENT,
            "tls",
        )

    def _refused(self, code: int, reply: bytes | str, stage: str, scope: Scope) -> NoticeError:
        if 500 <= code < 600:
            kind, what = FailureKind.PERMANENT, "refused"
        else:  # 4xx, or an answer that makes no sense here: try again later
            kind, what = FailureKind.TEMPORARY, "refused for now"
        if code == 421:  # "service not available, closing": the whole server, not this notice
            scope = Scope.CHANNEL
        subject = {
            "connect": "the connection",
            "hello": "the greeting",
            "sender": f"the sender {self._config.sender_address}",
            "recipient": "the recipient",
            "data": "the message",
        }.get(stage, stage)
        return NoticeError(
            f"the mail server {what} {subject}: {code} {self._clean(reply)}",
            kind=kind,
            scope=scope,
            stage=stage,
            code=code,
        )

    def _reset(self, smtp: smtplib.SMTP) -> None:
        try:
            smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()


# --- helpers ----------------------------------------------------------------------------------


def message_id(key: str, sender_address: str) -> str:
    """A Message-ID that depends only on the notice's key and the sender: the same notice sent
    twice (after a crash) carries the same id, which many mail systems collapse."""
    digest = hashlib.sha256(f"{key}\x00{sender_address}".encode()).hexdigest()[:32]
    domain = sender_address.rpartition("@")[2] or "kpadmin.invalid"
    return f"<kpadmin.{digest}@{domain}>"


def _secret_forms(user: str | None, password: str | None) -> tuple[str, ...]:
    """The password and the base64 forms AUTH PLAIN / LOGIN send it in (a server may echo one)."""
    if not password:
        return ()
    raw = (password.encode(), f"\0{user or ''}\0{password}".encode())
    forms = {password}
    for value in raw:
        encoded = base64.b64encode(value).decode()
        forms.update({encoded, encoded.rstrip("=")})
    return tuple(sorted((f for f in forms if f), key=len, reverse=True))


_ATOM: Final = r"[^\s@<>()\[\],;:\"\\]+"
_SIMPLE_ADDRESS: Final = re.compile(rf"{_ATOM}@{_ATOM}\.{_ATOM}")


def _address(name: str, address: str) -> Address:
    """A header address; `ValueError` for anything that is not one plain address. A non-ASCII
    local part (``민지@example.com``) is allowed: it needs SMTPUTF8 (`_needs_utf8`)."""
    if not _SIMPLE_ADDRESS.fullmatch(address):
        raise ValueError("not an address")
    try:
        return Address(_display(name), addr_spec=address)
    except ValueError:
        if address.isascii():
            raise
        user, _, domain = address.rpartition("@")
        return Address(_display(name), username=user, domain=domain)


def _display(text: str) -> str:
    """A header-safe display text: control characters (CR/LF) gone, whitespace collapsed."""
    cleaned = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    return " ".join(cleaned.split())


def _needs_utf8(message: EmailMessage) -> bool:
    return any(
        not str(address.addr_spec).isascii()
        for header in ("To", "From")
        for address in message[header].addresses
    )


_LEADING_DOT: Final = re.compile(rb"(?m)^\.")


def _dot_stuffed(data: bytes) -> bytes:
    """The DATA payload: lines starting with a dot doubled (RFC 5321 4.5.2), CRLF, the final dot."""
    data = re.sub(rb"\r?\n", b"\r\n", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return _LEADING_DOT.sub(b"..", data) + b".\r\n"


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, socket.gaierror):
        return "the host name does not resolve"
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return type(exc).__name__
