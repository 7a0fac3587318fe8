"""The `saleor-proactive` command: serve, worker, demo, purge, upgrade-webhooks, db upgrade."""

from __future__ import annotations

import subprocess
import sys

import click

from .config import ConfigError, configure_logging, settings_from_env
from .serving import GTHREAD_THREADS, WORKER_CLASSES, default_worker_class


@click.group()
def main() -> None:
    """Saleor Proactive: proactive chat prompts and free-shipping notices for Saleor."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to bind.")
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn workers.")
@click.option(
    "--worker-class",
    type=click.Choice(WORKER_CLASSES),
    help="gevent (the default on PostgreSQL): a connection costs a greenlet, so chat long polls "
    "wait by the thousand; gthread (the default on SQLite): --threads per worker; sync: one "
    "request at a time per worker. Without it, --threads alone picks sync (1) or gthread (more).",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    help="Threads per gthread worker [default: 32].",
)
@click.option(
    "--worker-connections",
    default=1000,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Connections a gevent worker serves at once (each waiting chat visitor holds one).",
)
@click.option(
    "--access-log",
    is_flag=True,
    help="Log every request to stdout (off by default: a proxy in front usually logs them, "
    "and a log line costs about 5 % of a visitor API request).",
)
@click.option(
    "--no-worker",
    is_flag=True,
    help="Do not start a queue worker beside the server (run `saleor-proactive worker` "
    "elsewhere instead).",
)
def serve(
    host: str,
    port: int,
    workers: int,
    worker_class: str | None,
    threads: int | None,
    worker_connections: int,
    access_log: bool,
    no_worker: bool,
) -> None:
    """Run the production server (gunicorn), after applying migrations, and one queue worker."""
    try:
        settings = settings_from_env()
        settings.require_secret_key()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    if worker_class is None and threads is not None:
        worker_class = "gthread" if threads > 1 else "sync"
    elif worker_class is None:
        worker_class = default_worker_class(settings.database_url)
    elif threads is not None and worker_class != "gthread":
        raise click.UsageError("--threads is for --worker-class gthread")
    configure_logging(settings.log_level)
    _upgrade_in_a_child_process()

    from .jobs.process import start_worker_process, stop_worker_process
    from .serving import ServerOptions, run_server

    options = ServerOptions(
        host=host,
        port=port,
        workers=workers,
        worker_class=worker_class,
        # gunicorn runs gthread for a sync worker given more than one thread
        threads=threads or (GTHREAD_THREADS if worker_class == "gthread" else 1),
        worker_connections=worker_connections,
        access_log=access_log,
    )
    # One queue worker per `serve`, not per gunicorn worker: a child process of its own, so
    # the server's forks never copy its threads.
    worker = None if no_worker else start_worker_process()
    try:
        run_server(settings, options)
    finally:
        if worker is not None:
            stop_worker_process(worker)


def _upgrade_in_a_child_process() -> None:
    """`db upgrade` in a child process: the server process imports neither the app nor its
    database drivers before it forks its workers (`serving.py` says why)."""
    command = [sys.executable, "-m", "saleor_proactive.cli", "db", "upgrade"]
    if subprocess.run(command, stdout=subprocess.DEVNULL).returncode != 0:
        raise click.ClickException("the database migrations failed (see above)")


@main.command()
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Tasks run at once (reminders wait on mail servers, so threads, not processes).",
)
def worker(threads: int) -> None:
    """Run the queue's worker (huey's consumer): reminders, the hourly analytics job, webhook
    upgrades. Start as many as you like, on as many machines as share PROACTIVE_QUEUE_URL."""
    try:
        settings = settings_from_env()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    configure_logging(settings.log_level)
    from .jobs.tasks import build_jobs
    from .store import migrate

    migrate.upgrade(settings.database_url)

    jobs = build_jobs(settings)
    jobs.schedule_first_upgrade()
    # Idle threads look at the queue at least every second, so Ctrl-C stops them within one.
    consumer = jobs.huey.create_consumer(
        workers=threads, worker_type="thread", periodic=True, max_delay=1.0
    )
    consumer.run()


@main.command()
@click.option("--port", default=8000, show_default=True, type=int, help="Port of the app.")
def demo(port: int) -> None:
    """Run the app, a sandbox Saleor and a demo storefront on 127.0.0.1."""
    from .sandbox.demo import run_demo

    run_demo(port)


@main.command()
def purge() -> None:
    """Roll up finished days and purge visitor data past its retention period."""
    from .analytics.maintenance import run_maintenance
    from .store import migrate
    from .store.db import Database, Timeouts

    settings = settings_from_env()
    timeouts = Timeouts(settings.database_connect_timeout, settings.database_statement_timeout)
    migrate.upgrade(settings.database_url)
    # Short transactions (one per day and installation) so a live server is not held up.
    counts = run_maintenance(Database(settings.database_url, timeouts))
    click.echo(
        f"purged {counts.visitors} visitors, {counts.interactions} interactions, "
        f"{counts.exposures} exposures; rolled up {counts.days_rolled_up} days"
    )


@main.command("upgrade-webhooks")
def upgrade_webhooks() -> None:
    """Bring every installation's webhooks up to this version's events and documents."""
    from .saleor.upgrade import upgrade_all_installations
    from .store import migrate
    from .store.db import Database, Timeouts

    try:
        settings = settings_from_env()
        settings.require_secret_key()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    timeouts = Timeouts(settings.database_connect_timeout, settings.database_statement_timeout)
    migrate.upgrade(settings.database_url)
    reports = upgrade_all_installations(Database(settings.database_url, timeouts), settings)
    for report in reports:
        if report.error:
            outcome = f"failed: {report.error}"
        else:
            changes = [f"created {n}" for n in report.created]
            changes += [f"updated {n}" for n in report.updated]
            outcome = ", ".join(changes) or "up to date"
        click.echo(f"{report.saleor_api_url}: {outcome}")
    if any(report.error for report in reports):
        sys.exit(1)


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply database migrations (serve and demo do this too)."""
    settings = settings_from_env()
    moved = _upgrade(settings.database_url)
    if moved:
        click.echo(f"moved {moved} untouched default free-shipping triggers to the new default")
    click.echo("database is up to date")


def _upgrade(database_url: str) -> int:
    """Migrations, then the data step: untouched earlier default triggers get the new default."""
    from .rulebook import move_untouched_defaults
    from .store import migrate
    from .store.db import Database

    migrate.upgrade(database_url)
    with Database(database_url).session() as session:
        return move_untouched_defaults(session)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
