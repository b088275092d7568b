"""The Python API for editorial systems: ``check(text) -> findings`` and ``fix(text, findings)``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING

from mtcheck import engine, fixes
from mtcheck.checks import all_checks
from mtcheck.checks.base import Check, Context
from mtcheck.config import Config, normalise_lang, region_of
from mtcheck.document import Document, parse
from mtcheck.engine import CheckTimeout
from mtcheck.langid import Guess, detect, guess
from mtcheck.markup import Format
from mtcheck.model import Finding
from mtcheck.resources import Resources

if TYPE_CHECKING:
    from mtcheck.lm import ModelSpec
    from mtcheck.lm.analysis import LmAnalysis
    from mtcheck.lm.base import Progress

__all__ = [
    "CheckTimeout",
    "Result",
    "Text",
    "check",
    "check_document",
    "check_documents",
    "default_resources",
    "fix",
    "fix_until_stable",
]

_SURROGATE = re.compile("[\ud800-\udfff]")


@cache
def default_resources() -> Resources:
    """One set of loaded word lists per process: loading them is the slow part of a check."""
    return Resources()


@dataclass(frozen=True)
class Result:
    """What checking one text gives: the findings and the languages they were checked for."""

    findings: list[Finding]
    lang: str | None
    src_lang: str | None
    document: Document
    lm: LmAnalysis | None = None  # the model's scores, when a model ran
    # Why no model ran although one was wanted (not installed, none for the language).
    notes: tuple[str, ...] = field(default=())

    def error_load(self) -> float | None:
        """The learned span head's quality score of the whole text: its expected number of
        error tokens (lower is better; see ``mtcheck/lm/weights/README.md``). None when no
        model ran or the model has no head."""
        if self.lm is None or not any(s.scores.risk for s in self.lm.sentences):
            return None
        return round(sum(s.error_load for s in self.lm.sentences), 4)

    def fluency(self) -> list[tuple[int, int, float, float]]:
        """(start, end, fluency, surprise) of each sentence the model scored, with offsets
        into the original text; fluency is SLOR in bits per word, surprise the bits beyond
        what the model expects (see ``mtcheck.lm.analysis.SentenceAnalysis``)."""
        if self.lm is None:
            return []
        out = []
        for s in self.lm.sentences:
            start, end = self.document.plain.to_original(s.start, s.end)
            out.append((start, end, round(s.fluency, 3), round(s.surprise, 2)))
        return out


def check_document(
    text: str,
    lang: str | None = None,
    source: str | None = None,
    src_lang: str | None = None,
    config: Config | None = None,
    fmt: Format | str | None = None,
    filename: str | None = None,
    checks: Sequence[Check] | None = None,
    resources: Resources | None = None,
    progress: Progress | None = None,
    deadline: float | None = None,
) -> Result:
    """Check ``text``; see ``check`` for the arguments. ``progress(done, total)`` follows the
    model's pass; past ``deadline`` (a ``time.monotonic()`` value) the check raises
    ``CheckTimeout`` at the next rule or model batch, so a caller's time limit frees the CPU."""
    prepared = _prepare(text, lang, source, src_lang, config or Config(), fmt, filename, checks, resources)
    if prepared.wants_model:
        analysis, lm_notes = _analyse(prepared.doc, prepared.ctx, _with_deadline(progress, deadline))
        prepared = prepared.with_model(analysis, lm_notes)
    return prepared.finish(deadline)


@dataclass
class _Prepared:
    """A document parsed, its languages known, its checks chosen: all but the model and rules."""

    doc: Document
    ctx: Context
    checks: list[Check]
    notes: tuple[str, ...]

    @property
    def wants_model(self) -> bool:
        return self.ctx.config.lm and any(
            c.needs_model and any(self.ctx.enabled(r) for r in c.rules) for c in self.checks
        )

    def with_model(self, analysis: LmAnalysis | None, notes: tuple[str, ...]) -> _Prepared:
        return _Prepared(self.doc, replace(self.ctx, lm=analysis), self.checks, self.notes + notes)

    def finish(self, deadline: float | None = None) -> Result:
        chosen = self.checks if self.ctx.lm is not None else [c for c in self.checks if not c.needs_model]
        findings = engine.run(self.doc, chosen, self.ctx, deadline)
        return Result(findings, self.ctx.lang, self.ctx.src_lang, self.doc, self.ctx.lm, self.notes)


def _prepare(
    text: str,
    lang: str | None,
    source: str | None,
    src_lang: str | None,
    config: Config,
    fmt: Format | str | None,
    filename: str | None,
    checks: Sequence[Check] | None,
    resources: Resources | None,
) -> _Prepared:
    resources = resources or default_resources()
    region = region_of(lang)
    lang = normalise_lang(lang or config.lang, "lang")
    if region is None and lang == config.lang:
        region = config.region  # the CLI passes the configuration's language, without its region
    src_lang = normalise_lang(src_lang or config.src_lang, "src_lang")
    # A lone surrogate (possible in JSON input, never in a decoded file) would break the
    # language detector; U+FFFD keeps every offset where it was.
    text = _SURROGATE.sub("\ufffd", text)
    if source is not None:
        source = _SURROGATE.sub("\ufffd", source)
    doc = parse(text, None, Format(fmt) if fmt else None, filename)
    if src_lang is None and source:
        src_lang = detect(source, resources)
    notes: tuple[str, ...] = ()
    if lang is None:
        # A translation is seldom in its source's language: with a source, a sentence left
        # untranslated must not make the whole article read as the source language.
        found = guess(doc.text, resources, unlike=src_lang if source else None, prefer=_rule_languages())
        lang = found.lang
        notes = _language_notes(found, doc.text)
    doc.lang = lang
    if lang is not None and lang not in _rule_languages():
        known = ", ".join(sorted(_rule_languages()))
        notes += (
            f"no rules written for language {lang!r} (mtcheck has them for {known}): only the checks "
            "that hold in any language ran",
        )
    ctx = Context(lang=lang, src_lang=src_lang, config=config, resources=resources, source=source, region=region)
    return _Prepared(doc, ctx, list(checks if checks is not None else all_checks()), notes)


