"""Score findings against a gold-annotated article (the format of ../shared/seed/*.gold.json).

Same rules as the project's scorer: a gold item is found when a finding's span overlaps it;
fixed when the finding's first suggestion, applied over the union of both spans, gives one of
the gold fixes (whitespace folded); a finding overlapping a must_not_flag string is an alarm on
clean text, one overlapping no gold item is outside the gold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


def _fold(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


@dataclass
class GoldScore:
    found: int = 0
    total: int = 0
    fixed: int = 0
    fixable: int = 0
    alarms_on_clean: list[str] = field(default_factory=list)
    outside_gold: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    unfixed: list[str] = field(default_factory=list)

    def add(self, other: GoldScore) -> None:
        self.found += other.found
        self.total += other.total
        self.fixed += other.fixed
        self.fixable += other.fixable
        for name in ("alarms_on_clean", "outside_gold", "missed", "unfixed"):
            getattr(self, name).extend(getattr(other, name))


def _overlaps(f: Mapping[str, Any], start: int, end: int) -> bool:
    return bool(f["start"] < end and start < f["end"]) or f["start"] == f["end"] == start


def _fixes_it(text: str, f: Mapping[str, Any], item: Mapping[str, Any]) -> bool:
    first = (f.get("suggestions") or [None])[0]
    if first is None:
        return False
    a, b = min(f["start"], item["start"]), max(f["end"], item["end"])
    mine = _fold(text[a : f["start"]] + first + text[f["end"] : b])
    return any(mine == _fold(text[a : item["start"]] + g + text[item["end"] : b]) for g in item["fixes"])


def score(
    text: str,
    gold: Mapping[str, Any],
    findings: Iterable[Mapping[str, Any]],
    level: str = "must",
    skip: frozenset[str] = frozenset(),
) -> GoldScore:
    """``findings`` as JSON dicts (start, end, suggestions...); ``skip``: gold texts left out."""
    fs = list(findings)
    out = GoldScore()
    name = gold.get("file", "")
    items = [i for i in gold["findings"] if (level == "all" or i["level"] == level) and i["text"] not in skip]
    for item in items:
        out.total += 1
        hits = [f for f in fs if _overlaps(f, item["start"], item["end"])]
        if not hits:
            out.missed.append(f"{name}: {item['text']!r} ({item['category']})")
            continue
        out.found += 1
        if item["fixes"]:
            out.fixable += 1
            if any(_fixes_it(text, f, item) for f in hits):
                out.fixed += 1
            else:
                got = [(f.get("suggestions") or [None])[0] for f in hits]
                out.unfixed.append(f"{name}: {item['text']!r} -> {got}, gold {item['fixes'][:2]}")
    clean = [(m.start(), m.end()) for c in gold.get("must_not_flag", []) for m in re.finditer(re.escape(c), text)]
    for f in fs:
        label = f"{name}: {f['code']} {f['text']!r}"
        if any(f["start"] < e and s < f["end"] for s, e in clean):
            out.alarms_on_clean.append(label)
        elif not any(f["start"] < i["end"] and i["start"] < f["end"] for i in gold["findings"]):
            out.outside_gold.append(label)
    return out
