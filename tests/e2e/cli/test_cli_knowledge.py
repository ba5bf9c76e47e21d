"""``spinecare search`` and ``spinecare articles`` end to end, in a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

TIMEOUT_S = 60.0


def run(*args: str, country: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPINECARE_")}
    env.update({"COLUMNS": "100", "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"})
    if country:
        env["SPINECARE_COUNTRY"] = country
    return subprocess.run(
        [sys.executable, "-m", "spinecare", *args],
        capture_output=True, text=True, timeout=TIMEOUT_S, env=env,
    )


def flat(text: str) -> str:
    return " ".join(text.split())


def test_search_lists_ranked_articles_with_snippets_and_references() -> None:
    proc = run("search", "pins and needles in my legs when I walk", "-n", "3")
    assert proc.returncode == 0, proc.stderr
    out = flat(proc.stdout)
    assert "1. Symptoms of lumbar stenosis and neurogenic claudication" in out
    assert "pins and needles" in out
    assert "references: suri-2010" in out
    assert "spinecare articles show symptoms-of-lumbar-stenosis" in out
    assert "This may be an emergency" not in out


def test_search_json_is_exactly_the_documented_shape() -> None:
    proc = run("search", "slipped disc", "--json", "--limit", "2")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) == {"query", "emergency", "results"}
    assert data["query"] == "slipped disc"
    assert data["emergency"] is False
    assert len(data["results"]) == 2
    first = data["results"][0]
    assert set(first) == {"article_id", "title", "snippet", "score", "references"}
    assert first["article_id"] == "stenosis-vs-herniated-disc"
    assert "**disc**" in first["snippet"]
    assert first["score"] > 0
    assert {r["id"] for r in first["references"]} >= {"nass-ldh-2014"}


def test_emergency_query_shows_the_advice_above_the_results() -> None:
    proc = run("search", "numb between my legs", country="US")
    assert proc.returncode == 0, proc.stderr
    out = flat(proc.stdout)
    assert "This may be an emergency" in out
    assert "Call 911" in out
    assert out.index("This may be an emergency") < out.index("Results for")
    data = json.loads(run("search", "numb between my legs", "--json").stdout)
    assert data["emergency"] is True


def test_empty_query_and_bad_limit_are_clear_errors() -> None:
    proc = run("search", "  ")
    assert proc.returncode == 2
    assert "search query is empty" in flat(proc.stderr)
    assert "Traceback" not in proc.stderr
    proc = run("search", "back pain", "--limit", "99")
    assert proc.returncode == 2
    assert "limit must be between 1 and 20" in flat(proc.stderr)


def test_articles_list_and_show() -> None:
    listed = json.loads(run("articles", "list", "--json").stdout)
    assert len(listed) >= 25
    assert {"id", "title", "evidence_level", "last_reviewed"} <= set(listed[0])
    proc = run("articles", "show", "stem-cell-therapy")
    assert proc.returncode == 0, proc.stderr
    out = flat(proc.stdout)
    assert "Stem-cell therapy for stenosis" in out
    assert "Compare treatment options: spinecare decide" in out
    assert "[kb-fda-stem-cells-2019]" in out
    assert "last reviewed" in out


def test_articles_show_unknown_id_suggests_the_closest() -> None:
    proc = run("articles", "show", "laminectomie")
    assert proc.returncode == 2
    err = flat(proc.stderr)
    assert "no article with id 'laminectomie'" in err
    assert "Did you mean 'laminectomy'?" in err
