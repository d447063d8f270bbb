"""Invariants no history can break (issue 15), under Hypothesis.

Each property names the rule it guards. Generated people, equipment and histories come from
``test_properties``. ``HINGECOACH_FUZZ_EXAMPLES`` raises the number of examples for a
nightly-size run (``make fuzz-coach``); a failure prints the blob that reproduces it.
"""

from __future__ import annotations

import os
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hingecoach.coach import Action, History, Profile, adjust_set, available_loads, prescribe
from hingecoach.coach.defaults import RPE_ADJUST_CAP_PCT, RPE_ADJUST_ROUNDING_SLACK_PCT
from hingecoach.coach.loads import round_down

from .test_properties import HINGES, _last_hinge, cat, histories, profiles, set_logs

INVARIANTS = settings(
    max_examples=int(os.environ.get("HINGECOACH_FUZZ_EXAMPLES", "150")),
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_PROGRESSING = (Action.PROGRESS, Action.ADD_LOAD)
_KEEP_KG = re.compile(r"Keep (\d+(?:\.\d+)?) kg")


def _decide(who: Profile, history: History, start: str) -> Any:
    last = _last_hinge(history)
    return prescribe(
        who, history, cat(), placement_or_current_exercise=None if last else start
    ), last


@INVARIANTS
@given(st.data(), profiles)
def test_r_safe_3_pain_3_or_more_never_comes_with_a_progression(data: Any, who: Profile) -> None:
    history = data.draw(histories(who, max_sessions=8))
    (decision, _), last = _decide(who, history, data.draw(st.sampled_from(HINGES)))
    if last is not None and any(s.pain >= 3 for s in last.sets):
        assert decision.action not in _PROGRESSING, decision.reason


@INVARIANTS
@given(st.data(), profiles)
def test_r_safe_3_r_safe_4_stopping_pain_always_says_what_to_do_now(
    data: Any, who: Profile
) -> None:
    """Pain 6+ or a stopping pain quality: no hinging on the same rung, and what to do now."""
    history = data.draw(histories(who, pain=st.integers(0, 10), max_sessions=6))
    (decision, rx), last = _decide(who, history, data.draw(st.sampled_from(HINGES)))
    if last is None:
        return
    if any(s.pain >= 6 or s.stopping_qualities for s in last.sets):
        assert decision.action in (Action.STOP, Action.STEP_DOWN, Action.REFER, Action.EMERGENCY)
        assert decision.do_now
        assert rx is None or rx.exercise_id != last.exercise_id or decision.action is Action.STOP


@INVARIANTS
@given(st.data(), profiles)
def test_r_rx_6_every_kg_the_reason_keeps_is_the_prescription_s(data: Any, who: Profile) -> None:
    history = data.draw(histories(who, max_sessions=8))
    (decision, rx), _ = _decide(who, history, data.draw(st.sampled_from(HINGES)))
    if rx is None:
        return
    kept = [float(k) for k in _KEEP_KG.findall(decision.reason)]
    if kept and rx.load_kg is not None and decision.action is Action.HOLD:
        assert kept[-1] == rx.load_kg, (decision.reason, rx.load_kg)


@INVARIANTS
@given(st.data(), profiles, st.sampled_from(HINGES))
def test_r_prog_6_within_a_session_a_load_never_jumps_beyond_the_cap(
    data: Any, who: Profile, start: str
) -> None:
    """The next set's load is within the R-PROG-6 cap (plus one rounding step) of the load
    planned or lifted, and always one the person can make (R-RX-6)."""
    _, rx = prescribe(who, History(), cat(), placement_or_current_exercise=start)
    assert rx is not None
    loads = available_loads(who.equipment, rx.load_mode)
    sets = data.draw(st.lists(set_logs(loads), max_size=6))
    limit = 1 + RPE_ADJUST_CAP_PCT + RPE_ADJUST_ROUNDING_SLACK_PCT + 1e-6
    before = rx.load_kg
    for k in range(1, len(sets) + 1):
        _, nxt = adjust_set(who, rx, sets[:k], cat())
        if nxt is None:
            break
        lifted = sets[k - 1].load_kg
        base = [x for x in (before, lifted) if x is not None]
        if nxt.load_kg is not None and base:
            ceiling = max(round_down(b, loads) or b for b in base)
            assert nxt.load_kg <= ceiling * limit
            assert nxt.load_kg in loads
        before = nxt.load_kg


@INVARIANTS
@given(st.data(), profiles)
def test_the_decision_is_the_same_after_a_round_trip_through_json(data: Any, who: Profile) -> None:
    """Files and the database both store the history as JSON: the decision cannot differ."""
    history = data.draw(histories(who, max_sessions=8))
    start = data.draw(st.sampled_from(HINGES))
    (decision, rx), _ = _decide(who, history, start)
    again = History.model_validate_json(history.model_dump_json())
    (decision2, rx2), _ = _decide(who, again, start)
    assert decision2 == decision and rx2 == rx
