"""The decision aid on the web: POST /api/v1/decide, the /decide page and its summary,
and the page in a real chromium (axe-core, under the real CSP)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from browser_support import AXE_JS, chromium, require
from spinecare.clinical.decision import WARNING_SIGNS
from web_fixtures import start_server, stop_server

NO_SIGNS = {k: False for k in WARNING_SIGNS}
ANSWERS = {"condition": "lumbar_spinal_stenosis", "conservative_weeks": 20, "benefit": "none",
           "deficit": "none", "odi": 46, "injections_12m": 1, "warning_signs": NO_SIGNS}
FORM_SIGNS = {f"sign_{k}": "no" for k in WARNING_SIGNS}
FORM = {**FORM_SIGNS, "condition": "lumbar_spinal_stenosis",
        "conservative_weeks": "20", "benefit": "none", "deficit": "none",
        "injections_12m": "1", "value_walk_further": "a_lot"}


def _csrf(client) -> str:  # type: ignore[no-untyped-def]
    import re

    page = client.get("/decide").text
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


# --- JSON API ---------------------------------------------------------------------------

@pytest.mark.parametrize(("weeks", "stage", "surgery"), [
    (11, "conservative_first", "not_yet"),
    (13, "surgical_discussion", "reasonable_now"),
])
def test_api_places_the_pathway_at_three_months(client, weeks, stage, surgery) -> None:
    response = client.post("/api/v1/decide", json={**ANSWERS, "conservative_weeks": weeks})
    assert response.status_code == 200
    body = response.json()
    assert body["stage"] == stage
    statuses = {o["option_id"]: o["status"] for o in body["options"]}
    assert statuses["decompression"] == surgery
    assert statuses["stem_cell_injection"] == "investigational_only"
    assert len(body["option_grid"]) == 7 and body["references"]


def test_api_emergency_bypasses_the_aid(client) -> None:
    body = client.post("/api/v1/decide",
                       json={**ANSWERS, "red_flags": ["bladder_dysfunction"]}).json()
    assert body["bypassed"] is True and body["stage"] == "emergency"
    assert body["options"] == [] and body["option_grid"] == []
    assert body["advice"]["level"] == "emergency"


def test_api_rejects_bad_input_with_one_message_per_field(client) -> None:
    response = client.post("/api/v1/decide", json={**ANSWERS, "odi": 146, "red_flags": ["fevr"]})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "less than or equal to 100" in errors["odi"]
    assert "bladder_dysfunction" in errors["red_flags.0"]  # lists the allowed signs
    benefit = client.post("/api/v1/decide", json={**ANSWERS, "benefit": "great"})
    assert benefit.status_code == 422 and "benefit" in benefit.json()["errors"]
    # Strict types: a string is not a number of weeks, and unknown fields are refused.
    assert client.post("/api/v1/decide",
                       json={**ANSWERS, "conservative_weeks": "20"}).status_code == 422
    assert client.post("/api/v1/decide", json={**ANSWERS, "surgery": True}).status_code == 422


def test_api_option_grid_is_public_content(client) -> None:
    body = client.get("/api/v1/decide/options").json()
    ids = [o["id"] for o in body["options"]]
    assert ids[-1] == "stem_cell_injection" and body["options"][-1]["investigational"] is True
    assert all(o["references"] and o["evidence_level"] for o in body["options"])
    assert body["surgeon_questions"] and body["values_questions"]


# --- pages ------------------------------------------------------------------------------

def test_api_refuses_unanswered_warning_signs_naming_them(client) -> None:
    old_style = {k: v for k, v in ANSWERS.items() if k != "warning_signs"}
    response = client.post("/api/v1/decide", json=old_style)
    assert response.status_code == 422
    message = response.json()["errors"]["warning_signs"]
    assert all(k in message for k in WARNING_SIGNS) and "never read as 'no'" in message
    one_left = {k: v for k, v in NO_SIGNS.items() if k != "fever"}
    response = client.post("/api/v1/decide", json={**ANSWERS, "warning_signs": one_left})
    assert response.status_code == 422
    assert response.json()["errors"]["warning_signs"].startswith("not answered: fever.")
    # An empty red_flags list is not an answer either.
    assert client.post("/api/v1/decide",
                       json={**old_style, "red_flags": []}).status_code == 422


def test_api_a_sign_present_gives_its_advice_even_with_other_signs_unanswered(client) -> None:
    # A client that only says "bladder problems" must get emergency advice, not a 422
    # asking about the other signs (the service decides, as for the CLI and the page).
    old_style = {k: v for k, v in ANSWERS.items() if k != "warning_signs"}
    for body in ({**old_style, "red_flags": ["bladder_dysfunction"]},
                 {**old_style, "warning_signs": {"saddle_anaesthesia": True}}):
        response = client.post("/api/v1/decide", json=body)
        assert response.status_code == 200, response.text
        assert response.json()["stage"] == "emergency" and response.json()["bypassed"] is True


def test_api_not_sure_on_an_emergency_sign_gives_no_comparison(client) -> None:
    signs = {**NO_SIGNS, "saddle_anaesthesia": "not_sure"}
    body = client.post("/api/v1/decide", json={**ANSWERS, "warning_signs": signs}).json()
    assert body["bypassed"] is True and body["stage"] == "urgent_review"
    assert body["options"] == [] and body["option_grid"] == []
    assert "Not sure is not the same as no" in body["advice"]["text"]
    assert client.post("/api/v1/decide", json={
        **ANSWERS, "warning_signs": {**NO_SIGNS, "fever": "maybe"}}).status_code == 422


def test_api_schema_asks_every_warning_sign(client) -> None:
    spec = client.get("/api/openapi.json").json()
    schemas = spec["components"]["schemas"]
    signs = schemas["WarningSignAnswers"]["properties"]
    assert set(signs) == set(WARNING_SIGNS)
    assert signs["fever"]["description"] == WARNING_SIGNS["fever"].question
    assert "never read as no" in schemas["DecideRequest"]["properties"]["warning_signs"][
        "description"]


def test_form_asks_every_warning_sign_with_no_default(client) -> None:
    page = client.get("/decide").text
    assert page.index("warning signs") < page.index("Which condition")
    for key, sign in WARNING_SIGNS.items():
        for answer in ("yes", "no", "not_sure"):
            assert f'name="sign_{key}" value="{answer}" >' in page, (key, answer)
        assert sign.question.replace("'", "&#39;") in page or sign.question in page
    assert 'name="sign_fever" value="no" checked' not in page


def test_form_with_a_sign_unanswered_is_refused_naming_it(client) -> None:
    data = {**FORM, "csrf_token": _csrf(client)}
    del data["sign_night_sweats"]
    response = client.post("/decide", data=data)
    assert response.status_code == 422
    assert "Answer yes, no or not sure: Have you had drenching sweats at night?" in response.text
    assert "Your options now" not in response.text


def test_form_shows_the_options_with_reasons_and_sources(client) -> None:
    response = client.post("/decide", data={**FORM, "csrf_token": _csrf(client)})
    assert response.status_code == 200
    page = response.text
    for text in ("Step 2: a good time to discuss surgery", "DA-PATH-NOT-ENOUGH",
                 "Investigational: only in a clinical trial", "What is not known",
                 "Swedish Spinal Stenosis Study", "Questions to ask your surgeon", "Sources",
                 "Being able to walk further"):
        assert text in page, text


def test_unsure_about_warning_signs_stops_the_aid(client) -> None:
    page = client.post("/decide", data={**FORM, "sign_bowel_dysfunction": "not_sure",
                                        "csrf_token": _csrf(client)}).text
    assert "See a doctor within 24-48 hours first" in page
    assert "Not sure is not the same as no" in page
    assert "Your options now" not in page


def test_ticked_emergency_sign_shows_emergency_advice_only(client) -> None:
    data = {**FORM, "sign_saddle_anaesthesia": "yes", "csrf_token": _csrf(client)}
    page = client.post("/decide", data=data).text
    assert "Emergency: get help now" in page and 'href="tel:' in page
    assert "The options side by side" not in page
    assert "Questions to ask your surgeon" not in page and "Download PDF" not in page


def test_form_errors_are_listed_and_keep_the_answers(client) -> None:
    data = {**FORM, "conservative_weeks": "-3", "csrf_token": _csrf(client)}
    del data["sign_fever"]
    response = client.post("/decide", data=data)
    assert response.status_code == 422
    page = response.text
    assert "There is a problem" in page
    assert "Answer yes, no or not sure: Have you had a fever" in page
    assert 'name="sign_bladder_dysfunction" value="no" checked' in page
    assert "Enter the number of weeks you have tried treatment" in page
    assert 'value="-3"' in page and 'value="lumbar_spinal_stenosis" checked' in page


def test_form_without_csrf_is_refused(client) -> None:
    assert client.post("/decide", data=FORM).status_code == 403


@pytest.mark.parametrize(("fmt", "start"), [("pdf", b"%PDF-"), ("html", b"<!doctype html>"),
                                            ("md", b"# Treatment options")])
def test_summary_downloads(client, fmt, start) -> None:
    import json

    payload = json.dumps({**ANSWERS, "values": {"walk_further": "a_lot"}})
    response = client.post("/decide/summary", data={"payload": payload, "format": fmt,
                                                    "csrf_token": _csrf(client)})
    assert response.status_code == 200
    assert response.content.startswith(start)
    assert "attachment" in response.headers["content-disposition"]


def test_summary_with_tampered_answers_is_refused(client) -> None:
    response = client.post("/decide/summary", data={"payload": '{"condition": "x"}',
                                                    "format": "pdf", "csrf_token": _csrf(client)})
    assert response.status_code == 422
    assert "fill in the form again" in response.text


# --- real browser -----------------------------------------------------------------------



@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    require(AXE_JS)
    server = start_server(tmp_path_factory.mktemp("decide") / "data")
    yield server
    stop_server(server)


@pytest.mark.browser
def test_decide_in_chromium_is_accessible_and_works_under_csp(live) -> None:
    with chromium() as browser:
        # Under the real CSP first: the page's own stylesheet must load.
        strict = browser.new_page(viewport={"width": 1000, "height": 900})
        css = []
        strict.on("response", lambda r: css.append(r.status) if "decide.css" in r.url else None)
        strict.goto(f"{live.url}/decide")
        assert css == [200]
        context = browser.new_context(viewport={"width": 390, "height": 844},
                                      bypass_csp=True)
        page = context.new_page()
        page.goto(f"{live.url}/decide")
        _axe(page, "decide form")
        for key in WARNING_SIGNS:
            page.check(f"input[name=sign_{key}][value=no]")
        page.check("input[name=condition][value=lumbar_spinal_stenosis]")
        page.fill("#conservative_weeks", "13")
        page.check("input[name=benefit][value=none]")
        page.check("input[name=deficit][value=none]")
        page.click("button.button-start")
        page.wait_for_selector("#stage-title")
        assert "Step 2" in page.inner_text("#stage-title")
        stem = page.inner_text("#option-stem_cell_injection")
        assert "Investigational: only in a clinical trial" in stem
        _axe(page, "decide result")
        # The phone layout does not scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _axe(page: Any, name: str) -> None:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [f"{v['id']}: {v['help']} -> {v['nodes'][0]['target']}" for v in result["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, f"{name}: {bad}"


def test_form_can_preselect_a_condition_from_a_link(client) -> None:
    page = client.get("/decide", params={"condition": "cervical_myelopathy"}).text
    assert 'value="cervical_myelopathy" checked' in page
    page = client.get("/decide", params={"condition": "<script>"}).text
    assert "<script>" not in page.split("<main", 1)[1]


def test_ticked_warning_sign_wins_over_missing_answers(client) -> None:
    # One sign yes, the others unanswered, condition missing: still the emergency advice.
    data = {"sign_bowel_dysfunction": "yes", "conservative_weeks": "abc",
            "csrf_token": _csrf(client)}
    response = client.post("/decide", data=data)
    assert response.status_code == 200
    assert "Emergency: get help now" in response.text


def test_api_red_flag_bypasses_whatever_the_other_answers(client) -> None:
    # The API contract is strict (a program sends it): valid data with a red flag and
    # surgery-stage answers still gets the red-flag advice and no options.
    body = client.post("/api/v1/decide", json={**ANSWERS, "conservative_weeks": 52,
                                               "red_flags": ["fever"]}).json()
    assert body["stage"] == "urgent_review" and body["options"] == []
