"""Evaluate the form analysis on labelled clips: ``make eval-form`` (issue 6).

Usage::

    python scripts/eval_form.py [LABELS.csv] [--clips DIR] [--cache DIR] [--jobs N] [-v]

LABELS.csv has the columns of ``../shared/data/labels.csv`` (file, exercise, pattern,
side_usable, reps, rep_bottoms_s, faults, cuts, usable_from_s, usable_to_s, ...); clips are
looked up next to it in ``clips/`` unless ``--clips`` says otherwise. Pose tracks,
people scans (everyone in the picture, for ``several-people``) and the cuts found in the
pictures are cached in
``.cache/poses/`` (keyed by the clip's size and modification time), so a second run only
re-does the analysis.

Then the same totals leave one source out (``scripts/form_loso.py``: a few thresholds tuned
on the other sources, each source scored with the values its own clips did not choose).

Prints, per clip and in total: rep count exact-match rate, mean absolute rep-bottom time
error, view decisions against the labels, hinge-vs-squat accuracy, per-fault precision and
recall (clip level), and how many counted reps were cued a fault the clip's labels do not
list (the rep's own cue, which the person reads). For a clip with camera cuts, the expected
reps are the labelled bottoms inside its usable side-view stretch
(``usable_from_s``..``usable_to_s``): that is what a side-view analysis can see; and the
reps counted are those of the takes the analysis found (``FormReport.shots``, cut where the
pictures or the body jump) that overlap that stretch, each take counted on its own.
"""

from __future__ import annotations

import argparse
import csv
import functools
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from hingecoach.capture import posecache
from hingecoach.capture.frame_cuts import FrameCuts
from hingecoach.capture.posecache import cache_path, cuts_cache_path, scan_cache_path
from hingecoach.form.analysis import FormReport
from hingecoach.form.people import PeopleScan
from hingecoach.form.pose import PoseSequence
from hingecoach.form.thresholds import DEFAULT_THRESHOLDS, FormThresholds

REPO = Path(__file__).resolve().parents[1]
DEFAULT_LABELS = REPO.parent / "shared" / "data" / "labels.csv"
DEFAULT_CACHE = REPO / ".cache" / "poses"
MATCH_WINDOW_S = 1.0


#: What a refusal code answers, by the words of a label's "Should be refused (...)" note.
REASON_WORDS = {
    "body-occluded": ("occlusion", "hidden", "hides"),
    "body-cut-off": ("out of frame", "too little of the body", "cut off"),
    "several-people": ("other people", "person in background", "second person"),
    "pose-unreliable": ("backlit", "overlays", "cuts"),
    "not-side-view": ("oblique", "front view", "borderline angle", "rear"),
}
#: Views that a side-view analysis refuses as such.
NOT_SIDE_VIEWS = {"front", "oblique-front", "oblique-rear", "front-oblique"}


def expected_refusals(row: dict[str, str]) -> set[str]:
    """The refusal codes that give a right reason for an unusable clip: from its view and
    other-people columns, and the reasons its note lists ("Should be refused (...)")."""
    codes = set()
    if row.get("view", "").strip() in NOT_SIDE_VIEWS:
        codes.add("not-side-view")
    if row.get("multiple_people", "").strip() == "yes":
        codes.add("several-people")
    note = row.get("notes", "")
    found = re.search(r"Should be refused \(([^)]*)\)", note)
    if found:
        reasons = found.group(1).lower()
        codes |= {code for code, words in REASON_WORDS.items() if any(w in reasons for w in words)}
    return codes


@dataclass
class ClipResult:
    file: str
    usable: bool
    decision: str  # "accepted" or the refusal code
    right_reasons: set[str] = field(default_factory=set)
    reps_expected: int | None = None
    reps_got: int | None = None
    bottom_errors_s: list[float] = field(default_factory=list)
    pattern_expected: str = ""
    pattern_got: str | None = None
    faults_expected: set[str] = field(default_factory=set)
    faults_got: set[str] = field(default_factory=set)
    rep_faults: list[set[str]] = field(default_factory=list)
    """Each counted rep's own faults (what its cue is about)."""
    detail: str = ""

    @property
    def reps_with_unseen_faults(self) -> int:
        """Counted reps told of a fault the clip does not show (its labels list every fault
        seen anywhere in it): a wrong cue, even where the clip-level verdict is right."""
        return sum(1 for faults in self.rep_faults if faults - self.faults_expected)


