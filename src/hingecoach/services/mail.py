"""Mail for invitations and password resets, through the operator's SMTP server.

``HINGECOACH_SMTP_URL`` says where: ``smtp://user:password@host:587`` (STARTTLS when the
server offers it) or ``smtps://user:password@host:465`` (TLS from the start); user and
password are optional and %-encoded in the URL. Without it nothing is sent and the pages
show the link instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from hingecoach.errors import InputError

__all__ = ["MailError", "SmtpServer", "send_mail"]

SMTP_TIMEOUT_S = 20.0


class MailError(InputError):
    """The mail server refused or could not be reached; the message says which."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    tls: bool  # smtps: TLS from the start
    user: str | None
    password: str | None

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise InputError(
                "HINGECOACH_SMTP_URL looks like smtp://user:password@host:587 or "
                f"smtps://user:password@host:465, not {parts.scheme or 'no scheme'}://..."
            )
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 25)
        except ValueError:
            raise InputError("HINGECOACH_SMTP_URL has a port that is not a number") from None
        return cls(
            host=parts.hostname,
            port=port,
            tls=parts.scheme == "smtps",
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


def send_mail(url: str, sender: str, to: str, subject: str, body: str) -> None:
    """Send one plain-text message; a refusal or an unreachable server is a MailError."""
    import smtplib
    import ssl

    server = SmtpServer.from_url(url)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(body)
    context = ssl.create_default_context()
    try:
        smtp: smtplib.SMTP
        if server.tls:
            smtp = smtplib.SMTP_SSL(
                server.host, server.port, timeout=SMTP_TIMEOUT_S, context=context
            )
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT_S)
        with smtp:
            if not server.tls:
                smtp.ehlo()
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=context)
                    smtp.ehlo()
            if server.user is not None:
                smtp.login(server.user, server.password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(
            f"the mail server at {server.host}:{server.port} did not take the message "
            f"({type(exc).__name__}: {exc}); check HINGECOACH_SMTP_URL"
        ) from None
