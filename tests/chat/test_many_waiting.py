"""Hundreds of visitors waiting in chat long polls on one gevent worker of the real
`saleor-proactive serve`, while the visitor API and the chat still answer."""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from typing import Any

import requests

from benchmarks.server import serve
from saleor_proactive.store.db import Database
from tests.conftest import TEST_SECRET
from tests.fixtures.storefront import SHOP_URL, ShopRows
from tests.rules import chat_rule
from tests.storefront.helpers import body, page_view

WAITING = 300
CHAT = "/storefront/v1/chat/conversations"


def _visitor(number: int) -> dict[str, str]:
    # Behind a trusted proxy each visitor has an address of its own, as real visitors do.
    return {"X-Forwarded-For": f"10.2.{number // 250}.{number % 250 + 1}"}


def test_one_gevent_worker_holds_hundreds_of_waiting_visitors_and_still_answers(
    database: Database, shop: ShopRows
) -> None:
    # given a production server with one gevent worker, a chat prompt at checkout, and 300
    # visitors each waiting for news of their conversation
    shop.trigger(chat_rule("Help at checkout", {"pageType": {"in": ["checkout"]}}))
    env = {
        "PROACTIVE_SECRET_KEY": TEST_SECRET,
        "PROACTIVE_LOG_LEVEL": "WARNING",
        "PROACTIVE_TRUST_PROXY": "1",
    }
    with serve(database.url, workers=1, worker_class="gevent", env=env) as (base, server):
        conversations = []
        for number in range(WAITING):
            started = requests.post(
                f"{base}{CHAT}",
                json={
                    "saleorApiUrl": SHOP_URL,
                    "channel": "default-channel",
                    "visitorId": f"waiting-{number}",
                },
                headers=_visitor(number),
                timeout=10,
            )
            assert started.status_code == 201, started.text
            conversations.append(started.json())
        answers: dict[int, Any] = {}

        def wait_for_news(number: int) -> None:
            state = conversations[number]
            after = max((m["id"] for m in state["messages"]), default=0)
            # A ConnectionError: the server was shut down under it, once the test was done.
            with contextlib.suppress(requests.ConnectionError):
                answers[number] = requests.get(
                    f"{base}{CHAT}/{state['conversation']['id']}/messages?after={after}&wait=25",
                    headers={
                        "Authorization": f"Bearer {state['conversation']['token']}",
                        **_visitor(number),
                    },
                    timeout=40,
                ).json()

        waiting = [threading.Thread(target=wait_for_news, args=(n,)) for n in range(WAITING)]
        for thread in waiting:
            thread.start()
        time.sleep(3)  # every poll is in the server and waiting by then
        assert answers == {}, "no poll answers before there is news"

        # when a visitor reaches the checkout, and the 8th waiting visitor writes a line
        prompted = requests.post(
            f"{base}/storefront/v1/events",
            json=body([page_view("https://shop.example.com/checkout")], visitorId="v_new"),
            timeout=10,
        )
        chosen = conversations[7]["conversation"]
        sent = requests.post(
            f"{base}{CHAT}/{chosen['id']}/messages",
            json={"body": "Is the blue one in stock?"},
            headers={"Authorization": f"Bearer {chosen['token']}", **_visitor(7)},
            timeout=10,
        )
        waiting[7].join(15)  # woken by the line, well before its 25 s are up

        # then the visitor API answers with the prompt, the line is stored, and the writer's
        # own waiting poll gets it while the other 299 still wait
        assert prompted.status_code == 200, prompted.text
        [action] = prompted.json()["actions"]
        assert (action["type"], action["cta"]) == ("chat_prompt", "Chat with us")
        assert sent.status_code == 201, sent.text
        assert [m["body"] for m in answers[7]["messages"]] == ["Is the blue one in stock?"]
        assert set(answers) == {7}

        server.send_signal(signal.SIGINT)  # quick shutdown: the others need not wait out 25 s
        server.wait(30)
    for thread in waiting:
        thread.join(30)
