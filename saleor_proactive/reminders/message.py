"""What a reminder says: the lines (names from the app's catalogue), quantities, prices, the
total, what is left to free shipping, the link back; as HTML in the shop's colours and as plain
text, in the checkout's language with the triggers' fallback (es-MX → es → en → first)."""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from babel.numbers import get_currency_precision

from ..merchant_settings.reminders import ReminderSettings, ReminderTexts
from ..merchant_settings.sections import Theme
from ..triggers.localise import format_money, pick_text

# Built-in texts; the merchant's `texts` replace them per language.
DEFAULT_TEXTS = {
    "en": ReminderTexts("Your cart at {shop} is waiting", "You left these in your cart:"),
    "es": ReminderTexts("Tu carrito en {shop} te espera", "Dejaste esto en tu carrito:"),
    "de": ReminderTexts("Ihr Warenkorb bei {shop} wartet", "Das liegt noch in Ihrem Warenkorb:"),
    "fr": ReminderTexts("Votre panier chez {shop} vous attend", "Vous avez laissé ceci :"),
}
LABELS = {
    "en": (
        "Total",
        "Only {amount} more for free shipping.",
        "Return to your cart",
        "Unsubscribe from cart reminders",
    ),
    "es": (
        "Total",
        "Solo {amount} más para el envío gratis.",
        "Volver a tu carrito",
        "Darse de baja de los recordatorios",
    ),
    "de": (
        "Summe",
        "Nur noch {amount} bis zum kostenlosen Versand.",
        "Zurück zum Warenkorb",
        "Keine Warenkorb-Erinnerungen mehr",
    ),
    "fr": (
        "Total",
        "Plus que {amount} pour la livraison gratuite.",
        "Retour au panier",
        "Se désabonner des rappels",
    ),
}


@dataclass(frozen=True)
class Line:
    name: str
    quantity: int
    total: Decimal  # gross, as the checkout shows it


@dataclass(frozen=True)
class Reminder:
    """Everything a channel needs, already localised."""

    shop: str
    locale: str
    subject: str
    intro: str
    lines: tuple[Line, ...]
    total: Decimal
    currency: str
    remaining_to_free_shipping: Decimal | None
    link: str  # the tracked link back to the checkout
    unsubscribe_link: str
    heading: str | None = None
    button: str | None = None  # none: the language's built-in label

    def money(self, amount: Decimal) -> str:
        return format_money(amount, self.currency, self.locale)

    def amount(self, value: Decimal) -> str:
        """A decimal string with the currency's own digits (`19.00` EUR, `1900` JPY)."""
        digits = get_currency_precision(self.currency)
        return str(value.quantize(Decimal(1).scaleb(-digits)))

    def labels(self) -> tuple[str, str, str, str]:
        language = self.locale.split("-")[0]
        total, remaining, back, unsubscribe = LABELS.get(language, LABELS["en"])
        return total, remaining, self.button or back, unsubscribe

    def text(self) -> str:
        total, remaining, back, unsubscribe = self.labels()
        rows = [
            f"{line.quantity} \u00d7 {line.name}  {self.money(line.total)}" for line in self.lines
        ]
        heading = [self.heading, ""] if self.heading else []
        parts = [*heading, self.intro, "", *rows, "", f"{total}: {self.money(self.total)}"]
        if self.remaining_to_free_shipping is not None:
            parts.append(remaining.format(amount=self.money(self.remaining_to_free_shipping)))
        parts += ["", f"{back}: {self.link}", "", f"{unsubscribe}: {self.unsubscribe_link}"]
        return "\n".join(parts) + "\n"

    def html(self, theme: Theme) -> str:
        total, remaining, back, unsubscribe = self.labels()
        e = html.escape
        rows = "".join(
            f'<tr><td style="padding:4px 8px">{line.quantity} \u00d7 {e(line.name)}</td>'
            f'<td style="padding:4px 8px;text-align:right">{e(self.money(line.total))}</td></tr>'
            for line in self.lines
        )
        heading = f'<h1 style="font-size:22px">{e(self.heading)}</h1>' if self.heading else ""
        note = ""
        if self.remaining_to_free_shipping is not None:
            amount = self.money(self.remaining_to_free_shipping)
            note = f"<p>{e(remaining.format(amount=amount))}</p>"
        button = (
            f'<a href="{e(self.link)}" style="display:inline-block;padding:12px 20px;'
            f"background:{theme.primary_color};color:{theme.text_color};"
            f'text-decoration:none;border-radius:6px">{e(back)}</a>'
        )
        return (
            f'<!doctype html><html lang="{e(self.locale)}"><head><meta charset="utf-8">'
            f"<title>{e(self.subject)}</title></head>"
            '<body style="font-family:sans-serif;color:#1a1a1a;max-width:560px;margin:auto">'
            f"{heading}<p>{e(self.intro)}</p><table>{rows}"
            f'<tr><th style="padding:4px 8px;text-align:left">{e(total)}</th>'
            f'<td style="padding:4px 8px;text-align:right"><strong>'
            f"{e(self.money(self.total))}</strong></td></tr></table>{note}<p>{button}</p>"
            f'<p style="font-size:12px"><a href="{e(self.unsubscribe_link)}" '
            f'style="color:#444">{e(unsubscribe)}</a></p></body></html>'
        )

    def as_json(self) -> dict[str, Any]:
        """The signed webhook's body: the cart and the link, nothing to render."""
        return {
            "shop": self.shop,
            "locale": self.locale,
            "subject": self.subject,
            "lines": [
                {"name": line.name, "quantity": line.quantity, "total": self.amount(line.total)}
                for line in self.lines
            ],
            "total": {"amount": self.amount(self.total), "currency": self.currency},
            "remainingToFreeShipping": (
                None
                if self.remaining_to_free_shipping is None
                else {
                    "amount": self.amount(self.remaining_to_free_shipping),
                    "currency": self.currency,
                }
            ),
            "checkoutUrl": self.link,
            "unsubscribeUrl": self.unsubscribe_link,
        }


def locale_of(language_code: str | None) -> str:
    """Saleor's LanguageCodeEnum (`ES_MX`, `EN`) as a BCP 47 tag (`es-MX`, `en`)."""
    if not language_code:
        return "en"
    language, _, region = language_code.partition("_")
    return f"{language.lower()}-{region.upper()}" if region else language.lower()


def texts_for(settings: ReminderSettings, locale: str, shop: str) -> ReminderTexts:
    """The merchant's texts in the checkout's language, else the built-in ones, by the
    triggers' fallback chain; one language's entry whole, so a heading never comes from
    another language than the body."""
    merged = {**DEFAULT_TEXTS, **settings.texts}
    texts = merged[pick_text({key: key for key in merged}, locale)]
    return replace(texts, subject=texts.subject.replace("{shop}", shop))
