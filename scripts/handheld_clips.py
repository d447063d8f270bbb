"""The labelled clips filmed as if hand-held, in their pixels (issue 19, R-FORM-5).

    python scripts/handheld_clips.py [LABELS.csv] [--seeds 1,2] [--share 0.004]
        [--zoom 0.03] [--turn 2] [--jobs 2] [--only NAME,NAME]

``make sweep-form`` moves a hand-held phone's drift into the pose track alone; here it is in
the picture, so the pose model, the cuts and the camera's path (the room followed behind the
person, :mod:`hingecoach.capture.camera_motion`) all see it. Each usable labelled clip is
cropped to most of its frame by a window that wanders as a hand does
(``tests/unit/form/perturb.py``'s ``handheld_video``), written as H.264,
and analysed from the start. Its verdict (accepted or the refusal, the reps, hinge or squat,
the faults) is printed beside the clip's own, twice: measured as filmed (the camera's path
left out, as before the path was followed) and as the analysis does now. The crop moves the
room as a phone turning in the hand does (every depth alike); a phone carried sideways also
shifts the near floor against the far wall, which this does not make.

Each walk's video, pose track, people scan and cuts (with the camera's path) are kept in
``.cache/handheld/<walk>`` (the seed, drift, zoom and turn), keyed as ``.cache/poses`` is:
a change to the analysis is measured again in seconds, and a change to how the cuts or the
camera's path are found in a minute or two (a decode, no pose); ``--fresh`` makes and
poses every walk anew.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the tests' perturbations

import eval_form  # noqa: E402 - beside this script
from eval_form import DEFAULT_CACHE, DEFAULT_LABELS, ClipResult  # noqa: E402
from form_sweep import Verdict, verdict  # noqa: E402
from tests.unit.form.perturb import handheld_video  # noqa: E402

from hingecoach.capture.frame_cuts import FrameCuts, load_cuts, save_cuts  # noqa: E402
from hingecoach.capture.people_scan import load_scan, save_scan  # noqa: E402
from hingecoach.capture.posecache import (  # noqa: E402
    cache_path,
    cuts_cache_path,
    publish,
    scan_cache_path,
)
from hingecoach.capture.tracks import load_track, save_track  # noqa: E402
from hingecoach.form.people import PeopleScan  # noqa: E402
from hingecoach.form.pose import PoseSequence  # noqa: E402

Job = tuple[dict[str, str], str, int, float, float, float, bool]
Walked = tuple[PoseSequence, PeopleScan | None, FrameCuts | None]

#: Where each walk's video, track, scan and cuts are kept (a directory a walk).
HANDHELD_CACHE = DEFAULT_CACHE.parent / "handheld"
#: Bumped when ``handheld_video`` makes other pictures from the same walk.
_WALK_VERSION = "h1"


Judged = tuple[Verdict, bool]


def _judged(result: ClipResult) -> Judged:
    """The verdict, and whether it is accepted with the labelled reps."""
    exact = result.decision == "accepted" and result.reps_got == result.reps_expected
    return verdict(result), exact


def _video(
    clip: Path, kept: Path, seed: int, share: float, zoom: float, turn: float, fresh: bool
) -> Path:
    """The clip made hand-held along one walk, as H.264 in the walk's directory ``kept``
    (made once, then kept; made again when ``fresh``)."""
    video = kept / f"{clip.stem}.mp4"
    if fresh or not video.is_file():
        kept.mkdir(parents=True, exist_ok=True)
        handheld_video(clip, video, seed, share, zoom, turn)  # written whole or not at all
    return video


def _walked(video: Path) -> Walked:
    """A hand-held clip posed: its track, people scan and cuts."""
    from hingecoach.capture.frame_cuts import open_detector
    from hingecoach.capture.people_scan import open_scanner
    from hingecoach.capture.pipeline import extract_pose
    from hingecoach.capture.video import probe

    scanner, detector = open_scanner(probe(video).duration_s), open_detector()
    try:
        seq = extract_pose(video, people=scanner, cuts=detector)
        people = scanner.result() if scanner is not None else None
    finally:
        if scanner is not None:
            scanner.close()
    return seq, people, detector.result() if detector is not None else None


def _cached_walk(job: Job) -> Walked:
    """One walk's track, scan and cuts: from the cache, or posed and then kept there (when
    neither the scan nor the cuts are switched off)."""
    from hingecoach.capture.frame_cuts import find_frame_cuts

    row, clips_dir, seed, share, zoom, turn_deg, fresh = job
    clip = Path(clips_dir) / row["file"]
    kept = HANDHELD_CACHE / f"{_WALK_VERSION}-s{seed}-d{share:g}-z{zoom:g}-t{turn_deg:g}"
    track = cache_path(clip, kept)
    scan, found = scan_cache_path(clip, kept), cuts_cache_path(clip, kept)
    posed = not fresh and track.is_file() and scan.is_file()
    if posed and found.is_file():
        return load_track(track), load_scan(scan), load_cuts(found)
    video = _video(clip, kept, seed, share, zoom, turn_deg, fresh)
    if posed:
        seq = load_track(track)  # cuts of another recipe: find them again, without the pose
        cuts = find_frame_cuts(video, seq)
        if cuts is not None:
            new_cuts: FrameCuts = cuts
            publish(found, lambda p: save_cuts(new_cuts, p))
        return seq, load_scan(scan), cuts
    seq, people, cuts = _walked(video)
    if people is not None and cuts is not None:
        publish(track, lambda p: save_track(seq, p))
        publish(scan, lambda p: save_scan(people, p))
        publish(found, lambda p: save_cuts(cuts, p))
    return seq, people, cuts


def _judge(job: Job) -> tuple[str, int, Judged, Judged]:
    """One clip made hand-held: its verdict as filmed and followed against the room."""
    row, clips_dir, seed = job[0], job[1], job[2]
    seq, people, cuts = _cached_walk(job)
    still = replace(cuts, camera=None) if cuts is not None else None
    got = []
    for found in (still, cuts):
        with (
            mock.patch.object(eval_form, "_track", lambda _p: seq),
            mock.patch.object(eval_form, "_people", lambda _p: people),
            mock.patch.object(eval_form, "_cuts", lambda _p, f=found: f),
        ):
            got.append(_judged(eval_form.evaluate_row(row, Path(clips_dir), DEFAULT_CACHE, False)))
    return row["file"], seed, got[0], got[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("labels", nargs="?", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--seeds", default="1", help="comma-separated walk seeds")
    parser.add_argument("--share", type=float, default=0.004, help="frame-to-frame drift")
    parser.add_argument("--zoom", type=float, default=0.0, help="zoom's spread (a share)")
    parser.add_argument("--turn", type=float, default=0.0, help="turn's spread (degrees)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", default="", help="comma-separated clip files")
    parser.add_argument("--fresh", action="store_true", help="pose every walk anew")
    args = parser.parse_args(argv)
    if not args.labels.is_file():
        print(f"no labels file at {args.labels}; pass one (see ../shared/data/README.md)")
        return 2
    try:
        seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    except ValueError:
        print(f"--seeds: expected whole numbers separated by commas, got {args.seeds!r}")
        return 2
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    rows = [
        r
        for r in csv.DictReader(args.labels.open(encoding="utf-8", newline=""))
        if r["side_usable"].strip().lower() == "yes" and (not only or r["file"] in only)
    ]
    if args.jobs < 1:
        print(f"--jobs: expected at least 1 process, got {args.jobs}")
        return 2
    for name in ("share", "zoom", "turn"):
        value = getattr(args, name)
        if not 0 <= value < float("inf"):
            print(f"--{name}: expected a number 0 or more, got {value}")
            return 2
    unknown = only - {r["file"] for r in rows}
    if unknown or not rows:
        print(f"no usable labelled clip named {', '.join(sorted(unknown)) or 'at all'}")
        return 2
    clips_dir = args.labels.parent / "clips"
    eval_form.ensure_tracks([clips_dir / r["file"] for r in rows], DEFAULT_CACHE, args.jobs)
    own = {
        r["file"]: _judged(eval_form.evaluate_row(r, clips_dir, DEFAULT_CACHE, False)) for r in rows
    }
    jobs: list[Job] = [
        (r, str(clips_dir), s, args.share, args.zoom, args.turn, args.fresh)
        for r in rows
        for s in seeds
    ]
    moved: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    with ProcessPoolExecutor(args.jobs, mp_context=get_context("spawn")) as pool:
        for name, seed, filmed, followed in pool.map(_judge, jobs):
            for way, (got, right) in (("as filmed", filmed), ("against the room", followed)):
                moved[way] += got != own[name][0]
                exact[way] += right
            print(f"  {name} seed {seed}: own {own[name][0]}", flush=True)
            print(f"      as filmed        {filmed[0]}", flush=True)
            print(f"      against the room {followed[0]}", flush=True)
    steady = sum(right for _, right in own.values())
    print(f"{len(jobs)} hand-held clips ({len(rows)} usable x {len(seeds)} walks):")
    print(f"  {'as labelled':16s} exact reps {steady}/{len(rows)} (the clips as filmed)")
    for way in ("as filmed", "against the room"):
        print(f"  {way:16s} verdicts moved {moved[way]}, exact reps {exact[way]}/{len(jobs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
