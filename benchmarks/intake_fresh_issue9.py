"""Issue 9 fresh batch: red-flag recall, precision, wrong-way-round findings, ms per text.

    .venv/bin/python benchmarks/intake_fresh_issue9.py            # figures
    .venv/bin/python benchmarks/intake_fresh_issue9.py --misses   # and every miss

The batch (tests/data/intake_fresh_issue9.jsonl) was written before the intake was tuned
for issue 9; docs/evaluation/intake-issue9-fresh-batch.md has the before/after figures.
Time per text is the mean over the batch after the pipeline is built (best of 3 runs).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from spinecare.adapters.intake import extract_findings
from spinecare.adapters.intake.evaluation import ISSUE9_WARNING_KEYS, BatchScore
from spinecare.adapters.intake.lexicon import load_lexicon
from spinecare.adapters.intake.pipeline import get_nlp
from spinecare.clinical.triage.knowledge.red_flags import TRUE_RED_FLAG_KEYS

ROOT = Path(__file__).resolve().parent.parent
BATCH = ROOT / "tests" / "data" / "intake_fresh_issue9.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=BATCH)
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    cases = [json.loads(x) for x in args.file.read_text(encoding="utf-8").splitlines()
             if x.strip()]
    red = load_lexicon().red_flag_keys | TRUE_RED_FLAG_KEYS | ISSUE9_WARNING_KEYS
    get_nlp()
    extract_findings("warm up")
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        results = [extract_findings(c["text"]) for c in cases]
        best = min(best, time.perf_counter() - start)
    score = BatchScore()
    for case, result in zip(cases, results, strict=True):
        score.add(case, result.findings, result.uncertain, red)
    print(f"{len(cases)} texts: red-flag recall {score.red_recall:.3f} "
          f"({score.red_found}/{score.red_expected}), red-flag precision "
          f"{score.red_precision:.3f}, precision {score.precision:.3f}, recall "
          f"{score.recall:.3f}, wrong way round {len(score.wrong_way)}, unknown read as no "
          f"{len(score.leaked_to_false)}, hedge decided {len(score.hedge_decided_true)}, "
          f"{1000 * best / len(cases):.2f} ms per text")
    for item in score.wrong_way:
        print("  wrong way:", item)
    for item in score.leaked_to_false:
        print("  unknown read as no:", item)
    for item in score.hedge_decided_true:
        print("  hedge decided:", item)
    if args.misses:
        texts = {c["id"]: c["text"] for c in cases}
        for cid, key in score.missed_red:
            print(f"  missed {key}: {texts[cid]!r}")


if __name__ == "__main__":
    main()
