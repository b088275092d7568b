"""Severities calibrated on real articles: a major finding must be right 9 times in 10.

``mtcheck/rules/severity.yaml`` holds, per target language and rule, how often the rule's major
findings overlapped a professional rater's error span on real MT articles (and counted as wrong
on human references), measured on the tune two thirds of ../shared/bench/mqm by document and
written by ``python bench/real_articles.py --calibrate``. A rule whose major findings were right
less than 9 times in 10 reports them as minor in that language; a language the file does not
know uses the figures pooled over all; a small sample is allowed one finding of slack (see
``cap_of``). ``calibrated-severity = false`` in the configuration
gives each rule's own severity back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from mtcheck.model import Finding, Severity

# A major finding on real text must be right at least this often.
MAJOR_PRECISION = 0.9
# Fewer major findings than this on the benchmark say too little to move a severity.
MIN_EVIDENCE = 3
POOLED = "*"


Caps = Mapping[str, Mapping[str, Severity]]


@cache
def caps() -> Caps:
    """Target language (or ``*``) -> rule code -> the highest severity its findings keep."""
    path = resources.files("mtcheck") / "rules" / "severity.yaml"
    try:
        return parse_caps(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return MappingProxyType({})


def parse_caps(text: str) -> Caps:
    """The caps of a severity file (``mtcheck/rules/severity.yaml``, or one a benchmark wrote)."""
    data: dict[str, Any] = yaml.safe_load(text) or {}
    out: dict[str, Mapping[str, Severity]] = {}
    for lang, rules in (data.get("languages") or {}).items():
        out[str(lang)] = MappingProxyType({code: Severity.parse(row["cap"]) for code, row in rules.items()})
    return MappingProxyType(out)


def cap_for(code: str, lang: str | None, table: Caps | None = None) -> Severity | None:
    table = caps() if table is None else table
    own = table.get(lang or "", {})
    if code in own:
        return own[code]
    return table.get(POOLED, {}).get(code)


def calibrated(findings: Iterable[Finding], lang: str | None, table: Caps | None = None) -> list[Finding]:
    """The findings with each severity lowered to its rule's calibrated cap (from ``table``,
    by default the shipped one)."""
    out = []
    for f in findings:
        cap = cap_for(f.code, lang, table)
        out.append(replace(f, severity=cap) if cap is not None and f.severity > cap else f)
    return out


def cap_of(major: int, right: int, precision: float | None = None, chance: float | None = None) -> Severity:
    """The cap a rule earns from its major findings on the benchmark. They stay major where
    at least 9 in 10 were right, give or take one finding (8 right of 9 stays major, 7 of 9
    and 30 of 37 do not: one finding is within the noise of a small sample, two are not),
    unless the rule's findings overlap the raters' spans no more often than spans of their
    length put at random would (``precision`` and ``chance``, over all its findings: a
    sentence-long finding overlaps some error in most MT sentences)."""
    if major < MIN_EVIDENCE:
        return Severity.CRITICAL
    if precision is not None and chance is not None and precision <= chance:
        return Severity.MINOR
    return Severity.CRITICAL if right >= MAJOR_PRECISION * major - 1 else Severity.MINOR