def _language_notes(found: Guess, text: str) -> tuple[str, ...]:
    """What a caller should know of a language mtcheck had to guess: nothing when the text
    told clearly, else that the rules of a guessed language (or none) ran."""
    if found.sure or not text.strip():
        return ()
    if found.lang is None:
        return (
            "could not tell which language the text is in (too short, or no letters): only the checks "
            'that hold in any language ran; give the language (--lang, or "lang" in the API)',
        )
    return (
        f"the text is short or mixed and its language was guessed as {found.lang!r}, not surely: "
        'give the language (--lang, or "lang" in the API) if that is wrong',
    )


@dataclass(frozen=True)
class Text:
    """One text for ``check_documents``: the arguments ``check_document`` takes for it."""

    text: str
    lang: str | None = None
    source: str | None = None
    src_lang: str | None = None
    fmt: str | None = None


def check_documents(
    texts: Sequence[Text], config: Config | None = None, resources: Resources | None = None
) -> list[Result]:
    """``check_document`` for many texts at once, the same results: the language model scores
    all their sentences in full batches (a corpus's short segments one by one would each be a
    batch of one sentence, several times slower)."""
    config = config or Config()
    resources = resources or default_resources()
    prepared = [_prepare(t.text, t.lang, t.source, t.src_lang, config, t.fmt, None, None, resources) for t in texts]
    by_model: dict[str, list[int]] = {}
    for i, p in enumerate(prepared):
        if p.wants_model:
            spec = model_for(config, p.ctx.lang)
            by_model.setdefault(spec.key if spec else "", []).append(i)
    for key, members in by_model.items():
        first = prepared[members[0]]
        if not key:
            analysis, notes = _analyse(first.doc, first.ctx, None)  # the note that no model fits
            for i in members:
                prepared[i] = prepared[i].with_model(analysis, notes)
            continue
        from mtcheck.lm import ModelUnavailable
        from mtcheck.lm.analysis import analyse_many

        spec = model_for(config, first.ctx.lang)
        assert spec is not None
        try:
            scorer = resources.scorer(spec)
        except ModelUnavailable as e:
            if config.model:
                raise
            for i in members:
                prepared[i] = prepared[i].with_model(None, (f"{e}; rule checks only",))
            continue
        docs = [prepared[i].doc for i in members]
        for i, analysis in zip(members, analyse_many(docs, scorer, resources, resources.score_cache()), strict=True):
            prepared[i] = prepared[i].with_model(analysis, ())
    return [p.finish() for p in prepared]


@cache
def _rule_languages() -> frozenset[str]:
    """The languages some rule is written for (the others get the language-independent ones)."""
    from mtcheck.checks import all_rules

    return frozenset(code for r in all_rules() for code in r.languages if code != "*")


def _with_deadline(progress: Progress | None, deadline: float | None) -> Progress | None:
    if deadline is None:
        return progress

    def tick(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total)
        engine.past(deadline)

    return tick


def model_for(config: Config, lang: str | None) -> ModelSpec | None:
    """The model a check of ``lang`` uses under ``config`` (None: no model for it)."""
    from mtcheck.lm import resolve

    return resolve(config.model, lang)


def _analyse(doc: Document, ctx: Context, progress: Progress | None) -> tuple[LmAnalysis | None, tuple[str, ...]]:
    """The model's scores of ``doc``. A model the user named must load (else ModelUnavailable);
    the default one may be missing, and the check goes on with rules only and a note."""
    from mtcheck.lm import ModelUnavailable
    from mtcheck.lm.analysis import analyse

    spec = model_for(ctx.config, ctx.lang)
    if spec is None:
        return None, (f"no language model for {ctx.lang or 'an unknown language'}: rule checks only",)
    try:
        scorer = ctx.resources.scorer(spec)
    except ModelUnavailable as e:
        if ctx.config.model:
            raise
        return None, (f"{e}; rule checks only",)
    return analyse(doc, scorer, ctx.resources, ctx.resources.score_cache(), progress), ()


def check(
    text: str,
    lang: str | None = None,
    source: str | None = None,
    src_lang: str | None = None,
    config: Config | None = None,
    fmt: Format | str | None = None,
) -> list[Finding]:
    """Check a translated ``text``; ``lang`` is its language (detected when None), ``source``
    the original text if known, ``src_lang`` its language. Returns findings sorted by position,
    each with a half-open span into ``text``."""
    return check_document(text, lang, source, src_lang, config, fmt).findings


def fix(text: str, findings: Iterable[Finding], unsafe: bool = False) -> str:
    """``text`` with the safe fixes of ``findings`` applied (and the unsafe ones if asked).
    Overlapping fixes are skipped; check and fix again to apply them."""
    return fixes.apply(text, findings, unsafe)


def fix_until_stable(
    text: str, unsafe: bool = False, max_passes: int = 100, **kwargs: object
) -> tuple[str, list[Finding]]:
    """Check and fix repeatedly until no fix applies; returns the text and every fix applied."""
    applied: list[Finding] = []
    for _ in range(max_passes):
        result = check_document(text, **kwargs)  # type: ignore[arg-type]
        chosen = fixes.select(result.findings, unsafe)
        if not chosen:
            break
        new = fixes.apply(text, chosen, unsafe)
        if new == text:
            break
        applied.extend(chosen)
        text = new
    return text, applied
