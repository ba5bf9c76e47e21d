"""Load benchmark: GET /api/v1/health and POST /api/v1/triage at 50 concurrent clients.

Starts ``spinecare serve`` (a real uvicorn process) on a fresh data directory, then drives
it from a separate load process (a small keep-alive HTTP/1.1 client on asyncio, so the
load generator costs little CPU next to the server). Prints requests/s for each endpoint,
their ratio, and p50/p99 latency.

    .venv/bin/python benchmarks/api_load.py                      # SQLite, 1 worker
    .venv/bin/python benchmarks/api_load.py --database-url postgresql://postgres@127.0.0.1/test
    .venv/bin/python benchmarks/api_load.py --workers 2 --duration 10 --json
    .venv/bin/python benchmarks/api_load.py --url http://127.0.0.1:8000   # a running server

Aim (issue 4): triage throughput ≥ 60 % of health's, p99 < 50 ms. A third row drives
triage as a signed-in patient, so every request also writes the check and an audit event:
that is the row where SQLite and PostgreSQL differ.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

SPINECARE = Path(sys.executable).with_name("spinecare")
TRIAGE_BODY = {
    "age": 71,
    "sex": "male",
    "findings": {
        "back_pain": True, "leg_pain": True, "leg_symptoms_bilateral": True,
        "leg_symptoms_walking": True, "relief_sitting_or_flexion": True,
        "shopping_cart_sign": True, "bladder_dysfunction": False, "saddle_anaesthesia": False,
        "fever": False, "history_of_cancer": False, "unexplained_weight_loss": False,
        "weakness_progressive": False, "duration_weeks": 30,
    },
}


# --- the load process ----------------------------------------------------------------------

def _request_bytes(method: str, host: str, path: str, body: bytes | None,
                   token: str = "") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


async def _client(host: str, port: int, request: bytes, stop_at: float, record_from: float,
                  latencies: list[float], errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while True:
            start = time.perf_counter()
            if start >= stop_at:
                return
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            if start >= record_from:
                latencies.append(time.perf_counter() - start)
                if status != 200:
                    errors.append(status)
    finally:
        writer.close()


async def _drive(url: str, method: str, path: str, body: bytes | None, clients: int,
                 warmup: float, duration: float, token: str = "") -> dict:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    request = _request_bytes(method, f"{host}:{port}", path, body, token)
    latencies: list[float] = []
    errors: list[int] = []
    begin = time.perf_counter()
    record_from, stop_at = begin + warmup, begin + warmup + duration
    await asyncio.gather(*(
        _client(host, port, request, stop_at, record_from, latencies, errors)
        for _ in range(clients)
    ))
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else 0.0

    return {
        "requests": len(ordered),
        "errors": len(errors),
        "requests_per_s": round(len(ordered) / duration, 1),
        "p50_ms": round(pct(0.50), 2),
        "p99_ms": round(pct(0.99), 2),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 2) if ordered else 0.0,
    }


def _load_process(url: str, method: str, path: str, body: bytes | None, clients: int,
                  warmup: float, duration: float, token: str,
                  out: multiprocessing.Queue) -> None:
    out.put(asyncio.run(_drive(url, method, path, body, clients, warmup, duration, token)))


def measure(url: str, method: str, path: str, body: bytes | None, clients: int,
            warmup: float, duration: float, token: str = "") -> dict:
    """Run the load in a separate process (never in the server's process)."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.Process(
        target=_load_process,
        args=(url, method, path, body, clients, warmup, duration, token, queue))
    process.start()
    result = queue.get(timeout=warmup + duration + 60)
    process.join()
    return result


# --- the server ------------------------------------------------------------------------------

def _process_tree_cpu_seconds(root_pid: int) -> float:
    """User + system CPU of a process and all its descendants (Linux /proc), so the
    per-request cost can be read without the noise of other load on the machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / ticks
    tree, frontier = {root_pid}, [root_pid]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    return sum(cpu.get(pid, 0.0) for pid in tree)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen | None) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            sys.exit(f"spinecare serve exited: {output}")
        try:
            with urllib.request.urlopen(f"{url}/api/v1/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{url} did not answer /api/v1/health within 60 s")


def start_server(data_dir: Path, database_url: str, workers: int,
                 stack: str = "auto") -> tuple[str, subprocess.Popen]:
    env = {**os.environ, "SPINECARE_DATA_DIR": str(data_dir), "SPINECARE_ACCESS_LOG": "0",
           "SPINECARE_LOG_LEVEL": "warning"}
    env.pop("SPINECARE_DATABASE_URL", None)
    if database_url:
        env["SPINECARE_DATABASE_URL"] = database_url
    upgrade = subprocess.run([str(SPINECARE), "db", "upgrade"], env=env, capture_output=True,
                             text=True)
    if upgrade.returncode != 0:
        sys.exit(f"spinecare db upgrade failed: {upgrade.stderr.strip()}")
    # Sign-up confirms the address by e-mail; the host creates the benchmark patient
    # directly, confirmed (AccountService.create), as the CLI and the demo do.
    created = subprocess.run([sys.executable, "-c", _CREATE_PATIENT], env=env,
                             capture_output=True, text=True)
    if created.returncode != 0:
        sys.exit(f"cannot create the benchmark patient: {created.stderr.strip()}")
    port = _free_port()
    http, loop = ("auto", "auto") if stack == "auto" else stack.split("+")
    process = subprocess.Popen(
        [str(SPINECARE), "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--http", http, "--loop", loop],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    _wait_healthy(url, process)
    return url, process


BENCH_EMAIL, BENCH_PASSWORD = "load-test@example.org", "violet kettle under the stairs"
_CREATE_PATIENT = f"""
from spinecare import bootstrap
from spinecare.services.errors import Conflict
services = bootstrap.bootstrap().services
try:
    services.accounts.create({BENCH_EMAIL!r}, {BENCH_PASSWORD!r}, "Load Test", "patient")
