"""Inline suppression: drop findings covered by ``<!-- mtcheck-ignore ... -->`` comments and
report the comments that covered nothing (MT001)."""

from __future__ import annotations

from mtcheck.checks.meta import UNUSED_SUPPRESSION
from mtcheck.markup import Directive
from mtcheck.model import Applicability, Finding


def _covers(d: Directive, f: Finding) -> bool:
    in_scope = d.scope_start <= f.start and f.end <= d.scope_end
    return in_scope and (not d.codes or any(f.code.startswith(c) for c in d.codes))


def apply(findings: list[Finding], directives: list[Directive], original: str) -> list[Finding]:
    if not directives:
        return findings
    used: set[int] = set()
    kept = []
    for f in findings:
        hit = next((i for i, d in enumerate(directives) if _covers(d, f)), None)
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
