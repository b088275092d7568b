"""run(document, checks, context) -> findings in original-text offsets. No I/O."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import replace

from mtcheck import suppress
from mtcheck.checks.base import Check, Context
from mtcheck.document import Document
from mtcheck.model import Finding


def _to_original(doc: Document, f: Finding) -> Finding:
    s, e = doc.plain.to_original(f.start, f.end)
    out = f.shifted(s, e, doc.original[s:e])
    if f.fix is None or doc.plain.starts is None:
        return out
    # A fix may only replace text that is the same in the file: a span that crosses markup
    # ("word</b> .") keeps its suggestions but loses its fix, so `fix` never eats a tag.
    fs, fe = f.edit_span
    os_, oe = doc.plain.to_original(fs, fe)
    if doc.original[os_:oe] != doc.text[fs:fe]:
        return replace(out, fix=None)
    if f.fix.start is not None:
        out = replace(out, fix=replace(f.fix, start=os_, end=oe))
    return out


_UNTRANSLATED = ("MT601", "MT904")  # a sentence in another language; the same, seen against the source


def _outside_foreign_text(findings: list[Finding]) -> list[Finding]:
    """Text left in another language (MT601, or MT904 when the source shows it is the
    source's own sentence) is one problem: the target language's rules say nothing useful
    inside it ("habe keinen" is no lowercase name), and MT904 says more than MT601."""
    foreign = [(f.start, f.end) for f in findings if f.code in _UNTRANSLATED]
    if not foreign:
        return findings
    copies = [(f.start, f.end) for f in findings if f.code == "MT904"]
    return [
        f
        for f in findings
        if (
            f.code.startswith("MT6")
            or f.code in _UNTRANSLATED
            or not any(s <= f.start and f.end <= e for s, e in foreign)
        )
        and not (f.code in ("MT601", "MT602") and any(s <= f.start and f.end <= e for s, e in copies))
    ]


def _casing_once(findings: list[Finding]) -> list[Finding]:
    """A lowercase name that the casing rules flag (MT101, MT103) and that the source shows
    capitalised (MT903) is one error; the source's evidence is the stronger, so MT903 stays."""
    sourced = {(f.start, f.end) for f in findings if f.code == "MT903"}
    return [f for f in findings if not (f.code in ("MT101", "MT103") and (f.start, f.end) in sourced)]


class CheckTimeout(TimeoutError):
    """A check stopped at its deadline (``check_document(deadline=...)``)."""


def past(deadline: float | None) -> None:
    """Raise CheckTimeout once ``time.monotonic()`` is past ``deadline`` (None: never)."""
    if deadline is not None and time.monotonic() > deadline:
        raise CheckTimeout("the check ran past its deadline")


def run(doc: Document, checks: Iterable[Check], ctx: Context, deadline: float | None = None) -> list[Finding]:
    seen: set[tuple[str, int, int]] = set()
    findings: list[Finding] = []
    from_model: set[tuple[str, int, int]] = set()
    for check in checks:
        past(deadline)  # between checks: a huge text stops within one check's time
        for f in check(doc, ctx):
            f = _to_original(doc, f)
            key = (f.code, f.start, f.end)
            if key not in seen:
                seen.add(key)
                findings.append(f)
                if check.needs_model:
                    from_model.add(key)
    findings = _rules_first(findings, from_model)
    findings = _outside_foreign_text(findings)
    findings = _casing_once(findings)
    findings = suppress.apply(findings, doc.plain.directives, doc.original)
    findings = [f for f in findings if ctx.config.selects(f.code) and f.severity >= ctx.config.severity]
    findings.sort(key=lambda f: (f.start, f.end, f.code))
    return findings


def _rules_first(findings: list[Finding], from_model: set[tuple[str, int, int]]) -> list[Finding]:
    """A model's finding that overlaps a rule's is dropped: the rule says the same thing with
    a precise message and fix ("kyiv" is a casing error, not merely improbable)."""
    if not from_model:
        return findings
    rules = [f for f in findings if (f.code, f.start, f.end) not in from_model]
    return [
        f
        for f in findings
        if (f.code, f.start, f.end) not in from_model or not any(r.start < f.end and f.start < r.end for r in rules)
    ]
