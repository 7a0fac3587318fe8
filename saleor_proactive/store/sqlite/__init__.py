"""SQLite's machinery for several worker processes on one database file.

- `writers.py`: writers take turns on a file lock beside the database (`fcntl`) instead of
  waiting in SQLite's growing sleeps;
- `wal.py`: the write-ahead log checkpointed by a thread of each worker instead of a request.

Only `store/` uses this package: others take a turn through `store.db.writers_turn` and start
the checkpoints with `Database.start_wal_checkpoints`, which do nothing on PostgreSQL.
"""
