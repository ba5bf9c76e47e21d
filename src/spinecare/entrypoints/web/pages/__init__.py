"""Server-rendered pages (Jinja2). One module per area, each exposing ``router``.

``entrypoints/web/app.py`` lists the routers it includes (``ROUTERS``); the underscored
modules are shared helpers.
"""

from fastapi import FastAPI

from spinecare.entrypoints.web.pages._render import error_page


def install(app: FastAPI) -> None:
    """Called by ``create_app``: page errors (403, 404 …) render in the site layout."""
    app.state.error_page = error_page
