"""One parametrize table per rule id of RULES.md sections 2-6 that had none: each rule of the
pipeline (coach/rules.py) tested alone over a read-only Context, and the dosing rules
through ``prescribe``. Every test is named after its rule."""

from __future__ import annotations

from typing import Any

import pytest

from hingecoach.coach import Action, Prescription, prescribe
from hingecoach.coach.explain import carryover_why, intensity_cut_words
from hingecoach.coach.history import read_state
from hingecoach.coach.ladder import applied, modifiers_for_sign
from hingecoach.coach.load_progression import carryover_load
from hingecoach.coach.models import Session, SetLog
from hingecoach.coach.rules import (
    Context,
    DoseContext,
    IntensityCut,
    Severity,
    back_rounding,
    balance_problems,
    band_progression,
    excessive_fatigue,
    intensity_cut,
    limited_mobility,
    load_progression,
    log_beyond_equipment,
    low_back_strain,
    modifier_easing,
    sign_recurs,
    simplifying_methods,
)
from hingecoach.knowledge import Catalogue, RegressionSign

from .builders import HOME_GYM, answers, history, profile, run_of, session, work
from .test_safety import assert_calm


def _ctx(catalogue: Catalogue, *sessions: Session, **who: Any) -> Context:
    past = history(*sessions)
    state = read_state(past, catalogue)
    assert state is not None
    return Context(state, profile(**who), sessions[-1], False, catalogue, past)


def _sets(spec: str, fault: str) -> list[SetLog]:
    """``spec`` per set: ``c`` clean, ``m`` minor fault, ``b`` breakdown, ``w`` warm-up
    with a breakdown."""
    out = []
    for mark in spec:
        if mark == "c":
            out.append(work(10))
        elif mark == "w":
            out.append(work(10, form="breakdown", faults=[fault], warm_up=True))
        else:
            form = "minor" if mark == "m" else "breakdown"
            out.append(work(10, form=form, faults=[fault]))
    return out


SIGN_TABLE = [
    ("ccc", False),
    ("bcc", True),  # a breakdown is a sign at once
    ("mcc", False),  # a minor fault on one set is a cue
    ("mmc", True),  # ... on two sets it is a sign
    ("wcc", False),  # warm-up sets are not judged
]


@pytest.mark.parametrize("fault", ["back-rounding", "dowel-contact-lost"])
@pytest.mark.parametrize(("spec", "fires"), SIGN_TABLE)
def test_r_reg_1_back_rounding(catalogue: Catalogue, fault: str, spec: str, fires: bool) -> None:
    last = session(0, "kettlebell-deadlift", _sets(spec, fault))
    verdict = back_rounding(_ctx(catalogue, last))
    assert (verdict is not None) == fires
    if verdict is not None:
        assert verdict.rule == "R-REG-1" and verdict.severity is Severity.REGRESS
        assert verdict.sign is RegressionSign.BACK_ROUNDING
        assert {f.fault_id for f in verdict.signs} == {fault}


@pytest.mark.parametrize(("spec", "fires"), SIGN_TABLE)
def test_r_reg_2_balance_problems(catalogue: Catalogue, spec: str, fires: bool) -> None:
    last = session(0, "single-leg-rdl", _sets(spec, "balance-loss"))
    verdict = balance_problems(_ctx(catalogue, last))
    assert (verdict is not None) == fires
    if verdict is not None:
        assert verdict.rule == "R-REG-2" and verdict.sign is RegressionSign.BALANCE


@pytest.mark.parametrize(
    ("pain", "fault", "fires"),
    [
        (0, None, False),
        (2, None, False),
        (3, None, True),  # R-SAFE-3: pain 3-5 is lower-back strain
        (5, None, True),
        (6, None, False),  # pain 6+ is R-SAFE-3's step down, not a sign
        (0, "hyperextension", True),
        (0, "hips-rise-early", True),
    ],
)
def test_r_reg_3_low_back_strain(
    catalogue: Catalogue, pain: int, fault: str | None, fires: bool
) -> None:
    bad = work(
        10, pain=pain, form="breakdown" if fault else "clean", faults=[fault] if fault else []
    )
    last = session(0, "bodyweight-hip-hinge", [work(10), bad, work(10)])
    verdict = low_back_strain(_ctx(catalogue, last))
    assert (verdict is not None) == fires
    if verdict is not None:
        assert verdict.rule == "R-REG-3"
        fact = verdict.signs[0]
        assert fact.set_number == 2 and (fact.pain == pain if not fault else fact.fault_id == fault)


