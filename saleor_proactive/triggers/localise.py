"""Pick the visitor's language from a text map and format money the way their locale writes it."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency

from .texts import normalise_tag

FALLBACK_LANGUAGE = "en"


def pick_text(texts: Mapping[str, str], locale: str | None) -> str:
    """The text for `locale`: `es-MX`, then `es`, then `en`, then the first (CONTRACT §4).

    Exactly the contract's chain: a Mexican visitor of a rule with only `es-ES` and `en` reads
    the `en` text. Merchants who want one Spanish text for every region write it under `es`.
    """
    if not texts:
        return ""
    if locale is not None and locale in texts:  # the visitor's tag is a key as written
        return texts[locale]
    return texts[_best_key(tuple(texts), locale)]


@lru_cache(maxsize=4096)
def _best_key(keys: tuple[str, ...], locale: str | None) -> str:
    """Which of a text map's keys a locale reads; the same few pairs recur on every request."""
    by_tag = {_lower_tag(key): key for key in keys}
    tag = _lower_tag(locale) if locale else ""
    language = tag.split("-", 1)[0]
    for wanted in (tag, language, FALLBACK_LANGUAGE):
        if wanted and wanted in by_tag:
            return by_tag[wanted]
    return keys[0]


@lru_cache(maxsize=1024)
def _lower_tag(tag: str) -> str:
    return (normalise_tag(tag) or tag).lower()


def format_money(amount: Decimal | float | int, currency: str, locale: str | None) -> str:
    """`12, "EUR", "es-ES"` → `12,00 €`; `12, "EUR", "en"` → `€12.00` (Babel, CLDR data)."""
    exact = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    return _format(exact, currency, locale)


@lru_cache(maxsize=4096)
def _format(amount: Decimal, currency: str, locale: str | None) -> str:
    tag = normalise_tag(locale) if locale else None
    text = format_currency(amount, currency.upper(), locale=_babel_locale(tag))
    # CLDR separates with no-break spaces; messages are plain text that storefronts and the
    # contract's examples ("Te faltan 12,00 € ...") write with ordinary spaces.
    return text.translate(_PLAIN_SPACES)


_PLAIN_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


@lru_cache(maxsize=256)
def _babel_locale(tag: str | None) -> Locale:
    """The closest locale Babel knows: the full tag, then the language, then English."""
    candidates = [tag, tag.split("-", 1)[0]] if tag else []
    for candidate in [*candidates, FALLBACK_LANGUAGE]:
        try:
            return Locale.parse(candidate, sep="-")
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return Locale("en")
