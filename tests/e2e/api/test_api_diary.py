"""The diary's API and pages through the real app: save, read, replace, delete; a warning
sign shows emergency advice in the API answer and on the page, and the clinician's list
then shows the patient first with the sign named; walking tests; CSV import/export; visit
questions; the clinician's summary."""

from __future__ import annotations

import re
from datetime import timedelta

from spinecare.services.diary import today_utc
from web_fixtures import API_PASSWORD, api_user

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _sign_in_pages(client, email: str) -> str:  # type: ignore[no-untyped-def]
    token = CSRF.search(client.get("/signin").text).group(1)
    response = client.post("/signin", data={"email": email, "password": API_PASSWORD,
                                            "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return CSRF.search(client.get("/diary").text).group(1)


def test_save_read_replace_and_delete_a_day(client) -> None:
    pat = api_user(client, "pat@example.org")
    day = (today_utc() - timedelta(days=1)).isoformat()
    saved = client.put(f"/api/v1/me/diary/{day}", headers=pat["headers"],
                       json={"back_pain": 3, "leg_pain": 6, "activities": ["walking"]})
    assert saved.status_code == 200, saved.text
    assert saved.json()["replaced"] is False and saved.json()["warning_check"] is None
    again = client.put(f"/api/v1/me/diary/{day}", headers=pat["headers"], json={"back_pain": 5})
    assert again.json()["replaced"] is True
    one = client.get(f"/api/v1/me/diary/{day}", headers=pat["headers"]).json()
    assert (one["back_pain"], one["leg_pain"], one["activities"]) == (5, None, [])
    listed = client.get("/api/v1/me/diary", params={"start": day, "end": day},
                        headers=pat["headers"]).json()
    assert [e["day"] for e in listed] == [day]
    bad = client.put(f"/api/v1/me/diary/{day}", headers=pat["headers"], json={"back_pain": 12})
    assert bad.status_code == 422 and "back_pain" in bad.json()["errors"]
    future = (today_utc() + timedelta(days=2)).isoformat()
    refused = client.put(f"/api/v1/me/diary/{future}", headers=pat["headers"], json={})
    assert refused.status_code == 422 and "future" in refused.json()["errors"]["day"]
    assert client.delete(f"/api/v1/me/diary/{day}", headers=pat["headers"]).status_code == 204
    assert client.get(f"/api/v1/me/diary/{day}", headers=pat["headers"]).status_code == 404


def test_saddle_numbness_gives_emergency_advice_and_tops_the_clinicians_list(client) -> None:
    pat = api_user(client, "sam@example.org", name="Sam Saddle")
    calm = api_user(client, "cal@example.org", name="Cal Calm")
    doc = api_user(client, "doc@example.org", role="clinician", name="Dr Doc")
    for person in (calm, pat):
        granted = client.post("/api/v1/me/care-team", headers=person["headers"],
                              json={"clinician_email": "doc@example.org"})
        assert granted.status_code in (200, 201), granted.text
    signs = client.get("/api/v1/diary/warning-signs").json()
    assert "saddle_anaesthesia" in signs
    today = today_utc().isoformat()
    answer = client.put(f"/api/v1/me/diary/{today}", headers=pat["headers"],
                        json={"back_pain": 5, "warning_signs": ["saddle_anaesthesia"]})
    assert answer.status_code == 200, answer.text
    check = answer.json()["warning_check"]
    assert check["level"] == "emergency"
    assert check["advice"]["emergency_number"].startswith("999")  # GB: the tests' country
    assert answer.json()["entry"]["triage_session_id"] == check["saved_check_id"]
    # The page shows the advice first, before the diary's own heading.
    _sign_in_pages(client, "sam@example.org")
    page = client.get("/diary").text
    main = page[page.index("<main"):]
    assert "level-emergency" in main
    assert main.index("Call 999") < main.index("<h1>My symptom diary")
    # The clinician's list: Sam first, the sign named (API and page).
    client.post("/signout", data={"csrf_token": CSRF.search(page).group(1)})
    listed = client.get("/api/v1/clinician/patients", headers=doc["headers"])
    assert listed.status_code == 200, listed.text
    names = [p["name"] for p in listed.json()]
    assert names[0] == "Sam Saddle" and "Cal Calm" in names
    assert "Numbness between your legs" in listed.json()[0]["open_warning_signs"][0]
    _sign_in_pages_clinician = CSRF.search(client.get("/signin").text).group(1)
    client.post("/signin", data={"email": "doc@example.org", "password": API_PASSWORD,
                                 "csrf_token": _sign_in_pages_clinician})
    html = client.get("/clinician/patients").text
    assert html.index("Sam Saddle") < html.index("Cal Calm")
    assert "Numbness between your legs" in html
    summary = client.get(f"/api/v1/patients/{pat['id']}/diary/summary", headers=doc["headers"])
    assert summary.status_code == 200 and summary.json()["means"]["back"]["n_7d"] == 1


def test_walking_tests_and_questions_through_the_api(client) -> None:
    pat = api_user(client, "walker@example.org")
    other = api_user(client, "other@example.org")
    made = client.post("/api/v1/me/walking-tests", headers=pat["headers"], json={
        "duration_seconds": 640, "first_symptom_seconds": 200, "distance_m": 520,
        "stopped_because": "symptoms", "relief": "sit", "recovery_minutes": 4})
    assert made.status_code == 201, made.text
    test_id = made.json()["id"]
    listed = client.get("/api/v1/me/walking-tests", headers=pat["headers"]).json()
    assert [t["id"] for t in listed] == [test_id]
    bad = client.post("/api/v1/me/walking-tests", headers=pat["headers"], json={
        "duration_seconds": 60, "first_symptom_seconds": 90, "stopped_because": "symptoms"})
    assert bad.status_code == 422 and "first_symptom_seconds" in bad.json()["errors"]
    # Someone else's test looks like a missing one.
    assert client.delete(f"/api/v1/me/walking-tests/{test_id}",
                         headers=other["headers"]).status_code == 404
    assert client.delete(f"/api/v1/me/walking-tests/{test_id}",
                         headers=pat["headers"]).status_code == 204
    q = client.post("/api/v1/me/visit-questions", headers=pat["headers"],
                    json={"text": "Should I try physio?"})
    assert q.status_code == 201
    done = client.patch(f"/api/v1/me/visit-questions/{q.json()['id']}", headers=pat["headers"],
                        json={"done": True})
    assert done.json()["done_at"] is not None
    assert client.get("/api/v1/me/visit-questions", headers=pat["headers"]).json() == []
    assert client.delete(f"/api/v1/me/visit-questions/{q.json()['id']}",
                         headers=pat["headers"]).status_code == 204


def test_csv_export_and_import_through_the_api(client) -> None:
    pat = api_user(client, "csv@example.org")
    day = (today_utc() - timedelta(days=3)).isoformat()
    client.put(f"/api/v1/me/diary/{day}", headers=pat["headers"],
               json={"back_pain": 2, "notes": "=cmd|' /C calc'!A0"})
    exported = client.get("/api/v1/me/diary/export.csv", headers=pat["headers"])
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.headers["cache-control"] == "no-store"
    assert "'=cmd" in exported.text
    bad = client.post("/api/v1/me/diary/import", headers={**pat["headers"],
                      "Content-Type": "text/csv"}, content=exported.text + "2001-02-30,1\n")
    assert bad.status_code == 422, bad.text
    assert any(k.startswith("line 3") for k in bad.json()["errors"]), bad.json()
    good = client.post("/api/v1/me/diary/import", headers={**pat["headers"],
                       "Content-Type": "text/csv"}, content=exported.text)
    assert good.status_code == 200, good.text
    assert good.json()["replaced_days"] == [day]
    notes = client.get(f"/api/v1/me/diary/{day}", headers=pat["headers"]).json()["notes"]
    assert notes == "=cmd|' /C calc'!A0"  # the apostrophe we added came off again


def test_pages_save_a_day_and_a_walking_test_without_javascript(client) -> None:
    api_user(client, "page@example.org")
    token = _sign_in_pages(client, "page@example.org")
    today = today_utc().isoformat()
    # The entry form, the walking-test form and the import form each carry the token.
    for path, action in (("/diary", f"/diary/{today}"), ("/diary/walking-test",
                         "/diary/walking-test"), ("/diary/import", "/diary/import")):
        html = client.get(path).text
        form = html[html.index(f'action="{action}"'):]
        assert CSRF.search(form[:2000]).group(1) == token, path
    saved = client.post(f"/diary/{today}", data={
        "csrf_token": token, "back_pain": "4", "leg_pain": "6", "walking_minutes": "15",
        "activities": ["walking", "driving"], "medicines": "paracetamol 1 g\nnaproxen"},
        follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/diary?saved=1"
    page = client.get("/diary?saved=1").text
    assert "Today’s entry is saved." in page and 'role="img"' in page
    wrong = client.post(f"/diary/{today}", data={"csrf_token": token, "back_pain": "14"})
    assert wrong.status_code == 422 and "Back pain: must be a whole number" in wrong.text
    walked = client.post("/diary/walking-test", data={
        "csrf_token": token, "duration_minutes": "12.5", "first_symptom_minutes": "4",
        "stopped_because": "symptoms", "relief": "bend_forward"}, follow_redirects=False)
    assert walked.status_code == 303, walked.text
    listed = client.get("/diary").text
    assert "12.5 min" in listed and "after 4.0 min" in listed
    assert client.get("/diary/walking-test").status_code == 200
    assert client.get(f"/diary/{today}").status_code == 200
    assert client.get("/diary/2999-01-01").status_code == 404
