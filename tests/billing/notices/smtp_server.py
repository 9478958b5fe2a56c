"""A real SMTP server on 127.0.0.1 for the e-mail channel's tests: aiosmtpd in a thread, with
switches for the ways a server says no (a reply code at MAIL / RCPT / end of DATA), drops the
connection (in the middle of DATA, after the message before answering, on NOOP), echoes the
login it was sent, and a self-signed certificate for STARTTLS and smtps:// made in the test."""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    mail_options: list[str]
    content: bytes
    tls: bool
    authenticated: bool

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Handler:
    """What the server does with each command; the tests flip these between sends."""

    mail_reply: str | None = None
    rcpt_reply: str | None = None
    data_reply: str | None = None
    received: list[Received] = field(default_factory=list)
    hellos: int = 0
    login_attempts: int = 0

    async def handle_EHLO(
        self, server: SMTP, session: Session, envelope: Envelope, hostname: str, responses: Any
    ) -> Any:
        self.hellos += 1
        session.host_name = hostname
        return responses

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if self.mail_reply:
            return self.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.data_reply:
            return self.data_reply
        assert isinstance(envelope.content, bytes)
        self.received.append(
            Received(
                mail_from=str(envelope.mail_from),
                rcpt_tos=list(envelope.rcpt_tos),
                mail_options=list(envelope.mail_options),
                content=envelope.content,
                tls=session.ssl is not None,
                authenticated=bool(session.authenticated),
            )
        )
        return "250 2.0.0 Message accepted for delivery"


class MisbehavingSMTP(SMTP):
    """aiosmtpd's server with the faults a test asks for (``faults`` is shared and mutable)."""

    def __init__(self, handler: Handler, faults: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.faults = faults

    async def smtp_DATA(self, arg: str) -> None:
        drop = self.faults.get("drop")
        if drop not in ("mid-data", "after-data"):
            await super().smtp_DATA(arg)
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        if drop == "mid-data":
            await self._reader.readuntil(b"\r\n")  # one line of the message, then gone
            self.faults["dropped"] = "mid-data"
        else:
            while await self._reader.readuntil(b"\r\n") != b".\r\n":
                pass  # the whole message, then gone before answering
            self.faults["dropped"] = "after-data"
        assert self.transport is not None
        self.transport.abort()

    async def smtp_NOOP(self, arg: str) -> None:
        if self.faults.get("drop") == "noop":
            self.faults["dropped"] = "noop"
            assert self.transport is not None
            self.transport.abort()  # an idle connection the server has closed
            return
        await super().smtp_NOOP(arg)

    async def smtp_AUTH(self, arg: str) -> None:
        if not self.faults.get("echo_auth"):
            await super().smtp_AUTH(arg)
            return
        # A hostile server: it repeats what it was sent, and even decodes it.
        assert isinstance(self.event_handler, Handler)
        self.event_handler.login_attempts += 1
        mechanism, _, initial = arg.partition(" ")
        if mechanism.upper() == "LOGIN":
            await self.push("334 UGFzc3dvcmQ6")
            line = (await self._reader.readline()).strip().decode()
            plain = base64.b64decode(line + "==").decode(errors="replace")
            await self.push(f"535 5.7.8 refused {line} (that is {plain}) user {initial}")
        else:
            plain = base64.b64decode(initial + "==").decode(errors="replace")
            await self.push(f"535 5.7.8 refused {arg} (that is {plain!r})")


class Server(Controller):
    """aiosmtpd's threaded controller on 127.0.0.1 and a port the OS picks."""

    def __init__(self, handler: Handler, **kwargs: Any) -> None:
        self.faults: dict[str, Any] = {}
        super().__init__(handler, hostname="127.0.0.1", port=0, **kwargs)

    def factory(self) -> SMTP:
        return MisbehavingSMTP(self.handler, self.faults, **self.SMTP_kwargs)

    def _trigger_server(self) -> None:
        # Port 0 picks a free port; the controller's own first connection needs the real one.
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()

    @property
    def url_port(self) -> int:
        return int(self.port)


def accept_login(user: str, password: str) -> Any:
    """An authenticator that accepts exactly this user and password."""

    def authenticate(
        server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = auth_data.login == user.encode() and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False)

    return authenticate


# --- a self-signed certificate ----------------------------------------------------------------


@dataclass(frozen=True)
class Certificate:
    cert_pem: bytes
    cert_path: Path
    key_path: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_path, self.key_path)
        return context

    def client_context(self) -> ssl.SSLContext:
        """Trusts this certificate only (and checks the host name, as the default does)."""
        return ssl.create_default_context(cadata=self.cert_pem.decode())


def self_signed(directory: Path) -> Certificate:
    """A certificate for 127.0.0.1 and localhost, valid around the real "now" (TLS checks the
    validity against the system clock, whatever clock kpadmin is given)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kpadmin test mail server")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    cert_path = directory / "cert.pem"
    key_path = directory / "key.pem"
    cert_path.write_bytes(cert_pem)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificate(cert_pem, cert_path, key_path)
