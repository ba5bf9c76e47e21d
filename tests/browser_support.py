"""One way to run real-browser tests: Debian chromium through Playwright, axe-core from npm.

On a developer machine without the browser the tests skip with the reason; in CI
(env CI set) a missing prerequisite fails instead, because `make test` installs both.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
LFORMS_DIST = REPO_ROOT / "node_modules" / "lforms" / "dist" / "lforms"
# Headless on a closed network (machines here refuse Chromium's background connections).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def require(*paths: Path) -> None:
    """Skip (or, in CI, fail) when a browser-test prerequisite is missing."""
    missing = [str(p) for p in (CHROMIUM, *paths) if not p.exists()]
    if not missing:
        return
    message = f"browser tests need {', '.join(missing)} (make test installs them)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, mailbox: Any) -> Iterator[Any]:
    """A real uvicorn server on 127.0.0.1 with its own temporary SQLite database; its
    e-mails reach the test ``mailbox`` (a real SMTP server on 127.0.0.1)."""
    from web_fixtures import start_server, stop_server

    require(AXE_JS)
    live = start_server(tmp_path_factory.mktemp("browser") / "data", mailbox=mailbox)
    yield live
    stop_server(live)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require(AXE_JS)
    with chromium() as launched:
        yield launched
