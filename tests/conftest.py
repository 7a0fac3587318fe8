"""Shared fixtures. Area fixtures live in tests/fixtures/*.py and are loaded as plugins."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from saleor_proactive.app import create_app
from saleor_proactive.config import Settings
from saleor_proactive.store import migrate
from saleor_proactive.store.db import Database, scratch_schema
from saleor_proactive.store.models import Base

pytest_plugins = [
    f"tests.fixtures.{path.stem}"
    for path in sorted((Path(__file__).parent / "fixtures").glob("*.py"))
    if path.stem != "__init__"
]

TEST_SECRET = "test-secret-key-not-for-production"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLite in a temp dir, or PostgreSQL when PROACTIVE_TEST_DATABASE_URL is set.

    On PostgreSQL each test session gets its own schema, so parallel runs do not collide.
    """
    external = os.environ.get("PROACTIVE_TEST_DATABASE_URL")
    if not external:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'proactive.db'}"
        return
    with scratch_schema(external, "test") as url:
        yield url


@pytest.fixture(scope="session")
def migrated_database_url(database_url: str) -> str:
    migrate.upgrade(database_url)
    return database_url


@pytest.fixture
def settings(migrated_database_url: str) -> Settings:
    return Settings(
        database_url=migrated_database_url,
        secret_key=TEST_SECRET,
        allowed_saleor_urls=("http://127.0.0.1:*", "https://*"),
    )


@pytest.fixture
def database(migrated_database_url: str) -> Iterator[Database]:
    """A database emptied after each test, so tests see only their own rows."""
    database = Database(migrated_database_url)
    yield database
    with database.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    database.dispose()


@pytest.fixture
def app(settings: Settings, database: Database) -> Iterator[Flask]:
    app = create_app(settings)
    app.config["TESTING"] = True
    yield app
    from saleor_proactive.store.db import get_database

    get_database(app).dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
