"""The HTML report: one self-contained page an editor reads in a browser.

The article is shown as its original text (markup included, escaped: the page never renders the
user's HTML, so nothing in it can run), every finding highlighted by severity; hovering, focusing
or clicking a highlight shows its message and fix. A summary at the top gives the publish verdict
and the counts by severity and MQM category. No external resource is fetched (a
Content-Security-Policy forbids it), so the page works offline and as an e-mail attachment.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from html import escape

from mtcheck import __version__
from mtcheck.model import Applicability, Finding, Severity
from mtcheck.report import FileResult, finding_dicts, verdict

_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

_CSS = """
:root { --minor: #f5c400; --major: #e8590c; --critical: #c92a2a; --pass: #2b8a3e; --review: #e8590c;
  --block: #c92a2a; --ink: #212529; --muted: #6c757d; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, sans-serif; color: var(--ink); margin: 0 auto; max-width: 60rem;
  padding: 1rem 1.5rem 4rem; }
header h1 { font-size: 1.3rem; margin: .5rem 0; }
.meta { color: var(--muted); font-size: .85rem; }
.verdict { display: inline-block; font-weight: 700; text-transform: uppercase; color: #fff;
  border-radius: .3rem; padding: .1rem .6rem; letter-spacing: .05em; }
.verdict.pass { background: var(--pass); } .verdict.review { background: var(--review); }
.verdict.block { background: var(--block); }
.counts { display: flex; flex-wrap: wrap; gap: .4rem 1.5rem; margin: .6rem 0; }
.chip { white-space: nowrap; }
.chip::before { content: ""; display: inline-block; width: .8em; height: .8em; margin-right: .35em;
  border-radius: 50%; vertical-align: -.05em; }
