"""R-FORM-5 refusals with stable codes, side choice, and the usable stretch (R-FORM-1)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from hingecoach.form import PoseSequence, ViewRefusedError
from hingecoach.form.errors import REFUSAL_CODES
from hingecoach.form.kinematics import choose_side, facing_sign
from hingecoach.form.pose import LM
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS
from hingecoach.form.view import check_view
from tests.unit.form.synthetic import Motion, make_sequence, then


def _no_person() -> PoseSequence:
    seq = make_sequence(Motion(reps=1))
    lm = seq.landmarks.copy()
    lm[:, :, :2] = np.nan
    lm[:, :, 3] = 0.0
    return PoseSequence(lm, seq.times_s, seq.width_px, seq.height_px)


def _several_people() -> PoseSequence:
    seq = make_sequence(Motion(reps=2))
    return PoseSequence(
        seq.landmarks, seq.times_s, seq.width_px, seq.height_px, people=np.full(len(seq), 2)
    )


def _feet_cut_off() -> PoseSequence:
    seq = make_sequence(Motion(reps=2))
    lm = seq.landmarks.copy()
    lm[:, :, 1] -= 0  # the figure stands low in a frame cropped above the knees
    return PoseSequence(lm, seq.times_s, seq.width_px, int(seq.height_px * 0.62))


def _thigh_collapses_at_each_bottom() -> PoseSequence:
    """A plate hides the body at every rep bottom: the model pulls the knee up to the hip."""
    seq = make_sequence(Motion(reps=4))
    lm = seq.landmarks.copy()
    shoulder_y = lm[:, LM.LEFT_SHOULDER, 1]
    deep = shoulder_y >= np.percentile(shoulder_y, 85)
    for knee, hip in ((LM.LEFT_KNEE, LM.LEFT_HIP), (LM.RIGHT_KNEE, LM.RIGHT_HIP)):
        lm[deep, knee, :2] = lm[deep, hip, :2] + 0.3 * (lm[deep, knee, :2] - lm[deep, hip, :2])
    return PoseSequence(lm, seq.times_s, seq.width_px, seq.height_px)


def _limbs_jump_all_along() -> PoseSequence:
    """A silhouette the model cannot place: every other few frames the shins shrink."""
    seq = make_sequence(Motion(reps=3))
    lm = seq.landmarks.copy()
    wrong = (np.arange(len(seq)) // 4) % 2 == 1
    for ankle, knee in ((LM.LEFT_ANKLE, LM.LEFT_KNEE), (LM.RIGHT_ANKLE, LM.RIGHT_KNEE)):
        lm[wrong, ankle, :2] = lm[wrong, knee, :2] + 0.3 * (
            lm[wrong, ankle, :2] - lm[wrong, knee, :2]
        )
    return PoseSequence(lm, seq.times_s, seq.width_px, seq.height_px)


CASES: list[tuple[str, str, Callable[[], PoseSequence]]] = [
    ("R-FORM-5", "no-person", _no_person),
    ("R-FORM-5", "several-people", _several_people),
    ("R-FORM-5", "not-side-view", lambda: make_sequence(Motion(front_view=True))),
    ("R-FORM-5", "body-cut-off", _feet_cut_off),
    ("R-FORM-5", "body-occluded", _thigh_collapses_at_each_bottom),
    ("R-FORM-5", "pose-unreliable", _limbs_jump_all_along),
]


@pytest.mark.parametrize(("rule", "code", "make"), CASES, ids=[c[1] for c in CASES])
def test_refusals_have_a_stable_code_and_say_what_to_refilm(
    rule: str, code: str, make: Callable[[], PoseSequence]
) -> None:
    with pytest.raises(ViewRefusedError) as err:
        check_view(make())
    assert err.value.code == code
    assert err.value.exit_code == 3
    assert any(word in str(err.value) for word in ("film", "phone", "step back"))


def test_every_refusal_code_is_covered() -> None:
    assert {c[1] for c in CASES} == set(REFUSAL_CODES)


def test_recorded_front_view_is_refused(track: Callable[[str], PoseSequence]) -> None:
    """R-FORM-5: a real front view (goblet squat filmed from the front)."""
    with pytest.raises(ViewRefusedError) as err:
        check_view(track("goblet-squat-front"))
    assert err.value.code == "not-side-view"


@pytest.mark.parametrize(
    "name", ["kb-deadlift-clean", "bw-squat", "deadlift-heel-lift", "good-morning-knees-locked"]
)
def test_recorded_side_views_are_accepted(track: Callable[[str], PoseSequence], name: str) -> None:
    """R-FORM-1: a side view within about 20 deg."""
    view = check_view(track(name))
    assert view.view_angle_deg < 15


def test_side_is_the_better_seen_one_and_facing_follows_the_feet() -> None:
    seq = make_sequence(Motion(reps=1))
    assert choose_side(seq) == "left"
    lm = seq.landmarks.copy()
    left = [LM.LEFT_SHOULDER, LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE]
    right = [LM.RIGHT_SHOULDER, LM.RIGHT_HIP, LM.RIGHT_KNEE, LM.RIGHT_ANKLE]
    lm[:, left, 3], lm[:, right, 3] = 0.5, 0.99
    swapped = PoseSequence(lm, seq.times_s, seq.width_px, seq.height_px)
    assert choose_side(swapped) == "right"
    assert facing_sign(seq) == 1.0
    assert facing_sign(make_sequence(Motion(reps=1, facing=-1))) == -1.0


def test_the_longest_side_view_stretch_is_analysed() -> None:
    """A clip that cuts from a front view to a side view is analysed on its side part."""
    front = make_sequence(Motion(reps=1, front_view=True))
    side = make_sequence(Motion(reps=3))
    lm = np.concatenate([front.landmarks, side.landmarks])
    t = np.concatenate([front.times_s, side.times_s + front.times_s[-1] + 1 / 30])
    view = check_view(PoseSequence(lm, t, side.width_px, side.height_px))
    assert view.start_index >= len(front) - 10
    assert view.stop_index == len(lm)
    assert "skipped" in view.note


def test_side_views_either_side_of_a_front_view_are_both_analysed() -> None:
    """R-FORM-5: side on, a turn to the front, side on again: both side views are judged
    (the frames between left out), not only the longer one."""
    side_a, side_b = make_sequence(Motion(reps=3)), make_sequence(Motion(reps=2))
    seq = then(then(side_a, make_sequence(Motion(reps=3, front_view=True))), side_b)
    view = check_view(seq)
    assert len(view.stretches) == 2
    (a0, a1), (b0, b1) = view.stretches
    assert a0 == view.start_index == 0 and b1 == view.stop_index == len(seq)
    left_out = view.left_out()
    assert left_out[a1:b0].all() and not left_out[:a1].any() and not left_out[b0:].any()
    assert abs(a1 - len(side_a)) <= 10 and abs(len(seq) - b0 - len(side_b)) <= 10


def test_side_views_too_short_together_are_refused() -> None:
    """R-FORM-5: two short side-on moments around a long front view are too little to
    judge: refused as not side on."""
    side = make_sequence(Motion(reps=1, top_hold_s=0.3, descent_s=0.5, ascent_s=0.5))
    seq = then(then(side, make_sequence(Motion(reps=3, front_view=True))), side)
    with pytest.raises(ViewRefusedError) as err:
        check_view(seq)
    assert err.value.code == "not-side-view"


def test_recorded_side_view_hidden_by_a_plate_is_refused_as_hidden_not_as_the_angle(
    track: Callable[[str], PoseSequence],
) -> None:
    """R-FORM-5: side on, the near plate hides the head and trunk at every bottom: the person
    must be told what hides the body, not to turn the camera."""
    with pytest.raises(ViewRefusedError) as err:
        check_view(track("back-squat-plate-occluded"))
    assert err.value.code == "body-occluded"
    assert "hidden" in str(err.value) and "film from the side" in str(err.value)


def test_a_short_flicker_of_a_wide_view_does_not_split_the_side_view() -> None:
    """R-FORM-5: half a second where the shoulders read wide (an arm or the bar crossing
    them) between two side-on stretches leaves one stretch, the whole clip."""
    seq = make_sequence(Motion(reps=4))
    lm = seq.landmarks.copy()
    blip = (seq.times_s > 4.0) & (seq.times_s < 4.5)
    lm[blip, LM.RIGHT_SHOULDER, 0] = lm[blip, LM.LEFT_SHOULDER, 0] + 250.0
    lm[blip, LM.RIGHT_HIP, 0] = lm[blip, LM.LEFT_HIP, 0] + 200.0
    view = check_view(PoseSequence(lm, seq.times_s, seq.width_px, seq.height_px))
    assert view.start_index == 0 and view.stop_index == len(seq)


def test_the_angle_shown_in_a_refusal_is_the_one_that_failed_the_test() -> None:
    """A clip refused as not side on shows the angle of its frames that were not side on
    (never a number within the limit it says it needs)."""
    with pytest.raises(ViewRefusedError) as err:
        check_view(make_sequence(Motion(front_view=True)))
    shown = float(str(err.value).split("(")[1].split(" deg")[0])
    assert shown > DEFAULT_THRESHOLDS.max_side_yaw_deg
