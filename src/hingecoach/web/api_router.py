"""The JSON API's routers: one prefix, one tag and one table of the errors every route may
answer (each router adds what its own 404 and 422 mean)."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["API_PREFIX", "json_router"]

API_PREFIX = "/api/v1"

_ERRORS = {
    401: "No API token, or not a valid one",
    404: "No such trainee among the ones you can see",
    422: "The input is not valid",
}


def json_router(errors: dict[int, str] | None = None) -> APIRouter:
    """A router for part of the API; ``errors`` says what a status means on its routes."""
    described = _ERRORS | (errors or {})
    responses: dict[int | str, dict[str, str]] = {
        status: {"description": text} for status, text in described.items()
    }
    return APIRouter(prefix=API_PREFIX, tags=["api"], responses=responses)
