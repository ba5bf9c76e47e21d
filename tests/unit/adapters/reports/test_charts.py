"""The SVG charts: an accessible image (role, title, desc), gaps for missing days, escaped
text, threshold lines with labels, and a data table."""

from __future__ import annotations

from datetime import date, timedelta
from xml.etree import ElementTree

import pytest

from spinecare.adapters.reports.charts import (
    HIGHER_IS_BETTER,
    Series,
    Threshold,
    data_table,
    describe_chart,
    line_chart,
)

START = date(2026, 3, 1)
SVG = "{http://www.w3.org/2000/svg}"


def _points(values: list[float | None]) -> list[tuple[date, float | None]]:
    return [(START + timedelta(days=n), v) for n, v in enumerate(values)]


def test_chart_is_an_image_with_a_text_alternative_and_threshold_lines() -> None:
    svg = line_chart([Series("Back pain", _points([4, 5, None, 6, 3])),
                      Series("Leg <pain>", _points([7, None, None, 5, 4]))],
                     y_min=0, y_max=10, title="Pain & more", y_label="Pain (0-10)",
                     thresholds=[Threshold(3.5, "30 % below the first week")],
                     chart_id="c1")
    root = ElementTree.fromstring(svg)  # well-formed XML: every text escaped
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "Pain & more"
    desc = root.find(f"{SVG}desc").text
    assert "Back pain (Pain (0-10)): 4 days recorded" in desc
    assert "lowest 3, highest 6, latest 3 on 5 Mar 2026" in desc
    assert "Line at 3.5: 30 % below the first week." in desc and "Higher is worse." in desc
    assert "30 % below the first week" in svg
    # The missing 3 March breaks the back-pain line into two paths (a gap, not a zero).
    back_paths = [p for p in root.iter(f"{SVG}path") if p.get("stroke") == "#1d4f91"]
    assert len(back_paths) == 2


def test_direction_and_empty_chart() -> None:
    svg = line_chart([Series("Walking", [])], y_min=0, y_max=30, title="Walking",
                     y_label="Minutes", direction=HIGHER_IS_BETTER)
    assert "Nothing recorded yet" in svg and "Higher is better." in svg
    assert "Walking: nothing recorded." in describe_chart(
        [Series("Walking", [])], title="Walking", y_label="Minutes")
    with pytest.raises(ValueError):
        line_chart([], y_min=5, y_max=5, title="t", y_label="y")


def test_data_table_lists_every_day_and_says_not_recorded() -> None:
    html = data_table([Series("Back", _points([4, None])), Series("Leg", _points([None, 2]))],
                      caption="Pain <numbers>")
    assert "<caption>Pain &lt;numbers&gt;</caption>" in html
    assert "<tr><th scope=\"row\">1 Mar 2026</th><td>4</td><td>not recorded</td></tr>" in html
    assert "<tr><th scope=\"row\">2 Mar 2026</th><td>not recorded</td><td>2</td></tr>" in html
