"""Triage speed: engine evaluations per second on one core, the interview's next question, and
the engine's cost against the web framework's (``engine_over_framework``).

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

The framework, in the same run: the real web app (``create_app`` over a throwaway data
directory: the same middleware, exception handlers and route table) gets one extra route,
added here only and placed where ``POST /api/v1/triage`` sits, that parses the same
request body with the same model (``TriageRequest``) and echoes it back. Every vignette's
body is sent to it in process, straight to the ASGI app (no socket, no HTTP parser: what
uvicorn adds is the same for every route). ``engine_over_framework`` is
(``evaluate`` + writing the result as the route does, ``TypeAdapter(TriageResponse)``)
÷ that echo request. The real ``POST /api/v1/triage`` is timed the same way, for scale.

Targets: >= 50,000 evaluations/s, i.e. <= 20 µs per evaluation (issue 2), and
engine_over_framework <= 0.5, so the engine is never what limits the server (issue 10).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from fastapi import APIRouter, Request  # noqa: E402
from fastapi.responses import Response  # noqa: E402

from spinecare.clinical.findings import Findings, parse_findings  # noqa: E402
from spinecare.clinical.triage.engine import TriageEngine  # noqa: E402
from spinecare.clinical.triage.interview import next_question  # noqa: E402
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE  # noqa: E402
from spinecare.settings import Settings  # noqa: E402

DEFAULT_VIGNETTES = REPO.parent / "shared" / "eval" / "dev_vignettes.jsonl"
TARGET_EVALS_PER_S = 50_000
TARGET_US = 1e6 / TARGET_EVALS_PER_S  # 20 µs
TARGET_ENGINE_OVER_FRAMEWORK = 0.5
ECHO_PATH = "/benchmark-only/echo"


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


# --------------------------------------------------------------------------- the framework

def request_body(raw: dict[str, Any]) -> bytes:
    """The POST /api/v1/triage body for one vignette."""
    body: dict[str, Any] = {"findings": {k: v for k, v in raw.items() if k not in ("age", "sex")}}
    for key in ("age", "sex"):
        if key in raw:
            body[key] = raw[key]
    return json.dumps(body).encode()


def benchmark_app(data_dir: Path) -> Any:
    """The real web app with one echo route that exists only in this process."""
    from spinecare.bootstrap import bootstrap
    from spinecare.entrypoints.web.api import triage as triage_api
    from spinecare.entrypoints.web.api._schemas import TriageRequest
    from spinecare.entrypoints.web.app import create_app

    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'bench.db'}",
                        secret_key="benchmark-only-" + "k" * 40)
    app = create_app(bootstrap(settings))

    async def echo(request: Request) -> Response:
        # What the triage route does before the engine: the body parsed and validated by
        # pydantic's Rust parser with the same model, then sent back.
        body = TriageRequest.model_validate_json(await request.body())
        return Response(body.model_dump_json(), media_type="application/json")

    echo_router = APIRouter()
    echo_router.add_api_route(ECHO_PATH, echo, methods=["POST"], include_in_schema=False)
    app.include_router(echo_router)
    # Moved to where the triage router sits: matched after exactly the routes it follows.
    routes = app.router.routes
    included = routes.pop()
    at = next(i for i, r in enumerate(routes)
              if getattr(r, "original_router", None) is triage_api.router)
    routes.insert(at, included)
    return app


class AsgiClient:
    """Sends requests straight to an ASGI app on one event loop, as uvicorn would hand them."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()

    async def _one(self, path: str, body: bytes) -> tuple[int, bytes]:
        done = asyncio.Event()
        delivered = False
        status = 0
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            await done.wait()  # like a client that stays connected until the answer
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    done.set()

        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
            "root_path": "", "query_string": b"",
            "headers": [(b"host", b"127.0.0.1:8000"), (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode())],
            "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
        }
        await self.app(scope, receive, send)
        return status, b"".join(chunks)

    def post_all(self, path: str, bodies: Sequence[bytes]) -> list[tuple[int, bytes]]:
        async def every() -> list[tuple[int, bytes]]:
            return [await self._one(path, b) for b in bodies]

        return self.loop.run_until_complete(every())

    def close(self) -> None:
        self.loop.close()


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

    # The route's own serialiser (pydantic-core, from the response model).
    from pydantic import TypeAdapter

    from spinecare.entrypoints.web.api._schemas import TriageResponse
    from spinecare.services.triage import TriageOutcome

    response_json = TypeAdapter(TriageResponse)

    def evaluate_and_write_all() -> int:
        for f in findings:
            response_json.dump_json(TriageResponse.of(TriageOutcome.of(evaluate(f))))
        return len(findings)

    bodies = [request_body(raw) for raw in raw_cases]
    with tempfile.TemporaryDirectory(prefix="spinecare-bench-") as tmp:
        client = AsgiClient(benchmark_app(Path(tmp)))
        try:
            for path in (ECHO_PATH, "/api/v1/triage"):  # every request must succeed
                bad = [s for s, _ in client.post_all(path, bodies) if s != 200]
                if bad:
                    raise SystemExit(f"{path}: {len(bad)} requests failed (status {bad[0]})")

            def echo_all() -> int:
                client.post_all(ECHO_PATH, bodies)
                return len(bodies)

            def triage_all() -> int:
                client.post_all("/api/v1/triage", bodies)
                return len(bodies)

            evaluate_all()  # warm caches before timing
            ev = time_loop(evaluate_all, seconds)
            nq = time_loop(next_all, max(seconds / 2, 0.5))
            pf = time_loop(parse_all, max(seconds / 4, 0.5))
            td = time_loop(evaluate_and_serialise_all, max(seconds / 4, 0.5))
            ew = time_loop(evaluate_and_write_all, max(seconds / 2, 0.5))
            fw = time_loop(echo_all, max(seconds / 2, 0.5))
            tr = time_loop(triage_all, max(seconds / 2, 0.5))
        finally:
            client.close()
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
        "evaluate_plus_response_json_us": round(ew.cpu_us, 2),
        "framework_echo_request_us": round(fw.cpu_us, 2),
        "framework_echo_request_best_us": round(fw.cpu_best_us, 2),
        "triage_request_us": round(tr.cpu_us, 2),
        "engine_over_framework": round(ew.cpu_us / fw.cpu_us, 2),
        "target_engine_over_framework": TARGET_ENGINE_OVER_FRAMEWORK,
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
            "(a dict: what storage and the CLI need)"),
        row("evaluate + response JSON", "", r["evaluate_plus_response_json_us"],
            "(the bytes POST /api/v1/triage sends)"),
        row("framework: echo request", "", r["framework_echo_request_us"],
            "(real middleware + routing + TriageRequest validation, in process)"),
        row("POST /api/v1/triage", "", r["triage_request_us"],
            "(the real route, same way, for scale)"),
        f"  engine_over_framework = {r['engine_over_framework']:.2f} "
        f"(target <= {TARGET_ENGINE_OVER_FRAMEWORK}: "
        f"{'met' if r['engine_over_framework'] <= TARGET_ENGINE_OVER_FRAMEWORK else 'MISSED'})",
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
