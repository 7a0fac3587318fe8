"""Settings read once from the environment and validated at start-up."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

DEFAULT_DATABASE_URL = "sqlite:///./proactive.db"
DEFAULT_ALLOWED_SALEOR_URLS = ("https://*",)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# Visitor API limits. One address may be a whole office or a mobile carrier's NAT, hence 10x.
DEFAULT_RATE_LIMIT_VISITOR = "120/minute"
DEFAULT_RATE_LIMIT_ADDRESS = "1200/minute"
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
    database_connect_timeout: float = 2.0  # seconds; store/db.py's Timeouts
    database_statement_timeout: float = 3.0
    # Not part of the public environment: tests and the demo shorten or replace these.
    extra: Mapping[str, Any] = field(default_factory=dict)

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def require_secret_key(self) -> str:
        if not self.secret_key:
            raise ConfigError("PROACTIVE_SECRET_KEY is required: it encrypts Saleor app tokens")
        return self.secret_key


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
    return Settings(
        database_url=env.get("PROACTIVE_DATABASE_URL") or DEFAULT_DATABASE_URL,
        secret_key=env.get("PROACTIVE_SECRET_KEY") or None,
        public_url=public_url.rstrip("/") if public_url else None,
        allowed_saleor_urls=patterns or DEFAULT_ALLOWED_SALEOR_URLS,
        trust_proxy=env.get("PROACTIVE_TRUST_PROXY", "") == "1",
        log_level=log_level,
        rate_limit_storage=env.get("PROACTIVE_RATE_LIMIT_STORAGE") or None,
        rate_limit_visitor=_rate(env, "PROACTIVE_RATE_LIMIT_VISITOR", DEFAULT_RATE_LIMIT_VISITOR),
        rate_limit_address=_rate(env, "PROACTIVE_RATE_LIMIT_ADDRESS", DEFAULT_RATE_LIMIT_ADDRESS),
        database_connect_timeout=_seconds(env, "PROACTIVE_DATABASE_CONNECT_TIMEOUT", 2.0),
        database_statement_timeout=_seconds(env, "PROACTIVE_DATABASE_STATEMENT_TIMEOUT", 3.0),
    )


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
