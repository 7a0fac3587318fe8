"""Public addresses only: a Saleor URL must not make the app reach into its own network.

The check runs on the addresses a host name resolves to (so `localhost`, `0x7f.1` or a name that
points at 10.0.0.5 are caught), and a client can repeat it where its socket connects, to the very
address it checked (so a name that resolves differently the second time cannot slip through).
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.connection import create_connection

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


class _PublicOnlyConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        # urllib3's own method, resolving once: it connects to the address just checked (TLS
        # still verifies `self.host`).
        try:
            address = public_addresses(self.host, self.port)[0]
            return create_connection(
                (address, self.port),
                self.timeout,
                source_address=self.source_address,
                socket_options=self.socket_options,
            )
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"connecting to {self.host} timed out") from exc
        except OSError as exc:
            raise NewConnectionError(self, f"cannot connect to {self.host}: {exc}") from exc


class _PublicOnlyHTTPSConnection(_PublicOnlyConnection, HTTPSConnection):
    pass


class _PublicOnlyPool(HTTPConnectionPool):
    ConnectionCls = _PublicOnlyConnection


class _PublicOnlyHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PublicOnlyHTTPSConnection


class PublicOnlyAdapter(HTTPAdapter):
    """A requests adapter whose connections go to public addresses only.

    Through a proxy (HTTPS_PROXY) the proxy connects, not us: then only the caller's own check
    of the name applies.
    """

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _PublicOnlyPool,
            "https": _PublicOnlyHTTPSPool,
        }
