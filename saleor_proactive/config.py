"""Settings read once from the environment and validated at start-up."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .saleor.allowlist import parse_pattern

DEFAULT_DATABASE_URL = "sqlite:///./proactive.db"
DEFAULT_ALLOWED_SALEOR_URLS = ("https://*",)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# Visitor API limits. One address may be a whole office or a mobile carrier's NAT, hence 10x.
DEFAULT_RATE_LIMIT_VISITOR = "120/minute"
DEFAULT_RATE_LIMIT_ADDRESS = "1200/minute"
# The key encrypts app tokens and signs action ids: long enough that guessing it is hopeless.
MIN_SECRET_KEY_LENGTH = 32
MAKE_SECRET_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
# Checkout queries to Saleor that visitors' cart changes cause, per installation.
DEFAULT_RATE_LIMIT_CHECKOUT_REFRESH = "120/minute"
_RATE = re.compile(r"\s*(\d+)\s*/\s*(second|minute|hour|day)s?\s*")
_RATE_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str | None = None
    public_url: str | None = None
    allowed_saleor_urls: tuple[str, ...] = DEFAULT_ALLOWED_SALEOR_URLS
    trust_proxy: bool = False
    log_level: str = "INFO"
    rate_limit_storage: str | None = None  # a `limits` storage URL; None: in memory per process
    rate_limit_visitor: str = DEFAULT_RATE_LIMIT_VISITOR
    rate_limit_address: str = DEFAULT_RATE_LIMIT_ADDRESS
    rate_limit_checkout_refresh: str = DEFAULT_RATE_LIMIT_CHECKOUT_REFRESH
    database_connect_timeout: float = 2.0  # seconds; store/db.py's Timeouts
    database_statement_timeout: float = 3.0
    smtp_url: str | None = None  # the built-in chat's offline replies (chat/mail.py)
    # The background work's huey storage (jobs/queue.py); None: a SQLite file beside the data.
    queue_url: str | None = None
    # How long a worker may hold a reminder it is sending (reminders/delivery.py).
    reminder_lease_seconds: float = 300.0
    # Not read from the environment; tests shorten them.
    # How stale a worker's view of a shop's settings and triggers may get, in seconds.
    store_validate_seconds: float = 1.0
    # How long a worker trusts a product's price and category, in seconds.
    product_cache_seconds: float = 10.0
    # At most one fresh checkout query per checkout and process this often, in seconds.
    checkout_refresh_seconds: float = 2.0
    # Chat lines one conversation and one address may send (a person types a few a minute; an
    # address may be an office), and how long a chat read waits for news, in seconds (short
    # enough for proxies' idle timeouts, often 30-60 s).
    chat_visitor_messages: str = "20/minute"
    chat_address_messages: str = "120/minute"
    chat_max_wait_seconds: float = 25.0

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def require_secret_key(self) -> str:
        return checked_secret_key(self.secret_key)


def checked_secret_key(key: str | None) -> str:
    if not key:
        raise ConfigError(
            "PROACTIVE_SECRET_KEY is required: it encrypts Saleor app tokens. "
            f"Make one with: {MAKE_SECRET_KEY}"
        )
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            f"PROACTIVE_SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters long "
            f"(it has {len(key)}). Make one with: {MAKE_SECRET_KEY}"
        )
    return key


def settings_from_env(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    log_level = env.get("PROACTIVE_LOG_LEVEL", "INFO").upper()
    if log_level not in LOG_LEVELS:
        raise ConfigError(f"PROACTIVE_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
    public_url = env.get("PROACTIVE_PUBLIC_URL") or None
    if public_url and not public_url.startswith(("http://", "https://")):
        raise ConfigError("PROACTIVE_PUBLIC_URL must start with http:// or https://")
    patterns = tuple(
        p.strip() for p in env.get("PROACTIVE_ALLOWED_SALEOR_URLS", "").split(",") if p.strip()
    )
    for pattern in patterns:
        try:
            parse_pattern(pattern)
        except ValueError as exc:
            raise ConfigError(f"PROACTIVE_ALLOWED_SALEOR_URLS: {exc}") from None
    secret_key = env.get("PROACTIVE_SECRET_KEY") or None
    if secret_key is not None:  # optional for `db upgrade` and `purge`, never weak
        checked_secret_key(secret_key)
    return Settings(
        database_url=env.get("PROACTIVE_DATABASE_URL") or DEFAULT_DATABASE_URL,
        secret_key=secret_key,
        public_url=public_url.rstrip("/") if public_url else None,
        allowed_saleor_urls=patterns or DEFAULT_ALLOWED_SALEOR_URLS,
        trust_proxy=env.get("PROACTIVE_TRUST_PROXY", "") == "1",
        log_level=log_level,
        rate_limit_storage=env.get("PROACTIVE_RATE_LIMIT_STORAGE") or None,
        rate_limit_visitor=_rate(env, "PROACTIVE_RATE_LIMIT_VISITOR", DEFAULT_RATE_LIMIT_VISITOR),
        rate_limit_address=_rate(env, "PROACTIVE_RATE_LIMIT_ADDRESS", DEFAULT_RATE_LIMIT_ADDRESS),
        rate_limit_checkout_refresh=_rate(
            env, "PROACTIVE_RATE_LIMIT_CHECKOUT_REFRESH", DEFAULT_RATE_LIMIT_CHECKOUT_REFRESH
        ),
        database_connect_timeout=_seconds(env, "PROACTIVE_DATABASE_CONNECT_TIMEOUT", 2.0),
        database_statement_timeout=_seconds(env, "PROACTIVE_DATABASE_STATEMENT_TIMEOUT", 3.0),
        smtp_url=_smtp_url(env),
        queue_url=_queue_url(env),
        reminder_lease_seconds=_seconds(env, "PROACTIVE_REMINDER_LEASE_SECONDS", 300.0),
    )


def _queue_url(env: Mapping[str, str]) -> str | None:
    value = env.get("PROACTIVE_QUEUE_URL") or None
    if value is not None:
        from .jobs.queue import QueueUrlError, check_queue_url

        try:
            check_queue_url(value)
        except QueueUrlError as error:
            raise ConfigError(f"PROACTIVE_QUEUE_URL {error}") from None
    return value


def _smtp_url(env: Mapping[str, str]) -> str | None:
    value = env.get("PROACTIVE_SMTP_URL") or None
    if value is not None:
        from .chat.mail import SmtpUrlError, parse_smtp_url

        try:
            parse_smtp_url(value)
        except SmtpUrlError as error:
            raise ConfigError(f"PROACTIVE_SMTP_URL {error}") from None
    return value


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value <= 3600:
        raise ConfigError(f"{name} must be a number of seconds above 0 (at most 3600)")
    return value


def parse_rate(text: str) -> tuple[int, int]:
    """`"120/minute"` → (120, 60): a request count and its window in seconds."""
    match = _RATE.fullmatch(text)
    if match is None:
        raise ValueError(f"rate limit {text!r} must look like 120/minute")
    return int(match.group(1)), _RATE_UNITS[match.group(2)]


def _rate(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name) or default
    try:
        parse_rate(value)
    except ValueError:
        raise ConfigError(
            f"{name} must look like 120/minute (a count per second|minute|hour|day)"
        ) from None
    return value.strip()


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
