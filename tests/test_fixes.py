"""Fixes: never overlapping, applied once, and stable under a second run."""

from __future__ import annotations

import mtcheck
from mtcheck.api import fix_until_stable
from mtcheck.fixes import apply, select
from mtcheck.model import Applicability, Finding, Fix, Severity


def _f(start: int, end: int, text: str, repl: str, app: Applicability = Applicability.SAFE) -> Finding:
    return Finding("MT999", "test", Severity.MINOR, "Other", "m", start, end, text, (repl,), Fix(repl, app))


def test_overlapping_fixes_wait_for_the_next_pass() -> None:
    text = "abcdef"
    first, second = _f(0, 3, "abc", "X"), _f(2, 5, "cde", "Y")
    assert select([second, first]) == [first]
    assert apply(text, [first, second]) == "Xdef"


def test_unsafe_and_suggestions() -> None:
    text = "abcdef"
    unsafe = _f(0, 1, "a", "A", Applicability.UNSAFE)
    sugg = _f(1, 2, "b", "B", Applicability.SUGGESTION)
    assert apply(text, [unsafe, sugg]) == text
    assert apply(text, [unsafe, sugg], unsafe=True) == "Abcdef"


def test_stale_finding_is_skipped() -> None:
    assert apply("xyz", [_f(0, 1, "a", "A")]) == "xyz"


def test_two_insertions_at_one_point_conflict() -> None:
    a, b = _f(2, 2, "", "1"), _f(2, 2, "", "2")
    assert apply("abcd", [a, b]) == "ab1cd"


def test_fix_until_stable_reaches_a_fixpoint() -> None:
    text = "They met in kyiv  ,  and the the talks went on . the end came late."
    fixed, applied = fix_until_stable(text, lang="en")
    assert applied
    assert fix_until_stable(fixed, lang="en")[1] == []
    assert mtcheck.fix(fixed, mtcheck.check(fixed, lang="en")) == fixed


def test_a_fix_may_edit_more_than_the_span() -> None:
    text = (
        "The talks resumed on Monday in Geneva after a long pause.\nSwiss\nMore talks are planned for Friday in Rome.\n"
    )
    findings = [f for f in mtcheck.check(text, lang="en") if f.code == "MT301"]
    assert [(f.text, f.fix.start, f.fix.end) for f in findings if f.fix] == [("Swiss", 58, 64)]
    assert mtcheck.fix(text, findings, unsafe=True) == text.replace("Swiss\n", "")
