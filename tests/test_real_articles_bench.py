"""bench/real_articles.py rebuilds whole articles from MQM segments: the raters' spans must land
on the same characters at document offsets, and the held-aside third must be stable."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest


def _bench() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "bench" / "real_articles.py"
    spec = importlib.util.spec_from_file_location("real_articles", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["real_articles"] = module
    spec.loader.exec_module(module)
    return module


def _seg(doc: str, k: int, system: str, target: str, errors: list[dict], human: bool = False) -> dict:
    return {
        "lp": "zh-en",
        "year": 2021,
        "doc_id": doc,
        "doc_seg_id": k,
        "system": system,
        "is_human": human,
        "source": f"源{k}",
        "target": target,
        "reference": f"Reference {k}.",
        "errors": errors,
    }


@pytest.fixture()
def mqm(tmp_path: Path) -> Path:
    rows = [
        _seg("d1", 2, "A", "  It cost 50000 yuan.", [{"start": 10, "end": 15, "severity": "minor", "category": "X"}]),
        _seg("d1", 1, "A", "Headline here", [{"start": 0, "end": 8, "severity": "major", "category": "Y/Z"}]),
        _seg("d1", 1, "H", "Human", [], human=True),
        _seg("d1", 2, "H", "Human two", [], human=True),
        _seg(
            "d1",
            3,
            "A",
            "Last one.",
            [{"start": None, "end": None, "severity": "major", "category": "Accuracy/Omission"}],
        ),
        _seg("d1", 3, "H", "Human three", [], human=True),
    ]
    path = tmp_path / "zh-en.2021.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_spans_move_to_document_offsets(mqm: Path) -> None:
    bench = _bench()
    refs, mts = bench.articles(mqm)
    assert [a.system for a in mts] == ["A"]  # the human system is left out
    art = mts[0]
    assert art.text == "Headline here\n\nIt cost 50000 yuan.\n\nLast one.\n"
    assert [art.text[s.start : s.end] for s in art.spans] == ["Headline", "50000"]
    assert art.source_side_spans == 1 and art.omission_zones
    assert refs[0].text == "Reference 1.\n\nReference 2.\n\nReference 3.\n"


def test_the_held_third_is_stable() -> None:
    bench = _bench()
    ids = [f"doc{i}" for i in range(300)]
    held = [d for d in ids if bench.split_of(d) == "held"]
    assert held == [d for d in ids if bench.split_of(d) == "held"]
    assert 70 < len(held) < 130
