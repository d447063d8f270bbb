"""Invitations on Clients: a trainer adds a client by email, re-sends or withdraws.

The client is in the trainer's list at once, marked invited. With mail set up the link is
emailed; the page always shows it too, to copy and send another way.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hingecoach.errors import ConflictError, InputError
from hingecoach.services import account_links
from hingecoach.services.account_links import Invitation
from hingecoach.services.accounts import Account
from hingecoach.services.mail import MailError
from hingecoach.web.account_pages import link_url, mail_link
from hingecoach.web.deps import EngineDep, TodayDep, TrainerAccount
from hingecoach.web.pages import clients_page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _lifetime(request: Request) -> dt.timedelta:
    return dt.timedelta(days=request.app.state.settings.invite_days)


def _shown(request: Request, trainer: Account, invitation: Invitation) -> dict[str, Any]:
    """Mail the invitation when mail is set up; the link to copy either way."""
    url = link_url(request, f"/invite/{invitation.token}")
    body = (
        f"Hello {invitation.name},\n\n{trainer.display_name} invites you to train with "
        f"hingecoach. Open this link to choose your password and start:\n\n{url}\n\n"
        f"It works once, until {invitation.expires_at:%d %B %Y}.\n"
    )
    try:
        mailed = mail_link(request, invitation.email, f"{trainer.display_name} invites you", body)
    except MailError as exc:
        return {"invite_url": url, "invited": invitation, "mail_error": str(exc)}
    return {"invite_url": url, "invited": invitation, "mailed": mailed}


@router.post("/clients/invite", response_class=HTMLResponse)
def invite(
    request: Request,
    engine: EngineDep,
    account: TrainerAccount,
    today: TodayDep,
    email: Annotated[str, Form(max_length=254)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        invitation = account_links.invite_client(
            engine,
            account.id,
            email=email,
            name=name,
            now=dt.datetime.now(dt.UTC),
            lifetime=_lifetime(request),
        )
    except ConflictError:
        error = (
            "That email already has an account, so it cannot be invited. Ask them to sign in, "
            "or the site's operator to link it to you (hingecoach account link)."
        )
        return clients_page(request, engine, account, today, status=409, invite_error=error)
    except InputError as exc:
        error = str(exc).capitalize() + "."
        return clients_page(request, engine, account, today, status=422, invite_error=error)
    return clients_page(request, engine, account, today, **_shown(request, account, invitation))


@router.post("/clients/invited/{user_id}/resend", response_class=HTMLResponse)
def resend(
    request: Request, user_id: UserId, engine: EngineDep, account: TrainerAccount, today: TodayDep
) -> Response:
    invitation = account_links.resend_invitation(
        engine, account.id, user_id, dt.datetime.now(dt.UTC), _lifetime(request)
    )
    return clients_page(request, engine, account, today, **_shown(request, account, invitation))


@router.post("/clients/invited/{user_id}/withdraw")
def withdraw(user_id: UserId, engine: EngineDep, account: TrainerAccount) -> Response:
    account_links.withdraw_invitation(engine, account.id, user_id)
    return RedirectResponse("/clients?withdrawn=1", status_code=303)
