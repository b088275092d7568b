"""Markdown block structure comes from a CommonMark parser: no table row, code line, list item,
HTML block, block quote or front matter is ever a stray line (MT301), code is never checked,
table cells are, and every span still points into the original file."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import mtcheck
from mtcheck.cli import app
from mtcheck.config import Config
from mtcheck.document import parse
from mtcheck.markup import Format, parse_markdown

NO_LM = Config(lm=False)
BEFORE = "# Weather in Europe\n\n"
AFTER = "\n\nForecasters expect more of the same for the rest of the week, with rain in the north.\n"

TABLE = "| City | Note |\n|------|------|\n| Paris | rain in the afternoon |\n| Rome | sunny and warm all day |"


def _check(text: str, fmt: str = "markdown") -> list[mtcheck.Finding]:
    findings = mtcheck.check(text, lang="en", fmt=fmt, config=NO_LM)
    for f in findings:
        assert text[f.start : f.end] == f.text
    return findings


@pytest.mark.parametrize(
    "block",
    [
        pytest.param(TABLE, id="table header row"),
        pytest.param("| City | Note |\n|---|---|\n| Paris | Rain |", id="table body row"),
        pytest.param("City | Note\n--- | ---\nParis | rain", id="table without outer pipes"),
        pytest.param("> | City | Note |\n> |---|---|\n> | Paris | rain |", id="table in a block quote"),
        pytest.param("- Paris\n- Rome", id="list items"),
        pytest.param("1) Paris\n2) Rome", id="ordered list items"),
        pytest.param("- Paris is rainy today\nUmbrellas", id="lazy list continuation"),
        pytest.param("````\n```\nrm -rf\n```\n````", id="fence holding a shorter fence"),
        pytest.param("~~~ sh\nmake all\n~~~", id="tilde fence"),
        pytest.param("    make all\n    make test", id="indented code"),
        pytest.param("<div>\nPeso\n</div>", id="HTML block"),
        pytest.param("<details>\n<summary>More</summary>\nPeso\n</details>", id="HTML block with summary"),
        pytest.param("> Peso", id="block quote"),
        pytest.param("> > Peso\n> Dollar", id="nested block quote"),
        pytest.param("[home]: https://example.com/home", id="link reference definition"),
        pytest.param("***", id="thematic break"),
    ],
)
def test_markdown_blocks_are_never_stray_lines(block: str) -> None:
    text = BEFORE + block + AFTER
    assert [f for f in _check(text) if f.code == "MT301"] == []


def test_indented_code_right_after_a_heading_is_code() -> None:
    text = "# Build\n    make all\n\nThe build takes about ten minutes on a laptop, the team said.\n"
    assert _check(text) == []


@pytest.mark.parametrize(
    "front",
    ["---\ntitle: Weather\ntags: rain\n---\n", "---\ntitle: Weather\n...\n", '+++\ntitle = "Weather"\n+++\n'],
)
def test_front_matter_is_neither_checked_nor_a_stray_line(front: str) -> None:
    text = front + "\nForecasters expect rain in kyiv , the the next week.\n"
    findings = _check(text)
    assert all(f.start >= len(front) for f in findings)
    assert [f.code for f in findings if f.code == "MT301"] == []


@pytest.mark.parametrize(
    "code",
    [
        "```\nkyiv , the the\n```",
        "````\n```\nkyiv , the the\n```\n````",
        "~~~\nkyiv , the the\n~~~",
        "Intro line here.\n\n    kyiv , the the",
        "# Build\n    kyiv , the the",
        "Run `` kyiv ` the the `` now.",
        "<pre>\nkyiv , the the\n</pre>",
        "- Steps:\n\n  ```\n  kyiv , the the\n  ```",
    ],
)
def test_code_is_never_checked(code: str) -> None:
    text = code + "\n\nThe talks went on in Geneva for three hours.\n"
    assert _check(text) == []


def test_table_cells_are_checked_as_text_with_exact_offsets() -> None:
    text = "| City | Note |\n|---|---|\n| Paris | rain in kyiv in the the afternoon |\n"
    findings = _check(text)
    assert {(f.code, f.text) for f in findings} >= {("MT101", "kyiv"), ("MT701", "the the")}
    assert text.index("kyiv") in [f.start for f in findings if f.code == "MT101"]
    fixed = mtcheck.fix(text, findings)
    assert fixed == text.replace("kyiv", "Kyiv").replace("the the", "the")


def test_table_cells_and_list_items_are_structural_blocks() -> None:
    doc = parse("Intro paragraph here.\n\n" + TABLE + "\n\n- first item\n- second item\n", "en", Format.MARKDOWN)
    kinds = {doc.text[b.start : b.end]: b.kind for b in doc.blocks}
    assert kinds["City"] == kinds["Note"] == kinds["rain in the afternoon"] == "item"
    assert kinds["first item"] == kinds["second item"] == "item"
    assert kinds["Intro paragraph here."] == "paragraph"


def test_escaped_pipe_in_a_cell_keeps_offsets() -> None:
    text = "| Name | Note |\n|---|---|\n| kyiv \\| lviv | x |\n"
    plain = parse_markdown(text)
    i = plain.text.index("kyiv | lviv")
    assert plain.to_original(i, i + 4) == (text.index("kyiv"), text.index("kyiv") + 4)
    j = plain.text.index("lviv")
    assert plain.to_original(j, j + 4) == (text.index("lviv"), text.index("lviv") + 4)


def test_fix_unsafe_keeps_a_markdown_table_byte_for_byte(tmp_path) -> None:
    text = BEFORE + TABLE + "\n\nForecasters expect more of the same for the rest of the week in kyiv .\n"
    path = tmp_path / "weather.md"
    path.write_text(text, encoding="utf-8")
    out = CliRunner().invoke(app, ["fix", "--no-lm", "--unsafe-fixes", str(path)])
    assert out.exit_code in (0, 1), out.output
    fixed = path.read_text(encoding="utf-8")
    assert TABLE in fixed
    assert fixed == text.replace("kyiv .", "Kyiv.")


def test_fix_never_edits_markdown_markup() -> None:
    text = (
        "# Talks in kyiv\n\n> They met in **kyiv** , said [the report](https://example.com/kyiv ,x).\n\n"
        "- an item in kyiv\n\n| City | Note |\n|---|---|\n| kyiv | the the rain |\n\n"
        "Text with `code  kyiv` and <b>kyiv</b> .\r\nA second line in kyiv.\r\n"
    )
    fixed = mtcheck.fix(text, _check(text), unsafe=True)
    for markup in ("# ", "> ", "**", "[the report](https://example.com/kyiv ,x)", "- ", "|---|---|", "`code  kyiv`"):
        assert markup in fixed
    assert "<b>Kyiv</b>" in fixed and "\r\n" in fixed


def test_crlf_markdown_maps_every_line() -> None:
    text = "# Title\r\n\r\nThey met in kyiv on Monday.\r\nThe talks in lviv went on.\r\n\r\n- item in odesa\r\n"
    findings = _check(text)
    assert [f.text for f in findings if f.code == "MT101"] == ["kyiv", "lviv", "odesa"]


def test_suppression_quoted_in_code_is_no_directive() -> None:
    text = (
        "How to silence a rule:\n\n```html\n<!-- mtcheck-ignore MT101 -->\n```\n\n"
        "Or inline: `<!-- mtcheck-disable -->`.\n\n    <!-- mtcheck-ignore -->\n\nThe talks went on in Geneva.\n"
    )
    assert _check(text) == []


def test_suppression_comments_still_work_in_markdown() -> None:
    text = "<!-- mtcheck-ignore MT101 -->\nThey met in kyiv on Monday.\n\nThey met in lviv<!-- x --> on Monday.\n"
    assert [f.text for f in _check(text)] == ["lviv"]


def test_blockquote_in_html_is_not_a_stray_line() -> None:
    text = "<h1>Weather</h1><blockquote><p>Peso</p></blockquote><p>" + AFTER.strip() + "</p>"
    assert [f for f in _check(text, "html") if f.code == "MT301"] == []


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("<p>a <b>b</b> c</p>", "\n\na b c\n\n"),
        ("<p>x</p><!-- unclosed", "\n\nx\n\n"),
        ("<p>x</p><a href='y", "\n\nx\n\n"),  # the standard drops a tag the text ends in
        ("<script>if (a<b) {}</script><p>x</p>", "\ufffc\n\nx\n\n"),
        ("<p>x</p><script>a<b", "\n\nx\n\n\ufffc"),
        ("<p>1 < 2 &amp; 3 &bogus; &#x41;</p>", "\n\n1 < 2 & 3 &bogus; A\n\n"),
        ("<p>a<?php echo 1 ?>b</p>", "\n\nab\n\n"),
        ("<p>a</>b</p>", "\n\nab\n\n"),
        ("<title>A &amp; <b>B</b></title>", "\n\nA & <b>B</b>\n\n"),
        ("<pre>x <pre>y</pre> z</pre>w", "\n\nw"),
        ("<code>x</code><p>y", "\ufffc\n\ny"),
        ("<p title=\"a > b\" data-x='>'>z</p>", "\n\nz\n\n"),
    ],
)
def test_html_tokenizer_follows_the_standard(text: str, plain: str) -> None:
    assert parse(text, "en", Format.HTML).text == plain


def test_suppression_inside_a_list_item_still_counts() -> None:
    text = "- The first item is here.\n\n  <!-- mtcheck-ignore -->\n  They met in kyiv today.\n"
    assert _check(text) == []
    assert [f.text for f in _check(text.replace("  <!-- mtcheck-ignore -->\n", ""))] == ["kyiv"]


def test_long_markdown_parsed_in_chunks_reads_as_a_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks are cut only where a top-level block must start anyway: code fences and HTML
    blocks with blank lines inside, lists, quotes and tables read the same as in one parse."""
    import mtcheck.markup as markup

    blocks = (
        "# A heading\n\nA paragraph in Geneva with *emphasis* and a [link](http://example.org).\n\n"
        "```\ncode\n\nNot prose at column zero\n```\n\n"
        "<pre>\npre\n\nNot prose either\n</pre>\n\n<!-- a comment\n\nstill the comment -->\n\n"
        "- one\n\n- two\n\n  continued\n\n> quoted\n\n> again\n\n"
        "| City | Note |\n|---|---|\n| Bern | capital |\n\n    indented\n\n    code\n\n"
        "[ref]: http://example.org\n\nUse [the ref][ref] here.\n\n"
    )
    text = blocks * 60
    whole = markup.parse_markdown(text)
    monkeypatch.setattr(markup, "MARKDOWN_CHUNK", 1500)
    assert len(markup._chunk_starts(text.replace("\r\n", "\n"), markup._Lines(text), 1500)) > 10
    chunked = markup.parse_markdown(text)
    assert chunked.text == whole.text
    assert [chunked.origin.span(i) for i in range(len(chunked.text))] == [  # type: ignore[union-attr]
        whole.origin.span(i)  # type: ignore[union-attr]
        for i in range(len(whole.text))
    ]
    assert (chunked.headings, chunked.structural, chunked.exempt) == (whole.headings, whole.structural, whole.exempt)
    assert "Not prose" not in chunked.text
