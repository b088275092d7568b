"""run(document, checks, context) -> findings in original-text offsets. No I/O.

A text longer than ``PART_SIZE`` characters is checked in parts (``document.parts``: cut at
paragraph breaks, else sentence breaks), one part's document at a time, so that memory
follows the part, not the text: the words, sentences and lexicon lookups of a 50 MB file are
never held at once. What a check learns from the rest of its document is then learnt from its
part: the words capitalised elsewhere (MT101), American or British spelling (MT407), the
quotation marks opened before (MT201). A part is larger than any article, so a text of that
size is checked exactly as before. Checks that need the whole (against the source, the
language model) still run on it whole. A sentence longer than half a part (a text without
full stops) is cut at a space; the part after it starts inside that sentence, and its first
words are not taken for a sentence's start (no MT102, MT206 there).
"""

from __future__ import annotations

import bisect
import itertools
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace

from mtcheck import suppress
from mtcheck.calibration import calibrated
from mtcheck.checks.base import Check, Context
from mtcheck.document import Document, part_documents
from mtcheck.model import Finding

# Characters of plain text checked at once: some twenty thousand words, a dozen long articles
# (a larger part costs more memory and saves no time).
PART_SIZE = 128_000


def _to_original(doc: Document, f: Finding) -> Finding:
    s, e = doc.plain.to_original(f.start, f.end)
    out = f.shifted(s, e, doc.original[s:e])
    if f.fix is None or doc.plain.origin is None:
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
    foreign = _Spans((f.start, f.end) for f in findings if f.code in _UNTRANSLATED)
    if not foreign:
        return findings
    copies = _Spans((f.start, f.end) for f in findings if f.code == "MT904")
    return [
        f
        for f in findings
        if (f.code.startswith("MT6") or f.code in _UNTRANSLATED or not foreign.cover(f.start, f.end))
        and not (f.code in ("MT601", "MT602") and copies.cover(f.start, f.end))
    ]


class _Spans:
    """Spans, possibly overlapping, asked whether one of them covers or overlaps a span in
    logarithmic time: a long text has thousands of findings of each kind, and asking each
    finding of one kind about every finding of another was quadratic."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        # reach[k]: the furthest end among the first k + 1 spans by start
        self.reach: list[int] = []
        for _, e in ordered:
            self.reach.append(max(e, self.reach[-1]) if self.reach else e)

    def __bool__(self) -> bool:
        return bool(self.starts)

    def cover(self, start: int, end: int) -> bool:
        """Some span [s, e) has s <= start and end <= e."""
        k = bisect.bisect_right(self.starts, start)
        return k > 0 and self.reach[k - 1] >= end

    def overlap(self, start: int, end: int) -> bool:
        """Some span [s, e) has s < end and start < e."""
        k = bisect.bisect_left(self.starts, end)
        return k > 0 and self.reach[k - 1] > start


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


# Rules about the start of a sentence, whose finding at the start of a part that begins
# inside a sentence (``Part.continued``) is about no sentence start at all.
_SENTENCE_START = frozenset({"MT102", "MT206"})


def _part_findings(
    doc: Document, checks: list[Check], ctx: Context, deadline: float | None, size: int
) -> Iterator[tuple[Check, Finding]]:
    """Each finding of the checks that read a part at a time, in the plain offsets of
    ``doc``, part by part (a part's document is dropped before the next is made)."""
    for p, sub in part_documents(doc, size):
        first_sentence = sub.sentences[0].end if p.continued and sub.sentences else -1
        for check in checks:
            past(deadline)
            for f in check(sub, ctx):
                if f.code in _SENTENCE_START and f.start < first_sentence:
                    continue
                yield check, _shifted(f, p.start)
        del sub  # its words and sentences go before the next part's are made


def _shifted(f: Finding, offset: int) -> Finding:
    """``f`` found in a part, in the plain offsets of the whole document."""
    if not offset:
        return f
    out = f.shifted(f.start + offset, f.end + offset, f.text)
    if f.fix is not None and f.fix.start is not None and f.fix.end is not None:
        out = replace(out, fix=replace(f.fix, start=f.fix.start + offset, end=f.fix.end + offset))
    return out


def run(
    doc: Document, checks: Iterable[Check], ctx: Context, deadline: float | None = None, part_size: int | None = None
) -> list[Finding]:
    """The findings of ``checks`` on ``doc``, in its original text's offsets, sorted. A text
    longer than ``part_size`` (default ``PART_SIZE``) is checked in parts."""
    checks = list(checks)
    part_size = part_size or PART_SIZE
    seen: set[tuple[str, int, int]] = set()
    findings: list[Finding] = []
    from_model: set[tuple[str, int, int]] = set()
    if len(doc.text) > part_size:
        whole = [c for c in checks if c.whole_document or c.needs_model]
        in_parts = [c for c in checks if c not in whole]
        found: Iterator[tuple[Check, Finding]] = itertools.chain(
            _part_findings(doc, in_parts, ctx, deadline, part_size), _whole_findings(doc, whole, ctx, deadline)
        )
    else:
        found = _whole_findings(doc, checks, ctx, deadline)
    for check, f in found:
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
    if ctx.config.calibrated:
        findings = calibrated(findings, ctx.lang)
    findings = [f for f in findings if ctx.config.selects(f.code) and f.severity >= ctx.config.severity]
    findings.sort(key=lambda f: (f.start, f.end, f.code))
    return findings


def _whole_findings(
    doc: Document, checks: list[Check], ctx: Context, deadline: float | None
) -> Iterator[tuple[Check, Finding]]:
    for check in checks:
        past(deadline)  # between checks: a huge text stops within one check's time
        for f in check(doc, ctx):
            yield check, f


def _rules_first(findings: list[Finding], from_model: set[tuple[str, int, int]]) -> list[Finding]:
    """A model's finding that overlaps a rule's is dropped: the rule says the same thing with
    a precise message and fix ("kyiv" is a casing error, not merely improbable)."""
    if not from_model:
        return findings
    rules = _Spans((f.start, f.end) for f in findings if (f.code, f.start, f.end) not in from_model)
    return [f for f in findings if (f.code, f.start, f.end) not in from_model or not rules.overlap(f.start, f.end)]
