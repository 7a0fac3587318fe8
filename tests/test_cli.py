"""The operator commands, run as an operator runs them: real processes, real ports."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, inspect

from saleor_proactive.serving import default_worker_class
from tests.conftest import TEST_SECRET
from tests.fixtures.sandbox import Installed

CLI = [sys.executable, "-m", "saleor_proactive.cli"]
CLI_TEST_SECRET = "cli-test-secret-cli-test-secret-cli-test-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=60)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROACTIVE_")}
    env.update(extra)
    return env


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    # given
    url = f"sqlite:///{tmp_path / 'ops.db'}"

    # when
    result = run_cli("db", "upgrade", env=clean_env(PROACTIVE_DATABASE_URL=url))

    # then
    assert result.returncode == 0, result.stderr
    assert "installations" in inspect(create_engine(url)).get_table_names()


def test_serve_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    # when
    result = run_cli(
        "serve",
        "--port",
        str(free_port()),
        env=clean_env(PROACTIVE_DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}"),
    )

    # then
    assert result.returncode != 0
    assert "PROACTIVE_SECRET_KEY" in result.stderr


def test_serve_refuses_to_start_with_a_short_secret_key(tmp_path: Path) -> None:
    # when
    result = run_cli(
        "serve",
        "--port",
        str(free_port()),
        env=clean_env(
            PROACTIVE_DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}",
            PROACTIVE_SECRET_KEY="cli-test-secret",
        ),
    )

    # then it says why and how to make a good key, and never started
    assert result.returncode != 0
    assert "PROACTIVE_SECRET_KEY must be at least 32 characters" in result.stderr
    assert 'python -c "import secrets; print(secrets.token_urlsafe(48))"' in result.stderr
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    ("options", "connection", "access_log"),
    [
        ([], "keep-alive", False),
        (
            ["--worker-class", "gevent", "--worker-connections", "50", "--access-log"],
            "keep-alive",
            True,
        ),
        (["--threads", "1"], "close", False),
        (["--worker-class", "sync"], "close", False),
        (["--threads", "4", "--access-log"], "keep-alive", True),
        (["--worker-class", "gthread"], "keep-alive", False),
    ],
)
def test_serve_runs_gunicorn_workers_that_answer_health_checks(
    tmp_path: Path, options: list[str], connection: str, access_log: bool
) -> None:
    # given the default workers (threads on SQLite), gevent workers (a gevent worker refuses to
    # start when the server process imported the app before it forked: `serving.py`), sync
    # workers (`--threads 1` as before) or threaded ones, which keep connections alive, with or
    # without an access log
    port = free_port()
    env = clean_env(
        PROACTIVE_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}",
        PROACTIVE_SECRET_KEY=CLI_TEST_SECRET,
    )
    server = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--workers", "2", *options],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # when
        response = _wait_for(f"http://127.0.0.1:{port}/healthz", server)

        # then
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
        assert response.headers["Connection"].lower() == connection
    finally:
        server.terminate()
        logged, _ = server.communicate(timeout=15)
    assert ("GET /healthz" in logged) is access_log


def test_serve_picks_gevent_on_postgresql_and_threads_on_sqlite() -> None:
    assert default_worker_class("postgresql+psycopg://shop@db/proactive") == "gevent"
    assert default_worker_class("sqlite:////var/lib/proactive/proactive.db") == "gthread"


def test_serve_refuses_threads_for_a_worker_class_without_them(tmp_path: Path) -> None:
    # when
    result = run_cli(
        "serve",
        "--worker-class",
        "gevent",
        "--threads",
        "4",
        env=clean_env(
            PROACTIVE_DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}",
            PROACTIVE_SECRET_KEY=CLI_TEST_SECRET,
        ),
    )

    # then
    assert result.returncode == 2
    assert "--threads is for --worker-class gthread" in result.stderr
    assert not (tmp_path / "x.db").exists()


def _wait_for(url: str, process: subprocess.Popen[str]) -> requests.Response:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited early: {process.stderr.read() if process.stderr else ''}")
        try:
            return requests.get(url, timeout=2)
        except (requests.ConnectionError, requests.Timeout):  # a worker still creating the app
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer within 30 s")


def test_purge_runs_the_retention_job_on_an_empty_database(tmp_path: Path) -> None:
    # given
    url = f"sqlite:///{tmp_path / 'purge.db'}"

    # when
    result = run_cli("purge", env=clean_env(PROACTIVE_DATABASE_URL=url))

    # then
    assert result.returncode == 0, result.stderr
    assert "purged 0 visitors, 0 interactions" in result.stdout


def test_serve_answers_oversized_tokens_headers_and_urls_in_the_json_error_shape(
    tmp_path: Path,
) -> None:
    # given a production server
    port = free_port()
    env = clean_env(
        PROACTIVE_DATABASE_URL=f"sqlite:///{tmp_path / 'limits.db'}",
        PROACTIVE_SECRET_KEY=CLI_TEST_SECRET,
    )
    server = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/healthz", server)

        # when a Dashboard token is over the app's own limit, a header over the server's
        # limit, the URL over the server's limit
        token = requests.post(
            f"{base}/api/graphql",
            headers={"Authorization-Bearer": "x" * 9000, "Saleor-Api-Url": "https://a/graphql/"},
            json={"query": "{ __typename }"},
            timeout=10,
        )
        header = requests.get(f"{base}/healthz", headers={"X-Big": "x" * 70_000}, timeout=10)
        url = requests.get(f"{base}/healthz?{'q' * 10_000}", timeout=10)
    finally:
        server.terminate()
        server.communicate(timeout=15)

    # then each is a 4xx in the contract's error shape, not the server's HTML page
    assert token.status_code == 401
    assert token.json()["error"]["code"] == "invalid_token"
    assert (header.status_code, url.status_code) == (431, 414)
    for response in (header, url):
        assert response.headers["Content-Type"] == "application/json"
        assert response.json()["error"]["message"]
    assert header.json()["error"]["code"] == "request_header_fields_too_large"
    assert url.json()["error"]["code"] == "uri_too_long"


def test_upgrade_webhooks_brings_each_installation_up_to_date(
    installed: Installed, migrated_database_url: str
) -> None:
    # given an installation made by an older version, without `order-events`
    app = installed.app
    app.webhooks = [hook for hook in app.webhooks if hook.name != "order-events"]
    env = clean_env(
        PROACTIVE_DATABASE_URL=migrated_database_url,
        PROACTIVE_SECRET_KEY=TEST_SECRET,
        PROACTIVE_ALLOWED_SALEOR_URLS="http://127.0.0.1:*",
    )

    # when the operator runs the command, twice
    first = run_cli("upgrade-webhooks", env=env)
    second = run_cli("upgrade-webhooks", env=env)

    # then the missing webhook was created once, and the second run found nothing to do
    assert first.returncode == 0, first.stderr
    assert first.stdout == f"{installed.api_url}: created order-events\n"
    assert second.stdout == f"{installed.api_url}: up to date\n"
    assert [hook.name for hook in app.webhooks].count("order-events") == 1


def test_upgrade_webhooks_needs_the_secret_key(tmp_path: Path) -> None:
    # when
    url = f"sqlite:///{tmp_path / 'upgrade.db'}"
    result = run_cli("upgrade-webhooks", env=clean_env(PROACTIVE_DATABASE_URL=url))

    # then
    assert result.returncode != 0
    assert "PROACTIVE_SECRET_KEY is required" in result.stderr
