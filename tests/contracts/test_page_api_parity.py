"""Each page and its JSON twin use the same service and store (or export) the same thing.

Datasette's habit: a page and its ``.json`` are one view. Here each pair that stores or
exports something is driven through the real app over HTTP, the page as a browser would
(signed-in session, CSRF token, form fields) and the API as a client would (bearer token,
JSON), and what each stored is read back from the database and compared, apart from ids
and timestamps. The pairs that store nothing (decision aid, search) are compared on what
they answer, and checked to store nothing.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from sqlalchemy import func, select

from spinecare.adapters.storage.models import (
    AuditEvent,
    ExerciseSession,
    QuestionnaireResponse,
    TriageSession,
)
from spinecare.clinical.decision import WARNING_SIGNS
from web_fixtures import API_PASSWORD, api_user

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


# --- helpers ----------------------------------------------------------------------------------

def _csrf(client, path: str) -> str:  # type: ignore[no-untyped-def]
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    found = CSRF.search(page.text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def _patient(client, email: str = "pat@example.org") -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A patient with an API token who is also signed in to the pages in ``client``."""
    user = api_user(client, email, name="Pat Parity")
    signed_in = client.post("/signin", data={
        "email": email, "password": API_PASSWORD, "csrf_token": _csrf(client, "/signin")},
        follow_redirects=False)
    assert signed_in.status_code == 303, signed_in.text
    return user


