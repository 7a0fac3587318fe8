"""The app page's message catalogues: every language has every text the page asks for."""

from __future__ import annotations

import re
from pathlib import Path

from saleor_proactive.dashboard.messages import DEFAULT_LANGUAGE, catalogues

DASHBOARD = Path(__file__).resolve().parents[2] / "saleor_proactive" / "dashboard"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def keys_the_page_uses() -> set[str]:
    """Keys named literally in the template (data-i18n...) and in the modules (t("...")), plus
    the weekday keys editor.js builds from the vocabulary's day names."""
    template = (DASHBOARD / "templates" / "dashboard" / "app.html").read_text()
    used = set(re.findall(r'data-i18n(?:-label)?="(\w+)"', template))
    for module in (DASHBOARD / "static").glob("*.js"):
        text = module.read_text()
        used |= set(re.findall(r'\bt\("(\w+)"\s*[,)]', text))
        used |= set(re.findall(r'"data-i18n(?:-label)?": "(\w+)"\s*[,}]', text))
    return used


def test_there_are_english_and_spanish_catalogues() -> None:
    assert {"en", "es"} <= set(catalogues())
    assert DEFAULT_LANGUAGE in catalogues()


def test_every_language_has_the_same_keys_and_placeholders() -> None:
    english = catalogues()[DEFAULT_LANGUAGE]
    for language, texts in catalogues().items():
        assert set(texts) == set(english), language
        for key, text in texts.items():
            assert text.strip(), (language, key)
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(english[key])), (
                language,
                key,
            )


def test_every_key_the_page_uses_is_in_the_catalogues() -> None:
    used = keys_the_page_uses()
    assert {"tabTriggers", "tabResults", "tabSettings", "tabShipping", "tabChat"} <= used
    missing = used - set(catalogues()[DEFAULT_LANGUAGE])
    assert missing == set()


def test_every_name_of_the_vocabulary_has_a_text_in_every_language() -> None:
    # the page shows page types, devices, chat providers and positions by these texts, and
    # weekdays by day_<name>; the values it stores stay the vocabulary's
    from saleor_proactive.dashboard.vocabulary import vocabulary

    names = vocabulary()
    expected = {f"day_{day}" for day in names["days"]} | {
        f"v_{value}"
        for kind in ("pageTypes", "devices", "chatProviders", "themePositions", "barPositions")
        for value in names[kind]
    }
    for language, texts in catalogues().items():
        assert sorted(expected - set(texts)) == [], language
