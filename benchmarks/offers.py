"""What offers cost: claim latency with a warm pool, code generation into Saleor, offer.js size.

Run: `.venv/bin/python -m benchmarks.offers [--claims N] [--codes N]` (or `python -m benchmarks
offers`). Starts the app (SQLite in a temp dir, one threaded HTTP server) and the sandbox Saleor
on 127.0.0.1, installs the app, and saves one offer trigger:

- codes generated per second: `offers.pool.refill` making `--codes` codes into the sandbox
  (`voucherUpdate(addCodes)` in batches of 100, each batch then stored);
- claim latency p50/p99: `POST /storefront/v1/offers/claim` over HTTP, one new visitor per claim,
  with the pool already holding every code (no call to Saleor on the way);
- gzip size of offer.js as served (minified), loaded only when a visitor asks for a code.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import tempfile
import threading
import time
from pathlib import Path

import requests
from werkzeug.serving import WSGIRequestHandler, make_server

from saleor_proactive.app import create_app
from saleor_proactive.assets import asset_dir
from saleor_proactive.config import Settings
from saleor_proactive.offers import pool
from saleor_proactive.rulebook import create_trigger
from saleor_proactive.sandbox.server import SandboxSaleor
from saleor_proactive.store import migrate
from saleor_proactive.store.db import get_database
from saleor_proactive.storefront import rate_limits
from saleor_proactive.storefront.action_ids import ActionSigner
from saleor_proactive.storefront.snippet import minify

SECRET = "benchmark-secret-key-not-for-production"
OFFER = {
    "name": "Ten off",
    "when": {"pageType": {"in": ["checkout"]}},
    "show": {
        "type": "offer",
        "message": {"en": "{discount} off"},
        "offer": {"discount": {"type": "percentage", "value": 10}, "validMinutes": 60},
    },
}


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: object, **kwargs: object) -> None:
        pass  # one line per claim would drown the figures


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=500)
    parser.add_argument("--codes", type=int, default=1000)
    args = parser.parse_args()
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'offers.db'}"
    migrate.upgrade(url)
    settings = Settings(
        database_url=url,
        secret_key=SECRET,
        allowed_saleor_urls=("http://127.0.0.1:*",),
    ).with_overrides(rate_limit_visitor="100000/minute", rate_limit_address="100000/minute")
    # One address makes every claim here: lift the anti-harvesting limit, not what is measured.
    rate_limits.OFFER_CODES_PER_ADDRESS = (10 * args.claims, 3600)
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    app_url = f"http://127.0.0.1:{server.server_port}"
    saleor = SandboxSaleor().start()
    try:
        saleor.install_app(f"{app_url}/api/manifest")
        database = get_database(app)
        with database.session() as session:
            installation_id = 1
            trigger_id = create_trigger(session, installation_id, OFFER).id
        time.sleep(1)  # the save's own refill (20 codes) runs first
        started = time.perf_counter()
        report = pool.refill(database, settings, pool_size=args.codes + 20)
        elapsed = time.perf_counter() - started
        print(
            f"codes generated: {report.codes_created} in {elapsed:.2f} s "
            f"= {report.codes_created / elapsed:.0f} codes/s into the sandbox Saleor"
        )

        signer = ActionSigner(SECRET)
        session_http = requests.Session()
        latencies = []
        for index in range(args.claims):
            visitor = f"v_bench{index}"
            body = {
                "saleorApiUrl": saleor.api_url,
                "channel": "default-channel",
                "visitorId": visitor,
                "sessionId": f"s_{index}",
                "actionId": signer.issue(installation_id, visitor, trigger_id),
            }
            began = time.perf_counter()
            answer = session_http.post(f"{app_url}/storefront/v1/offers/claim", json=body)
            latencies.append((time.perf_counter() - began) * 1000)
            assert answer.status_code == 200, answer.text
        print(
            f"claim latency, warm pool, {args.claims} claims: "
            f"p50 {statistics.median(latencies):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms"
        )
    finally:
        saleor.stop()
        server.shutdown()
    served = minify((asset_dir("storefront_snippet") / "offer.js").read_bytes())
    print(
        f"offer.js as served: {len(served)} bytes, "
        f"{len(gzip.compress(served, compresslevel=9, mtime=0))} bytes gzip"
    )


if __name__ == "__main__":
    main()
