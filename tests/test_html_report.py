"""The HTML report (`mtcheck check --format html`, `POST /v1/render`): its structure in Python,
and the page itself in headless Chromium (Debian's `chromium` and `chromium-driver`, which
`.ci/run` installs): it renders, its highlights sit on the findings' words, hover and click
show the message and fix."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from mtcheck.model import Applicability, Finding, Fix, Severity
from mtcheck.report import FileResult, verdict
from mtcheck.report.html import _segments, to_html

# Markup, an astral character before the findings (JavaScript counts it as two), a finding
# inside another, an insertion point and a script that must stay text.
TEXT = 'Le <b>😀</b> "kyiv" met the American Department of State.\n<script>alert("x")</script> End'


def _finding(text: str, start: int, end: int, code: str, sev: Severity, fix: str | None = None) -> Finding:
    return Finding(
        code=code,
        rule=code.lower(),
        severity=sev,
        category="Fluency/Spelling" if sev is Severity.MINOR else "Accuracy/Mistranslation",
        message=f"message of {code} & <co>",
        start=start,
        end=end,
        text=text[start:end],
        suggestions=(fix,) if fix is not None else (),
        fix=Fix(fix, Applicability.SAFE) if fix is not None else None,
    )


def _crafted() -> FileResult:
    t = TEXT
    kyiv = t.index("kyiv")
    dept = t.index("the American")
    state = t.index("State")
    dot = t.index(".\n")
    findings = [
        _finding(t, kyiv, kyiv + 4, "MT101", Severity.MAJOR, "Kyiv"),
        _finding(t, dept, state + 5, "MT501", Severity.MINOR, "the US State Department"),
        _finding(t, state, state + 5, "MT999", Severity.CRITICAL),  # inside the one before
        _finding(t, dot, dot, "MT202", Severity.MINOR, ","),  # an insertion point
    ]
    return FileResult("crafted.html", t, findings, "en")


class _Marks(HTMLParser):
    """Collects the text inside each finding's highlights, by finding id, and stray scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, str] = {}
        self.open: list[str] | None = None
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "mark":
            self.open = (a.get("data-ids") or "").split()
            for i in self.open:
                self.by_id.setdefault(i, "")
        self._in_script = tag == "script" and a.get("type") != "application/json"

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.open = None
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self.open is not None:
            for i in self.open:
                self.by_id[i] += data
        if self._in_script:
            self.scripts.append(data)


def test_segments_cut_at_every_boundary() -> None:
    res = _crafted()
    segs = list(_segments(len(res.text), res.findings))
    assert "".join(res.text[a:b] for a, b, _ in segs) == res.text
    state = res.text.index("State")
    assert (state, state + 5, [1, 2]) in segs  # both findings cover "State"
    dot = res.text.index(".\n")
    assert (dot, dot, [3]) in segs


def test_page_marks_the_findings_words_and_escapes_the_article() -> None:
    res = _crafted()
    page = to_html([res])
    parser = _Marks()
    parser.feed(page)
    for i, f in enumerate(res.findings):
        assert parser.by_id[f"0-{i}"] == f.text
    # The article's own script is text, not an element; only the page's one script runs.
    assert len(parser.scripts) == 1 and "alert" not in parser.scripts[0]
    assert "&lt;script&gt;alert" in page
    assert "Content-Security-Policy" in page and "http://" not in page and "https://" not in page
    data = page.split('id="mtcheck-data">', 1)[1].split("</script>", 1)[0]
    assert json.loads(data)[0]["findings"][1]["text"] == "the American Department of State"


def test_verdict_and_summary() -> None:
    res = _crafted()
    assert verdict(res.findings, Severity.CRITICAL) == "block"
    assert verdict(res.findings[:2], Severity.CRITICAL) == "review"
    assert verdict([], Severity.MINOR) == "pass"
    page = to_html([res], Severity.CRITICAL)
    assert 'class="verdict block"' in page and "1 at critical or above" in page
    assert "<td>Fluency/Spelling</td>" in page and "<td>Accuracy/Mistranslation</td>" in page
    clean = to_html([FileResult("clean.txt", "All good.", [], "en")])
    assert 'class="verdict pass"' in clean and "No findings." in clean


# ---- in the browser ----------------------------------------------------------------------

