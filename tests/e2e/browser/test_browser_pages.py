"""The web pages in a real browser: Debian chromium (Playwright) against a real uvicorn
server over a temporary SQLite database, with axe-core on every page of every flow.

Flows: sign up; a check that ends in an emergency; one that ends in self-care (using the
back button on the way); an anonymous check that stores nothing; grant a clinician
access, the clinician sees the patient, revoke, the clinician no longer does. The pages
must also fit a 375 px phone screen and load under the app's real Content-Security-Policy.

Set SPINECARE_SCREENSHOTS=/some/dir to save a screenshot of every page checked, and
SPINECARE_BROWSER_WIDTH=375 to run every flow at a phone's width.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser_support import AXE_JS
from repo_paths import REPO_ROOT

pytestmark = pytest.mark.browser

REPO_ROOT = REPO_ROOT
PASSWORD = "correct horse battery staple"
SHOTS = os.environ.get("SPINECARE_SCREENSHOTS", "")
# Run every flow at a phone width too: SPINECARE_BROWSER_WIDTH=375.
WIDTH = int(os.environ.get("SPINECARE_BROWSER_WIDTH", "1280"))

# Answers by finding key. Questions not listed get the flow's default answer.
# Acute non-specific low back pain (FINDINGS.md vignette dev-003): self-care.
SELF_CARE_ANSWERS: dict[str, Any] = {
    "age": 29, "sex": "male", "back_pain": "yes", "leg_pain": "no", "duration_weeks": 0.5,
    "back_pain_score": 5, "pain_score": 5, "pain_mechanical": "yes",
}
# Sciatica turning into cauda equina syndrome (vignette dev-002): emergency.
EMERGENCY_ANSWERS: dict[str, Any] = {
    "age": 44, "sex": "female", "back_pain": "yes", "leg_pain": "yes",
    "saddle_anaesthesia": "yes", "bladder_dysfunction": "yes",
}
RED_FLAG_YES = {"saddle_anaesthesia", "bladder_dysfunction"}


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """Pages in fresh browser contexts (separate cookies: one per person)."""
    contexts = []

    def make(width: int = WIDTH) -> Any:
        # bypass_csp lets axe be injected; test_pages_load_under_the_real_csp covers the CSP.
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# --- helpers --------------------------------------------------------------------------

def assert_accessible(page: Any, name: str) -> None:
    """axe-core on the page as it is now: no serious or critical violations."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
        for v in bad
    )
    assert not bad, f"axe found serious/critical problems on {name} ({page.url}):\n{report}"
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)


def navigate(page: Any, selector: str) -> None:
    """Click a link or submit button and wait for the new page to load (no stale reads)."""
    with page.expect_navigation():
        page.click(selector)


def sign_up(page: Any, server: Any, name: str, email: str, role: str = "patient") -> None:
    """Create an account, open the link from the e-mail, confirm, and sign in."""
    base = server.url
    page.goto(f"{base}/signup")
    assert_accessible(page, "signup")
    page.fill("#name", name)
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.check(f"input[name=role][value={role}]")
    navigate(page, "button:has-text('Create account')")
    assert page.locator("h1").inner_text() == "Check your e-mail"
    assert_accessible(page, "signup-check-email")
    page.goto(server.mailbox.link(email, "verify"))
    assert_accessible(page, "verify")
    navigate(page, "button:has-text('Confirm my address')")
    assert "/signin" in page.url and "confirmed" in page.locator("main").inner_text()
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    navigate(page, "button:has-text('Sign in')")
    page.wait_for_url(f"{base}/")
    assert page.locator("h1").inner_text() == f"Hello, {name}"


def answer_current_question(page: Any, value: Any) -> None:
    if page.locator("input[name=value]").count():
        if value == "unsure":
            navigate(page, "button:has-text('not sure')")
            return
        page.fill("input[name=value]", str(value))
    else:
        page.check(f"input[name=answer][value='{value}']")
    navigate(page, "button:has-text('Continue')")


