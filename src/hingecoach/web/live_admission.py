"""Who may open a live coaching socket (``/live/ws``): a browser on this site, while the
server has room, signed in as the trainee coached or their trainer, under the per-account
cap. A socket refused gets one event and a close code (``docs/live-protocol.md``)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket, WebSocketDisconnect

from hingecoach.errors import HingecoachError
from hingecoach.services import accounts
from hingecoach.web.deps import session_account
from hingecoach.web.live_protocol import (
    CLOSE_POLICY,
    CLOSE_TRY_LATER,
    busy_text,
    refusal_text,
    too_many_live_message,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from hingecoach.web.live_hub import LiveHub

__all__ = ["Admitted", "admitted"]


@dataclass(frozen=True)
class Admitted:
    account_id: int
    trainee: str


@contextlib.asynccontextmanager
async def admitted(websocket: WebSocket, hub: LiveHub) -> AsyncIterator[Admitted | None]:
    """Accept the socket and hold its slots while the block runs; None: it was refused."""
    if not _same_origin(websocket):
        await websocket.close(code=CLOSE_POLICY)  # before accepting: the handshake is refused
        yield None
        return
    await websocket.accept()
    if not hub.try_admit():
        await websocket.send_text(busy_text())
        await websocket.close(code=CLOSE_TRY_LATER)
        yield None
        return
    try:
        who = await _who(websocket, hub)
        if not isinstance(who, Admitted):
            await _refuse(websocket, *who)
            yield None
            return
        try:
            yield who
        finally:
            hub.release_account(who.account_id)
    finally:
        hub.release()


async def _who(websocket: WebSocket, hub: LiveHub) -> Admitted | tuple[str, str]:
    """The person and the trainee coached, or why not (an error code and message)."""
    app = websocket.app
    account = await run_in_threadpool(session_account, app, websocket.session)
    if account is None:
        return "login-required", "sign in first, then open the live page"
    asked = websocket.query_params.get("trainee")
    try:
        trainee = await run_in_threadpool(_trainee_for, app.state.engine, account, asked)
    except (PermissionError, HingecoachError) as exc:
        return "forbidden", str(exc)
    if not hub.try_admit_account(account.id):
        return "too-many-live", too_many_live_message(hub.max_per_user)
    return Admitted(account.id, trainee)


def _same_origin(ws: WebSocket) -> bool:
    """A browser always sends Origin on a WebSocket: it must be this site (no cross-site
    sockets riding on the session cookie). Scripts that send none are judged by the cookie."""
    origin = ws.headers.get("origin")
    if origin is None:
        return True
    host = (ws.headers.get("host") or "").lower()
    secure = ws.url.scheme == "wss" or ws.app.state.settings.cookie_secure
    parts = urlsplit(origin)
    scheme_ok = parts.scheme == ("https" if secure else "http")
    return bool(host) and scheme_ok and parts.netloc.lower() == host


def _trainee_for(engine: Engine, account: accounts.Account, asked: str | None) -> str:
    if account.role == "trainee":
        if account.trainee_name is None or (asked is not None and asked != account.trainee_name):
            raise PermissionError("you can coach your own sets only")
        return account.trainee_name
    if not asked:
        raise PermissionError("name your client: /live/ws?trainee=NAME")
    return accounts.require_trainee(engine, account, asked)


async def _refuse(websocket: WebSocket, code: str, message: str) -> None:
    with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):
        await websocket.send_text(refusal_text(code, message))
        await websocket.close(code=CLOSE_POLICY)
