"""CLI start-up: each command's cold and warm wall time, and its ratio to ``spinecare --help``.

Usage:
    .venv/bin/python benchmarks/cli.py                 # table
    .venv/bin/python benchmarks/cli.py --json          # one JSON object
    .venv/bin/python benchmarks/cli.py --repeat 9 --only search check
    .venv/bin/python benchmarks/cli.py --src /tmp/before/src   # another checkout, same venv

Method: every command runs as a real process (``.venv/bin/spinecare ...``, or
``python -m spinecare`` with ``--module``), non-interactively, with stdin from
/dev/null and its output thrown away; the wall time includes the interpreter start.
Each command gets its own fresh, empty artefact cache (``SPINECARE_CACHE_DIR`` in a
temporary directory) and data directory:

* **cold**: the first run, with the cache just removed, so it builds (and stores) the
  search index, the intake pipeline and its regular expressions if it needs them;
* **warm**: the median of ``--repeat`` runs after that, reading the cache.

The ratio is warm time ÷ the warm time of ``spinecare --help`` (the target, issue 10:
every command <= 2x). Python's own bytecode caches (``__pycache__``) and the OS page
cache are warm in both cases: the first cold run after an install is slower still.
A run that exits with a non-zero code is an error, not a time.

Each run's CPU time (user + system, of the child process) is reported too: on a busy
shared machine the wall time also measures the wait for a free core, the CPU time does
not, so its ratio is the steadier figure when the load average is high.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / ".venv" / "bin" / "spinecare"
TARGET_RATIO = 2.0

# name -> arguments after ``spinecare``. Each one runs without a prompt.
COMMANDS: dict[str, list[str]] = {
    "help": ["--help"],
    "search": ["search", "walking makes my legs ache"],
    "check --text": ["check", "--text", "my legs ache when I walk and get better when I sit",
                     "--age", "68", "--sex", "male", "--json"],
    "score odi": ["score", "odi", "--answers", "[1, 2, 1, 0, 2, 1, 1, 0, 1, 2]"],
    "decide --list-signs": ["decide", "--list-signs"],
    "rules --markdown": ["rules", "--markdown"],
    "articles list": ["articles", "list"],
    "instruments list": ["instruments", "list"],
}


def command_line(args: Sequence[str], module: bool) -> list[str]:
    if module or not SCRIPT.exists():
        return [sys.executable, "-m", "spinecare", *args]
    return [str(SCRIPT), *args]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: Sequence[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run."""
    cpu_before = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise SystemExit(f"{' '.join(argv[1:])!r} exited with {done.returncode}: "
                         + " | ".join(tail))
    return elapsed, _children_cpu() - cpu_before


def measure(name: str, args: Sequence[str], repeat: int, module: bool,
            src: Path | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="spinecare-bench-") as tmp:
        root = Path(tmp)
        cache, data = root / "cache", root / "data"
        env = {**os.environ, "SPINECARE_CACHE_DIR": str(cache), "SPINECARE_DATA_DIR": str(data),
               "NO_COLOR": "1", "COLUMNS": "100"}
        env.pop("SPINECARE_DATABASE_URL", None)
        if src is not None:  # that tree's package first on the path (python -m spinecare)
            env["PYTHONPATH"] = str(src)
        argv = command_line(args, module)
        shutil.rmtree(cache, ignore_errors=True)
        cold, cold_cpu = run_once(argv, env, root)
        runs = [run_once(argv, env, root) for _ in range(repeat)]
    warm = [wall for wall, _ in runs]
    warm_cpu = [cpu for _, cpu in runs]
    return {"command": name, "argv": list(args), "cold_s": round(cold, 3),
            "warm_s": round(statistics.median(warm), 3), "warm_min_s": round(min(warm), 3),
            "cold_cpu_s": round(cold_cpu, 3), "warm_cpu_s": round(statistics.median(warm_cpu), 3),
            "runs": repeat}


def run(repeat: int, only: Sequence[str], module: bool,
        src: Path | None = None) -> dict[str, Any]:
    module = module or src is not None
    names = ["help", *(n for n in COMMANDS if n != "help" and (not only or any(
        n.startswith(o) for o in only)))]
    rows = [measure(n, COMMANDS[n], repeat, module, src) for n in names]
    help_row = rows[0]
    for row in rows:
        row["warm_ratio"] = round(row["warm_s"] / help_row["warm_s"], 2)
        row["cold_ratio"] = round(row["cold_s"] / help_row["cold_s"], 2)
        row["warm_cpu_ratio"] = round(row["warm_cpu_s"] / help_row["warm_cpu_s"], 2)
    return {
        "commands": rows,
        "worst_warm_ratio": max(r["warm_ratio"] for r in rows),
        "worst_warm_cpu_ratio": max(r["warm_cpu_ratio"] for r in rows),
        "target_ratio": TARGET_RATIO,
        "runner": ("python -m spinecare" if module or not SCRIPT.exists() else str(SCRIPT))
        + (f" (PYTHONPATH={src})" if src is not None else ""),
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def summary(r: dict[str, Any]) -> str:
    lines = [
        "spinecare CLI start-up (wall time of a real process; warm = median of "
        f"{r['commands'][0]['runs']} runs)",
        f"  {r['runner']} · Python {r['python']} {r['machine']} · {r['cpus']} CPUs · "
        f"load average {r['load_average_1min']}",
        "",
        f"  {'command':<22}{'cold s':>8}{'warm s':>8}{'warm / --help':>15}"
        f"{'warm CPU s':>12}{'CPU / --help':>14}",
    ]
    for row in r["commands"]:
        flag = "" if row["warm_ratio"] <= r["target_ratio"] else "  > target"
        lines.append(f"  {row['command']:<22}{row['cold_s']:>8.3f}{row['warm_s']:>8.3f}"
                     f"{row['warm_ratio']:>14.2f}x{row['warm_cpu_s']:>12.3f}"
                     f"{row['warm_cpu_ratio']:>13.2f}x{flag}")
    lines += ["", f"  worst warm ratio {r['worst_warm_ratio']:.2f}x wall, "
              f"{r['worst_warm_cpu_ratio']:.2f}x CPU (target <= {r['target_ratio']:.0f}x --help)"]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per command")
    parser.add_argument("--only", nargs="*", default=[], help="command names to run "
                        f"(prefixes of: {', '.join(COMMANDS)}); --help always runs")
    parser.add_argument("--module", action="store_true",
                        help="run `python -m spinecare` instead of the console script")
    parser.add_argument("--src", type=Path, default=None,
                        help="run the package from this source tree (e.g. an older checkout's "
                        "src/, for a before/after comparison on the same machine and load)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        print("--repeat must be at least 1", file=sys.stderr)
        return 2
    if args.src is not None and not (args.src / "spinecare" / "__init__.py").is_file():
        print(f"--src: no spinecare package in {args.src}", file=sys.stderr)
        return 2
    result = run(args.repeat, args.only, args.module, args.src)
    print(json.dumps(result, indent=2) if args.json else summary(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