def _floats(text: str) -> list[float]:
    return [float(x) for x in text.split(";") if x.strip()]


def ensure_tracks(clips: list[Path], cache: Path, jobs: int) -> None:
    posecache.ensure_tracks(clips, cache, jobs, progress=lambda line: print(line, flush=True))
    posecache.ensure_scans(clips, cache, jobs, progress=lambda line: print(line, flush=True))
    posecache.ensure_cuts(clips, cache, jobs, progress=lambda line: print(line, flush=True))


def match_bottoms(expected: list[float], got: list[float]) -> list[float]:
    """Absolute errors of greedy nearest matches within the window."""
    pairs = sorted(
        ((abs(e - g), i, j) for i, e in enumerate(expected) for j, g in enumerate(got)),
    )
    used_e: set[int] = set()
    used_g: set[int] = set()
    errors = []
    for err, i, j in pairs:
        if err > MATCH_WINDOW_S or i in used_e or j in used_g:
            continue
        used_e.add(i)
        used_g.add(j)
        errors.append(err)
    return errors


@functools.cache
def _track(path: Path) -> PoseSequence:
    from hingecoach.capture import load_track

    return load_track(path)


@functools.cache
def _people(path: Path) -> PeopleScan | None:
    """The cached people scan (None: scanning switched off, see
    ``HINGECOACH_PEOPLE_SCAN_FPS``)."""
    from hingecoach.capture.people_scan import load_scan

    return load_scan(path) if path.is_file() else None


@functools.cache
def _cuts(path: Path) -> FrameCuts | None:
    """The cuts found in the pictures, and the camera's path (None: finding them switched
    off, see ``HINGECOACH_FRAME_CUT_MIN_CHANGE``)."""
    from hingecoach.capture.frame_cuts import load_cuts

    return load_cuts(path) if path.is_file() else None


def _in_usable_shots(report: FormReport, bottoms: list[float], lo: float, hi: float) -> list[float]:
    """The bottoms counted in the takes (``report.shots``) that overlap the labelled usable
    stretch ``lo``..``hi``: a clip cut from takes filmed apart is scored on the takes the
    labels score, each counted on its own (a continuous take is one shot: all of them)."""
    takes = [(s.start_s, s.end_s) for s in report.shots if s.end_s > lo and s.start_s < hi]
    return [b for b in bottoms if any(a <= b <= z for a, z in takes)] if takes else bottoms


