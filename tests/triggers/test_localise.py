from decimal import Decimal

import pytest

from saleor_proactive.triggers.localise import format_money, pick_text

TEXTS = {"en": "Hello", "es": "Hola", "es-MX": "Qué onda", "de": "Hallo"}


@pytest.mark.parametrize(
    ("texts", "locale", "expected"),
    [
        (TEXTS, "es-MX", "Qué onda"),
        (TEXTS, "es-mx", "Qué onda"),
        (TEXTS, "es_MX", "Qué onda"),
        (TEXTS, "es-ES", "Hola"),
        (TEXTS, "es", "Hola"),
        (TEXTS, "de-AT", "Hallo"),
        (TEXTS, "fr-FR", "Hello"),
        (TEXTS, None, "Hello"),
        (TEXTS, "", "Hello"),
        (TEXTS, "not a tag!", "Hello"),
        ({"es-ES": "Hola", "en": "Hello"}, "es-MX", "Hello"),
        ({"es-ES": "Hola", "fr": "Bonjour"}, "es-MX", "Hola"),
        ({"de": "Hallo", "es": "Hola", "en": "Hello"}, "es-MX", "Hola"),
        ({"fr": "Bonjour", "de": "Hallo"}, "it", "Bonjour"),
        ({"fr": "Bonjour", "de": "Hallo"}, None, "Bonjour"),
        ({}, "en", ""),
    ],
)
def test_text_falls_back_from_region_to_language_to_english_to_the_first(
    texts: dict[str, str], locale: str | None, expected: str
) -> None:
    # when
    text = pick_text(texts, locale)

    # then
    assert text == expected


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "expected"),
    [
        (Decimal("12"), "EUR", "es-ES", "12,00 €"),
        (Decimal("12"), "EUR", "en", "€12.00"),
        (12, "EUR", "en-US", "€12.00"),
        (12.5, "USD", "en-US", "$12.50"),
        (Decimal("1234.5"), "EUR", "de-DE", "1.234,50 €"),
        (Decimal("1234.5"), "EUR", "fr-FR", "1 234,50 €"),
        (Decimal("1500"), "JPY", "ja-JP", "￥1,500"),
        (Decimal("12"), "eur", "es", "12,00 €"),
        (Decimal("12"), "EUR", "xx-YY", "€12.00"),
        (Decimal("12"), "EUR", None, "€12.00"),
    ],
)
def test_money_is_written_the_way_the_visitors_locale_writes_it(
    amount: Decimal | int | float, currency: str, locale: str | None, expected: str
) -> None:
    # when
    text = format_money(amount, currency, locale)

    # then
    assert text == expected
