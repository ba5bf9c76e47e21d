"""The doctor's report as HTML (prints on A4) or PDF: one Jinja2 template for both
(WeasyPrint renders the same HTML). The charts are inline SVG (``charts.line_chart``), each
with its text alternative, its threshold lines and its direction in words.

WeasyPrint is imported only when a PDF is asked for (house rule 7); rendering takes about a
second of CPU, so web handlers call ``render_pdf`` in the threadpool.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from spinecare.adapters.reports.charts import Series, Threshold, data_table, line_chart
from spinecare.clinical.report import DoctorReport
from spinecare.clinical.report.build import Chart

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE = "doctor_report.html"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _day(value: date | None) -> str:
    return "" if value is None else f"{value.day} {value:%b %Y}"


def _short(value: date | None) -> str:
    return "" if value is None else f"{value.day} {value:%b}"


def _num(value: float | None) -> str:
    return "" if value is None else f"{round(value, 1):g}"


_env.filters["day"] = _day
_env.filters["short"] = _short
_env.filters["num"] = _num


# WeasyPrint does not know ``paint-order``: the white halo that keeps a threshold label
# readable over the lines in a browser would be painted over the letters and hide them.
_HALO = ' stroke="#ffffff" stroke-width="3" paint-order="stroke"'


def chart_svg(chart: Chart, *, width: int = 500, height: int = 260,
              pdf: bool = False) -> Markup:
    """The chart as inline SVG (escaped inside ``line_chart``)."""
    series = [Series(s.label, s.points) for s in chart.series]
    lines = [Threshold(t.value, t.label) for t in chart.thresholds]
    svg = line_chart(series, y_min=chart.y_min, y_max=chart.y_max, title=chart.title,
                     y_label=chart.y_label, thresholds=lines, direction=chart.direction,
                     chart_id=f"report-{chart.id}", width=width, height=height)
    return Markup(svg.replace(_HALO, "") if pdf else svg)  # line_chart escapes its text


def chart_table(chart: Chart) -> Markup:
    return Markup(data_table(  # data_table escapes every text it writes
        [Series(s.label, s.points) for s in chart.series], caption=chart.title))


def _context(report: DoctorReport, generated_at: datetime | None,
             pdf: bool) -> dict[str, Any]:
    when = (generated_at or datetime.now(UTC)).strftime("%-d %b %Y, %H:%M UTC")
    return {
        "r": report,
        "generated_at": when,
        "period_days": (report.end - report.start).days + 1,
        "pain_svg": chart_svg(report.pain_chart, pdf=pdf),
        "walking_svg": chart_svg(report.walking_chart, pdf=pdf),
        "pain_table": "" if pdf else chart_table(report.pain_chart),
        "walking_table": "" if pdf else chart_table(report.walking_chart),
        "pdf": pdf,
    }


def render_html(report: DoctorReport, *, generated_at: datetime | None = None,
                pdf: bool = False) -> str:
    """The report as one HTML page (``pdf``: leave out what only a screen needs: the data
    tables behind the charts, which the PDF's chart descriptions already carry)."""
    return _env.get_template(TEMPLATE).render(**_context(report, generated_at, pdf))


def render_pdf(report: DoctorReport, *, generated_at: datetime | None = None) -> bytes:
    """The report as PDF bytes (A4). CPU-heavy: call it off the event loop."""
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    html = render_html(report, generated_at=generated_at, pdf=True)
    pdf: bytes = HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf()
    return pdf


def write_report(report: DoctorReport, path: Path, *,
                 generated_at: datetime | None = None) -> None:
    """Write the report; the file type follows the suffix (.pdf, else HTML)."""
    if path.suffix.lower() == ".pdf":
        path.write_bytes(render_pdf(report, generated_at=generated_at))
    else:
        path.write_text(render_html(report, generated_at=generated_at), encoding="utf-8")
