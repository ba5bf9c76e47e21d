"""A symptom check's printable summary for the person's doctor: HTML (prints on A4) or PDF.

One Jinja2 template serves both (WeasyPrint renders the same HTML), as for the decision
aid's summary. It takes a plain ``CheckSummary`` (the pages build it from the result they
show), so the adapter knows nothing of the web, the services or the storage: an anonymous
check is printed from the browser's interview cookie, a saved one from the database, with
the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE = "check_summary.html"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True, slots=True)
class CheckSummary:
    """What the printed summary says, already worded."""

    level: str  # emergency | urgent | routine | self_care
    level_title: str
    level_meaning: str
    provisional: bool
    when: str  # the check's date and time, as shown
    knowledge_version: str
    emergency_number: str
    disclaimer: str
    advice_headline: str = ""
    do_now: tuple[str, ...] = ()
    watch_for: tuple[str, ...] = ()
    reasons: tuple[tuple[str, str], ...] = ()  # (text, rule id)
    conditions: tuple[str, ...] = ()  # "Consistent with …" / "May be …" lines
    open_questions: tuple[str, ...] = ()
    answers: tuple[tuple[str, str], ...] = ()  # (what was asked, the answer given)
    own_words: str = ""
    links: dict[str, str] = field(default_factory=dict)  # web only: back, pdf


def render_html(summary: CheckSummary, *, web: bool = False) -> str:
    """The summary as an HTML page; ``web`` adds the links to print, download and go back
    (hidden when printed, left out of the PDF)."""
    return _env.get_template(TEMPLATE).render(s=summary, web=web)


def render_pdf(summary: CheckSummary) -> bytes:
    """The same page as a PDF (WeasyPrint, imported here: it is heavy). About a second of
    CPU: call it off the event loop."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_html(summary)).write_pdf()
    return pdf
