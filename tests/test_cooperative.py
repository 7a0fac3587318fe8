"""Under gevent (a gevent worker, after it patched the standard library), a call that waits in
C runs in a real thread, so the worker's other greenlets go on meanwhile."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

GEVENT_PROCESS = """
from gevent import monkey
monkey.patch_all()

import sqlite3
import gevent
from saleor_proactive.cooperative import gevent_patched, in_native_thread
from saleor_proactive.store.sqlite.wal import WalCheckpointer

blocking_sleep = monkey.get_original("time", "sleep")  # waits in C, as SQLite's copies do
ticks = []

def tick():
    while True:
        ticks.append(1)
        gevent.sleep(0.01)

ticker = gevent.spawn(tick)
gevent.sleep(0)
{call}(blocking_sleep, 0.5)
ticker.kill()
print("patched", gevent_patched(), "ticks", len(ticks))

database = sqlite3.connect({path!r}, isolation_level=None)
database.execute("PRAGMA journal_mode=WAL")
database.execute("CREATE TABLE t (x)")
database.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(3000)])
done = WalCheckpointer({path!r}, truncate_after_pages=0).checkpoint()
print("checkpoint", done.log_pages > 0, done.copied_pages == done.log_pages, done.truncated)
"""


def _run(tmp_path: Path, call: str) -> str:
    script = GEVENT_PROCESS.format(call=call, path=str(tmp_path / "wal.db"))
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_blocking_call_in_a_native_thread_lets_the_other_greenlets_run(tmp_path: Path) -> None:
    # when a greenlet waits 0.5 s in C through `in_native_thread`, or directly
    offloaded = _run(tmp_path, "in_native_thread")
    (tmp_path / "direct").mkdir()
    direct = _run(tmp_path / "direct", "(lambda function, *args: function(*args))")

    # then another greenlet ticked about every 10 ms meanwhile, which it could not when the
    # call held the only thread
    ticks = int(offloaded.split()[3])
    assert offloaded.startswith("patched True")
    assert ticks >= 20
    assert int(direct.split()[3]) <= 2


def test_the_wal_checkpointer_copies_and_empties_the_log_under_gevent(tmp_path: Path) -> None:
    # when the checkpointer runs in a gevent-patched process (its statements in a pool's threads)
    output = _run(tmp_path, "in_native_thread")

    # then it copied the whole log and emptied it
    assert "checkpoint True True True" in output
