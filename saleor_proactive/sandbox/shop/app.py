"""`create_shop_app`: the demo storefront's pages, in English (`/`) and Spanish (`/es/`).

The cart really goes through the sandbox Saleor (its checkout helpers fire the signed webhooks
the app receives); the checkout ID lives in a cookie and is handed to the snippet with
`setCheckout`, followed by `trackCartUpdated` after every change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse

from ..operations import CheckoutProblem
from ..seed import DEFAULT_CHANNEL
from ..server import SandboxSaleor
from . import catalog
from .texts import FAQ, TEXTS, format_money

CHECKOUT_COOKIE = "proactive_demo_checkout"
MAX_QUANTITY = 50


@dataclass(frozen=True)
class ShopConfig:
    saleor: SandboxSaleor
    app_base_url: str
    channel: str


def create_shop_app(
    saleor: SandboxSaleor, app_base_url: str, channel: str = DEFAULT_CHANNEL
) -> Flask:
    app = Flask(__name__)
    app.config["SHOP"] = ShopConfig(saleor, app_base_url.rstrip("/"), channel)
    pages = _pages_blueprint()
    app.register_blueprint(pages, name="en")
    app.register_blueprint(pages, name="es", url_prefix="/es")
    app.add_template_global(format_money, "money")
    return app


def _config() -> ShopConfig:
    config: ShopConfig = current_app.config["SHOP"]
    return config


def _language() -> str:
    return "es" if request.blueprint == "es" else "en"


def _checkout_id() -> str | None:
    return request.cookies.get(CHECKOUT_COOKIE) or None


def _other_language_url() -> str:
    path = request.full_path.rstrip("?")
    if _language() == "es":
        return path.removeprefix("/es") or "/"
    return "/es" + path


def _page(
    template: str,
    page_type: str,
    status: int = 200,
    commands: list[list[Any]] | None = None,
    **context: Any,
) -> Response:
    config = _config()
    language = _language()
    cart = catalog.cart(config.saleor, config.channel, _checkout_id())
    commands = list(commands or [])
    if cart.checkout_id:
        commands.append(["setCheckout", cart.checkout_id])
    if request.args.get("updated"):
        commands.append(["trackCartUpdated"])
    html = render_template(
        template,
        lang=language,
        t=TEXTS[language],
        ep=language,
        page_type=page_type,
        cart=cart,
        categories=catalog.categories(config.saleor),
        other_language_url=_other_language_url(),
        snippet_src=f"{config.app_base_url}/storefront/v1/snippet.js",
        saleor_api_url=config.saleor.api_url,
        channel=config.channel,
        queued_commands=commands,
        **context,
    )
    response = Response(html, status, content_type="text/html; charset=utf-8")
    if _checkout_id() and not cart.checkout_id:
        response.delete_cookie(CHECKOUT_COOKIE)  # the checkout was completed or is unknown
    return response


def _quantity() -> int:
    try:
        quantity = int(request.form.get("quantity", "1"))
    except ValueError:
        abort(400, "quantity must be a whole number")
    if not 0 <= quantity <= MAX_QUANTITY:
        abort(400, f"quantity must be between 0 and {MAX_QUANTITY}")
    return quantity


def _pages_blueprint() -> Blueprint:
    pages = Blueprint("shop", __name__)

    @pages.get("/")
    def home() -> Response:
        config = _config()
        return _page("home.html", "home", products=catalog.products(config.saleor, config.channel))

    @pages.get("/category/<slug>")
    def category(slug: str) -> Response:
        config = _config()
        found = [
            p for p in catalog.products(config.saleor, config.channel) if p.category_slug == slug
        ]
        if not found:
            abort(404)
        # the category's own id, for rules on the current page's category
        page = ["setPageType", "category", {"categoryId": found[0].category_id}]
        return _page(
            "category.html",
            "category",
            commands=[page],
            products=found,
            title=found[0].category_name,
        )

    @pages.get("/product/<slug>")
    def product(slug: str) -> Response:
        config = _config()
        found = next(
            (p for p in catalog.products(config.saleor, config.channel) if p.slug == slug), None
        )
        if found is None:
            abort(404)
        return _page("product.html", "product", product=found, json_ld=_json_ld(found))

    @pages.get("/cart")
    def cart() -> Response:
        return _page("cart.html", "cart")

    @pages.get("/checkout")
    def checkout() -> Response:
        return _page("checkout.html", "checkout")

    @pages.get("/contact")
    def contact() -> Response:
        return _page("contact.html", "contact")

    @pages.get("/faq")
    def faq() -> Response:
        return _page("faq.html", "faq", questions=FAQ[_language()])

    @pages.post("/cart/add")
    def add_to_cart() -> BaseResponse:
        return _change_cart(add=True)

    @pages.post("/cart/update")
    def update_cart() -> BaseResponse:
        return _change_cart(add=False)

    @pages.post("/checkout/place")
    def place_order() -> Response:
        config = _config()
        checkout_id = _checkout_id()
        if checkout_id and config.saleor.checkout_view(checkout_id):
            config.saleor.create_order(checkout_id)
        response = _page("thanks.html", "other")
        response.delete_cookie(CHECKOUT_COOKIE)
        return response

    return pages


def _change_cart(add: bool) -> BaseResponse:
    config = _config()
    variant_id = request.form.get("variant_id", "")
    quantity = _quantity()
    checkout_id = _checkout_id()
    if checkout_id and not config.saleor.checkout_view(checkout_id):
        checkout_id = None
    try:
        if checkout_id is None:
            checkout_id = config.saleor.create_checkout(config.channel, [(variant_id, quantity)])
        elif add:
            config.saleor.add_checkout_lines(checkout_id, [(variant_id, quantity)])
        else:
            config.saleor.update_checkout_lines(checkout_id, [(variant_id, quantity)])
    except CheckoutProblem as problem:
        abort(400, problem.message)
    response: BaseResponse
    if request.accept_mimetypes.best == "application/json":
        cart = catalog.cart(config.saleor, config.channel, checkout_id)
        response = jsonify({"checkoutId": checkout_id, "quantity": cart.quantity})
    else:
        response = redirect(url_for(f"{_language()}.cart", updated=1))
    response.set_cookie(CHECKOUT_COOKIE, checkout_id, httponly=True, samesite="Lax")
    return response


def _json_ld(product: catalog.ShopProduct) -> str:
    document = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "productID": product.id,
        "sku": product.variant_id,
        "category": product.category_id,  # the snippet reports it as the category's id
        "offers": {
            "@type": "Offer",
            "price": f"{product.price:.2f}",
            "priceCurrency": product.currency,
            "availability": "https://schema.org/InStock",
        },
    }
    # Inside <script>, "</" must not appear: escape the slash of any closing tag.
    return json.dumps(document).replace("</", "<\\/")
