"""Email through an SMTP server: the chat's offline replies and notices, and reminders.

A server is a URL, `smtp://[user:password@]host[:port]?from=shop@example.com`; `smtps://`
for TLS from the first byte (port 465), `smtp+starttls://` to upgrade a plain connection
(port 587). User and password are URL-encoded. The shop's own (set on the app page, see
`store/mail_server.py`) serves when set, else the operator's `PROACTIVE_SMTP_URL`. Without
either the offline path still collects the email, and the staff see it in the inbox, but
nothing is sent.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import smtplib
import socket
import ssl
import threading
from dataclasses import dataclass
from email.generator import BytesGenerator
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..saleor.addresses import public_addresses

logger = logging.getLogger(__name__)

SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
TLS = {"smtp": "none", "smtp+starttls": "starttls", "smtps": "tls"}
TIMEOUT_SECONDS = 10
# One `local@domain`: nothing that could end a header line or add a recipient.
ADDRESS = re.compile(r"[^@\s<>,;\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")
SUBJECTS = {
    "en": "Your conversation with {shop}",
    "es": "Tu conversación con {shop}",
    "fr": "Votre conversation avec {shop}",
    "de": "Ihr Gespräch mit {shop}",
    "it": "La tua conversazione con {shop}",
    "pt": "A sua conversa com {shop}",
}
CONTINUE = {
    "en": "Continue the conversation:",
    "es": "Continúa la conversación:",
    "fr": "Poursuivre la conversation :",
    "de": "Gespräch fortsetzen:",
    "it": "Continua la conversazione:",
    "pt": "Continue a conversa:",
}


class SmtpUrlError(ValueError):
    pass


class DeliveryUnknown(smtplib.SMTPException):
    """The connection broke after the message was handed over, before the server's answer:
    it may have been delivered, so sending it again may send it twice."""


@dataclass(frozen=True)
class SmtpConfig:
    scheme: str
    host: str
    port: int
    username: str | None
    password: str | None
    sender: str
    # A merchant's server: connect only where its name resolves to public addresses, so that
    # the setting cannot aim the app at its own network (the operator's server is trusted).
    public_only: bool = False

    @property
    def tls(self) -> str:
        """`tls` (from the first byte), `starttls` or `none`."""
        return TLS[self.scheme]


def parse_smtp_url(url: str) -> SmtpConfig:
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise SmtpUrlError(f"must start with {', '.join(s + '://' for s in SCHEMES)}")
    if not parts.hostname:
        raise SmtpUrlError("needs a host")
    try:
        port = parts.port or SCHEMES[parts.scheme]
    except ValueError:
        raise SmtpUrlError("has an invalid port") from None
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - {"from"})
    if unknown:  # e.g. `tls=`: the scheme chooses TLS; an ignored option would mislead
        raise SmtpUrlError(
            f"has an unknown option `{unknown[0]}` (TLS is chosen by the scheme: "
            "smtps:// or smtp+starttls://)"
        )
    senders = query.get("from") or []
    if len(senders) != 1 or not ADDRESS.fullmatch(senders[0]):
        raise SmtpUrlError("needs ?from=<sender address>")
    return SmtpConfig(
        scheme=parts.scheme,
        host=parts.hostname,
        port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        sender=senders[0],
    )


def reply_email(
    config: SmtpConfig, to: str, shop: str, body: str, link: str, locale: str | None
) -> EmailMessage:
    """Plain text only: what the staff wrote is never markup."""
    language = (locale or "en").split("-")[0].lower()
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = to
    message["Subject"] = SUBJECTS.get(language, SUBJECTS["en"]).format(shop=shop)
    message.set_content(f"{body}\n\n{CONTINUE.get(language, CONTINUE['en'])}\n{link}\n")
    return message


def new_conversation_email(config: SmtpConfig, to: str, shop: str, first_line: str) -> EmailMessage:
    """To the shop's staff, in English like the app page; the visitor's line as plain text."""
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = to
    message["Subject"] = f"New chat on {shop}"
    message.set_content(
        f"A visitor wrote while nobody was online:\n\n{first_line}\n\n"
        "Answer in the Saleor Dashboard: Apps, Proactive, the Chat tab. If the visitor left an "
        "email, your reply reaches them there.\n"
    )
    return message


def send(config: SmtpConfig, message: EmailMessage) -> None:
    context = _tls_context() if config.scheme != "smtp" else None
    with _connect(config, context) as client:
        if config.scheme == "smtp+starttls":
            client.starttls(context=context)
        if config.username:
            client.login(config.username, config.password or "")
        _hand_over(client, config.sender, str(message["To"]), message)


def _hand_over(client: smtplib.SMTP, sender: str, to: str, message: EmailMessage) -> None:
    """MAIL, RCPT and DATA one by one (what `send_message` does at once), so that a failure
    before DATA (nothing sent: safe to retry) is told from a break during it (unknown)."""
    client.ehlo_or_helo_if_needed()
    code, reply = client.mail(sender)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = client.rcpt(to)
    if code not in (250, 251):
        raise smtplib.SMTPRecipientsRefused({to: (code, reply)})
    try:
        code, reply = client.data(_wire_bytes(message))
    except smtplib.SMTPResponseException:
        raise  # the server answered: a refusal is definite, nothing was delivered
    except OSError as error:  # a broken connection (SMTPServerDisconnected is an OSError too)
        raise DeliveryUnknown(f"connection lost during DATA: {type(error).__name__}") from error
    if code != 250:  # `data` returns the final answer rather than raising on it
        raise smtplib.SMTPDataError(code, reply)


def _wire_bytes(message: EmailMessage) -> bytes:
    """The message as `send_message` puts it on the wire (CRLF, long lines folded)."""
    buffer = io.BytesIO()
    policy = message.policy.clone(linesep="\r\n")
    BytesGenerator(buffer, policy=policy).flatten(message, linesep="\r\n")
    return buffer.getvalue()


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One per process: loading the system's certificates takes tens of milliseconds, which
    a backlog of reminders would pay per message."""
    return ssl.create_default_context()