def run_interview(
    page: Any, base: str, answers: dict[str, Any], default: str = "no", limit: int = 80,
    screenshots: bool = True,
) -> list[str]:
    """Start a check and answer every screen; returns the finding keys asked, in order."""
    page.goto(f"{base}/check")
    if screenshots:
        assert_accessible(page, "check-start")
    navigate(page, "button:has-text('Start')")
    asked: list[str] = []
    while "/check/step/" in page.url:
        assert len(asked) < limit, f"the interview did not end after {limit} questions: {asked}"
        key = page.input_value("input[name=finding]")
        if screenshots and len(asked) in (0, 1):
            assert_accessible(page, f"check-question-{len(asked) + 1}")
        value = answers.get(key, default)
        if value == "no" and page.locator("input[name=value]").count():
            value = "unsure"  # a number we have no answer for
        asked.append(key)
        answer_current_question(page, value)
    return asked


# --- flows ----------------------------------------------------------------------------

def test_sign_up_then_an_emergency_interrupts_the_check_at_once(server: Any, new_page: Any) -> None:
    page = new_page()
    sign_up(page, server, "Maria Emergency", "maria@example.org")
    assert_accessible(page, "home-patient")

    asked = run_interview(page, server.url, EMERGENCY_ANSWERS)

    # The first "yes" to a cauda-equina red flag ended the interview on the spot.
    assert asked[-1] in RED_FLAG_YES, asked
    assert not RED_FLAG_YES.intersection(asked[:-1]), asked
    assert re.search(r"/history/\d+$", page.url), page.url  # saved to the patient's history
    alert = page.locator(".level-emergency[role=alert]")
    assert alert.is_visible()
    assert "Call 112" in alert.inner_text()
    assert page.locator("a.emergency-call").get_attribute("href") == "tel:112"
    assert "consistent with cauda equina syndrome" in page.locator("main").inner_text()
    # Reasons cite numbered sources that resolve to the reference list.
    first_ref = page.locator(".reasons a.refs").first.get_attribute("href")
    assert first_ref and page.locator(first_ref).count() == 1
    assert_accessible(page, "result-emergency")


def test_self_care_check_with_the_back_button(server: Any, new_page: Any) -> None:
    page = new_page()
    sign_up(page, server, "Sam Selfcare", "sam@example.org")
    page.goto(f"{server.url}/check")
    navigate(page, "button:has-text('Start')")
    # Answer three screens, then go back with the browser's back button.
    first_keys = []
    for _ in range(3):
        key = page.input_value("input[name=finding]")
        first_keys.append(key)
        answer_current_question(page, SELF_CARE_ANSWERS.get(key, "no"))
    page.go_back()
    assert page.input_value("input[name=finding]") == first_keys[2]
    expected = SELF_CARE_ANSWERS.get(first_keys[2], "no")
    if page.locator("input[name=value]").count():
        assert page.input_value("input[name=value]") == str(expected)
    else:
        assert page.locator(f"input[name=answer][value='{expected}']").is_checked()
    # The on-page Back link goes one further, to the second question, also pre-filled.
    navigate(page, "main a:has-text('Back')")
    assert page.input_value("input[name=finding]") == first_keys[1]

    asked = run_interview(page, server.url, SELF_CARE_ANSWERS, screenshots=False)
    assert "bladder_dysfunction" in asked and "saddle_anaesthesia" in asked  # red flags asked
    assert re.search(r"/history/\d+$", page.url), page.url
    assert page.locator(".level-self_care").is_visible()
    text = page.locator("main").inner_text()
    assert "You can look after this at home for now" in text
    assert "diagnosis" in text  # the disclaimer is shown
    assert_accessible(page, "result-self-care")

    page.goto(f"{server.url}/history")
    assert page.locator("tbody tr").count() == 1
    assert page.locator("tbody .badge-self_care").count() == 1
    assert_accessible(page, "history")


