"""Epidural steroid injection: the aid, the articles and the printed summary agree with
NICE NG59 (1.3.2 "do not offer epidural injections for neurogenic claudication in people
who have central spinal canal stenosis"; 1.3.1 "consider epidurals ... in people with
acute and severe sciatica")."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from repo_paths import REPO_ROOT
from spinecare.adapters.reports.decision_summary import render_html, render_markdown, write_summary
from spinecare.bootstrap import bootstrap, decision_aid_service
from spinecare.clinical.decision import WARNING_SIGNS, Status
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE
from spinecare.settings import Settings

# One service: the grid loads once, on the first call.
decide = decision_aid_service(
    bootstrap(Settings(cache_dir=None), engine=TriageEngine(BUILTIN_KNOWLEDGE))).decide

ARTICLES = REPO_ROOT / "src/spinecare/content/articles"
NO_SIGNS = {k: False for k in WARNING_SIGNS}
NEGATION = re.compile(r"\b(not|no|against|little|do not)\b", re.IGNORECASE)


def report(condition: str, **extra: object):
    raw = {"condition": condition, "conservative_weeks": 20, "benefit": "none",
           "deficit": "none", "warning_signs": NO_SIGNS, **extra}
    return decide(raw, country="GB")


@pytest.mark.parametrize("extra", [
    {}, {"conservative_weeks": 0, "benefit": None}, {"deficit": "progressive"},
    {"deficit": "stable", "severe_deficit": True}, {"injections_12m": 3},
])
def test_the_aid_never_offers_an_epidural_for_stenosis(extra):
    esi = report("lumbar_spinal_stenosis", **extra).result.option("epidural_injection")
    assert esi.status is Status.NOT_RECOMMENDED
    assert esi.reasons[0].rule_id == "DA-OPT-ESI-NOT-NC"
    assert "nice-ng59" in esi.references
    assert "neurogenic claudication" in esi.reasons[0].text


def test_sciatica_from_a_disc_may_be_considered_as_ng59_allows():
    esi = report("lumbar_radiculopathy_disc_herniation").result.option("epidural_injection")
    assert esi.status is Status.REASONABLE_NOW
    assert "acute, severe sciatica" in esi.reasons[0].text
    assert "nice-ng59" in esi.references


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n", text) if s.strip()]


def test_no_article_recommends_an_epidural_for_neurogenic_claudication():
    found = 0
    for path in sorted(ARTICLES.glob("*.md")):
        for sentence in _sentences(path.read_text(encoding="utf-8")):
            low = sentence.lower()
            if ("epidural" in low or "injection" in low) and (
                    "claudication" in low or "central canal" in low):
                found += 1
                assert NEGATION.search(sentence), f"{path.name}: {sentence}"
    assert found >= 1  # the ESI article's stenosis section says so


def test_the_esi_article_states_both_ng59_recommendations():
    text = (ARTICLES / "epidural-steroid-injections.md").read_text(encoding="utf-8")
    assert "NICE advises not to offer epidural injections for neurogenic claudication" in text
    assert "acute and severe sciatica" in text


def test_the_printed_summary_says_not_recommended_for_stenosis():
    rep = report("lumbar_spinal_stenosis")
    md = render_markdown(rep)
    row = next(line for line in md.splitlines() if line.startswith("| Epidural"))
    assert "Not recommended for you" in row and "NICE NG59" in row
    html = render_html(rep)
    assert "Not offered for leg pain on walking (neurogenic claudication)" in html


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_pdf_says_the_same(tmp_path):
    pdf = tmp_path / "stenosis.pdf"
    write_summary(report("lumbar_spinal_stenosis"), pdf)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "Not offered for leg pain on walking (neurogenic claudication)" in text
    assert "(NICE NG59: do not offer)" in text
    assert "can be considered for acute, severe sciatica" not in text
