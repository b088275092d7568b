"""Gold-annotated articles, scored like ../shared/tools/score_gold.py: the reference article and
the team's own examples in corpora/examples (same classes of error, other words).

Every "must" item (except those that need the language model) is flagged with a gold fix as
its first suggestion, nothing in must_not_flag is flagged, and no finding falls outside the
annotated problems. The seed goes through the CLI's JSON output, the contract users script.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtcheck.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "corpora" / "examples").glob("*.gold.json"))
LM_ONLY = {"beasts"}  # needs the language model (issue 3)


def _fold(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _findings(text: str, name: str, tmp_path: Path) -> list[dict]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = CliRunner().invoke(app, ["check", str(path), "--format", "json"])
    assert out.exit_code in (0, 1), out.output
    return json.loads(out.stdout)["files"][0]["findings"]


def _score(text: str, gold: dict, findings: list[dict]) -> None:
    for item in gold["findings"]:
        if item["level"] != "must" or item["text"] in LM_ONLY:
            continue
        hits = [f for f in findings if f["start"] < item["end"] and item["start"] < f["end"]]
        assert hits, f"not flagged: {item['text']!r}"
        ok = False
        for f in hits:
            first = (f["suggestions"] or [None])[0]
            if first is None:
                continue
            a, b = min(f["start"], item["start"]), max(f["end"], item["end"])
            mine = _fold(text[a : f["start"]] + first + text[f["end"] : b])
            golds = [_fold(text[a : item["start"]] + g + text[item["end"] : b]) for g in item["fixes"]]
            ok = ok or mine in golds
        assert ok, f"no gold fix first for {item['text']!r}: {[f['suggestions'][:1] for f in hits]}"
    for clean in gold["must_not_flag"]:
        for m in re.finditer(re.escape(clean), text):
            bad = [f for f in findings if f["start"] < m.end() and m.start() < f["end"]]
            assert not bad, f"{clean!r} flagged: {[(f['code'], f['text']) for f in bad]}"
    for f in findings:
        assert any(f["start"] < g["end"] and g["start"] < f["end"] for g in gold["findings"]), (f["code"], f["text"])


def test_seed_article(seed, tmp_path) -> None:
    text, gold = seed
    _score(text, gold, _findings(text, gold["file"], tmp_path))


@pytest.mark.parametrize("gold_path", EXAMPLES, ids=lambda p: p.name)
def test_example_articles(gold_path: Path, tmp_path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = (gold_path.parent / gold["file"]).read_text(encoding="utf-8")
    _score(text, gold, _findings(text, gold["file"], tmp_path))


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 2