def test_an_anonymous_check_shows_the_result_and_stores_nothing(server: Any, new_page: Any) -> None:
    from sqlalchemy import create_engine, text

    page = new_page()
    url = f"sqlite:///{server.data_dir / 'spinecare.sqlite3'}"
    engine = create_engine(url)
    with engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM triage_sessions")).scalar_one()
    run_interview(page, server.url, SELF_CARE_ANSWERS, screenshots=False)
    assert page.url.endswith("/check/result")
    assert page.locator(".level-self_care").is_visible()
    assert "This result is not saved" in page.locator("main").inner_text()
    assert_accessible(page, "result-anonymous")
    with engine.connect() as conn:
        after = conn.execute(text("SELECT count(*) FROM triage_sessions")).scalar_one()
    engine.dispose()
    assert after == before


def test_not_sure_on_a_red_flag_is_never_read_as_no(server: Any, new_page: Any) -> None:
    page = new_page()
    answers = {**SELF_CARE_ANSWERS, "bladder_dysfunction": "unsure"}
    asked = run_interview(page, server.url, answers, screenshots=False)
    assert asked.count("bladder_dysfunction") == 1, asked  # asked once, not again
    assert page.url.endswith("/check/result")
    main = page.locator("main").inner_text()
    # Never shown as if final: the heading says provisional, the open questions come first.
    assert page.locator("h1").inner_text().startswith("Provisional result:")
    assert page.title().startswith("Provisional")
    notice = page.locator("#provisional").inner_text()
    assert "Provisional: these questions are still open" in notice
    assert "This result is not final" in notice
    from spinecare.clinical.vocabulary import VOCABULARY

    assert VOCABULARY["bladder_dysfunction"].question in notice  # the open question is named
    assert "do not rely on this result" in notice
    assert main.index("Provisional: these questions are still open") < main.index(
        "What to do now")
    # "Not sure" about bladder control is never sent home: at least urgent.
    assert page.locator(".level-urgent").is_visible()
    assert "RF-UNSURE-EMERGENCY-SIGN" in main
    assert_accessible(page, "result-open-red-flag")


def test_an_invalid_answer_is_explained_on_the_same_screen(server: Any, new_page: Any) -> None:
    page = new_page()
    page.goto(f"{server.url}/check")
    navigate(page, "button:has-text('Start')")
    assert page.input_value("input[name=finding]") == "age"
    # "nan" was a 500 on the web (issue 9): now a clear message on the same screen.
    page.fill("input[name=value]", "nan")
    with page.expect_navigation() as nav:
        page.click("button:has-text('Continue')")
    assert nav.value.status == 422
    error = page.locator(".error-message")
    assert "'nan' is not a number" in error.inner_text()
    assert "from 0 to 120" in error.inner_text()
    assert page.get_attribute("input[name=value]", "aria-invalid") == "true"
    assert_accessible(page, "check-question-error")
    page.fill("input[name=value]", "130")
    navigate(page, "button:has-text('Continue')")
    assert "from 0 to 120" in page.locator(".error-message").inner_text()
    page.fill("input[name=value]", "forty-two")  # words are read like digits
    navigate(page, "button:has-text('Continue')")
    assert page.url.endswith("/check/step/1")
    assert page.input_value("input[name=finding]") == "sex"


def test_distances_are_read_with_thousands_separators_and_words(
    server: Any, new_page: Any
) -> None:
    """'1,500 m' was read as 1.5 m on the web and in the CLI (issue 9 §1)."""
    page = new_page()
    start_with_text(page, server.url, STENOSIS_TEXT)
    assert page.url.endswith("/check/understood"), page.url
    for typed, metres in (("1,500 m", "1500"), ("about 200 m", "200"), ("1.5 km", "1500")):
        page.fill("#value-walking_distance_m", typed)
        navigate(page, "button:has-text('These are right, continue')")
        assert "/check/step/0" in page.url, page.url
        page.goto(f"{server.url}/check/understood")
        assert page.input_value("#value-walking_distance_m") == metres, typed
    page.fill("#value-walking_distance_m", "3 furlongs")
    with page.expect_navigation() as nav:
        page.click("button:has-text('These are right, continue')")
    assert nav.value.status == 422
    assert "'furlongs' is not a unit I know here" in page.locator("main").inner_text()


