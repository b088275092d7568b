"""Scores cached by model and sentence: re-checking an edited article rescores only the
sentences that changed. One SQLite file in the cache folder, safe for concurrent processes,
bounded in rows (``ScoreCache``)."""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from mtcheck.lm.base import Probe, SentenceScores

SCHEMA = 3  # 2: probes hold one number; 3: rows numbered in the order written, for eviction

# About 70 MB on disk for news sentences of some 20 words (a row is ~700 bytes with its key
# and index entry): the sentences of a few thousand articles.
DEFAULT_MAX_ROWS = 100_000

# ``id`` is the rowid: SQLite numbers a new row one above the largest, so ids follow the order of
# writing, and a rewritten key (INSERT OR REPLACE) gets a new one. Deleting every id at or below
# ``newest - max_rows`` keeps at most the ``max_rows`` newest rows, through the primary key: the
# cost is the rows deleted, never a scan of the table, and nothing is counted.
_CREATE = "CREATE TABLE IF NOT EXISTS scores (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, value BLOB NOT NULL)"
_PUT = "INSERT OR REPLACE INTO scores (key, value) VALUES (?, ?)"
_EVICT = "DELETE FROM scores WHERE id <= (SELECT MAX(id) FROM scores) - ?"


class ScoreCache:
    """The model's scores per sentence, on disk, bounded to the ``max_rows`` sentences written
    last (default ``DEFAULT_MAX_ROWS``, about 70 MB): each ``put_many`` evicts the oldest rows
    beyond the bound in its own transaction, so the file stays near the size the bound gives
    (SQLite reuses the freed pages) however many distinct texts a server sees. Oldest means
    first written: a sentence scored again (after its eviction) is written as new.

    Shared by the service's threads: one lock around the connection, and every write one
    transaction, which an exception anywhere in it (a check stopped at its deadline) rolls back.
    """

    def __init__(self, path: Path, max_rows: int = DEFAULT_MAX_ROWS) -> None:
        if max_rows < 1:
            raise ValueError(f"max_rows must be at least 1, not {max_rows}")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.max_rows = max_rows
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), timeout=10, check_same_thread=False)
        with self._db:
            self._db.execute(_CREATE)

    @classmethod
    def open(cls, folder: Path | None, max_rows: int = DEFAULT_MAX_ROWS) -> ScoreCache | None:
        """The cache under ``folder``, or None if caching is off or the folder is unusable."""
        if folder is None:
            return None
        _remove_old_schemas(folder)
        try:
            return cls(folder / f"lm-scores-v{SCHEMA}.sqlite", max_rows)
        except (OSError, sqlite3.Error):
            return None

    @staticmethod
    def key(model: str, text: str, probes: Iterable[Probe]) -> str:
        h = hashlib.sha256(model.encode())
        h.update(b"\0" + text.encode("utf-8", "surrogatepass"))
        for pos, alt in probes:
            h.update(f"\0{pos}:{alt}".encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def get_many(self, keys: list[str]) -> dict[str, SentenceScores]:
        out: dict[str, SentenceScores] = {}
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                marks = ",".join("?" * len(chunk))
                with self._lock:
                    rows = self._db.execute(f"SELECT key, value FROM scores WHERE key IN ({marks})", chunk).fetchall()
                for k, v in rows:
                    with contextlib.suppress(Exception):  # a stale or broken row is rescored
                        out[k] = pickle.loads(v)
        except sqlite3.Error:
            return {}
        return out

    def put_many(self, items: dict[str, SentenceScores]) -> None:
        rows = [(k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)) for k, v in items.items()]
        if not rows:
            return
        with contextlib.suppress(sqlite3.Error), self._lock, self._db:
            self._db.executemany(_PUT, rows)
            self._db.execute(_EVICT, (self.max_rows,))

    def count(self) -> int:
        """The rows held (a count over the table: for tests and diagnostics, not the hot path;
        not ``__len__``, which would make an empty cache false where callers test ``if cache``)."""
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM scores").fetchone()[0])


def _remove_old_schemas(folder: Path) -> None:
    """An older schema's file is never read again: without this it would stay forever, unbounded."""
    for old in range(1, SCHEMA):
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                (folder / f"lm-scores-v{old}.sqlite{suffix}").unlink()
