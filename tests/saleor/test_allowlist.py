"""The allow-list matches a parsed URL's scheme, host, port and path, never the raw string."""

from __future__ import annotations

import pytest

from saleor_proactive.saleor.allowlist import (
    MalformedSaleorUrl,
    matching_patterns,
    parse_pattern,
    parse_saleor_url,
)


def admits(pattern: str, url: str) -> bool:
    return bool(matching_patterns(parse_saleor_url(url), [pattern]))


@pytest.mark.parametrize(
    ("pattern", "url"),
    [
        ("https://*.saleor.cloud/graphql/", "https://shop.saleor.cloud/graphql/"),
        ("https://*.saleor.cloud/graphql/", "https://a.b.saleor.cloud/graphql/"),
        ("https://*.saleor.cloud/graphql/", "https://SHOP.saleor.cloud:443/graphql/"),
        ("https://*", "https://shop.example.com/graphql/"),
        ("https://*", "https://shop.example.com/api/graphql/"),
        ("https://*:*", "https://shop.example.com:8443/graphql/"),
        ("http://127.0.0.1:*", "http://127.0.0.1:8000/graphql/"),
        ("http://[::1]:*", "http://[::1]:8000/graphql/"),
        ("https://shop.example.com/*", "https://shop.example.com/graphql/"),
        ("https://shop.example.com/", "https://shop.example.com/graphql/"),
    ],
)
def test_a_pattern_admits_urls_of_its_scheme_host_port_and_path(pattern: str, url: str) -> None:
    assert admits(pattern, url)


@pytest.mark.parametrize(
    ("pattern", "url"),
    [
        # the host is the attacker's; the pattern's host only appears in the path
        ("https://*.saleor.cloud/graphql/", "https://attacker:8516/.saleor.cloud/graphql/"),
        ("https://*.saleor.cloud/graphql/", "https://attacker/.saleor.cloud/graphql/"),
        ("https://*.saleor.cloud/graphql/", "https://saleor.cloud.attacker.com/graphql/"),
        ("https://*.saleor.cloud/graphql/", "https://shop.saleor.cloud/other/graphql/"),
        ("https://*.saleor.cloud/graphql/", "https://shop.saleor.cloud:8443/graphql/"),
        ("https://*.saleor.cloud/graphql/", "http://shop.saleor.cloud/graphql/"),
        ("https://*", "https://shop.example.com:8443/graphql/"),
        ("https://*", "http://shop.example.com/graphql/"),
        ("http://127.0.0.1:*", "http://127.0.0.2:8000/graphql/"),
        ("http://127.0.0.1:*", "http://localhost:8000/graphql/"),
        ("https://shop.example.com/graphql/", "https://shop.example.com/graphql/x/graphql/"),
    ],
)
def test_a_pattern_refuses_other_hosts_ports_schemes_and_paths(pattern: str, url: str) -> None:
    assert not admits(pattern, url)


@pytest.mark.parametrize(
    "url",
    [
        "https://attacker:8516?.saleor.cloud/graphql/",
        "https://attacker:8516#.saleor.cloud/graphql/",
        "https://shop.saleor.cloud/graphql/?x=1",
        "https://shop.saleor.cloud/graphql/#x",
        "https://user:pass@shop.saleor.cloud/graphql/",
        "https://attacker@shop.saleor.cloud/graphql/",
        "https://[::1/graphql/",
        "https://shop.saleor.cloud:99999/graphql/",
        "https://shop.saleor.cloud:0/graphql/",
        "https://shop.saleor.cloud:x/graphql/",
        "https:\uff0f\uff0fshop.saleor.cloud\uff0fgraphql\uff0f",
        "https://shop.saleor.cloud\uff0fgraphql\uff0f",
        "https://shop.saleor.cloud\\@attacker/graphql/",
        "https://shop%2esaleor.cloud/graphql/",
        "https://shop saleor.cloud/graphql/",
        "ftp://shop.saleor.cloud/graphql/",
        "https:///graphql/",
    ],
)
def test_a_url_that_does_not_parse_cleanly_is_malformed(url: str) -> None:
    with pytest.raises(MalformedSaleorUrl):
        parse_saleor_url(url)


@pytest.mark.parametrize(
    ("pattern", "explicit"),
    [
        ("http://127.0.0.1:*", True),
        ("http://localhost:8000/graphql/", True),
        ("https://*", False),
        ("https://*.saleor.cloud/graphql/", False),
        ("http://10.0.0.?:*", False),
    ],
)
def test_only_a_host_without_globs_is_named_explicitly(pattern: str, explicit: bool) -> None:
    assert parse_pattern(pattern).names_host_explicitly is explicit


@pytest.mark.parametrize(
    "pattern", ["*", "shop.example.com", "https://", "https://a@b/graphql/", "https://a/?x"]
)
def test_a_malformed_pattern_is_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="is not a pattern"):
        parse_pattern(pattern)
