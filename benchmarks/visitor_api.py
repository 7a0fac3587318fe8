"""Requests per second and latency of `POST /storefront/v1/events` under `saleor-proactive serve`.

Run: `.venv/bin/python -m benchmarks.visitor_api [--seconds 15] [--db both] [--workers 2]
[--threads 1] [--connections 4]` (targets: at least 1,000 requests/s, p99 under 25 ms).

For SQLite (a temp file) and then PostgreSQL (`BENCH_POSTGRES_URL`, default
`postgresql://postgres@127.0.0.1:5432/test`, in a schema of its own that is dropped afterwards) it
seeds one installation with the default triggers, two channels, a free-shipping threshold,
products and checkouts directly in the database, starts the shipped server on 127.0.0.1 and
drives it with wrk, a load generator in C, from a second process. The mix
(`visitor_api_mix.lua`) is what browsers send: page views, product views, `cart_updated` for
checkouts whose webhook already arrived (no Saleor query), exit intent, and action events for
the actions the server issued. A warm-up run comes first and is not counted.

wrk corrects for coordinated omission: a stalled request also counts the requests it kept from
being sent, so its p99 is an honest one. The server's own CPU time per request is printed too;
it does not depend on the load generator or on what else the machine is doing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks.databases import postgres_database, sqlite_database
from benchmarks.machine import machine_line
from benchmarks.server import postgres_cpu_seconds, serve, workers_cpu_seconds
from benchmarks.visitor_api_seed import seed
from saleor_proactive.store import migrate

MIX = Path(__file__).with_name("visitor_api_mix.lua")
WARM_UP_SECONDS = 3
# The load generator must not be what limits the figures.
UNLIMITED = {
    "PROACTIVE_RATE_LIMIT_VISITOR": "100000/minute",
    "PROACTIVE_RATE_LIMIT_ADDRESS": "10000000/minute",
}


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    socket_errors: int
    non_200: int

    def __str__(self) -> str:
        return (
            f"{self.requests} requests in {self.seconds:.1f} s = "
            f"{self.requests / self.seconds:,.0f} req/s, p50 {self.p50_ms:.1f} ms, "
            f"p99 {self.p99_ms:.1f} ms, non-200: {self.non_200}, socket errors: "
            f"{self.socket_errors}"
        )


def run_wrk(base: str, connections: int, seconds: float) -> LoadResult:
    """One wrk run: a thread per connection, so each connection's visitors stay its own."""
    output = subprocess.run(
        [
            *("wrk", "-t", str(connections), "-c", str(connections), "-d", f"{seconds:g}s"),
            *("--timeout", "5s", "-s", str(MIX), base),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(row for row in output.splitlines() if row.startswith("WRK "))
    count, duration, p50, p99, socket_errors, non_200, timeouts, _ = line.split()[1:]
    return LoadResult(
        requests=int(count),
        seconds=float(duration),
        p50_ms=float(p50),
        p99_ms=float(p99),
        socket_errors=int(socket_errors) + int(timeouts),
        non_200=int(non_200),
    )


def bench(name: str, url: str, args: argparse.Namespace) -> None:
    migrate.upgrade(url)
    seed(url, fresh_until_seconds=args.seconds * 4 + 120)
    with serve(url, args.workers, args.threads, env=UNLIMITED) as (base, server):
        run_wrk(base, args.connections, WARM_UP_SECONDS)
        cpu_before, database_before = workers_cpu_seconds(server.pid), postgres_cpu_seconds()
        result = run_wrk(base, args.connections, args.seconds)
        cpu = workers_cpu_seconds(server.pid) - cpu_before
        database_cpu = postgres_cpu_seconds() - database_before
    print(f"{name:>10}: {result}")
    if result.requests:
        per_request = cpu / result.requests * 1000
        print(
            f"{'':>10}  server CPU {per_request:.2f} ms/request (all workers): "
            f"about {1000 / per_request:,.0f} req/s per free core"
        )
        if url.startswith("postgresql"):
            database_ms = database_cpu / result.requests * 1000
            print(f"{'':>10}  PostgreSQL CPU {database_ms:.2f} ms/request")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=2, help="serve --workers")
    parser.add_argument("--threads", type=int, default=1, help="serve --threads")
    parser.add_argument("--connections", type=int, default=4, help="concurrent clients")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk (make benchmark installs it when it can)")
    print(
        f"POST /storefront/v1/events, saleor-proactive serve --workers {args.workers} "
        f"--threads {args.threads}, {args.connections} wrk connections, {args.seconds:g} s "
        f"per database on {os.cpu_count()} cores; {machine_line()}"
    )
    if args.db in ("sqlite", "both"):
        with sqlite_database("bench-visitor-api-") as url:
            bench("SQLite", url, args)
    if args.db in ("postgresql", "both"):
        with postgres_database() as url:
            bench("PostgreSQL", url, args)
    print("targets: >= 1,000 req/s, p99 < 25 ms")


if __name__ == "__main__":
    main()
