"""Free-text intake: throughput and accuracy, run on demand.

    .venv/bin/python benchmarks/intake.py                 # speed, corpus, held-out, vignettes
    .venv/bin/python benchmarks/intake.py --per-key       # also per-key precision/recall
    .venv/bin/python benchmarks/intake.py --vignettes FILE

Speed: sentences per second over the test corpus after the pipeline is built (the
build itself, about a second, is timed apart). Accuracy: per-key precision/recall
against the corpus (every finding listed) and against the development vignettes'
structured findings (which list only some findings, so unlisted extractions are not
counted as errors there); red-flag keys extracted with the opposite value are listed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from spinecare.adapters.intake import extract_findings
from spinecare.adapters.intake.evaluation import Score
from spinecare.adapters.intake.lexicon import load_lexicon
from spinecare.adapters.intake.pipeline import get_nlp

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "intake_corpus.jsonl"
STORIES = ROOT / "tests" / "data" / "intake_stories.jsonl"
# Red-flag batches written before the lexicon was tuned on them (docs/intake.md).
HELD_OUT = sorted((ROOT / "tests" / "data").glob("intake_heldout_redflags*.jsonl"))
VIGNETTES = ROOT.parent / "shared" / "eval" / "dev_vignettes.jsonl"


def _load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _report(title: str, score: Score, per_key: bool) -> None:
    t = score.total()
    print(f"\n{title}: precision {t.precision:.3f}, recall {t.recall:.3f} "
          f"(tp {t.tp}, fp {t.fp}, fn {t.fn})")
    print(f"  red-flag keys extracted with the opposite value: {len(score.red_flag_opposite)}")
    for item in score.red_flag_opposite:
        print("   ", item)
    print(f"  red flags present but not extracted (left for the interview): "
          f"{len(score.red_flag_missed_true)}")
    for item in score.red_flag_missed_true:
        print("   ", item)
    if per_key:
        print(f"  {'key':40s} {'P':>6s} {'R':>6s}  tp fp fn")
        for key, s in sorted(score.per_key.items()):
            print(f"  {key:40s} {s.precision:6.2f} {s.recall:6.2f}  {s.tp:2d} {s.fp:2d} {s.fn:2d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vignettes", type=Path, default=VIGNETTES)
    parser.add_argument("--per-key", action="store_true")
    parser.add_argument("--show", action="store_true", help="print each vignette's differences")
    args = parser.parse_args()

    t0 = time.perf_counter()
    get_nlp()
    print(f"pipeline build: {time.perf_counter() - t0:.2f} s")

    corpus = _load(CORPUS)
    texts = [c["text"] for c in corpus]
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        for text in texts:
            extract_findings(text)
        runs.append(time.perf_counter() - t0)
    best = min(runs)
    print(f"throughput: {len(texts) / best:.0f} sentences/s (best of 5 runs over {len(texts)} "
          f"corpus sentences; median {len(texts) / statistics.median(runs):.0f}/s)")

    red = load_lexicon().red_flag_keys
    score = Score()
    for case in corpus:
        score.add(case["text"][:60], case["findings"], extract_findings(case["text"]).findings, red)
    _report(f"corpus ({len(corpus)} sentences)", score, args.per_key)

    stories = _load(STORIES)
    score = Score()
    for story in stories:
        score.add(story["id"], story["findings"], extract_findings(story["text"]).findings, red,
                  strict_extra=False)
    _report(f"stories ({len(stories)}, unlisted findings not counted)", score, False)

    for path in HELD_OUT:
        cases = _load(path)
        score = Score()
        for case in cases:
            score.add(case["id"], case["findings"], extract_findings(case["text"]).findings,
                      red)
        _report(f"{path.name} ({len(cases)} sentences, every finding listed)", score, False)

    if args.vignettes.exists():
        cases = _load(args.vignettes)
        score = Score()
        for case in cases:
            got = extract_findings(case["free_text"]).findings
            expected = case["findings"]
            score.add(case["id"], expected, got, red, strict_extra=False)
            if args.show:
                wrong = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
                extra = {k: v for k, v in got.items() if k not in expected}
                print(case["id"], "WRONG/MISSING", wrong, "EXTRA", extra)
        _report(f"dev vignettes ({len(cases)} free_text stories)", score, args.per_key)


if __name__ == "__main__":
    main()