@pytest.mark.parametrize(
    ("sets", "flag", "fires"),
    [
        ([work(10), work(10)], False, False),
        ([work(10), work(10)], True, True),  # the person flagged the session as very tiring
        ([work(10), work(10, form="breakdown")], False, True),  # a breakdown with no fault named
        ([work(10), work(10, form="breakdown", faults=["rushed-tempo"])], False, True),
        ([work(10), work(10, form="minor", faults=["rushed-tempo"])], False, False),
    ],
)
def test_r_reg_4_excessive_fatigue(
    catalogue: Catalogue, sets: list[SetLog], flag: bool, fires: bool
) -> None:
    last = session(0, "dowel-hip-hinge", sets, fatigue=flag)
    verdict = excessive_fatigue(_ctx(catalogue, last))
    assert (verdict is not None) == fires
    if verdict is not None:
        assert verdict.rule == "R-REG-4" and verdict.sign is RegressionSign.FATIGUE


@pytest.mark.parametrize(("spec", "fires"), SIGN_TABLE)
def test_r_reg_5_limited_mobility(catalogue: Catalogue, spec: str, fires: bool) -> None:
    last = session(0, "romanian-deadlift", _sets(spec, "past-hamstring-tension"))
    verdict = limited_mobility(_ctx(catalogue, last))
    assert (verdict is not None) == fires
    if verdict is not None:
        assert verdict.rule == "R-REG-5" and verdict.sign is RegressionSign.LIMITED_MOBILITY


@pytest.mark.parametrize(
    ("exercise_id", "sign", "first"),
    [
        ("kettlebell-deadlift", RegressionSign.BACK_ROUNDING, "elevated-start"),
        ("single-leg-rdl", RegressionSign.BALANCE, "hand-support"),
        ("bodyweight-hip-hinge", RegressionSign.LOW_BACK_STRAIN, "dowel-on-spine"),
        ("dowel-hip-hinge", RegressionSign.FATIGUE, "reduced-volume"),
        ("romanian-deadlift", RegressionSign.LIMITED_MOBILITY, "shortened-range"),
    ],
)
def test_r_reg_6_simplifying_methods_in_the_catalogue_order(
    catalogue: Catalogue, exercise_id: str, sign: RegressionSign, first: str
) -> None:
    """R-REG-6: a sign is answered by the first of its modifiers that the rung allows."""
    options = modifiers_for_sign(catalogue, catalogue.exercises[exercise_id], sign)
    assert options and options[0].id == first
    assert all(m.id in catalogue.exercises[exercise_id].modifiers for m in options)


def _with_modifier(rx: Prescription | None, catalogue: Catalogue, step: str) -> Prescription:
    assert rx is not None
    mod = applied(
        catalogue.modifiers["elevated-start"], RegressionSign.BACK_ROUNDING, "R-REG-1", step
    )
    return rx.model_copy(update={"modifiers": (mod,)})


def _kb_rx(catalogue: Catalogue) -> Prescription:
    _, rx = prescribe(
        profile(equipment=HOME_GYM), history(), catalogue,
        placement_or_current_exercise="kettlebell-deadlift",
    )  # fmt: skip
    assert rx is not None
    return rx


@pytest.mark.parametrize(
    ("pattern", "with_modifier", "fires"),
    [
        ("bcb", True, True),  # 2 of the last 3 despite the elevated start: step down
        ("cbb", True, True),
        ("bcc", True, False),  # once in 3: not a recurrence
        ("ccb", True, False),
        ("cbb", False, False),  # no modifier tried yet and the rung has some: try one first
    ],
)
def test_r_reg_7_sign_recurs_despite_its_modifiers(
    catalogue: Catalogue, pattern: str, with_modifier: bool, fires: bool
) -> None:
    rx = _kb_rx(catalogue)
    pres = _with_modifier(rx, catalogue, "40 cm") if with_modifier else rx
    sessions = [
        session(
            2 * i,
            "kettlebell-deadlift",
            _sets("cbb" if mark == "b" else "ccc", "back-rounding"),
            prescription=pres,
        )
        for i, mark in enumerate(pattern)
    ]
    verdict = sign_recurs(_ctx(catalogue, *sessions, equipment=HOME_GYM))
    assert (verdict is not None) == fires
    if verdict is not None:
        assert verdict.rule == "R-REG-7" and verdict.severity is Severity.STEP_DOWN
        assert verdict.sign is RegressionSign.BACK_ROUNDING
        assert len(verdict.seen) == pattern.count("b") and verdict.window == 3
        assert verdict.despite == ("elevated-start",)


