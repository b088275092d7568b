"""The registry of check families: a plain tuple, built once per process.

The language-model checks are one more ``Check``, with ``needs_model=True``: they run only when
a model scored the document (``Context.lm``).
"""

from __future__ import annotations

from functools import cache

from mtcheck.checks import casing, house, language, layout, lexicon, lm, locale, meta, repetition, source, spacing
from mtcheck.checks.base import Check, Context
from mtcheck.model import Rule

__all__ = ["Check", "Context", "all_checks", "all_rules", "rule_by_code"]


@cache
def all_checks() -> tuple[Check, ...]:
    return (
        meta.CHECK,
        casing.CHECK,
        spacing.CHECK,
        layout.CHECK,
        locale.CHECK,
        lexicon.make_check(),
        house.CHECK,
        language.CHECK,
        repetition.CHECK,
        source.CHECK,
        lm.CHECK,
    )


def all_rules() -> list[Rule]:
    return sorted((r for c in all_checks() for r in c.rules), key=lambda r: r.code)


def rule_by_code(code: str) -> Rule | None:
    code = code.upper()
    return next((r for r in all_rules() if r.code == code or r.slug == code.lower()), None)
