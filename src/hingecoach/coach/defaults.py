"""Every default number the coach uses, in one place, each with the rule it serves.

Numbers that RULES.md states are copied here with their rule id. Where RULES.md is silent
the comment says ``default (RULES silent)`` and explains the choice; those are listed in the
issue notes so a coach can argue with them. Nothing else in ``hingecoach.coach`` holds a
coaching number.

The per-exercise graduation criterion (R-PROG-1) and the load carry-over ratios (R-PROG-4)
are catalogue data, not defaults; see ``hingecoach.knowledge.schema``.
"""

from __future__ import annotations

from typing import Final

# --- Versioning of the input and output models ----------------------------------------
SCHEMA_VERSION: Final = 1  # R-TRACK-1: stored files name the version they were written in

# --- R-SAFE: safety first --------------------------------------------------------------
PAIN_MAX: Final = 10  # R-SAFE-3: pain is rated 0-10
PAIN_CARRY_ON_MAX: Final = 2  # R-SAFE-3: 0-2 carry on
PAIN_CAUTION_MAX: Final = 5  # R-SAFE-3: 3-5 finish the set, no progression, regress next set
PAIN_STOP_MIN: Final = 6  # R-SAFE-3: 6 or more: stop hinging today, one rung lower next time
MORNING_PAIN_RISE: Final = 2  # R-SAFE-5: next-morning pain this far above baseline regresses
NEW_BACK_PAIN_YOUNG_AGE: Final = 20  # R-SAFE-2: new back pain under 20 ...
NEW_BACK_PAIN_OLD_AGE: Final = 50  # R-SAFE-2: ... or over 50
OLDER_PERSON_AGE: Final = 50  # R-SAFE-2: "a minor trauma in an older person"; RULES silent on
# the age, so the AHCPR cut-off of R-SAFE-2's own age rule (over 50) is reused.
WEEKLY_PAIN_WINDOW_WEEKS: Final = 3  # R-SAFE-5: "rising two weeks running" needs three weeks
WEEKLY_PAIN_MIN_RISE: Final = 0.5  # R-SAFE-5, default (RULES silent): a week counts as a rise
# only when its mean pain is at least half a point above the week before, so rating noise
# (0 -> 0.2 -> 0.4) does not send anyone to a clinician.
WEEKLY_PAIN_REGRESS_MIN: Final = 3.0  # R-SAFE-5, default: with a rising trend, regress (rather
# than hold) when this week's mean pain is in the caution band (3+); otherwise hold.

# --- R-ASSESS: placement ---------------------------------------------------------------
ASLR_REFER: Final = 0  # R-ASSESS-3: ASLR 0 (pain) -> refer
ASLR_WALL_HINGE: Final = 1  # R-ASSESS-3: ASLR 1 -> wall hip hinge
ASLR_FULL: Final = 3  # R-ASSESS-3: ASLR 3 + clean toe touch + a kettlebell -> elevated KB lift
ASLR_LOADED_START_MIN: Final = 2  # R-ASSESS-3, default (RULES silent): a video-based loaded
# start still needs ASLR 2+; with ASLR 2 or a toe touch that is not clean, the loaded start
# comes with the limited-mobility modifier (R-REG-5).
UNLOADED_PAIN_REFER_MIN: Final = 6  # R-ASSESS-3: pain 6+ in unloaded hinges -> refer
UNLOADED_PAIN_WALL_MIN: Final = 3  # R-ASSESS-3: pain 3-5 -> wall hip hinge
SINGLE_LEG_STANCE_MIN_S: Final = 30.0  # R-ASSESS-3: single-leg rungs need 30 s stance

