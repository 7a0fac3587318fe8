"""`saleor-proactive demo`: everything starts on 127.0.0.1, the app is installed and usable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from saleor_proactive.sandbox.demo import Demo, start_demo
from saleor_proactive.sandbox.seed import BEANS_VARIANT, DEFAULT_CHANNEL


@pytest.fixture
def demo() -> Iterator[Demo]:
    running = start_demo(0)
    yield running
    running.stop()


def test_the_demo_serves_the_app_installed_into_the_sandbox(demo: Demo) -> None:
    # when
    health = requests.get(f"{demo.app_url}/healthz", timeout=10)
    manifest = requests.get(f"{demo.app_url}/api/manifest", timeout=10).json()
    demo.saleor.create_checkout(DEFAULT_CHANNEL, [(BEANS_VARIANT, 1)])

    # then
    assert health.json() == {"status": "ok"}
    assert manifest["tokenTargetUrl"] == f"{demo.app_url}/api/register"
    assert demo.saleor.only_app() is not None
    assert [(d.event, d.status) for d in demo.saleor.deliveries] == [("checkout_created", 200)]
    assert any(line.startswith("App ") and demo.app_url in line for line in demo.lines())
    assert set(demo.ports()) == {"app", "sandbox Saleor", "storefront"}
    assert demo.ports()["app"] == int(demo.app_url.rsplit(":", 1)[1])


def test_the_sandbox_dashboard_frames_the_app_and_hands_out_tokens_it_accepts(demo: Demo) -> None:
    # given
    app = demo.saleor.only_app()
    assert app is not None

    # when
    page = requests.get(f"{demo.saleor.url}/dashboard/", timeout=10)
    token = requests.get(
        f"{demo.saleor.url}/dashboard/token", params={"app": app.global_id}, timeout=10
    ).json()["token"]
    answer = requests.post(
        f"{demo.app_url}/api/graphql",
        json={"query": "{ freeShippingThresholds { channel fromSaleor { amount currency } } }"},
        headers={"Authorization-Bearer": token, "Saleor-Api-Url": demo.saleor.api_url},
        timeout=10,
    )

    # then
    assert page.status_code == 200
    assert f'src="{demo.app_url}/app?' in page.text
    assert answer.status_code == 200, answer.text
    thresholds = {
        row["channel"]: row["fromSaleor"] for row in answer.json()["data"]["freeShippingThresholds"]
    }
    assert thresholds == {
        "default-channel": {"amount": 50.0, "currency": "EUR"},
        "channel-usd": {"amount": 75.0, "currency": "USD"},
    }


def test_stopping_the_demo_removes_its_data(demo: Demo) -> None:
    # when
    demo.stop()

    # then
    assert not demo.workdir.exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{demo.app_url}/healthz", timeout=2)


def test_the_demo_storefront_carries_the_snippet_for_the_sandbox_saleor(demo: Demo) -> None:
    # when
    assert demo.shop_url is not None, "the demo storefront (sandbox/shop) did not start"
    home = requests.get(demo.shop_url, timeout=10)

    # then
    assert home.status_code == 200
    assert f'src="{demo.app_url}/storefront/v1/snippet.js"' in home.text
    assert f'data-saleor-api-url="{demo.saleor.api_url}"' in home.text
