"""The public triage contract: POST /api/v1/triage and GET /api/v1/health."""

from __future__ import annotations

from sqlalchemy import func, select

from spinecare.adapters.storage.models import AuditEvent, TriageSession
from web_fixtures import api_user

CAUDA_EQUINA = {"bladder_dysfunction": True, "saddle_anaesthesia": True, "back_pain": True}


def _checks(client) -> int:  # type: ignore[no-untyped-def]
    with client.app.state.spinecare.services.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(TriageSession))


def test_health_is_exactly_ok_and_needs_no_database(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from spinecare.bootstrap import bootstrap
    from spinecare.entrypoints.web.app import create_app
    from spinecare.settings import Settings

    # A database that was never migrated: any query would fail.
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/none.sqlite3",
                        secret_key="k" * 40)
    with TestClient(create_app(bootstrap(settings))) as client:
        response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_anonymous_triage_returns_the_engines_result_and_stores_nothing(client) -> None:
    response = client.post("/api/v1/triage",
                           json={"age": 71, "sex": "male", "findings": CAUDA_EQUINA})
    assert response.status_code == 200
    body = response.json()
    assert body["level"] == "emergency"
    assert {"level", "conditions", "reasons", "open_questions", "knowledge_version"} <= set(body)
    assert all({"id", "score"} <= set(c) for c in body["conditions"])
    assert body["reasons"] and body["saved_check_id"] is None
    assert _checks(client) == 0
    with client.app.state.spinecare.services.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_a_signed_in_patients_check_goes_to_their_history(client) -> None:
    ana = api_user(client, "ana@example.org")
    response = client.post("/api/v1/triage", headers=ana["headers"],
                           json={"age": 71, "sex": "male", "findings": CAUDA_EQUINA})
    saved = response.json()["saved_check_id"]
    assert isinstance(saved, int)
    history = client.get("/api/v1/me/triage", headers=ana["headers"]).json()
    assert [h["id"] for h in history] == [saved]
    assert history[0]["level"] == "emergency"
    assert history[0]["findings"]["age"] == 71


def test_a_saved_provisional_check_is_served_as_provisional(client) -> None:
    ana = api_user(client, "ana@example.org")
    fresh = client.post("/api/v1/triage", headers=ana["headers"],
                        json={"age": 40, "findings": {"back_pain": True, "duration_weeks": 1}})
    assert fresh.json()["provisional"] is True
    saved = fresh.json()["saved_check_id"]
    history = client.get("/api/v1/me/triage", headers=ana["headers"]).json()
    one = client.get(f"/api/v1/triage/checks/{saved}", headers=ana["headers"]).json()
    for record in (history[0], one):
        assert record["provisional"] is True and record["complete"] is False
        assert record["provisional_notice"].startswith("Provisional")
        assert "saddle" in record["provisional_notice"] or "bottom" in record["provisional_notice"]


def test_a_clinicians_check_is_not_saved(client) -> None:
    doc = api_user(client, "doc@example.org", role="clinician")
    response = client.post("/api/v1/triage", headers=doc["headers"], json={"findings": {}})
    assert response.status_code == 200 and response.json()["saved_check_id"] is None
    assert _checks(client) == 0


def test_unknown_finding_keys_are_named_with_a_suggestion(client) -> None:
    response = client.post("/api/v1/triage", json={"findings": {"bladder": True}})
    assert response.status_code == 422
    message = response.json()["errors"]["findings.bladder"]
    assert "not a known finding" in message and "bladder_dysfunction" in message


def test_lax_coercion_is_refused_with_a_message_per_field(client) -> None:
    response = client.post("/api/v1/triage", json={
        "age": "71", "sex": "man", "findings": {"leg_pain": "yes"}, "extra": 1})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["age"] == "must be a whole number of years, got '71'"
    assert "'female'" in errors["sex"] and "'man'" in errors["sex"]
    assert "remove it" in errors["extra"]
    assert client.post("/api/v1/triage", json={"age": True}).status_code == 422
    assert client.post("/api/v1/triage", json={"age": 121}).status_code == 422
    half = client.post("/api/v1/triage", json={"age": 70.5})
    assert half.json()["errors"]["age"] == "must be a whole number of years, got 70.5"
    assert client.post("/api/v1/triage", json={"age": 71.0}).status_code == 200