def test_grant_then_revoke_a_clinicians_access(server: Any, new_page: Any) -> None:
    from spinecare.bootstrap import bootstrap
    from spinecare.services.actor import Actor
    from spinecare.settings import Settings

    clinician = new_page()
    sign_up(clinician, server, "Dr Chen", "chen@clinic.example", role="clinician")
    clinician.goto(f"{server.url}/clinician/patients")
    assert "waiting for an administrator" in clinician.locator("main").inner_text()
    # The administrator approves the clinician (the host's job: `spinecare users approve`).
    spinecare = bootstrap(Settings(
        data_dir=server.data_dir, database_url=f"sqlite:///{server.data_dir / 'spinecare.sqlite3'}",
    ))
    services = spinecare.services
    user = services.accounts.by_email("chen@clinic.example")
    assert user is not None
    services.accounts.set_approved(Actor.system("test"), user.id)
    services.db.dispose()
    clinician.reload()
    assert "No patient shares their data with you yet" in clinician.locator("main").inner_text()
    assert_accessible(clinician, "clinician-patients-empty")

    patient = new_page()
    sign_up(patient, server, "Pat Shared", "pat@example.org")
    run_interview(patient, server.url, EMERGENCY_ANSWERS, screenshots=False)
    patient.goto(f"{server.url}/sharing")
    assert "Nobody. Your data is private to you." in patient.locator("main").inner_text()
    assert_accessible(patient, "sharing-empty")
    patient.fill("#email", "nobody@clinic.example")
    navigate(patient, "button:has-text('Share my data')")
    assert "No clinician has an account with that e-mail" in patient.locator(
        ".error-summary").inner_text()
    assert_accessible(patient, "sharing-error")
    patient.fill("#email", "chen@clinic.example")
    navigate(patient, "button:has-text('Share my data')")
    assert "Access granted." in patient.locator("[role=status]").inner_text()

    clinician.goto(f"{server.url}/clinician/patients")
    row = clinician.locator("tbody tr", has_text="Pat Shared")
    assert row.count() == 1
    assert row.locator(".badge-emergency").count() == 1
    assert "Warning signs" in row.inner_text()
    assert_accessible(clinician, "clinician-patients")
    with clinician.expect_navigation():
        row.locator("a").click()
    assert clinician.locator("h1").inner_text() == "Pat Shared"
    assert clinician.locator(".badge-emergency").count() >= 1
    detail_url = clinician.url
    assert_accessible(clinician, "clinician-patient")
    navigate(clinician, "a:has-text('Full result with sources')")
    assert clinician.locator(".level-emergency").is_visible()
    assert_accessible(clinician, "clinician-check")

    # The patient sees the clinician's reads in the access log, then revokes.
    patient.goto(f"{server.url}/sharing")
    log = patient.locator("#access-log + .table-wrap").inner_text()
    assert "Dr Chen" in log and "Looked at a symptom check" in log
    assert_accessible(patient, "sharing-granted")
    navigate(patient, "button:has-text('Stop sharing with Dr Chen')")
    assert "Access removed." in patient.locator("[role=status]").inner_text()
    assert "Nobody. Your data is private to you." in patient.locator("main").inner_text()
    assert "Sharing you have stopped" in patient.locator("main").inner_text()

    clinician.goto(f"{server.url}/clinician/patients")
    assert clinician.locator("tbody tr", has_text="Pat Shared").count() == 0
    response = clinician.goto(detail_url)
    assert response is not None and response.status == 404
    assert "has not shared their data with you" in clinician.locator("main").inner_text()
    assert_accessible(clinician, "clinician-patient-revoked")


