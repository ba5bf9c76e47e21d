"""End-to-end fixtures: the app in process (`client`), a real uvicorn server (`live_server`)."""

from browser_support import browser, server  # noqa: F401
from web_fixtures import (  # noqa: F401
    client,
    database_url,
    live_server,
    mailbox,
    services,
    settings,
    shared_engine,
    spinecare_app,
    web_app,
)
