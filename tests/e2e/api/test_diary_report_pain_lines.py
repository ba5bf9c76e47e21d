"""The diary page and the doctor's report draw the same pain chart lines for the same days
(rule DIARY-PAIN-LINES, in the core): 2 points or 30 % from the first week's mean."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from spinecare.services.diary import today_utc
from web_fixtures import API_PASSWORD, api_user

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_the_diary_page_and_the_report_draw_the_same_pain_lines(client) -> None:  # type: ignore[no-untyped-def]
    ana = api_user(client, "ana@example.org")
    today = today_utc()
    first = today - timedelta(days=13)
    for k in range(14):
        saved = client.put(f"/api/v1/me/diary/{(first + timedelta(days=k)).isoformat()}",
                           headers=ana["headers"], json={"leg_pain": 6, "back_pain": 8})
        assert saved.status_code in (200, 201), saved.text
    report = client.get(f"/api/v1/patients/{ana['id']}/report", headers=ana["headers"],
                        params={"start": first.isoformat(), "end": today.isoformat()})
    assert report.status_code == 200, report.text
    lines = report.json()["pain_chart"]["thresholds"]
    # Leg 6: 30 % (1.8) is nearer than 2 points; back 8: 2 points, the worse line above 10
    # is left out.
    assert [(t["value"], t["label"]) for t in lines] == [
        (4.2, "Leg: first week − 1.8 (better)"), (7.8, "Leg: first week + 1.8 (worse)"),
        (6.0, "Back: first week − 2 (better)"), (10.0, "Back: first week + 2 (worse)")]
    token = CSRF.search(client.get("/signin").text).group(1)  # type: ignore[union-attr]
    client.post("/signin", data={"email": "ana@example.org", "password": API_PASSWORD,
                                 "csrf_token": token}, follow_redirects=False)
    page = client.get("/diary", params={"period": "28"})
    assert page.status_code == 200
    text = html.unescape(page.text)
    for line in lines:
        assert line["label"] in text
    assert "30 % less" not in text  # the page's own old rule is gone
