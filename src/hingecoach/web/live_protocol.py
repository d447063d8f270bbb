"""The live coaching protocol's messages from the browser, their limits and close codes
(``docs/live-protocol.md``): validated with pydantic, explained in one line when wrong."""

from __future__ import annotations

from typing import Annotated, Literal

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
    "ClientMessage",
    "EndMessage",
    "FrameMessage",
    "ImageMessage",
    "LogMessage",
    "StartMessage",
    "explain_invalid",
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
