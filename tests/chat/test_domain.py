"""The chat's domain: what a message may hold, visitor tokens, the conversation's life."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from saleor_proactive.chat import service
from saleor_proactive.chat.fanout import (
    InProcessFanout,
    PostgresFanout,
    SqliteFanout,
    conversation_key,
    inbox_key,
)
from saleor_proactive.chat.tokens import ChatTokens
from saleor_proactive.chat.validation import ChatInputError, clean_email, clean_message
from saleor_proactive.rulebook import seed_default_triggers
from saleor_proactive.store.announcements import sqlite_file
from saleor_proactive.store.db import Database
from saleor_proactive.store.models import ChatConversation, CheckoutSnapshot, VisitorCheckout
from saleor_proactive.store.models.chat import AGENT, CLOSED, OPEN, SHOP, VISITOR
from tests.fixtures.dashboard import MerchantInstallation

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("", "empty"),
        ("  \n\t ", "empty"),
        ("x" * 2001, "too_long"),
        ("hello\x00there", "control_characters"),
        ("bell\x07", "control_characters"),
        ("c1\x85inside", "control_characters"),
        ("lone \ud800 surrogate", "control_characters"),
        (42, "invalid"),
        (None, "invalid"),
    ],
)
def test_unfit_messages_are_refused_with_a_reason(body: object, code: str) -> None:
    with pytest.raises(ChatInputError) as refused:
        clean_message(body)
    assert refused.value.code == code
    assert refused.value.field == "body"


def test_a_message_keeps_its_lines_and_loses_its_outer_blanks() -> None:
    assert clean_message("  Hola,\r\n¿tenéis talla 42?\t ") == "Hola,\n¿tenéis talla 42?"
    assert clean_message("x" * 2000) == "x" * 2000


@pytest.mark.parametrize("email", ["", "no-at-sign", "a@b", "two@@example.com", "sp ace@x.com"])
def test_unfit_emails_are_refused(email: str) -> None:
    with pytest.raises(ChatInputError) as refused:
        clean_email(email)
    assert refused.value.code == "invalid_email"


def test_a_token_opens_only_its_own_conversation_in_its_own_shop() -> None:
    tokens = ChatTokens("secret-one")
    token = tokens.issue(1, "conv-a")
    assert tokens.verify(1, "conv-a", token)
    assert not tokens.verify(1, "conv-b", token)  # another visitor's conversation
    assert not tokens.verify(2, "conv-a", token)  # the same id in another shop
    assert not ChatTokens("another-secret").verify(1, "conv-a", token)
    assert not tokens.verify(1, "conv-a", token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert not tokens.verify(1, "conv-a", "")


def _chat_trigger_id(database: Database, merchant: MerchantInstallation) -> str:
    with database.session() as session:
        triggers = seed_default_triggers(session, merchant.id)
        return next(t.id for t in triggers if t.document["show"]["type"] == "chat_prompt")


def test_a_conversation_starts_with_the_prompt_in_the_visitors_language(
    database: Database, merchant: MerchantInstallation
) -> None:
    trigger_id = _chat_trigger_id(database, merchant)
    fanout = InProcessFanout()
    with database.session() as session:
        conversation = service.start_conversation(
            session,
            fanout,
            installation_id=merchant.id,
            visitor_id="v-1",
            channel="default-channel",
            locale="es-ES",
            trigger_id=trigger_id,
            now=NOW,
        )
        expected = service.opening_line(session, merchant.id, trigger_id, "es-ES")
        lines = service.messages_after(session, conversation, 0)
    assert expected and lines[0].body == expected
    assert lines[0].author == SHOP
    assert conversation.status == OPEN


def _start(database: Database, merchant: MerchantInstallation, visitor: str = "v-1") -> str:
    with database.session() as session:
        conversation = service.start_conversation(
            session,
            InProcessFanout(),
            installation_id=merchant.id,
            visitor_id=visitor,
            channel="default-channel",
            locale="en",
            trigger_id=None,
            now=NOW,
        )
        return conversation.public_id


def _conversation(
    session: object, merchant: MerchantInstallation, public_id: str
) -> ChatConversation:
    found = service.find_conversation(session, merchant.id, public_id)  # type: ignore[arg-type]
    assert found is not None
    return found


def test_lines_are_read_after_a_cursor_and_counted_unread_per_side(
    database: Database, merchant: MerchantInstallation
) -> None:
    public_id = _start(database, merchant)
    fanout = InProcessFanout()
    with database.session() as session:
        conversation = _conversation(session, merchant, public_id)
        first = service.post_message(session, fanout, conversation, VISITOR, "Hi", NOW)
        service.post_message(session, fanout, conversation, VISITOR, "Anyone?", NOW)
        assert service.unread_count(session, conversation, AGENT) == 2
        assert service.unread_count(session, conversation, VISITOR) == 0
        reply = service.post_message(
            session, fanout, conversation, AGENT, "Yes!", NOW, author_email="ana@shop.example"
        )
        assert service.unread_count(session, conversation, AGENT) == 0  # answering reads them
        assert service.unread_count(session, conversation, VISITOR) == 1
        after_first = service.messages_after(session, conversation, first.id)
    assert [m.body for m in after_first] == ["Anyone?", "Yes!"]
    assert after_first[-1].id == reply.id and reply.author_email == "ana@shop.example"


def test_the_inbox_lists_open_conversations_first_with_unread_counts(
    database: Database, merchant: MerchantInstallation, other_merchant: MerchantInstallation
) -> None:
    quiet, busy, closed = (_start(database, merchant, f"v-{n}") for n in range(3))
    _start(database, other_merchant, "v-elsewhere")
    fanout = InProcessFanout()
    with database.session() as session:
        for public_id, minutes in ((quiet, 1), (busy, 5), (closed, 9)):
            conversation = _conversation(session, merchant, public_id)
            at = NOW + timedelta(minutes=minutes)
            service.post_message(session, fanout, conversation, VISITOR, f"hi {minutes}", at)
        busy_one = _conversation(session, merchant, busy)
        service.post_message(
            session, fanout, busy_one, VISITOR, "still there?", NOW + timedelta(minutes=6)
        )
        service.set_status(session, fanout, _conversation(session, merchant, closed), CLOSED)
    with database.session() as session:
        entries = service.inbox(session, merchant.id)
        total = service.total_unread(session, merchant.id)
    assert [e.conversation.public_id for e in entries] == [busy, quiet, closed]
    assert [e.unread for e in entries] == [2, 1, 1]
    assert entries[0].last_body == "still there?"
    assert total == 4


def test_a_visitors_line_reopens_a_closed_conversation(
    database: Database, merchant: MerchantInstallation
) -> None:
    public_id = _start(database, merchant)
    fanout = InProcessFanout()
    with database.session() as session:
        conversation = _conversation(session, merchant, public_id)
        service.set_status(session, fanout, conversation, CLOSED)
        service.post_message(session, fanout, conversation, VISITOR, "one more thing", NOW)
        assert conversation.status == OPEN


def test_erasure_by_email_and_retention_delete_conversations_with_their_lines(
    database: Database, merchant: MerchantInstallation
) -> None:
    kept, erased, expired = (_start(database, merchant, f"v-{n}") for n in range(3))
    fanout = InProcessFanout()
    with database.session() as session:
        for public_id in (kept, erased, expired):
            conversation = _conversation(session, merchant, public_id)
            service.post_message(session, fanout, conversation, VISITOR, "hello", NOW)
        service.leave_email(
            session, fanout, _conversation(session, merchant, erased), "Eve@Example.com"
        )
        _conversation(session, merchant, expired).last_message_at = NOW - timedelta(days=100)
    with database.session() as session:
        assert service.erase_by_email(session, merchant.id, "eve@example.com ") == 1
        assert service.purge_before(session, merchant.id, NOW - timedelta(days=90)) == 1
    with database.session() as session:
        left = [e.conversation.public_id for e in service.inbox(session, merchant.id)]
        remaining_lines = session.execute(text("SELECT count(*) FROM chat_messages")).scalar()
    assert left == [kept]
    assert remaining_lines == 1


def test_erasure_by_email_reaches_conversations_whose_checkout_carried_the_address(
    database: Database, merchant: MerchantInstallation
) -> None:
    """The inbox shows the visitor's checkout email beside the conversation, so an erasure
    request for that address takes the conversation too, even if the visitor never typed it."""
    shopper, other = _start(database, merchant, "v-shopper"), _start(database, merchant, "v-other")
    with database.session() as session:
        for visitor, checkout, email in (
            ("v-shopper", "old-checkout", "Ann@Example.com"),
            ("v-shopper", "new-checkout", None),
            ("v-other", "other-checkout", "bob@example.com"),
        ):
            session.add(
                VisitorCheckout(
                    installation_id=merchant.id,
                    checkout_id=checkout,
                    visitor_id=visitor,
                    session_id="s",
                    channel="default-channel",
                )
            )
            session.add(
                CheckoutSnapshot(
                    installation_id=merchant.id,
                    checkout_id=checkout,
                    channel_slug="default-channel",
                    currency="USD",
                    subtotal_net=Decimal(10),
                    subtotal_gross=Decimal(10),
                    total_gross=Decimal(10),
                    email=email,
                    saleor_updated_at=NOW,
                )
            )
    with database.session() as session:
        assert service.erase_by_email(session, merchant.id, "ann@example.com") == 1
    with database.session() as session:
        left = [e.conversation.public_id for e in service.inbox(session, merchant.id)]
    assert left == [other]
    assert shopper not in left


def test_a_waiting_reader_wakes_on_commit_and_not_on_rollback(
    database: Database, merchant: MerchantInstallation
) -> None:
    public_id = _start(database, merchant)
    fanout = InProcessFanout()
    keys = (conversation_key(public_id),)
    seen = fanout.versions.snapshot(keys)
    with pytest.raises(RuntimeError), database.session() as session:
        conversation = _conversation(session, merchant, public_id)
        service.post_message(session, fanout, conversation, AGENT, "lost", NOW)
        raise RuntimeError("rolled back")
    assert not fanout.versions.wait(keys, seen, 0.05)

    woke: list[float] = []

    def reader() -> None:
        started = time.monotonic()
        if fanout.versions.wait(keys, seen, 5.0):
            woke.append(time.monotonic() - started)

    thread = threading.Thread(target=reader)
    thread.start()
    with database.session() as session:
        conversation = _conversation(session, merchant, public_id)
        service.post_message(session, fanout, conversation, AGENT, "kept", NOW)
    thread.join(5)
    assert woke and woke[0] < 1.0
    assert fanout.versions.snapshot((inbox_key(merchant.id),))[1] != (0,)


def test_a_change_wakes_the_readers_of_its_key_and_a_lost_listener_wakes_everyone() -> None:
    # given readers of two conversations and of both at once
    versions = InProcessFanout().versions
    one, two = conversation_key("one"), conversation_key("two")
    outcomes: dict[str, bool] = {}

    def reader(name: str, keys: tuple[str, ...], seconds: float) -> threading.Thread:
        seen = versions.snapshot(keys)
        thread = threading.Thread(
            target=lambda: outcomes.__setitem__(name, versions.wait(keys, seen, seconds))
        )
        thread.start()
        return thread

    readers = [reader("one", (one,), 5.0), reader("two", (two,), 0.5)]
    readers.append(reader("both", (one, two), 5.0))
    time.sleep(0.1)

    # when the first conversation changes
    versions.bump((one,))
    for thread in readers:
        thread.join(5)

    # then its readers wake, the other conversation's reader waits out its time
    assert outcomes == {"one": True, "two": False, "both": True}

    # and when the listener is lost, a reader of anything wakes
    last = reader("again", (two,), 5.0)
    time.sleep(0.1)
    versions.everything()
    last.join(5)
    assert outcomes["again"] is True


def test_postgres_notify_wakes_a_reader_of_another_fanout_only_after_commit(
    database: Database, merchant: MerchantInstallation
) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("LISTEN/NOTIFY needs PostgreSQL (PROACTIVE_TEST_DATABASE_URL)")
    public_id = _start(database, merchant)
    writer, reader = PostgresFanout(database.url), PostgresFanout(database.url)
    try:
        reader.ensure_listening()
        keys = (conversation_key(public_id),)
        seen = reader.versions.snapshot(keys)
        with database.session() as session:
            conversation = _conversation(session, merchant, public_id)
            service.post_message(session, writer, conversation, AGENT, "across processes", NOW)
            session.flush()
            assert not reader.versions.wait(keys, seen, 0.3)  # not before the commit
        assert reader.versions.wait(keys, seen, 5.0)
    finally:
        writer.close()
        reader.close()


def test_a_sqlite_announcement_wakes_a_reader_of_another_fanout_only_after_commit(
    database: Database, merchant: MerchantInstallation
) -> None:
    path = sqlite_file(database.url)
    if path is None:
        pytest.skip("announcements are read from a SQLite file")
    public_id = _start(database, merchant)
    writer, reader = SqliteFanout(path), SqliteFanout(path)
    try:
        reader.ensure_listening()
        keys = (conversation_key(public_id),)
        seen = reader.versions.snapshot(keys)
        with pytest.raises(RuntimeError), database.session() as session:
            conversation = _conversation(session, merchant, public_id)
            service.post_message(session, writer, conversation, AGENT, "rolled back", NOW)
            raise RuntimeError("the request failed")
        assert not reader.versions.wait(keys, seen, 0.5)  # a rollback announces nothing
        with database.session() as session:
            conversation = _conversation(session, merchant, public_id)
            service.post_message(session, writer, conversation, AGENT, "across processes", NOW)
            session.flush()
            assert not reader.versions.wait(keys, seen, 0.5)  # not before the commit
        assert reader.versions.wait(keys, seen, 5.0)
    finally:
        writer.close()
        reader.close()


def test_the_hourly_purge_forgets_conversations_quiet_past_the_retention_period(
    database: Database, merchant: MerchantInstallation
) -> None:
    from saleor_proactive.analytics.retention import purge_installation
    from saleor_proactive.store.models import Installation

    old, recent = _start(database, merchant, "v-old"), _start(database, merchant, "v-new")
    now = datetime.now(UTC)
    with database.session() as session:
        _conversation(session, merchant, old).last_message_at = now - timedelta(days=91)
        _conversation(session, merchant, recent).last_message_at = now - timedelta(days=89)
    with database.session() as session:
        installation = session.get(Installation, merchant.id)
        assert installation is not None
        counts = purge_installation(session, installation, now)
    with database.session() as session:
        left = [e.conversation.public_id for e in service.inbox(session, merchant.id)]
    assert counts.conversations == 1
    assert left == [recent]
