"""A diary day can say "no activities from the list today" (review of issue 11): the page
offers it, the API and the CSV import accept it, and only such a day (or one with a note of
something else) counts as a day without an activity; a day with nothing recorded is
unknown and left out of the comparison."""

from __future__ import annotations

import re
from datetime import timedelta

from spinecare.services.report import today_utc
from web_fixtures import API_PASSWORD, api_user


def test_none_is_a_known_without_day_and_blank_is_unknown(client) -> None:  # type: ignore[no-untyped-def]
    pat = api_user(client, "none@example.org")
    headers = pat["headers"]
    first = today_utc() - timedelta(days=20)
    legs = (3, 4, 1, 5, 2, 6, 3, 2)
    for k, pain in enumerate(legs):  # gardening on days 0, 2, 4; the others say "none"
        saved = client.put(f"/api/v1/me/diary/{first + timedelta(days=k)}", headers=headers,
                           json={"leg_pain": pain,
                                 "activities": ["gardening"] if k in (0, 2, 4) else ["none"]})
        assert saved.status_code in (200, 201), saved.text

    def gardening() -> dict:  # type: ignore[type-arg]
        summary = client.get("/api/v1/me/diary/summary", headers=headers,
                             params={"start": first.isoformat()})
        assert summary.status_code == 200, summary.text
        items = {a["factor"]: a for a in summary.json()["associations"]["items"]}
        assert "none" not in items
        return items["gardening"]

    g = gardening()
    assert (g["days_with"], g["days_without"], g["difference"]) == (3, 4, 3.0)
    # The same "without" days recorded with no activity at all, through the CSV import:
    # unknown, so they leave the comparison.
    rows = "\n".join(f"{first + timedelta(days=k)},{legs[k]}," for k in (1, 3, 5, 6))
    imported = client.post("/api/v1/me/diary/import", headers={
        **headers, "Content-Type": "text/csv"},
        content=f"date,leg_pain,activities\n{rows}\n")
    assert imported.status_code == 200, imported.text
    assert imported.json()["replaced"] == 4
    g = gardening()
    assert (g["days_with"], g["days_without"]) == (3, 0) and not g["enough_data"]
    # ...and "none" through the CSV makes them known again.
    rows = "\n".join(f"{first + timedelta(days=k)},{legs[k]},none" for k in (1, 3, 5, 6))
    assert client.post("/api/v1/me/diary/import", headers={**headers, "Content-Type": "text/csv"},
                       content=f"date,leg_pain,activities\n{rows}\n").status_code == 200
    assert gardening()["days_without"] == 4


def test_none_cannot_be_ticked_with_an_activity(client) -> None:  # type: ignore[no-untyped-def]
    pat = api_user(client, "both@example.org")
    day = today_utc() - timedelta(days=1)
    refused = client.put(f"/api/v1/me/diary/{day}", headers=pat["headers"],
                         json={"activities": ["none", "walking"]})
    assert refused.status_code == 422
    assert "not both" in refused.json()["errors"]["activities"]
    assert client.get(f"/api/v1/me/diary/{day}", headers=pat["headers"]).status_code == 404


def test_the_diary_form_offers_no_activities_from_the_list(client) -> None:  # type: ignore[no-untyped-def]
    api_user(client, "form@example.org")
    page = client.get("/signin").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    client.post("/signin", data={"email": "form@example.org", "password": API_PASSWORD,
                                 "csrf_token": token})
    form = client.get("/diary")
    assert form.status_code == 200
    assert 'name="activities" value="none"' in form.text
    assert "No activities from the list today" in form.text
