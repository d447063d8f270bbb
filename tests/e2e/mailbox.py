"""A real SMTP server (aiosmtpd) on loopback that offers a user and password login and keeps
what it is sent, for the tests of invitation and reset mail."""

from __future__ import annotations

import email
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

USER, PASSWORD = "mailer", "s3cret pass"


@dataclass
class Mailbox:
    url: str  # HINGECOACH_SMTP_URL for this server
    messages: list[Message] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    def link(self, to: str, path: str) -> str:
        """The last link to ``path`` (/invite/ or /reset/) in mail to ``to``."""
        for message in reversed(self.messages):
            if message["To"] == to:
                body = message.get_payload(decode=True)
                assert isinstance(body, bytes)
                found = re.search(r"https?://\S+" + re.escape(path) + r"\S+", body.decode())
                if found:
                    return found.group(0)
        raise AssertionError(f"no mail to {to} with a {path} link")


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.box.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    port = _free_port()
    box = Mailbox(url=f"smtp://{USER}:{PASSWORD.replace(' ', '%20')}@127.0.0.1:{port}")

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            USER.encode(),
            PASSWORD.encode(),
        )
        if ok:
            box.logins.append(USER)
        return AuthResult(success=ok)

    controller = _controller(box, port, authenticate)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def _controller(box: Mailbox, port: int, authenticate: Any) -> Any:
    from aiosmtpd.controller import Controller

    return Controller(
        _Handler(box),
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticate,
        auth_required=False,  # offered, and the tests check it was used (box.logins)
        auth_require_tls=False,
    )