def test_r_reg_7_a_modifier_added_today_for_another_sign_is_not_despite(
    catalogue: Catalogue,
) -> None:
    """Limited mobility twice with no modifier in use, and back rounding today: the elevated
    start added for the rounding (it answers both signs) has not been tried against the
    mobility yet, so nobody steps down "even with an elevated start"."""
    rx = _kb_rx(catalogue)
    mobility = _sets("cbb", "past-hamstring-tension")
    both = [work(10), *_sets("bb", "back-rounding"), *_sets("bb", "past-hamstring-tension")]
    sessions = [
        session(0, "kettlebell-deadlift", mobility, prescription=rx),
        session(2, "kettlebell-deadlift", both, prescription=rx),
    ]
    assert sign_recurs(_ctx(catalogue, *sessions, equipment=HOME_GYM)) is None
    decision, nxt = prescribe(profile(equipment=HOME_GYM), history(*sessions), catalogue)
    assert decision.action is Action.REGRESS and nxt is not None
    assert nxt.exercise_id == "kettlebell-deadlift"
    assert "elevated-start" in {m.id for m in nxt.modifiers}


@pytest.mark.parametrize(
    ("step", "clean_sessions", "to_step", "fires"),
    [
        ("40 cm", 1, None, False),  # one clean session is not enough
        ("40 cm", 2, "30 cm", True),  # two: one step lower
        ("30 cm", 3, "20 cm", True),
        ("10 cm", 2, None, True),  # the lowest step: the modifier goes
    ],
)
def test_r_reg_8_modifier_easing(
    catalogue: Catalogue, step: str, clean_sessions: int, to_step: str | None, fires: bool
) -> None:
    steps = catalogue.modifiers["elevated-start"].steps
    assert step in steps and (to_step is None or to_step in steps)
    pres = _with_modifier(_kb_rx(catalogue), catalogue, step)
    sessions = [
        session(2 * i, "kettlebell-deadlift", [work(10, load=16, rpe=7)] * 3, prescription=pres)
        for i in range(clean_sessions)
    ]
    verdict = modifier_easing(_ctx(catalogue, *sessions, equipment=HOME_GYM))
    assert (verdict is not None) == fires
    if verdict is not None and verdict.easing is not None:
        assert verdict.rule == "R-REG-8" and verdict.severity is Severity.PROGRESS
        assert verdict.easing.modifier_id == "elevated-start"
        assert (verdict.easing.from_step, verdict.easing.to_step) == (step, to_step)


@pytest.mark.parametrize(
    ("owned", "reps", "move", "next_step"),
    [
        ([16, 20], 12, "bridge", 1),  # 16 -> 20 kg is 25 %: reps up to 15 first
        ([16, 20], 15, "bridge", 2),  # already at 15: an extra set
        ([16, 17], 12, "add", 0),  # a jump of 10 % or less is taken
        ([16], 12, "bridge", 1),  # nothing heavier: bridge with reps
    ],
)
def test_r_prog_3_big_jumps_are_bridged(
    catalogue: Catalogue, owned: list[float], reps: int, move: str, next_step: int
) -> None:
    equipment = {"kettlebells_kg": owned}
    sessions = [
        session(2 * i, "kettlebell-deadlift", [work(reps, load=16, rpe=7)] * 3) for i in range(2)
    ]
    verdict = load_progression(_ctx(catalogue, *sessions, equipment=equipment))
    assert verdict is not None and verdict.load is not None
    step = verdict.load
    assert (step.move, step.next_step, step.current_kg) == (move, next_step, 16)
    if move == "bridge":
        assert "R-PROG-3" in step.rules and step.new_kg == 16
    else:
        assert step.new_kg == 17 and step.target == step.reps[0]


