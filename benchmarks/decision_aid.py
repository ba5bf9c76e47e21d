"""Decision-aid speed: core evaluation, the full report, and the printable summaries.

Usage:
    .venv/bin/python benchmarks/decision_aid.py          # readable summary
    .venv/bin/python benchmarks/decision_aid.py --json   # one JSON object

Method: a mix of inputs covering every condition, stage and red-flag bypass is
validated and evaluated in a loop; each measure reports the median of several
repeats (time per call). The report (``decide``: validation, evaluation, grid merge,
references) and the HTML, Markdown and PDF summaries are timed the same way, after
one warm-up call (the grid and references load once per process).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from spinecare.adapters.reports.decision_summary import render_html, render_markdown, write_summary
from spinecare.bootstrap import bootstrap, decision_aid_service
from spinecare.clinical.decision import (
    SUPPORTED_CONDITIONS,
    WARNING_SIGNS,
    evaluate,
    parse_decision_input,
)
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE
from spinecare.settings import Settings

# The grid loads on the first call (the warm-up).
decide = decision_aid_service(
    bootstrap(Settings(cache_dir=None), engine=TriageEngine(BUILTIN_KNOWLEDGE))).decide


def _inputs() -> list[dict]:
    mix = []
    for condition in SUPPORTED_CONDITIONS:
        for weeks, benefit in ((0, None), (8, "some"), (13, "none"), (30, "good")):
            for deficit in ("none", "stable", "progressive"):
                mix.append({"condition": condition, "conservative_weeks": weeks,
                            "benefit": benefit, "deficit": deficit, "odi": 40,
                            "injections_12m": 1,
                            "warning_signs": dict.fromkeys(WARNING_SIGNS, False)})
    mix.append({**mix[0], "red_flags": ["saddle_anaesthesia"]})
    mix.append({**mix[0], "red_flags": ["fever"]})
    return mix


def _per_call(fn: Callable[[], object], calls: int, repeats: int = 5) -> float:
    """Median seconds per call over ``repeats`` runs of ``calls`` calls."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - start) / calls)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    mix = _inputs()
    parsed = [parse_decision_input(raw) for raw in mix]

    def evaluate_mix() -> None:
        for inp in parsed:
            evaluate(inp)

    def validate_mix() -> None:
        for raw in mix:
            parse_decision_input(raw)

    report = decide(mix[6])
    out = Path(tempfile.mkdtemp()) / "summary.pdf"
    n = len(mix)
    results = {
        "inputs": n,
        "evaluate_us": _per_call(evaluate_mix, 200) / n * 1e6,
        "validate_us": _per_call(validate_mix, 200) / n * 1e6,
        "decide_report_us": _per_call(lambda: decide(mix[6]), 200) * 1e6,
        "report_to_dict_us": _per_call(report.to_dict, 200) * 1e6,
        "summary_html_ms": _per_call(lambda: render_html(report), 20) * 1e3,
        "summary_markdown_ms": _per_call(lambda: render_markdown(report), 20) * 1e3,
        "summary_pdf_ms": _per_call(lambda: write_summary(report, out), 3, repeats=3) * 1e3,
    }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"decision aid over {n} inputs (median per call)")
    print(f"  evaluate (core):        {results['evaluate_us']:8.1f} µs")
    print(f"  validate input:         {results['validate_us']:8.1f} µs")
    print(f"  full report (decide):   {results['decide_report_us']:8.1f} µs")
    print(f"  report.to_dict():       {results['report_to_dict_us']:8.1f} µs")
    print(f"  summary HTML:           {results['summary_html_ms']:8.2f} ms")
    print(f"  summary Markdown:       {results['summary_markdown_ms']:8.2f} ms")
    print(f"  summary PDF (WeasyPrint): {results['summary_pdf_ms']:6.0f} ms")


if __name__ == "__main__":
    main()