.chip.minor::before { background: var(--minor); } .chip.major::before { background: var(--major); }
.chip.critical::before { background: var(--critical); }
table { border-collapse: collapse; font-size: .9rem; margin: .5rem 0 1rem; }
th, td { text-align: left; padding: .15rem .8rem .15rem 0; border-bottom: 1px solid #dee2e6; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
section.file { border-top: 2px solid #dee2e6; margin-top: 1.5rem; }
section.file h2 { font-size: 1.1rem; margin: .8rem 0 .2rem; word-break: break-all; }
.article { white-space: pre-wrap; overflow-wrap: anywhere; font-family: Georgia, serif; font-size: 1.05rem;
  line-height: 1.7; background: #fcfcfc; border: 1px solid #e9ecef; border-radius: .3rem; padding: 1rem; }
mark.mt { background: none; color: inherit; cursor: pointer; border-bottom: 2px solid; padding: 0 .05em; }
mark.mt.minor { background: #fff3bf; border-bottom: 2px dotted #b08900; }
mark.mt.major { background: #ffe8cc; border-color: var(--major); }
mark.mt.critical { background: #ffe3e3; border-bottom: 3px double var(--critical); }
mark.mt.point::before { content: "\\2038"; color: var(--critical); font-weight: 700; }
mark.mt:focus, mark.mt.active { outline: 2px solid #1971c2; outline-offset: 1px; }
#mt-pop { position: absolute; z-index: 10; max-width: 26rem; background: #fff; border: 1px solid #adb5bd;
  border-radius: .3rem; box-shadow: 0 .3rem 1rem rgba(0,0,0,.18); padding: .5rem .7rem; font-size: .9rem; }
#mt-pop[hidden] { display: none; }
#mt-pop .card + .card { border-top: 1px solid #dee2e6; margin-top: .4rem; padding-top: .4rem; }
ol.findings { padding-left: 1.5rem; font-size: .9rem; }
ol.findings li { margin: .3rem 0; }
.card .code { font-family: ui-monospace, monospace; font-weight: 600; }
.card .sev { font-size: .75rem; text-transform: uppercase; font-weight: 700; }
.card .sev.minor { color: #8f6f00; } .card .sev.major { color: var(--major); }
.card .sev.critical { color: var(--critical); }
.card .cat, .card .where { color: var(--muted); }
.card .fix { display: block; }
.card ins { background: #d3f9d8; text-decoration: none; padding: 0 .15em; }
.card del { background: #ffe3e3; }
.card q { font-style: italic; }
.empty { color: var(--muted); font-style: italic; }
"""

# Hover or focus shows a finding's card next to its highlight; a click pins it until the next
# click or Escape. Without JavaScript the marks keep their title attribute and the list below.
_JS = """
(function () {
  var pop = document.getElementById("mt-pop"), pinned = null;
  function cards(mark) {
    return mark.dataset.ids.split(" ").map(function (id) {
      return document.getElementById("f-" + id).querySelector(".card").outerHTML;
    }).join("");
  }
  function show(mark) {
    pop.innerHTML = cards(mark);
    pop.hidden = false;
    var r = mark.getBoundingClientRect();
    var left = Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth
      - pop.offsetWidth - 8);
    pop.style.left = Math.max(window.scrollX + 4, left) + "px";
    pop.style.top = (window.scrollY + r.bottom + 6) + "px";
  }
  function hide() { if (!pinned) { pop.hidden = true; } }
  function unpin() {
    if (pinned) { pinned.classList.remove("active"); }
    pinned = null; pop.hidden = true;
  }
  document.querySelectorAll("mark.mt").forEach(function (m) {
    m.removeAttribute("title");
    m.addEventListener("mouseenter", function () { if (!pinned) { show(m); } });
    m.addEventListener("mouseleave", hide);
    m.addEventListener("focus", function () { if (!pinned) { show(m); } });
    m.addEventListener("blur", hide);
    m.addEventListener("click", function (e) {
      e.stopPropagation();
      var same = pinned === m;
      unpin();
      if (!same) { pinned = m; m.classList.add("active"); show(m); }
    });
    m.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); m.click(); }
    });
  });
  document.addEventListener("click", function (e) { if (!pop.contains(e.target)) { unpin(); } });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { unpin(); } });
})();
"""


def _fix_html(f: Finding) -> str:
    if f.fix is not None:
        how = {
            Applicability.SAFE: "safe fix, applied by <code>mtcheck fix</code>",
            Applicability.UNSAFE: "unsafe fix, applied by <code>mtcheck fix --unsafe-fixes</code>",
            Applicability.SUGGESTION: "suggestion",
        }[f.fix.applicability]
        what = f"<ins>{escape(f.fix.replacement)}</ins>" if f.fix.replacement else "<del>delete</del>"
        return f'<span class="fix">Fix: {what} <span class="how">({how})</span></span>'
    if f.suggestions:
        options = ", ".join(f"<ins>{escape(s)}</ins>" if s else "<del>delete</del>" for s in f.suggestions[:5])
        return f'<span class="fix">Suggestions: {options}</span>'
    return ""


def _card(f: Finding, line: int, column: int) -> str:
    # The words themselves, unless the message already quotes them.
    quoted = f"<q>{escape(f.text)}</q> " if f.text.strip() and f.text not in f.message else ""
    return (
        f'<div class="card"><span class="code">{escape(f.code)}</span> '
        f'<span class="sev {f.severity}">{f.severity}</span> '
        f'<span class="cat">{escape(f.category)}</span> <span class="where">line {line}, column {column}</span>'
        f"<br>{quoted}{escape(f.message)}{_fix_html(f)}</div>"
    )


def _segments(n: int, findings: list[Finding]) -> Iterator[tuple[int, int, list[int]]]:
    """Cut ``[0, n)`` at every finding boundary: (start, end, indices of the findings covering it).
    Empty findings (an insertion point) come out as zero-length segments at their position."""
    cuts = {0, n}
    for f in findings:
        cuts.update((f.start, f.end))
    points: dict[int, list[int]] = {}
    for i, f in enumerate(findings):
        if f.start == f.end:
            points.setdefault(f.start, []).append(i)
    bounds = sorted(c for c in cuts if 0 <= c <= n)
    for a, b in zip(bounds, [*bounds[1:], n], strict=True):
        if a in points:
            yield a, a, points[a]
        if a < b:
            yield a, b, [i for i, f in enumerate(findings) if f.start <= a and b <= f.end and f.start < f.end]


def _article(res: FileResult, key: str) -> str:
    findings = res.findings
    out = []
    for a, b, ids in _segments(len(res.text), findings):
        piece = escape(res.text[a:b])
        if not ids:
            out.append(piece)
            continue
        worst = max(findings[i].severity for i in ids)
        title = escape(" | ".join(f"{findings[i].code}: {findings[i].message}" for i in ids))
        point = " point" if a == b else ""
        data = " ".join(f"{key}-{i}" for i in ids)
        out.append(
            f'<mark class="mt {worst}{point}" tabindex="0" data-ids="{data}" data-start="{a}" data-end="{b}" '
            f'title="{title}">{piece}</mark>'
        )
    return "".join(out)


def _counts(findings: list[Finding]) -> str:
    by_sev = Counter(f.severity for f in findings)
    chips = "".join(
        f'<span class="chip {s}">{by_sev[s]} {s}</span>' for s in sorted(Severity, reverse=True) if by_sev[s]
    )
    safe = sum(1 for f in findings if f.fix and f.fix.applicability is Applicability.SAFE)
    unsafe = sum(1 for f in findings if f.fix and f.fix.applicability is Applicability.UNSAFE)
    fixable = f'<span class="chip-fix">{safe} safe fixes, {unsafe} unsafe</span>'
    return f'<div class="counts">{chips}{fixable}</div>'


def _category_table(findings: list[Finding]) -> str:
    if not findings:
        return ""
    by_cat = Counter(f.category for f in findings)
    by_cat_sev = Counter((f.category, f.severity) for f in findings)
    sevs = sorted(Severity, reverse=True)
    head = "".join(f"<th>{s}</th>" for s in sevs)
    rows = "".join(
        f'<tr><td>{escape(cat)}</td><td class="n">{n}</td>'
        + "".join(f'<td class="n">{by_cat_sev[(cat, s)] or ""}</td>' for s in sevs)
        + "</tr>"
        for cat, n in sorted(by_cat.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return f'<table class="categories"><tr><th>MQM category</th><th>findings</th>{head}</tr>{rows}</table>'


def _verdict_line(findings: list[Finding], block_at: Severity) -> str:
    v = verdict(findings, block_at)
    why = {
        "pass": "no findings",
        "review": f"findings, none at {block_at} or above",
        "block": f"{sum(1 for f in findings if f.severity >= block_at)} at {block_at} or above",
    }[v]
    return f'<p>Publish verdict: <span class="verdict {v}" >{v}</span> <span>({why})</span></p>'


def _error_load(res: FileResult) -> str:
    """The learned head's error load of the text, when the model ran with one: a triage score
    (expected error tokens), shown beside the verdict, never part of it."""
    loads = [s["error_load"] for s in res.sentences if "error_load" in s]
    if not loads:
        return ""
    words = max(len(res.text.split()), 1)
    return (
        f"; error load {sum(loads):.1f} ({1000 * sum(loads) / words:.0f} per 1,000 words; the learned "
        "head's expected error tokens, for triage: it does not decide the verdict)"
    )


def _file_section(res: FileResult, key: str, block_at: Severity, own_verdict: bool) -> str:
    lines = []
    for i, f in enumerate(res.findings):
        line, col = res.line_col(f.start)
        lines.append(f'<li id="f-{key}-{i}" class="{f.severity}">{_card(f, line, col)}</li>')
    listing = f'<ol class="findings">{"".join(lines)}</ol>' if lines else '<p class="empty">No findings.</p>'
    langs = f"language {escape(res.lang or 'unknown')}"
    if res.src_lang:
        langs += f", source {escape(res.src_lang)}"
    body = _article(res, key) if res.text else '<span class="empty">(empty text)</span>'
    return (
        f'<section class="file" id="file-{key}"><h2>{escape(res.location)}</h2>'
        f'<p class="meta">{langs}; {len(res.findings)} findings{escape(_error_load(res))}</p>'
        f"{_verdict_line(res.findings, block_at) if own_verdict else ''}"
        f'<div class="article" lang="{escape(res.lang or "")}">{body}</div>'
        f"<h3>Findings</h3>{listing}</section>"
    )


def _data(results: list[FileResult]) -> str:
    """The findings as JSON inside the page, for scripts and tests; ``<`` escaped so no text
    can close the script element."""
    files = [{"path": r.location, "findings": finding_dicts(r)} for r in results]
    return json.dumps(files, ensure_ascii=False).replace("<", "\\u003c")


def to_html(results: Iterable[FileResult], block_at: Severity = Severity.MAJOR, title: str | None = None) -> str:
    """The report page for one or more checked texts."""
    results = list(results)
    findings = [f for r in results for f in r.findings]
    model = next((r.model for r in results if r.model), None)
    model_note = f"model {escape(model['name'])} v{escape(str(model['version']))}" if model else "rules only"
    title = title or (results[0].location if len(results) == 1 else f"{len(results)} texts")
    sections = "".join(_file_section(r, str(k), block_at, len(results) > 1) for k, r in enumerate(results))
    notes = "".join(f'<p class="meta">Note: {escape(n)}</p>' for r in results for n in r.notes)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="mtcheck {__version__}">'
        f"<title>mtcheck: {escape(title)}</title><style>{_CSS}</style></head><body>"
        f'<header id="mt-summary"><h1>mtcheck report: {escape(title)}</h1>'
        f'<p class="meta">mtcheck {__version__}, {model_note}; {len(results)} '
        f"{'text' if len(results) == 1 else 'texts'}, {len(findings)} findings</p>"
        f"{_verdict_line(findings, block_at)}{_counts(findings)}{_category_table(findings)}{notes}</header>"
        f'<main>{sections}</main><div id="mt-pop" role="tooltip" hidden></div>'
        f'<script type="application/json" id="mtcheck-data">{_data(results)}</script>'
        f"<script>{_JS}</script></body></html>\n"
    )
