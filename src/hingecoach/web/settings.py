"""The web app's settings: from the environment, or given explicitly (tests)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hingecoach.errors import InputError

__all__ = [
    "ENV_LIVE_MAX_PER_USER",
    "ENV_LIVE_MAX_SESSIONS",
    "ENV_MEDIA_DIR",
    "ENV_REDIS_URL",
    "ENV_SECRET_KEY",
    "ENV_SERVER_PROCESSES",
    "ENV_SERVE_WORKER",
    "ENV_SIGNUP",
    "ENV_SMTP_URL",
    "WebSettings",
]

ENV_SECRET_KEY = "HINGECOACH_SECRET_KEY"
ENV_COOKIE_SECURE = "HINGECOACH_COOKIE_SECURE"
ENV_MEDIA_DIR = "HINGECOACH_MEDIA_DIR"
ENV_REDIS_URL = "HINGECOACH_REDIS_URL"
ENV_LIVE_MAX_SESSIONS = "HINGECOACH_LIVE_MAX_SESSIONS"
ENV_LIVE_MAX_PER_USER = "HINGECOACH_LIVE_MAX_PER_USER"
ENV_SESSION_IDLE_HOURS = "HINGECOACH_SESSION_IDLE_HOURS"
ENV_SESSION_MAX_HOURS = "HINGECOACH_SESSION_MAX_HOURS"
ENV_SIGNUP = "HINGECOACH_SIGNUP"
ENV_SMTP_URL = "HINGECOACH_SMTP_URL"
ENV_MAIL_FROM = "HINGECOACH_MAIL_FROM"
ENV_BASE_URL = "HINGECOACH_BASE_URL"
#: Set by ``hingecoach serve`` for its processes: how many share the in-memory limits.
ENV_SERVER_PROCESSES = "HINGECOACH_SERVER_PROCESSES"
ENV_UPLOAD_MAX_BYTES = "HINGECOACH_UPLOAD_MAX_BYTES"
ENV_BODY_MAX_BYTES = "HINGECOACH_BODY_MAX_BYTES"
#: Logged sessions (API POST, Log page Save) committed together at most (1: each alone).
ENV_LOG_BATCH_MAX = "HINGECOACH_LOG_BATCH_MAX"
ENV_CLIP_MAX_SECONDS = "HINGECOACH_CLIP_MAX_SECONDS"
ENV_CLIP_MAX_QUEUED_PER_USER = "HINGECOACH_CLIP_MAX_QUEUED_PER_USER"
ENV_CLIP_NOBODY_STOP_SECONDS = "HINGECOACH_CLIP_NOBODY_STOP_SECONDS"
ENV_LOGIN_RATE_PER_ACCOUNT = "HINGECOACH_LOGIN_RATE_PER_ACCOUNT"
#: Set by ``hingecoach serve --no-worker`` for its processes: "0" runs pages only (the
#: clips are analysed by ``hingecoach worker`` processes).
ENV_SERVE_WORKER = "HINGECOACH_SERVE_WORKER"
#: Proxies whose X-Forwarded-For is believed (``hingecoach serve``); unset: none, not even
#: loopback, so the address counted for the login limits is the connecting peer's.
ENV_TRUSTED_PROXIES = "HINGECOACH_TRUSTED_PROXIES"


def _env_int(name: str, default: int) -> int:
    """A whole number from the environment (``default`` when unset or empty)."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {text!r}") from None


def _stored_secret() -> str:
    """A secret kept beside the embedded database, made once (so sign-ins survive a
    restart); ``HINGECOACH_SECRET_KEY`` wins when set."""
    from platformdirs import user_data_path

    path = user_data_path("hingecoach", appauthor=False) / "web-secret-key"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(key)
    return key


