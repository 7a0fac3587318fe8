"""Public addresses only: a Saleor URL must not make the app reach into its own network.

The check runs on the addresses a host name resolves to (so `localhost`, `0x7f.1` or a name that
points at 10.0.0.5 are caught), and a client repeats it where its socket connects, through
requests-hardened (Saleor's own library for the same job), which connects to the very address it
checked (so a name that resolves differently the second time cannot slip through).
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import requests
from requests_hardened.ip_filter_adapter import IPFilterAdapter

# NAT64 embeds an IPv4 address in its last 32 bits (RFC 6052).
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class NonPublicAddress(OSError):
    """The host resolves to a loopback, private, link-local, reserved or multicast address."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.partition("%")[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address):
        ip = _embedded_ipv4(ip) or ip
    return ip.is_global and not ip.is_multicast


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def public_addresses(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, all public; NonPublicAddress when one is not.

    One non-public address refuses the host, whatever the others: which one a client would
    connect to is not ours to predict. `socket.gaierror` when the name does not resolve.
    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    refused = [address for address in addresses if not is_public(address)]
    if refused:
        raise NonPublicAddress(f"{host} resolves to {', '.join(refused)}")
    return addresses


def mount_public_only(session: requests.Session, max_retries: Any) -> None:
    """Make `session` connect to public addresses only, checked where the socket connects.

    requests-hardened's adapter resolves the name once, refuses a loopback, private, reserved or
    multicast address, and connects to the address it checked (TLS still verifies the name), so
    a name that resolves differently the second time cannot slip through. Through a proxy
    (HTTPS_PROXY) the proxy connects, not us: then only the caller's own check applies.
    """
    for prefix in ("http://", "https://"):
        adapter = IPFilterAdapter(is_https_proto=prefix == "https://", allow_loopback=False)
        adapter.max_retries = max_retries
        session.mount(prefix, adapter)
