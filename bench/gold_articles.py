"""Gold-annotated articles: the reference article (../shared/seed) and the team's own in
corpora/ (examples/ and articles/: machine-translation artefacts of the seed's classes in other
words, into English, French, German and Spanish, as text, Markdown and HTML).

Prints found / fixed / alarms per folder, as ../shared/tools/score_gold.py counts them, and
lists every miss. No --src-lang is given: the source language is unknown, as for a user who
only has the translation.

    python bench/gold_articles.py [--level must|all]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mtcheck.api import check_document
from mtcheck.eval.gold import GoldScore, score
from mtcheck.report import FileResult, file_dict

ROOT = Path(__file__).resolve().parents[1]


def run(gold_path: Path, level: str) -> GoldScore:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    path = gold_path.parent / gold["file"]
    text = path.read_text(encoding="utf-8")
    res = check_document(text, filename=path.name)
    findings = file_dict(FileResult(path.name, text, res.findings))["findings"]
    return score(text, gold, findings, level)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--level", default="must", choices=["must", "should", "all"])
    ap.add_argument("--seed", default=str(ROOT.parent / "shared" / "seed"))
    args = ap.parse_args(argv)
    groups = {
        "seed": sorted(Path(args.seed).glob("*.gold.json")),
        "corpora/examples": sorted((ROOT / "corpora" / "examples").glob("*.gold.json")),
        "corpora/articles": sorted((ROOT / "corpora" / "articles").glob("*.gold.json")),
    }
    print(f"level={args.level}\n")
    print("| articles | files | found | fixed | alarms on clean text | findings outside the gold |")
    print("|---|---|---|---|---|---|")
    notes: list[str] = []
    for name, paths in groups.items():
        total = GoldScore()
        for p in paths:
            total.add(run(p, args.level))
        print(
            f"| {name} | {len(paths)} | {total.found}/{total.total} | {total.fixed}/{total.fixable} "
            f"| {len(total.alarms_on_clean)} | {len(total.outside_gold)} |"
        )
        notes += [f"missed  {m}" for m in total.missed] + [f"unfixed {m}" for m in total.unfixed]
        notes += [f"alarm   {m}" for m in total.alarms_on_clean]
    print()
    for n in notes:
        print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
