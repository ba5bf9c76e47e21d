"""Questionnaire scoring and FHIR export: throughput, run on demand.

    .venv/bin/python benchmarks/instruments.py
    .venv/bin/python benchmarks/instruments.py --repeat 5000

Prints scorings per second for each instrument (validation included), change
computations per second, and the time to build and check a FHIR Bundle with one
administration of every instrument.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

from spinecare.adapters.fhir import Administration, Person, bundle_for_person, code_problems
from spinecare.services.instruments import InstrumentService

ANSWERS = {
    "odi": [2, 2, 2, 2, 2, 2, 1, 1, 2, None],
    "ndi": [2, 1, 2, 2, 3, 2, 2, 2, 2, 2],
    "rmdq": [1] * 8 + [0] * 15 + [None],
    "zcq": [2, 2, 3, 3, 2, 1, 3, 2, 2, 3, 1, 2, 1, 2, 2, 1, 1, 2],
    "startback": [0, 0, 0, 0, 1, 1, 1, 1, 3],
    "mjoa": [4, 5, 2, 3],
    "nrs": [7, 4, None, None],
}


def _rate(fn, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return repeat / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    instruments = InstrumentService()
    score, score_change = instruments.score, instruments.change
    definitions = instruments.shipped  # load the YAML once, outside the timing
    print(f"{'instrument':<10} {'scorings/s':>12}")
    for iid, answers in ANSWERS.items():
        print(f"{iid:<10} {_rate(lambda i=iid, a=answers: score(i, a), args.repeat):>12,.0f}")
    rate = _rate(lambda: score_change("odi", 50, 38), args.repeat)
    print(f"{'change':<10} {rate:>12,.0f}")
    when = datetime(2026, 1, 1, tzinfo=UTC)
    adms = [Administration(i, a, when) for i, a in ANSWERS.items()]
    runs = max(10, args.repeat // 100)
    start = time.perf_counter()
    for _ in range(runs):
        bundle = bundle_for_person(Person("bench"), adms, definitions)
        assert not code_problems(bundle)
    ms = (time.perf_counter() - start) / runs * 1000
    print(f"FHIR Bundle (7 administrations, {len(bundle['entry'])} entries): {ms:.2f} ms each")


if __name__ == "__main__":
    main()
