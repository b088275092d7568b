"""The reference article: every non-LM "must" item is flagged with a gold fix first, and nothing
in must_not_flag is flagged (the JSON contract of `mtcheck check`, through the CLI)."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from mtcheck.cli import app

LM_ONLY = {"beasts"}  # needs the language model (next issue)


def _fold(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def test_seed_must_items_found_and_fixed(seed, tmp_path) -> None:
    text, gold = seed
    path = tmp_path / gold["file"]
    path.write_text(text, encoding="utf-8")
    out = CliRunner().invoke(app, ["check", str(path), "--format", "json"])
    assert out.exit_code == 1, out.output
    findings = json.loads(out.stdout)["files"][0]["findings"]
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
            mine = text[a : f["start"]] + first + text[f["end"] : b]
            ok = ok or any(
                _fold(mine) == _fold(text[a : item["start"]] + g + text[item["end"] : b]) for g in item["fixes"]
            )
        assert ok, f"no gold fix first for {item['text']!r}: {[f['suggestions'][:1] for f in hits]}"


def test_seed_must_not_flag(seed, tmp_path) -> None:
    text, gold = seed
    path = tmp_path / gold["file"]
    path.write_text(text, encoding="utf-8")
    out = CliRunner().invoke(app, ["check", str(path), "--format", "json"])
    findings = json.loads(out.stdout)["files"][0]["findings"]
    for clean in gold["must_not_flag"]:
        for m in re.finditer(re.escape(clean), text):
            bad = [f for f in findings if f["start"] < m.end() and m.start() < f["end"]]
            assert not bad, f"{clean!r} flagged: {[(f['code'], f['text']) for f in bad]}"


def test_seed_findings_all_inside_gold(seed) -> None:
    """No finding outside the annotated problems: precision on the example."""
    import mtcheck

    text, gold = seed
    for f in mtcheck.check(text, lang="en"):
        assert any(f.start < g["end"] and g["start"] < f.end for g in gold["findings"]), (f.code, f.text)
