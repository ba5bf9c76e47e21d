"""Serialising a triage result: the hand-written ``to_dict`` against pydantic's ``TypeAdapter``.

Usage:
    .venv/bin/python benchmarks/serialisation.py            # readable summary
    .venv/bin/python benchmarks/serialisation.py --json     # one JSON object

Method: every dev vignette is evaluated once; each way of writing the results out is then
timed over that mix (CPU time per result, median of 5 repeats, pinned to one core; the
helpers are benchmarks/triage.py's). Two questions, each answered with a ratio:

* a dict (what storage and the CLI need): ``TriageResult.to_dict()`` against
  ``TypeAdapter(TriageResult).dump_python(r, mode="json")``;
* the bytes of POST /api/v1/triage (the hot path): ``to_dict()`` plus the door's fields
  and a pydantic-core ``to_json`` (the route before issue 10) against
  ``TypeAdapter(TriageResponse).dump_json(TriageResponse.of(outcome))`` (the route now).

Reading a stored result back is timed too: ``TriageResult.from_dict`` against
``TypeAdapter(TriageResult).validate_python``. The faster of each pair is kept where it
runs; both must give the same JSON (checked here before timing, and by the tests).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCHMARKS.parent / "src"), str(BENCHMARKS)]  # spinecare, and triage.py

from pydantic import TypeAdapter  # noqa: E402
from pydantic_core import to_json  # noqa: E402

from spinecare.clinical.findings import parse_findings  # noqa: E402
from spinecare.clinical.triage.engine import TriageEngine  # noqa: E402
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE  # noqa: E402
from spinecare.clinical.triage.result import TriageResult  # noqa: E402
from spinecare.entrypoints.web.api._schemas import TriageResponse  # noqa: E402
from spinecare.services.triage import TriageOutcome  # noqa: E402
from triage import DEFAULT_VIGNETTES, load_raw_cases, pin_to_one_core, time_loop  # noqa: E402


def _old_body(outcome: TriageOutcome) -> bytes:
    """The API body as the route wrote it before: a dict, the door's keys, one dump."""
    data = outcome.result.to_dict()
    data["provisional"] = outcome.provisional
    data["provisional_notice"] = outcome.provisional_notice
    data["saved_check_id"] = outcome.saved_check_id
    return to_json(data)


def run(vignettes: Path, seconds: float) -> dict[str, Any]:
    cpu = pin_to_one_core()
    engine = TriageEngine(BUILTIN_KNOWLEDGE)
    results = [engine.evaluate(parse_findings(raw), country="GB")
               for raw in load_raw_cases(vignettes)]
    outcomes = [TriageOutcome.of(r) for r in results]
    stored = [r.to_dict() for r in results]
    result_adapter = TypeAdapter(TriageResult)
    response_adapter = TypeAdapter(TriageResponse)

    def new_body(outcome: TriageOutcome) -> bytes:
        return response_adapter.dump_json(TriageResponse.of(outcome))

    # Same output first: a faster serialiser that writes something else is no choice.
    for r, o, d in zip(results, outcomes, stored, strict=True):
        if result_adapter.dump_python(r, mode="json") != d:
            raise SystemExit("TypeAdapter.dump_python and to_dict disagree")
        if new_body(o) != _old_body(o):
            raise SystemExit("the API body changed")
        if TriageResult.from_dict(d) != result_adapter.validate_python(d) or \
                TriageResult.from_dict(d) != r:
            raise SystemExit("from_dict and TypeAdapter.validate_python disagree")

    def over(items: Sequence[Any], fn: Callable[[Any], object]) -> Callable[[], int]:
        def work() -> int:
            for item in items:
                fn(item)
            return len(items)
        return work

    share = max(seconds / 6, 0.3)
    timed = {
        "to_dict_us": time_loop(over(results, TriageResult.to_dict), share),
        "typeadapter_dump_python_us": time_loop(
            over(results, lambda r: result_adapter.dump_python(r, mode="json")), share),
        "api_body_to_dict_to_json_us": time_loop(over(outcomes, _old_body), share),
        "api_body_typeadapter_dump_json_us": time_loop(over(outcomes, new_body), share),
        "from_dict_us": time_loop(over(stored, TriageResult.from_dict), share),
        "typeadapter_validate_python_us": time_loop(
            over(stored, result_adapter.validate_python), share),
    }
    out: dict[str, Any] = {k: round(t.cpu_us, 2) for k, t in timed.items()}
    out["dict_typeadapter_over_to_dict"] = round(
        out["typeadapter_dump_python_us"] / out["to_dict_us"], 2)
    out["api_body_typeadapter_over_to_dict"] = round(
        out["api_body_typeadapter_dump_json_us"] / out["api_body_to_dict_to_json_us"], 2)
    out["read_typeadapter_over_from_dict"] = round(
        out["typeadapter_validate_python_us"] / out["from_dict_us"], 2)
    out["results"] = len(results)
    out["pinned_cpu"] = cpu
    out["vignettes"] = str(vignettes)
    return out


def summary(r: dict[str, Any]) -> str:
    def pair(title: str, a: str, a_us: float, b: str, b_us: float, ratio: float) -> list[str]:
        kept = a if a_us <= b_us else b
        return [
            f"  {title}",
            f"    {a:<46}{a_us:>8.2f} µs",
            f"    {b:<46}{b_us:>8.2f} µs",
            f"    ratio (second / first) {ratio:.2f} -> kept: {kept}",
        ]

    pinned = f"pinned to CPU {r['pinned_cpu']}" if r["pinned_cpu"] is not None else "not pinned"
    return "\n".join([
        f"spinecare result serialisation ({r['results']} dev vignettes, CPU µs per result, "
        f"{pinned})",
        *pair("a dict (storage, CLI)", "TriageResult.to_dict()", r["to_dict_us"],
              "TypeAdapter(TriageResult).dump_python(json)", r["typeadapter_dump_python_us"],
              r["dict_typeadapter_over_to_dict"]),
        *pair("the POST /api/v1/triage body (hot path)", "to_dict() + door keys + to_json",
              r["api_body_to_dict_to_json_us"], "TypeAdapter(TriageResponse).dump_json",
              r["api_body_typeadapter_dump_json_us"], r["api_body_typeadapter_over_to_dict"]),
        *pair("reading a stored result back", "TriageResult.from_dict", r["from_dict_us"],
              "TypeAdapter(TriageResult).validate_python",
              r["typeadapter_validate_python_us"], r["read_typeadapter_over_from_dict"]),
    ])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seconds", type=float, default=3.0, help="total time spent timing")
    parser.add_argument("--vignettes", type=Path, default=DEFAULT_VIGNETTES)
    args = parser.parse_args(argv)
    if not args.vignettes.is_file():
        print(f"vignette file not found: {args.vignettes}", file=sys.stderr)
        return 2
    result = run(args.vignettes, args.seconds)
    print(json.dumps(result, indent=2) if args.json else summary(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
