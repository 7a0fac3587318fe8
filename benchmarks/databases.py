"""Scratch databases for the benchmarks: a SQLite file in a temp folder, or a schema of its own
on PostgreSQL (`BENCH_POSTGRES_URL`, default `postgresql://postgres@127.0.0.1:5432/test`),
removed afterwards."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from saleor_proactive.store.db import scratch_schema

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)


@contextmanager
def sqlite_database(prefix: str = "bench-") -> Iterator[str]:
    folder = tempfile.mkdtemp(prefix=prefix)
    try:
        yield f"sqlite:///{folder}/bench.db"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def postgres_database(base: str | None = None) -> AbstractContextManager[str]:
    """A URL whose connections work in a new schema of `base` (default: `postgres_url()`)."""
    return scratch_schema(base or postgres_url(), "bench")
