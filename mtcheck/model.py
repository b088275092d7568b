"""The value types every other module speaks: spans, fixes, findings and rule metadata.

All are frozen dataclasses so that findings can be cached, compared and shared between
threads without defensive copies.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so that thresholds compare with ``>=``."""

    MINOR = 1
    MAJOR = 2
    CRITICAL = 3

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        if isinstance(value, Severity):
            return value
        try:
            return cls[value.strip().upper()]
        except KeyError:
            names = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {value!r}; expected one of {names}") from None

    def __str__(self) -> str:
        return self.name.lower()


class Applicability(enum.StrEnum):
    """Whether ``mtcheck fix`` may apply a fix (ruff's model)."""

    SAFE = "safe"  # applied by `mtcheck fix`
    UNSAFE = "unsafe"  # applied only with --unsafe-fixes
    SUGGESTION = "suggestion"  # shown, never applied

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Fix:
    """Replace the finding's span ``[start, end)`` with ``replacement``; a fix may edit a wider
    span than the finding shows (deleting a stray line takes its line break too)."""

    replacement: str
    applicability: Applicability = Applicability.SAFE
    start: int | None = None  # None: the finding's span
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"replacement": self.replacement, "applicability": self.applicability.value}
        if self.start is not None:
            out["start"], out["end"] = self.start, self.end
        return out


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at a half-open character span of the *original* text."""

    code: str
    rule: str
    severity: Severity
    category: str
    message: str
    start: int
    end: int
    text: str = ""
    suggestions: tuple[str, ...] = ()
    fix: Fix | None = None
    # Free-form, JSON-serialisable extras (scores, detected language...).
    data: tuple[tuple[str, Any], ...] = ()

    def shifted(self, start: int, end: int, text: str) -> Finding:
        return replace(self, start=start, end=end, text=text)

    @property
    def edit_span(self) -> tuple[int, int]:
        """What the fix replaces: its own span, or the finding's."""
        if self.fix is not None and self.fix.start is not None and self.fix.end is not None:
            return self.fix.start, self.fix.end
        return self.start, self.end

    def to_dict(self, line: int, column: int) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "rule": self.rule,
            "severity": str(self.severity),
            "category": self.category,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "line": line,
            "column": column,
            "text": self.text,
            "suggestions": list(self.suggestions),
            "fix": self.fix.to_dict() if self.fix else None,
        }
        if self.data:
            out["data"] = dict(self.data)
        return out


@dataclass(frozen=True, slots=True)
class Example:
    """A rule's example: ``text`` with the expected span marked ``{{like this}}`` when bad."""

    text: str
    fix: str | None = None  # expected first suggestion for the marked span; None: no fix
    lang: str | None = None  # target language when the rule has several
    src_lang: str | None = None
    fmt: str | None = None  # "markdown" or "html" when the example is markup
    source: str | None = None  # the source text, for the checks that compare with it

    MARK_OPEN = "{{"
    MARK_CLOSE = "}}"

    @property
    def is_bad(self) -> bool:
        return self.MARK_OPEN in self.text

    def unmarked(self) -> tuple[str, int, int]:
        """The plain text and the marked span (``-1, -1`` for a good example)."""
        start = self.text.find(self.MARK_OPEN)
        if start < 0:
            return self.text, -1, -1
        end = self.text.index(self.MARK_CLOSE, start)
        inner = self.text[start + 2 : end]
        plain = self.text[:start] + inner + self.text[end + 2 :]
        return plain, start, start + len(inner)


@dataclass(frozen=True, slots=True)
class Rule:
    """What a user sees in ``mtcheck rules``: identity, defaults and examples of a check."""

    code: str
    slug: str
    family: str
    summary: str
    severity: Severity
    category: str
    languages: tuple[str, ...] = ("*",)  # target languages; "*" is any
    pairs: tuple[str, ...] = ()  # "fr-en" style; empty means any source
    explanation: str = ""
    examples: tuple[Example, ...] = field(default=())
    # Why the rule is off unless its code is selected by name (empty: on by default). Rules
    # whose findings on real articles are not right often enough to earn a default place,
    # and house styles that are no MT error, say so here; `mtcheck rules` shows it.
    opt_in: str = ""

    def applies_to(self, lang: str | None) -> bool:
        return "*" in self.languages or (lang is not None and lang in self.languages)

    def finding(
        self,
        start: int,
        end: int,
        message: str | None = None,
        *,
        suggestions: tuple[str, ...] | list[str] = (),
        applicability: Applicability | None = Applicability.SAFE,
        severity: Severity | None = None,
        category: str | None = None,
        data: dict[str, Any] | None = None,
        fix_span: tuple[int, int] | None = None,
    ) -> Finding:
        """Build a finding of this rule; the first suggestion becomes the fix unless
        ``applicability`` is None or SUGGESTION."""
        sugg = tuple(suggestions)
        fix = None
        if sugg and applicability not in (None, Applicability.SUGGESTION):
            wider = fix_span if fix_span and fix_span != (start, end) else (None, None)
            fix = Fix(sugg[0], applicability, *wider)
        return Finding(
            code=self.code,
            rule=self.slug,
            severity=severity or self.severity,
            category=category or self.category,
            message=message or self.summary,
            start=start,
            end=end,
            suggestions=sugg,
            fix=fix,
            data=tuple(sorted((data or {}).items())),
        )
