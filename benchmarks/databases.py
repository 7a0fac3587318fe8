"""Scratch databases for the benchmarks: a SQLite file in a temp folder, or a schema of its own
on PostgreSQL (`BENCH_POSTGRES_URL`, default `postgresql://postgres@127.0.0.1:5432/test`),
removed afterwards."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from saleor_proactive.store.db import normalise_url

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


@contextmanager
def postgres_database(base: str | None = None) -> Iterator[str]:
    """A URL whose connections work in a new schema of `base` (default: `postgres_url()`)."""
    base = normalise_url(base or postgres_url())
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
