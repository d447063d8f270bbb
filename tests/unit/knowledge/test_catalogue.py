"""The built-in catalogue: coverage of the seeds, the ladder graph, faults and wording."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from hingecoach.errors import UnknownIdError
from hingecoach.knowledge import (
    REQUIRED_EXERCISE_IDS,
    REQUIRED_FAULT_IDS,
    Catalogue,
    Stage,
    find_exercise,
    ladder_by_stage,
    load_catalogue,
)
from hingecoach.knowledge.graph import find_floor, progression_cycles


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue([])


def test_r_cat_1_every_exercise_has_the_fields_a_coach_needs(cat: Catalogue) -> None:
    """R-CAT-1: id, name, stage, movement taught, equipment/load, dose, tempo, focus, cues."""
    for ex in cat.exercises.values():
        assert ex.name and ex.teaches and ex.focus, ex.id
        assert ex.load_modes and ex.dose_modes, ex.id
        assert ex.setup and ex.cues, ex.id
        if ex.is_hinge:
            assert ex.stage is not None, ex.id
            assert ex.faults, f"{ex.id} lists no faults it is prone to"


@pytest.mark.parametrize("ex_id", REQUIRED_EXERCISE_IDS)
def test_r_cat_2_every_required_exercise_is_there(cat: Catalogue, ex_id: str) -> None:
    """R-CAT-2 and section 10: the ids users' scripts rely on."""
    assert ex_id in cat.exercises


@pytest.mark.parametrize(
    ("seed_name", "ex_id"),
    [
        ("Hero Squat", "hero-squat"),
        ("Butt Taps", "wall-hip-hinge"),
        ("Wall-Assisted Hip Hinge", "wall-hip-hinge"),
        ("The Hip Hinge", "bodyweight-hip-hinge"),
        ("PVC Pipe Hinge", "dowel-hip-hinge"),
        ("The Hinge To Squat", "hinge-to-squat"),
        ("Banded Hip Hinge", "banded-hip-hinge"),
        ("cable pull-through", "cable-pull-through"),
        ("The Weighted Hip Hinge", "weighted-hip-hinge"),
        ("The Elevated Kettlebell Lift", "elevated-kettlebell-deadlift"),
        ("Elevated KB Lift", "elevated-kettlebell-deadlift"),
        ("The Kettlebell Lift", "kettlebell-deadlift"),
        ("Dumbbell/Kettlebell RDL", "romanian-deadlift"),
        ("Kettlebell/Dumbbell RDL", "romanian-deadlift"),
        ("Hex Bar Deadlift", "trap-bar-deadlift"),
        ("Conventional Deadlift", "conventional-deadlift"),
        ("The Banded Pull Through", "banded-pull-through"),
        ("The Kettlebell Swing", "kettlebell-swing"),
        ("Single-leg RDL", "single-leg-rdl"),
        ("Push-ups", "push-up"),
        ("Bench press", "bench-press"),
        ("Overhead press", "overhead-press"),
    ],
)
def test_r_cat_2_every_seed_exercise_is_findable_by_its_seed_name(
    cat: Catalogue, seed_name: str, ex_id: str
) -> None:
    """R-CAT-2: a name as the seeds write it finds the exercise (articles and plurals aside)."""
    assert find_exercise(cat, seed_name).id == ex_id


def test_r_cat_2_specialty_bars_and_pushes(cat: Catalogue) -> None:
    """R-CAT-2: safety squat and cambered bars are load options; pushes are non-hinge."""
    options = {mode for ex in cat.exercises.values() for mode in ex.load_modes}
    assert {"safety-squat-bar", "cambered-bar"} <= options
    for push in ("push-up", "bench-press", "overhead-press"):
        assert not cat.exercises[push].is_hinge


def test_r_cat_3_the_ladder_is_a_graph_from_one_floor(cat: Catalogue) -> None:
    """R-CAT-3: one floor, no cycles, all reachable, progressions go up the stages."""
    hinges = {k: v for k, v in cat.exercises.items() if v.is_hinge}
    assert find_floor(hinges) == ["hero-squat"]
    assert progression_cycles(hinges) == []
    stages = ladder_by_stage(cat)
    assert stages[Stage.UNLOCK][0].id == "hero-squat"
    assert sum(len(m) for m in stages.values()) == len(hinges)
    for ex in hinges.values():
        for nxt in ex.progresses_to:
            up, here = cat.exercises[nxt].stage, ex.stage
            assert up is not None and here is not None
            assert up >= here


@pytest.mark.parametrize("fault_id", REQUIRED_FAULT_IDS)
def test_r_cat_4_every_fault_says_what_it_looks_like_why_and_how_to_fix(
    cat: Catalogue, fault_id: str
) -> None:
    """R-CAT-4: each fault has what it looks like, why it matters, a cue and a drill."""
    fault = cat.faults[fault_id]
    assert fault.looks_like and fault.why_it_matters and fault.cue
    assert fault.drill in cat.exercises


@pytest.mark.parametrize(
    ("fault_id", "drill"),
    [
        ("back-rounding", "dowel-hip-hinge"),
        ("squatting", "hinge-to-squat"),
        ("hips-drop", "wall-hip-hinge"),
        ("dowel-contact-lost", "dowel-hip-hinge"),
    ],
)
def test_r_cat_4_faults_point_at_the_drills_the_seeds_name(
    cat: Catalogue, fault_id: str, drill: str
) -> None:
    """R-CAT-4: back rounds -> dowel hinge; squatting -> hinge to squat; hips drop -> wall."""
    assert cat.faults[fault_id].drill == drill


def test_r_cat_4_signs_map_to_modifiers(cat: Catalogue) -> None:
    """R-CAT-4/R-REG: every sign names its rule and at least one modifier."""
    assert set(cat.signs) == {
        "back-rounding",
        "balance",
        "low-back-strain",
        "fatigue",
        "limited-mobility",
    }
    for sign in cat.signs.values():
        assert re.fullmatch(r"R-REG-[1-5]", sign.rule)
        assert sign.modifiers
    for mod in cat.modifiers.values():
        assert mod.how_to_undo


def _shingles(text: str, size: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_r_cat_5_catalogue_text_is_in_our_own_words(cat: Catalogue, seeds_dir: Path) -> None:
    """R-CAT-5: no run of eight words is copied from the seed articles."""
    seed_text = " ".join(p.read_text(encoding="utf-8") for p in seeds_dir.glob("*.txt"))
    seed_shingles = _shingles(seed_text)
    ours = cat.model_dump_json()
    copied = _shingles(ours) & seed_shingles
    assert not copied, f"copied from the seeds: {[' '.join(s) for s in sorted(copied)[:5]]}"


def test_unknown_id_suggests_the_closest(cat: Catalogue) -> None:
    with pytest.raises(UnknownIdError) as err:
        find_exercise(cat, "romanian-deadlfit")
    assert "romanian-deadlift" in err.value.suggestions
    assert "did you mean" in str(err.value)


def test_loading_is_cached_and_not_done_at_import() -> None:
    """R-CAT-1: loaded once and cached, never at import time."""
    code = (
        "import hingecoach, hingecoach.knowledge as k, hingecoach.cli.app;"
        "from hingecoach.knowledge.loader import _load_cached;"
        "assert _load_cached.cache_info().currsize == 0;"
        "a = k.load_catalogue([]); b = k.load_catalogue([]);"
        "assert a is b; print('ok')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr
