"""Triage speed: engine evaluations per second on one core, and the interview's next question.

Usage:
    .venv/bin/python benchmarks/triage.py                # readable summary
    .venv/bin/python benchmarks/triage.py --json         # one JSON object
    .venv/bin/python benchmarks/triage.py --seconds 5 --vignettes ../shared/eval/dev_vignettes.jsonl

Method: every vignette's findings (plus age and sex) are validated once with
``parse_findings``; then ``TriageEngine.evaluate`` runs over that mix in a loop for
the given time, split into repeats, and the median repeat is reported (the best
one too). The interview is timed over the states a real interview passes through:
starting from age and sex, each vignette answers ``next_question`` from its own
findings until the interview stops. Validation (``parse_findings``) is timed on its
own so its cost is not hidden in the engine's. The process is pinned to one CPU
where the OS allows it; the garbage collector stays on, as in production. The
figures are CPU time per call (wall-clock time is reported too): on a busy shared
machine wall-clock time mostly measures the wait for a free core.

Target (issue 2): >= 50,000 evaluations/s, i.e. <= 20 µs per evaluation, well under
the ~60 µs FastAPI spends on a validated request.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from spinecare.clinical.findings import Findings, parse_findings  # noqa: E402
from spinecare.clinical.triage.engine import TriageEngine  # noqa: E402
from spinecare.clinical.triage.interview import next_question  # noqa: E402
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE  # noqa: E402

DEFAULT_VIGNETTES = REPO.parent / "shared" / "eval" / "dev_vignettes.jsonl"
TARGET_EVALS_PER_S = 50_000
TARGET_US = 1e6 / TARGET_EVALS_PER_S  # 20 µs


def load_raw_cases(path: Path) -> list[dict[str, Any]]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        raw = dict(record.get("findings") or {})
        for key in ("age", "sex"):
            if record.get(key) is not None:
                raw.setdefault(key, record[key])
        if not raw:
            raise SystemExit(f"{path}:{number}: no findings")
        cases.append(raw)
    return cases


def pin_to_one_core() -> int | None:
    """Run on one CPU so the figure is per core; returns the CPU or None if not possible."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


@dataclass(frozen=True)
class Timing:
    cpu_us: float        # median CPU time per operation (this thread only)
    cpu_best_us: float
    wall_us: float       # median wall-clock time per operation
    operations: int


def time_loop(work: Callable[[], int], seconds: float, repeats: int = 5) -> Timing:
    """Run ``work`` (returns how many operations it did) for about ``seconds`` in repeats.

    CPU time (``time.thread_time``) is the headline: on a shared machine wall-clock time
    also counts the time spent waiting for the CPU, which says nothing about the code.
    """
    start = time.perf_counter()
    ops = work()
    one = max(time.perf_counter() - start, 1e-7)
    calls_per_repeat = max(1, int(seconds / repeats / one))
    cpu: list[float] = []
    wall: list[float] = []
    total = ops
    for _ in range(repeats):
        done = 0
        wall_start, cpu_start = time.perf_counter(), time.thread_time()
        for _ in range(calls_per_repeat):
            done += work()
        cpu.append((time.thread_time() - cpu_start) / done * 1e6)
        wall.append((time.perf_counter() - wall_start) / done * 1e6)
        total += done
    return Timing(statistics.median(cpu), min(cpu), statistics.median(wall), total)


def interview_states(
    engine: TriageEngine, cases: Sequence[dict[str, Any]], max_steps: int = 80
) -> list[tuple[Findings, frozenset[str]]]:
    """The (findings, not-sure set) an interview sees, question by question, per case.

    Each case answers from its own findings and says "not sure" to anything else.
    """
    states: list[tuple[Findings, frozenset[str]]] = []
    for raw in cases:
        known: dict[str, Any] = {}
        skipped: set[str] = set()
        for _ in range(max_steps):
            findings = parse_findings(known)
            states.append((findings, frozenset(skipped)))
            question = next_question(findings, engine, skipped=skipped)
            if question is None:
                break
            if question.finding in raw:
                known[question.finding] = raw[question.finding]
            else:
                skipped.add(question.finding)
    return states


def run(vignettes: Path, seconds: float) -> dict[str, Any]:
    cpu = pin_to_one_core()
    raw_cases = load_raw_cases(vignettes)
    findings = [parse_findings(raw) for raw in raw_cases]
    engine = TriageEngine(BUILTIN_KNOWLEDGE)
    evaluate = engine.evaluate

    def evaluate_all() -> int:
        for f in findings:
            evaluate(f)
        return len(findings)

    def evaluate_and_serialise_all() -> int:
        for f in findings:
            evaluate(f).to_dict()
        return len(findings)

    def parse_all() -> int:
        for raw in raw_cases:
            parse_findings(raw)
        return len(raw_cases)

    states = interview_states(engine, raw_cases)

    def next_all() -> int:
        for state, skipped in states:
            next_question(state, engine, skipped=skipped)
        return len(states)

    evaluate_all()  # warm caches before timing
    ev = time_loop(evaluate_all, seconds)
    nq = time_loop(next_all, max(seconds / 2, 0.5))
    pf = time_loop(parse_all, max(seconds / 4, 0.5))
    td = time_loop(evaluate_and_serialise_all, max(seconds / 4, 0.5))
    return {
        "evaluations_per_s": round(1e6 / ev.cpu_us),
        "evaluate_us": round(ev.cpu_us, 2),
        "evaluate_best_us": round(ev.cpu_best_us, 2),
        "evaluate_wall_us": round(ev.wall_us, 2),
        "evaluations_timed": ev.operations,
        "next_question_us": round(nq.cpu_us, 2),
        "next_question_best_us": round(nq.cpu_best_us, 2),
        "next_question_wall_us": round(nq.wall_us, 2),
        "next_question_states": len(states),
        "next_question_calls_timed": nq.operations,
        "parse_findings_us": round(pf.cpu_us, 2),
        "parse_findings_best_us": round(pf.cpu_best_us, 2),
        "parse_findings_calls_timed": pf.operations,
        "evaluate_plus_to_dict_us": round(td.cpu_us, 2),
        "cases": len(findings),
        "mean_findings_per_case": round(statistics.mean(len(f) for f in findings), 1),
        "target_evaluations_per_s": TARGET_EVALS_PER_S,
        "target_evaluate_us": TARGET_US,
        "ratio_to_target": round(1e6 / ev.cpu_us / TARGET_EVALS_PER_S, 2),
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "pinned_cpu": cpu,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "vignettes": str(vignettes),
    }


def summary(r: dict[str, Any]) -> str:
    def row(name: str, rate: str, us: float, note: str) -> str:
        return f"  {name:<24}{rate:>22}  {us:>8.2f} µs each  {note}"

    eval_ok = r["evaluations_per_s"] >= TARGET_EVALS_PER_S
    verdict = "meets the target" if eval_ok else "MISSES the target"
    pinned = f"pinned to CPU {r['pinned_cpu']}" if r["pinned_cpu"] is not None else "not pinned"
    return "\n".join([
        "spinecare triage benchmark",
        f"  {r['cases']} vignettes ({r['mean_findings_per_case']} findings each on average), "
        f"Python {r['python']} {r['machine']}, {pinned}",
        "",
        row("TriageEngine.evaluate", f"{r['evaluations_per_s']:,} evaluations/s",
            r["evaluate_us"], f"(best repeat {r['evaluate_best_us']:.2f} µs; "
            f"wall clock {r['evaluate_wall_us']:.2f} µs)"),
        row("  target", f">= {TARGET_EVALS_PER_S:,} evaluations/s", TARGET_US,
            f"ratio {r['ratio_to_target']:.2f}x -> {verdict}"),
        row("next_question", "", r["next_question_us"],
            f"(over {r['next_question_states']} interview states; "
            f"{r['next_question_us'] / TARGET_US:.2f}x the 20 µs budget)"),
        row("parse_findings", "", r["parse_findings_us"], "(validation, once per request)"),
        row("evaluate + to_dict", "", r["evaluate_plus_to_dict_us"],
            "(what a JSON response needs)"),
        "",
        "  Times are CPU time per call on one core (median of 5 repeats); load average "
        f"{r['load_average_1min']} when measured.",
    ])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seconds", type=float, default=3.0, help="time spent on evaluate")
    parser.add_argument("--vignettes", type=Path, default=DEFAULT_VIGNETTES)
    args = parser.parse_args(argv)
    if not args.vignettes.is_file():
        print(f"vignette file not found: {args.vignettes}", file=sys.stderr)
        return 2
    if args.seconds <= 0:
        print("--seconds must be positive", file=sys.stderr)
        return 2
    result = run(args.vignettes, args.seconds)
    print(json.dumps(result, indent=2) if args.json else summary(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
