"""Web load: requests per second and p95 latency under 50 concurrent clients on loopback.

The app runs as a user runs it, ``hingecoach serve`` (one server process per core), on a
fresh SQLite file with the web demo's people and a trainee with two years of history, in
a temp dir (its data dir too, so nothing touches the user's). The load comes from ``wrk``
(Debian's package, installed here only when missing and possible), else from a small
asyncio client (httpx2), bounded by time. Measured: the today page, the progress page of
the two-year trainee, the log page's first paint (the whole session as a sheet), saving
a logged session from the log page (each save with a key of its own and the spacing
confirmed, so every one is stored), and logging a session through the API.

The log page's save goes through the group commit (``hingecoach.services.group_commit``):
:func:`measure_saves` times it with the batch off (``HINGECOACH_LOG_BATCH_MAX=1``: a
transaction and a commit per save, as the one writer thread did before) and on (the
default), in turns on servers of their own, each with the load average beside it (the
machine may be shared). ``python bench/web_load.py --saves [ROUNDS]`` prints only that.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CLIENTS = 50
SECONDS = 8
TRAINEE = ("ana@example.com", "ana-demo-pass", "Ana")
LONG = ("lena@example.com", "lena-bench-pass", "Lena")  # two years of history
LONG_WEEKS = 104

_SEED = """
import datetime as dt, sys
from hingecoach.coach import demo_history, demo_profile, demo_screen_answers
from hingecoach.knowledge import load_catalogue
from hingecoach.services.accounts import create_account
from hingecoach.services.coaching import assess_trainee
from hingecoach.services.demo import seed_web_demo
from hingecoach.services.trainees import add_trainee
from hingecoach.services.uow import UnitOfWork
from hingecoach.store.migrate import open_database

url, email, password, name, weeks = sys.argv[1:6]
engine, catalogue, today = open_database(url), load_catalogue(None), dt.date.today()
seed_web_demo(engine, catalogue, today)
history = demo_history(weeks=int(weeks), seed=21)
shift = (today - dt.timedelta(days=1)) - history.sessions[-1].date
add_trainee(engine, name, demo_profile().model_copy(update={"name": name}))
assess_trainee(engine, name, demo_screen_answers(), catalogue, history.sessions[0].date + shift)
with UnitOfWork(engine) as uow:  # two years written in one go (logging each takes minutes)
    trainee = uow.trainees.get(name)
    for s in history.sessions:
        uow.sessions.add(trainee, s.model_copy(update={"date": s.date + shift}))
    uow.commit()
create_account(engine, email=email, password=password, display_name=name, role="trainee",
               trainee_name=name)
"""


@dataclass(frozen=True)
class Load:
    rps: float
    p50_ms: float
    p95_ms: float
    requests: int
    errors: int
    tool: str

    def line(self) -> str:
        errors = f", {self.errors} errors" if self.errors else ""
        return (
            f"{self.rps:.0f} req/s, p50 {self.p50_ms:.1f} ms, p95 {self.p95_ms:.1f} ms "
            f"({self.requests} requests, {CLIENTS} clients, {SECONDS} s, {self.tool}{errors})"
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wrk() -> str | None:
    found = shutil.which("wrk")
    if found or not shutil.which("apt-get") or os.geteuid() != 0:
        return found
    print("(installing Debian's wrk for the web load benchmark)", file=sys.stderr)
    subprocess.run(
        "apt-get update -q && apt-get install -y -q wrk",
        shell=True,
        capture_output=True,
        check=False,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which("wrk")


def server_processes() -> int:
    from hingecoach.cli.web_cmds import default_workers

    return default_workers()


@contextmanager
def server(
    database_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    weeks: int = LONG_WEEKS,
) -> Iterator[str]:
    """A seeded app served by ``hingecoach serve`` (on a fresh SQLite file unless
    ``database_url`` names an empty database); yields its base URL."""
    with tempfile.TemporaryDirectory(prefix="hingecoach-bench-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'web.db'}"
        env = {
            **os.environ,
            "HINGECOACH_DATABASE_URL": url,
            "HINGECOACH_SECRET_KEY": "bench-" + "x" * 40,
            # many simulated users share a few accounts: not what the per-account limit is for
            "HINGECOACH_LOGIN_RATE_PER_ACCOUNT": "100000/hour",
            "XDG_DATA_HOME": tmp,
            "HINGECOACH_MEDIA_DIR": str(Path(tmp) / "media"),
            **(extra_env or {}),
        }
        email, password, name = LONG
        seed = [sys.executable, "-c", _SEED, url, email, password, name, str(weeks)]
        subprocess.run(seed, env=env, check=True)
        port = _free_port()
        log = (Path(tmp) / "serve.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "hingecoach", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        log.flush()
                        out = (Path(tmp) / "serve.log").read_text()[-2000:]
                        raise RuntimeError(f"the web app did not start:\n{out}") from None
                    time.sleep(0.1)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


def _cookie(base: str, email: str, password: str) -> str:
    """A signed-in browser's cookies."""
    import httpx2

    with httpx2.Client(base_url=base, follow_redirects=False) as web:
        page = web.get("/login").text
        found = re.search(r'name="csrftoken" value="([^"]+)"', page)
        assert found
        signed = web.post(
            "/login", data={"email": email, "password": password, "csrftoken": found.group(1)}
        )
        assert signed.status_code == 303, signed.text
        return "; ".join(f"{k}={v}" for k, v in web.cookies.items())