def test_out_of_range_and_wrong_type_findings_say_the_allowed_values(client) -> None:
    response = client.post("/api/v1/triage", json={"findings": {
        "leg_pain": 3, "walking_distance_m": -5}})
    errors = response.json()["errors"]
    assert "true, false" in errors["findings.leg_pain"]
    assert "out of range" in errors["findings.walking_distance_m"]


def test_invalid_json_is_a_422_not_a_traceback(client) -> None:
    response = client.post("/api/v1/triage", content=b"{not json",
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "Traceback" not in response.text and response.json()["errors"]


def test_an_empty_body_is_a_422_that_asks_for_the_body(client) -> None:
    response = client.post("/api/v1/triage")
    assert response.status_code == 422 and response.json()["errors"] == {"body": "is required"}
    assert client.post("/api/v1/triage", json={}).status_code == 200  # nothing known yet


def test_not_sure_is_never_read_as_no(client) -> None:
    base = {"age": 60, "sex": "male", "findings": {"back_pain": True}}
    unsure = client.post("/api/v1/triage", json={**base, "unsure": ["saddle_anaesthesia"]})
    body = unsure.json()
    assert unsure.status_code == 200 and body["unsure"] == ["saddle_anaesthesia"]
    assert body["level"] in ("urgent", "emergency")
    assert "RF-UNSURE-EMERGENCY-SIGN" in {r["rule_id"] for r in body["reasons"]}
    wrong = client.post("/api/v1/triage", json={**base, "unsure": ["saddle", "back_pain"]})
    errors = wrong.json()["errors"]
    assert "saddle_anaesthesia" in errors["unsure.saddle"]
    assert "give one or the other" in errors["unsure.back_pain"]


def test_a_patients_unsure_answers_are_kept_in_the_history(client) -> None:
    ana = api_user(client, "ana@example.org")
    client.post("/api/v1/triage", headers=ana["headers"], json={
        "findings": {"back_pain": True}, "unsure": ["bladder_dysfunction"]})
    history = client.get("/api/v1/me/triage", headers=ana["headers"]).json()
    assert history[0]["result"]["unsure"] == ["bladder_dysfunction"]


# --- the shared interview through the API (issue 9 §1, §3) ------------------------------

NEXT = "/api/v1/triage/next-question"


def test_next_question_without_an_answer_still_works_as_before(client) -> None:
    response = client.post(NEXT, json={"age": 60, "findings": {"back_pain": True}})
    assert response.status_code == 200
    body = response.json()
    assert body["question"]["finding"] == "sex"  # age and sex first
    assert {"finding", "text", "help", "kind", "reason", "red_flag"} <= set(body["question"])
    assert body["answer"] is None
    assert body["state"]["age"] == 60 and body["state"]["findings"] == {"back_pain": True}


def _answer(client, state: dict, finding: str, text: str):  # type: ignore[no-untyped-def]
    return client.post(NEXT, json={**state, "answer": {"finding": finding, "text": text}})


def test_typed_answers_are_read_with_units_and_words(client) -> None:
    state = {"age": 70, "sex": "male", "findings": {"leg_pain": True}}
    for text, metres in (("about 200 m", 200), ("1,500 m", 1500), ("1.5 km", 1500),
                         ("two hundred metres", 200)):
        response = _answer(client, state, "walking_distance_m", text)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["answer"] == {"finding": "walking_distance_m", "value": metres}
        assert body["state"]["findings"]["walking_distance_m"] == metres
    weeks = _answer(client, state, "duration_weeks", "3 months").json()
    assert weeks["answer"]["value"] == 13


def test_an_unreadable_answer_is_a_422_that_says_how_to_fix_it(client) -> None:
    nan = _answer(client, {"findings": {}}, "age", "nan")
    assert nan.status_code == 422
    message = nan.json()["errors"]["answer.text"]
    assert "'nan' is not a number" in message and "from 0 to 120" in message
    bad = _answer(client, {"findings": {}}, "fever", "perhaps a bit")
    assert bad.status_code == 422 and "yes" in bad.json()["errors"]["answer.text"]
    unknown = _answer(client, {"findings": {}}, "fevr", "yes")
    assert unknown.status_code == 422


def test_not_sure_by_text_stays_unknown_and_raises_the_level(client) -> None:
    state = {"age": 40, "sex": "female", "findings": {"back_pain": True}}
    body = _answer(client, state, "bladder_dysfunction", "dunno").json()
    assert body["answer"] == {"finding": "bladder_dysfunction", "value": None}
    assert "bladder_dysfunction" in body["state"]["unsure"]
    assert "bladder_dysfunction" not in body["state"]["findings"]
    result = client.post("/api/v1/triage", json=body["state"]).json()
    assert result["level"] in ("urgent", "emergency")
    assert "RF-UNSURE-EMERGENCY-SIGN" in {r["rule_id"] for r in result["reasons"]}


def test_an_unclear_emergency_sign_from_the_words_counts_as_not_sure(client) -> None:
    """Hazard (issue 9 §3): the intake's "uncertain" on an emergency sign is "not sure" in
    the API door too: asked first, and never read as "no" while it is unanswered."""
    base = {"age": 40, "sex": "female", "findings": {"back_pain": True}}
    asked = client.post(NEXT, json={**base, "uncertain": ["smoker", "bladder_dysfunction"]})
    assert asked.json()["question"]["finding"] == "bladder_dysfunction"
    result = client.post("/api/v1/triage", json={**base, "uncertain": ["bladder_dysfunction"]})
    body = result.json()
    assert body["level"] in ("urgent", "emergency")
    doubt = [r for r in body["reasons"] if r["rule_id"] == "RF-UNSURE-EMERGENCY-SIGN"]
    assert doubt and doubt[0]["findings"] == ["bladder_dysfunction"]
    answered = client.post("/api/v1/triage", json={
        **base, "findings": {"back_pain": True, "bladder_dysfunction": False},
        "uncertain": ["bladder_dysfunction"]}).json()
    assert "RF-UNSURE-EMERGENCY-SIGN" not in {r["rule_id"] for r in answered["reasons"]}
    wrong = client.post("/api/v1/triage", json={**base, "uncertain": ["bladder_dysfuction"]})
    assert wrong.status_code == 422 and "bladder_dysfunction" in wrong.json()["errors"][
        "uncertain.bladder_dysfuction"]


def test_a_provisional_result_says_so_and_lists_the_open_questions(client) -> None:
    """Hazard (issue 9 §3): no door shows a provisional result as if final."""
    body = client.post("/api/v1/triage", json={"age": 40, "findings": {"back_pain": True}}).json()
    assert body["complete"] is False and body["open_questions"]
    assert body["provisional"] is True
    notice = body["provisional_notice"]
    assert notice.startswith("Provisional: these questions are still open:")
    for q in body["open_questions"]:
        assert q["question"] in notice
    emergency = client.post("/api/v1/triage", json={"findings": CAUDA_EQUINA}).json()
    assert emergency["provisional"] is False and emergency["provisional_notice"] is None


def test_a_whole_interview_through_the_api_ends_with_a_final_result(client) -> None:
    """Answer every question 'no' (age and sex as typed words): the API's interview ends,
    and the result it leads to is final, not provisional."""
    state: dict = {"findings": {"back_pain": True}}
    answers = {"age": "thirty five", "sex": "woman"}
    body = client.post(NEXT, json=state).json()
    for _ in range(80):
        question = body["question"]
        if question is None:
            break
        text = answers.get(question["finding"], "nope" if question["kind"] == "bool"
                           else "not sure")
        response = _answer(client, body["state"], question["finding"], text)
        assert response.status_code == 200, response.text
        body = response.json()
    else:
        raise AssertionError("the interview did not end")
    assert body["state"]["age"] == 35 and body["state"]["sex"] == "female"
    result = client.post("/api/v1/triage", json=body["state"]).json()
    assert result["complete"] is True and result["provisional"] is False
