"""The live coaching protocol (``docs/live-protocol.md``): the messages from the browser,
their limits and close codes, validated with pydantic and explained in one line when wrong;
and the server's events as JSON text."""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

__all__ = [
    "BUSY_RETRY_S",
    "CLOSE_NORMAL",
    "CLOSE_POLICY",
    "CLOSE_TRY_LATER",
    "MAX_ERRORS",
    "MAX_IMAGE_SIDE_PX",
    "MAX_JPEG_BYTES",
    "MAX_TEXT_BYTES",
    "MESSAGE",
    "BadMessage",
    "ClientMessage",
    "EndMessage",
    "FrameMessage",
    "ImageMessage",
    "LogMessage",
    "Picture",
    "StartMessage",
    "busy_text",
    "event_text",
    "explain_invalid",
    "parse_picture",
    "parse_text",
    "refusal_text",
    "too_many_live_message",
]

MAX_TEXT_BYTES = 16 * 1024
MAX_JPEG_BYTES = 100 * 1024
MAX_IMAGE_SIDE_PX = 640
MAX_ERRORS = 20
CLOSE_NORMAL = 1000
CLOSE_POLICY = 1008
CLOSE_TRY_LATER = 1013
BUSY_RETRY_S = 30

# -- messages (client -> server) -------------------------------------------------------------

# Landmark x and y are 0..1 of the frame; points just outside the picture (a foot at the
# edge) come a little below 0 or above 1, so up to half a frame outside is taken.
_XY = Annotated[float, Field(ge=-0.5, le=1.5, allow_inf_nan=False)]
_Z = Annotated[float, Field(ge=-10.0, le=10.0, allow_inf_nan=False)]
_VIS = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
_Point = tuple[_XY, _XY, _Z, _VIS]
_TIME_MS = Annotated[float, Field(ge=0.0, le=1e12, allow_inf_nan=False)]


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class StartMessage(_Message):
    type: Literal["start"]
    width: Annotated[int, Field(ge=16, le=4096)]
    height: Annotated[int, Field(ge=16, le=4096)]
    exercise: Annotated[str, Field(min_length=1, max_length=80)] | None = None


class FrameMessage(_Message):
    type: Literal["frame"]
    t_ms: _TIME_MS
    lm: Annotated[list[_Point], Field(min_length=33, max_length=33)] | None
    people: Annotated[int, Field(ge=0, le=50)] = 1


class ImageMessage(_Message):
    type: Literal["image"]


class EndMessage(_Message):
    type: Literal["end"]
    t_ms: _TIME_MS | None = None


class LogMessage(_Message):
    type: Literal["log"]
    load_kg: Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)] | None = None
    rpe: Annotated[float, Field(ge=1, le=10, allow_inf_nan=False)] | None = None
    pain: Annotated[int, Field(ge=0, le=10)] = 0


ClientMessage = Annotated[
    StartMessage | FrameMessage | ImageMessage | EndMessage | LogMessage,
    Field(discriminator="type"),
]
MESSAGE: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)


def explain_invalid(exc: ValidationError) -> tuple[str, str]:
    """An error code and one clear line for a message that did not validate."""
    first = exc.errors(include_url=False)[0]
    kind = first["type"]
    if kind == "json_invalid":
        return "bad-json", "the message is not valid JSON"
    where = tuple(first["loc"])
    if kind in ("union_tag_not_found", "union_tag_invalid", "model_attributes_type") or (
        len(where) < 2
    ):
        return "bad-type", (
            "each message is a JSON object whose type is one of start, frame, image, end, log"
        )
    msg = first["msg"]
    if "lm" in where and kind in ("too_short", "too_long"):
        msg = "expected 33 points of [x, y, z, visibility]"
    return "bad-message", f"{where[0]}: {'.'.join(str(p) for p in where[1:])}: {msg}"


@dataclass(frozen=True, slots=True)
class BadMessage:
    """A message refused: the ``error`` event's code and one clear line."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Picture:
    """A binary frame for server-side pose: its time and the JPEG."""

    t_ms: float
    jpeg: bytes


def parse_text(text: str) -> ClientMessage | BadMessage:
    """A text frame as a message, or why it is refused."""
    if len(text) > MAX_TEXT_BYTES or len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        return BadMessage("too-large", f"a text message is at most {MAX_TEXT_BYTES // 1024} kB")
    try:
        return MESSAGE.validate_json(text)
    except ValidationError as exc:
        return BadMessage(*explain_invalid(exc))


def parse_picture(data: bytes) -> Picture | BadMessage:
    """A binary frame: ``t_ms`` as a little-endian float64, then a JPEG."""
    if len(data) < 8 + 4 or len(data) > 8 + MAX_JPEG_BYTES:
        return BadMessage(
            "bad-image",
            f"a picture is t_ms (8 bytes) and a JPEG of at most {MAX_JPEG_BYTES // 1024} kB",
        )
    (t_ms,) = struct.unpack("<d", data[:8])
    if not math.isfinite(t_ms) or not 0 <= t_ms <= 1e12:
        return BadMessage("bad-image", "t_ms must be a finite number of milliseconds")
    if data[8:10] != b"\xff\xd8":
        return BadMessage("bad-image", "the picture is not a JPEG")
    return Picture(t_ms, data[8:])


# -- events (server -> client) ---------------------------------------------------------------


def event_text(event_type: str, t_s: float, **fields: Any) -> str:
    """One event of a connection, as the JSON text frame sent."""
    event = {"type": event_type, "t_s": round(t_s, 3), **fields}
    return json.dumps(event, separators=(",", ":"))


def busy_text() -> str:
    """The ``busy`` event of a connection the server has no room for (then 1013)."""
    return json.dumps(
        {
            "type": "busy",
            "t_s": 0.0,
            "retry_after_s": BUSY_RETRY_S,
            "message": "The coach is with as many lifters as it can take right now. "
            f"Try again in {BUSY_RETRY_S} seconds.",
        }
    )


def refusal_text(code: str, message: str) -> str:
    """The ``error`` event of a connection refused before it starts (then 1008)."""
    return json.dumps({"type": "error", "t_s": 0.0, "code": code, "message": message})


def too_many_live_message(limit: int) -> str:
    sessions = "session" if limit == 1 else "sessions"
    return (
        f"You already have {limit} live coaching {sessions} open (in other tabs or windows). "
        "Close the other live tab, then press Start here again."
    )
