"""Scores cached by model and sentence: re-checking an edited article rescores only the
sentences that changed. One SQLite file in the cache folder, safe for concurrent processes."""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from mtcheck.lm.base import Probe, SentenceScores

SCHEMA = 2  # 2: probes hold one number


class ScoreCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=10, check_same_thread=False)
        with self._db:
            self._db.execute("CREATE TABLE IF NOT EXISTS scores (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID")

    @classmethod
    def open(cls, folder: Path | None) -> ScoreCache | None:
        """The cache under ``folder``, or None if caching is off or the folder is unusable."""
        if folder is None:
            return None
        try:
            return cls(folder / f"lm-scores-v{SCHEMA}.sqlite")
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
                for k, v in self._db.execute(f"SELECT key, value FROM scores WHERE key IN ({marks})", chunk):
                    with contextlib.suppress(Exception):  # a stale or broken row is rescored
                        out[k] = pickle.loads(v)
        except sqlite3.Error:
            return {}
        return out

    def put_many(self, items: dict[str, SentenceScores]) -> None:
        rows = [(k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)) for k, v in items.items()]
        with contextlib.suppress(sqlite3.Error), self._db:
            self._db.executemany("INSERT OR REPLACE INTO scores VALUES (?, ?)", rows)