def evaluate_row(
    row: dict[str, str],
    clips_dir: Path,
    cache: Path,
    verbose: bool,
    thresholds: FormThresholds = DEFAULT_THRESHOLDS,
) -> ClipResult:
    from hingecoach.form import ViewRefusedError, analyze_pose
    from hingecoach.knowledge import load_catalogue

    clip = clips_dir / row["file"]
    usable = row["side_usable"].strip().lower() == "yes"
    seq = _track(cache_path(clip, cache))
    exercise = row["exercise"].strip() or None
    result = ClipResult(file=row["file"], usable=usable, decision="accepted")
    result.right_reasons = set() if usable else expected_refusals(row)
    result.pattern_expected = row["pattern"].strip()
    result.faults_expected = {f for f in row["faults"].split(";") if f.strip()}
    bottoms = _floats(row["rep_bottoms_s"])
    if row.get("cuts", "").strip() == "yes" and row.get("usable_from_s", "").strip():
        lo, hi = float(row["usable_from_s"]), float(row["usable_to_s"])
        bottoms = [b for b in bottoms if lo <= b <= hi]
    result.reps_expected = len(bottoms) if usable else int(row["reps"] or 0)
    cuts = _cuts(cuts_cache_path(clip, cache))
    try:
        report = analyze_pose(
            seq,
            exercise=exercise,
            catalogue=load_catalogue([]),
            thresholds=thresholds,
            people=_people(scan_cache_path(clip, cache)),
            cuts_s=cuts.cuts_s() if cuts is not None else (),
            camera=cuts.camera if cuts is not None else None,
        )
    except ViewRefusedError as exc:
        result.decision = exc.code
        result.detail = str(exc)
        return result
    got = [r.bottom_s for r in report.reps]
    if row.get("cuts", "").strip() == "yes" and row.get("usable_from_s", "").strip():
        got = _in_usable_shots(report, got, float(row["usable_from_s"]), float(row["usable_to_s"]))
    result.reps_got = len(got)
    result.bottom_errors_s = match_bottoms(bottoms, got)
    result.pattern_got = report.pattern
    result.faults_got = set(report.fault_ids)
    result.rep_faults = [{f.id for f in r.faults} for r in report.reps]
    if verbose:
        lines = [
            f"    view {report.view.side} {report.view.angle_deg:.0f} deg "
            f"{report.view.start_s:.1f}-{report.view.end_s:.1f} s; partial {report.partial_reps}"
        ]
        for r in report.reps:
            lines.append(
                f"    rep {r.index}: bottom {r.bottom_s:.2f} down {r.descent_s} "
                f"up {r.ascent_s:.2f} "
                f"hip {r.hip_angle_bottom_deg:.0f} knee {r.knee_angle_bottom_deg:.0f} "
                f"trunk {r.trunk_bottom_deg:.0f} shin {r.shin_bottom_deg:.0f} "
                f"head {r.head_drop_deg:.0f} lock {r.lockout_trunk_deg:.0f} {r.pattern} "
                f"{[f.id for f in r.faults]}"
            )
        lines.append(f"    expected bottoms {bottoms}")
        result.detail = "\n".join(lines)
    return result


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.0f} %)" if d else "n/a"


def report_table(results: list[ClipResult], verbose: bool) -> None:
    print(
        f"{'clip':40} {'view':>15} {'reps':>7} {'bottom err':>10} {'pattern':>13}  "
        "faults (+extra -missed)"
    )
    for r in results:
        want = "accept" if r.usable else "refuse"
        view = f"{r.decision}" + ("" if (r.decision == "accepted") == r.usable else f"!({want})")
        if not r.usable and r.decision != "accepted" and r.decision not in r.right_reasons:
            view += "!(" + "|".join(sorted(r.right_reasons)) + ")"
        reps = f"{r.reps_got}/{r.reps_expected}" if r.reps_got is not None else "-"
        err = (
            f"{sum(r.bottom_errors_s) / len(r.bottom_errors_s):.2f} s" if r.bottom_errors_s else "-"
        )
        pattern = (
            f"{r.pattern_got or '-'}"
            + ("" if r.pattern_got == r.pattern_expected else f"!({r.pattern_expected})")
            if r.decision == "accepted"
            else "-"
        )
        extra = sorted(r.faults_got - r.faults_expected)
        missed = sorted(r.faults_expected - r.faults_got)
        hit = sorted(r.faults_got & r.faults_expected)
        faults = (
            " ".join(hit + [f"+{f}" for f in extra] + [f"-{f}" for f in missed])
            if r.decision == "accepted"
            else ""
        )
        print(f"{r.file:40} {view:>15} {reps:>7} {err:>10} {pattern:>13}  {faults}")
        if verbose and r.detail:
            print(r.detail)


def report(results: list[ClipResult], verbose: bool) -> None:
    report_table(results, verbose)
    print("\nTotals")
    report_totals(results)


