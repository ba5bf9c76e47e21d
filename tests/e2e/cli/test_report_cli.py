"""``spinecare report`` as a real process over a demo database: the key lines, the PDF (at most
two pages, with the name and the period), and clear errors for an unknown patient and a bad
date range."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("report-cli")
    for args in (("db", "upgrade"), ("demo", "load")):
        done = _run(*args, tmp=tmp)
        assert done.returncode == 0, done.stderr
    return tmp


def _run(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SPINECARE_DATA_DIR": str(tmp), "COLUMNS": "200"}
    env.pop("SPINECARE_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "spinecare", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def test_the_key_lines_for_the_last_90_days(demo: Path) -> None:
    done = _run("report", "--patient", "ana@spinecare.test", tmp=demo)
    assert done.returncode == 0, done.stderr
    today = datetime.now(UTC).date()
    start = today - timedelta(days=89)
    assert "Report for the doctor: Ana Ribeiro" in done.stdout
    assert f"Period: {start.day} {start:%b %Y} to {today.day} {today:%b %Y}" in done.stdout
    assert "ODI 34 → 50" in done.stdout and "beyond usual variation" in done.stdout
    assert "of 12 sessions" in done.stdout
    # The demo has no sign open now, and the report says so first (not only "in the period").
    assert "Warning signs open now (the last 14 days): none." in done.stdout


def test_the_pdf_with_a_progress_message(demo: Path) -> None:
    out = demo / "ana.pdf"
    done = _run("report", "--patient", "ana@spinecare.test", "--pdf", str(out), tmp=demo)
    assert done.returncode == 0, done.stderr
    assert "Making the PDF" in done.stderr and f"Wrote {out}" in done.stdout
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
        assert int(info.split("Pages:")[1].split()[0]) <= 2
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True,
                              text=True).stdout
        assert "Ana Ribeiro" in text and "Questions they want to ask" in text


def test_html_for_a_chosen_period(demo: Path) -> None:
    out = demo / "ana.html"
    today = datetime.now(UTC).date()
    first = (today - timedelta(days=59)).isoformat()
    done = _run("report", "--patient", "ana@spinecare.test", "--from", first, "--html",
                str(out), tmp=demo)
    assert done.returncode == 0, done.stderr
    assert "(60 days)" in out.read_text(encoding="utf-8")


def test_clear_errors(demo: Path) -> None:
    unknown = _run("report", "--patient", "nobody@example.org", tmp=demo)
    assert unknown.returncode == 2 and "no patient with the e-mail nobody@example.org" in \
        unknown.stderr
    clinician = _run("report", "--patient", "clinician@spinecare.test", tmp=demo)
    assert clinician.returncode == 2 and "no patient" in clinician.stderr
    backwards = _run("report", "--patient", "ana@spinecare.test", "--from", "2026-05-01",
                     "--to", "2026-04-01", tmp=demo)
    assert backwards.returncode == 2 and "the start must come first" in backwards.stderr
    not_a_date = _run("report", "--patient", "ana@spinecare.test", "--to", "31/12/2026",
                      tmp=demo)
    assert not_a_date.returncode == 2 and "YYYY-MM-DD" in not_a_date.stderr
    wrong_suffix = _run("report", "--patient", "ana@spinecare.test", "--pdf",
                        str(demo / "r.txt"), tmp=demo)
    assert wrong_suffix.returncode == 2 and "must end in .pdf" in wrong_suffix.stderr
    for done in (unknown, backwards, not_a_date, wrong_suffix):
        assert "Traceback" not in done.stderr


def test_the_pdf_renders_to_a4_pages_with_charts(demo: Path) -> None:
    """The PDF as a reader sees it: rendered to PNG, each page A4-shaped, and page 1 carries
    the charts (dark ink well beyond a text-only page's)."""
    from PIL import Image, ImageChops

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed: make test installs it")
    out = demo / "ana-png.pdf"
    assert _run("report", "--patient", "ana@spinecare.test", "--pdf", str(out),
                tmp=demo).returncode == 0
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(out), str(demo / "page")], check=True)
    pages = sorted(demo.glob("page-*.png"))
    assert 1 <= len(pages) <= 2
    for path in pages:
        with Image.open(path) as image:
            width, height = image.size
            assert abs(height / width - 297 / 210) < 0.02  # A4 portrait
    with Image.open(pages[0]) as first:
        grey = first.convert("L")
        dark = sum(grey.histogram()[:200])
        red, _, blue = first.convert("RGB").split()
        coloured = sum(ImageChops.difference(red, blue).histogram()[61:])
    assert dark / (grey.width * grey.height) > 0.03
    assert coloured > 50  # the chart lines and the flag colour, not only black text
