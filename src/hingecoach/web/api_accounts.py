"""The JSON API for new clients: a trainer invites one (and gets the link), and an
assessment's answers go in with the placement coming out (the use case
``hingecoach assess`` and /start run)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Path, Request, status
from pydantic import BaseModel, Field

from hingecoach.coach import Decision, Placement, ScreenAnswers
from hingecoach.services import account_links, accounts
from hingecoach.services.coaching import assess_trainee
from hingecoach.services.mail import MailError
from hingecoach.web.account_pages import link_url, mail_link
from hingecoach.web.api_router import json_router
from hingecoach.web.deps import (
    ApiAccount,
    CatalogueDep,
    EngineDep,
    TodayDep,
    VisibleTrainee,
    in_writer,
)

__all__ = ["router"]

router = json_router()
Name = Annotated[str, Path(min_length=1, max_length=80, description="The trainee's name")]


class ClientCreate(BaseModel):
    email: str = Field(max_length=254, description="The new client's email")
    name: str = Field(min_length=1, max_length=80, description="Their name, as shown")


class InvitationPublic(BaseModel):
    email: str
    name: str
    invite_url: str = Field(description="Single use; send it to them unless it was mailed")
    expires_at: dt.datetime
    mailed: bool = Field(description="Whether the app emailed the link (HINGECOACH_SMTP_URL)")


class AssessmentPublic(BaseModel):
    decision: Decision
    placement: Placement


@router.post(
    "/trainees",
    response_model=InvitationPublic,
    status_code=status.HTTP_201_CREATED,
    responses={403: {"description": "Not a trainer"}, 409: {"description": "Email taken"}},
)
def create_client(
    request: Request, body: ClientCreate, engine: EngineDep, account: ApiAccount
) -> InvitationPublic:
    """A trainer adds a client by email: they are in the trainer's list at once, invited,
    and the link (single use, 7 days) lets them set a password."""
    accounts.require_trainer(account)
    settings = request.app.state.settings
    invitation = account_links.invite_client(
        engine,
        account.id,
        email=body.email,
        name=body.name,
        now=dt.datetime.now(dt.UTC),
        lifetime=dt.timedelta(days=settings.invite_days),
    )
    url = link_url(request, f"/invite/{invitation.token}")
    text = (
        f"Hello {invitation.name},\n\n{account.display_name} invites you to train with "
        f"hingecoach. Open this link to choose your password and start:\n\n{url}\n\n"
        f"It works once, until {invitation.expires_at:%d %B %Y}.\n"
    )
    try:
        mailed = mail_link(request, invitation.email, f"{account.display_name} invites you", text)
    except MailError:
        mailed = False
    return InvitationPublic(
        email=invitation.email,
        name=invitation.name,
        invite_url=url,
        expires_at=invitation.expires_at,
        mailed=mailed,
    )


@router.post(
    "/trainees/{name}/assessment",
    response_model=AssessmentPublic,
    status_code=status.HTTP_201_CREATED,
    responses={404: {"description": "No such trainee among the ones you can see"}},
)
async def assess(
    name: VisibleTrainee,
    answers: ScreenAnswers,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: ApiAccount,
    today: TodayDep,
) -> AssessmentPublic:
    """The red-flag questions and screens in, the safety decision and placement out
    (recorded, as `hingecoach assess` does)."""
    result = await in_writer(assess_trainee, engine, name, answers, catalogue, today)
    return AssessmentPublic(decision=result.decision, placement=result.placement)
