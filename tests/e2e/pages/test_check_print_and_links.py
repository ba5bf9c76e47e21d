"""The check's result: printable for the doctor (HTML and PDF, anonymous from the cookie,
saved from the database), the person's own words saved with a signed-in check, and the
onward links (one clear action first; none to exercise after an urgent result)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from spinecare.adapters.storage.models import TriageSession
from web_fixtures import API_PASSWORD, api_user

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
FINDING = re.compile(r'name="finding" value="([^"]+)"')
RADIO = re.compile(r'type="radio" name="answer" value="([^"]+)"')
# An older person whose legs ache on walking (stenosis-like); every other question "no".
SCRIPT = {"age": "71", "sex": "male", "back_pain": "yes", "leg_pain": "yes",
          "leg_symptoms_walking": "yes", "relief_sitting_or_flexion": "yes",
          "leg_symptoms_bilateral": "yes", "conservative_care_weeks": "8",
          "walking_distance_m": "200"}
WORDS = ("I am 71 and my legs ache and feel heavy when I walk to the shops, about 200 m, "
         "and it gets better when I sit down or lean on a trolley. No problems with my bladder.")


def _csrf(client, path: str) -> str:  # type: ignore[no-untyped-def]
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    return CSRF.search(page.text).group(1)  # type: ignore[union-attr]


def _walk(client, description: str = "") -> str:  # type: ignore[no-untyped-def]
    step = client.post("/check/start", follow_redirects=False,
                       data={"description": description, "csrf_token": _csrf(client, "/check")})
    if step.headers["location"] == "/check/understood":
        page = client.get("/check/understood")
        step = client.post("/check/understood", follow_redirects=False,
                           data={"csrf_token": CSRF.search(page.text).group(1)})
    for _ in range(80):
        location = step.headers["location"]
        if not location.startswith("/check/step/"):
            return location
        screen = client.get(location)
        finding = FINDING.search(screen.text).group(1)  # type: ignore[union-attr]
        options = RADIO.findall(screen.text)
        answer = SCRIPT.get(finding, "no" if "no" in options else "unsure")
        field = "answer" if options or answer == "unsure" else "value"
        step = client.post(location, follow_redirects=False, data={
            "finding": finding, field: answer, "csrf_token": CSRF.search(screen.text).group(1)})
        assert step.status_code == 303, step.text
    raise AssertionError("the interview did not end")


def _sign_in(client, email: str) -> None:  # type: ignore[no-untyped-def]
    done = client.post("/signin", data={"email": email, "password": API_PASSWORD,
                                        "csrf_token": _csrf(client, "/signin")},
                       follow_redirects=False)
    assert done.status_code == 303


def _pdf_text(tmp_path: Path, body: bytes) -> tuple[str, int]:
    assert body.startswith(b"%PDF")
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(body)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    return text, pages


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils (make system-deps)")


def _saved_count(services) -> int:  # type: ignore[no-untyped-def]
    with services.db.unit_of_work(write=False) as repos:
        return len(repos.session.query(TriageSession).all())


@needs_poppler
def test_an_anonymous_result_prints_from_the_cookie_and_stores_nothing(
    client, services, tmp_path: Path
) -> None:
    assert _walk(client, WORDS) == "/check/result"
    result = client.get("/check/result").text
    assert 'href="/check/result/print"' in result
    assert "Print or save this result for your doctor" in result
    page = client.get("/check/result/print")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    text = page.text
    assert "Symptom check: a summary for my doctor" in text
    assert "In my own words" in text and "lean on a trolley" in text
    assert "Knowledge version" in text or "knowledge version" in text
    assert "My answers" in text and "How far before symptoms force a stop" in text
    assert "200 m" in text  # answer_text's wording of a number with its unit
    assert "(rule " in text
    pdf = client.get("/check/result/print.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "attachment" in pdf.headers["content-disposition"]
    words, pages = _pdf_text(tmp_path, pdf.content)
    assert "summary for my doctor" in words and "trolley" in words
    assert "My answers" in words and "200 m" in words
    assert 1 <= pages <= 3
    assert _saved_count(services) == 0


def test_printing_needs_a_finished_check(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/check/result/print", follow_redirects=False).headers["location"] \
        == "/check"


@needs_poppler
def test_a_signed_in_check_keeps_the_own_words_and_prints_from_storage(
    client, services, tmp_path: Path
) -> None:
    pat = api_user(client, "pat@example.org", name="Pat")
    _sign_in(client, "pat@example.org")
    saved = _walk(client, WORDS + " " + "x" * 3000)
    assert saved.startswith("/history/")
    check_id = int(saved.rsplit("/", 1)[1])
    with services.db.unit_of_work(write=False) as repos:
        row = repos.session.get(TriageSession, check_id)
        assert row.own_words.startswith(WORDS) and len(row.own_words) == 2000
        assert row.source == "check"
    # The API reads it back; the export includes it.
    one = client.get(f"/api/v1/triage/checks/{check_id}", headers=pat["headers"]).json()
    assert one["own_words"].startswith(WORDS)
    detail = client.get(saved).text
    assert f'href="/history/{check_id}/print"' in detail
    printed = client.get(f"/history/{check_id}/print")
    assert printed.status_code == 200 and "lean on a trolley" in printed.text
    pdf = client.get(f"/history/{check_id}/print.pdf")
    words, pages = _pdf_text(tmp_path, pdf.content)
    assert "In my own words" in words and pages >= 1


def test_a_check_without_words_saves_none(client, services) -> None:  # type: ignore[no-untyped-def]
    api_user(client, "pat@example.org", name="Pat")
    _sign_in(client, "pat@example.org")
    saved = _walk(client)
    with services.db.unit_of_work(write=False) as repos:
        row = repos.session.get(TriageSession, int(saved.rsplit("/", 1)[1]))
        assert row.own_words == ""
    assert "In my own words" not in client.get(saved + "/print").text


def test_another_patient_cannot_print_a_saved_check(client) -> None:  # type: ignore[no-untyped-def]
    pat = api_user(client, "pat@example.org", name="Pat")
    api_user(client, "ben@example.org", name="Ben")
    saved = client.post("/api/v1/triage", headers=pat["headers"], json={
        "age": 50, "sex": "female", "findings": {"back_pain": True}}).json()
    _sign_in(client, "ben@example.org")
    check = saved["saved_check_id"]
    assert client.get(f"/history/{check}/print").status_code == 404
    assert client.get(f"/history/{check}/print.pdf").status_code == 404


def _links(page: str) -> list[str]:
    block = page.split("What you can do next", 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="([^"]+)"', block)


def test_a_routine_result_links_to_its_article_then_decide_then_exercise(client) -> None:  # type: ignore[no-untyped-def]
    assert _walk(client) == "/check/result"
    page = client.get("/check/result").text
    links = _links(page)
    assert links[0] == "/articles/what-is-spinal-stenosis"
    assert 'class="button" href="/articles/what-is-spinal-stenosis"' in page  # the one first
    decide = next(u for u in links if u.startswith("/decide"))
    assert "condition=lumbar_spinal_stenosis" in decide
    assert "conservative_weeks=8" in decide and "walking_distance_m=200" in decide
    assert "/exercise" in links and links[-1] == "/check/result/print"
    # The decision aid reads what the link carries.
    form = client.get(decide.replace("&amp;", "&")).text
    assert 'value="lumbar_spinal_stenosis" checked' in form
    assert 'value="8"' in form and 'value="200"' in form


def test_an_emergency_result_keeps_the_call_first_and_no_exercise(client) -> None:  # type: ignore[no-untyped-def]
    step = client.post("/check/start", follow_redirects=False, data={
        "description": "I suddenly cannot control my bladder and my bottom is numb",
        "csrf_token": _csrf(client, "/check")})
    assert step.headers["location"] == "/check/result"
    page = client.get("/check/result").text
    assert page.index("Call ") < page.index("What you can do next")
    links = _links(page)
    assert "/exercise" not in links and not any(u.startswith("/decide") for u in links)
    assert links == ["/check/result/print"]