# Starting rungs of R-ASSESS-3 (exercise ids of RULES.md section 10).
START_FAILS_WALL_TOUCH: Final = "hero-squat"  # R-ASSESS-3
START_FAILS_DOWEL: Final = "wall-hip-hinge"  # R-ASSESS-3: butt taps / wall hinge
START_PASSES_DOWEL: Final = "dowel-hip-hinge"  # R-ASSESS-3, default: "hip hinge practice";
# passing the five-rep dowel screen shows the skill, so practice starts on the dowel rung
# (the bodyweight rung below it teaches what the screen already showed).
START_LOADED_NOVICE: Final = "elevated-kettlebell-deadlift"  # R-ASSESS-3: elevated KB lift
KETTLEBELL_START_EXERCISES: Final = ("elevated-kettlebell-deadlift",)  # R-ASSESS-3

# --- R-RX: dose ------------------------------------------------------------------------
LEARNING_STAGE_MAX: Final = 2  # R-RX-2: stages 0-2 are learning rungs
LEARNING_SETS: Final = 3  # R-RX-2: 2-3 sets; 3 so that R-PROG-1 (at least 3 sets) is reachable
LEARNING_REPS: Final = (8, 12)  # R-RX-2: 8-12 reps
LEARNING_SECONDS: Final = 60  # R-RX-2: timed sets of 60 s (about 12 reps at 3/2 tempo)
LEARNING_REST_S: Final = (60, 90)  # R-RX-2, default (RULES silent on learning-rung rest):
# between the accessory 60 s and the secondary 90 s; bodyweight sets need little rest.
WARM_UP_SETS: Final = 2  # R-RX-2: warm-up 2 x 8-10
WARM_UP_REPS: Final = (8, 10)  # R-RX-2
WARM_UP_REST_S: Final = (30, 45)  # R-RX-2
PRIMARY_SETS: Final = (3, 5)  # R-RX-2: primary 3-5 x 3-6
PRIMARY_REPS: Final = (3, 6)  # R-RX-2
PRIMARY_REST_S: Final = (120, 180)  # R-RX-2: 2-3 min
PRIMARY_REST_HARD_S: Final = 300  # R-RX-2: up to 5 min when the last set was RPE 8.5+
PRIMARY_HARD_RPE: Final = 8.5  # R-RX-2
SECONDARY_SETS: Final = 3  # R-RX-2: secondary 3 x 8-12
SECONDARY_REPS: Final = (8, 12)  # R-RX-2
SECONDARY_REST_S: Final = (90, 180)  # R-RX-2: 90 s, 90-180 s for multi-joint hinges
ACCESSORY_SETS: Final = (2, 3)  # R-RX-2: accessory 2-3 x 12-15
ACCESSORY_REPS: Final = (12, 15)  # R-RX-2
ACCESSORY_REST_S: Final = (60, 60)  # R-RX-2: 60 s

STRENGTH_SETS: Final = 4  # R-RX-3 / R-RX-2: primary 3-5 sets; 4 is the middle
STRENGTH_REPS: Final = (4, 6)  # R-RX-3: strength 4-6 reps at 80-85 % e1RM
STRENGTH_PCT: Final = (0.80, 0.85)  # R-RX-3
STRENGTH_REST_S: Final = (120, 180)  # R-RX-3: 2-3 min
STRENGTH_SESSIONS_PER_WEEK: Final = (2, 2)  # R-RX-3
HYPERTROPHY_SETS: Final = 3  # R-RX-3 with R-RX-2 secondary sets
HYPERTROPHY_REPS: Final = (8, 12)  # R-RX-3: 8-12 reps at 65-75 %
HYPERTROPHY_PCT: Final = (0.65, 0.75)  # R-RX-3
HYPERTROPHY_REST_S: Final = (90, 180)  # R-RX-3: prefer 90-180 s for heavy hinges
HYPERTROPHY_SESSIONS_PER_WEEK: Final = (3, 3)  # R-RX-3
LEARNING_SESSIONS_PER_WEEK: Final = (2, 3)  # R-RX-3: learn / pain-free: 2-3 a week
POWER_SETS: Final = 4  # R-RX-3, default (RULES silent on power dosing): 4 sets of 8-12
POWER_REPS: Final = (8, 12)  # R-RX-3, default: crisp reps, stopped before speed fades
POWER_REST_S: Final = (90, 120)  # R-RX-3, default: full recovery between power sets
POWER_SESSIONS_PER_WEEK: Final = (2, 3)  # R-RX-3, default
# R-RX-3 power work is the catalogue's ``power: true`` (knowledge/schema.py), not a list of ids
MIN_HOURS_BETWEEN_HINGE_SESSIONS: Final = 48  # R-PLAN-1, quoted in the coach's advice
MIN_HOURS_AFTER_HARD_SESSION: Final = 72  # R-PLAN-1: after hinge sets at RPE 9.5+
OTHER_HARD_DAY_SETS: Final = PRIMARY_SETS[0]  # R-PLAN-1 with other training, default (RULES
# silent): a day of other training counts for the 48 h gap when it holds at least as many
# work sets for the legs and hips (squats, leg press, lunges...; coach/data/other-training.yaml)
# as the smallest primary hinge block (3, R-RX-2). A few light sets of lunges do not.

