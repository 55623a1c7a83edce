"""Load test of `majlis serve` on the seeds' graph, on this machine only (127.0.0.1).

Builds the seeds' graph into a temporary folder (or takes --graph), starts `majlis serve` on a free
port, sends --requests requests over --threads threads (each thread keeps one connection open),
a fixed mix of named queries and SPARQL in every results format, then stops the server. Prints
latency percentiles, requests per second and the error count, overall and per kind of request,
for each of --rounds rounds: the first meets a cold server (the shipped queries not yet parsed by
the workers, no named-query answer kept yet), the next ones a warm one.

    .venv/bin/python bench/bench_serve.py [--requests 400] [--threads 16] [--rounds 2]
                                          [--mix all|named|sparql] [--workers N] [--graph FILE]

A script, not a test: it prints figures and asserts nothing about time.
"""
from __future__ import annotations

import argparse
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]

PERSONS = "SELECT ?p ?name WHERE { ?p a schema:Person ; schema:name ?name } ORDER BY ?name"
MEETINGS = ("SELECT ?m ?date (COUNT(?p) AS ?n) WHERE { ?m a mj:Meeting ; schema:attendee ?p "
            "OPTIONAL { ?m schema:startDate ?date } } GROUP BY ?m ?date ORDER BY ?date")
# (kind, method, path, arguments, Accept): the mix, cycled through in this order.
MIX = [
    ("named who-met-whom", "GET", "queries/who-met-whom", {}, None),
    ("named meetings-of", "GET", "queries/meetings-of", {"person": "حموشي"}, None),
    ("named persons csv", "GET", "queries/persons", {}, "text/csv"),
    ("named timeline", "GET", "queries/timeline", {}, None),
    ("sparql GET json", "GET", "sparql", {"query": PERSONS}, "application/sparql-results+json"),
    ("sparql POST xml", "POST", "sparql", {"query": MEETINGS}, "application/sparql-results+xml"),
    ("sparql GET csv", "GET", "sparql", {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 500"}, "text/csv"),
    ("sparql POST tsv", "POST", "sparql", {"query": PERSONS}, "text/tab-separated-values"),
    ("sparql ASK", "GET", "sparql", {"query": "ASK { ?m a mj:Meeting }"}, None),
    ("sparql CONSTRUCT", "POST", "sparql",
     {"query": "CONSTRUCT { ?p schema:name ?n } WHERE { ?p a schema:Person ; schema:name ?n }"}, "text/turtle"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2, help="rounds of --requests requests (default: 2)")
    parser.add_argument("--mix", choices=("all", "named", "sparql"), default="all",
                        help="send every kind of request, or only named queries, or only SPARQL")
    parser.add_argument("--workers", type=int, default=None, help="query processes (default: the server's)")
    parser.add_argument("--graph", type=Path, help="serve this graph file instead of building the seeds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="majlis-bench-serve-") as folder:
        graph = args.graph or _build_seeds(Path(folder) / "graph.ttl")
        command = [sys.executable, "-m", "majlis.cli", "serve", "-g", str(graph), "--host", "127.0.0.1",
                   "--port", "0", "--quiet"] + (["--workers", str(args.workers)] if args.workers else [])
        server = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            started = time.monotonic()
            url = _wait_for_url(server)
            print(f"server ready in {time.monotonic() - started:.1f} s at {url}")
            kinds = [item for item in MIX if args.mix == "all" or item[0].startswith(args.mix)]
            for number in range(1, args.rounds + 1):
                print(f"round {number} ({'cold' if number == 1 else 'warm'}):")
                _load(url, kinds, args.requests, args.threads)
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    return 0


def _build_seeds(path: Path) -> Path:
    subprocess.run([sys.executable, "-m", "majlis.cli", "build", "seeds", "-o", str(path), "--quiet"],
                   cwd=ROOT, check=True)
    return path


def _wait_for_url(server: subprocess.Popen) -> str:
    for line in server.stderr:
        match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if match:
            threading.Thread(target=server.stderr.read, daemon=True).start()  # keep the pipe drained
            return match.group(1)
        sys.stderr.write(line)
    raise SystemExit(f"the server stopped before it listened (exit code {server.wait()})")


def _load(url: str, kinds: list[tuple], total: int, threads: int) -> None:
    local = threading.local()
    mix = [kinds[i % len(kinds)] for i in range(total)]

    def one(item) -> tuple[str, float, int]:
        kind, method, path, arguments, accept = item
        if not hasattr(local, "session"):
            local.session = requests.Session()  # one keep-alive connection per thread
        session = local.session
        headers = {"Accept": accept} if accept else {}
        started = time.perf_counter()
        try:
            if method == "GET":
                response = session.get(url + path, params=arguments, headers=headers, timeout=60)
            else:
                response = session.post(url + path, data=arguments, headers=headers, timeout=60)
            status = response.status_code
        except requests.RequestException:
            status = 0
        return kind, time.perf_counter() - started, status

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(one, mix))
    elapsed = time.perf_counter() - started

    latencies = sorted(seconds for _, seconds, _ in results)
    statuses = Counter(status for _, _, status in results)
    errors = sum(n for status, n in statuses.items() if status != 200)
    print(f"{total} requests over {threads} threads in {elapsed:.2f} s: {total / elapsed:.0f} requests/s, "
          f"{errors} errors, statuses {dict(sorted(statuses.items()))}")
    print("latency ms: " + ", ".join(f"{name} {_ms(latencies, q)}" for name, q in
                                     [("p50", 0.50), ("p95", 0.95), ("p99", 0.99), ("max", 1.0)]))
    by_kind = defaultdict(list)
    for kind, seconds, _ in results:
        by_kind[kind].append(seconds)
    width = max(map(len, by_kind))
    for kind, seconds in by_kind.items():
        seconds.sort()
        print(f"  {kind:<{width}}  n={len(seconds):<4} p50 {_ms(seconds, 0.5):>7}  p95 {_ms(seconds, 0.95):>7}  "
              f"max {_ms(seconds, 1.0):>7}")


def _ms(sorted_seconds: list[float], quantile: float) -> str:
    index = min(len(sorted_seconds) - 1, max(0, round(quantile * len(sorted_seconds)) - 1))
    return f"{sorted_seconds[index] * 1000:.1f}"


if __name__ == "__main__":
    sys.exit(main())
