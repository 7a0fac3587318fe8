"""SQLite writers take turns through a file lock: in arrival order, across threads and processes."""

from __future__ import annotations

import ast
import multiprocessing
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from saleor_proactive.store.db import Database
from saleor_proactive.store.sqlite import writers


@pytest.fixture
def scratch(tmp_path: Path) -> Database:
    scratch = Database(f"sqlite:///{tmp_path / 'turns.db'}")
    with scratch.engine.begin() as connection:
        connection.execute(text("CREATE TABLE log (who TEXT, event TEXT)"))
    return scratch


def _log(scratch: Database, who: str, event: str) -> None:
    with scratch.engine.connect() as connection, writers.turn(connection):
        connection.execute(
            text("INSERT INTO log VALUES (:who, :event)"), {"who": who, "event": event}
        )
        connection.commit()


def test_a_second_thread_waits_for_the_first_ones_turn(scratch: Database) -> None:
    # given a writer in the middle of its turn
    started = threading.Event()
    order: list[str] = []

    def second_writer() -> None:
        started.set()
        with scratch.engine.connect() as connection, writers.turn(connection):
            order.append("second")

    with scratch.engine.connect() as connection, writers.turn(connection):
        order.append("first")
        thread = threading.Thread(target=second_writer)
        thread.start()
        started.wait(5)
        time.sleep(0.2)  # long enough for the second one to have barged in, were it let
        order.append("first done")
    thread.join(5)

    # then the second one only wrote after the first one's turn
    assert order == ["first", "first done", "second"]


def _hold_turn(
    path: str, ready: multiprocessing.synchronize.Event, release: multiprocessing.synchronize.Event
) -> None:
    other = Database(f"sqlite:///{path}")
    with other.engine.connect() as connection, writers.turn(connection):
        ready.set()
        release.wait(10)
    other.dispose()


def test_another_process_waits_for_the_turn_too(scratch: Database, tmp_path: Path) -> None:
    # given another process (as a second gunicorn worker) holding the turn
    context = multiprocessing.get_context("fork")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_turn, args=(str(tmp_path / "turns.db"), ready, release))
    holder.start()
    assert ready.wait(10)

    # when this process wants a turn, then it waits until the other lets go
    waited: list[float] = []

    def take_turn() -> None:
        started = time.monotonic()
        with scratch.engine.connect() as connection, writers.turn(connection):
            waited.append(time.monotonic() - started)

    taker = threading.Thread(target=take_turn)
    taker.start()
    taker.join(0.3)
    assert taker.is_alive(), "the turn should still be the other process's"
    release.set()
    taker.join(10)
    holder.join(10)
    assert waited and waited[0] >= 0.3


def test_a_connection_that_already_wrote_cannot_take_a_turn(scratch: Database) -> None:
    # given a transaction that began writing outside any turn
    with scratch.engine.connect() as connection:
        connection.execute(text("INSERT INTO log VALUES ('early', 'write')"))

        # when / then: it could wait for a turn held by someone waiting for its lock
        refused = pytest.raises(RuntimeError, match="before the transaction's first write")
        with refused, writers.turn(connection):
            pass
        connection.rollback()


def test_turns_of_many_threads_lose_no_write(scratch: Database) -> None:
    # when eight threads write fifty rows each, in turns
    def write_rows(who: str) -> None:
        for n in range(50):
            _log(scratch, who, str(n))

    threads = [threading.Thread(target=write_rows, args=(f"t{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    # then all of them landed
    with scratch.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM log")).scalar_one() == 400


def test_other_databases_have_no_turns() -> None:
    # given an in-memory database, which no other process can open
    memory = Database("sqlite://")
    with memory.engine.connect() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))

        # when a thread takes a turn mid-transaction, and another thread takes one meanwhile
        entered: list[str] = []

        def second_writer() -> None:
            with writers.turn(connection):
                entered.append("second")

        with writers.turn(connection):
            thread = threading.Thread(target=second_writer)
            thread.start()
            thread.join(5)
            entered.append("first")

    # then a turn is no turn at all: neither waited for the other
    assert entered == ["second", "first"]


def test_a_process_forked_from_a_writer_takes_turns_of_its_own(scratch: Database) -> None:
    # given this process has taken turns before, so its lock file is open, and holds one now
    _log(scratch, "parent", "before the fork")
    context = multiprocessing.get_context("fork")
    child_done = context.Event()

    def child() -> None:
        with scratch.engine.connect() as connection, writers.turn(connection):
            child_done.set()

    with scratch.engine.connect() as connection, writers.turn(connection):
        # when a process forked now (as gunicorn forks workers) wants a turn
        process = context.Process(target=child)
        process.start()

        # then it waits for this one's, rather than sharing it through the inherited file
        assert not child_done.wait(0.3)
    assert child_done.wait(10)
    process.join(10)


def test_only_the_store_knows_sqlites_machinery() -> None:
    """Turns and checkpoints are the store's business: others go through `store.db`."""
    package = Path(writers.__file__).resolve().parents[2]  # saleor_proactive/
    outside = [
        path for path in package.rglob("*.py") if "store" not in path.relative_to(package).parts
    ]
    importers = [
        str(path.relative_to(package))
        for path in outside
        if any(
            _names_store_sqlite(node, path, package)
            for node in ast.walk(ast.parse(path.read_text()))
        )
    ]
    assert importers == []


def _names_store_sqlite(node: ast.AST, path: Path, package: Path) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name.startswith("saleor_proactive.store.sqlite") for alias in node.names)
    if not isinstance(node, ast.ImportFrom):
        return False
    if node.level:  # relative: resolve against the importing module's package
        base = path.parent.relative_to(package.parent).parts
        parts = [*base[: len(base) - node.level + 1], *(node.module or "").split(".")]
    else:
        parts = (node.module or "").split(".")
    modules = [".".join(filter(None, parts))]
    modules += [f"{modules[0]}.{alias.name}" for alias in node.names]
    return any(module.startswith("saleor_proactive.store.sqlite") for module in modules)