def report_totals(results: list[ClipResult]) -> None:
    usable = [r for r in results if r.usable]
    unusable = [r for r in results if not r.usable]
    accepted = [r for r in usable if r.decision == "accepted"]
    exact = sum(1 for r in accepted if r.reps_got == r.reps_expected)
    errors = [e for r in accepted for e in r.bottom_errors_s]
    matched = len(errors)
    expected_bottoms = sum(r.reps_expected or 0 for r in accepted)
    refused = sum(1 for r in unusable if r.decision != "accepted")
    right = sum(1 for r in unusable if r.decision in r.right_reasons)
    print(f"  view: usable clips accepted  {_pct(len(accepted), len(usable))}")
    print(f"  view: unusable clips refused {_pct(refused, len(unusable))}")
    print(f"  view: refused, right reason  {_pct(right, len(unusable))}")
    print(f"  view: usable wrongly refused {len(usable) - len(accepted)}")
    print(f"  rep count exact match        {_pct(exact, len(usable))} of usable clips")
    multi = [r for r in usable if (r.reps_expected or 0) > 1]
    exact_multi = sum(1 for r in multi if r in accepted and r.reps_got == r.reps_expected)
    print(f"  rep count exact, multi-rep   {_pct(exact_multi, len(multi))} of multi-rep clips")
    if errors:
        print(
            f"  rep-bottom time error        mean {sum(errors) / matched:.3f} s over {matched} "
            f"matched of {expected_bottoms} labelled bottoms (window {MATCH_WINDOW_S} s)"
        )
    with_pattern = [r for r in accepted if r.pattern_got is not None]
    correct = sum(1 for r in with_pattern if r.pattern_got == r.pattern_expected)
    print(f"  hinge vs squat               {_pct(correct, len(accepted))} of accepted usable clips")
    wrong_cues = sum(r.reps_with_unseen_faults for r in accepted)
    counted = sum(len(r.rep_faults) for r in accepted)
    print(
        f"  reps cued a fault not seen   {wrong_cues} of {counted} counted reps "
        "(a fault the clip's labels do not list)"
    )
    fault_ids = sorted({f for r in accepted for f in r.faults_expected | r.faults_got})
    print("  per fault (clip level, accepted usable clips):")
    print(f"    {'fault':20} {'tp':>3} {'fp':>3} {'fn':>3} {'precision':>9} {'recall':>7}")
    for fid in fault_ids:
        tp = sum(1 for r in accepted if fid in r.faults_got and fid in r.faults_expected)
        fp = sum(1 for r in accepted if fid in r.faults_got and fid not in r.faults_expected)
        fn = sum(1 for r in accepted if fid not in r.faults_got and fid in r.faults_expected)
        prec = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
        rec = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
        print(f"    {fid:20} {tp:>3} {fp:>3} {fn:>3} {prec:>9} {rec:>7}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("labels", nargs="?", type=Path, default=DEFAULT_LABELS)
    parser.add_argument(
        "--clips", type=Path, default=None, help="default: clips/ next to the labels"
    )
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("-v", "--verbose", action="store_true", help="per-rep measurements")
    parser.add_argument(
        "--no-loso", action="store_true", help="skip the leave-one-source-out evaluation"
    )
    args = parser.parse_args(argv)
    if not args.labels.is_file():
        print(f"no labels file at {args.labels}; pass one (see ../shared/data/README.md)")
        return 2
    clips_dir = args.clips or args.labels.parent / "clips"
    with args.labels.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    clips = [clips_dir / r["file"] for r in rows]
    missing = [c for c in clips if not c.is_file()]
    if missing:
        print(f"missing clips: {', '.join(c.name for c in missing)}")
        return 2
    ensure_tracks(clips, args.cache, args.jobs)
    start = time.perf_counter()
    results = [evaluate_row(r, clips_dir, args.cache, args.verbose) for r in rows]
    report(results, args.verbose)
    print(
        f"\n(analysis of {len(rows)} clips from cached poses: {time.perf_counter() - start:.1f} s)"
    )
    if not args.no_loso:
        from form_loso import leave_one_source_out

        start = time.perf_counter()

        def evaluate(row: dict[str, str], thresholds: FormThresholds) -> ClipResult:
            return evaluate_row(row, clips_dir, args.cache, False, thresholds)

        print("\nLeave one source out (thresholds tuned on the other sources, scored on it)")
        held_out = leave_one_source_out(rows, evaluate)
        print("  totals over the left-out sources")
        report_totals(held_out)
        print(f"\n(leave-one-source-out evaluation: {time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