@pytest.mark.parametrize(
    ("from_id", "load", "new_id", "ratio"),
    [
        ("kettlebell-deadlift", 24, "trap-bar-deadlift", 1.5),
        ("kettlebell-deadlift", 24, "romanian-deadlift", 0.8),
    ],
)
def test_r_prog_4_load_carries_over_to_a_new_rung_and_starts_light(
    catalogue: Catalogue, from_id: str, load: float, new_id: str, ratio: float
) -> None:
    who = profile(equipment=HOME_GYM)
    past = history(session(0, from_id, [work(8, load=load)] * 3))  # no RPE: the fallback
    carry = carryover_load(catalogue.exercises[new_id], who, past, catalogue, reps=8)
    new_load = carry.load_kg
    assert new_load is not None and new_load <= load * ratio * 0.9 + 1e-6
    assert (carry.source, carry.from_id, carry.ratio, carry.last_kg) == (
        "last-load",
        from_id,
        ratio,
        load,
    )
    words = carryover_why(carry, who.unit)  # the facts, worded by explain
    assert words is not None and words[1] == "R-PROG-4"
    how = words[0]
    assert from_id.replace("-", " ") in how and f"ratio {ratio:g}" in how and "RPE 6-7" in how


@pytest.mark.parametrize(
    ("exercise_id", "goal", "history_", "tempo"),
    [
        ("dowel-hip-hinge", "learn", "novice", (3.0, 2.0)),  # learning rung: 3 s down, 2 s up
        ("kettlebell-deadlift", "hypertrophy", "intermediate", (3.0, 2.0)),
        ("trap-bar-deadlift", "strength", "intermediate", (3.0, 0.0)),  # up fast
    ],
)
def test_r_rx_4_tempo(
    catalogue: Catalogue,
    exercise_id: str,
    goal: str,
    history_: str,
    tempo: tuple[float, float],
) -> None:
    who = profile(goal=goal, training_history=history_, equipment=HOME_GYM)
    _, rx = prescribe(who, history(), catalogue, placement_or_current_exercise=exercise_id)
    assert rx is not None and (rx.tempo.down_s, rx.tempo.up_s) == tempo


@pytest.mark.parametrize(
    ("history_", "rpes", "band"),
    [
        ("novice", (7, 7, 7), (6.0, 8.0)),  # beginners RPE 6-8
        ("intermediate", (8, 8, 8), (7.0, 9.0)),  # work sets RPE 7-9
    ],
)
def test_r_rx_5_effort(
    catalogue: Catalogue, history_: str, rpes: tuple[int, ...], band: tuple[float, float]
) -> None:
    who = profile(goal="hypertrophy", training_history=history_, equipment=HOME_GYM)
    past = history(
        session(0, "kettlebell-deadlift", [work(9, load=16, rpe=r) for r in rpes]),
        session(2, "kettlebell-deadlift", [work(9, load=16, rpe=r) for r in rpes]),
    )
    _, rx = prescribe(who, past, catalogue)
    assert rx is not None and (rx.rpe_min, rx.rpe_max) == band
    assert rx.rpe_max < 10  # no sets to failure on a primary hinge


@pytest.mark.parametrize(
    "exercise_id", ["wall-hip-hinge", "dowel-hip-hinge", "kettlebell-deadlift", "romanian-deadlift"]
)
def test_r_rx_1_a_prescription_names_everything(catalogue: Catalogue, exercise_id: str) -> None:
    who = profile(equipment=HOME_GYM)
    _, rx = prescribe(who, history(), catalogue, placement_or_current_exercise=exercise_id)
    assert rx is not None and rx.exercise_id == exercise_id and rx.exercise_name
    assert rx.sets >= 2 and (rx.reps is not None or rx.seconds is not None)
    if rx.reps is not None:
        assert rx.reps.min <= rx.reps.target <= rx.reps.max
    assert rx.load_label and rx.tempo.down_s > 0 and rx.rest_s > 0 and rx.cues


@pytest.mark.parametrize(
    "last",
    [
        pytest.param(_sets("cbb", "back-rounding"), id="rounding"),
        pytest.param([work(10), work(10, pain=7)], id="pain 7"),
        pytest.param([work(10), work(10, quality=["sharp"])], id="sharp pain"),
        pytest.param([work(10, pain=4, quality=["burning"])], id="burning"),
    ],
)
def test_r_safe_6_calm_words_that_say_what_to_do(catalogue: Catalogue, last: list[SetLog]) -> None:
    decision, _ = prescribe(
        profile(equipment=HOME_GYM), history(session(0, "kettlebell-deadlift", last)), catalogue
    )
    assert_calm(decision)


