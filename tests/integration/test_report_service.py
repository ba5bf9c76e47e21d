"""The report for the doctor on SQLite and PostgreSQL: built from stored rows, read by the
patient and the clinician they granted (nobody else), audited once, and rendered to a PDF of at
most two pages that reads back with the name, the period, "7 of 12", a flag and the warning
sign logged."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from report_seed import seed
from spinecare.adapters.reports.doctor_report import render_html, render_pdf
from spinecare.adapters.storage.models import AuditEvent
from spinecare.services.actor import Actor
from spinecare.services.errors import InvalidInput, NotFound, PermissionDenied
from spinecare.services.report import today_utc

PASSWORD = "correct horse battery"


@pytest.fixture
def ana(services) -> Actor:  # type: ignore[no-untyped-def]
    user = services.accounts.create("ana@example.org", PASSWORD, "Ana Ribeiro", "patient")
    seed(services, user.id, today_utc(), saddle_days_ago=10)
    return Actor(user.id, "patient", "192.0.2.7")


def _clinician(services, email: str, grant_from: int | None) -> Actor:  # type: ignore[no-untyped-def]
    user = services.accounts.create(email, PASSWORD, "Dr " + email[:3], "clinician")
    services.accounts.set_approved(Actor.system(), user.id)
    if grant_from is not None:
        with services.db.unit_of_work() as repos:
            repos.grants.add(grant_from, user.id)
    return Actor(user.id, "clinician", "192.0.2.8")


def test_report_from_stored_rows(services, ana) -> None:  # type: ignore[no-untyped-def]
    report = services.report.build(ana, ana.user_id)
    today = today_utc()
    assert (report.start, report.end) == (today - timedelta(days=89), today)
    assert report.name == "Ana Ribeiro"
    assert [w.sign for w in report.warnings] == ["saddle_anaesthesia"]
    fired = {f.id for f in report.fired_flags}
    assert "RPT-FLAG-SPHINCTER" in fired
    assert report.exercise.line == "7 of 12 sessions"
    odi = next(s for s in report.scores if s.key == "odi")
    assert odi.verdict is not None and odi.verdict.sentence.startswith("ODI 34 → 48 (+14 points")
    assert "beyond usual variation" in odi.verdict.sentence
    assert report.questions[0].startswith("Is it time to think about surgery")
    assert report.completeness.days_in_period == 90
    assert 70 <= report.completeness.days_logged <= 90
    assert any(r.id == "hatakka-2025" and "Int J Spine Surg" in r.citation
               for r in report.references)


def test_the_pdf_is_at_most_two_pages_and_reads_back(services, ana, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext, pdfinfo) is not installed")
    report = services.report.build(ana, ana.user_id)
    path = tmp_path / "r.pdf"
    path.write_bytes(render_pdf(report))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(next(ln for ln in info.stdout.splitlines() if ln.startswith("Pages:")).split()[1])
    assert 1 <= pages <= 2
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    start = report.start
    assert "Ana Ribeiro" in text
    assert f"{start.day} {start:%b %Y} to {report.end.day} {report.end:%b %Y}" in text
    assert "7 of 12 sessions" in text
    assert "Warning signs logged in this period" in text and "Numbness between your legs" in text
    assert "New bladder, bowel or saddle sign logged" in text
    assert "Leg and back pain, weekly means (0-10). Higher is" in text
    assert "Walking tolerance, minutes. Higher is better." in text
    html = render_html(report)
    assert "<details>" in html and 'role="img"' in html


def test_who_may_read_it(services, ana) -> None:  # type: ignore[no-untyped-def]
    granted = _clinician(services, "doc@example.org", ana.user_id)
    assert services.report.build(granted, ana.user_id).name == "Ana Ribeiro"
    stranger = _clinician(services, "other@example.org", None)
    with pytest.raises(PermissionDenied):
        services.report.build(stranger, ana.user_id)
    ben = services.accounts.create("ben@example.org", PASSWORD, "Ben", "patient")
    with pytest.raises(PermissionDenied):
        services.report.build(Actor(ben.id, "patient"), ana.user_id)
    with pytest.raises(PermissionDenied):  # administrators manage accounts, not care
        services.report.build(Actor(ben.id + 1, "admin"), ana.user_id)
    # The host's own tool reads it (audited as "system"); a clinician's id is not a patient.
    assert services.report.build(Actor.system("cli"), ana.user_id).name == "Ana Ribeiro"
    with pytest.raises(NotFound):
        services.report.build(Actor.system("cli"), granted.user_id)


def test_each_read_is_audited_once_with_the_period(services, ana) -> None:  # type: ignore[no-untyped-def]
    start, end = date(2026, 1, 1), date(2026, 3, 31)
    services.report.build(ana, ana.user_id, start, end, today=date(2026, 4, 2))
    with services.db.transaction() as session:
        rows = session.scalars(select(AuditEvent).where(
            AuditEvent.resource == "doctor_report")).all()
    assert [(r.action, r.patient_id, r.detail) for r in rows] == [
        ("read", ana.user_id, "2026-01-01..2026-03-31")]


def test_a_bad_period_says_how_to_fix_it(services, ana) -> None:  # type: ignore[no-untyped-def]
    today = date(2026, 6, 1)
    with pytest.raises(InvalidInput) as backwards:
        services.report.build(ana, ana.user_id, date(2026, 5, 1), date(2026, 4, 1), today)
    assert "the start must come first" in backwards.value.problems["start"]
    with pytest.raises(InvalidInput) as future:
        services.report.build(ana, ana.user_id, date(2026, 7, 1), None, today)
    assert "after today" in future.value.problems["start"]
    with pytest.raises(InvalidInput) as long:
        services.report.build(ana, ana.user_id, date(2020, 1, 1), None, today)
    assert "at most" in long.value.problems["end"]
    # An end after today is read as today.
    report = services.report.build(ana, ana.user_id, date(2026, 5, 1), date(2026, 9, 1), today)
    assert report.end == today
