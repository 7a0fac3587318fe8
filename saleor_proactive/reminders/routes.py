"""The public endpoints a reminder links to: the tracked way back to the checkout, and
unsubscribe (a confirmation page for people, one POST for mail clients, RFC 8058)."""

from __future__ import annotations

import html

from flask import Blueprint, Response, current_app, jsonify, redirect
from sqlalchemy import select, update

from ..errors import ApiError
from ..store.db import db_session
from ..store.merchant_settings import load_settings
from ..store.models import CheckoutSnapshot, Installation, ReminderDelivery, utcnow
from .delivery import suppress
from .links import read_click, read_unsubscribe
from .signing import jwks

blueprint = Blueprint("reminders", __name__)

_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>{title}</title></head>"
    '<body style="font-family:sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem">'
    "<main><h1>{title}</h1>{body}</main></body></html>"
)


def _secret() -> str:
    secret = current_app.config["PROACTIVE"].secret_key
    if not secret:
        raise ApiError(503, "not_configured", "reminder links need PROACTIVE_SECRET_KEY")
    return str(secret)


def _page(title: str, body: str, status: int = 200) -> Response:
    page = _PAGE.format(title=html.escape(title), body=body)
    return Response(page, status=status, mimetype="text/html")


@blueprint.get("/reminders/r/<token>")
def follow(token: str) -> Response:
    """Count the click (the first one), then go to the checkout."""
    delivery_id = read_click(_secret(), token)
    if delivery_id is None:
        raise ApiError(400, "invalid_link", "this reminder link is not valid")
    session = db_session()
    row = session.get(ReminderDelivery, delivery_id)
    if row is None:  # erased, or the shop uninstalled the app
        raise ApiError(404, "not_found", "this reminder is no longer known")
    installation = session.get(Installation, row.installation_id)
    token_of_checkout = session.scalar(
        select(CheckoutSnapshot.token).where(
            CheckoutSnapshot.installation_id == row.installation_id,
            CheckoutSnapshot.checkout_id == row.checkout_id,
        )
    )
    link = (
        load_settings(installation).reminders.checkout_link(token_of_checkout or "")
        if (installation is not None)
        else None
    )
    if link is None:
        raise ApiError(404, "not_found", "the shop no longer links reminders to checkouts")
    session.execute(
        update(ReminderDelivery)
        .where(ReminderDelivery.id == delivery_id, ReminderDelivery.clicked_at.is_(None))
        .values(clicked_at=utcnow())
    )
    session.commit()
    return redirect(link, code=302)  # type: ignore[return-value]


@blueprint.get("/reminders/unsubscribe/<token>")
def confirm_unsubscribe(token: str) -> Response:
    """A page with one button: a GET changes nothing, as link checkers and mail scanners
    open every link of a message."""
    if read_unsubscribe(_secret(), token) is None:
        raise ApiError(400, "invalid_link", "this unsubscribe link is not valid")
    form = (
        "<p>Stop the reminders about carts left at this shop?</p>"
        f'<form method="post" action="{html.escape(token)}">'
        '<button type="submit" style="font-size:1rem;padding:.6rem 1.2rem">Unsubscribe</button>'
        "</form>"
    )
    return _page("Cart reminders", form)


@blueprint.post("/reminders/unsubscribe/<token>")
def unsubscribe(token: str) -> Response:
    """One click (RFC 8058 `List-Unsubscribe=One-Click`, or the page's button): the address
    is on the shop's suppression list for good."""
    found = read_unsubscribe(_secret(), token)
    if found is None:
        raise ApiError(400, "invalid_link", "this unsubscribe link is not valid")
    installation_id, email = found
    session = db_session()
    if session.get(Installation, installation_id) is None:
        raise ApiError(404, "not_found", "this shop no longer uses these reminders")
    suppress(session, installation_id, email, "unsubscribed")
    session.commit()
    return _page("Unsubscribed", "<p>You will get no more cart reminders from this shop.</p>")


@blueprint.get("/.well-known/jwks.json")
def app_jwks() -> Response:
    """The public key that signs the reminders the app POSTs to merchants' webhooks."""
    session = db_session()
    keys = jwks(session, _secret())
    session.commit()
    response = jsonify(keys)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
