"""POST /api/v1/intake over real HTTP: findings with the text behind each, and clear errors."""

from __future__ import annotations

import httpx

from web_fixtures import LiveServer

TEXT = "No fever, but I can't feel when I wipe and my legs are weak. Not sure about my bladder."


def test_intake_returns_findings_spans_and_uncertain(live_server: LiveServer) -> None:
    response = httpx.post(f"{live_server.url}/api/v1/intake", json={"text": TEXT}, timeout=30)
    assert response.status_code == 200
    body = response.json()
    assert body["findings"]["fever"] is False
    assert body["findings"]["saddle_anaesthesia"] is True
    assert body["findings"]["leg_weakness"] is True
    assert "bladder_dysfunction" not in body["findings"]
    assert body["uncertain"] == ["bladder_dysfunction"]
    for span in body["spans"]:
        assert TEXT[span["start"]:span["end"]] == span["text"]
    wipe = next(s for s in body["spans"] if s["key"] == "saddle_anaesthesia")
    assert "wipe" in wipe["text"] and wipe["negated"] is False and wipe["rule"]


def test_intake_rejects_bad_bodies_with_a_reason(live_server: LiveServer) -> None:
    url = f"{live_server.url}/api/v1/intake"
    for body in ({}, {"text": ""}, {"text": 42}, {"text": "x" * 5001},
                 {"text": "ok", "extra": 1}):
        response = httpx.post(url, json=body, timeout=30)
        assert response.status_code == 422, body
        assert "text" in response.text or "extra" in response.text
    assert httpx.post(url, content=b"not json", timeout=30,
                      headers={"content-type": "application/json"}).status_code == 422
