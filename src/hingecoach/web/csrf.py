"""CSRF protection for the pages: a signed double-submit token, for every form kind.

Why our own and not a package: ``asgi-csrf`` 0.11 (its latest release) breaks on any
multipart body with the python-multipart that carries the CVE-2026-40347 fix (its
``FormParser(FileClass=...)`` call is gone; simonw/asgi-csrf#38, open), and it skips the
check for any request with ``Authorization: Bearer``, cookie or not. ``starlette-csrf``
reads the token from a header only (plain HTML forms cannot send one);
``fastapi-csrf-protect`` is a dependency each handler must remember to call. The parts
that matter are from maintained libraries: the token is signed with ``itsdangerous``,
compared with ``secrets.compare_digest``, and multipart bodies are read with
``python-multipart``'s streaming parser.

How it works: a browser gets a ``csrftoken`` cookie (a random value, signed) the first
time a page asks for the token (``scope["csrftoken"]()``, as the templates do). Every
POST, PUT, PATCH or DELETE outside the bearer-only API must send the same value, in the
``x-csrftoken`` header (HTMX) or a ``csrftoken`` form field (urlencoded or multipart; in
a multipart form the field must come before any file). Nothing else skips the check.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from itsdangerous import BadSignature, URLSafeSerializer
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CsrfMiddleware"]

COOKIE = "csrftoken"
FIELD = "csrftoken"
_HEADER = b"x-csrftoken"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class _TokenFinder:
    """Feeds a multipart body to python-multipart until the ``csrftoken`` field is read."""

    def __init__(self, boundary: bytes) -> None:
        self.token: str | None = None
        self.done = False  # the token is read, or a file came first, or the body ended
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._in_token = False
        self._data = bytearray()
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._part_begin,
                "on_header_field": self._header_field,
                "on_header_value": self._header_value_part,
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": self._part_data,
                "on_part_end": self._part_end,
                "on_end": self._end,
            },
        )

    def feed(self, chunk: bytes) -> None:
        if not self.done:
            self._parser.write(chunk)

    def _part_begin(self) -> None:
        self._disposition = b""

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_value_part(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = self._header_value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        if b"filename" in options:
            self.done = True  # a file before the token: refused, nothing more is read
        self._in_token = options.get(b"name") == FIELD.encode()

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_token and len(self._data) < 512:
            self._data += data[start:end]

    def _part_end(self) -> None:
        if self._in_token and not self.done:
            self.token = self._data.decode("utf-8", "replace")
            self.done = True

    def _end(self) -> None:
        self.done = True


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value)
    return None


def _cookie(scope: Scope) -> str | None:
    raw = _header(scope, b"cookie")
    if raw is None:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw.decode("latin-1"))
    except Exception:  # a malformed Cookie header: as if there were none
        return None
    morsel = jar.get(COOKIE)
    return morsel.value if morsel is not None else None


async def _form_token(scope: Scope, receive: Receive) -> tuple[str | None, list[Message]]:
    """The ``csrftoken`` field of the body, and the messages read to find it (replayed)."""
    kind, options = parse_options_header(_header(scope, b"content-type") or b"")
    read: list[Message] = []
    finder = _TokenFinder(options[b"boundary"]) if b"boundary" in options else None
    if kind not in (b"multipart/form-data", b"application/x-www-form-urlencoded"):
        return None, read
    if kind == b"multipart/form-data" and finder is None:
        return None, read
    more = True
    while more and not (finder is not None and finder.done):
        message = await receive()
        read.append(message)
        more = message["type"] == "http.request" and bool(message.get("more_body"))
        if finder is not None and message["type"] == "http.request":
            try:
                finder.feed(message.get("body", b""))
            except Exception:  # not multipart after all: no token found
                return None, read
    if finder is not None:
        return finder.token, read
    body = b"".join(m.get("body", b"") for m in read if m["type"] == "http.request")
    values = parse_qs(body.decode("latin-1"), max_num_fields=1000).get(FIELD)
    return (values[0] if values else None), read


def _same(given: str, known: str) -> bool:
    return secrets.compare_digest(given.encode("utf-8", "replace"), known.encode())


def _replaying(read: list[Message], receive: Receive) -> Receive:
    pending = list(read)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay


class CsrfMiddleware:
    """ASGI middleware: refuses unsafe requests whose token does not match the cookie."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        secret: str,
        cookie_secure: bool,
        skip: Callable[[Scope], bool],
        failed: ASGIApp,
    ) -> None:
        self.app = app
        self._signer = URLSafeSerializer(secret, salt="csrftoken")
        self._secure = cookie_secure
        self._skip = skip
        self._failed = failed

    def _valid(self, value: str | None) -> str | None:
        if not value:
            return None
        try:
            self._signer.loads(value)
        except BadSignature:
            return None
        return value

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._skip(scope):
            await self.app(scope, receive, send)
            return
        known = self._valid(_cookie(scope))
        token = known or str(self._signer.dumps(secrets.token_urlsafe(24)))
        asked = False

        def get_token() -> str:
            nonlocal asked
            asked = True
            return token

        scope["csrftoken"] = get_token
        if scope["method"] not in _SAFE:
            sent = _header(scope, _HEADER)
            if sent is not None:
                given: str | None = sent.decode("latin-1")
            else:
                given, read = await _form_token(scope, receive)
                receive = _replaying(read, receive)
            if known is None or given is None or not _same(given, known):
                await self._failed(scope, receive, send)
                return

        async def with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and asked and known is None:
                cookie = f"{COOKIE}={token}; Path=/; SameSite=Lax; HttpOnly"
                if self._secure:
                    cookie += "; Secure"
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"set-cookie", cookie.encode())]
            await send(message)

        await self.app(scope, receive, with_cookie)
