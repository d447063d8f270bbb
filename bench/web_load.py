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
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

#: The loads measured log far more sessions on one trainee's day than a real day takes
#: (``services/day_limit.py``): the limit is lifted for the measure.
os.environ.setdefault("HINGECOACH_SESSIONS_MAX_PER_DAY", "100000")

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

url, email, password, name, weeks, gym, gym_file = sys.argv[1:8]
engine, catalogue, today = open_database(url), load_catalogue(None), dt.date.today()
seed_web_demo(engine, catalogue, today)
if int(gym):  # people logging at the gym at once: each with a month of history and a sign-in
    import json
    from hingecoach.services.accounts import issue_api_token
    from hingecoach.services.web_sessions import start_session
    now, people = dt.datetime.now(dt.UTC), []
    for i in range(1, int(gym) + 1):
        who = f"gym{i:02d}"
        past = demo_history(weeks=4, seed=100 + i)
        moved = (today - dt.timedelta(days=2)) - past.sessions[-1].date
        add_trainee(engine, who, demo_profile().model_copy(update={"name": who}))
        assess_trainee(engine, who, demo_screen_answers(), catalogue, past.sessions[0].date + moved)
        with UnitOfWork(engine) as uow:
            trainee = uow.trainees.get(who)
            for s in past.sessions:
                uow.sessions.add(trainee, s.model_copy(update={"date": s.date + moved}))
            uow.commit()
        account = create_account(engine, email=f"{who}@example.com", password=None,
                                 display_name=who, role="trainee", trainee_name=who)
        people.append({"name": who, "token": issue_api_token(engine, account.id, now),
                       "sid": start_session(engine, account.id, now)})
    with open(gym_file, "w") as out:
        json.dump(people, out)
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


@dataclass(frozen=True)
class GymUser:
    """A trainee of the gym load: their API token and a signed-in browser's cookie."""

    name: str
    token: str
    cookie: str


@dataclass(frozen=True)
class Served:
    """A running ``hingecoach serve``: its address, its process and the gym's people."""

    base: str
    pid: int
    gym: tuple[GymUser, ...] = ()

    def cpu_s(self) -> float:
        """CPU seconds used so far by the server and its worker processes (all threads)."""
        return sum(_cpu_s(pid) for pid in _process_tree(self.pid))


def _process_tree(pid: int) -> list[int]:
    found = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += _process_tree(int(child))
    except OSError:  # gone, or not Linux
        pass
    return found


def _cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _session_cookie(secret: str, sid: str) -> str:
    """The signed cookie a browser holds after signing in (Starlette's session format)."""
    import base64

    from itsdangerous import TimestampSigner

    data = base64.b64encode(json.dumps({"sid": sid}).encode())
    return "hingecoach_session=" + TimestampSigner(secret).sign(data).decode()


