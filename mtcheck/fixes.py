"""apply(text, findings, unsafe=False): apply non-overlapping fixes in one pass.

Fixes are taken in order of position; one that overlaps a fix already taken waits for the next
pass (the CLI re-checks and repeats until nothing changes, so a second `mtcheck fix` is a no-op).
"""

from __future__ import annotations

from collections.abc import Iterable

from mtcheck.model import Applicability, Finding


def applicable(f: Finding, unsafe: bool) -> bool:
    if f.fix is None:
        return False
    return f.fix.applicability is Applicability.SAFE or (unsafe and f.fix.applicability is Applicability.UNSAFE)


def select(findings: Iterable[Finding], unsafe: bool = False) -> list[Finding]:
    """The fixes to apply now: applicable, non-overlapping, first come first served."""
    chosen: list[Finding] = []
    last_end = -1
    last_insert_at = -1
    for f in sorted(findings, key=lambda x: (*x.edit_span, x.code)):
        if not applicable(f, unsafe):
            continue
        start, end = f.edit_span
        if not 0 <= start <= end:
            continue  # not a span: a finding made by hand, wrongly
        if start < last_end:
            continue
        if start == end and start == last_insert_at:
            continue  # two insertions at one point: their order would be arbitrary
        if f.fix is not None and f.fix.start is None and f.fix.replacement == f.text:
            continue  # a no-op fix
        chosen.append(f)
        last_end = max(last_end, end)
        if start == end:
            last_insert_at = start
    return chosen


def apply(text: str, findings: Iterable[Finding], unsafe: bool = False) -> str:
    chosen = select(findings, unsafe)
    parts: list[str] = []
    pos = 0
    for f in chosen:
        assert f.fix is not None
        if f.text and text[f.start : f.end] != f.text:
            continue  # the finding belongs to another version of the text
        start, end = f.edit_span
        if end > len(text):
            continue
        parts.append(text[pos:start])
        parts.append(f.fix.replacement)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
