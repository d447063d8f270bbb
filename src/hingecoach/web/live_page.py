"""The live page, ``GET /live``: pose in the browser, coaching over the ``/live/ws`` socket.

The page (``templates/live.html``, ``static/live/live.js``) runs MediaPipe's
``PoseLandmarker`` on the phone's camera with the runtime and models the app serves itself
(``static/vendor/``, installed by ``scripts/vendor_live.py``), sends the landmarks over the
WebSocket of ``docs/live-protocol.md`` and shows what comes back: the rep count, the tempo,
the cues (also spoken), view problems, then the set's log and the next set.

A trainee opens it for themselves; a trainer for a client with ``?trainee=NAME``. Here the
server only renders the page with today's target; everything live is on the socket.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from hingecoach.coach.loads import available_loads
from hingecoach.errors import InputError
from hingecoach.knowledge import Catalogue, find_exercise
from hingecoach.services import accounts, coaching, trainees
from hingecoach.services.accounts import Account
from hingecoach.web.deps import CatalogueDep, EngineDep, PageAccount
from hingecoach.web.templating import render

__all__ = ["VENDOR_DIR", "available_models", "router"]

router = APIRouter(include_in_schema=False)

VENDOR_DIR = Path(__file__).parent / "static" / "vendor"
VENDOR_URL = "/static/vendor"
#: the page's order of preference: lite is about twice as fast on a phone's CPU
MODEL_ORDER = ("lite", "full")

TraineeParam = Annotated[str | None, Query(max_length=100, description="a client's name")]
ExerciseParam = Annotated[str | None, Query(max_length=80, description="an exercise id")]


def available_models(vendor_dir: Path = VENDOR_DIR) -> list[dict[str, str]]:
    """The pose models installed (best first), as ``{"name", "url"}``; none without set-up."""
    try:
        manifest = json.loads((vendor_dir / "manifest.json").read_text())
    except (OSError, ValueError):
        return []
    listed = manifest.get("models") if isinstance(manifest, dict) else None
    models = []
    for name in MODEL_ORDER:
        relative = f"models/pose_landmarker_{name}.task"
        if isinstance(listed, list) and name in listed and (vendor_dir / relative).is_file():
            models.append({"name": name, "url": f"{VENDOR_URL}/{relative}"})
    return models


def _whose(engine: EngineDep, account: Account, trainee: str | None) -> str:
    if account.role == "trainer":
        if not trainee:
            raise InputError("choose a client first: open the live page as /live?trainee=NAME")
        return accounts.require_trainee(engine, account, trainee)
    return accounts.require_trainee(engine, account, trainee or account.trainee_name or "")


def _target(
    engine: EngineDep, name: str, catalogue: Catalogue, exercise: str | None
) -> tuple[dict[str, Any] | None, str | None]:
    """Today's target for a live set (shown before the socket says ``ready``), or why there
    is none today."""
    today = coaching.today_for(engine, name, catalogue)
    rx = today.prescription
    if rx is None or today.decision.blocks_hinging:
        reason = " ".join(x for x in (today.decision.reason, today.decision.do_now) if x)
        return None, reason or "No hinging today."
    exercise_id, exercise_name = rx.exercise_id, rx.exercise_name
    loads: list[float] = []
    if rx.load_kg is not None:  # the loads this person can make, for the log's load choices
        equipment = trainees.get_trainee(engine, name).profile.equipment
        loads = list(available_loads(equipment, rx.load_mode))
    if exercise:
        ex = find_exercise(catalogue, exercise)
        exercise_id, exercise_name = ex.id, ex.name
    return {
        "exercise": exercise_id,
        "exercise_name": exercise_name,
        "sets": rx.sets,
        "reps": rx.reps.target if rx.reps is not None else None,
        "load": rx.load_label,
        "load_kg": rx.load_kg,
        "loads": loads,
        "tempo": {"down_s": rx.tempo.down_s, "up_s": rx.tempo.up_s},
        "timed": rx.seconds is not None,
    }, None


@router.get("/live", response_class=HTMLResponse)
def live_page(
    request: Request,
    engine: EngineDep,
    catalogue: CatalogueDep,
    account: PageAccount,
    trainee: TraineeParam = None,
    exercise: ExerciseParam = None,
) -> Response:
    name = _whose(engine, account, trainee)
    target, blocked = _target(engine, name, catalogue, exercise)
    config = {
        "socket": "/live/ws",
        "trainee": name if account.role == "trainer" else None,
        "exercise": exercise or None,
        "runtime": f"{VENDOR_URL}/tasks-vision",
        "models": available_models(),
        "target": target,
    }
    return render(
        request,
        "live.html",
        {
            "name": name,
            "trainer_view": account.role == "trainer",
            "target": target,
            "blocked": blocked,
            "config": config,
            "back": f"/clients/{quote(name, safe='')}" if account.role == "trainer" else "/today",
        },
    )
