"""Mutated articles and requests, and the promises every one of them must keep.

Used by ``bench/fuzz.py`` (thousands of cases through the API, the command line and the
service) and by ``tests/test_fuzz.py`` (a fixed sample in CI). Each promise is a function that
returns the problems it sees, an empty list when the promise holds:

- the check never raises, and every finding's span is inside the text and says what it covers;
- ``fix`` reaches a fixpoint: fixing the fixed text changes nothing;
- a fix edits only text: no edit touches markup (a tag, code, a URL) of a Markdown or HTML file,
  and every edit lies inside the span of the finding it fixes.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from mtcheck import fixes
from mtcheck.api import check_document
from mtcheck.config import Config
from mtcheck.markup import Format, to_plain

# Pieces that break naive parsers and patterns: markup openings without their ends, Unicode
# that is odd but valid, and the punctuation the rules look at.
HOSTILE = (
    "<a ",
    "<",
    ">",
    "</",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<p>",
    "&amp;",
    "&#",
    "&",
    "![",
    "[",
    "](",
    "[a](",
    "`",
    "```",
    "~~~",
    "**",
    "*",
    "_",
    "__",
    "|",
    "| a | b |\n|---|---|\n",
    "> ",
    "- ",
    "1. ",
    "    ",
    "\t",
    "---\n",
    "# ",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    " .",
    " ,",
    " ;",
    "«",
    "»",
    "“",
    "”",
    '"',
    "'",
    "(",
    ")",
    "...",
    "…",
    "%",
    "1,000",
    "3.5",
    "15h30",
    "http://",
    "https://example.org/a_(b)",
    "@",
    "#tag",
    "\u00a0",
    "\u202f",
    "\u200b",
    "\u200d",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffd",
    "\u0301",
    "\u202e",
    "\U0001f600",
    "\U0001f1eb\U0001f1f7",
    "ﬁ",
    "İ",
    "ß",
    "Σ",
    "中文",
    "русский",
    "עברית",
    "kyiv",
    "the the",
    "Mr.",
    "U.S.",
    "mtcheck-ignore",
    "<!-- mtcheck-ignore -->",
    "<!-- mtcheck-disable MT1 -->",
)


@dataclass(frozen=True)
class Case:
    text: str
    fmt: str  # text, markdown or html
    lang: str | None


def mutate(text: str, rng: random.Random, steps: int = 4) -> str:
    """``text`` after a few random edits: hostile pieces inserted, spans deleted, duplicated
    or swapped, characters replaced by random code points (surrogates excluded: a decoded
    file cannot hold them; the service and corpora are tested with them separately)."""
    for _ in range(rng.randint(1, steps)):
        if not text:
            text = rng.choice(HOSTILE)
            continue
        i = rng.randrange(len(text) + 1)
        j = min(len(text), i + rng.randint(0, 40))
        op = rng.random()
        if op < 0.45:
            piece = rng.choice(HOSTILE) * (rng.randint(1, 3) if rng.random() < 0.9 else rng.randint(50, 400))
            text = text[:i] + piece + text[i:]
        elif op < 0.6:
            text = text[:i] + text[j:]
        elif op < 0.75:
            text = text[:j] + text[i:j] + text[j:]
        elif op < 0.85:
            k = rng.randrange(len(text) + 1)
            a, b = sorted((i, k))
            text = text[a:b] + text[:a] + text[b:]
        else:
            cp = rng.choice([rng.randint(0x20, 0x7E), rng.randint(0xA0, 0x2FFF), rng.randint(0x3000, 0xD7FF)])
            text = text[:i] + chr(cp) + text[i + 1 :]
    return text


def cases(seeds: list[tuple[str, str, str | None]], n: int, seed: int = 0) -> Iterator[Case]:
    rng = random.Random(seed)
    for _ in range(n):
        text, fmt, lang = rng.choice(seeds)
        yield Case(mutate(text, rng), fmt, lang if rng.random() < 0.7 else None)


def span_problems(case: Case, cfg: Config) -> list[str]:
    res = check_document(case.text, case.lang, config=cfg, fmt=case.fmt)
    out = []
    for f in res.findings:
        if not 0 <= f.start <= f.end <= len(case.text):
            out.append(f"{f.code} span [{f.start}, {f.end}) outside a text of {len(case.text)}")
        elif case.text[f.start : f.end] != f.text:
            out.append(f"{f.code} text {f.text!r} is not the text at its span {case.text[f.start : f.end]!r}")
        s, e = f.edit_span
        if f.fix is not None and not 0 <= s <= e <= len(case.text):
            out.append(f"{f.code} fix span [{s}, {e}) outside the text")
    return out


def _markup_positions(text: str, fmt: str) -> list[bool]:
    """Per character of ``text``: is it markup (not copied verbatim into the checked text)?
    A suppression comment is not: the fix of an unused one (MT001) removes it."""
    plain = to_plain(text, Format(fmt))
    verbatim = [False] * len(text)
    if plain.origin is None:
        return verbatim
    for p_start, p_end, o_start, o_end, copied in plain.origin.runs():
        same = copied and plain.text[p_start:p_end] == text[o_start:o_end]
        if same or (o_end == o_start + 1 and p_end == p_start + 1 and plain.text[p_start] == text[o_start]):
            verbatim[o_start:o_end] = [True] * (o_end - o_start)
    for d in plain.directives:
        verbatim[d.start : d.end] = [True] * (d.end - d.start)
    return [not v for v in verbatim]


def fix_problems(case: Case, cfg: Config, unsafe: bool = True, max_passes: int = 20) -> list[str]:
    """Fix pass by pass, checking each pass's edits; then the fixpoint."""
    out: list[str] = []
    text = case.text
    for _ in range(max_passes):
        res = check_document(text, case.lang, config=cfg, fmt=case.fmt)
        chosen = fixes.select(res.findings, unsafe)
        if not chosen:
            break
        markup = _markup_positions(text, case.fmt) if case.fmt != "text" else None
        for f in chosen:
            s, e = f.edit_span
            # A fix may take the line break or spaces around its finding (a stray line goes
            # with its line), never other text.
            beyond = text[s : min(e, f.start)] + text[max(s, f.end) : e]
            if beyond.strip() or s > f.end or e < f.start:
                out.append(f"{f.code} edits [{s}, {e}) beyond its finding [{f.start}, {f.end}): {beyond!r}")
            if markup is not None and any(markup[s:e]):
                out.append(f"{f.code} edits markup: {text[s:e]!r}")
        new = fixes.apply(text, chosen, unsafe)
        if new == text:
            break
        text = new
    else:
        out.append(f"no fixpoint after {max_passes} passes")
    again = check_document(text, case.lang, config=cfg, fmt=case.fmt)
    if fixes.apply(text, fixes.select(again.findings, unsafe), unsafe) != text:
        out.append("fixing the fixed text changes it again")
    return out


PROMISES: dict[str, Callable[[Case, Config], list[str]]] = {"spans": span_problems, "fix": fix_problems}


def run_case(case: Case, cfg: Config) -> list[str]:
    """Every promise's problems with ``case``; an exception is a problem too."""
    out: list[str] = []
    for name, promise in PROMISES.items():
        try:
            out.extend(f"{name}: {p}" for p in promise(case, cfg))
        except Exception as exc:  # the point of fuzzing: any exception is a finding
            out.append(f"{name}: {type(exc).__name__}: {exc}")
    return out
