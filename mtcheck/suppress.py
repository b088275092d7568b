"""Inline suppression: drop findings covered by ``<!-- mtcheck-ignore ... -->`` comments and
report the comments that covered nothing (MT001)."""

from __future__ import annotations

import heapq
from collections import defaultdict

from mtcheck.checks.meta import UNUSED_SUPPRESSION
from mtcheck.markup import Directive
from mtcheck.model import Applicability, Finding


def _covers(d: Directive, f: Finding) -> bool:
    in_scope = d.scope_start <= f.start and f.end <= d.scope_end
    return in_scope and (not d.codes or any(f.code.startswith(c) for c in d.codes))


def _first_covering(findings: list[Finding], directives: list[Directive]) -> list[int | None]:
    """For each finding, the first directive (in list order) that covers it, or None.

    A sweep over the text, not a loop over every pair: a text of ten thousand comments and
    ten thousand findings must not take a hundred million comparisons. Directives whose scope
    has begun wait in heaps by their index, one heap per code they name ("" for all codes),
    and a finding looks only in the heaps of its code's prefixes."""
    order = sorted(range(len(directives)), key=lambda i: directives[i].scope_start)
    active: dict[str, list[tuple[int, int]]] = defaultdict(list)  # code -> heap of (index, scope end)
    result: list[int | None] = [None] * len(findings)
    nxt = 0
    for fi in sorted(range(len(findings)), key=lambda i: findings[i].start):
        f = findings[fi]
        while nxt < len(order) and directives[order[nxt]].scope_start <= f.start:
            d = directives[order[nxt]]
            for code in d.codes or ("",):
                heapq.heappush(active[code], (order[nxt], d.scope_end))
            nxt += 1
        best: int | None = None
        for key in ["", *(f.code[:n] for n in range(1, len(f.code) + 1))]:
            heap = active.get(key)
            if not heap:
                continue
            while heap and heap[0][1] < f.start:  # over before this finding: over for the rest
                heapq.heappop(heap)
            if not heap:
                continue
            index, end = heap[0]
            if end < f.end:  # the first one ends inside the finding: look at the others, in order
                found = [i for i, e in sorted(heap) if e >= f.end]
                if not found:
                    continue
                index = found[0]
            if best is None or index < best:
                best = index
        result[fi] = best
    return result


def apply(findings: list[Finding], directives: list[Directive], original: str) -> list[Finding]:
    if not directives:
        return findings
    used: set[int] = set()
    kept = []
    for f, hit in zip(findings, _first_covering(findings, directives), strict=True):
        if hit is None:
            kept.append(f)
        else:
            used.add(hit)
    for i, d in enumerate(directives):
        if i not in used:
            finding = UNUSED_SUPPRESSION.finding(
                d.start,
                d.end,
                f"Suppression of {', '.join(d.codes) or 'all codes'} matched no finding",
                suggestions=[""],
                applicability=Applicability.UNSAFE,
            )
            kept.append(finding.shifted(d.start, d.end, original[d.start : d.end]))
    return kept