def _sign_in(base: str) -> tuple[str, str, str]:
    """A session cookie, an API token and a session body to log (today's prescription)."""
    import httpx2

    email, password, name = TRAINEE
    with httpx2.Client(base_url=base, follow_redirects=False) as web:
        page = web.get("/login").text
        found = re.search(r'name="csrftoken" value="([^"]+)"', page)
        assert found
        web.post("/login", data={"email": email, "password": password, "csrftoken": found.group(1)})
        cookie = "; ".join(f"{k}={v}" for k, v in web.cookies.items())
        page = web.get("/account").text
        found = re.search(r'name="csrftoken" value="([^"]+)"', page)
        assert found
        made = web.post("/account/token", data={"csrftoken": found.group(1)}).text
        token = re.search(r"(hc_[A-Za-z0-9_\-]+)", made)
        assert token, "no API token on the account page"
        today = web.get(
            f"/api/v1/trainees/{name}/today",
            headers={"Authorization": f"Bearer {token.group(1)}"},
        ).json()
    rx = today["prescription"]
    reps = (rx.get("reps") or {}).get("target")
    one = {"form": "clean", "pain": 0, "rpe": 7}
    one |= {"reps": reps} if reps else {"seconds": rx.get("seconds") or 30}
    if rx.get("load_kg"):
        one["load_kg"] = rx["load_kg"]
    body = {
        "date": dt.date.today().isoformat(),
        "exercise_id": rx["exercise_id"],
        "sets": [one] * int(rx.get("sets") or 1),
    }
    return cookie, token.group(1), json.dumps(body)