@pytest.mark.parametrize(
    ("overrides", "screens"),
    [
        ({"wall_touch_pass": False}, {"wall-touch"}),
        ({"dowel_hinge_pass": False}, {"wall-touch", "dowel-hinge"}),
        ({"aslr_score": 0}, {"aslr"}),
    ],
)
def test_r_assess_4_placement_gives_one_reason_line_per_deciding_screen(
    catalogue: Catalogue, overrides: dict[str, Any], screens: set[str]
) -> None:
    from hingecoach.coach import place

    placement = place(profile(), answers(**overrides), catalogue)
    named = [line.screen for line in placement.reasons]
    assert len(named) == len(set(named))  # one line per screen
    assert screens <= set(named), named
    assert all(line.text and line.rules for line in placement.reasons)


# --- R-REG-6: which simplifying method answers each sign (a verdict of facts) ---------------

_KB_ROUNDING = [work(10), *_sets("bb", "back-rounding")]


@pytest.mark.parametrize(
    ("exercise_id", "sets", "step_in_use", "fatigue", "choices", "kept"),
    [
        # no modifier yet: the sign's first modifier the rung allows, at its easiest step
        ("kettlebell-deadlift", _KB_ROUNDING, None, False,
         [("back-rounding", "elevated-start", "40 cm", None)], []),
        # lowered to 20 cm and rounding again: raised back one step, to 30 cm
        ("kettlebell-deadlift", _KB_ROUNDING, "20 cm", False,
         [("back-rounding", "elevated-start", "30 cm", "20 cm")], []),
        # at its easiest step and nothing else this rung allows: the sign is kept (hold)
        ("kettlebell-deadlift", _KB_ROUNDING, "40 cm", False, [], ["back-rounding"]),
        # two signs, each answered in rule order (R-REG-1 before R-REG-4)
        ("kettlebell-deadlift", _KB_ROUNDING, None, True,
         [("back-rounding", "elevated-start", "40 cm", None),
          ("fatigue", "reduced-load", None, None)], []),
        ("dowel-hip-hinge", [work(12)] * 3, None, True,
         [("fatigue", "reduced-volume", None, None)], []),
        ("romanian-deadlift", [work(10), *_sets("bb", "past-hamstring-tension")], None, False,
         [("limited-mobility", "shortened-range", "hands or weight to mid-thigh", None)], []),
    ],
)  # fmt: skip
def test_r_reg_6_simplifying_methods_verdict(
    catalogue: Catalogue,
    exercise_id: str,
    sets: list[SetLog],
    step_in_use: str | None,
    fatigue: bool,
    choices: list[tuple[str, str, str | None, str | None]],
    kept: list[str],
) -> None:
    rx = _kb_rx(catalogue) if exercise_id == "kettlebell-deadlift" else None
    pres = _with_modifier(rx, catalogue, step_in_use) if step_in_use is not None else rx
    last = session(0, exercise_id, sets, prescription=pres, fatigue=fatigue)
    verdict = simplifying_methods(_ctx(catalogue, last, equipment=HOME_GYM))
    assert verdict is not None and verdict.rule == "R-REG-6"
    got = [(c.sign.value, c.modifier_id, c.step, c.from_step) for c in verdict.choices]
    assert got == choices
    assert [s.value for s in verdict.kept] == kept
    assert verdict.severity is (Severity.REGRESS if choices else Severity.HOLD)
    # and the prescription applies exactly these choices
    decision, nxt = prescribe(profile(equipment=HOME_GYM), history(last), catalogue)
    assert nxt is not None and nxt.exercise_id == exercise_id
    in_use = {m.id: m.step for m in nxt.modifiers}
    for _, modifier_id, step, _ in choices:
        assert in_use[modifier_id] == step
    assert decision.action is (Action.REGRESS if choices else Action.HOLD)
    assert "R-REG-6" in decision.rules


