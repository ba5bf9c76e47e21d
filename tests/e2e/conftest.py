"""End-to-end fixtures: the real app (in process), a real uvicorn server, demo users."""

from web_fixtures import (  # noqa: F401
    client,
    database_url,
    live_server,
    services,
    settings,
    web_app,
)
