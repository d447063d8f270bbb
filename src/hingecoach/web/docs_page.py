"""``/api/docs``: Swagger UI for the JSON API, from the app's own vendored copy.

``scripts/vendor_live.py`` installs ``swagger-ui-dist`` (pinned, integrity-checked) into
``static/vendor/swagger-ui/`` at set-up; nothing comes from a CDN. The page is started by
``static/api-docs.js`` (no inline script: the Content-Security-Policy forbids them).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

__all__ = ["router"]

router = APIRouter()

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hingecoach API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="/api/v1/openapi.json"></div>
<noscript>The API documentation needs JavaScript; the schema itself is at
<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</noscript>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""


@router.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
async def api_docs() -> HTMLResponse:
    return HTMLResponse(_PAGE)