TEMPO_LEARNING: Final = (3.0, 2.0)  # R-RX-4: 3 s down, 2 s up (learning rungs, hypertrophy)
TEMPO_STRENGTH: Final = (3.0, 0.0)  # R-RX-4: 2-3 s down, up as fast as good form allows;
# default: the slower end of 2-3 s while the pattern is still new to the trainee.
TEMPO_SLOWER_DOWN_S: Final = 1.0  # R-PROG-3, default: the "slower tempo" bridge adds 1 s down
TEMPO_SLOWER_PAUSE_S: Final = 1.0  # R-PROG-3, default: ... and a 1 s pause at the bottom

RPE_WORK: Final = (7.0, 9.0)  # R-RX-5: work sets at RPE 7-9 (1-3 reps in reserve)
RPE_WORK_TARGET: Final = 8.0  # R-RX-5: middle of the work range
RPE_BEGINNER: Final = (6.0, 8.0)  # R-RX-5: beginners RPE 6-8
RPE_BEGINNER_TARGET: Final = 7.0  # R-RX-5
RPE_NEW_RUNG: Final = (6.0, 7.0)  # R-PROG-4: a new rung starts conservatively at RPE 6-7
RPE_NEW_RUNG_TARGET: Final = 6.5  # R-PROG-4
RPE_MIN_USABLE: Final = 6.0  # R-RX-5: ratings of more than 4 RIR (RPE < 6) are not used
RIR_MAX_USABLE: Final = 4.0  # R-RX-5

