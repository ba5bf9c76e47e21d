"""One limit on PDF rendering for every PDF door (review of issue 11): the report for the
doctor (pages and API) is limited like the check summary and the decision aid's summary,
and all of them share the render slots and the per-address allowance.

Before, six concurrent ``GET /api/v1/me/report.pdf`` all rendered at once (7.6 s on 2 cores)."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import httpx

from spinecare.entrypoints.web import pdf_gate
from spinecare.entrypoints.web.pages import decide as decide_page
from web_fixtures import API_PASSWORD, Mailbox, api_user, start_server, stop_server

ANSWERS = {"condition": "lumbar_spinal_stenosis", "conservative_weeks": 20, "benefit": "none",
           "deficit": "none", "warning_signs": dict.fromkeys(decide_page.WARNING_SIGNS, False)}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _live_patient(base: str, mailbox: Mailbox, email: str) -> dict[str, str]:
    body = {"email": email, "password": API_PASSWORD, "name": "Pat", "role": "patient"}
    assert httpx.post(f"{base}/api/v1/auth/register", json=body, timeout=30).status_code == 202
    verified = httpx.post(f"{base}/api/v1/auth/verify", json={"token": mailbox.token(email)},
                          timeout=30)
    assert verified.status_code == 200, verified.text
    token = httpx.post(f"{base}/api/v1/auth/login", timeout=30, json={
        "email": email, "password": API_PASSWORD}).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_concurrent_report_pdfs_are_limited_like_every_pdf(tmp_path: Path,
                                                           mailbox: Mailbox) -> None:
    server = start_server(tmp_path / "data", mailbox=mailbox)
    try:
        headers = _live_patient(server.url, mailbox, "pdf@example.org")
        url = f"{server.url}/api/v1/me/report.pdf"
        with httpx.Client(timeout=60, headers=headers) as warm:  # WeasyPrint loaded once
            first = warm.get(url)
        assert first.status_code == 200 and first.content.startswith(b"%PDF"), first.text
        answers: list[httpx.Response] = []
        start = threading.Barrier(6)

        def ask() -> None:
            with httpx.Client(timeout=120, headers=headers) as client:
                start.wait()
                answers.append(client.get(url))

        askers = [threading.Thread(target=ask) for _ in range(6)]
        for asker in askers:
            asker.start()
        for asker in askers:
            asker.join(timeout=180)
    finally:
        stop_server(server)
    statuses = sorted(a.status_code for a in answers)
    assert len(statuses) == 6 and set(statuses) <= {200, 503}, statuses
    made = [a for a in answers if a.status_code == 200]
    busy = [a for a in answers if a.status_code == 503]
    # Six at once with two render slots: some are told to come back, none wait in a queue.
    assert busy, statuses
    assert 1 <= len(made) <= 6 - len(busy)
    assert all(a.content.startswith(b"%PDF") for a in made)
    for answer in busy:
        assert answer.headers["Retry-After"] == "5"
        assert answer.headers["content-type"].startswith("application/json")
        assert "try again in a few seconds" in answer.json()["detail"]


def test_every_pdf_door_shares_the_render_slots(client) -> None:  # type: ignore[no-untyped-def]
    patient = api_user(client, "slots@example.org")
    page = client.get("/decide").text
    decide_form = {"csrf_token": CSRF.search(page).group(1),  # type: ignore[union-attr]
                   "format": "pdf", "payload": json.dumps(ANSWERS)}
    held = 0
    try:
        while pdf_gate.SLOTS.acquire(blocking=False):  # every render slot busy
            held += 1
        assert held == pdf_gate.PDF_CONCURRENCY
        api = client.get("/api/v1/me/report.pdf", headers=patient["headers"])
        other = client.get(f"/api/v1/patients/{patient['id']}/report.pdf",
                           headers=patient["headers"])
        decide = client.post("/decide/summary", data=decide_form)
    finally:
        for _ in range(held):
            pdf_gate.SLOTS.release()
    for answer in (api, other):
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "5", answer.text
        assert "try again in a few seconds" in answer.json()["detail"]
    assert decide.status_code == 503 and decide.headers["Retry-After"] == "5"
    assert "try again in a few seconds" in decide.text
    # Slots free again: the same report renders.
    again = client.get("/api/v1/me/report.pdf", headers=patient["headers"])
    assert again.status_code == 200 and again.content.startswith(b"%PDF")


def test_the_per_address_allowance_counts_every_door(client) -> None:  # type: ignore[no-untyped-def]
    patient = api_user(client, "allowance@example.org")
    page = client.get("/decide").text
    decide_form = {"csrf_token": CSRF.search(page).group(1),  # type: ignore[union-attr]
                   "format": "pdf", "payload": json.dumps(ANSWERS)}
    assert client.post("/decide/summary", data=decide_form).status_code == 200  # 1 made
    limiter = client.app.state.pdf_limiter
    for _ in range(pdf_gate.PDF_PER_ADDRESS - 2):
        limiter.fail("testclient")
    last = client.get("/api/v1/me/report.pdf", headers=patient["headers"])  # the 20th
    assert last.status_code == 200 and last.content.startswith(b"%PDF")
    refused = client.get("/api/v1/me/report.pdf", headers=patient["headers"])
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert f"You have made {pdf_gate.PDF_PER_ADDRESS} PDFs" in refused.json()["detail"]
    # The page door says what to do instead; the decision aid counts against the same total.
    client.post("/signin", data={"email": "allowance@example.org", "password": API_PASSWORD,
                                 "csrf_token": CSRF.search(client.get("/signin").text).group(1)})
    page_refused = client.get("/report.pdf")
    assert page_refused.status_code == 429, page_refused.status_code
    assert "open the report and print it" in page_refused.text
    token = CSRF.search(client.get("/decide").text).group(1)  # type: ignore[union-attr]
    assert client.post("/decide/summary", data={**decide_form, "csrf_token": token}
                       ).status_code == 429
    # HTML stays available.
    assert client.get("/report/view").status_code == 200