def test_download_and_delete_my_account(server: Any, new_page: Any) -> None:
    page = new_page()
    sign_up(page, server, "Dana Delete", "dana@example.org")
    page.goto(f"{server.url}/account")
    assert_accessible(page, "account")
    with page.expect_download() as download_info:
        page.click("a:has-text('Download as JSON')")
    import json

    data = json.loads(Path(download_info.value.path()).read_text())
    assert data["account"]["email"] == "dana@example.org"
    navigate(page, "a:has-text('Delete my account')")
    assert_accessible(page, "account-delete")
    page.fill("#password", "not my password")
    page.check("#confirm")
    navigate(page, "button:has-text('Delete my account and all my data')")
    assert "not correct" in page.locator(".error-summary").inner_text()
    page.fill("#password", PASSWORD)
    page.check("#confirm")
    navigate(page, "button:has-text('Delete my account and all my data')")
    assert page.url.endswith("/account/deleted")
    assert_accessible(page, "account-deleted")
    page.goto(f"{server.url}/signin")
    page.fill("#email", "dana@example.org")
    page.fill("#password", PASSWORD)
    navigate(page, "main button:has-text('Sign in')")
    assert "not correct" in page.locator(".error-summary").inner_text()
    assert_accessible(page, "signin-error")


def test_forgotten_password_reset_by_e_mail_then_change_it_and_see_sign_ins(
    server: Any, new_page: Any
) -> None:
    page = new_page()
    sign_up(page, server, "Fay Forgetful", "fay@example.org")
    page.goto(f"{server.url}/account")
    navigate(page, "button:has-text('Sign out')")
    page.goto(f"{server.url}/signin")
    navigate(page, "a:has-text('Forgot your password?')")
    assert_accessible(page, "forgot")
    page.fill("#email", "fay@example.org")
    navigate(page, "button:has-text('Send me a link')")
    assert "fay@example.org" in page.locator("main").inner_text()
    page.goto(server.mailbox.link("fay@example.org", "reset"))
    assert_accessible(page, "reset")
    page.fill("#password", "password12")  # common: refused, the link still works
    navigate(page, "button:has-text('Save my new password')")
    assert page.locator(".error-summary").count() == 1
    page.fill("#password", "violet kettle under the stairs")
    navigate(page, "button:has-text('Save my new password')")
    assert "new password is saved" in page.locator("main").inner_text()
    page.fill("#email", "fay@example.org")
    page.fill("#password", "violet kettle under the stairs")
    navigate(page, "button:has-text('Sign in')")
    assert page.locator("h1").inner_text() == "Hello, Fay Forgetful"
    page.goto(f"{server.url}/account/password")
    assert_accessible(page, "change-password")
    page.fill("#current_password", "violet kettle under the stairs")
    page.fill("#new_password", "seven orange trams at dawn")
    navigate(page, "button:has-text('Change my password')")
    assert "/account/sessions" in page.url
    assert_accessible(page, "sessions")
    text = page.locator("main").inner_text()
    assert "Your password is changed" in text and "(this device)" in text