# --- R-PROG: progressing ---------------------------------------------------------------
LOAD_STEP_MIN_PCT: Final = 0.02  # R-PROG-2: smallest increment of at least 2 %
BIG_JUMP_PCT: Final = 0.10  # R-PROG-3: a next load more than 10 % heavier is bridged first
DOUBLE_PROGRESSION_SESSIONS: Final = 2  # R-PROG-2: 2-for-2
BRIDGE_REPS_MAX: Final = 15  # R-PROG-3: reps up to 15
BRIDGE_EXTRA_SETS: Final = 1  # R-PROG-3: then an extra set
BRIDGE_STEPS: Final = 3  # R-PROG-3: 1 reps to 15, 2 extra set, 3 slower tempo; then jump
CARRYOVER_FALLBACK_FACTOR: Final = 0.9  # R-PROG-4, default: without logged RPE, start a new
# rung at 90 % of the carried-over load (about two reps in hand: RPE 6-7, not 8).
E1RM_REPS: Final = (2, 10)  # R-PROG-5: only sets of 2-10 reps
E1RM_MIN_RPE: Final = 7.0  # R-PROG-5: at RPE 7 or more
E1RM_BAND_LOW_REPS: Final = (2, 6)  # R-PROG-5: +/-5 % for 3-6 reps; default: 2 reps too,
# because estimates from fewer reps are the more accurate ones (Reynolds 2006)
E1RM_BAND_LOW_PCT: Final = 0.05  # R-PROG-5
E1RM_BAND_HIGH_PCT: Final = 0.10  # R-PROG-5: +/-10 % for 7-10 reps
E1RM_ROLLING_SETS: Final = 3  # R-PROG-6: rolling median of the last 3 valid sets
E1RM_LOOKBACK_SESSIONS: Final = 6  # R-PROG-6, default: look for those sets in the last 6
# sessions of the exercise only, so stale estimates do not steer today's load
RPE_STEP: Final = 0.5  # R-PROG-6: load changes 2 % per 0.5 RPE off target
RPE_STEP_LOAD_PCT: Final = 0.02  # R-PROG-6
RPE_ADJUST_CAP_PCT: Final = 0.10  # R-PROG-6: capped at +/-10 %
RPE_ADJUST_ROUNDING_SLACK_PCT: Final = 0.02  # R-PROG-6 with R-RX-6, default: rounding down to an
# owned load may pass the cap by at most one more 2 % step; a bigger gap (16 -> 12 kg bells)
# moves the reps instead of the load
NEXT_LOAD_CAP_PCT: Final = 0.10  # R-PROG-6 with R-PROG-3: a session-to-session rise from the
# RPE estimate never exceeds 10 %; a bigger jump goes through the R-PROG-3 bridge
# RTS / Tuchscherer chart (training-science.md section 2.3): %1RM by reps 1-12, RPE 6-10.
RPE_CHART: Final = (  # R-PROG-6
    1.000, 0.978, 0.955, 0.939, 0.922, 0.907, 0.892, 0.878, 0.863, 0.850, 0.837,
    0.824, 0.811, 0.799, 0.786, 0.774, 0.762, 0.751, 0.739, 0.723, 0.707, 0.694,
    0.680, 0.667, 0.653, 0.640, 0.626, 0.613, 0.599, 0.586, 0.572,
)  # fmt: skip
RPE_CHART_REPS: Final = (1, 12)  # R-PROG-6: the chart covers 1-12 reps
RPE_CHART_RPE: Final = (6.0, 10.0)  # R-PROG-6: ... and RPE 6-10

# --- R-REG: regressing -----------------------------------------------------------------
SIGN_RECUR_SESSIONS: Final = 3  # R-REG-7: a sign recurring in 2 of the last 3 sessions
SIGN_RECUR_MIN: Final = 2  # R-REG-7
FAILED_MIN_REPS_RUNNING: Final = 2  # R-REG-7: a work set fails its minimum reps twice running
CLEAN_SESSIONS_TO_EASE_MODIFIER: Final = 2  # R-REG-8: two clean sessions lower a modifier
# one step (or remove it) before the rung itself graduates
MINOR_FAULT_SETS_FOR_SIGN: Final = 2  # R-REG, default (RULES silent): a minor fault is a cue;
# it becomes a regression sign only when it shows on 2 or more sets (R-FORM-4 "sustained").
# A breakdown is a sign at once.
INTENSITY_CUT_PCT: Final = 0.10  # R-REG-4: lower the intensity: load -10 %
INTENSITY_EXTRA_REST_S: Final = 30  # R-REG-4: ... longer rest (default: +30 s)
INTENSITY_SETS_CUT: Final = 1  # R-REG-4: ... or fewer sets (default: one fewer, never below 2)
MIN_SETS: Final = 2  # R-REG-4, default: a regressed session keeps at least 2 sets

# --- Engine bounds (how much history the engine reads) ---------------------------------
RUN_WINDOW_SESSIONS: Final = 6  # default: the latest run of sessions on one exercise that the
# rules need (R-PROG-1 two sessions, R-REG-7 three, R-PROG-6 six); older ones are not read
CARRYOVER_LOOKBACK_SESSIONS: Final = 30  # R-PROG-4, default: how far back to look for the
# load last used on the rung a carry-over ratio starts from
