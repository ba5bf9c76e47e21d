"""Knowledge-base search: recall on lay questions and query latency, run on demand.

    .venv/bin/python benchmarks/search.py            # both question sets, table
    .venv/bin/python benchmarks/search.py --json     # one JSON object
    .venv/bin/python benchmarks/search.py --repeat 50

Recall@k: share of questions for which an article that answers it is among the
first k results. ``search_questions.yaml`` is the development set (the synonym
weight was tuned on it); ``search_questions_heldout.yaml`` was written afterwards
and never used for tuning. Latency: wall-clock per query after the index is built
(the build is timed apart), for BM25 ranking alone and for the full search use case
including the emergency screen (free-text intake + red-flag rules).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

import yaml

from spinecare import bootstrap
from spinecare.adapters.library.search_index import SearchIndex, build_index
from spinecare.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "development": ROOT / "tests" / "data" / "search_questions.yaml",
    "held_out": ROOT / "tests" / "data" / "search_questions_heldout.yaml",
}


def recall(index: SearchIndex, questions: list[dict[str, Any]]) -> dict[str, Any]:
    at1 = at3 = 0
    for item in questions:
        ids = [h.article.id for h in index.search(item["q"], k=3)]
        at1 += bool(ids) and ids[0] in item["answers"]
        at3 += bool(set(ids) & set(item["answers"]))
    n = len(questions)
    return {"n": n, "recall_at_1": round(at1 / n, 3), "recall_at_3": round(at3 / n, 3)}


def latency_ms(fn, queries: list[str], repeat: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    for q in queries:  # warm-up: first calls load spaCy and fill caches
        fn(q)
    times = []
    for _ in range(repeat):
        for q in queries:
            start = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {"mean": round(statistics.fmean(times), 3), "p95": round(p95, 3), "n": len(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeat", type=int, default=20, help="passes over the questions")
    args = parser.parse_args()

    start = time.perf_counter()
    index = build_index()
    build_ms = (time.perf_counter() - start) * 1000
    questions = {name: yaml.safe_load(path.read_text(encoding="utf-8"))
                 for name, path in SETS.items()}
    all_queries = [q["q"] for qs in questions.values() for q in qs]
    out: dict[str, Any] = {
        "articles": len(index.articles),
        "passages": len(index.passages),
        "index_build_ms": round(build_ms, 1),
        **{name: recall(index, qs) for name, qs in questions.items()},
        "latency_ms_bm25": latency_ms(lambda q: index.search(q, k=5), all_queries, args.repeat),
        "latency_ms_with_emergency_screen": latency_ms(
            bootstrap.search_service(bootstrap.bootstrap(
                Settings(cache_dir=None), search_index=index)).search, all_queries,
            max(1, args.repeat // 4)
        ),
    }
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"articles {out['articles']}, passages {out['passages']}, "
          f"index build {out['index_build_ms']} ms (includes loading the articles)")
    for name in SETS:
        r = out[name]
        print(f"{name:12s} n={r['n']:3d}  recall@1 {r['recall_at_1']:.3f}  "
              f"recall@3 {r['recall_at_3']:.3f}")
    for key in ("latency_ms_bm25", "latency_ms_with_emergency_screen"):
        lat = out[key]
        print(f"{key:34s} mean {lat['mean']:.3f} ms  p95 {lat['p95']:.3f} ms  "
              f"({lat['n']} queries)")


if __name__ == "__main__":
    main()
