"""Hypothesis strategies: valid rule documents, junk, and arbitrary visitors and stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from saleor_proactive.triggers.conditions import LEAF_KINDS, NUMERIC_OPS
from saleor_proactive.triggers.context import (
    CartFacts,
    CatalogueProduct,
    FrequencyState,
    Money,
    StoreFacts,
    VisitorContext,
)
from saleor_proactive.triggers.schedule import DAYS
from saleor_proactive.triggers.vocabulary import DEVICES, PAGE_TYPES

LOCALES = ["en", "es", "es-MX", "de-DE", "pt-BR", "fr"]
COUNTRIES = ["ES", "US", "DE", "MX"]
CHANNELS = ["default-channel", "channel-usd"]
CATEGORY_IDS = ["Q2F0ZWdvcnk6MQ==", "Q2F0ZWdvcnk6Mg==", "Q2F0ZWdvcnk6OTk="]
PRODUCT_IDS = ["UHJvZHVjdDox", "UHJvZHVjdDoy", "UHJvZHVjdDo1", "UHJvZHVjdDo5OTk="]
TIMEZONES = ["UTC", "Europe/Madrid", "America/New_York", "Pacific/Auckland", "Asia/Kolkata"]

plain_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="{}"),
    min_size=1,
    max_size=40,
).filter(lambda t: t.strip() != "")


def _subset(values: list[str] | tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), min_size=1, max_size=len(values), unique=True)


def _number(kind: str) -> st.SearchStrategy[int | float]:
    if kind == "amount":
        return st.integers(0, 100_000).map(lambda cents: cents / 100) | st.integers(0, 2000)
    if kind == "time":
        return st.integers(0, 600) | st.floats(0, 600).map(lambda x: round(x, 1))
    return st.integers(0, 50)


@st.composite
def numeric_leaf(draw: st.DrawFn, key: str) -> dict[str, Any]:
    kind = LEAF_KINDS[key]
    op = draw(st.sampled_from(NUMERIC_OPS))
    if op == "between":
        a, b = sorted([draw(_number(kind)), draw(_number(kind))])
        return {key: {op: [a, b]}}
    return {key: {op: draw(_number(kind))}}


def leaf() -> st.SearchStrategy[dict[str, Any]]:
    numeric = [k for k, kind in LEAF_KINDS.items() if kind in ("time", "count", "amount")]
    return st.one_of(
        st.sampled_from(numeric).flatmap(numeric_leaf),
        _subset(PAGE_TYPES).map(lambda v: {"pageType": {"in": v}}),
        _subset(DEVICES).map(lambda v: {"device": {"in": v}}),
        _subset(LOCALES).map(lambda v: {"locale": {"in": v}}),
        _subset(COUNTRIES).map(lambda v: {"country": {"in": v}}),
        _subset(CHANNELS).map(lambda v: {"channel": {"in": v}}),
        st.tuples(st.sampled_from(["category", "viewedCategory"]), _subset(CATEGORY_IDS)).map(
            lambda kv: {kv[0]: {"in": kv[1]}}
        ),
        st.tuples(st.sampled_from(["viewedProduct", "cartContains"]), _subset(PRODUCT_IDS)).map(
            lambda kv: {kv[0]: {"in": kv[1]}}
        ),
        st.sampled_from(["*checkout*", "https://shop.example/*", "*/p/*/", "*"]).map(
            lambda p: {"url": {"matches": p}}
        ),
        st.tuples(st.sampled_from(["returning", "exitIntent"]), st.booleans()).flatmap(
            lambda kv: st.sampled_from([{kv[0]: kv[1]}, {kv[0]: {"eq": kv[1]}}])
        ),
    )


def condition(depth: int = 3) -> st.SearchStrategy[dict[str, Any]]:
    if depth == 0:
        return leaf()
    inner = condition(depth - 1)
    return st.one_of(
        leaf(),
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: {"all": parts}),
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: {"any": parts}),
        inner.map(lambda part: {"not": part}),
    )


def _texts(template: str = "") -> st.SearchStrategy[dict[str, str]]:
    return st.dictionaries(
        st.sampled_from(LOCALES), plain_text.map(lambda t: t + template), min_size=1, max_size=4
    )


show = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("chat_prompt"), "message": _texts()}, optional={"cta": _texts()}
    ),
    st.fixed_dictionaries(
        {"type": st.just("free_shipping_notice"), "message": _texts(" {remaining}")},
        optional={"reachedMessage": _texts(" {threshold} {cartValue}")},
    ),
    st.fixed_dictionaries(
        {"type": st.just("product_comparison"), "message": _texts()},
        optional={"cta": _texts(), "maxProducts": st.integers(2, 6)},
    ),
)

hhmm = st.tuples(st.integers(0, 23), st.integers(0, 59)).map(lambda t: f"{t[0]:02d}:{t[1]:02d}")
schedule = st.fixed_dictionaries(
    {"timezone": st.sampled_from(TIMEZONES)},
    optional={"days": _subset(DAYS)},
).flatmap(
    lambda s: st.one_of(
        st.just(s),
        st.tuples(hhmm, hhmm)
        .filter(lambda w: w[0] != w[1])
        .map(lambda w: {**s, "from": w[0], "to": w[1]}),
    )
)

rule_document = st.fixed_dictionaries(
    {"name": plain_text, "when": condition(), "show": show},
    optional={
        "enabled": st.booleans(),
        "priority": st.integers(0, 1000),
        "channels": st.lists(st.sampled_from(CHANNELS), max_size=2, unique=True),
        "frequency": st.fixed_dictionaries(
            {},
            optional={
                "maxPerVisitor": st.integers(1, 5),
                "per": st.sampled_from(["session", "day", "visitor"]),
                "cooldownMinutes": st.integers(0, 120),
            },
        ),
        "holdoutPercent": st.integers(0, 50) | st.sampled_from([0.5, 12.25, 33.33]),
        "schedule": schedule,
    },
)

KNOWN_KEYS = [
    "name", "enabled", "priority", "channels", "when", "show", "frequency", "holdoutPercent",
    "schedule", "all", "any", "not", "type", "message", "cta", "reachedMessage", "timezone",
    "days", "from", "to", "maxPerVisitor", "per", "cooldownMinutes", "in", "matches", "maxProducts",
    *NUMERIC_OPS,
    *LEAF_KINDS,
]  # fmt: skip
junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["chat_prompt", "free_shipping_notice", "UTC", "09:00", "mon", "{x}"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)

moment = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 1, 1), timezones=st.just(UTC)
)
money_amount = st.integers(0, 50_000).map(lambda cents: Decimal(cents) / 100)
odd_amount = money_amount | st.just(Decimal("NaN"))


@st.composite
def frequency_state(draw: st.DrawFn, now: datetime) -> FrequencyState:
    ever = draw(st.integers(0, 6))
    today = draw(st.integers(0, ever))
    session = draw(st.integers(0, today))
    last = None
    if ever:
        last = now - timedelta(minutes=draw(st.integers(0, 60 * 24 * 3)))
    return FrequencyState(session, today, ever, last)


@st.composite
def visitor(draw: st.DrawFn, trigger_ids: list[str]) -> VisitorContext:
    now = draw(moment)
    dismissed = draw(st.none() | st.integers(0, 120).map(lambda m: now - timedelta(minutes=m)))
    return VisitorContext(
        visitor_id=draw(st.from_regex(r"[A-Za-z0-9_-]{1,20}", fullmatch=True)),
        session_id="s_1",
        channel=draw(st.sampled_from(CHANNELS)),
        now=now,
        page_type=draw(st.none() | st.sampled_from(PAGE_TYPES)),
        url=draw(st.none() | st.sampled_from(["https://shop.example/checkout", "/p/1/", "x"])),
        time_on_page=draw(st.floats(0, 10_000) | st.just(float("nan"))),
        time_on_site=draw(st.floats(0, 100_000)),
        pages_viewed=draw(st.integers(0, 100)),
        products_viewed=draw(st.integers(0, 100)),
        categories_viewed=draw(st.integers(0, 20)),
        page_category_id=draw(st.none() | st.sampled_from(CATEGORY_IDS)),
        viewed_product_ids=tuple(draw(st.lists(st.sampled_from(PRODUCT_IDS), unique=True))),
        viewed_category_ids=tuple(draw(st.lists(st.sampled_from(CATEGORY_IDS), unique=True))),
        max_viewed_product_price=draw(st.none() | odd_amount),
        visit_count=draw(st.integers(1, 50)),
        device=draw(st.none() | st.sampled_from([*DEVICES, "fridge"])),
        locale=draw(st.none() | st.sampled_from([*LOCALES, "xx", "!!", "zh-Hant-TW"])),
        country=draw(st.none() | st.sampled_from([*COUNTRIES, "fr"])),
        exit_intent=draw(st.booleans()),
        frequency={tid: draw(frequency_state(now)) for tid in trigger_ids if draw(st.booleans())},
        last_dismissed_at=dismissed,
    )


@st.composite
def store(draw: st.DrawFn) -> StoreFacts:
    currency = draw(st.sampled_from(["EUR", "USD"]))
    cart_currency = draw(st.sampled_from([currency, currency, "USD"]))
    cart = draw(
        st.none()
        | st.builds(
            CartFacts,
            odd_amount,
            st.integers(0, 20),
            st.just(cart_currency),
            st.frozensets(st.sampled_from(PRODUCT_IDS)),
        )
    )
    threshold = draw(st.none() | money_amount.map(lambda a: Money(a, currency)))
    return StoreFacts(
        channel="default-channel",
        currency=currency,
        cart=cart,
        free_shipping_threshold=threshold,
        quiet_period_minutes=draw(st.integers(0, 60)),
        viewed_products=tuple(
            CatalogueProduct(pid, pid, None, None, Money(Decimal(1), currency), tuple(attrs))
            for pid, attrs in draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(PRODUCT_IDS),
                        st.lists(st.tuples(st.sampled_from("ABC"), plain_text), max_size=3),
                    ),
                    max_size=8,
                    unique_by=lambda pair: pair[0],
                )
            )
        ),
    )
