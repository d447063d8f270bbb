"""The web app: HTML pages (Jinja2 + HTMX) and the JSON API under /api/v1.

Both sit on the same use cases as the CLI (``hingecoach.services``); routes hold no
coaching logic. Build the app with :func:`hingecoach.web.app.create_app`; nothing is
imported or opened until then.
"""
