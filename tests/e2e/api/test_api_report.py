"""The report for the doctor over HTTP: the JSON report and the PDFs through the API, the
patient's pages (form, "Open report", "Download PDF") and the clinician's, and who is refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from report_seed import seed
from web_fixtures import API_PASSWORD, api_user

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _sign_in(client, email: str) -> None:  # type: ignore[no-untyped-def]
    token = CSRF.search(client.get("/signin").text).group(1)  # type: ignore[union-attr]
    done = client.post("/signin", data={"email": email, "password": API_PASSWORD,
                                        "csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303, done.text


def _people(client):  # type: ignore[no-untyped-def]
    ana = api_user(client, "ana@example.org", name="Ana Ribeiro")
    services = client.app.state.spinecare.services
    seed(services, ana["id"], datetime.now(UTC).date(), saddle_days_ago=3)
    doctor = api_user(client, "doc@example.org", role="clinician", name="Dr Doc")
    granted = client.post("/api/v1/me/care-team", headers=ana["headers"],
                          json={"clinician_email": "doc@example.org"})
    assert granted.status_code in (200, 201), granted.text
    return ana, doctor


def test_json_report_for_the_patient_and_the_granted_clinician(client) -> None:  # type: ignore[no-untyped-def]
    ana, doctor = _people(client)
    mine = client.get(f"/api/v1/patients/{ana['id']}/report", headers=ana["headers"])
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert body["name"] == "Ana Ribeiro" and body["exercise"]["line"] == "7 of 12 sessions"
    assert body["warnings"][0]["sign"] == "saddle_anaesthesia"
    assert any(f["id"] == "RPT-FLAG-SPHINCTER" and f["fired"] for f in body["flags"])
    assert body["pain_chart"]["direction_words"] == "Higher is worse."
    assert mine.headers["cache-control"] == "no-store"
    theirs = client.get(f"/api/v1/patients/{ana['id']}/report", headers=doctor["headers"],
                        params={"start": "2026-01-01", "end": "2026-01-31"})
    assert theirs.status_code == 200 and theirs.json()["start"] == "2026-01-01"


def test_pdfs_through_the_api(client) -> None:  # type: ignore[no-untyped-def]
    ana, doctor = _people(client)
    own = client.get("/api/v1/me/report.pdf", headers=ana["headers"])
    assert own.status_code == 200 and own.headers["content-type"] == "application/pdf"
    assert own.content.startswith(b"%PDF") and "attachment" in own.headers["content-disposition"]
    theirs = client.get(f"/api/v1/patients/{ana['id']}/report.pdf", headers=doctor["headers"])
    assert theirs.status_code == 200 and theirs.content.startswith(b"%PDF")


def test_others_are_refused_and_bad_dates_explained(client) -> None:  # type: ignore[no-untyped-def]
    ana, _ = _people(client)
    ben = api_user(client, "ben@example.org")
    stranger = api_user(client, "stranger@example.org", role="clinician")
    for who in (ben, stranger):
        for path in (f"/api/v1/patients/{ana['id']}/report",
                     f"/api/v1/patients/{ana['id']}/report.pdf"):
            refused = client.get(path, headers=who["headers"])
            assert refused.status_code in (403, 404), (path, refused.status_code)
            assert "Ana" not in refused.text
    assert client.get(f"/api/v1/patients/{ana['id']}/report").status_code == 401
    backwards = client.get(f"/api/v1/patients/{ana['id']}/report", headers=ana["headers"],
                           params={"start": "2026-05-01", "end": "2026-04-01"})
    assert backwards.status_code == 422 and "start must come first" in backwards.text
    not_a_date = client.get("/api/v1/me/report.pdf", headers=ana["headers"],
                            params={"start": "yesterday"})
    assert not_a_date.status_code == 422


def test_the_patients_pages(client) -> None:  # type: ignore[no-untyped-def]
    _people(client)
    _sign_in(client, "ana@example.org")
    assert '<a href="/report">Report for my doctor</a>' in client.get("/diary").text
    form = client.get("/report")
    assert form.status_code == 200
    assert "Open report" in form.text and "Download PDF" in form.text
    assert 'formaction="/report.pdf"' in form.text
    today = datetime.now(UTC).date()
    start = (today - timedelta(days=29)).isoformat()
    page = client.get("/report/view", params={"start": start, "end": today.isoformat()})
    assert page.status_code == 200 and "Ana Ribeiro" in page.text and "(30 days)" in page.text
    assert "Warning signs logged in this period" in page.text
    pdf = client.get("/report.pdf", params={"start": start, "end": today.isoformat()})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    wrong = client.get("/report/view", params={"start": "2026-05-01", "end": "2026-04-01"})
    assert wrong.status_code == 422 and "There is a problem" in wrong.text
    assert "The start 2026-05-01 is after the end" in wrong.text
    garbled = client.get("/report/view", params={"start": "soon"})
    assert garbled.status_code == 422 and "year-month-day" in garbled.text


def test_the_clinicians_pages(client) -> None:  # type: ignore[no-untyped-def]
    ana, _ = _people(client)
    api_user(client, "stranger@example.org", role="clinician")
    _sign_in(client, "doc@example.org")
    record = client.get(f"/clinician/patients/{ana['id']}").text
    assert f'href="/clinician/patients/{ana["id"]}/report"' in record
    page = client.get(f"/clinician/patients/{ana['id']}/report")
    assert page.status_code == 200 and "Ana Ribeiro" in page.text
    pdf = client.get(f"/clinician/patients/{ana['id']}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.post("/signout", data={"csrf_token": CSRF.search(
        client.get("/").text).group(1)})  # type: ignore[union-attr]
    _sign_in(client, "stranger@example.org")
    refused = client.get(f"/clinician/patients/{ana['id']}/report")
    assert refused.status_code == 404 and "Ana" not in refused.text