_LUA_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.timeout + e.status))
end
"""


# A body ending in KEY_MARK gets a key of its own per request (a save from the log page).
KEY_MARK = "key="
_LUA_KEYED = """
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil, wrk.body .. string.format("%s-%d-%d", RUN, id, counter))
end
"""


def _with_wrk(wrk: str, url: str, headers: dict[str, str], method: str, body: str) -> Load:
    lua = _LUA_DONE
    if body.endswith(KEY_MARK):
        lua = f"RUN = {json.dumps(f'bench{time.time_ns()}')}\n" + _LUA_KEYED + lua
    if method != "GET":
        lua = f"wrk.method = {json.dumps(method)}\nwrk.body = {json.dumps(body)}\n" + lua
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        cmd = [wrk, "-t4", f"-c{CLIENTS}", f"-d{SECONDS}s", "--timeout", "10s", "-s", script.name]
        cmd.append(url)
        for key, value in headers.items():
            cmd += ["-H", f"{key}: {value}"]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    found = re.search(r"BENCH (\d+) (\d+) (\d+) (\d+) (\d+)", out)
    assert found, out
    requests, duration_us, p50, p95, errors = (int(x) for x in found.groups())
    return Load(requests / (duration_us / 1e6), p50 / 1000, p95 / 1000, requests, errors, "wrk")


def _with_python(url: str, headers: dict[str, str], method: str, body: str) -> Load:
    import httpx2

    async def run() -> tuple[list[float], int, float]:
        samples: list[float] = []
        errors = 0
        limits = httpx2.Limits(max_connections=CLIENTS)
        async with httpx2.AsyncClient(headers=headers, limits=limits, timeout=30) as client:
            end = time.monotonic() + SECONDS

            async def worker() -> None:
                nonlocal errors
                while time.monotonic() < end:
                    begin = time.perf_counter()
                    content = body
                    if body.endswith(KEY_MARK):
                        content = f"{body}bench{time.time_ns()}-{len(samples)}"
                    try:
                        response = await client.request(method, url, content=content or None)
                    except httpx2.HTTPError:
                        errors += 1
                        continue
                    samples.append(time.perf_counter() - begin)
                    errors += response.status_code >= 400

            start = time.monotonic()
            await asyncio.gather(*(worker() for _ in range(CLIENTS)))
            return samples, errors, time.monotonic() - start

    samples, errors, took = asyncio.run(run())
    cuts = statistics.quantiles(samples, n=100)
    count = len(samples)
    return Load(count / took, cuts[49] * 1000, cuts[94] * 1000, count, errors, "httpx2")


def _warm_up(url: str, headers: dict[str, str]) -> None:
    import httpx2

    for _ in range(4 * server_processes()):
        with httpx2.Client(headers=headers, timeout=60) as fresh:  # a new connection each
            fresh.get(url).raise_for_status()


def _save_body(base: str, cookie: str) -> str:
    """A form posting today's primary sets, ticked done, from the log page (the key is
    added per request, see KEY_MARK)."""
    from urllib.parse import urlencode

    import httpx2

    page = httpx2.get(base + "/log", headers={"Cookie": cookie}).text
    csrf = re.search(r'name="csrftoken" value="([^"]+)"', page)
    data = re.search(r'<script type="application/json" id="log-data">(.*?)</script>', page)
    assert csrf and data, "no log sheet on the log page"
    token = json.loads(data.group(1).replace("<\\/", "</"))["token"]
    keys = re.findall(r'data-key="([^"]+)"[^>]*data-primary="1"', page)
    entries = {k: {"status": "done", "rpe": 7} for k in keys}
    form = {
        "csrftoken": csrf.group(1),
        "token": token,
        "entries_json": json.dumps(entries),
        "confirm_spacing": "true",  # every save stored (else all but the first are 409)
    }
    return urlencode(form) + "&" + KEY_MARK


def _save_load(batch: int) -> tuple[Load, float, float]:
    """``POST /log/save`` at CLIENTS concurrent saves on a fresh server whose group commit
    takes at most ``batch`` saves a commit; with the 1-minute load average before and
    after."""
    wrk = _wrk()
    with server(extra_env={"HINGECOACH_LOG_BATCH_MAX": str(batch)}, weeks=4) as base:
        cookie, _token, _body = _sign_in(base)
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        body = _save_body(base, cookie)
        load_before = os.getloadavg()[0]
        if wrk:
            load = _with_wrk(wrk, base + "/log/save", headers, "POST", body)
        else:
            load = _with_python(base + "/log/save", headers, "POST", body)
        return load, load_before, os.getloadavg()[0]


def measure_saves(rounds: int = 1) -> list[tuple[str, Load]]:
    """The log page's save with group commit off and on, side by side: ``rounds`` turns
    of (off, on), so a change in the machine's load falls on both."""
    from hingecoach.services.group_commit import DEFAULT_MAX_BATCH

    modes = (
        (1, "each save its own commit (HINGECOACH_LOG_BATCH_MAX=1, as before)"),
        (DEFAULT_MAX_BATCH, f"group commit (batches of up to {DEFAULT_MAX_BATCH}, the default)"),
    )
    results = []
    for turn in range(1, rounds + 1):
        for batch, what in modes:
            load, before, after = _save_load(batch)
            label = (
                f"POST /log/save, {what}, turn {turn}"
                f" (load average {before:.2f} -> {after:.2f} on {os.cpu_count()} cores)"
            )
            results.append((label, load))
    return results


def measure() -> list[tuple[str, Load]]:
    wrk = _wrk()
    results = []
    with server() as base:
        cookie, token, body = _sign_in(base)
        long_cookie = _cookie(base, LONG[0], LONG[1])
        targets = (
            ("GET /today (trainee's card, HTML)", "/today", {"Cookie": cookie}, "GET", ""),
            (
                f"GET /progress (charts and insights, {LONG_WEEKS} weeks of history, HTML)",
                "/progress",
                {"Cookie": long_cookie},
                "GET",
                "",
            ),
            (
                "GET /log (log page first paint: the whole session, HTML)",
                "/log",
                {"Cookie": cookie},
                "GET",
                "",
            ),
            (
                "POST /log/save (save a logged session, a new key each, then 303)",
                "/log/save",
                {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
                "POST",
                _save_body(base, cookie),
            ),
            (
                "POST /api/v1/trainees/Ana/sessions (log a session, JSON, stored each time)",
                "/api/v1/trainees/Ana/sessions?confirm_spacing=true",
                {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                "POST",
                body,
            ),
        )
        for label, path, headers, method, payload in targets:
            if method == "GET":  # each server process draws the page once before timing
                _warm_up(base + path, headers)
            if wrk:
                load = _with_wrk(wrk, base + path, headers, method, payload)
            else:
                load = _with_python(base + path, headers, method, payload)
            results.append((label, load))
    return results + measure_saves()


if __name__ == "__main__":
    print(f"hingecoach serve: {server_processes()} server processes")
    if sys.argv[1:2] == ["--saves"]:
        found = measure_saves(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
    else:
        found = measure()
    for label, load in found:
        print(f"{label}: {load.line()}")
