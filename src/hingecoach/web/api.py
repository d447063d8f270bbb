"""The JSON API under /api/v1 (bearer tokens). Same use cases as the pages and the CLI."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Path, Query, Request, Response, status

from hingecoach.coach import Session
from hingecoach.services import accounts, attention, coaching, workouts
from hingecoach.services.coaching import Today
from hingecoach.store.records import DecisionRecord
from hingecoach.web.api_router import json_router
from hingecoach.web.deps import (
    ApiAccount,
    CatalogueDep,
    EngineDep,
    TodayDep,
    ViewsDep,
    VisibleTrainee,
)
from hingecoach.web.schemas import (
    AccountPublic,
    ClientPublic,
    DecisionPublic,
    MorningPainCreate,
    NextSetCreate,
    NextSetPublic,
    OverrideCreate,
    OverridePublic,
    SessionCreate,
    TodayPublic,
)

__all__ = ["router"]


router = json_router()

Name = Annotated[str, Path(min_length=1, max_length=80, description="The trainee's name")]
Last = Annotated[int | None, Query(ge=1, le=1000, description="Only the most recent N")]


def _today(result: Today) -> TodayPublic:
    return TodayPublic(
        decision_id=result.decision_id, decision=result.decision, prescription=result.prescription
    )


def _decision(record: DecisionRecord) -> DecisionPublic:
    return DecisionPublic(
        id=record.id,
        made_at=record.made_at,
        context=record.context,
        action=record.action,
        rules=list(record.rules),
        reason=record.reason,
        exercise_id=record.exercise_id,
        overrides=[
            OverridePublic(
                made_at=o.made_at, made_by=o.made_by, why=o.why, exercise_id=o.exercise_id
            )
            for o in record.overrides
        ],
    )


@router.get("/me", response_model=AccountPublic)
def me(account: ApiAccount) -> AccountPublic:
    """Who this token belongs to."""
    return AccountPublic(
        id=account.id,
        email=account.email,
        display_name=account.display_name,
        role=account.role,
        trainee_name=account.trainee_name,
        has_api_token=account.has_api_token,
    )


@router.get("/trainees", response_model=list[ClientPublic], responses={403: {}})
def trainees(
    engine: EngineDep, catalogue: CatalogueDep, account: ApiAccount, today: TodayDep
) -> list[ClientPublic]:
    """A trainer's clients, the ones needing attention first."""
    accounts.require_trainer(account)
    names = {e.id: e.name for e in catalogue.exercises.values()}
    return [
        ClientPublic(
            name=row.name,
            last_session=row.last_session,
            days_quiet=row.days_quiet,
            exercise_id=row.exercise_id,
            latest_action=row.latest_action,
            latest_rules=list(row.latest_rules),
            flags=list(row.flags),
            why=list(row.why),
        )
        for row in attention.clients_by_attention(engine, account.id, today, names)
    ]


@router.get("/trainees/{name}/today", response_model=TodayPublic)
def today(
    name: VisibleTrainee,
    engine: EngineDep,
    views: ViewsDep,
    catalogue: CatalogueDep,
    account: ApiAccount,
) -> TodayPublic:
    """Today's session and the decision behind it, with rule ids and reasons."""
    return _today(
        views.get(engine, name, "today", lambda: coaching.today_for(engine, name, catalogue))
    )


@router.get("/trainees/{name}/history", response_model=list[Session])
def history(
    name: VisibleTrainee, engine: EngineDep, account: ApiAccount, last: Last = None
) -> list[Session]:
    """Logged sessions, oldest first."""
    return coaching.list_sessions(engine, name, last=last)


@router.get("/trainees/{name}/decisions", response_model=list[DecisionPublic])
def decisions(
    name: VisibleTrainee, engine: EngineDep, account: ApiAccount, last: Last = None
) -> list[DecisionPublic]:
    """Every decision the coach made, oldest first, with overrides (who, when, why)."""
    return [_decision(r) for r in coaching.list_decisions(engine, name, last)]


@router.post(
    "/trainees/{name}/sessions",
    response_model=TodayPublic,
    status_code=status.HTTP_201_CREATED,
    responses={409: {}},
)
async def log_session(
    name: VisibleTrainee,
    body: SessionCreate,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: ApiAccount,
    today: TodayDep,
    request: Request,
    response: Response,
    confirm_spacing: Annotated[
        bool, Query(description="Log a hinge session under 48 h from another (R-PLAN-1)")
    ] = False,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            pattern=workouts.KEY_PATTERN,
            description="A key of your own for this session (8-64 letters, digits, - or _): "
            "the same POST again with the same key logs nothing more and answers 200 with "
            "the card as it is now, so a retried request never logs a session twice.",
        ),
    ] = None,
) -> TodayPublic:
    """Log a whole session; answers with the coach's decision for the next one. A hinge
    session under 48 h from another is refused with 409 unless ``confirm_spacing=true``.

    Logs that arrive together are committed together (group commit): each is answered
    once the batch holding it is durable, and one refused or failing log leaves its
    batch-mates stored."""
    import asyncio

    from hingecoach.services.group_commit import group_commit

    session = Session.model_validate(body.model_dump())
    item = workouts.log_item(
        name,
        session,
        catalogue,
        today,
        key=idempotency_key,
        confirmed=confirm_spacing,
        how_to_confirm="send it again with ?confirm_spacing=true",
    )
    group = group_commit(engine, request.app.state.settings.log_batch_max)
    result, stored = await asyncio.wrap_future(group.submit(item))
    if not stored:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
    return _today(result)


@router.post("/trainees/{name}/next-set", response_model=NextSetPublic)
def next_set(
    name: VisibleTrainee,
    body: NextSetCreate,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: ApiAccount,
) -> NextSetPublic:
    """Within a session: the next set after the sets logged so far, adjusted."""
    decision, nxt = coaching.next_set(engine, name, body.prescription, body.sets, catalogue)
    return NextSetPublic(decision=decision, next_set=nxt)


@router.post("/trainees/{name}/morning-pain", response_model=TodayPublic)
def morning_pain(
    name: VisibleTrainee,
    body: MorningPainCreate,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: ApiAccount,
) -> TodayPublic:
    """Next-morning pain for the latest session; the next session is decided again."""
    return _today(coaching.record_morning_pain(engine, name, body.pain, catalogue))


@router.post(
    "/trainees/{name}/decisions/{decision_id}/override",
    response_model=DecisionPublic,
    responses={403: {}},
)
def override(
    name: VisibleTrainee,
    decision_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: OverrideCreate,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: ApiAccount,
) -> DecisionPublic:
    """A trainer overrides a decision (recorded with who, when and why)."""
    accounts.require_trainer(account)
    coaching.override_decision(
        engine,
        name,
        decision_id,
        made_by=account.display_name,
        why=body.why,
        exercise_id=body.exercise_id,
        catalogue=catalogue,
    )
    record = next(r for r in coaching.list_decisions(engine, name) if r.id == decision_id)
    return _decision(record)
