"""The visitor's one read and one write per request: only changed columns, all or nothing,
never a lost change."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from saleor_proactive.store.db import Database
from saleor_proactive.store.models import CheckoutSnapshot, Interaction, VisitorCheckout, utcnow
from saleor_proactive.store.models import Visitor as VisitorRow
from saleor_proactive.storefront import repository
from saleor_proactive.storefront.visitor_state import ActionEvent, Visitor
from tests.fixtures.storefront import ShopRows


def _new_visitor(shop: ShopRows, checkout_id: str | None = None) -> Visitor:
    now = utcnow()
    return Visitor(
        installation_id=shop.installation_id,
        visitor_id="v_repo",
        channel="default-channel",
        session_id="s_1",
        session_started_at=now,
        last_seen_at=now,
        created_at=now,
        products_viewed=["UHJvZHVjdDox"],
        frequency={"t1": {"session": 1, "ever": 1}},
        checkout_id=checkout_id,
    )


def _insert(database: Database, shop: ShopRows, checkout_id: str | None = None) -> None:
    with database.visitor_engine.connect() as connection:
        repository.save(connection, _new_visitor(shop, checkout_id))


def _load(database: Database, shop: ShopRows) -> Visitor:
    with database.visitor_engine.connect() as connection:
        visitor = repository.load_visitor(connection, shop.installation_id, "v_repo", None).visitor
    assert visitor is not None
    return visitor


def test_changes_made_in_place_are_written_too(database: Database, shop: ShopRows) -> None:
    # given a stored visitor
    _insert(database, shop)
    visitor = _load(database, shop)

    # when its containers are changed in place, and a scalar is replaced
    visitor.products_viewed.append("UHJvZHVjdDoy")
    visitor.frequency["t1"]["ever"] = 2
    visitor.max_viewed_product_price = Decimal("49.90")
    with database.visitor_engine.connect() as connection:
        repository.save(connection, visitor)

    # then every change is stored, and the version moved on
    stored = _load(database, shop)
    assert stored.products_viewed == ["UHJvZHVjdDox", "UHJvZHVjdDoy"]
    assert stored.frequency == {"t1": {"session": 1, "ever": 2}}
    assert stored.max_viewed_product_price == Decimal("49.90")
    assert stored.row_version == visitor.row_version + 1


def test_one_changed_column_is_saved_and_the_rest_kept(database: Database, shop: ShopRows) -> None:
    # given a visitor read by this request
    _insert(database, shop)
    visitor = _load(database, shop)

    # when only its last-seen time changes and it is saved
    visitor.last_seen_at = visitor.last_seen_at + timedelta(seconds=5)
    with database.visitor_engine.connect() as connection:
        repository.save(connection, visitor)

    # then
    stored = _load(database, shop)
    assert stored.last_seen_at == visitor.last_seen_at
    assert stored.products_viewed == ["UHJvZHVjdDox"]
    assert stored.row_version == visitor.row_version + 1


def test_a_write_after_someone_else_wrote_is_refused(database: Database, shop: ShopRows) -> None:
    # given a visitor read by this request, then changed by another one
    _insert(database, shop)
    visitor = _load(database, shop)
    with database.session() as session:
        session.execute(
            update(VisitorRow)
            .where(VisitorRow.visitor_id == "v_repo")
            .values(row_version=VisitorRow.row_version + 1, pages_in_session=7)
        )

    # when this request saves its own change
    visitor.page_url = "https://shop.example.com/faq"
    with (
        database.visitor_engine.connect() as connection,
        pytest.raises(repository.ConcurrentUpdate),
    ):
        repository.save(connection, visitor)

    # then the other request's change stands and ours is not half-applied
    stored = _load(database, shop)
    assert stored.pages_in_session == 7
    assert stored.page_url is None


def _read(database: Database, shop: ShopRows, checkout_id: str | None) -> repository.VisitorRead:
    with database.visitor_engine.connect() as connection:
        return repository.load_visitor(connection, shop.installation_id, "v_repo", checkout_id)


def test_the_visitor_comes_with_the_checkout_the_request_is_about(
    database: Database, shop: ShopRows
) -> None:
    # given a visitor whose stored checkout is "Q2hlY2tvdXQ6YQ==", and two checkout snapshots
    shop.checkout("Q2hlY2tvdXQ6YQ==", "default-channel", "EUR", Decimal("38.00"), items=2)
    shop.checkout("Q2hlY2tvdXQ6Yg==", "channel-usd", "USD", Decimal("55.00"), country="US")
    _insert(database, shop, checkout_id="Q2hlY2tvdXQ6YQ==")

    # when a request names no checkout, then the stored one's snapshot comes with the row
    stored = _read(database, shop, None)
    assert stored.visitor is not None and stored.visitor.checkout_id == "Q2hlY2tvdXQ6YQ=="
    assert stored.checkout is not None
    assert (stored.checkout.channel_slug, stored.checkout.items_quantity) == ("default-channel", 2)

    # when it names another checkout, then that one's snapshot comes instead
    named = _read(database, shop, "Q2hlY2tvdXQ6Yg==")
    assert named.checkout is not None
    assert (named.checkout.currency, named.checkout.shipping_country) == ("USD", "US")

    # when it names a checkout Saleor has not told us about, then there is no snapshot
    assert _read(database, shop, "Q2hlY2tvdXQ6Yw==").checkout is None


def test_a_new_visitor_still_gets_the_snapshot_of_the_checkout_it_names(
    database: Database, shop: ShopRows
) -> None:
    # given a checkout snapshot and no visitor row yet
    shop.checkout("Q2hlY2tvdXQ6YQ==", "default-channel", "EUR", Decimal("38.00"))

    # when the visitor's first request names it
    read = _read(database, shop, "Q2hlY2tvdXQ6YQ==")

    # then
    assert read.visitor is None
    assert read.checkout is not None and read.checkout.currency == "EUR"
    assert _read(database, shop, None).checkout is None


def _action(kind: str, action_id: str) -> ActionEvent:
    return ActionEvent(kind, "trigger-1", action_id, f"nonce-{action_id}", utcnow())


def _stored_interactions(database: Database) -> list[tuple[str, str, str | None]]:
    with database.session() as session:
        rows = session.execute(
            select(Interaction.kind, Interaction.action_id, Interaction.checkout_id).order_by(
                Interaction.id
            )
        )
        return [(kind, action_id, checkout_id) for kind, action_id, checkout_id in rows]


def _stored_links(database: Database) -> list[tuple[str, str]]:
    with database.session() as session:
        rows = session.execute(select(VisitorCheckout.checkout_id, VisitorCheckout.visitor_id))
        return [(checkout_id, visitor_id) for checkout_id, visitor_id in rows]


def test_interactions_and_the_checkout_link_are_written_with_the_visitor_once(
    database: Database, shop: ShopRows
) -> None:
    # given a visitor on a checkout, read by this request
    _insert(database, shop, checkout_id="Q2hlY2tvdXQ6YQ==")
    visitor = _load(database, shop)
    visitor.pages_in_session = 3
    actions = [_action("impression", "a-1"), _action("click", "a-1")]

    # when it is saved with two interactions and its checkout link
    with database.visitor_engine.connect() as connection:
        repository.save(connection, visitor, actions, linked_at=utcnow())

    # then all of it is stored, the interactions on the visitor's checkout
    assert _load(database, shop).pages_in_session == 3
    checkout = "Q2hlY2tvdXQ6YQ=="
    assert _stored_interactions(database) == [
        ("impression", "a-1", checkout),
        ("click", "a-1", checkout),
    ]
    assert _stored_links(database) == [(checkout, "v_repo")]

    # when a later request reports the same ones again, then nothing is doubled
    again = _load(database, shop)
    again.pages_in_session = 4
    with database.visitor_engine.connect() as connection:
        repository.save(connection, again, actions, linked_at=utcnow())
    assert _load(database, shop).pages_in_session == 4
    assert len(_stored_interactions(database)) == 2
    assert len(_stored_links(database)) == 1


def test_a_save_on_a_connection_in_transactions_is_committed_too(
    database: Database, shop: ShopRows
) -> None:
    # given connections of the ORM engine (transactions, not the visitor engine's autocommit),
    # whose first statement is the visitor's read: nothing else has begun their transactions
    # a first request's insert with an interaction, then an update alone (on SQLite the driver's
    # statement is then the transaction's only one)
    for pages, interactions in ((1, ["a-8"]), (2, [])):
        with database.engine.connect() as connection:
            read = repository.load_visitor(connection, shop.installation_id, "v_repo", None)
            visitor = read.visitor or _new_visitor(shop)
            visitor.pages_in_session = pages

            # when the visitor is saved through one
            repository.save(connection, visitor, [_action("impression", a) for a in interactions])

        # then the write outlived the connection: committed, not rolled back on its return
        assert _load(database, shop).pages_in_session == pages
    assert [action for _, action, _ in _stored_interactions(database)] == ["a-8"]


def test_a_refused_write_stores_none_of_its_interactions_or_link(
    database: Database, shop: ShopRows
) -> None:
    # given a visitor read by this request, then written by another one
    _insert(database, shop, checkout_id="Q2hlY2tvdXQ6YQ==")
    visitor = _load(database, shop)
    with database.session() as session:
        session.execute(
            update(VisitorRow).values(row_version=VisitorRow.row_version + 1, pages_in_session=7)
        )

    # when this request saves with its interactions and link
    visitor.pages_in_session = 1
    with (
        database.visitor_engine.connect() as connection,
        pytest.raises(repository.ConcurrentUpdate),
    ):
        repository.save(connection, visitor, [_action("issued", "a-2")], linked_at=utcnow())

    # then nothing of it is stored: the request starts over from a fresh read
    assert _load(database, shop).pages_in_session == 7
    assert _stored_interactions(database) == []
    assert _stored_links(database) == []


def test_the_second_of_two_first_requests_stores_nothing(
    database: Database, shop: ShopRows
) -> None:
    # given a visitor's first request stored
    _insert(database, shop)

    # when a second first request, which read no row either, saves with an interaction
    with database.visitor_engine.connect() as connection, pytest.raises(IntegrityError):
        repository.save(connection, _new_visitor(shop), [_action("issued", "a-3")])

    # then only the first one's row is there, and no interaction of the second
    assert _load(database, shop).row_version == 1
    assert _stored_interactions(database) == []


def _read_after_waiting(
    database: Database, shop: ShopRows, change: Callable[[Connection], None]
) -> repository.VisitorRead:
    """A retried request reads the visitor `exclusively` while another such request holds it,
    changes things and commits."""
    holder = database.visitor_engine.connect()
    reads: list[repository.VisitorRead] = []

    def waiting_request() -> None:
        with database.visitor_engine.connect() as connection, repository.exclusively(connection):
            read = repository.load_visitor(connection, shop.installation_id, "v_repo", None, True)
            reads.append(read)
            assert read.visitor is not None
            read.visitor.pages_in_session += 1
            repository.save(connection, read.visitor)  # not refused: nobody wrote in between

    with repository.exclusively(holder):
        repository.load_visitor(holder, shop.installation_id, "v_repo", None, lock=True)
        change(holder)
        waiter = threading.Thread(target=waiting_request)
        waiter.start()
        waiter.join(timeout=0.5)
        assert not reads, "the second request should wait for the first one's write"
        holder.commit()
    holder.close()
    waiter.join(timeout=10)
    assert _load(database, shop).pages_in_session == 1
    return reads[0]


def test_a_request_that_waited_for_the_visitor_sees_the_checkout_refreshed_meanwhile(
    database: Database, shop: ShopRows
) -> None:
    # given a visitor with a 2-item checkout, and another request holding the visitor while it
    # stores a fresh snapshot from Saleor (5 items)
    shop.checkout("Q2hlY2tvdXQ6YQ==", "default-channel", "EUR", Decimal("38.00"), items=2)
    _insert(database, shop, checkout_id="Q2hlY2tvdXQ6YQ==")

    def refresh(connection: Connection) -> None:
        connection.execute(update(CheckoutSnapshot).values(items_quantity=5))
        connection.execute(update(VisitorRow).values(row_version=VisitorRow.row_version + 1))

    # when a second request of the visitor reads it, then it sees the fresh snapshot
    read = _read_after_waiting(database, shop, refresh)
    assert read.checkout is not None and read.checkout.items_quantity == 5


def test_a_request_that_waited_for_the_visitor_sees_the_checkout_it_moved_to(
    database: Database, shop: ShopRows
) -> None:
    # given a visitor on checkout A, and another request holding it while it moves it to B
    shop.checkout("Q2hlY2tvdXQ6YQ==", "default-channel", "EUR", Decimal("38.00"), items=2)
    shop.checkout("Q2hlY2tvdXQ6Yg==", "default-channel", "EUR", Decimal("90.00"), items=7)
    _insert(database, shop, checkout_id="Q2hlY2tvdXQ6YQ==")

    def move(connection: Connection) -> None:
        connection.execute(
            update(VisitorRow).values(
                checkout_id="Q2hlY2tvdXQ6Yg==", row_version=VisitorRow.row_version + 1
            )
        )

    # when a second request that names no checkout reads the visitor, then it gets B's snapshot
    read = _read_after_waiting(database, shop, move)
    assert read.visitor is not None and read.visitor.checkout_id == "Q2hlY2tvdXQ6Yg=="
    assert read.checkout is not None and read.checkout.items_quantity == 7
