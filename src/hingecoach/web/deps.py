"""FastAPI dependencies as ``Annotated`` aliases: the engine, the catalogue, the person."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from hingecoach.errors import AuthenticationError, PermissionDeniedError
from hingecoach.knowledge import Catalogue
from hingecoach.services import accounts
from hingecoach.services.accounts import Account
from hingecoach.services.views import ViewCache

__all__ = [
    "ApiAccount",
    "CatalogueDep",
    "ClientName",
    "EngineDep",
    "LoginRequiredError",
    "OwnTrainee",
    "PageAccount",
    "TodayDep",
    "TraineeAccount",
    "TrainerAccount",
    "ViewsDep",
    "VisibleTrainee",
    "cached_view",
    "in_writer",
    "session_account",
]

T = TypeVar("T")


class LoginRequiredError(Exception):
    """A page needs a signed-in person; the app answers with a redirect to /login."""

    def __init__(self, next_path: str, *, to_start: bool = False) -> None:
        super().__init__(next_path)
        self.next_path = next_path
        self.to_start = to_start  # signed in, but the first assessment comes first


# Dependencies that do no I/O are ``async``: FastAPI runs a plain ``def`` dependency in the
# thread pool, a hop that costs more than the dependency itself on every request.


async def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def _catalogue(request: Request) -> Catalogue:
    catalogue: Catalogue = request.app.state.catalogue
    return catalogue


async def _views(request: Request) -> ViewCache:
    views: ViewCache = request.app.state.views
    return views


async def _today() -> dt.date:
    return dt.date.today()


EngineDep = Annotated[Engine, Depends(_engine)]
CatalogueDep = Annotated[Catalogue, Depends(_catalogue)]
ViewsDep = Annotated[ViewCache, Depends(_views)]
TodayDep = Annotated[dt.date, Depends(_today)]


def session_account(app: Any, session: dict[str, Any]) -> Account | None:
    """The account of a signed-in browser's server-side session (None: signed out,
    revoked or past its lifetimes)."""
    from hingecoach.services.web_sessions import Lifetimes, account_for_session

    settings = app.state.settings
    lifetimes = Lifetimes.hours(settings.session_idle_hours, settings.session_max_hours)
    now = dt.datetime.now(dt.UTC)
    return account_for_session(app.state.engine, session.get("sid"), now, lifetimes)


async def _page_account(request: Request, engine: EngineDep) -> Account:
    # One indexed query, run on the event loop: cheaper than a hop to a thread.
    account = session_account(request.app, request.session)
    if account is None:
        request.session.clear()
        raise LoginRequiredError(request.url.path)
    request.state.account = account
    return account


PageAccount = Annotated[Account, Depends(_page_account)]


async def _trainee(account: PageAccount) -> Account:
    if account.role == "trainee" and (account.trainee_name is None or account.assessment_due):
        raise LoginRequiredError("/start", to_start=True)  # records come with the assessment
    if account.role != "trainee" or account.trainee_name is None:
        raise PermissionDeniedError("this page is for trainees; your clients are under Clients")
    return account


async def _trainer(account: PageAccount) -> Account:
    accounts.require_trainer(account)
    return account


TraineeAccount = Annotated[Account, Depends(_trainee)]
TrainerAccount = Annotated[Account, Depends(_trainer)]

_bearer = HTTPBearer(auto_error=False, description="A personal API token (see /account).")


async def _api_account(
    engine: EngineDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Account:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthenticationError("send your API token as 'Authorization: Bearer <token>'")
    return accounts.account_by_token(engine, credentials.credentials)


ApiAccount = Annotated[Account, Depends(_api_account)]


async def _visible_trainee(
    name: Annotated[str, Path(min_length=1, max_length=80, description="The trainee's name")],
    engine: EngineDep,
    account: ApiAccount,
) -> str:
    if account.role == "trainee":  # their own name or nothing: no database, no thread hop
        return accounts.require_trainee(engine, account, name)
    # a trainer's client: the check reads the database, so it runs in the thread pool
    return await run_in_threadpool(accounts.require_trainee, engine, account, name)


async def _own_trainee(account: TraineeAccount) -> str:
    assert account.trainee_name is not None  # a trainee page's account has its records
    return account.trainee_name


def _client_name(
    name: Annotated[str, Path(min_length=1, max_length=80, description="The client's name")],
    engine: EngineDep,
    account: TrainerAccount,
) -> str:
    return accounts.require_trainee(engine, account, name)


#: A trainee page's own trainee: the signed-in trainee's name (their records).
OwnTrainee = Annotated[str, Depends(_own_trainee)]
#: The ``{name}`` of a trainer's page, checked: one of their clients, else 404 (exactly as
#: a name that does not exist); someone who is not a trainer gets 403.
ClientName = Annotated[str, Depends(_client_name)]

#: The ``{name}`` of an API path, checked: a trainee sees only themselves, a trainer only
#: their clients (anyone else is 404, like a name that does not exist).
VisibleTrainee = Annotated[str, Depends(_visible_trainee)]


_WRITER: list[ThreadPoolExecutor] = []
_WRITER_LOCK = threading.Lock()


async def in_writer(fn: Callable[..., T], *args: Any) -> T:
    """Run a use case that writes (``UnitOfWork(write=True)``) in the process's one
    writer thread, first come first served.

    Writes to the database take turns anyway. Run from the thread pool, the waiting
    threads are woken in no set order (some wait far longer than others) and the one
    holding the turn shares the interpreter with dozens of others, so it holds it longer.
    Measured with 50 clients logging sessions at once: a shorter hold, more logs a second,
    and the slowest answer about half as slow.
    """
    with _WRITER_LOCK:
        if not _WRITER:
            _WRITER.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-writer"))
        writer = _WRITER[0]
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(writer, functools.partial(fn, *args))


async def cached_view(
    views: ViewCache, engine: Engine, name: str, key: Hashable, compute: Callable[[], T]
) -> T:
    """A cached view for an ``async`` route: the revision query and the lookup run on the
    event loop (a fraction of a millisecond); only a miss computes, in a thread."""
    revision, found, value = views.lookup(engine, name, key)
    if found:
        return value  # type: ignore[no-any-return]
    return await run_in_threadpool(views.fill, name, key, revision, compute)
