"""The symptom-check pages word a result from the triage service: the anonymous result, a
saved check read back from storage (a ``TriageResult`` again) and a clinician's view of it."""

from __future__ import annotations

import re

from web_fixtures import API_PASSWORD, api_user

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
FINDING = re.compile(r'name="finding" value="([^"]+)"')
RADIO = re.compile(r'type="radio" name="answer" value="([^"]+)"')
# An older person whose legs ache on walking (stenosis-like); every other question "no".
SCRIPT = {"age": "71", "sex": "male", "back_pain": "yes", "leg_pain": "yes",
          "leg_symptoms_walking": "yes", "relief_sitting_or_flexion": "yes",
          "leg_symptoms_bilateral": "yes"}


def _csrf(client, path: str) -> str:  # type: ignore[no-untyped-def]
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    return CSRF.search(page.text).group(1)  # type: ignore[union-attr]


def _walk(client) -> str:  # type: ignore[no-untyped-def]
    """Answer the interview from SCRIPT ("not sure" to numbers it lacks); the last redirect."""
    step = client.post("/check/start", follow_redirects=False,
                       data={"description": "", "csrf_token": _csrf(client, "/check")})
    for _ in range(80):
        location = step.headers["location"]
        if not location.startswith("/check/step/"):
            return location
        screen = client.get(location)
        finding = FINDING.search(screen.text).group(1)  # type: ignore[union-attr]
        options = RADIO.findall(screen.text)
        answer = SCRIPT.get(finding, "no" if "no" in options else "unsure")
        field = "answer" if options or answer == "unsure" else "value"
        step = client.post(location, follow_redirects=False, data={
            "finding": finding, field: answer, "csrf_token": CSRF.search(screen.text).group(1)})
        assert step.status_code == 303, step.text
    raise AssertionError("the interview did not end")


def _level_title(client, body: dict) -> str:  # type: ignore[no-untyped-def]
    from spinecare.entrypoints.web.pages._result_view import LEVEL_TITLE

    return LEVEL_TITLE[client.post("/api/v1/triage", json=body).json()["level"]]


def test_the_anonymous_result_page_shows_the_services_result(client) -> None:
    assert _walk(client) == "/check/result"
    page = client.get("/check/result")
    assert page.status_code == 200
    assert "Knowledge version" in page.text and "not a diagnosis" in page.text
    findings = {k: v == "yes" for k, v in SCRIPT.items() if k not in ("age", "sex")}
    title = _level_title(client, {"age": 71, "sex": "male", "findings": findings})
    assert title in page.text or title.lower() in page.text.lower()


def test_a_saved_check_is_shown_from_storage_to_the_patient_and_their_clinician(client) -> None:
    pat = api_user(client, "pat@example.org")
    api_user(client, "doc@example.org", role="clinician")
    client.post("/api/v1/me/care-team", headers=pat["headers"],
                json={"clinician_email": "doc@example.org"})
    saved = client.post("/api/v1/triage", headers=pat["headers"], json={
        "age": 71, "sex": "male",
        "findings": {"leg_pain": True, "leg_symptoms_walking": True, "back_pain": True,
                     "relief_sitting_or_flexion": True, "bladder_dysfunction": False,
                     "saddle_anaesthesia": False}}).json()
    client.post("/signin", data={"email": "pat@example.org", "password": API_PASSWORD,
                                 "csrf_token": _csrf(client, "/signin")})
    detail = client.get(f"/history/{saved['saved_check_id']}")
    assert detail.status_code == 200
    top = saved["conditions"][0]["name"]
    worded = top[:1].lower() + top[1:]
    assert f"consistent with {worded}" in detail.text  # the result read back, worded
    listing = client.get("/history")
    assert listing.status_code == 200 and f"May be {worded}" in listing.text
    client.post("/signout", data={"csrf_token": _csrf(client, "/history")})
    client.post("/signin", data={"email": "doc@example.org", "password": API_PASSWORD,
                                 "csrf_token": _csrf(client, "/signin")})
    patient_page = client.get(f"/clinician/patients/{pat['id']}")
    assert patient_page.status_code == 200
    shown = patient_page.text
    assert f"Consistent with {worded}" in shown or f"May be {worded}" in shown
