"""The model's score cache is bounded: a server seeing ever new texts keeps only the newest rows,
evicting through the primary key, and an older schema's file does not stay behind."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from mtcheck.lm import cache as cache_module
from mtcheck.lm.base import SentenceScores
from mtcheck.lm.cache import ScoreCache


def _scores(i: int) -> SentenceScores:
    text = f"Sentence number {i} of the article."
    return SentenceScores(text, ((0, 8), (8, 15)), (float(i), 1.5), {0: 2.0})


def test_the_cache_keeps_only_the_newest_rows(tmp_path: Path) -> None:
    cache = ScoreCache(tmp_path / "scores.sqlite", max_rows=100)
    keys = [ScoreCache.key("m@1", f"text {i}", []) for i in range(1000)]
    for start in range(0, len(keys), 37):  # batches as analyses write them
        cache.put_many({k: _scores(start + j) for j, k in enumerate(keys[start : start + 37])})
        assert cache.count() <= 100
    assert cache.count() == 100
    newest = cache.get_many(keys[-100:])
    assert len(newest) == 100 and newest[keys[-1]] == _scores(999)
    assert cache.get_many(keys[:900]) == {}  # the oldest went first


def test_a_rewritten_row_counts_as_new(tmp_path: Path) -> None:
    cache = ScoreCache(tmp_path / "scores.sqlite", max_rows=3)
    cache.put_many({"a": _scores(1), "b": _scores(2), "c": _scores(3)})
    cache.put_many({"a": _scores(4)})  # scored again: now the newest
    cache.put_many({"d": _scores(5)})
    assert set(cache.get_many(["a", "b", "c", "d"])) == {"a", "c", "d"}
    assert cache.get_many(["a"])["a"] == _scores(4)


def test_the_bound_holds_across_openings(tmp_path: Path) -> None:
    for round_ in range(4):
        cache = ScoreCache.open(tmp_path, max_rows=20)
        assert cache is not None
        cache.put_many({f"{round_}-{i}": _scores(i) for i in range(15)})
    with contextlib.closing(sqlite3.connect(tmp_path / f"lm-scores-v{cache_module.SCHEMA}.sqlite")) as db:
        assert db.execute("SELECT COUNT(*) FROM scores").fetchone()[0] == 20


def test_eviction_uses_the_primary_key_not_a_scan(tmp_path: Path) -> None:
    cache = ScoreCache(tmp_path / "scores.sqlite", max_rows=10)
    plan = " ".join(str(row[-1]) for row in cache._db.execute("EXPLAIN QUERY PLAN " + cache_module._EVICT, (10,)))
    assert "SCAN" not in plan and "INTEGER PRIMARY KEY" in plan, plan


def test_an_older_schema_file_is_removed(tmp_path: Path) -> None:
    old = tmp_path / "lm-scores-v2.sqlite"
    with contextlib.closing(sqlite3.connect(old)) as db, db:
        db.execute("CREATE TABLE scores (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID")
    assert ScoreCache.open(tmp_path) is not None
    assert not old.exists()


def test_a_bound_below_one_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="max_rows"):
        ScoreCache(tmp_path / "scores.sqlite", max_rows=0)