# For each highlight: the code-point offset of its first character in the article (walking the
# text nodes before it), its text, and whether it has a visible box.
_GEOMETRY_JS = """
const article = arguments[0];
const out = [];
for (const mark of article.querySelectorAll("mark.mt")) {
  const range = document.createRange();
  range.setStart(article, 0);
  range.setEndBefore(mark);
  const box = mark.getBoundingClientRect();
  out.push({
    ids: mark.dataset.ids.split(" "),
    start: Array.from(range.toString()).length,
    text: mark.textContent,
    visible: box.width > 0 && box.height > 0,
    background: getComputedStyle(mark).backgroundColor,
  });
}
return out;
"""


def _open(browser: Any, page: str, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    browser.get(path.as_uri())


def _check_geometry(browser: Any, text: str) -> dict[str, Any]:
    """Every finding's highlights cover exactly its characters; returns the embedded data."""
    from selenium.webdriver.common.by import By

    data = json.loads(browser.find_element(By.ID, "mtcheck-data").get_attribute("textContent"))
    articles = browser.find_elements(By.CSS_SELECTOR, ".article")
    for k, (file, article) in enumerate(zip(data, articles, strict=True)):
        marks = browser.execute_script(_GEOMETRY_JS, article)
        assert browser.execute_script("return arguments[0].textContent", article) == text
        for i, f in enumerate(file["findings"]):
            mine = [m for m in marks if f"{k}-{i}" in m["ids"]]
            assert mine, f"no highlight for {f['code']}"
            assert mine[0]["start"] == f["start"], f
            assert "".join(m["text"] for m in mine) == text[f["start"] : f["end"]]
            if f["end"] > f["start"]:
                assert all(m["visible"] for m in mine)
    return {"data": data, "marks": marks}


def _no_console_errors(browser: Any) -> None:
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def test_browser_highlights_sit_on_the_words(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    res = _crafted()
    _open(browser, to_html([res]), tmp_path)
    assert browser.title.startswith("mtcheck: crafted.html")
    got = _check_geometry(browser, res.text)
    # Severity shows in the colour: a major highlight is not painted like a minor one.
    colour = {tuple(m["ids"]): m["background"] for m in got["marks"]}
    assert colour[("0-0",)] != colour[("0-1",)]
    # The article's script stayed text: nothing ran, no alert is open.
    assert browser.execute_script("return document.querySelectorAll('.article script').length") == 0
    pop = browser.find_element(By.ID, "mt-pop")
    assert not pop.is_displayed()
    kyiv = browser.find_element(By.CSS_SELECTOR, 'mark[data-ids="0-0"]')
    ActionChains(browser).move_to_element(kyiv).perform()
    assert pop.is_displayed()
    assert "MT101" in pop.text and "message of MT101 & <co>" in pop.text and "Kyiv" in pop.text
    # Two findings on "State": hovering it shows both cards.
    state = browser.find_element(By.CSS_SELECTOR, 'mark[data-ids="0-1 0-2"]')
    ActionChains(browser).move_to_element(state).perform()
    assert "MT501" in pop.text and "MT999" in pop.text
    # A click pins the card while the pointer moves away; Escape closes it.
    state.click()
    ActionChains(browser).move_to_element(browser.find_element(By.TAG_NAME, "h1")).perform()
    assert pop.is_displayed() and "MT999" in pop.text
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    assert not pop.is_displayed()
    summary = browser.find_element(By.ID, "mt-summary").text
    assert "BLOCK" in summary.upper() and "Fluency/Spelling" in summary
    _no_console_errors(browser)


def test_browser_renders_the_cli_report(browser: Any, tmp_path: Path) -> None:
    article = Path(__file__).resolve().parent.parent / "corpora" / "examples" / "summit.en.txt"
    text = article.read_text(encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "mtcheck.cli", "check", str(article), "--no-lm", "--format", "html"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert run.returncode == 1, run.stderr
    _open(browser, run.stdout, tmp_path)
    got = _check_geometry(browser, text)
    assert len(got["data"][0]["findings"]) >= 3
    _no_console_errors(browser)


def test_browser_renders_the_service_page(browser: Any, server: str, tmp_path: Path) -> None:
    text = "They met in kyiv . the minister spoke."
    body = json.dumps({"text": text, "lang": "en", "title": "Draft 12"}).encode()
    req = urllib.request.Request(
        server + "/v1/render", data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        assert r.headers["Content-Type"].startswith("text/html")
        page = r.read().decode("utf-8")
    _open(browser, page, tmp_path)
    assert browser.title == "mtcheck: Draft 12"
    got = _check_geometry(browser, text)
    assert {f["code"] for f in got["data"][0]["findings"]} >= {"MT101", "MT201"}
    _no_console_errors(browser)