def test_questionnaire_score_change_and_fhir_download(server: Any, new_page: Any) -> None:
    page = new_page()
    sign_up(page, server, "Quinn Questions", "quinn@example.org")
    page.goto(f"{server.url}/questionnaires")
    assert "You have not filled in a questionnaire yet." in page.locator("main").inner_text()
    # Licensed-out questionnaires are listed with the reason, not offered as forms; a total
    # from a paper form can be recorded instead.
    main = page.locator("main").inner_text()
    assert "Its wording is licensed by" in main and "Record a total from a paper form" in main
    assert_accessible(page, "questionnaires")
    for back_pain in (7, 3):
        page.goto(f"{server.url}/questionnaires")
        navigate(page, "a.card:has-text('Numeric')")
        assert_accessible(page, "questionnaire-form")
        page.check(f"input[name=item-back][value='{back_pain}']")
        navigate(page, "button:has-text('See my score')")
        assert re.search(r"/questionnaires/responses/\d+$", page.url), page.url
    text = page.locator("main").inner_text()
    assert f"Back pain: {back_pain}" in text
    # 7 -> 3 is 4 points and 57 %: past both MCIDs for pain NRS (2 points, 30 %).
    assert "from 7 to 3: clinically important improvement" in text
    assert_accessible(page, "questionnaire-result")

    page.goto(f"{server.url}/account")
    with page.expect_download() as download_info:
        page.click("a:has-text('as FHIR')")
    import json

    bundle = json.loads(Path(download_info.value.path()).read_text())
    assert bundle["resourceType"] == "Bundle"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("QuestionnaireResponse") == 2 and kinds[0] == "Patient"


PHONE_PAGES = ["/", "/check", "/signin", "/signup", "/forgot"]


def test_pages_fit_a_phone_screen_and_keyboard(server: Any, new_page: Any) -> None:
    page = new_page(width=375)
    for path in PHONE_PAGES:
        page.goto(f"{server.url}{path}")
        overflow = page.evaluate("() => document.documentElement.scrollWidth")
        assert overflow <= 375, f"{path} is {overflow} px wide on a 375 px screen"
        assert_accessible(page, "phone" + (path.replace("/", "-") if path != "/" else "-home"))
    # Keyboard: the first Tab reaches the skip link, which moves focus to the main content.
    page.goto(f"{server.url}/check")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == (
        "Skip to main content")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # Answering works from the keyboard: type into the answer and press Enter.
    navigate(page, "button:has-text('Start')")
    page.focus("input[name=value]")
    page.keyboard.type("52")
    page.keyboard.press("Enter")
    page.wait_for_url("**/check/step/1")
    assert page.input_value("input[name=finding]") == "sex"


