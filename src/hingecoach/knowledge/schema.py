"""The catalogue's data model (R-CAT-1, R-CAT-4).

Every exercise, fault, regression sign and regression modifier is data in
``knowledge/data/`` and is validated against these pydantic models when it is loaded.
The models are strict (unknown fields are errors) so a typo in a coach's own file is
reported rather than silently ignored.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=2, max_length=60)]
Text = Annotated[str, Field(min_length=3)]


class Stage(IntEnum):
    """Rungs of the ladder are grouped in stages (R-CAT-3)."""

    UNLOCK = 0  # unlock the hips
    PATTERN = 1  # learn the pattern
    RESIST = 2  # add resistance
    LIFT = 3  # lift a load
    POWER = 4  # power and single leg

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]


_STAGE_LABELS = {
    Stage.UNLOCK: "unlock the hips",
    Stage.PATTERN: "pattern",
    Stage.RESIST: "resist",
    Stage.LIFT: "lift",
    Stage.POWER: "power and single leg",
}


class Pattern(StrEnum):
    HINGE = "hinge"
    PUSH = "push"
    OTHER = "other"  # training logged elsewhere that is not on the ladder (imports)


class DoseMode(StrEnum):
    """How a set is measured (R-CAT-1, R-RX-2)."""

    REPS = "reps"
    SECONDS = "seconds"


class LoadMode(StrEnum):
    """How an exercise is loaded (R-CAT-1). Specialty bars are load options (R-CAT-2)."""

    BODYWEIGHT = "bodyweight"
    BAND = "band"
    KETTLEBELL = "kettlebell"
    DUMBBELL = "dumbbell"
    BARBELL = "barbell"
    TRAP_BAR = "trap-bar"
    SAFETY_SQUAT_BAR = "safety-squat-bar"
    CAMBERED_BAR = "cambered-bar"
    CABLE = "cable"
    PLATE = "plate"


class Equipment(StrEnum):
    """Things an exercise needs besides its load."""

    WALL = "wall"
    DOWEL = "dowel"
    BAND_ANCHOR = "band-anchor"
    BLOCKS = "blocks"  # boxes, steps or plates to raise the start
    BENCH = "bench"
    CABLE_STATION = "cable-station"
    MIRROR = "mirror"
    SUPPORT = "support"  # a wall, rack or bench to hold for balance
    FLOOR_MAT = "floor-mat"


class SingleLeg(StrEnum):
    """A rung worked on one leg (R-ASSESS-3): ``free`` needs 30 s of single-leg stance,
    ``supported`` (a kickstand foot or a hand on a support) does not."""

    FREE = "free"
    SUPPORTED = "supported"


class RegressionSign(StrEnum):
    """The signs that trigger a regression (R-REG, RULES.md section 10)."""

    BACK_ROUNDING = "back-rounding"
    BALANCE = "balance"
    LOW_BACK_STRAIN = "low-back-strain"
    FATIGUE = "fatigue"
    LIMITED_MOBILITY = "limited-mobility"


class ModifierKind(StrEnum):
    """The simplifying methods of R-REG-6."""

    ELEVATION = "elevation"
    RANGE = "range"
    WALL = "wall"
    TEMPO = "tempo"
    SUPPORT = "support"
    INTENSITY = "intensity"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Tempo(_Strict):
    """Seconds for each phase of a rep. ``up_s`` of 0 means as fast as good form allows."""

    down_s: float = Field(ge=0, le=10)
    bottom_s: float = Field(default=0, ge=0, le=10)
    up_s: float = Field(ge=0, le=10)
    top_s: float = Field(default=0, ge=0, le=10)

    def __str__(self) -> str:
        up = "fast" if self.up_s == 0 else f"{self.up_s:g} s up"
        text = f"{self.down_s:g} s down, {up}"
        if self.bottom_s:
            text += f", {self.bottom_s:g} s pause at the bottom"
        return text


class Graduation(_Strict):
    """When a trainee is ready for the next rung (R-PROG-1). Tunable per exercise."""

    sessions: int = Field(default=2, ge=1, le=6)
    min_sets: int = Field(default=3, ge=1, le=10)
    top_reps: int = Field(default=12, ge=1, le=30)
    top_seconds: int = Field(default=60, ge=10, le=300)
    max_pain: int = Field(default=2, ge=0, le=10)
    max_rpe: float = Field(default=8, ge=5, le=10)
    min_load_bodymass_ratio: float | None = Field(default=None, ge=0, le=3)


class LoadCarryover(_Strict):
    """A known load ratio from an earlier rung to this one (R-PROG-4)."""

    from_id: Slug
    ratio: float = Field(gt=0, le=5)


class Exercise(_Strict):
    """One exercise of the catalogue (R-CAT-1)."""

    id: Slug
    name: Text
    aliases: list[Annotated[str, Field(min_length=2)]] = []
    pattern: Pattern = Pattern.HINGE
    stage: Stage | None = None
    teaches: Text
    focus: Text
    equipment: list[Equipment] = []
    load_modes: list[LoadMode] = Field(min_length=1)
    dose_modes: list[DoseMode] = Field(default=[DoseMode.REPS], min_length=1)
    tempo: Tempo
    setup: list[Text] = Field(min_length=1)
    cues: list[Text] = Field(min_length=1)
    faults: list[Slug] = []
    progresses_to: list[Slug] = []
    regresses_to: list[Slug] = []
    modifiers: list[Slug] = []
    graduation: Graduation = Graduation()
    carryover: list[LoadCarryover] = []
    beginner_friendly: bool = False
    # what the coach reads instead of the id (never ``"single-leg" in id``):
    single_leg: SingleLeg | None = None  # R-ASSESS-3: a single-leg rung, free or supported
    power: bool = False  # R-RX-3: power work, dosed and ranked first for a power goal
    superset_push: Slug | None = None  # R-PLAN-3: the push this hinge pairs with in a
    # superset (a push exercise's id); none: the deadlifts' push-up
    # R-PLAN-2: the plan's preference among the hinges below the primary, 1 first (ties by
    # id); none: never chosen for that slot
    warm_up_rank: Annotated[int, Field(gt=0)] | None = None  # a bodyweight warm-up hinge
    accessory_rank: Annotated[int, Field(gt=0)] | None = None  # a light accessory hinge

    @model_validator(mode="after")
    def _stage_matches_pattern(self) -> Exercise:
        if self.pattern is Pattern.HINGE and self.stage is None:
            raise ValueError("a hinge exercise needs a stage (0-4)")
        if self.pattern is not Pattern.HINGE and self.stage is not None:
            raise ValueError(f"a {self.pattern} exercise has no stage on the hinge ladder")
        if self.pattern is not Pattern.HINGE:
            for name, value in (
                ("single_leg", self.single_leg),
                ("power", self.power or None),
                ("superset_push", self.superset_push),
                ("warm_up_rank", self.warm_up_rank),
                ("accessory_rank", self.accessory_rank),
            ):
                if value is not None:
                    raise ValueError(
                        f"{name} describes a hinge rung; a {self.pattern} exercise has none"
                    )
        return self

    @property
    def is_hinge(self) -> bool:
        return self.pattern is Pattern.HINGE

    @property
    def is_loaded(self) -> bool:
        return any(m is not LoadMode.BODYWEIGHT for m in self.load_modes)

    @property
    def timed(self) -> bool:
        return DoseMode.SECONDS in self.dose_modes


class Fault(_Strict):
    """A fault a trainee can show (R-CAT-4)."""

    id: Slug
    name: Text
    looks_like: Text
    why_it_matters: Text
    cue: Text
    drill: Slug  # an exercise id
    sign: RegressionSign | None = None  # the R-REG sign this fault counts towards


class Sign(_Strict):
    """A sign that triggers a regression, and what the coach does (R-REG-1..5)."""

    id: RegressionSign
    rule: Annotated[str, Field(pattern=r"^R-REG-\d+$")]
    name: Text
    means: Text
    action: Text
    modifiers: list[Slug] = []  # modifiers that answer this sign, tried in this order


class Modifier(_Strict):
    """A simplifying method applied to a rung (R-REG-6)."""

    id: Slug
    name: Text
    kind: ModifierKind
    description: Text
    how_to_undo: Text  # what earns taking it away (R-REG-8)
    steps: list[Annotated[str, Field(min_length=1)]] = []  # easiest first, e.g. block heights
    # what an intensity modifier lowers (R-REG-4): the load (-10 %) or the volume (a set fewer,
    # longer rest); the coach reads this, never the modifier's id
    lowers: Literal["load", "volume"] | None = None


class Catalogue(_Strict):
    """The whole catalogue, after loading and graph checks."""

    exercises: dict[str, Exercise]
    faults: dict[str, Fault]
    signs: dict[str, Sign]
    modifiers: dict[str, Modifier]
