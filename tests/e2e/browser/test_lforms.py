"""A real FHIR client we did not write (NLM LHC-Forms) must accept our Questionnaires.

Each generated Questionnaire is loaded into LHC-Forms in headless Debian chromium,
served from a real HTTP server on 127.0.0.1. The test fills the form through the UI
with a reference case's answers, checks every item renders, checks the score LHC-Forms
computes from our calculatedExpression equals the Python score, and scores the
QuestionnaireResponse LHC-Forms exports with our importer.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from browser_support import LFORMS_DIST, chromium, require
from repo_paths import REPO_ROOT
from spinecare.adapters.fhir import answers_from_response, questionnaire_for
from spinecare.adapters.instrument_files import load_definitions
from spinecare.clinical.instruments import ItemKind, score_answers

pytestmark = pytest.mark.browser

REPO = REPO_ROOT
SHIPPED = load_definitions()
LFORMS = LFORMS_DIST

# Answers from ../shared/eval/prom_reference_cases.jsonl (ZCQ joins its three subscale
# cases; NRS uses the back/leg change cases' baselines).
CASES: dict[str, list] = {
    "odi": [2, 2, 2, 2, 2, 2, 1, 1, 2, None],  # 16/45 -> 35.56 (missing section)
    "ndi": [2, 1, 2, 2, 3, 2, 2, 2, 2, 2],  # raw 20 -> 40 %
    "rmdq": [1] * 8 + [0] * 16,  # 8
    "zcq": [2, 2, 3, 3, 2, 1, 3, 2, 2, 3, 1, 2, 1, 2, 2, 1, 1, 2],
    "startback": [0, 0, 0, 0, 1, 1, 1, 1, 3],  # total 5, psychosocial 5, high
    "mjoa": [4, 5, 2, 3],  # 14 moderate
    "nrs": [7, 6, None, None],
}

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>spinecare LHC-Forms check</title>
<link href="/lforms/webcomponent/styles.css" rel="stylesheet"></head>
<body><main><div id="formContainer"></div></main>
<script src="/lforms/webcomponent/assets/lib/zone.min.js"></script>
<script src="/lforms/webcomponent/lhc-forms.js"></script>
<script src="/lforms/fhir/R4/lformsFHIR.min.js"></script>
<script>
const name = new URLSearchParams(location.search).get('q');
fetch('/q/' + name + '.json').then(r => r.json())
  .then(q => LForms.Util.addFormToPage(q, 'formContainer', {fhirVersion: 'R4'}))
  .then(() => { window.formReady = true; }, e => { window.formError = String(e); });
</script></body></html>
"""


def _licensed_odi() -> dict:
    """Our ODI template as a clinic fills it with licensed wording (stand-in text here)."""
    q = questionnaire_for(SHIPPED["odi"])
    q["copyright"] = "© Example Holder. Used under licence."
    for n, item in enumerate(i for i in q["item"] if not i["linkId"].startswith("score-")):
        item["text"] = f"Licensed section {n + 1}"
        for option in item["answerOption"]:
            option["valueCoding"]["display"] = f"Licensed statement {option['valueCoding']['code']}"
    return q


@pytest.fixture(scope="module")
def lforms_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require(LFORMS)
    root = tmp_path_factory.mktemp("lforms-site")
    (root / "lforms").mkdir()
    for part in ("webcomponent", "fhir"):
        (root / "lforms" / part).symlink_to(LFORMS / part, target_is_directory=True)
    (root / "q").mkdir()
    for iid, definition in SHIPPED.items():
        (root / "q" / f"{iid}.json").write_text(json.dumps(questionnaire_for(definition)))
    (root / "q" / "odi-licensed.json").write_text(json.dumps(_licensed_odi()))
    (root / "form.html").write_text(PAGE)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def lforms_browser(lforms_site: str):
    with chromium() as b:
        yield b


def _expected_scores(iid: str) -> dict[str, str]:
    """linkId of each computed item -> the Python value, as LHC-Forms should show it."""
    result = score_answers(SHIPPED[iid], CASES[iid]).to_dict()
    out: dict[str, str] = {}
    if result["score"] is not None:
        out["score-total"] = str(result["score"])
    for sub, value in result["subscales"].items():
        if value is not None and len(SHIPPED[iid].subscale(sub).items) > 1:
            out[f"score-{sub}"] = str(value)
    if iid == "startback":
        out["score-risk"] = result["band"]
    return out


