"""Severities calibrated on real articles: a major finding must be right 9 times in 10.

``mtcheck/rules/severity.yaml`` holds, per target language and rule, how often the rule's major
findings overlapped a professional rater's error span on real MT articles (and counted as wrong
on human references), measured on the tune two thirds of ../shared/bench/mqm by document and
written by ``python bench/real_articles.py --calibrate``. A rule whose major findings were right
less than 9 times in 10 reports them as minor in that language; a language the file does not
know uses the figures pooled over all. ``calibrated-severity = false`` in the configuration
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


@cache
def caps() -> Mapping[str, Mapping[str, Severity]]:
    """Target language (or ``*``) -> rule code -> the highest severity its findings keep."""
    path = resources.files("mtcheck") / "rules" / "severity.yaml"
    try:
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        return MappingProxyType({})
    out: dict[str, Mapping[str, Severity]] = {}
    for lang, rules in (data.get("languages") or {}).items():
        out[str(lang)] = MappingProxyType({code: Severity.parse(row["cap"]) for code, row in rules.items()})
    return MappingProxyType(out)


def cap_for(code: str, lang: str | None) -> Severity | None:
    table = caps()
    own = table.get(lang or "", {})
    if code in own:
        return own[code]
    return table.get(POOLED, {}).get(code)


def calibrated(findings: Iterable[Finding], lang: str | None) -> list[Finding]:
    """The findings with each severity lowered to its rule's calibrated cap."""
    out = []
    for f in findings:
        cap = cap_for(f.code, lang)
        out.append(replace(f, severity=cap) if cap is not None and f.severity > cap else f)
    return out


def cap_of(major: int, right: int) -> Severity:
    """The cap a rule earns from its major findings on the benchmark: right at least 9 times
    in 10 keeps them major (critical stays critical); too few to tell keeps them too."""
    if major < MIN_EVIDENCE or right >= MAJOR_PRECISION * major:
        return Severity.CRITICAL
    return Severity.MINOR
