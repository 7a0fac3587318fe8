"""The visitor API's reads and writes: one read and one write of the visitor per request.

They run on the request's Core connection: each statement is prebuilt (or built once per shape
and cached), so SQLAlchemy reuses its compiled form, and no unit-of-work bookkeeping is involved.
The read and the visitor's update, run on every request, go to the driver's cursor directly
(`store/driver.py`), with SQLAlchemy's SQL and type conversions but not its per-execution work.

Concurrency is optimistic first: the visitor is read without a lock and written only if its
`row_version` is still the one read, else `ConcurrentUpdate` (or, for two first requests at
once, `IntegrityError`) makes the caller start over, then `exclusively`, so that it cannot lose
again. On PostgreSQL the write is a single statement (the row, its new interactions and its
checkout link in data-modifying CTEs) on an autocommit connection, so a request costs two round
trips instead of six (BEGIN, locked read, checkout read, update, inserts, COMMIT). On SQLite, in
process, the write is a short transaction of up to three statements, in its turn among the
writers (`store.db.writers_turn`).

- `reads.py`: the visitor with its checkout, checkouts, product facts;
- `writes.py`: `save` and `exclusively`, for either database;
- `postgresql_writes.py`, `sqlite_writes.py`: each database's write;
- `visitor_rows.py`: the columns and statements they share, and one write's parameters.
"""

from .reads import (
    StoredCheckout,
    VisitorRead,
    load_checkout,
    load_visitor,
    product_facts,
    stored_checkout,
)
from .writes import ConcurrentUpdate, exclusively, save

__all__ = [
    "ConcurrentUpdate",
    "StoredCheckout",
    "VisitorRead",
    "exclusively",
    "load_checkout",
    "load_visitor",
    "product_facts",
    "save",
    "stored_checkout",
]
