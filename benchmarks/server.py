"""The server the HTTP benchmarks measure: the shipped `saleor-proactive serve`, nothing tuned.

It is started as an operator would start it, waited for until every worker answers (a worker
still importing the app would otherwise add its start-up to the first requests' latency), and
its CPU time is read from /proc, so figures do not depend on what the load generator costs.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import requests

SECRET = "benchmark-secret-benchmark-secret-benchmark"
CLI = str(Path(sys.executable).with_name("saleor-proactive"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve(
    database_url: str,
    workers: int,
    worker_class: str | None = None,
    threads: int | None = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`saleor-proactive serve` on a free port of 127.0.0.1 (`serve`'s own worker class unless
    one is given); yields (base URL, master process)."""
    port = free_port()
    options = ["--worker-class", worker_class] if worker_class else []
    options += ["--threads", str(threads)] if threads else []
    # No queue worker: its jobs would reach for the seeded shops' made-up Saleor addresses (not
    # 127.0.0.1) and add their own load to what is measured.
    options += ["--no-worker"]
    process = subprocess.Popen(
        [CLI, "serve", "--port", str(port), "--workers", str(workers), *options],
        env={
            **os.environ,
            "PROACTIVE_DATABASE_URL": database_url,
            "PROACTIVE_SECRET_KEY": SECRET,
            "PROACTIVE_LOG_LEVEL": "WARNING",
            **(env or {}),
        },
        stdout=subprocess.DEVNULL,  # the access log: written, as in production, but not shown
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_workers(base, process, workers)
        yield base, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_workers(base: str, process: subprocess.Popen[bytes], workers: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"saleor-proactive serve exited with {process.returncode}")
        booted = len(_children(process.pid)) >= workers
        try:
            if booted and requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or a worker still importing
            pass
        time.sleep(0.1)
    raise RuntimeError("saleor-proactive serve did not answer within 60 s")


def _children(pid: int) -> list[list[str]]:
    """The /proc stat fields of `pid`'s child processes."""
    return [fields for _, fields in _processes() if int(fields[1]) == pid]  # ppid


def workers_cpu_seconds(master_pid: int) -> float:
    """User + system CPU of the server's workers so far (Linux /proc)."""
    return sum(_cpu_seconds(fields) for fields in _children(master_pid))


def postgres_cpu_seconds() -> float:
    """User + system CPU of this machine's PostgreSQL processes so far (Linux /proc).

    A backend that exits between two readings takes its CPU with it: the server keeps its
    pooled connections open, so only the rare overflow connection is missed."""
    return sum(_cpu_seconds(fields) for name, fields in _processes() if name.startswith("postgres"))


def _processes() -> Iterator[tuple[str, list[str]]]:
    """(command name, the stat fields after it) of every process running (Linux /proc)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # exited meanwhile
        name, _, rest = stat.partition(" (")[2].rpartition(") ")
        yield name, rest.split()


def _cpu_seconds(fields: list[str]) -> float:
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def workers_rss_bytes(master_pid: int) -> int:
    """Resident memory of the server's workers now (Linux /proc)."""
    page = os.sysconf("SC_PAGE_SIZE")
    return sum(int(fields[21]) * page for fields in _children(master_pid))  # rss, in pages