@pytest.mark.parametrize(
    "sets",
    [
        [work(10, pain=7), *_sets("bb", "back-rounding")],  # R-SAFE-3: one rung down instead
        [work(10, quality=["sharp"]), *_sets("bb", "back-rounding")],  # R-SAFE-4: stop
        [work(10)] * 3,  # no sign
    ],
)
def test_r_reg_6_no_simplifying_method_when_there_is_no_sign_or_the_rung_is_left(
    catalogue: Catalogue, sets: list[SetLog]
) -> None:
    last = session(0, "kettlebell-deadlift", sets, prescription=_kb_rx(catalogue))
    assert simplifying_methods(_ctx(catalogue, last, equipment=HOME_GYM)) is None


def test_r_reg_6_a_burning_back_that_settled_gets_less_range_and_load_at_once(
    catalogue: Catalogue,
) -> None:
    """R-SAFE-4 with R-REG-6: local fatigue: the rung's first range and intensity modifiers."""
    last = session(0, "romanian-deadlift", [work(10, pain=4, quality=["burning"])] * 3, morning=0)
    verdict = simplifying_methods(_ctx(catalogue, last, equipment=HOME_GYM))
    assert verdict is not None
    assert [(c.sign, c.modifier_id) for c in verdict.choices] == [
        (RegressionSign.LOW_BACK_STRAIN, "shortened-range"),
        (RegressionSign.LOW_BACK_STRAIN, "reduced-load"),
    ]


# --- R-REG-4: lower the intensity (a verdict of numbers the prescription applies) ----------

_KB = (8.0, 12.0, 16.0, 20.0, 24.0)
_BANDS = ("light", "medium", "heavy")


def _dose_ctx(
    catalogue: Catalogue,
    in_use: list[str],
    new: list[str],
    *,
    load: float | None = None,
    band: str | None = None,
    sets: int = 3,
) -> DoseContext:
    mods = tuple(applied(catalogue.modifiers[m], RegressionSign.FATIGUE, "R-REG-4") for m in in_use)
    return DoseContext(
        catalogue=catalogue,
        modifiers=mods,
        new_modifiers=frozenset(new),
        load_kg=load,
        loads=_KB if load is not None else (),
        band=band,
        bands=_BANDS,
        sets=sets,
        rest_s=(120, 180),
    )


@pytest.mark.parametrize(
    ("in_use", "new", "where", "expected"),
    [
        # load -10 % rounded down to a load the person makes: 20 kg -> 18 -> 16 kg
        (["reduced-load"], ["reduced-load"], {"load": 20.0}, {"load_from": 20.0, "load_to": 16.0}),
        # already the lightest: kept (load_to None), and the card says so
        (["reduced-load"], ["reduced-load"], {"load": 8.0}, {"load_from": 8.0, "load_to": None}),
        # on a band: the next lighter band; none lighter than the lightest
        (["reduced-load"], ["reduced-load"], {"band": "medium"},
         {"band_from": "medium", "band_to": "light"}),
        (["reduced-load"], ["reduced-load"], {"band": "light"},
         {"band_from": "light", "band_to": None}),
        # a load cut happens once, when the modifier is added, not every session it is in use
        (["reduced-load"], [], {"load": 20.0}, None),
        # volume: one set fewer (never below 2) and 30 s more rest, every session it is in use
        (["reduced-volume"], [], {"sets": 3},
         {"sets_from": 3, "sets_to": 2, "rest_from": (120, 180), "rest_to": (150, 210)}),
        (["reduced-volume"], ["reduced-volume"], {"sets": 2},
         {"sets_from": 2, "sets_to": 2, "rest_from": (120, 180), "rest_to": (150, 210)}),
        # modifiers that lower neither (catalogue `lowers` unset): no cut
        (["elevated-start", "slow-tempo"], ["elevated-start"], {"load": 20.0}, None),
    ],
)  # fmt: skip
def test_r_reg_4_intensity_cut(
    catalogue: Catalogue,
    in_use: list[str],
    new: list[str],
    where: dict[str, Any],
    expected: dict[str, Any] | None,
) -> None:
    verdict = intensity_cut(_dose_ctx(catalogue, in_use, new, **where))
    if expected is None:
        assert verdict is None
        return
    assert verdict is not None and verdict.rule == "R-REG-4" and verdict.cut is not None
    assert verdict.severity is Severity.REGRESS
    assert verdict.cut == IntensityCut(**expected)
    words = intensity_cut_words(verdict.cut)
    kept_lightest = verdict.cut.load_from is not None and verdict.cut.load_to is None
    assert any(f"{verdict.cut.load_from:g} kg is your lightest" in n for n in words.notes) == (
        kept_lightest
    )
    assert all(rule == "R-REG-4" for _, rule in words.why.values())


