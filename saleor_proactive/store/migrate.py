"""Programmatic Alembic: `saleor-proactive db upgrade`, start-up upgrades and the model check."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from .db import make_engine, normalise_url
from .models import Base

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, engine: Engine | None = None) -> None:
    """Bring the database to the newest revision (idempotent)."""
    config = alembic_config(url)
    if engine is None:
        command.upgrade(config, "head")
        return
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def pending_model_changes(engine: Engine) -> list[object]:
    """Differences between the models and the migrated schema (empty when in step)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        return list(compare_metadata(context, Base.metadata))


def regenerate_initial_revision(scratch_sqlite_path: Path) -> None:
    """Developer tool: rewrite the initial revision from the models.

    Used while the project has no released schema; once it has, add revisions instead.
    """
    versions = MIGRATIONS_DIR / "versions"
    for old in versions.glob("0001_*.py"):
        old.unlink()
    url = f"sqlite:///{scratch_sqlite_path}"
    config = alembic_config(url)
    engine = make_engine(url)
    engine.dispose()
    command.revision(config, message="initial schema", autogenerate=True, rev_id="0001")
