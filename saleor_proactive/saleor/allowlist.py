"""Which Saleor API URLs may install the app (`PROACTIVE_ALLOWED_SALEOR_URLS`).

The URL is parsed before it is matched, and a pattern matches its parts, never the raw string:
so `https://*.saleor.cloud/graphql/` admits `https://shop.saleor.cloud/graphql/` but not
`https://attacker:8516/.saleor.cloud/graphql/`.

A pattern is `scheme://host[:port][/path]`, with fnmatch globs (`*`, `?`, `[...]`):
- scheme: `http` or `https`, exactly.
- host: matched against the URL's host, in lower case; `*` spans dots, so `https://*` admits any
  host and `https://*.saleor.cloud` any subdomain. A host without glob characters names that host
  *explicitly*: only such a host may resolve to a loopback, private, link-local or reserved
  address (see `addresses.py`), e.g. `http://127.0.0.1:*` for the demo and the tests.
- port: absent means the scheme's default port (443 or 80); `*` means any port.
- path: absent (or `/`) means any path (the URL must still end in `/graphql/`); otherwise the
  URL's path must match it, which for a path without glob characters means exactly.
A URL with user info, a query or a fragment, or that does not parse, is malformed.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
_GLOB_CHARACTERS = re.compile(r"[*?\[\]]")
# Printable ASCII without spaces: a header value decoded as Latin-1 may hold anything.
_URL_CHARACTERS = re.compile(r"[!-~]+")
_HOST_NAME = re.compile(r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*")
_PATTERN = re.compile(
    r"(?P<scheme>https?)://(?P<host>\[[0-9a-fA-F:.]+\]|[^/:@#\[\]]+)"
    r"(?::(?P<port>[0-9*?\[\]-]+))?(?P<path>/[^?#]*)?"
)


class MalformedSaleorUrl(ValueError):
    """The URL does not parse as an http(s) URL of a host, without user info, query, fragment."""


@dataclass(frozen=True)
class SaleorUrl:
    scheme: str
    host: str  # lower case; an IPv6 address without brackets
    port: int
    path: str


def parse_saleor_url(url: str) -> SaleorUrl:
    if not _URL_CHARACTERS.fullmatch(url) or "\\" in url:
        raise MalformedSaleorUrl("only printable ASCII characters, no spaces or backslashes")
    if "?" in url or "#" in url:
        raise MalformedSaleorUrl("no query or fragment")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # an unclosed [IPv6 bracket, a port beyond 65535, ...
        raise MalformedSaleorUrl(str(exc)) from None
    if parts.scheme not in DEFAULT_PORTS:
        raise MalformedSaleorUrl("the scheme must be http or https")
    if "@" in parts.netloc:
        raise MalformedSaleorUrl("no user info")
    host = parts.hostname or ""
    if not _is_host(host):
        raise MalformedSaleorUrl("the host must be a DNS name or an IP address")
    if port == 0:
        raise MalformedSaleorUrl("port 0 is not a port")
    return SaleorUrl(parts.scheme, host, port or DEFAULT_PORTS[parts.scheme], parts.path)


def _is_host(host: str) -> bool:
    if _HOST_NAME.fullmatch(host):
        return True
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class UrlPattern:
    scheme: str
    host: str
    port: str | None
    path: str | None

    @property
    def names_host_explicitly(self) -> bool:
        return not _GLOB_CHARACTERS.search(self.host)

    def matches(self, url: SaleorUrl) -> bool:
        port = str(DEFAULT_PORTS[self.scheme]) if self.port is None else self.port
        return (
            url.scheme == self.scheme
            and fnmatch.fnmatchcase(url.host, self.host)
            and fnmatch.fnmatchcase(str(url.port), port)
            and (self.path is None or fnmatch.fnmatchcase(url.path, self.path))
        )


@lru_cache(maxsize=256)
def parse_pattern(text: str) -> UrlPattern:
    """One allow-list entry; ValueError when it is not `scheme://host[:port][/path]`."""
    match = _PATTERN.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a pattern like https://*.saleor.cloud/graphql/")
    host = match["host"].lower().strip("[]")
    path = None if match["path"] in (None, "/") else match["path"]
    return UrlPattern(match["scheme"], host, match["port"], path)


def matching_patterns(url: SaleorUrl, patterns: Iterable[str]) -> list[UrlPattern]:
    """The allow-list entries that admit `url`; empty when none does."""
    return [pattern for pattern in map(parse_pattern, patterns) if pattern.matches(url)]


def must_be_public(url: SaleorUrl, patterns: Iterable[str]) -> bool:
    """Whether `url`'s host must resolve to public addresses: no entry admitting it names it."""
    return not any(pattern.names_host_explicitly for pattern in matching_patterns(url, patterns))


def names_host(host: str, patterns: Iterable[str]) -> bool:
    """Whether an entry names `host` explicitly, whatever its scheme and port: the operator
    vouches for that host, e.g. a shop's mail server on a private network."""
    host = host.lower().strip("[]")
    return any(p.names_host_explicitly and p.host == host for p in map(parse_pattern, patterns))


def stored_url_must_be_public(url: str, patterns: Iterable[str]) -> bool:
    """`must_be_public` for the URL of a stored installation (checked at registration)."""
    try:
        return must_be_public(parse_saleor_url(url), patterns)
    except MalformedSaleorUrl:
        return True
