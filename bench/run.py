"""Benchmarks: each prints what it measured, in plain numbers. Run with ``make bench``.

Numbers are medians over several runs on this machine; they are for reading, not asserting.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable

BENCHES: list[tuple[str, Callable[[], str]]] = []


def bench(name: str) -> Callable[[Callable[[], str]], Callable[[], str]]:
    def register(fn: Callable[[], str]) -> Callable[[], str]:
        BENCHES.append((name, fn))
        return fn

    return register


def _median_s(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@bench("hingecoach --help start-up (goal: well under 0.5 s)")
def startup() -> str:
    cmd = [sys.executable, "-m", "hingecoach", "--help"]
    seconds = _median_s(lambda: subprocess.run(cmd, capture_output=True, check=True), 7)
    return f"{seconds * 1000:.0f} ms median of 7 runs"


@bench("catalogue load and validation, cold process")
def catalogue_cold() -> str:
    code = (
        "import time; t=time.perf_counter(); from hingecoach.knowledge import load_catalogue;"
        "c=load_catalogue([]); print(len(c.exercises), time.perf_counter()-t)"
    )
    results = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        count, seconds = out.stdout.split()
        results.append(float(seconds))
    return f"{statistics.median(results) * 1000:.0f} ms for {count} exercises (median of 5)"


@bench("catalogue load, warm (cached)")
def catalogue_warm() -> str:
    from hingecoach.knowledge import load_catalogue

    load_catalogue([])
    seconds = _median_s(lambda: load_catalogue([]), 1000)
    return f"{seconds * 1e6:.1f} us per call"


def _percentiles_ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


@bench("prescribe from a two-year history (goal: under 10 ms)")
def prescribe_two_years() -> str:
    from hingecoach.coach import demo_history, demo_profile, prescribe
    from hingecoach.knowledge import load_catalogue

    catalogue = load_catalogue([])
    history = demo_history(weeks=104)
    profile = demo_profile()
    sets = sum(len(s.sets) for s in history.sessions)
    prescribe(profile, history, catalogue)
    samples = []
    for _ in range(50):
        start = time.perf_counter()
        prescribe(profile, history, catalogue)
        samples.append(time.perf_counter() - start)
    return f"{_percentiles_ms(samples)} ({len(history.sessions)} sessions, {sets} sets)"


@bench("place 10,000 generated profiles (goal: under 2 s)")
def place_many() -> str:
    import random

    from hingecoach.coach import Profile, ScreenAnswers, demo_screen_answers, place
    from hingecoach.knowledge import load_catalogue

    catalogue = load_catalogue([])
    rng = random.Random(3)
    base = demo_screen_answers().model_dump()
    people = []
    for _ in range(10_000):
        answers = ScreenAnswers.model_validate(
            base
            | {
                "wall_touch_pass": rng.random() < 0.8,
                "dowel_hinge_pass": rng.random() < 0.6,
                "aslr_score": rng.randint(0, 3),
                "toe_touch_clean": rng.random() < 0.5,
                "single_leg_stance_s": rng.uniform(5, 60),
                "unloaded_hinge_pain": rng.choice((0, 0, 0, 1, 2, 4, 7)),
            }
        )
        profile = Profile.model_validate(
            {
                "age": rng.randint(18, 80),
                "goal": rng.choice(("learn", "pain-free", "strength", "hypertrophy", "power")),
                "training_history": rng.choice(("novice", "intermediate", "advanced")),
                "body_mass_kg": rng.uniform(50, 120),
                "equipment": {"kettlebells_kg": rng.choice(([], [8, 12], [12, 16, 20, 24]))},
            }
        )
        people.append((profile, answers))
    start = time.perf_counter()
    for profile, answers in people:
        place(profile, answers, catalogue)
    return f"{time.perf_counter() - start:.2f} s"


def _bench_store(url: str) -> str:
    import datetime as dt

    from hingecoach.coach import Session, demo_history, demo_profile
    from hingecoach.knowledge import load_catalogue
    from hingecoach.services.coaching import log_session, today_for
    from hingecoach.services.trainees import add_trainee
    from hingecoach.services.uow import UnitOfWork
    from hingecoach.store.migrate import open_database

    catalogue = load_catalogue([])
    engine = open_database(url)
    history = demo_history(weeks=104)
    today = dt.date.today()
    shift = (today - dt.timedelta(days=200)) - history.sessions[-1].date
    add_trainee(engine, "bench", demo_profile())
    with UnitOfWork(engine) as uow:  # two years of history, written in one go
        trainee = uow.trainees.get("bench")
        for s in history.sessions:
            uow.sessions.add(trainee, s.model_copy(update={"date": s.date + shift}))
        uow.commit()
    last = history.sessions[-1]
    five_sets = Session(
        date=today - dt.timedelta(days=100),
        exercise_id=last.exercise_id,
        sets=last.work_sets[:5] if len(last.work_sets) >= 5 else (last.sets * 5)[:5],
    )
    log_samples, today_samples, history_samples = [], [], []
    for i in range(30):
        start = time.perf_counter()
        log_session(
            engine,
            "bench",
            five_sets.model_copy(update={"date": five_sets.date + dt.timedelta(days=i)}),
            catalogue,
            today,
        )
        log_samples.append(time.perf_counter() - start)
        start = time.perf_counter()
        today_for(engine, "bench", catalogue)
        today_samples.append(time.perf_counter() - start)
    from hingecoach.store.repositories import PARSED_SESSIONS

    warm_samples = []
    for _ in range(10):
        PARSED_SESSIONS.clear()  # read and validated from the database
        start = time.perf_counter()
        with UnitOfWork(engine) as uow:
            uow.sessions.sessions(uow.trainees.get("bench"))
        history_samples.append(time.perf_counter() - start)
        start = time.perf_counter()  # again: the parsed sessions come from the process
        with UnitOfWork(engine) as uow:
            uow.sessions.sessions(uow.trainees.get("bench"))
        warm_samples.append(time.perf_counter() - start)
    engine.dispose()
    return (
        f"log a 5-set session {_percentiles_ms(log_samples)}; "
        f"today {_percentiles_ms(today_samples)}; "
        f"history of {len(history.sessions) + 30} sessions {_percentiles_ms(history_samples)}"
        f" (read again: {_percentiles_ms(warm_samples)})"
    )


@bench("store on SQLite, fsync on (goals p95: log 20 ms, today 50 ms, history 100 ms)")
def store_sqlite() -> str:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        return _bench_store(f"sqlite:///{Path(tmp) / 'bench.db'}")


@bench("store on PostgreSQL ($HINGECOACH_TEST_POSTGRES_URL)")
def store_postgres() -> str:
    import os
    import uuid

    from sqlalchemy import create_engine, text

    url = os.environ.get("HINGECOACH_TEST_POSTGRES_URL", "")
    if not url:
        return "skipped: no HINGECOACH_TEST_POSTGRES_URL"
    admin_url = "postgresql+psycopg://" + url.split("://", 1)[1]
    name = f"hingecoach_bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        return f"skipped: no server answers ({type(exc).__name__})"
    try:
        return _bench_store(admin_url.rsplit("/", 1)[0] + f"/{name}")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# -- form from video (issue 6): MediaPipe alone vs the whole pipeline, cores, memory --


def _form_skip() -> str | None:
    import form_bench

    return form_bench.available()


@bench(
    "form: 21 s 60 fps phone clip: pose alone / analyze / analyze --out, 720p and 1080p; "
    "goal rows for --out within 10 % of analyze: [one core] CPU s, the process pinned to "
    "one CPU (two runs, and the --out work timed inside one run); [two cores] wall s, the "
    "process free on both (faster than real time: RTF)"
)
def form_pipeline() -> str:
    import form_bench

    if (why := _form_skip()) is not None:
        return why
    if not form_bench.PHONE_CLIP.is_file():
        return f"skipped: no {form_bench.PHONE_CLIP.name} in {form_bench.CLIPS}"
    parts = []
    for side in (720, 1080):
        clip = form_bench.phone_clip(side)
        # side by side, alternating, so a busy moment of the machine hits all alike
        pose = form_bench.measure(clip, "pose")
        bare = form_bench.measure(clip, "bare")
        out = form_bench.measure(clip, "out")
        bare2 = form_bench.measure(clip, "bare", one_core=False)
        out2 = form_bench.measure(clip, "out", one_core=False)
        dur = bare["duration_s"]
        p, b, o = pose["seconds"], bare["seconds"], out["seconds"]
        pc, bc, oc = pose["cpu_s"], bare["cpu_s"], out["cpu_s"]
        b2, o2 = bare2["seconds"], out2["seconds"]
        # five runs: one run's share moved 10-12 % on a quiet 2-core host (stop 28), and
        # 8.6-14 % on a busier one (stop 31)
        shares = sorted(form_bench.out_share(clip)["out_share"] for _ in range(5))
        share = shares[2]
        scans, scan_cpu = form_bench.people_scan_cost(clip)
        looked, cuts_cpu, posed_cpu = form_bench.frame_cuts_cost(clip)
        parts.append(
            f"{side}p: people scan {scans} frames, {scan_cpu:.1f} CPU s "
            f"({scan_cpu / pc:.1%} of pose alone); frame cuts {cuts_cpu / looked * 1e3:.2f} "
            f"ms a frame ({cuts_cpu / posed_cpu:.1%} of pose); "
            f"pose alone {p:.1f} s ({pose['posed']:.0f} of {pose['frames']:.0f} "
            f"frames posed, RTF {p / dur:.2f}), analyze {b:.1f} s ({b / p:.2f}x pose, "
            f"RTF {b / dur:.2f}), --out {o:.1f} s ({o / p:.2f}x pose, {o / b - 1:+.0%} on "
            f"analyze, RTF {o / dur:.2f}); [one core] CPU s {pc:.1f} / {bc:.1f} / {oc:.1f} "
            f"(--out {oc / bc - 1:+.0%}; in one run: --out's own work {share:+.1%} on the "
            f"analysis, median of 5 runs, {shares[0]:.1%}-{shares[-1]:.1%}); "
            f"[two cores] analyze {b2:.1f} s, --out {o2:.1f} s "
            f"(--out {o2 / b2 - 1:+.0%}, RTF {o2 / dur:.2f}; CPU s {bare2['cpu_s']:.1f} / "
            f"{out2['cpu_s']:.1f})"
        )
    return "; ".join(parts) + f" (RTF: processing time / clip length; {_load()})"


def _load() -> str:
    import os

    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


@bench(
    "form: 60 s 1080p 60 fps clip, one process on one core vs two processes "
    "(goals: RTF under 1 on one core; two at most 0.55x of one)"
)
def form_split() -> str:
    import form_bench

    if (why := _form_skip()) is not None:
        return why
    if not form_bench.PHONE_CLIP.is_file():
        return f"skipped: no {form_bench.PHONE_CLIP.name} in {form_bench.CLIPS}"
    clip = form_bench.looped(form_bench.phone_clip(1080), 60.0)
    one = form_bench.measure(clip, "bare")
    two = form_bench.measure(clip, "bare", one_core=False, processes=2)
    dur = one["duration_s"]
    a, b = one["seconds"], two["seconds"]
    return (
        f"one process {a:.0f} s (RTF {a / dur:.2f}), two processes {b:.0f} s "
        f"(RTF {b / dur:.2f}): {b / a:.2f}x; CPU s {one['cpu_s']:.0f} vs "
        f"{two['cpu_s']:.0f} in total ({_load()})"
    )


@bench("form: two 1080p clips at once on two cores (goal: at least 1.8x one)")
def form_parallel() -> str:
    import form_bench

    if (why := _form_skip()) is not None:
        return why
    one, two, speedup = form_bench.parallel_speedup(form_bench.CLIP_1080)
    return f"one process {one:.1f} fps, two at once {two:.1f} fps in total: {speedup:.2f}x"


@bench("form: peak memory, looped clip 1 vs 10 min (goal: flat)")
def form_memory() -> str:
    import os

    import form_bench

    if (why := _form_skip()) is not None:
        return why
    minutes = [1.0, float(os.environ.get("HINGECOACH_BENCH_LONG_MIN", "10"))]
    rows = form_bench.peak_memory(minutes)
    return ", ".join(f"{m:g} min ({n} frames): {mb:.0f} MB" for m, n, mb in rows)


@bench("build a 16-week plan (goal: under 50 ms)")
def plan_sixteen_weeks() -> str:
    import datetime as dt

    from hingecoach.coach import demo_history, demo_profile
    from hingecoach.knowledge import load_catalogue
    from hingecoach.plan import Plan, build_plan

    catalogue = load_catalogue([])
    history = demo_history(weeks=104)
    profile = demo_profile()
    start = history.sessions[-1].date + dt.timedelta(days=1)

    def build() -> Plan:
        return build_plan(profile, history, catalogue, weeks=16, start=start)

    sessions = sum(len(w.sessions) for w in build().plan_weeks)
    samples = []
    for _ in range(30):
        begin = time.perf_counter()
        build()
        samples.append(time.perf_counter() - begin)
    return f"{_percentiles_ms(samples)} ({sessions} sessions, from a two-year history)"


@bench("progress from a two-year history (goal: under 50 ms; charts drawn once, then cached)")
def progress_two_years() -> str:
    from hingecoach.coach import demo_history, demo_profile
    from hingecoach.coach.tracking import progress
    from hingecoach.knowledge import load_catalogue

    catalogue = load_catalogue([])
    history = demo_history(weeks=104)
    profile = demo_profile()
    progress(history, catalogue, profile=profile)
    samples = []
    for _ in range(30):
        begin = time.perf_counter()
        progress(history, catalogue, profile=profile)
        samples.append(time.perf_counter() - begin)
    result = f"{_percentiles_ms(samples)} ({len(history.sessions)} sessions)"
    try:
        from hingecoach.web.charts import charts_for
    except ImportError:  # the web extra is not installed
        return result
    done = progress(history, catalogue, profile=profile)
    begin = time.perf_counter()
    charts_for(done, None)
    first = time.perf_counter() - begin
    return f"{result}; all six charts, whole history, first draw {first * 1000:.0f} ms"


@bench("web: 50 concurrent clients on loopback, `hingecoach serve` (goal: p95 under 100 ms)")
def web_load() -> str:
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        return "skipped (the web extra is not installed)"
    from web_load import measure, server_processes

    lines = "; ".join(f"{label}: {load.line()}" for label, load in measure())
    return f"{server_processes()} server processes; {lines}"


@bench("live coaching on one core (goals: 50+ landmark sessions, p95 < 100 ms; pose 1+)")
def live_load() -> str:
    try:
        import uvicorn  # noqa: F401
        import websockets  # noqa: F401
    except ImportError:
        return "skipped (the web extra is not installed)"
    from live_load import measure

    return "; ".join(f"{label}: {text}" for label, text in measure())


@bench("API session log at 50 concurrent writers, SQLite and PostgreSQL (goal: p95 100 ms)")
def write_load() -> str:
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        return "skipped (the web extra is not installed)"
    import write_load as writes

    split = "; ".join(f"{label}: {text}" for label, text in writes.split_all())
    load = "; ".join(f"{label}: {text}" for label, text in writes.measure())
    return f"where a log's time goes (one process, no HTTP) {split}. Over HTTP: {load}"


@bench(
    "log path: the server's CPU per request, one process, one request at a time "
    "(50 people in turn, each: open Log, save it, log by API; `python bench/write_load.py --cpu`)"
)
def log_cpu() -> str:
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        return "skipped (the web extra is not installed)"
    import write_load as writes

    return "; ".join(f"{label}: {text}" for label, text in writes.cpu_all())


@bench(
    "web: the body-size limit and security headers, CPU added per request "
    "(goal: nothing measurable beside a page's 10-15 ms; `python bench/guards_cost.py`)"
)
def guards_cost() -> str:
    import guards_cost as guards

    return guards.measure()


@bench(
    "the gym, open loop: the log page's first paint and the save round trip "
    "(goal: p95 under 100 ms; `python bench/write_load.py --gym`)"
)
def gym_open_loop() -> str:
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        return "skipped (the web extra is not installed)"

    import write_load as writes
    from web_load import gym_arrivals

    rows = "; ".join(f"{label}: {text}" for label, text in writes.gym_all())
    return f"{gym_arrivals()}, `hingecoach serve` ({_load()} before). {rows}"


@bench("progress page, first load, two years of history (goal: under 300 ms)")
def progress_first_load() -> str:
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        return "skipped (the web extra is not installed)"
    from progress_load import measure as progress_measure

    return progress_measure()


@bench("import a five-year Strong history, about 10,000 sets (goal: under 2 s)")
def import_five_years() -> str:
    from import_bench import measure

    return measure()


@bench("clips queued, analysed by `hingecoach worker` with 1 and 2 processes (clips/min)")
def worker_throughput() -> str:
    from worker_bench import measure

    return measure()


def main() -> None:
    """``python bench/run.py [WORD ...]``: every bench, or those whose function name or
    title holds one of the words (``bench/run.py form_pipeline``: the form rows only)."""
    words = [w.lower() for w in sys.argv[1:]]
    if any(w in ("-h", "--help") for w in words):
        print(main.__doc__)
        for name, fn in BENCHES:
            print(f"  {fn.__name__}: {name}")
        return
    for name, fn in BENCHES:
        if not words or any(w in f"{fn.__name__} {name}".lower() for w in words):
            print(f"{name}: {fn()}", flush=True)


if __name__ == "__main__":
    main()
