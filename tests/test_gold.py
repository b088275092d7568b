"""Gold-annotated articles, scored like ../shared/tools/score_gold.py: the reference article and
the team's own examples in corpora/examples (same classes of error, other words).

Every "must" item is flagged with a gold fix as its first suggestion, nothing in must_not_flag
is flagged, and no finding falls outside the annotated problems. The seed goes through the CLI's
JSON output, the contract users script, with the real default language model ("beasts").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtcheck.cli import app
from mtcheck.eval.gold import score

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "corpora" / "examples").glob("*.gold.json"))


def _findings(text: str, name: str, tmp_path: Path) -> list[dict]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = CliRunner().invoke(app, ["check", str(path), "--format", "json"])
    assert out.exit_code in (0, 1), out.output
    return json.loads(out.stdout)["files"][0]["findings"]


def _score(text: str, gold: dict, findings: list[dict]) -> None:
    result = score(text, gold, findings, "must")
    assert result.missed == []
    assert result.unfixed == []
    assert result.alarms_on_clean == []
    assert result.outside_gold == []


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


def test_team_articles_hold_their_scores() -> None:
    """The team's articles in corpora/articles (artefacts of the seed's classes in other
    words and languages): nearly everything found, and no alarm on correct text. The rules
    raise nothing outside the gold; the model, which judges probability rather than knowing
    an error, may flag a little more (at most 1.5 minor findings per 1,000 words, never major)."""
    from mtcheck.api import check_document
    from mtcheck.eval.gold import GoldScore
    from mtcheck.report import FileResult, file_dict

    total = GoldScore()
    words = 0
    model_major: list[str] = []
    for gold_path in sorted((ROOT / "corpora" / "articles").glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        path = gold_path.parent / gold["file"]
        text = path.read_text(encoding="utf-8")
        words += len(text.split())
        findings = file_dict(FileResult(path.name, text, check_document(text, filename=path.name).findings))
        result = score(text, gold, findings["findings"])
        total.add(result)
        model_major += [
            label
            for label in result.outside_gold
            for f in findings["findings"]
            if f["code"] == "MT801" and f["severity"] != "minor" and label.endswith(repr(f["text"]))
        ]
    assert total.total >= 100
    assert total.found >= 0.95 * total.total, total.missed
    assert total.fixed >= 0.95 * total.fixable, total.unfixed
    assert total.alarms_on_clean == []
    by_rules = [x for x in total.outside_gold if " MT8" not in x]
    by_model = [x for x in total.outside_gold if " MT8" in x]
    assert by_rules == []
    assert len(by_model) <= 1.5 * words / 1000, by_model
    assert model_major == [], model_major