@pytest.mark.parametrize("iid", list(CASES))
def test_lhc_forms_renders_fills_and_agrees_with_python(
    lforms_browser, lforms_site: str, iid: str
) -> None:
    definition = SHIPPED[iid]
    page = lforms_browser.new_page()
    try:
        page.goto(f"{lforms_site}/form.html?q={iid}")
        page.wait_for_function("() => window.formReady || window.formError", timeout=30000)
        assert page.evaluate("window.formError || null") is None

        # Every item renders, with our text.
        for n, item in enumerate(definition.items, 1):
            field = page.locator(f"[id='{item.id}/1']")
            assert field.is_visible(), f"{iid}: item {item.id} not rendered"
            assert page.get_by_text(item.text or f"{n}. {item.label}", exact=True).count() >= 1

        # Fill through the UI, as a person would.
        for item, value in zip(definition.items, CASES[iid], strict=True):
            if value is None:
                continue
            field = page.locator(f"[id='{item.id}/1']")
            if item.kind is ItemKind.CHOICE:
                field.click()
                index = [o.value for o in item.options].index(value)
                page.locator("#lhc-tools-searchResults li").nth(index).click()
            else:
                field.fill(str(value))
                field.press("Tab")

        expected = _expected_scores(iid)
        for link_id, want in expected.items():
            # Recalculation is asynchronous: wait for the expected value, then compare.
            page.wait_for_function(
                "([id, want]) => { const e = document.getElementById(id + '/1');"
                " return e && e.value !== '' && (e.value === want ||"
                " Math.abs(Number(e.value) - Number(want)) < 0.01); }",
                arg=[link_id, want],
                timeout=10000,
            )
            shown = page.input_value(f"[id='{link_id}/1']")
            if link_id == "score-risk":
                assert shown == want
            else:
                assert abs(float(shown) - float(want)) < 0.01, f"{iid} {link_id}: {shown} != {want}"

        # The client's own QuestionnaireResponse scores the same with our importer.
        qr = page.evaluate("LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4')")
        imported = answers_from_response(definition, qr)
        again = score_answers(definition, imported).to_dict()
        direct = score_answers(definition, CASES[iid]).to_dict()
        assert again["score"] == direct["score"]
        assert again["subscales"] == direct["subscales"]
        assert again["band"] == direct["band"]
    finally:
        page.close()


def _open(browser, site: str, name: str):
    page = browser.new_page()
    page.goto(f"{site}/form.html?q={name}")
    page.wait_for_function("() => window.formReady || window.formError", timeout=30000)
    assert page.evaluate("window.formError || null") is None
    return page


def _choose(page, link_id: str, index: int) -> None:
    page.locator(f"[id='{link_id}/1']").click()
    page.locator("#lhc-tools-searchResults li").nth(index).click()


def test_lhc_forms_leaves_the_total_empty_when_python_refuses_to_score(
    lforms_browser, lforms_site: str
) -> None:
    definition = SHIPPED["odi"]
    answers = [3, 3, 3, 3, 3, 3, 3, None, None, None]
    assert score_answers(definition, answers).score is None  # 3 missing > limit of 2
    page = _open(lforms_browser, lforms_site, "odi")
    try:
        for item, value in zip(definition.items[:7], answers, strict=False):
            _choose(page, item.id, value)
        page.wait_for_timeout(1000)
        assert page.input_value("[id='score-total/1']") == ""
        # The 8th section brings it within the limit: both now give 24/40 = 60 %.
        _choose(page, definition.items[7].id, 3)
        page.wait_for_function(
            "() => document.getElementById('score-total/1').value === '60'", timeout=10000
        )
        assert float(score_answers(definition, [*answers[:7], 3, None, None]).score) == 60
    finally:
        page.close()


def test_lhc_forms_shows_a_clinics_licensed_wording_and_scores_it(
    lforms_browser, lforms_site: str
) -> None:
    page = _open(lforms_browser, lforms_site, "odi-licensed")
    try:
        assert page.get_by_text("Licensed section 10", exact=True).count() == 1
        for n, item in enumerate(SHIPPED["odi"].items):
            _choose(page, item.id, 4 if n < 5 else 1)
        page.locator("[id='walking/1']").click()
        assert page.locator("#lhc-tools-searchResults li", has_text="Licensed statement 2").count()
        page.keyboard.press("Escape")
        page.wait_for_function(
            "() => document.getElementById('score-total/1').value === '50'", timeout=10000
        )
    finally:
        page.close()
