"""The questionnaire pages: a total from a paper form, a blank form refused, and the
clinician's mJOA form on the patient's page. Driven over HTTP as a browser would."""

from __future__ import annotations

import html
import re

from web_fixtures import API_PASSWORD, api_user

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _csrf(client, path: str) -> str:  # type: ignore[no-untyped-def]
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    return CSRF.search(page.text).group(1)  # type: ignore[union-attr]


def _sign_in(client, email: str) -> None:  # type: ignore[no-untyped-def]
    done = client.post("/signin", data={"email": email, "password": API_PASSWORD,
                                        "csrf_token": _csrf(client, "/signin")},
                       follow_redirects=False)
    assert done.status_code == 303, done.text


def _stored(client, user) -> list:  # type: ignore[no-untyped-def]
    return client.get(f"/api/v1/patients/{user['id']}/questionnaires",
                      headers=user["headers"]).json()


def test_each_licensed_questionnaire_offers_a_paper_total(client) -> None:  # type: ignore[no-untyped-def]
    api_user(client, "ana@example.org", name="Ana")
    _sign_in(client, "ana@example.org")
    page = client.get("/questionnaires").text
    offered = set(re.findall(r'href="/questionnaires/(\w+)/paper"', page))
    assert offered == {"odi", "ndi", "rmdq", "startback", "zcq"}  # NRS's wording ships


def test_a_paper_odi_is_recorded_scored_and_shown(client) -> None:  # type: ignore[no-untyped-def]
    ana = api_user(client, "ana@example.org", name="Ana")
    _sign_in(client, "ana@example.org")
    form = client.get("/questionnaires/odi/paper").text
    assert 'name="total"' in form and 'name="answered"' in form
    assert "0 to 50" in form
    saved = client.post("/questionnaires/odi/paper", follow_redirects=False, data={
        "total": "21", "answered": "9", "completed_on": "2025-02-03",
        "csrf_token": _csrf(client, "/questionnaires/odi/paper")})
    assert saved.status_code == 303, saved.text
    result = client.get(saved.headers["location"]).text
    assert "46.67%" in result and "severe disability" in result
    assert "Filled in on paper on 2025-02-03" in result
    assert "Scored from 9 of 10 sections" in result
    [row] = _stored(client, ana)
    assert row["answers"]["_entered_as"] == "total"
    assert "46.67%" in client.get("/questionnaires").text  # listed with the others


def test_a_paper_total_out_of_range_is_refused_on_the_page(client) -> None:  # type: ignore[no-untyped-def]
    ana = api_user(client, "ana@example.org", name="Ana")
    _sign_in(client, "ana@example.org")
    token = _csrf(client, "/questionnaires/zcq/paper")
    refused = client.post("/questionnaires/zcq/paper", data={
        "subscales.symptom_severity": "7", "subscales.physical_function": "",
        "completed_on": "2025-02-03", "csrf_token": token})
    assert refused.status_code == 422
    assert "Symptom severity must be a number from 1 to 5; 7 is not." in refused.text
    assert "Physical function: enter a number from 1 to 4." in refused.text
    assert 'href="#subscales-symptom_severity"' in refused.text
    no_date = client.post("/questionnaires/odi/paper", data={
        "total": "10", "completed_on": "", "csrf_token": token})
    assert no_date.status_code == 422 and "Enter the date you filled in" in no_date.text
    assert _stored(client, ana) == []


def test_a_blank_questionnaire_is_refused_and_nothing_stored(client) -> None:  # type: ignore[no-untyped-def]
    ana = api_user(client, "ana@example.org", name="Ana")
    _sign_in(client, "ana@example.org")
    refused = client.post("/questionnaires/nrs", data={
        "item-back": "", "item-leg": "", "csrf_token": _csrf(client, "/questionnaires/nrs")})
    assert refused.status_code == 422
    assert "No answers were given, so nothing was saved." in html.unescape(refused.text)
    assert 'href="#answers"' in refused.text and 'id="answers"' in refused.text
    assert _stored(client, ana) == []


def test_a_clinician_records_the_mjoa_on_the_patients_page(client) -> None:  # type: ignore[no-untyped-def]
    ana = api_user(client, "ana@example.org", name="Ana")
    ben = api_user(client, "ben@example.org", name="Ben")
    doc = api_user(client, "doc@example.org", role="clinician", name="Dr Doc")
    client.post("/api/v1/me/care-team", headers=ana["headers"],
                json={"clinician_email": doc["email"]})
    _sign_in(client, "doc@example.org")
    page_url = f"/clinician/patients/{ana['id']}"
    page = client.get(page_url).text
    assert "Record the mJOA" in page and 'name="mjoa-le_motor"' in page
    token = CSRF.search(page).group(1)  # type: ignore[union-attr]
    url = f"/clinician/patients/{ana['id']}/questionnaires/mjoa"
    # A domain left out: refused, said next to it, nothing stored.
    missing = client.post(url, data={"mjoa-ue_motor": "4", "mjoa-le_motor": "5",
                                     "mjoa-ue_sensory": "2", "csrf_token": token})
    assert missing.status_code == 422
    assert "Bladder (sphincter) function: choose a level" in missing.text
    assert 'value="4" selected' in missing.text  # what was chosen is kept
    assert _stored(client, ana) == []
    saved = client.post(url, follow_redirects=False, data={
        "mjoa-ue_motor": "4", "mjoa-le_motor": "5", "mjoa-ue_sensory": "2",
        "mjoa-sphincter": "3", "csrf_token": token})
    assert saved.status_code == 303, saved.text
    shown = client.get(saved.headers["location"]).text
    assert "mJOA total: 14 (moderate myelopathy)" in shown
    [row] = _stored(client, ana)
    assert row["instrument_id"] == "mjoa" and row["score"]["score"] == 14
    # Not for a patient who did not share, and not for a patient-reported questionnaire.
    other = client.post(f"/clinician/patients/{ben['id']}/questionnaires/mjoa", data={
        "mjoa-ue_motor": "4", "mjoa-le_motor": "5", "mjoa-ue_sensory": "2",
        "mjoa-sphincter": "3", "csrf_token": token})
    assert other.status_code == 404 and _stored(client, ben) == []
    assert client.post(f"/clinician/patients/{ana['id']}/questionnaires/odi",
                       data={"csrf_token": token}).status_code == 404
