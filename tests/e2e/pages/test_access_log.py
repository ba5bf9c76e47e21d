"""The server's access log never holds a query string: search words are health data
(security review finding 5). A real ``spinecare serve``, its log read as written."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from web_fixtures import start_server, stop_server

SYMPTOMS = "I cannot control my bladder"


@pytest.mark.parametrize("workers", [1, 2])
def test_the_access_log_has_the_path_and_never_the_query(tmp_path: Path, workers: int) -> None:
    server = start_server(tmp_path / "data", workers=workers, extra_env={
        "SPINECARE_ACCESS_LOG": "1", "SPINECARE_LOG_LEVEL": "info"})
    try:
        page = httpx.get(f"{server.url}/search", params={"q": SYMPTOMS}, timeout=30)
        api = httpx.get(f"{server.url}/api/v1/search", params={"q": SYMPTOMS}, timeout=30)
        missing = httpx.get(f"{server.url}/articles/nothing-here", params={"q": SYMPTOMS},
                            timeout=30)
    finally:
        stop_server(server)
    assert (page.status_code, api.status_code, missing.status_code) == (200, 200, 404)
    assert "bladder" in page.text  # the search itself still works
    assert server.process.stdout is not None
    log = server.process.stdout.read().decode()
    # The request lines are logged, without anything after the path...
    assert '"GET /search HTTP/1.1" 200' in log, log
    assert '"GET /api/v1/search HTTP/1.1" 200' in log, log
    assert '"GET /articles/nothing-here HTTP/1.1" 404' in log, log
    # ...and the words are nowhere, in any encoding.
    for word in ("bladder", "cannot", "q="):
        assert word not in log, (word, log)
    requests = [line for line in log.splitlines() if " HTTP/1.1\" " in line]
    assert len(requests) >= 3 and not [line for line in requests if "?" in line], requests
