"""Public addresses only, checked on what a name resolves to and again where the socket connects."""

from __future__ import annotations

import pytest

from saleor_proactive.saleor.addresses import NonPublicAddress, is_public, public_addresses
from saleor_proactive.saleor.client import SaleorClient, SaleorUnavailable
from tests.fixtures.installation import CannedSaleor


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "240.0.0.1",  # reserved
        "224.0.0.1",  # multicast
        "::1",
        "fe80::1%eth0",
        "fc00::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "64:ff9b::a01:203",  # NAT64 of 10.1.2.3
    ],
)
def test_internal_addresses_are_not_public(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_internet_addresses_are_public(address: str) -> None:
    assert is_public(address)


def test_a_name_that_resolves_to_the_loopback_is_refused() -> None:
    with pytest.raises(NonPublicAddress, match="localhost"):
        public_addresses("localhost", 80)


def test_a_public_only_client_does_not_connect_to_an_internal_address(
    canned_saleor: CannedSaleor,
) -> None:
    # given a working Saleor on the loopback (as a name that resolved to a public address the
    # first time could point there the second time)
    guarded = SaleorClient(canned_saleor.api_url, "app-token", public_only=True)

    # when / then the connection itself is refused, and the server never asked
    with pytest.raises(SaleorUnavailable):
        guarded.app()
    assert canned_saleor.hits["/graphql/"] == 0
    # while a client allowed there reaches it
    assert SaleorClient(canned_saleor.api_url, "app-token").app().id == "QXBwOjQy"