@dataclass(frozen=True)
class WebSettings:
    database_url: str | None = None  # None: $HINGECOACH_DATABASE_URL, else embedded SQLite
    secret_key: str = ""  # signs session cookies, CSRF tokens and in-progress sessions
    catalogue_dirs: tuple[Path, ...] = ()
    cookie_secure: bool = False  # True behind HTTPS
    login_rate: str = "5/minute"  # per email and address
    login_rate_per_address: str = "20/minute"
    # per account, whatever the address: slows a spread-out guess at one password
    login_rate_per_account: str = "30/hour"
    server_processes: int = 1  # processes sharing the login limits (set by `serve`)
    # Server-side sessions (hingecoach.services.web_sessions): a sign-in ends after this
    # long unused, and after the absolute lifetime however much it is used.
    session_idle_hours: float = 7 * 24.0
    session_max_hours: float = 14 * 24.0
    # Accounts: trainees may sign up alone (off: only invitations make accounts); mail for
    # invitations and password resets (None: the trainer copies the link); links' lifetimes.
    signup: bool = True
    smtp_url: str | None = None  # smtp://user:password@host:port or smtps://...
    mail_from: str = "hingecoach <hingecoach@localhost>"
    base_url: str | None = None  # links in mail; None: the address the request came to
    invite_days: float = 7.0
    reset_hours: float = 2.0
    # Uploaded clips and the background analysis (see hingecoach.web.jobs).
    media_dir: Path | None = None  # None: $HINGECOACH_MEDIA_DIR, else <user data>/clips
    jobs_file: Path | None = None  # the embedded queue; None: <user data>/jobs.db
    redis_url: str | None = None  # a Redis queue instead of the embedded one
    jobs_immediate: bool = False  # run each job inside the request (tests)
    jobs_worker: bool = True  # start the in-process worker with the app
    queue_name: str | None = None  # None: named from the database's URL
    # A worker's claim on its clip lapses unless renewed within this (then another worker
    # takes the clip); a clip started this many times without finishing is failed.
    clip_lease_s: float = 60.0
    clip_max_attempts: int = 3
    upload_max_bytes: int = 200 * 1024 * 1024
    # Fair use of the one analysis worker: the longest clip taken (read from the container
    # at upload), the clips one trainee may have waiting or running, and how long the
    # analysis looks for a person before it stops and refuses the clip.
    clip_max_seconds: float = 180.0
    clip_max_queued_per_user: int = 3
    clip_nobody_stop_s: float = 10.0
    # Every other request body (forms, JSON), refused with 413 before it is read in full.
    body_max_bytes: int = 256 * 1024
    # Group commit of logged sessions (the API's POST and the Log page's Save): at most
    # this many share one transaction (one commit, one fsync); 1 commits each alone
    # (hingecoach.services.group_commit).
    log_batch_max: int = 32
    # Live coaching (hingecoach.web.live_ws): connections per process (sized from `make
    # bench`), frames taken per second per connection (2 x the 30 fps analysed), frames
    # waiting for analysis per connection (the newest are kept, the rest dropped), the
    # threads posing JPEG frames for clients that cannot run the model themselves.
    live_max_sessions: int = 50
    live_max_per_user: int = 3  # of those, one account's (so one person cannot take them all)
    live_max_fps: float = 60.0
    live_pending_frames: int = 8
    live_pose_workers: int = 1
    live_idle_s: float = 120.0
    # The calendar feed (hingecoach.web.calendar_feed): weeks it holds from this week's
    # Monday, how long a fetched copy may be reused (Cache-Control), how often calendar apps
    # are asked to fetch it again, and fetches allowed per address (wrong tokens included).
    calendar_feed_weeks: int = 8
    calendar_feed_cache_s: int = 300
    calendar_feed_refresh_s: int = 3600
    calendar_feed_rate: str = "60/minute"
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> WebSettings:
        return cls(
            secret_key=os.environ.get(ENV_SECRET_KEY, "").strip() or _stored_secret(),
            cookie_secure=os.environ.get(ENV_COOKIE_SECURE, "") in ("1", "true", "yes"),
            media_dir=Path(os.environ[ENV_MEDIA_DIR]) if os.environ.get(ENV_MEDIA_DIR) else None,
            redis_url=os.environ.get(ENV_REDIS_URL, "").strip() or None,
            live_max_sessions=int(os.environ.get(ENV_LIVE_MAX_SESSIONS, "") or 50),
            live_max_per_user=_env_int(ENV_LIVE_MAX_PER_USER, cls.live_max_per_user),
            server_processes=max(1, int(os.environ.get(ENV_SERVER_PROCESSES, "") or 1)),
            upload_max_bytes=_env_int(ENV_UPLOAD_MAX_BYTES, cls.upload_max_bytes),
            body_max_bytes=_env_int(ENV_BODY_MAX_BYTES, cls.body_max_bytes),
            log_batch_max=max(1, _env_int(ENV_LOG_BATCH_MAX, cls.log_batch_max)),
            clip_max_seconds=_seconds(ENV_CLIP_MAX_SECONDS, cls.clip_max_seconds),
            clip_max_queued_per_user=_env_int(
                ENV_CLIP_MAX_QUEUED_PER_USER, cls.clip_max_queued_per_user
            ),
            clip_nobody_stop_s=_seconds(ENV_CLIP_NOBODY_STOP_SECONDS, cls.clip_nobody_stop_s),
            **_queue_settings(),
            login_rate_per_account=os.environ.get(ENV_LOGIN_RATE_PER_ACCOUNT, "").strip()
            or cls.login_rate_per_account,
            **_account_settings(),
        )


