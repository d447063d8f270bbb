"""Every default number the planner uses, in one place, each with the rule it serves.

Numbers that RULES.md states carry their rule id. Where RULES.md is silent the comment says
``default (RULES silent)`` and gives the reason; they are listed in the issue notes so a
coach can argue with them. The doses of R-RX-2/3 are the coach's own
(:mod:`hingecoach.coach.defaults`); the ones the planner reads are named here so this module
stays the one place to look.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from hingecoach.coach import defaults as coach

# --- R-PLAN-1: the week ----------------------------------------------------------------
SESSIONS_PER_WEEK: Final = (2, 3)  # R-PLAN-1: 2-3 hinge sessions a week
MIN_GAP_H: Final = coach.MIN_HOURS_BETWEEN_HINGE_SESSIONS  # R-PLAN-1: at least 48 h apart
HARD_GAP_H: Final = coach.MIN_HOURS_AFTER_HARD_SESSION  # R-PLAN-1: 72 h after a hard session
HARD_SESSION_RPE: Final = 9.5  # R-PLAN-1: a session with hinge sets at RPE 9.5 or more; default
# (RULES silent on "how many"): one such work set is enough, the cautious reading
DEFAULT_DAYS: Final = ("monday", "wednesday", "friday")  # R-PLAN-1, default (RULES silent):
# a profile without days gets the classic every-other-day week, and the plan says so

# --- R-PLAN-2: the session -------------------------------------------------------------
# The warm-up and accessory hinges, in order of preference, are the catalogue's
# ``warm_up_rank`` and ``accessory_rank`` (read by :func:`hingecoach.plan.structure.ranked`):
# warm-up: the dowel hinge doubles as a technique check, then the plain bodyweight hinge,
# then the wall drill and the floor rung (always a rung already earned, never above the
# primary); accessory (RULES silent): light, low-fatigue hinges for 12-15 reps.
ACCESSORY_SETS: Final = coach.ACCESSORY_SETS[0]  # R-RX-2: accessory 2-3 sets; default: 2, so
# that with the primary and the secondary a week stays near 20 hard hinge sets at 3 sessions
SECONDARY_MIN_STAGE_LOADED: Final = 2  # R-PLAN-2, default: under a loaded primary the
# secondary hinge is a loaded rung (stage 2+), not a bodyweight drill
WARM_UP_RPE: Final = 5.0  # R-PLAN-2 with R-RX-2, default (RULES silent): warm-up sets are easy
SUPPORT_RPE: Final = (7.0, 8.0)  # R-PLAN-2 with R-RX-5, default: secondary, accessory and push
# sets aim for RPE 7 and stop by 8, a notch under the primary
SECONDARY_LOAD_OF_PRIMARY: Final = 0.6  # R-PLAN-2, default (RULES silent): a loaded secondary
# never logged before starts at 60 % of the primary's load for 8-12 reps, rounded down
RAMP_UP: Final = ((0.4, 5), (0.6, 3), (0.8, 2))  # R-PLAN-2, default (training-science sec. 7):
# before a loaded primary, ramp 40/60/80 % of the work load for 5/3/2 reps

# --- R-PLAN-3: supersets ---------------------------------------------------------------
PUSH_FOR_DEADLIFTS: Final = "push-up"  # R-PLAN-3: deadlift + push-up; the swing family's
# bench press and the single-leg RDL's overhead press are the catalogue's ``superset_push``
EASIER_PUSH: Final = "incline-push-up"  # R-PLAN-3: a novice with a bench starts inclined
SUPERSET_REST_S: Final = (90, 120)  # R-PLAN-3, default (training-science sec. 7: keep about
# 2 min between supersets): rest after each round of the pair, none between its two moves
PUSH_SETS: Final = coach.SECONDARY_SETS  # R-PLAN-3 with R-RX-2: the push matches the hinge's 3
PUSH_REPS: Final = coach.SECONDARY_REPS  # R-PLAN-3 with R-RX-2: 8-12

# --- R-PLAN-4: cycles and deloads ------------------------------------------------------
CYCLE_WEEKS: Final = (4, 16)  # R-PLAN-4: cycles of 4-16 weeks
DELOAD_EVERY: Final = 5  # R-PLAN-4: a deload week every 4-6 weeks, default 5
DELOAD_EVERY_RANGE: Final = (4, 6)  # R-PLAN-4
DELOAD_SETS_FRACTION: Final = 0.5  # R-PLAN-4: about half the sets (rounded up, at least 1)
DELOAD_LOAD_CUT: Final = (0.10, 0.20)  # R-PLAN-4: load down 10-20 %. Default (RULES silent on
# rounding): the heaviest owned load at least 10 % lighter; when the next lighter implement is
# more than 20 % lighter it is still used (a deload errs light), and with nothing lighter the
# load stays and the reps drop to the bottom of the range
DELOAD_RPE_MAX: Final = 6.0  # R-PLAN-4: RPE 6 or less
EARLY_DELOAD_FLAT_SESSIONS: Final = 3  # R-PLAN-4: e1RM flat for 3 sessions
E1RM_FLAT_TOLERANCE: Final = 0.01  # R-PLAN-4, default (RULES silent): "flat" = none of the
# last 3 sessions beat the session before them by more than 1 % (noise, not progress)
EARLY_DELOAD_FLAG_SESSIONS: Final = 2  # R-PLAN-4: fatigue/soreness flags rise on 2 sessions
EARLY_DELOAD_FLAG_WINDOW: Final = 3  # R-PLAN-4, default (RULES silent): ... of the last 3 hinge
# sessions since the last deload, so two flags months apart do not count as a rise
SORENESS_RISE: Final = coach.MORNING_PAIN_RISE  # R-PLAN-4 with R-SAFE-5: next-morning pain
# 2 or more above baseline counts as a soreness flag

# --- R-PLAN-1 and R-PLAN-4: other training (brought in from another app) --------------
OTHER_HARD_DAY_SETS: Final = coach.OTHER_HARD_DAY_SETS  # R-PLAN-1 with other training: a day
# with 3+ work sets for the legs and hips keeps the next hinge session 48 h away (72 h after
# sets at RPE 9.5+), as a hinge session does; the names are coach/data/other-training.yaml
OTHER_LOAD_WEEKS: Final = 4  # R-PLAN-4, default (RULES silent): the weeks before the plan's
# first day that say what other training a week ahead holds (the shortest deload cycle, so
# one odd week does not decide it); older history says nothing about the weeks ahead
OTHER_LEGS_SETS_ENOUGH: Final = 10  # R-PLAN-4 with R-PLAN-2, default (RULES silent): when the
# other training alone holds 10+ work sets a week for the legs and hips, they already get the
# weekly dose that builds them (training-science sec. 7: 10+ hard sets a muscle a week,
# Schoenfeld, Ogborn & Krieger 2017 [A]; more gives diminishing returns), so the plan leaves
# out the light accessory hinge (the last block, R-PLAN-2, there for the glutes and
# hamstrings) and keeps the technical primary and the secondary. The deload triggers stay
# those of R-PLAN-4 (flat e1RM, fatigue or soreness flags): volume alone is not one.

# --- R-PLAN-4: progressive overload between deloads ------------------------------------
REPS_STEP_PER_WEEK: Final = 1  # R-PLAN-4 with R-PROG-2, default: the planned overload is one
# more rep per build week (double progression); at the top of the range the next owned load
# (2-10 %, R-PROG-2/3) and back to the bottom
BIG_JUMP_PCT: Final = coach.BIG_JUMP_PCT  # R-PROG-3: a jump over 10 % is bridged, not planned
PRIMARY_SETS_MAX: Final = coach.PRIMARY_SETS[1]  # R-RX-2: primary at most 5 sets (R-PROG-3
# bridge: an extra set when the next load is too big a jump)

# --- outputs (R-PLAN-5) ----------------------------------------------------------------
SESSION_TIME: Final = dt.time(18, 0)  # R-PLAN-5, default (RULES silent): calendar events at
# 18:00 local time unless the person says otherwise
REP_SECONDS_MIN: Final = 1.0  # R-PLAN-5, default: an "as fast as good form allows" phase
# counts as 1 s when estimating how long a session takes
SESSION_MINUTES_ROUND: Final = 5  # R-PLAN-5, default: session length rounded up to 5 min