def _row(services, model, row_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A stored row's columns, without its id and time."""
    with services.db.unit_of_work(write=False) as repos:
        row = repos.session.get(model, row_id)
        assert row is not None, (model.__name__, row_id)
        return {c.name: getattr(row, c.name) for c in model.__table__.columns
                if c.name not in ("id", "created_at")}


def _audit_of(services, resource: str, resource_id: int) -> tuple[Any, ...]:  # type: ignore[no-untyped-def]
    with services.db.unit_of_work(write=False) as repos:
        [event] = [e for e in repos.audit.recent(1000)
                   if e.resource == resource and e.resource_id == str(resource_id)]
        return (event.action, event.actor_id, event.actor_role, event.patient_id, event.detail)


def _counts(services) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with services.db.unit_of_work(write=False) as repos:
        return tuple(repos.session.scalar(select(func.count()).select_from(m))  # type: ignore[return-value]
                     for m in (TriageSession, QuestionnaireResponse, AuditEvent))


# --- questionnaires: POST /questionnaires/{id} and POST /api/v1/me/questionnaires -------------

def _licence(services, instrument_id: str) -> None:  # type: ignore[no-untyped-def]
    """Import stand-in licensed wording, as a clinic holding the licence would: until then
    a licensed-out questionnaire has no page form (only the API and the CLI score it)."""
    from spinecare.adapters.fhir import questionnaire_for

    q = questionnaire_for(services.instruments.builtin(instrument_id))
    q["url"] = f"https://clinic.example/fhir/Questionnaire/{instrument_id}-licensed"
    q["copyright"] = "© Example Holder. Reproduced under licence."
    for n, item in enumerate(i for i in q["item"] if not i["linkId"].startswith("score-")):
        item["text"] = f"Licensed question {n + 1}"
        for k, option in enumerate(item.get("answerOption") or ()):
            option.setdefault("valueCoding", {})["display"] = f"Licensed answer {k}"
    services.instruments.import_licence(q)


@pytest.mark.parametrize("instrument_id", ["nrs", "startback", "rmdq", "ndi", "zcq", "odi"])
def test_a_questionnaire_submitted_on_the_page_is_stored_as_the_api_stores_it(
    client, services, instrument_id: str
) -> None:
    if not services.instruments.definition(instrument_id).has_text:
        _licence(services, instrument_id)
    assert services.instruments.definition(instrument_id).has_text
    definition = services.instruments.definition(instrument_id)
    user = _patient(client)
    # Every item answered with its second allowed value, the last one left unanswered.
    answers: dict[str, int | None] = {
        item.id: item.allowed_values()[1] for item in definition.items}
    answers[definition.items[-1].id] = None
    form = {f"item-{k}": "" if v is None else str(v) for k, v in answers.items()}
    page = client.post(f"/questionnaires/{instrument_id}", follow_redirects=False, data={
        **form, "csrf_token": _csrf(client, f"/questionnaires/{instrument_id}")})
    assert page.status_code == 303, page.text
    page_id = int(page.headers["location"].rsplit("/", 1)[1])
    api = client.post("/api/v1/me/questionnaires", headers=user["headers"],
                      json={"instrument_id": instrument_id, "answers": answers})
    assert api.status_code == 201, api.text

    from_page = _row(services, QuestionnaireResponse, page_id)
    from_api = _row(services, QuestionnaireResponse, api.json()["id"])
    assert from_page == from_api
    # The bug this pair was written for: the page's record lacked the knowledge version.
    assert from_page["score"]["knowledge_version"] == str(definition.knowledge_version)
    assert _audit_of(services, "questionnaire_response", page_id) == \
        _audit_of(services, "questionnaire_response", api.json()["id"])
    # And the API reads the page's record back exactly as it reads its own.
    one = client.get(f"/api/v1/questionnaires/responses/{page_id}", headers=user["headers"])
    assert {k: v for k, v in one.json().items() if k not in ("id", "created_at")} == \
        {k: v for k, v in api.json().items() if k not in ("id", "created_at")}


def test_a_refused_answer_is_refused_by_both_doors_and_stores_nothing(client, services) -> None:
    user = _patient(client)
    before = _counts(services)
    page = client.post("/questionnaires/nrs", data={
        "item-back": "11", "csrf_token": _csrf(client, "/questionnaires/nrs")})
    api = client.post("/api/v1/me/questionnaires", headers=user["headers"],
                      json={"instrument_id": "nrs", "answers": {"back": 11}})
    assert (page.status_code, api.status_code) == (422, 422)
    assert set(api.json()["errors"]) == {"answers.back"}
    # The page names the item and gives the service's own reason.
    assert html.escape(api.json()["errors"]["answers.back"]) in page.text
    assert _counts(services)[:2] == before[:2]


@pytest.mark.parametrize(("instrument_id", "form", "paper"), [
    ("odi", {"total": "21", "answered": "9"}, {"total": 21, "answered": 9}),
    ("zcq", {"subscales.symptom_severity": "2.86", "subscales.physical_function": "2.2"},
     {"subscales": {"symptom_severity": 2.86, "physical_function": 2.2}}),
    ("startback", {"total": "6", "subscales.psychosocial": "4"},
     {"total": 6, "subscales": {"psychosocial": 4}}),
])
def test_a_paper_total_recorded_on_the_page_is_stored_as_the_api_stores_it(
    client, services, instrument_id: str, form: dict, paper: dict
) -> None:
    user = _patient(client)
    page = client.post(f"/questionnaires/{instrument_id}/paper", follow_redirects=False, data={
        **form, "completed_on": "2025-03-04",
        "csrf_token": _csrf(client, f"/questionnaires/{instrument_id}/paper")})
    assert page.status_code == 303, page.text
    page_id = int(page.headers["location"].rsplit("/", 1)[1])
    api = client.post("/api/v1/me/questionnaires", headers=user["headers"], json={
        "instrument_id": instrument_id, "paper": {**paper, "completed_on": "2025-03-04"}})
    assert api.status_code == 201, api.text
    from_page = _row(services, QuestionnaireResponse, page_id)
    assert from_page == _row(services, QuestionnaireResponse, api.json()["id"])
    assert from_page["answers"]["_entered_as"] == "total"
    assert from_page["score"]["knowledge_version"]
    assert _audit_of(services, "questionnaire_response", page_id) == \
        _audit_of(services, "questionnaire_response", api.json()["id"])


def test_a_blank_form_is_refused_by_both_doors_and_stores_nothing(client, services) -> None:
    user = _patient(client)
    before = _counts(services)
    page = client.post("/questionnaires/nrs", data={
        "item-back": "", "csrf_token": _csrf(client, "/questionnaires/nrs")})
    api = client.post("/api/v1/me/questionnaires", headers=user["headers"],
                      json={"instrument_id": "nrs", "answers": {"back": None}})
    assert (page.status_code, api.status_code) == (422, 422)
    assert html.escape(api.json()["errors"]["answers"]) in page.text
    assert _counts(services) == before


def test_an_mjoa_recorded_on_the_clinicians_page_is_stored_as_the_api_stores_it(
    client, services
) -> None:
    patient = api_user(client, "pat@example.org", name="Pat Parity")
    doc = api_user(client, "doc@example.org", role="clinician", name="Dr Parity")
    client.post("/api/v1/me/care-team", headers=patient["headers"],
                json={"clinician_email": doc["email"]})
    signed_in = client.post("/signin", data={
        "email": doc["email"], "password": API_PASSWORD, "csrf_token": _csrf(client, "/signin")},
        follow_redirects=False)
    assert signed_in.status_code == 303
    answers = {"ue_motor": 4, "le_motor": 6, "ue_sensory": 2, "sphincter": 3}
    page = client.post(f"/clinician/patients/{patient['id']}/questionnaires/mjoa",
                       follow_redirects=False, data={
                           **{f"mjoa-{k}": str(v) for k, v in answers.items()},
                           "csrf_token": _csrf(client, f"/clinician/patients/{patient['id']}")})
    assert page.status_code == 303, page.text
    page_id = int(page.headers["location"].rsplit("/", 1)[1])
    api = client.post(f"/api/v1/patients/{patient['id']}/questionnaires", headers=doc["headers"],
                      json={"instrument_id": "mjoa", "answers": answers})
    assert api.status_code == 201, api.text
    assert _row(services, QuestionnaireResponse, page_id) == \
        _row(services, QuestionnaireResponse, api.json()["id"])
    assert _audit_of(services, "questionnaire_response", page_id) == \
        _audit_of(services, "questionnaire_response", api.json()["id"])


# --- a symptom check: the /check interview and POST /api/v1/triage -----------------------------

# The answers a person gives, by finding; any other yes/no question is answered "no".
SCRIPT = {"age": "58", "sex": "female", "back_pain": "yes", "leg_pain": "yes",
          "conservative_care_weeks": "6", "duration_weeks": "10"}
_FINDING = re.compile(r'name="finding" value="([^"]+)"')
_RADIO = re.compile(r'type="radio" name="answer" value="([^"]+)"')


def _walk_the_check(client) -> tuple[int, dict[str, str]]:  # type: ignore[no-untyped-def]
    """Answer the page interview from ``SCRIPT``; returns (saved check id, answers given)."""
    step = client.post("/check/start", data={"description": "",
                                             "csrf_token": _csrf(client, "/check")},
                       follow_redirects=False)
    given: dict[str, str] = {}
    for _ in range(80):
        location = step.headers["location"]
        if location.startswith("/history/"):
            return int(location.rsplit("/", 1)[1]), given
        assert location.startswith("/check/step/"), location
        screen = client.get(location)
        finding = _FINDING.search(screen.text).group(1)  # type: ignore[union-attr]
        options = _RADIO.findall(screen.text)
        if finding in SCRIPT:
            answer = SCRIPT[finding]
        else:
            assert "no" in options, f"the script has no answer for {finding!r}"
            answer = "no"
        given[finding] = answer
        field = "answer" if options else "value"
        step = client.post(location, follow_redirects=False, data={
            "finding": finding, field: answer, "csrf_token": CSRF.search(screen.text).group(1)})
        assert step.status_code == 303, step.text
    raise AssertionError("the interview did not end")


def _as_json_value(answer: str) -> Any:
    """What an API client sends for an answer typed or ticked on the page."""
    if answer.isdigit():
        return int(answer)
    return {"yes": True, "no": False}.get(answer, answer)


def test_a_check_saved_from_the_page_is_stored_as_the_api_stores_it(client, services) -> None:
    user = _patient(client)
    page_id, given = _walk_the_check(client)
    findings = {k: _as_json_value(v) for k, v in given.items() if k not in ("age", "sex")}
    api = client.post("/api/v1/triage", headers=user["headers"], json={
        "age": int(given["age"]), "sex": given["sex"], "findings": findings})
    assert api.status_code == 200, api.text
    api_id = api.json()["saved_check_id"]

    from_page = _row(services, TriageSession, page_id)
    from_api = _row(services, TriageSession, api_id)
    assert from_page["findings"] == from_api["findings"]
    assert from_page == from_api
    assert from_page["knowledge_version"]
    assert _audit_of(services, "triage_session", page_id) == \
        _audit_of(services, "triage_session", api_id)


# --- the data export: /account/export.json and GET /api/v1/me/export --------------------------

def _some_data(client, user) -> None:  # type: ignore[no-untyped-def]
    for answers in ({"back": 7, "leg": 2}, {"back": 3, "leg": None}):
        stored = client.post("/api/v1/me/questionnaires", headers=user["headers"],
                             json={"instrument_id": "nrs", "answers": answers})
        assert stored.status_code == 201, stored.text
    checked = client.post("/api/v1/triage", headers=user["headers"], json={
        "age": 58, "sex": "female", "findings": {"back_pain": True}})
    assert checked.status_code == 200, checked.text


def _download(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith("attachment;")


def test_the_json_export_downloaded_from_the_page_equals_the_apis(client, services) -> None:
    user = _patient(client)
    _some_data(client, user)
    page = client.get("/account/export.json")
    api = client.get("/api/v1/me/export", headers=user["headers"])
    _download(page)
    _download(api)
    page_data, api_data = page.json(), api.json()
    assert len(page_data["questionnaire_responses"]) == 2
    assert len(page_data["triage_sessions"]) == 1
    timeless = ("exported_at", "access_log")
    assert {k: v for k, v in page_data.items() if k not in timeless} == \
        {k: v for k, v in api_data.items() if k not in timeless}
    # The API's access log has one entry more, newest first: the page's export itself.
    newest, *rest = api_data["access_log"]
    assert rest == page_data["access_log"]
    assert (newest["action"], newest["resource"]) == ("read", "export")


def test_the_fhir_export_downloaded_from_the_page_equals_the_apis(client, services) -> None:
    user = _patient(client)
    _some_data(client, user)
    page = client.get("/account/export.fhir.json")
    api = client.get("/api/v1/me/export.fhir", headers=user["headers"])
    _download(page)
    _download(api)
    assert page.headers["content-type"] == api.headers["content-type"] == \
        "application/fhir+json"
    page_bundle, api_bundle = page.json(), api.json()
    kinds = [e["resource"]["resourceType"] for e in page_bundle["entry"]]
    assert kinds.count("QuestionnaireResponse") == 2 and kinds[0] == "Patient"
    page_bundle.pop("timestamp")
    api_bundle.pop("timestamp")
    assert page_bundle == api_bundle


# --- the decision aid: POST /decide and POST /api/v1/decide (nothing stored) ------------------

DECISION = {"condition": "lumbar_spinal_stenosis", "conservative_weeks": 20, "benefit": "none",
            "deficit": "stable", "odi": 46, "injections_12m": 1}
_STATUS_ROW = re.compile(
    r'<th scope="row"><a href="#option-([\w-]+)">.*?<span class="status status-([\w_]+)">',
    re.DOTALL)
_PAYLOAD = re.compile(r'name="payload" value="([^"]*)"')


@pytest.mark.parametrize("signs", [{}, {"bladder_dysfunction": True}],
                         ids=["no warning signs", "a warning sign"])
def test_the_decision_aid_page_answers_as_the_api_does(client, services,
                                                       signs: dict[str, bool]) -> None:
    answers = {k: signs.get(k, False) for k in WARNING_SIGNS}
    values = {"walk_further": "a_lot", "avoid_serious_risk": "somewhat"}
    before = _counts(services)
    form = {k: str(v) for k, v in DECISION.items()}
    form |= {f"sign_{k}": "yes" if v else "no" for k, v in answers.items()}
    form |= {f"value_{k}": v for k, v in values.items()}
    page = client.post("/decide", data={**form, "csrf_token": _csrf(client, "/decide")})
    api = client.post("/api/v1/decide", json={**DECISION, "warning_signs": answers,
                                              "values": values})
    assert (page.status_code, api.status_code) == (200, 200), page.text
    report = api.json()
    assert html.escape(report["stage_title"], quote=False) in page.text
    if report["bypassed"]:
        assert report["advice"]["emergency_number"] in page.text
    else:
        shown = _STATUS_ROW.findall(page.text)
        assert shown == [(row["id"], row["assessment"]["status"])
                         for row in report["option_grid"]]
        # The page's summary form carries exactly the input the API judged.
        payload = _PAYLOAD.search(page.text)
        assert payload is not None
        assert json.loads(html.unescape(payload.group(1))) == report["input"]
    assert _counts(services) == before  # neither door stores anything


# --- the library search: GET /search and GET /api/v1/search (nothing stored) -------------------

_RESULT = re.compile(r'<li class="search-result">\s*<h3><a href="/articles/([\w-]+)#')


def test_an_exercise_session_logged_on_the_page_is_stored_as_the_api_stores_it(
        client, services) -> None:  # type: ignore[no-untyped-def]
    """The /exercise log form and POST /api/v1/me/exercise/sessions: one service call, equal
    rows (the page's text fields become the same numbers, list and date)."""
    from datetime import date

    pat = _patient(client)
    chosen = client.put("/api/v1/me/exercise/programme", headers=pat["headers"],
                        json={"condition": "lumbar_spinal_stenosis"})
    assert chosen.status_code == 200, chosen.text  # sessions log exercises of one's own plan
    day = date.today().isoformat()
    page = client.post("/exercise/log", follow_redirects=False, data={
        "csrf_token": _csrf(client, "/exercise"), "day": day, "kind": "home",
        "status": "partly", "pain_before": "2", "pain_after": "4", "effort": "hard",
        "exercises": ["pelvic_tilt", "cat_cow"], "conditioning_minutes": "12.5",
        "notes": "short one"})
    assert page.status_code == 303, page.text
    api = client.post("/api/v1/me/exercise/sessions", headers=pat["headers"], json={
        "day": day, "kind": "home", "status": "partly", "pain_before": 2, "pain_after": 4,
        "effort": "hard", "exercises": ["pelvic_tilt", "cat_cow"],
        "conditioning_minutes": 12.5, "notes": "short one"})
    assert api.status_code == 201, api.text
    rows = client.get("/api/v1/me/exercise/sessions", headers=pat["headers"]).json()
    assert len(rows) == 2
    assert _row(services, ExerciseSession, rows[0]["id"]) == \
        _row(services, ExerciseSession, rows[1]["id"])


@pytest.mark.parametrize("query", ["pins and needles in my legs when I walk",
                                   "legs suddenly weak and can't pee"])
def test_the_search_page_lists_what_the_api_returns(client, services, query: str) -> None:
    before = _counts(services)
    page = client.get("/search", params={"q": query})
    api = client.get("/api/v1/search", params={"q": query, "limit": 8})  # the page shows 8
    assert (page.status_code, api.status_code) == (200, 200)
    data = api.json()
    assert data["results"]
    assert _RESULT.findall(page.text) == [r["article_id"] for r in data["results"]]
    assert ("This may be an emergency" in page.text) is data["emergency"]
    assert _counts(services) == before


# --- the diary: POST /diary/{day} and PUT /api/v1/me/diary/{day} ------------------------------

def test_a_diary_day_saved_from_the_page_is_stored_as_the_api_stores_it(client, services) -> None:
    from datetime import timedelta

    from spinecare.adapters.storage.models import DiaryEntry
    from spinecare.services.diary import today_utc

    user = _patient(client)
    page_day = today_utc() - timedelta(days=1)
    api_day = today_utc() - timedelta(days=2)
    page = client.post(f"/diary/{page_day.isoformat()}", follow_redirects=False, data={
        "csrf_token": _csrf(client, "/diary"), "back_pain": "4", "leg_pain": "7",
        "walking_minutes": "12.5", "standing_minutes": "", "flare": "yes",
        "activities": ["walking", "long_sitting"], "activity_note": "bowls",
        "sitting_hours": "7", "sleep_quality": "2", "medicines": "paracetamol 1 g\nnaproxen",
        "epidural_injection": "no", "warning_signs": ["fever"], "notes": "a long day"})
    assert page.status_code == 303, page.text
    api = client.put(f"/api/v1/me/diary/{api_day.isoformat()}", headers=user["headers"], json={
        "back_pain": 4, "leg_pain": 7, "walking_minutes": 12.5, "flare": True,
        "activities": ["walking", "long_sitting"], "activity_note": "bowls",
        "sitting_hours": 7, "sleep_quality": 2, "medicines": ["paracetamol 1 g", "naproxen"],
        "epidural_injection": False, "warning_signs": ["fever"], "notes": "a long day"})
    assert api.status_code == 200, api.text
    with services.db.unit_of_work(write=False) as repos:
        rows = {r.day: r.id for r in repos.diary.between(user["id"])}
    ignore = ("updated_at", "day", "triage_session_id")
    from_page = {k: v for k, v in _row(services, DiaryEntry, rows[page_day]).items()
                 if k not in ignore}
    from_api = {k: v for k, v in _row(services, DiaryEntry, rows[api_day]).items()
                if k not in ignore}
    assert from_page == from_api
    # Both doors ran the same check for the sign and stored it the same way.
    checks = [_row(services, TriageSession, _row(services, DiaryEntry, rows[d])
                   ["triage_session_id"]) for d in (page_day, api_day)]
    assert checks[0]["level"] == checks[1]["level"] and checks[0]["source"] == "diary"
    assert checks[0]["findings"] == checks[1]["findings"]