except Conflict:
    pass  # made by an earlier run
"""


def patient_token(url: str) -> str:
    """Log in the benchmark patient (made by ``start_server``; with ``--url``, create a
    confirmed patient with these credentials on that server first): checks are saved."""
    account = {"email": BENCH_EMAIL, "password": BENCH_PASSWORD}

    def post(path: str, data: dict) -> tuple[int, dict]:
        request = urllib.request.Request(
            f"{url}{path}", data=json.dumps(data).encode(), method="POST",
            headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, {}

    status, body = post("/api/v1/auth/login", account)
    if status != 200:
        sys.exit(f"cannot log in the benchmark patient {BENCH_EMAIL} (HTTP {status})")
    return body["access_token"]


def _server_stack() -> str:
    """What uvicorn's "auto" picks here: httptools and uvloop when installed (much faster)."""
    import importlib.util

    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return f"{http}+{loop}"


def _pg_schema(url: str, create: bool, name: str) -> str:
    """A throwaway schema so the benchmark never touches the database's own tables."""
    from sqlalchemy import create_engine, text

    from spinecare.adapters.storage.database import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        verb = f'CREATE SCHEMA "{name}"' if create else f'DROP SCHEMA IF EXISTS "{name}" CASCADE'
        conn.execute(text(verb))
    engine.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds measured per endpoint")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (1)")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--url", default="", help="benchmark a running server instead")
    parser.add_argument("--stack", default="auto",
                        choices=["auto", "h11+asyncio", "httptools+uvloop"],
                        help="uvicorn HTTP parser + event loop (auto: the fastest installed)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()

    process = None
    data_dir = None
    if args.url:
        url = args.url.rstrip("/")
        _wait_healthy(url, None)
    schema = ""
    if not args.url:
        data_dir = Path(tempfile.mkdtemp(prefix="spinecare-bench-"))
        database_url = args.database_url
        if database_url.startswith("postgres"):
            schema = f"spinecare_bench_{os.getpid()}"
            database_url = _pg_schema(args.database_url, True, schema)
        try:
            url, process = start_server(data_dir, database_url, args.workers, args.stack)
        except BaseException:
            if schema:
                _pg_schema(args.database_url, False, schema)
            raise
    try:
        body = json.dumps(TRIAGE_BODY).encode()
        token = patient_token(url)
        runs = {
            "health": ("GET", "/api/v1/health", None, ""),
            "triage": ("POST", "/api/v1/triage", body, ""),
            "triage_saved": ("POST", "/api/v1/triage", body, token),
        }
        results = {}
        for name, (method, path, payload, bearer) in runs.items():
            cpu_before = _process_tree_cpu_seconds(process.pid) if process else 0.0
            results[name] = measure(url, method, path, payload, args.clients, args.warmup,
                                    args.duration, token=bearer)
            if process is not None:
                # Warm-up requests are not counted, so this slightly overstates the cost.
                spent = _process_tree_cpu_seconds(process.pid) - cpu_before
                total = results[name]["requests"] * (args.warmup + args.duration) / args.duration
                results[name]["server_cpu_us_per_request"] = round(spent / total * 1e6, 1)
        health, triage, saved = results["health"], results["triage"], results["triage_saved"]
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=15)
        if data_dir is not None:
            shutil.rmtree(data_dir, ignore_errors=True)
        if schema:
            _pg_schema(args.database_url, False, schema)

    ratio = triage["requests_per_s"] / health["requests_per_s"] if health["requests_per_s"] else 0
    database = "external" if args.url else ("postgresql" if args.database_url else "sqlite")
    report = {
        "database": database, "workers": args.workers, "clients": args.clients,
        "duration_s": args.duration, "cpus": os.cpu_count(),
        "server_stack": _server_stack() if args.stack == "auto" else args.stack,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "health": health, "triage": triage, "triage_saved": saved,
        "triage_to_health_ratio": round(ratio, 3),
        "aims": {"ratio_at_least_0.6": ratio >= 0.6,
                 "triage_p99_below_50ms": triage["p99_ms"] < 50},
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"spinecare API load: {args.clients} clients, {args.duration:g} s each, "
          f"{args.workers} worker(s), database {database}, {os.cpu_count()} CPUs, "
          f"uvicorn {report['server_stack']}, load average {os.getloadavg()[0]:.1f}")
    print(f"{'endpoint':<22}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}"
          f"{'server CPU µs/req':>19}")
    rows = (("GET /api/v1/health", health), ("POST /api/v1/triage", triage),
            ("  signed in (saved)", saved))
    for name, row in rows:
        print(f"{name:<22}{row['requests_per_s']:>10.1f}{row['p50_ms']:>10.2f}"
              f"{row['p99_ms']:>10.2f}{row['errors']:>8}"
              f"{row.get('server_cpu_us_per_request', float('nan')):>19.1f}")
    print(f"triage / health throughput: {ratio:.2f}  (aim ≥ 0.60);  "
          f"triage p99 {triage['p99_ms']:.1f} ms (aim < 50 ms)")


if __name__ == "__main__":
    main()
