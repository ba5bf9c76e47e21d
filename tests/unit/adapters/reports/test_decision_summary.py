"""The printable summary: every section present, in HTML, Markdown and a real PDF."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime

import pytest

from spinecare.adapters.reports.decision_summary import render_html, render_markdown, write_summary
from spinecare.bootstrap import bootstrap, decision_aid_service
from spinecare.clinical.decision import WARNING_SIGNS
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE
from spinecare.settings import Settings

# One service: the grid loads once, on the first call.
decide = decision_aid_service(
    bootstrap(Settings(cache_dir=None), engine=TriageEngine(BUILTIN_KNOWLEDGE))).decide

WHEN = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
RAW = {"condition": "lumbar_spinal_stenosis", "conservative_weeks": 20, "benefit": "none",
       "deficit": "none", "odi": 46, "injections_12m": 1,
       "values": {"walk_further": "a_lot", "avoid_serious_risk": "somewhat"},
       "warning_signs": {k: False for k in WARNING_SIGNS}}


@pytest.fixture(scope="module")
def report():
    return decide(RAW, country="DE")


def test_html_has_every_section(report):
    html = render_html(report, generated_at=WHEN)
    for text in ("About me", "Where I am: Step 2", "My options now", "Option grid",
                 "What matters most to me", "Questions for my surgeon", "Safety net",
                 "References", "21 November 2026, 08:00 UTC", "46%",
                 f"none: all {len(WARNING_SIGNS)} answered no"):
        assert text in html, text
    assert html.count("INVESTIGATIONAL") >= 2  # status table and grid card
    assert "Försth P" in html  # full citation, not just the id
    assert 'class="check chosen"' in html  # the values answers are marked


def test_markdown_lists_options_references_and_unanswered_values(report):
    md = render_markdown(report, generated_at=WHEN)
    assert "| Stem-cell injection — **INVESTIGATIONAL** | Investigational: only in a clinical" in md
    assert "Being able to walk further or stand longer" in md and "Matters a lot" in md
    assert "(not answered)" in md
    assert "`friedly-2014`" in md and "- [ ] What exactly is pressing on the nerves" in md


def test_bypassed_summary_shows_advice_not_options():
    report = decide({**RAW, "red_flags": ["bowel_dysfunction"]}, country="US")
    html = render_html(report, generated_at=WHEN)
    assert "Call 911" in html
    assert "My options now" not in html and "Option grid" not in html
    # An emergency summary is about getting help, not about planning surgery.
    assert "Questions for my surgeon" not in html
    assert "Questions for my surgeon" not in render_markdown(report, generated_at=WHEN)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_renders_with_the_key_content(report, tmp_path):
    pdf = tmp_path / "summary.pdf"
    write_summary(report, pdf, generated_at=WHEN)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Treatment options: my summary" in text
    assert "INVESTIGATIONAL" in text
    assert "Swedish Spinal Stenosis Study" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    assert 2 <= pages <= 8
