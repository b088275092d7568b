"""Markdown and HTML: markup is not checked, and every span points into the original file."""

from __future__ import annotations

import pytest

import mtcheck
from mtcheck.document import parse
from mtcheck.markup import Format

MD = """# Talks in Geneva

The talks resumed in **kyiv** , officials said. See [the report](https://example.com/kyiv ,x) and `a  b`.

```
code  block kyiv .
```

<!-- mtcheck-ignore MT701 -->
They signed the the treaty.

<!-- mtcheck-ignore MT2 -->
Nothing to see here.

- a list item in lowercase
"""

HTML = """<!DOCTYPE html><html><head><title>Talks</title><style>p { x: 1 }</style></head><body>
<h1>Talks in Geneva</h1>
<p>The talks resumed in <b>kyiv</b> , officials said &amp; left. the minister said so.</p>
<p>He said <a href="https://example.com/a  b">the report</a> was <i>wrong</i> .</p>
<script>var s = "kyiv  .";</script>
</body></html>
"""


def _codes(text: str, fmt: str) -> list[tuple[str, str]]:
    findings = mtcheck.check(text, lang="en", fmt=fmt)
    for f in findings:
        assert text[f.start : f.end] == f.text
    return [(f.code, f.text) for f in findings]


def test_markdown_offsets_and_scope() -> None:
    assert _codes(MD, "markdown") == [
        ("MT101", "kyiv"),
        ("MT201", " ,"),
        ("MT001", "<!-- mtcheck-ignore MT2 -->"),
    ]


def test_html_offsets_and_scope() -> None:
    assert _codes(HTML, "html") == [
        ("MT101", "kyiv"),
        ("MT201", " ,"),
        ("MT102", "the"),
        ("MT201", " ."),
    ]


def test_fix_across_markup_keeps_tags() -> None:
    text = "<p>They met in <b>kyiv</b> .</p><p>The talks went on for three long hours.</p>"
    fixed = mtcheck.fix(text, mtcheck.check(text, lang="en", fmt="html"))
    assert fixed == "<p>They met in <b>Kyiv</b>.</p><p>The talks went on for three long hours.</p>"


def test_entity_span_covers_the_entity() -> None:
    text = "<p>Tom &amp;&amp; Jerry met.</p>"
    doc = parse(text, "en", Format.HTML)
    i = doc.text.index("&&")
    assert doc.plain.to_original(i, i + 2) == (text.index("&amp;"), text.index(" Jerry"))


def test_markdown_headings_are_not_stray_lines() -> None:
    text = "# Summit\n\nLeaders met in Geneva on Monday and agreed on a new plan for trade.\n\nReuters\n"
    assert _codes(text, "markdown") == []


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_odd_inputs_do_not_crash(fmt: str) -> None:
    for text in ["", "\n\n", "   ", "<", "<!--", "```", "#", "&amp", "a" * 5000, "日本語のテキスト。", "\u200b\ufeff"]:
        for f in mtcheck.check(text, lang="en", fmt=fmt):
            assert 0 <= f.start <= f.end <= len(text)


def test_html_attributes_may_hold_angle_brackets() -> None:
    text = '<p onclick="if (a > b) { x = 1 ; }" title="x > y , the the">Click here , please.</p>'
    fixed = mtcheck.fix(text, mtcheck.check(text, lang="en", fmt="html"))
    assert fixed == text.replace("here , please", "here, please")


@pytest.mark.parametrize(
    "block",
    [
        '+++\ntitle = "kyiv , the the"\n+++\n',
        "---\ntitle: kyiv , the the\n---\n",
        "Intro line.\n\n    code in kyiv , the the\n",
        "[ref]: https://example.com/kyiv , the the\n",
        '<script>\nvar city = "kyiv" ;\n</script>\n',
        "<style>\np { color : red ; }\n</style>\n",
        "```\nkyiv , the the\n```\n",
    ],
)
def test_markdown_code_and_metadata_are_not_checked(block: str) -> None:
    text = block + "\nThe talks went on in Geneva for three hours.\n"
    assert mtcheck.check(text, lang="en", fmt="markdown") == []


def test_deep_markdown_emphasis_is_text_not_a_crash() -> None:
    text = "*" * 5000 + " met in kyiv " + "*" * 5000
    assert [f.text for f in mtcheck.check(text, lang="en", fmt="markdown") if f.code == "MT101"] == ["kyiv"]


def test_list_item_continuations_belong_to_the_item() -> None:
    text = "Intro paragraph here.\n\n- first item\n  continued in lowercase\n"
    assert mtcheck.check(text, lang="en", fmt="markdown") == []


def test_markdown_is_recognised_without_a_file_name() -> None:
    from mtcheck.markup import sniff_format

    assert sniff_format("# Title\n\nSome `code` and a [link](http://x.y).\n") is Format.MARKDOWN
    assert sniff_format("A plain article. With two sentences.\n") is Format.TEXT


@pytest.mark.parametrize("lang", [None, "zh", "ja", "ru", "ar"])
def test_other_scripts_and_odd_code_points(lang: str | None) -> None:
    texts = ["東京都は今日、新しい計画を発表した。", "北京今天宣布了新的计划。"]
    texts += ["Москва сегодня .", "Text \ud800 here , ok."]
    for text in texts:
        for f in mtcheck.check(text, lang=lang):
            assert 0 <= f.start <= f.end <= len(text)
