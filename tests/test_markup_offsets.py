"""Random Markdown and HTML built from the constructs that trip parsers: the plain text's map
back to the file is exact (every letter of the plain text is that letter of the file, in
order), and every finding and fix points at text, never into markup (but MT001's, which
deletes an unused suppression comment)."""

from __future__ import annotations

import random

import pytest

import mtcheck
from mtcheck.config import Config
from mtcheck.markup import Format, to_plain

MARKDOWN_ATOMS = [
    "# ", "## ", "Word ", "kyiv ", " , ", "the the ", "&amp;", "\\*", "*", "**", "_", "`", "``", "[", "]",
    "(", ")", "](http://x.y/a_b)", "![", "<b>", "</b>", "<!-- c -->", "\n", "\n\n", "\r\n", "\r", "- ",
    "1. ", "> ", "    ", "\t", "|", " | ", "|---|---|\n", "```\n", "~~", "https://e.com/x_y ",
    "<https://a.b>", "---\n", "===\n", "[r]: /u\n", "[r]", "<div>\n", "</div>\n", "\0", "  \n", "\\\n",
    "é", "\u3000", "<!-- mtcheck-ignore -->",
]  # fmt: skip
HTML_ATOMS = [
    "<p>", "</p>", "<b>", "</b>", "Word ", "kyiv ", " , ", "the the ", "&amp;", "&bogus;", "&#x41;", "<br>",
    '<a href="x > y">', "</a>", "<!-- c -->", "<script>var a = '<p>';</script>", "<code>x  y</code>",
    "<pre>\nz\n</pre>", "<li>", "</li>", "<td>", "</td>", "<h2>", "</h2>", "\n", "<img alt='a'/>",
    "<title>T &amp; t</title>", "<style>p{}</style>", "<!DOCTYPE html>", "<blockquote>", "</blockquote>",
    "x > y", "a < b", "<?x?>", "</>", "<!--", "<a x='", "<textarea>t</textarea>", "<svg><title>s</title></svg>",
]  # fmt: skip


def _documents(atoms: list[str], seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(atoms) for _ in range(rng.randint(1, 30))) for _ in range(count)]


@pytest.mark.parametrize(("fmt", "atoms"), [(Format.MARKDOWN, MARKDOWN_ATOMS), (Format.HTML, HTML_ATOMS)])
def test_plain_text_maps_letter_for_letter(fmt: Format, atoms: list[str]) -> None:
    for text in _documents(atoms, 11, 1500):
        plain = to_plain(text, fmt)
        assert plain.origin is not None and plain.origin.length == len(plain.text)
        last = 0
        for i, ch in enumerate(plain.text):
            s, e = plain.origin.span(i)
            assert last <= s <= e <= len(text), text
            last = s
            if ch.isalpha():  # the letter itself, or a character reference ("&#x41;")
                assert (e == s + 1 and text[s] == ch) or text[s] == "&", text


@pytest.mark.parametrize(("fmt", "atoms"), [("markdown", MARKDOWN_ATOMS), ("html", HTML_ATOMS)])
def test_findings_and_fixes_point_at_text(fmt: str, atoms: list[str]) -> None:
    for text in _documents(atoms, 12, 250):
        findings = mtcheck.check(text, lang="en", fmt=fmt, config=Config(lm=False))
        for f in findings:
            assert 0 <= f.start <= f.end <= len(text) and text[f.start : f.end] == f.text
        # MT001 deletes an unused suppression comment: markup, on purpose.
        fixed = mtcheck.fix(text, [f for f in findings if f.code != "MT001"], unsafe=True)
        for tag in ("<b>", "</b>", "<p>", "|---|---|", "```", "](http://x.y/a_b)", "<!-- c -->"):
            assert fixed.count(tag) == text.count(tag), (text, fixed)
