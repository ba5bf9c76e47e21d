"""The exercise programme over the JSON API: the public library, choosing a programme,
logging sessions (validated, stored, deleted), progress, a warning sign pausing the plan,
and a clinician's read of a patient who shared their record."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from spinecare.adapters.storage.models import DiaryEntry
from spinecare.services.actor import Actor
from web_fixtures import api_user

TODAY = date.today()


def test_library_is_public_and_each_exercise_has_a_drawing(client) -> None:  # type: ignore[no-untyped-def]
    listed = client.get("/api/v1/exercises")
    assert listed.status_code == 200
    ids = [e["id"] for e in listed.json()["exercises"]]
    assert "knee_to_chest_single" in ids and "lumbar_spinal_stenosis" in listed.json()["conditions"]
    one = client.get("/api/v1/exercises/chin_tuck").json()
    root = ET.fromstring(one["svg"])
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Chin tuck"  # type: ignore[union-attr]
    missing = client.get("/api/v1/exercises/no_such_thing")
    assert missing.status_code == 404 and "no exercise" in missing.json()["detail"].lower()


def test_plan_follows_the_chosen_condition_and_sessions_count_towards_the_trials(client) -> None:  # type: ignore[no-untyped-def]
    ana = api_user(client, "ana@example.org")
    h = ana["headers"]
    empty = client.get("/api/v1/me/exercise/plan", headers=h).json()
    assert empty["programme"]["status"] == "no_condition" and empty["progress"] is None
    chosen = client.put("/api/v1/me/exercise/programme", headers=h,
                        json={"condition": "lumbar_spinal_stenosis"})
    assert chosen.status_code == 200, chosen.text
    wrong = client.put("/api/v1/me/exercise/programme", headers=h, json={"condition": "flu"})
    assert wrong.status_code == 422 and "condition" in wrong.text
    plan = client.get("/api/v1/me/exercise/plan", headers=h).json()
    assert plan["programme"]["bias"] == "flexion"
    assert all(e["direction"] != "extension" for e in plan["programme"]["home"])
    assert {a["id"] for a in plan["programme"]["avoid"]} >= {"prone_press_up", "superman"}
    assert plan["week"]["sessions_planned"] == 2
    for status in ("done", "partly"):
        saved = client.post("/api/v1/me/exercise/sessions", headers=h, json={
            "day": TODAY.isoformat(), "status": status, "pain_before": 3, "pain_after": 4,
            "effort": "just_right", "exercises": ["pelvic_tilt"],
            "conditioning_minutes": 10})
        assert saved.status_code == 201, saved.text
    plan = client.get("/api/v1/me/exercise/plan", headers=h).json()
    assert plan["progress"]["sessions_credit"] == 1.5
    assert "1.5 of the 12 sessions" in plan["progress"]["trial_sentence"]
    rows = client.get("/api/v1/me/exercise/sessions", headers=h).json()
    assert [r["status"] for r in rows] == ["done", "partly"]
    assert client.delete(f"/api/v1/me/exercise/sessions/{rows[0]['id']}",
                         headers=h).status_code == 204
    assert len(client.get("/api/v1/me/exercise/sessions", headers=h).json()) == 1


def test_invalid_sessions_are_refused_with_a_message_per_field(client) -> None:  # type: ignore[no-untyped-def]
    ana = api_user(client, "ana@example.org")
    h = ana["headers"]
    future = client.post("/api/v1/me/exercise/sessions", headers=h, json={
        "day": (TODAY + timedelta(days=2)).isoformat(), "status": "done",
        "exercises": ["jumping_jacks"]})
    assert future.status_code == 422
    body = future.text
    assert "future" in body and "jumping_jacks" in body
    pain = client.post("/api/v1/me/exercise/sessions", headers=h, json={
        "day": TODAY.isoformat(), "status": "done", "pain_before": 11})
    assert pain.status_code == 422
    assert client.get("/api/v1/me/exercise/sessions", headers=h).json() == []


def test_someone_elses_session_cannot_be_deleted(client) -> None:  # type: ignore[no-untyped-def]
    ana, bo = api_user(client, "ana@example.org"), api_user(client, "bo@example.org")
    row = client.post("/api/v1/me/exercise/sessions", headers=ana["headers"], json={
        "day": TODAY.isoformat(), "status": "skipped"}).json()
    gone = client.delete(f"/api/v1/me/exercise/sessions/{row['id']}", headers=bo["headers"])
    assert gone.status_code == 404
    assert len(client.get("/api/v1/me/exercise/sessions", headers=ana["headers"]).json()) == 1


def test_a_warning_sign_in_the_diary_pauses_the_plan(client) -> None:  # type: ignore[no-untyped-def]
    ana = api_user(client, "ana@example.org")
    client.put("/api/v1/me/exercise/programme", headers=ana["headers"],
               json={"condition": "lumbar_spinal_stenosis"})
    db = client.app.state.spinecare.services.db
    with db.unit_of_work() as repos:
        repos.diary.add(DiaryEntry(patient_id=ana["id"], day=TODAY - timedelta(days=3),
                                   warning_signs=["bladder_dysfunction"]))
    plan = client.get("/api/v1/me/exercise/plan", headers=ana["headers"]).json()
    assert plan["warning_sign_open"] is True
    assert plan["programme"]["status"] == "paused_warning_sign"
    assert plan["programme"]["home"] == [] and plan["progress"] is None
    assert "EX-NONE-WARNING" in plan["programme"]["rule_ids"]


def test_an_urgent_check_pauses_the_plan_and_the_top_condition_is_the_default(client) -> None:  # type: ignore[no-untyped-def]
    ana = api_user(client, "ana@example.org")
    services = client.app.state.spinecare.services
    actor = Actor(ana["id"], "patient")
    from spinecare.services.triage import build_findings

    services.triage.save(actor, build_findings(
        {"leg_symptoms_walking": True, "relief_sitting_or_flexion": True, "back_pain": True},
        age=70, sex="male"))
    plan = client.get("/api/v1/me/exercise/plan", headers=ana["headers"]).json()
    assert plan["condition_source"] == "latest_check"
    assert plan["condition"] == "lumbar_spinal_stenosis"
    assert plan["warning_sign_open"] is False
    services.triage.save(actor, build_findings({"back_pain": True, "fever": True,
                                                "recent_infection": True}, age=70, sex="male"))
    level = services.triage.history(actor, ana["id"])[0].level
    again = client.get("/api/v1/me/exercise/plan", headers=ana["headers"]).json()
    assert again["warning_sign_open"] is (level in ("emergency", "urgent"))


def test_a_clinician_reads_a_granted_patients_plan_and_nobody_else_does(client) -> None:  # type: ignore[no-untyped-def]
    ana = api_user(client, "ana@example.org")
    doc = api_user(client, "doc@example.org", role="clinician")
    other = api_user(client, "other@example.org", role="clinician")
    client.post("/api/v1/me/care-team", headers=ana["headers"],
                json={"clinician_email": "doc@example.org"})
    url = f"/api/v1/patients/{ana['id']}/exercise/plan"
    assert client.get(url, headers=doc["headers"]).status_code == 200
    assert client.get(url, headers=other["headers"]).status_code == 403
    log = client.get("/api/v1/me/access-log", headers=ana["headers"]).json()
    assert any(e["resource"] == "exercise_plan" and e["actor_id"] == doc["id"] for e in log)