def _connect(config: SmtpConfig, context: ssl.SSLContext | None) -> smtplib.SMTP:
    if config.scheme == "smtps":
        secure = _PublicSMTPSSL if config.public_only else smtplib.SMTP_SSL
        return secure(config.host, config.port, timeout=TIMEOUT_SECONDS, context=context)
    plain = _PublicSMTP if config.public_only else smtplib.SMTP
    return plain(config.host, config.port, timeout=TIMEOUT_SECONDS)


class _PublicSMTP(smtplib.SMTP):
    """Connects to the very addresses it checked are public (a name that resolves differently
    the second time cannot slip through); TLS still verifies the host name."""

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        error: OSError | None = None
        for address in public_addresses(host, port):  # NonPublicAddress, an OSError
            try:
                return socket.create_connection((address, port), timeout, self.source_address)
            except OSError as failed:
                error = failed
        raise error or OSError(f"{host} has no address")


class _PublicSMTPSSL(smtplib.SMTP_SSL, _PublicSMTP):
    """`SMTP_SSL` wraps the socket `_PublicSMTP` opened (its `super()` is `_PublicSMTP`)."""


def send_after_commit(session: Session, config: SmtpConfig, message: EmailMessage) -> None:
    """Send once the reply is stored, in the background: a slow mail server must not hold the
    staff's request, and a rolled-back reply must not be mailed."""

    def deliver() -> None:
        try:
            send(config, message)
        except (OSError, smtplib.SMTPException):
            logger.exception("chat reply email to %s failed", message["To"])

    def on_commit(_session: Session) -> None:
        threading.Thread(target=deliver, name="chat-mail", daemon=True).start()

    event.listen(session, "after_commit", on_commit, once=True)