def _env_number(name: str, default: float, unit: str, most: float, most_words: str) -> float:
    """A number of ``unit`` from the environment, more than 0 and at most ``most``."""
    text = os.environ.get(name, "").strip()
    try:
        value = float(text) if text else default
    except ValueError:
        raise InputError(f"{name} is a number of {unit}, not {text!r}") from None
    if not 0 < value <= most:
        raise InputError(f"{name} must be more than 0 and at most {most_words} in {unit}")
    return value


def _seconds(name: str, default: float) -> float:
    return _env_number(name, default, "seconds", 24 * 3600, "a day")


def _hours(name: str, default: float) -> float:
    return _env_number(name, default, "hours", 24 * 366, "a year")


def _queue_settings() -> dict[str, Any]:
    """The clip queue's file, name, claims, and whether this process runs a worker."""
    from hingecoach.services import clip_queue as q

    return {
        "jobs_file": q.jobs_file_from_env(),
        "queue_name": os.environ.get(q.ENV_QUEUE_NAME, "").strip() or None,
        "clip_lease_s": q.env_seconds(q.ENV_CLIP_LEASE_SECONDS, WebSettings.clip_lease_s),
        "clip_max_attempts": q.env_whole(q.ENV_CLIP_MAX_ATTEMPTS, WebSettings.clip_max_attempts),
        "jobs_worker": os.environ.get(ENV_SERVE_WORKER, "1").strip() not in ("0", "false", "no"),
    }


def _account_settings() -> dict[str, Any]:
    """Sessions, sign-up, mail and links, from the environment."""
    signup = os.environ.get(ENV_SIGNUP, "on").strip().lower()
    if signup not in ("on", "off", "1", "0", "true", "false", "yes", "no"):
        raise InputError(f"{ENV_SIGNUP} is 'on' or 'off', not {signup!r}")
    values: dict[str, Any] = {
        "session_idle_hours": _hours(ENV_SESSION_IDLE_HOURS, WebSettings.session_idle_hours),
        "session_max_hours": _hours(ENV_SESSION_MAX_HOURS, WebSettings.session_max_hours),
        "signup": signup in ("on", "1", "true", "yes"),
        "smtp_url": os.environ.get(ENV_SMTP_URL, "").strip() or None,
        "base_url": os.environ.get(ENV_BASE_URL, "").strip().rstrip("/") or None,
    }
    if os.environ.get(ENV_MAIL_FROM, "").strip():
        values["mail_from"] = os.environ[ENV_MAIL_FROM].strip()
    return values
