"""Requests per second and latency of `POST /storefront/v1/events` under `saleor-proactive serve`.

Run: `.venv/bin/python -m benchmarks.visitor_api [--seconds 10] [--rounds 3] [--db both]
[--workers 2] [--worker-class gevent|gthread|sync] [--threads T] [--connections 4]`
(targets: at least 1,000 requests/s, p99 under 25 ms).

For SQLite (a temp file) and then PostgreSQL (`BENCH_POSTGRES_URL`, default
`postgresql://postgres@127.0.0.1:5432/test`, in a schema of its own that is dropped afterwards) it
seeds one installation with the default triggers, two channels, a free-shipping threshold,
products and checkouts directly in the database, starts the shipped server on 127.0.0.1 and
drives it with wrk, a load generator in C, from a second process. The mix
(`visitor_api_mix.lua`) is what browsers send: page views, product views, `cart_updated` for
checkouts whose webhook already arrived (no Saleor query), exit intent, and action events for
the actions the server issued. A warm-up run comes first and is not counted.

The machine is shared and its speed moves within minutes, so each database gets several rounds,
each printed with the reference loop timed just before it (`machine.py`), then their median.

wrk corrects for coordinated omission: a stalled request also counts the requests it kept from
being sent, so its p99 is an honest one. The server's own CPU time per request is printed too;
it does not depend on the load generator or on what else the machine is doing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks.databases import postgres_database, sqlite_database
from benchmarks.machine import machine_line, reference_loop_microseconds
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


@dataclass(frozen=True)
class Round:
    load: LoadResult
    server_ms: float  # the workers' CPU per request
    database_ms: float | None  # PostgreSQL's CPU per request
    reference_us: float  # the machine's speed just before the round

    def __str__(self) -> str:
        line = f"{self.load}\n{'':>12}server CPU {self.server_ms:.2f} ms/request"
        if self.database_ms is not None:
            line += f", PostgreSQL CPU {self.database_ms:.2f} ms/request"
        return f"{line}; reference loop {self.reference_us:.1f} µs"


def bench(name: str, url: str, args: argparse.Namespace) -> None:
    migrate.upgrade(url)
    seed(url, fresh_until_seconds=(args.seconds * args.rounds + WARM_UP_SECONDS) * 4 + 120)
    on_postgres = url.startswith("postgresql")
    rounds: list[Round] = []
    print(f"{name}:")
    with serve(url, args.workers, args.worker_class, args.threads, env=UNLIMITED) as (base, server):
        run_wrk(base, args.connections, WARM_UP_SECONDS)
        for number in range(1, args.rounds + 1):
            reference = reference_loop_microseconds()
            cpu_before, database_before = workers_cpu_seconds(server.pid), postgres_cpu_seconds()
            load = run_wrk(base, args.connections, args.seconds)
            cpu = workers_cpu_seconds(server.pid) - cpu_before
            database_cpu = postgres_cpu_seconds() - database_before
            to_ms_per_request = 1000 / max(load.requests, 1)  # seconds in all -> ms each
            rounds.append(
                Round(
                    load,
                    cpu * to_ms_per_request,
                    database_cpu * to_ms_per_request if on_postgres else None,
                    reference,
                )
            )
            print(f"  round {number}: {rounds[-1]}")
    _summary(rounds)


def _summary(rounds: list[Round]) -> None:
    rates = [r.load.requests / r.load.seconds for r in rounds]
    p99s = [r.load.p99_ms for r in rounds]
    server_ms = statistics.median(r.server_ms for r in rounds)
    print(
        f"  median of {len(rounds)}: {statistics.median(rates):,.0f} req/s "
        f"(rounds {min(rates):,.0f}-{max(rates):,.0f}), p99 {statistics.median(p99s):.1f} ms "
        f"(worst {max(p99s):.1f} ms), server CPU {server_ms:.2f} ms/request: about "
        f"{1000 / server_ms:,.0f} req/s per free core"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per round")
    parser.add_argument("--rounds", type=int, default=3, help="measured runs per database")
    parser.add_argument("--workers", type=int, default=2, help="serve --workers")
    parser.add_argument(
        "--worker-class", choices=("gevent", "gthread", "sync"), help="serve's default unless given"
    )
    parser.add_argument("--threads", type=int, help="serve --threads (gthread)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent clients")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    if args.rounds < 1 or args.seconds <= 0:
        parser.error("--rounds must be at least 1 and --seconds positive")
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk (make benchmark installs it when it can)")
    print(
        f"POST /storefront/v1/events, saleor-proactive serve --workers {args.workers} "
        f"--worker-class {args.worker_class or 'gthread on SQLite, gevent on PostgreSQL'}"
        f"{f' --threads {args.threads}' if args.threads else ''}, "
        f"{args.connections} wrk connections, {args.rounds} x "
        f"{args.seconds:g} s per database on {os.cpu_count()} cores; {machine_line()}"
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