def test_pages_load_under_the_real_csp(server: Any, browser: Any) -> None:
    """No inline styles or scripts: nothing is refused by the app's Content-Security-Policy."""
    context = browser.new_context()
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    for path in ["/", "/check", "/signin", "/signup"]:
        page.goto(f"{server.url}{path}")
        css_applied = page.evaluate(
            "() => getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        assert css_applied == "rgb(11, 61, 110)", f"stylesheet not applied on {path}"
    page.goto(f"{server.url}/check")
    navigate(page, "button:has-text('Start')")
    assert page.url.endswith("/check/step/0")  # the form's CSRF token and cookie worked
    context.close()
    assert not refused, refused


# --- starting from the person's own words ---------------------------------------------

EMERGENCY_TEXT = "I can't feel anything when I wipe and I wet myself"
# Lumbar spinal stenosis told as a person would, and the same story as interview answers.
STENOSIS_TEXT = (
    "I am 68. My legs get heavy and ache after walking about 200 metres and it eases when I "
    "sit down or lean on a shopping trolley. My lower back aches too. It has been going on "
    "for about a year. No fever."
)
STENOSIS_ANSWERS: dict[str, Any] = {
    "age": 68, "sex": "female", "back_pain": "yes", "leg_pain": "yes",
    "leg_symptoms_bilateral": "yes", "leg_symptoms_walking": "yes",
    "relief_sitting_or_flexion": "yes", "shopping_cart_sign": "yes",
    "walking_distance_m": 200, "duration_weeks": 52, "fever": "no",
}


def start_with_text(page: Any, base: str, text: str) -> None:
    page.goto(f"{base}/check")
    page.fill("#description", text)
    navigate(page, "button:has-text('Start')")


def answer_screens(page: Any, answers: dict[str, Any], default: str = "no",
                   limit: int = 80) -> list[str]:
    """Answer every remaining question screen; returns the finding keys asked, in order."""
    asked: list[str] = []
    while "/check/step/" in page.url:
        assert len(asked) < limit, f"the interview did not end after {limit} questions: {asked}"
        key = page.input_value("input[name=finding]")
        value = answers.get(key, default)
        if value == "no" and page.locator("input[name=value]").count():
            value = "unsure"
        asked.append(key)
        answer_current_question(page, value)
    return asked


def understood_keys(page: Any) -> set[str]:
    """The finding keys listed on the 'what we understood' screen (its form field names)."""
    names = page.eval_on_selector_all(
        "fieldset.understood input", "els => els.map(e => e.name)")
    return {n.split("-", 1)[1] for n in names if n.startswith(("answer-", "value-"))}


def test_free_text_that_is_an_emergency_goes_straight_to_the_emergency_result(
    server: Any, new_page: Any
) -> None:
    page = new_page()
    page.goto(f"{server.url}/check")
    assert page.get_attribute("#description", "maxlength") == "5000"
    page.fill("#description", EMERGENCY_TEXT)
    assert_accessible(page, "check-start-with-text")
    navigate(page, "button:has-text('Start')")
    # No question screen in between: the words alone were enough.
    assert page.url.endswith("/check/result"), page.url
    alert = page.locator(".level-emergency[role=alert]")
    assert alert.is_visible()
    assert "Call 112" in alert.inner_text()
    assert "This result is not saved" in page.locator("main").inner_text()
    assert_accessible(page, "result-emergency-from-text")
    # What was understood can still be checked from the result.
    navigate(page, "main a:has-text('Check what we understood')")
    assert {"saddle_anaesthesia", "bladder_dysfunction"} <= understood_keys(page)

    # A signed-in patient's emergency from text is saved to their history at once.
    patient = new_page()
    sign_up(patient, server, "Tess Text", "tess@example.org")
    start_with_text(patient, server.url, EMERGENCY_TEXT)
    assert re.search(r"/history/\d+$", patient.url), patient.url
    assert patient.locator(".level-emergency[role=alert]").is_visible()


def test_free_text_prefills_answers_and_only_missing_questions_are_asked(
    server: Any, new_page: Any
) -> None:
    plain = new_page()
    asked_plain = run_interview(plain, server.url, STENOSIS_ANSWERS, screenshots=False)
    assert plain.url.endswith("/check/result")

    page = new_page()
    start_with_text(page, server.url, STENOSIS_TEXT)
    assert page.url.endswith("/check/understood"), page.url
    prefilled = understood_keys(page)
    assert {"age", "leg_pain", "shopping_cart_sign", "walking_distance_m", "fever"} <= prefilled
    main = page.locator("main").inner_text()
    assert "“lean on a shopping trolley”" in main  # the person's own words, quoted
    assert page.locator("input[name='answer-fever'][value=no]").is_checked()
    assert page.input_value("#value-walking_distance_m") == "200"
    assert_accessible(page, "check-understood")
    navigate(page, "button:has-text('These are right, continue')")

    # The first question's Back link returns to the list, answers kept; a correction sticks.
    assert "/check/step/0" in page.url
    navigate(page, "main a:has-text('Back')")
    assert page.url.endswith("/check/understood")
    assert page.locator("input[name='answer-shopping_cart_sign'][value=yes]").is_checked()
    page.check("input[name='answer-shopping_cart_sign'][value=no]")
    navigate(page, "button:has-text('These are right, continue')")
    navigate(page, "main a:has-text('Back')")
    assert page.locator("input[name='answer-shopping_cart_sign'][value=no]").is_checked()
    page.check("input[name='answer-shopping_cart_sign'][value=yes]")
    navigate(page, "button:has-text('These are right, continue')")

    asked_text = answer_screens(page, STENOSIS_ANSWERS)
    assert page.url.endswith("/check/result")
    assert not prefilled.intersection(asked_text), prefilled.intersection(asked_text)
    assert len(asked_text) < len(asked_plain), (asked_text, asked_plain)
    assert len(set(asked_text)) == len(asked_text), asked_text  # nothing asked twice
    print(f"stenosis story: {len(asked_plain)} questions without text, "
          f"{len(asked_text)} with text")


def test_an_uncertain_phrase_is_asked_explicitly(server: Any, new_page: Any) -> None:
    page = new_page()
    start_with_text(page, server.url, "My back hurts, not sure about my bladder")
    assert page.url.endswith("/check/understood")
    notice = page.locator(".notice").first.inner_text()
    assert "we will ask you directly" in notice
    assert "bladder_dysfunction" not in understood_keys(page)  # not treated as answered
    navigate(page, "button:has-text('continue')")
    # Age and sex first (the one interview of every door), then the unclear sign, with a
    # note saying why; not skipped, not assumed.
    for key in ("age", "sex"):
        assert page.input_value("input[name=finding]") == key
        answer_current_question(page, SELF_CARE_ANSWERS[key])
    assert page.input_value("input[name=finding]") == "bladder_dysfunction"
    assert "not clear whether you have this" in page.locator("main").inner_text()
    assert_accessible(page, "check-question-from-text-unsure")
    asked = answer_screens(page, SELF_CARE_ANSWERS)
    assert asked[0] == "bladder_dysfunction" and asked.count("bladder_dysfunction") == 1

    # Only the uncertain phrase: nothing understood, the bladder question still comes first.
    page = new_page()
    start_with_text(page, server.url, "not sure about my bladder")
    assert "could not pick out any answers" in page.locator("main").inner_text()
    navigate(page, "button:has-text('Continue')")
    for key in ("age", "sex"):
        answer_current_question(page, SELF_CARE_ANSWERS[key])
    assert page.input_value("input[name=finding]") == "bladder_dysfunction"


def test_too_long_text_is_explained_on_the_same_page(server: Any, new_page: Any) -> None:
    page = new_page()
    page.goto(f"{server.url}/check")
    # A browser without maxlength support (or a pasted-in script) can still send more.
    page.evaluate("() => document.querySelector('#description').removeAttribute('maxlength')")
    long_text = "My legs ache when I walk. " * 200  # 5,200 characters
    page.fill("#description", long_text)
    with page.expect_navigation() as nav:
        page.click("button:has-text('Start')")
    assert nav.value.status == 422
    assert page.url.endswith("/check/start")
    summary = page.locator(".error-summary").inner_text()
    assert "5,200 characters" in summary and "5,000 characters or fewer" in summary
    assert page.get_attribute("#description", "aria-invalid") == "true"
    assert page.input_value("#description") == long_text  # nothing the person typed is lost
    assert page.title().startswith("Error:")
    assert_accessible(page, "check-start-too-long")


def test_understood_screen_fits_a_phone(server: Any, new_page: Any) -> None:
    page = new_page(width=375)
    start_with_text(page, server.url, STENOSIS_TEXT + " Not sure about my bladder.")
    assert page.url.endswith("/check/understood")
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 375, f"/check/understood is {overflow} px wide on a 375 px screen"
    assert_accessible(page, "phone-check-understood")
    page.goto(f"{server.url}/check")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375


def test_search_page_landmarks_headings_and_nav(server: Any, new_page: Any) -> None:
    page = new_page()
    page.goto(f"{server.url}/search?q=pins+and+needles+in+my+legs+when+I+walk")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    ids = {v["id"] for v in result["violations"]}
    assert not ids & {"landmark-unique", "heading-order"}, ids
    assert_accessible(page, "search")
    # "Compare treatments" is in the main navigation.
    link = page.locator("nav[aria-label=Main] a:has-text('Compare treatments')")
    assert link.get_attribute("href") == "/decide"
    navigate(page, "nav[aria-label=Main] a:has-text('Compare treatments')")
    assert page.url.endswith("/decide")
    assert page.locator("nav[aria-label=Main] a[aria-current=page]").inner_text() == (
        "Compare treatments")
