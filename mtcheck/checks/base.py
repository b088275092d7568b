"""What a check is: rules (metadata with examples) plus a pure function over a Document."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mtcheck.model import Finding, Rule

if TYPE_CHECKING:
    from mtcheck.config import Config
    from mtcheck.document import Document
    from mtcheck.langs import Profile
    from mtcheck.lm.analysis import LmAnalysis
    from mtcheck.resources import Resources


@dataclass(frozen=True)
class Context:
    """Everything a check may consult besides the document. Checks never do I/O."""

    lang: str | None
    src_lang: str | None
    config: Config
    resources: Resources
    source: str | None = None  # the source text, when the caller has it
    # The language model's scores of the document, when a model ran (see mtcheck.lm.analysis).
    lm: LmAnalysis | None = None
    region: str | None = None  # of the target language, when the caller named one ("CH" of de-CH)

    @property
    def profile(self) -> Profile | None:
        """The target language's profile (mtcheck/langs), for its region where one was named;
        None for a language without one."""
        from mtcheck import langs

        if not self.lang or self.lang not in langs.known():
            return None
        return langs.profile(f"{self.lang}-{self.region}" if self.region else self.lang)

    def enabled(self, rule: Rule) -> bool:
        return (
            rule.applies_to(self.lang)
            and self.config.selects(rule.code)
            and (not rule.pairs or self.src_lang is None or f"{self.src_lang}-{self.lang}" in rule.pairs)
        )


CheckFn = Callable[["Document", Context], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    """A family of rules run by one function. ``run`` yields findings in plain-text offsets."""

    family: str
    rules: tuple[Rule, ...]
    run: CheckFn
    # Checks that need heavy machinery (a language model) say so, so that --no-lm can drop them.
    needs_model: bool = False
    # Checks that read the document as a whole (aligned with its source, scored by a model)
    # and so run on it whole even when the engine checks a long text in parts.
    whole_document: bool = False

    @classmethod
    def of(cls, family: str, *parts: tuple[Rule | tuple[Rule, ...], CheckFn]) -> Check:
        """A family from (rule or rules, function) parts; each function runs only when one
        of its rules is enabled for the target language, source language and selection."""
        groups = [(r if isinstance(r, tuple) else (r,), fn) for r, fn in parts]
        rules = tuple(dict.fromkeys(rule for rs, _ in groups for rule in rs))

        def run(doc: Document, ctx: Context) -> Iterator[Finding]:
            for rs, fn in groups:
                if any(ctx.enabled(r) for r in rs):
                    yield from fn(doc, ctx)

        return cls(family, rules, run)

    def __call__(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        if not any(ctx.enabled(r) for r in self.rules):
            return iter(())
        return (f for f in self.run(doc, ctx) if ctx.config.selects(f.code))