@pytest.mark.parametrize(("load", "expected"), [(20, 16), (8, 8)])
def test_r_reg_4_the_prescription_applies_the_cut_and_quotes_it(
    catalogue: Catalogue, load: float, expected: float
) -> None:
    """Fatigue on the kettlebell deadlift adds the reduced load: the card's load is the
    verdict's, and the change from last time gives R-REG-4 as its rule."""
    sets = [work(10, load=load, rpe=8)] * 3
    last = session(0, "kettlebell-deadlift", sets, prescription=_kb_rx(catalogue), fatigue=True)
    decision, nxt = prescribe(profile(equipment=HOME_GYM), history(last), catalogue)
    assert decision.action is Action.REGRESS and nxt is not None
    assert "reduced-load" in {m.id for m in nxt.modifiers}
    assert nxt.load_kg == expected
    if expected < load:
        change = next(c for c in nxt.changes if c.rule == "R-REG-4" and "load" in c.what.lower())
        assert change.reason == "lower the intensity (R-REG-4)"
    else:
        assert f"{load:g} kg is your lightest" in " ".join(nxt.notes)


# --- R-PROG-2 on bands and the R-RX-6 doubt, as verdicts ----------------------------------


@pytest.mark.parametrize(
    ("bands", "band", "sessions", "reps", "to_band"),
    [
        (["light", "medium", "heavy"], "light", 2, 12, "medium"),  # 2-for-2 at the top
        (["light", "medium", "heavy"], "medium", 2, 12, "heavy"),
        (["light", "medium", "heavy"], "light", 1, 12, None),  # one session is not two
        (["light", "medium", "heavy"], "light", 2, 9, None),  # not at the top of the range
        (["light", "medium"], "medium", 2, 12, None),  # no heavier band owned
    ],
)
def test_r_prog_2_band_progression(
    catalogue: Catalogue, bands: list[str], band: str, sessions: int, reps: int, to_band: str | None
) -> None:
    past = [
        session(2 * i, "banded-hip-hinge", [work(reps, band=band)] * 3) for i in range(sessions)
    ]
    verdict = band_progression(_ctx(catalogue, *past, equipment={"bands": bands}))
    assert (verdict.band.to_band if verdict and verdict.band else None) == to_band
    if verdict is not None and verdict.band is not None:
        assert verdict.rule == "R-PROG-2" and verdict.band.from_band == band
        assert (verdict.band.top, verdict.band.reps) == (12, 8)
        decision, nxt = prescribe(profile(equipment={"bands": bands}), history(*past), catalogue)
        assert nxt is not None and nxt.band == to_band
        assert f"to the {to_band} band" in decision.reason and f"from the {band} band" in (
            decision.reason
        )


@pytest.mark.parametrize(
    ("owned", "logged", "doubt"),
    [
        ([8, 12, 16], 300, (300.0, 16.0)),  # a 300 kg kettlebell log by someone with 8-16 kg
        ([8, 12, 16], 16, None),  # a log the equipment makes
        ([], 300, None),  # no kettlebells listed: nothing to judge by
    ],
)
def test_r_rx_6_a_log_heavier_than_the_equipment_is_doubted(
    catalogue: Catalogue, owned: list[float], logged: float, doubt: tuple[float, float] | None
) -> None:
    past = run_of("kettlebell-deadlift", 2, load=logged, rpe=7)
    verdict = log_beyond_equipment(_ctx(catalogue, *past, equipment={"kettlebells_kg": owned}))
    got = (
        (verdict.doubt.logged_kg, verdict.doubt.heaviest_kg) if verdict and verdict.doubt else None
    )
    assert got == doubt
    if verdict is not None:
        assert verdict.rule == "R-RX-6" and verdict.severity is Severity.ADVICE
        decision, _ = prescribe(
            profile(equipment={"kettlebells_kg": owned}), history(*past), catalogue
        )
        assert any(f"{logged:g} kg" in a and f"{owned[-1]:g} kg" in a for a in decision.advice)
