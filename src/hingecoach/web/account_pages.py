"""The front door: sign up, set a password from an invitation or a reset link, forgot
password, change password and sign out everywhere (the Account page)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hingecoach.errors import AuthenticationError, ConflictError, InputError
from hingecoach.services import account_admin, account_links
from hingecoach.services.account_links import Purpose
from hingecoach.services.accounts import Account, create_account
from hingecoach.services.mail import send_mail
from hingecoach.services.web_sessions import end_all_sessions
from hingecoach.web.deps import EngineDep, PageAccount, session_account
from hingecoach.web.pages import sign_in
from hingecoach.web.templating import render

__all__ = ["link_url", "mail_link", "router"]

router = APIRouter(include_in_schema=False)

Password = Annotated[str, Form(max_length=1024)]
_TAKEN = (
    "An account with that email already exists. Sign in, or set a new password from "
    "'Forgot your password?'."
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def link_url(request: Request, path: str) -> str:
    """An absolute link for a message: HINGECOACH_BASE_URL, else where the request came."""
    base = request.app.state.settings.base_url or str(request.base_url).rstrip("/")
    return f"{base}{path}"


def mail_link(request: Request, to: str, subject: str, body: str) -> bool:
    """Mail a message when mail is set up; False when it is not (show the link instead)."""
    settings = request.app.state.settings
    if not settings.smtp_url:
        return False
    send_mail(settings.smtp_url, settings.mail_from, to, subject, body)
    return True


def _same_twice(password: str, again: str) -> None:
    if password != again:
        raise InputError("the two passwords differ; type the same one twice")


def _allowed(request: Request, email: str) -> bool:
    address = request.client.host if request.client else "unknown"
    return bool(request.app.state.login_limiter.allow(address, email.strip().lower()))


# ---------------------------------------------------------------- sign up


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request) -> Response:
    if not request.app.state.settings.signup:
        return render(request, "signup.html", {"off": True}, status=403)
    return render(request, "signup.html", {"values": {}})


@router.post("/signup", response_class=HTMLResponse)
def signup(
    request: Request,
    engine: EngineDep,
    email: Annotated[str, Form(max_length=254)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    password: Password = "",
    password_again: Password = "",
) -> Response:
    """A trainee signs up alone; then the first assessment."""
    if not request.app.state.settings.signup:
        return render(request, "signup.html", {"off": True}, status=403)
    values = {"email": email, "name": name}
    if not _allowed(request, email):
        error, status = "Too many attempts. Wait a minute, then try again.", 429
    else:
        try:
            _same_twice(password, password_again)
            account = create_account(
                engine, email=email, password=password, display_name=name, role="trainee"
            )
        except ConflictError:
            error, status = _TAKEN, 409
        except InputError as exc:
            error, status = str(exc).capitalize() + ".", 422
        else:
            sign_in(request, account)
            return RedirectResponse("/start", status_code=303)
    return render(request, "signup.html", {"values": values, "error": error}, status=status)


# ---------------------------------------------------------------- links


def _link_page(
    request: Request, engine: EngineDep, token: str, purpose: Purpose, error: str | None = None
) -> Response:
    try:
        holder = account_links.link_holder(engine, token, purpose, _now())
    except InputError as exc:
        return render(request, "set_password.html", {"refused": str(exc)}, status=410)
    current = session_account(request.app, request.session)
    if current is not None and current.id != holder.user_id:
        message = (
            f"You are signed in as {current.email}, and this link is for someone else. "
            "Sign out first, then open the link again."
        )
        return render(request, "set_password.html", {"refused": message}, status=403)
    values = {"holder": holder, "token": token, "error": error}
    return render(request, "set_password.html", values, status=422 if error else 200)


def _use_link(
    request: Request, engine: EngineDep, token: str, purpose: Purpose, password: str, again: str
) -> Response:
    try:
        _same_twice(password, again)
        account = account_links.use_link(engine, token, purpose, password, _now())
    except InputError as exc:
        return _link_page(request, engine, token, purpose, error=str(exc).capitalize() + ".")
    sign_in(request, account)
    return RedirectResponse(_after_password(account), status_code=303)


def _after_password(account: Account) -> str:
    if account.role == "trainer":
        return "/clients"
    return "/today" if account.trainee_name else "/start"


@router.get("/invite/{token}", response_class=HTMLResponse)
def invitation_page(request: Request, token: str, engine: EngineDep) -> Response:
    return _link_page(request, engine, token, "invite")


@router.post("/invite", response_class=HTMLResponse)
def accept_invitation(
    request: Request,
    engine: EngineDep,
    token: Annotated[str, Form(max_length=200)] = "",
    password: Password = "",
    password_again: Password = "",
) -> Response:
    return _use_link(request, engine, token, "invite", password, password_again)


@router.get("/reset/{token}", response_class=HTMLResponse)
def reset_page(request: Request, token: str, engine: EngineDep) -> Response:
    return _link_page(request, engine, token, "reset")


@router.post("/reset", response_class=HTMLResponse)
def reset_password(
    request: Request,
    engine: EngineDep,
    token: Annotated[str, Form(max_length=200)] = "",
    password: Password = "",
    password_again: Password = "",
) -> Response:
    return _use_link(request, engine, token, "reset", password, password_again)


# ---------------------------------------------------------------- forgot


@router.get("/forgot", response_class=HTMLResponse)
def forgot_page(request: Request) -> Response:
    return render(request, "forgot.html", {"mail": bool(request.app.state.settings.smtp_url)})


@router.post("/forgot", response_class=HTMLResponse)
def forgot(
    request: Request, engine: EngineDep, email: Annotated[str, Form(max_length=254)] = ""
) -> Response:
    """The same answer whether or not the email has an account."""
    settings = request.app.state.settings
    if not settings.smtp_url:
        return render(request, "forgot.html", {"mail": False}, status=409)
    if not _allowed(request, email):
        values = {"mail": True, "error": "Too many attempts. Wait a minute, then try again."}
        return render(request, "forgot.html", values, status=429)
    lifetime = dt.timedelta(hours=settings.reset_hours)
    found = account_links.reset_link(engine, email, _now(), lifetime)
    if found is not None:
        token, account = found
        body = (
            f"Hello {account.display_name},\n\nSomeone (we hope you) asked to set a new "
            f"password for hingecoach. Open this link to set one:\n\n"
            f"{link_url(request, '/reset/' + token)}\n\nIt works once, within "
            f"{settings.reset_hours:g} hours. If you did not ask, ignore this message: your "
            "password stays as it is.\n"
        )
        mail_link(request, account.email, "Set a new hingecoach password", body)
    return render(
        request, "forgot.html", {"mail": True, "sent": True, "hours": settings.reset_hours}
    )


# ---------------------------------------------------------------- account


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    engine: EngineDep,
    account: PageAccount,
    current: Password = "",
    password: Password = "",
    password_again: Password = "",
) -> Response:
    try:
        _same_twice(password, password_again)
        account_admin.change_password(
            engine, account.id, current, password, _now(), keep=request.session.get("sid")
        )
    except AuthenticationError as exc:
        values = {"token": None, "password_error": str(exc).capitalize() + "."}
        return render(request, "account.html", values, status=401)
    except InputError as exc:
        values = {"token": None, "password_error": str(exc).capitalize() + "."}
        return render(request, "account.html", values, status=422)
    message = "Password changed. Your other sign-ins have ended; this one stays."
    return render(request, "account.html", {"token": None, "password_saved": message})


@router.post("/account/sign-out-everywhere", response_class=HTMLResponse)
def sign_out_everywhere(request: Request, engine: EngineDep, account: PageAccount) -> Response:
    ended = end_all_sessions(engine, account.id)
    request.session.clear()
    request.state.account = None
    return render(request, "signed_out.html", {"ended": ended})