@contextmanager
def server(
    database_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    weeks: int = LONG_WEEKS,
    gym: int = 0,
) -> Iterator[Served]:
    """A seeded app served by ``hingecoach serve`` (on a fresh SQLite file unless
    ``database_url`` names an empty database), with ``gym`` more trainees signed in (a
    month of history each)."""
    with tempfile.TemporaryDirectory(prefix="hingecoach-bench-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'web.db'}"
        secret = "bench-" + "x" * 40
        env = {
            **os.environ,
            "HINGECOACH_DATABASE_URL": url,
            "HINGECOACH_SECRET_KEY": secret,
            # many simulated users share a few accounts: not what the per-account limit is for
            "HINGECOACH_LOGIN_RATE_PER_ACCOUNT": "100000/hour",
            "XDG_DATA_HOME": tmp,
            "HINGECOACH_MEDIA_DIR": str(Path(tmp) / "media"),
            **(extra_env or {}),
        }
        email, password, name = LONG
        people_file = Path(tmp) / "gym.json"
        seed = [sys.executable, "-c", _SEED, url, email, password, name, str(weeks)]
        subprocess.run([*seed, str(gym), str(people_file)], env=env, check=True)
        people = tuple(
            GymUser(p["name"], p["token"], _session_cookie(secret, p["sid"]))
            for p in (json.loads(people_file.read_text()) if gym else [])
        )
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
            yield Served(f"http://127.0.0.1:{port}", proc.pid, people)
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


_LUA_MANY = """
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
local turn = 0
request = function()
  turn = turn + 1
  local one = REQUESTS[((id * 7 + turn) % #REQUESTS) + 1]
  return wrk.format("POST", one[1], one[2], one[3])
end
"""


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a Lua string here (no control characters)


def with_wrk_many(wrk: str, base: str, requests: list[tuple[str, dict[str, str], str]]) -> Load:
    """POSTs at CLIENTS connections, no pause, each request the next of ``requests``
    (path, headers, body) in turn: many people at once, as fast as the server answers."""
    rows = []
    for path, headers, body in requests:
        pairs = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
        rows.append(f"{{{_lua_string(path)}, {{{pairs}}}, {_lua_string(body)}}}")
    lua = "REQUESTS = {" + ",\n".join(rows) + "}\n" + _LUA_MANY + _LUA_DONE
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        cmd = [wrk, "-t4", f"-c{CLIENTS}", f"-d{SECONDS}s", "--timeout", "10s", "-s", script.name]
        out = subprocess.run([*cmd, base], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    found = re.search(r"BENCH (\d+) (\d+) (\d+) (\d+) (\d+)", out)
    assert found, out
    count, duration_us, p50, p95, errors = (int(x) for x in found.groups())
    return Load(count / (duration_us / 1e6), p50 / 1000, p95 / 1000, count, errors, "wrk")


def gym_log_requests(served: Served) -> list[tuple[str, dict[str, str], str]]:
    """Each gym person's API log (their own prescription, stored each time)."""

    async def bodies() -> list[str]:
        clients = [GymClient(served.base, user) for user in served.gym]
        found = []
        for client in clients:
            today = (await client.api.get(f"/api/v1/trainees/{client.user.name}/today")).json()
            found.append(_session_body(today["prescription"]))
            await client.close()
        return found

    return [
        (
            f"/api/v1/trainees/{user.name}/sessions?confirm_spacing=true",
            {"Authorization": f"Bearer {user.token}", "Content-Type": "application/json"},
            body,
        )
        for user, body in zip(served.gym, asyncio.run(bodies()), strict=True)
    ]


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
    with server(extra_env={"HINGECOACH_LOG_BATCH_MAX": str(batch)}, weeks=4) as served:
        base = served.base
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
    with server() as served:
        base = served.base
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


# -- the gym: many people logging at once, each with a history and a sign-in of their own --

GYM_USERS = 50
GYM_PAUSE_S = (2.0, 5.0)  # each person's next request: a pause drawn uniformly from this
GYM_SECONDS = 30
# What one person does, in turn: open Log, save the session from the page, log one by API.
GYM_STEPS = ("GET /log", "POST /log/save", "POST /api/v1/.../sessions")


def _schedstat_ns(pid: int) -> int:
    """Nanoseconds on a CPU so far, summed over the live threads of a process tree (finer
    than /proc/PID/stat's clock ticks, so one request can be measured)."""
    total = 0
    for proc in _process_tree(pid):
        try:
            tasks = list(Path(f"/proc/{proc}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            with suppress(OSError, ValueError, IndexError):
                total += int((task / "schedstat").read_text().split()[0])
    return total


class GymClient:
    """One person at the gym, as their browser and their app do it (async, httpx2)."""

    def __init__(self, base: str, user: GymUser) -> None:
        import httpx2

        self.user = user
        self.web = httpx2.AsyncClient(
            base_url=base, headers={"Cookie": user.cookie}, timeout=60, follow_redirects=False
        )
        self.api = httpx2.AsyncClient(
            base_url=base, headers={"Authorization": f"Bearer {user.token}"}, timeout=60
        )
        self.form: dict[str, str] = {}
        self.body = ""
        self.count = 0

    async def start(self) -> None:
        """Today's prescription for the API's body; the page's form for its saves."""
        today = (await self.api.get(f"/api/v1/trainees/{self.user.name}/today")).json()
        self.body = _session_body(today["prescription"])
        await self.open_log()

    async def open_log(self) -> int:
        """The log page's first paint; keeps the form it holds for the next save."""
        response = await self.web.get("/log")
        page = response.text
        csrf = re.search(r'name="csrftoken" value="([^"]+)"', page)
        data = re.search(r'<script type="application/json" id="log-data">(.*?)</script>', page)
        if csrf and data:
            token = json.loads(data.group(1).replace("<\\/", "</"))["token"]
            keys = re.findall(r'data-key="([^"]+)"[^>]*data-primary="1"', page)
            entries = {k: {"status": "done", "rpe": 7} for k in keys}
            csrf_cookie = response.cookies.get("csrftoken")
            if csrf_cookie:
                self.web.headers["Cookie"] = f"{self.user.cookie}; csrftoken={csrf_cookie}"
            self.form = {
                "csrftoken": csrf.group(1),
                "token": token,
                "entries_json": json.dumps(entries),
                "confirm_spacing": "true",  # every save stored
            }
        return response.status_code

    async def save(self) -> int:
        """Save the session from the log page, a key of its own (answered 303)."""
        self.count += 1
        key = f"gym-{self.user.name}-{time.time_ns()}-{self.count}"
        response = await self.web.post("/log/save", data={**self.form, "key": key})
        return response.status_code

    async def log(self) -> int:
        """Log a session through the API (answered 201)."""
        path = f"/api/v1/trainees/{self.user.name}/sessions?confirm_spacing=true"
        response = await self.api.post(
            path, content=self.body, headers={"Content-Type": "application/json"}
        )
        return response.status_code

    async def step(self, number: int) -> int:
        return await (self.open_log, self.save, self.log)[number % len(GYM_STEPS)]()

    async def close(self) -> None:
        await self.web.aclose()
        await self.api.aclose()


def _session_body(rx: dict[str, object]) -> str:
    """A session as prescribed, every set done (JSON for the API)."""
    reps = (rx.get("reps") or {}).get("target")  # type: ignore[attr-defined]
    one: dict[str, object] = {"form": "clean", "pain": 0, "rpe": 7}
    one |= {"reps": reps} if reps else {"seconds": rx.get("seconds") or 30}
    if rx.get("load_kg"):
        one["load_kg"] = rx["load_kg"]
    sets = [one] * int(rx.get("sets") or 1)  # type: ignore[call-overload]
    return json.dumps(
        {"date": dt.date.today().isoformat(), "exercise_id": rx["exercise_id"], "sets": sets}
    )


def _ok(step: int, status: int) -> bool:
    return status == (200, 303, 201)[step % len(GYM_STEPS)]


async def _gym_clients(served: Served) -> list[GymClient]:
    clients = [GymClient(served.base, user) for user in served.gym]
    for client in clients:
        await client.start()
    return clients


@dataclass(frozen=True)
class CpuCost:
    step: str
    mean_ms: float
    median_ms: float
    requests: int

    def line(self) -> str:
        return f"{self.step} {self.mean_ms:.1f} ms (median {self.median_ms:.1f})"


def measure_cpu(database_url: str | None = None, rounds: int = 4) -> list[CpuCost]:
    """The server's CPU time per request, one request at a time in one server process,
    for what a person at the gym does (``GYM_STEPS``, in turn, person after person,
    ``rounds`` times round the gym). CPU, not wall time: it hardly moves with what
    else the machine runs."""
    env = {"HINGECOACH_WORKERS": "1", "HINGECOACH_SERVE_WORKER": "0"}
    with server(database_url, env, weeks=4, gym=GYM_USERS) as served:

        async def run() -> dict[int, list[float]]:
            clients = await _gym_clients(served)
            costs: dict[int, list[float]] = {i: [] for i in range(len(GYM_STEPS))}
            for number in range(len(GYM_STEPS)):  # warm: each step once, all code paths
                await clients[0].step(number)
            for _ in range(rounds):
                for client in clients:
                    for number in range(len(GYM_STEPS)):
                        before = _schedstat_ns(served.pid)
                        status = await client.step(number)
                        costs[number].append((_schedstat_ns(served.pid) - before) / 1e6)
                        assert _ok(number, status), f"{GYM_STEPS[number]}: {status}"
            for client in clients:
                await client.close()
            return costs

        costs = asyncio.run(run())
    return [
        CpuCost(GYM_STEPS[i], statistics.fmean(ms), statistics.median(ms), len(ms))
        for i, ms in costs.items()
    ]


@dataclass(frozen=True)
class GymLoad:
    """The open loop: each person's requests at their own pace, whatever the answers."""

    step: str
    p50_ms: float
    p95_ms: float
    requests: int
    errors: int

    def line(self) -> str:
        errors = f", {self.errors} errors" if self.errors else ""
        return (
            f"{self.step}: p50 {self.p50_ms:.1f} ms, p95 {self.p95_ms:.1f} ms "
            f"({self.requests} requests{errors})"
        )


def gym_arrivals() -> str:
    low, high = GYM_PAUSE_S
    rate = GYM_USERS / ((low + high) / 2)
    return (
        f"{GYM_USERS} people, each a request every {low:g}-{high:g} s (uniform), "
        f"{rate:.1f} requests/s in all, for {GYM_SECONDS} s"
    )


def measure_gym(database_url: str | None = None) -> tuple[list[GymLoad], str]:
    """An open loop as a gym has it: ``GYM_USERS`` people, each doing ``GYM_STEPS`` in
    turn with a pause of ``GYM_PAUSE_S`` between one request and the next (far faster than
    anyone logs), on ``hingecoach serve`` (one process per core). A request is sent at
    its time whether or not the person's last one was answered, and its time counts from
    then (no coordinated omission). Also: the server's CPU per request and the machine's
    load."""
    import random

    with server(database_url, weeks=4, gym=GYM_USERS) as served:

        async def run() -> tuple[dict[int, list[float]], dict[int, int], float]:
            clients = await _gym_clients(served)
            times: dict[int, list[float]] = {i: [] for i in range(len(GYM_STEPS))}
            errors = dict.fromkeys(range(len(GYM_STEPS)), 0)
            rng = random.Random(14)
            begin = time.perf_counter()
            end = begin + GYM_SECONDS

            async def one(client: GymClient, number: int, due: float) -> None:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                kind = number % len(GYM_STEPS)
                try:
                    ok = _ok(kind, await client.step(number))
                except Exception:
                    ok = False
                if ok:
                    times[kind].append(time.perf_counter() - due)
                else:
                    errors[kind] += 1

            async def person(client: GymClient) -> None:
                due, number, pending = begin + rng.uniform(*GYM_PAUSE_S), 0, []
                while due < end:
                    pending.append(asyncio.create_task(one(client, number, due)))
                    number += 1
                    due += rng.uniform(*GYM_PAUSE_S)
                await asyncio.gather(*pending)

            cpu_before = served.cpu_s()
            await asyncio.gather(*(person(c) for c in clients))
            cpu = served.cpu_s() - cpu_before
            for client in clients:
                await client.close()
            return times, errors, cpu

        load_before = os.getloadavg()[0]
        times, errors, cpu = asyncio.run(run())
        load_after = os.getloadavg()[0]
    loads = []
    for i, samples in times.items():
        cuts = statistics.quantiles(samples, n=100) if len(samples) > 1 else [0.0] * 99
        p50, p95 = cuts[49] * 1000, cuts[94] * 1000
        loads.append(GymLoad(GYM_STEPS[i], p50, p95, len(samples), errors[i]))
    answered = sum(len(t) for t in times.values()) or 1
    note = (
        f"server CPU {cpu / answered * 1000:.1f} ms a request on average; load average "
        f"{load_before:.2f} -> {load_after:.2f} on {os.cpu_count()} cores"
    )
    return loads, note


if __name__ == "__main__":
    print(f"hingecoach serve: {server_processes()} server processes")
    if sys.argv[1:2] == ["--cpu"]:
        for cost in measure_cpu():
            print(f"CPU per request, {cost.requests} requests: {cost.line()}")
        sys.exit()
    if sys.argv[1:2] == ["--gym"]:
        gym_loads, gym_note = measure_gym()
        print(f"open loop, {gym_arrivals()}: " + "; ".join(g.line() for g in gym_loads))
        print(gym_note)
        sys.exit()
    if sys.argv[1:2] == ["--saves"]:
        found = measure_saves(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
    else:
        found = measure()
    for label, load in found:
        print(f"{label}: {load.line()}")
