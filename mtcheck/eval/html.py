"""`mtcheck eval --format html`: one self-contained page comparing the systems.

Charts are inline SVG drawn here (no script, no external file; the page works offline and as an
attachment): each metric's score per system with its 95% bootstrap interval, and the findings
per 1,000 words of each system by MQM category. Below, the worst segments of each system with
their findings highlighted, as in `mtcheck check --format html`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from html import escape
from typing import Any

from mtcheck import __version__
from mtcheck.eval.vendors import Evaluation

METRICS = (
    ("bleu", "BLEU", True),
    ("chrf", "chrF", True),
    ("ter", "TER", False),
    ("mtcheck_penalty", "mtcheck penalty (reference-free)", False),
    ("mtcheck_qe", "mtcheck error load (learned, reference-free)", False),
)
# MQM's top-level categories, in a fixed order and colour so charts compare across reports.
CATEGORY_COLOURS = {
    "Accuracy": "#c92a2a",
    "Fluency": "#1971c2",
    "Terminology": "#7048e8",
    "Style": "#2b8a3e",
    "Locale convention": "#e67700",
    "Other": "#868e96",
}
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_CSS = """
body { font: 15px/1.5 system-ui, sans-serif; color: #212529; max-width: 64rem; margin: 0 auto;
  padding: 1rem 1.5rem 4rem; }
h1 { font-size: 1.35rem; } h2 { font-size: 1.15rem; margin-top: 2rem; } h3 { font-size: 1rem; }
.meta, .sig { color: #6c757d; font-size: .85rem; } .sig code { word-break: break-all; }
table { border-collapse: collapse; font-size: .9rem; margin: .5rem 0 1rem; }
th, td { text-align: left; padding: .2rem .8rem .2rem 0; border-bottom: 1px solid #dee2e6; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem 2rem; }
svg.chart { font: 12px system-ui, sans-serif; background: #fcfcfc; border: 1px solid #e9ecef; }
svg .baseline { font-weight: 700; }
.legend span { display: inline-block; margin-right: 1rem; font-size: .85rem; }
.legend i { display: inline-block; width: .8em; height: .8em; margin-right: .3em; vertical-align: -.05em; }
.seg { border: 1px solid #e9ecef; border-radius: .3rem; padding: .5rem .8rem; margin: .6rem 0; }
.seg .src { color: #6c757d; font-size: .9rem; }
.seg .tgt { font-family: Georgia, serif; font-size: 1.02rem; white-space: pre-wrap; }
mark { background: none; border-bottom: 2px solid; padding: 0 .05em; }
mark.minor { background: #fff3bf; border-bottom: 2px dotted #b08900; }
mark.major { background: #ffe8cc; border-color: #e8590c; }
mark.critical { background: #ffe3e3; border-bottom: 3px double #c92a2a; }
.seg ul { margin: .3rem 0 0; padding-left: 1.2rem; font-size: .85rem; }
.sev { font-weight: 700; text-transform: uppercase; font-size: .75rem; }
"""


def _num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _interval_chart(ev: Evaluation, key: str, label: str, higher_better: bool) -> str:
    """Dots at each system's score, whiskers over its 95% interval, on a shared axis."""
    rows = [s for s in ev.systems if s[key] is not None]
    if not rows:
        return ""
    lows = [s["bootstrap"][key]["low"] for s in rows] + [s[key] for s in rows]
    highs = [s["bootstrap"][key]["high"] for s in rows] + [s[key] for s in rows]
    lo, hi = min(lows), max(highs)
    pad = (hi - lo) * 0.08 or 1.0
    lo, hi = lo - pad, hi + pad
    left, width, row_h = 130, 300, 26
    height = 40 + row_h * len(rows)

    def x(v: float) -> float:
        return left + (v - lo) / (hi - lo) * width

    parts = [
        f'<svg class="chart" data-metric="{key}" role="img" aria-label="{escape(label)} with 95% intervals" '
        f'width="{left + width + 70}" height="{height}" viewBox="0 0 {left + width + 70} {height}">',
        f'<text x="{left}" y="16" font-weight="700">{escape(label)}'
        f" ({'higher' if higher_better else 'lower'} is better)</text>",
    ]
    for i, s in enumerate(rows):
        y = 36 + i * row_h
        boot = s["bootstrap"][key]
        cls = ' class="baseline"' if s["system"] == ev.baseline else ""
        p = boot.get("p_value")
        star = "*" if p is not None and p < 0.05 else ""
        parts.append(
            f'<g class="row" data-system="{escape(s["system"])}">'
            f'<text x="{left - 8}" y="{y + 4}" text-anchor="end"{cls}>{escape(s["system"])}</text>'
            f'<line x1="{x(boot["low"]):.1f}" x2="{x(boot["high"]):.1f}" y1="{y}" y2="{y}" stroke="#495057" '
            f'stroke-width="2"/><circle cx="{x(s[key]):.1f}" cy="{y}" r="4.5" fill="#1971c2"/>'
            f'<text x="{left + width + 8}" y="{y + 4}">{_num(s[key])}{star}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _top_category(category: str) -> str:
    top = category.split("/")[0]
    return top if top in CATEGORY_COLOURS else "Other"


def _category_chart(ev: Evaluation) -> str:
    """Findings per 1,000 words of each system, stacked by top-level MQM category."""
    totals: dict[str, dict[str, float]] = {}
    for s in ev.systems:
        acc: dict[str, float] = defaultdict(float)
        for cat, by_sev in s["findings_by_category"].items():
            acc[_top_category(cat)] += sum(by_sev.values())
        totals[s["system"]] = acc
    peak = max((sum(v.values()) for v in totals.values()), default=0.0) or 1.0
    left, width, row_h = 130, 360, 26
    height = 30 + row_h * len(totals)
    parts = [
        f'<svg class="chart" data-chart="categories" role="img" aria-label="findings per 1,000 words by category" '
        f'width="{left + width + 70}" height="{height}" viewBox="0 0 {left + width + 70} {height}">'
    ]
    for i, (system, acc) in enumerate(totals.items()):
        y = 10 + i * row_h
        cls = ' class="baseline"' if system == ev.baseline else ""
        parts.append(
            f'<g class="row" data-system="{escape(system)}"><text x="{left - 8}" y="{y + 13}" '
            f'text-anchor="end"{cls}>{escape(system)}</text>'
        )
        xpos = float(left)
        for cat, colour in CATEGORY_COLOURS.items():
            w = acc.get(cat, 0.0) / peak * width
            if w > 0:
                parts.append(
                    f'<rect x="{xpos:.1f}" y="{y}" width="{w:.1f}" height="18" fill="{colour}">'
                    f"<title>{escape(system)}: {escape(cat)} {acc[cat]:.1f} per 1,000 words</title></rect>"
                )
                xpos += w
        parts.append(f'<text x="{xpos + 6:.1f}" y="{y + 13}">{sum(acc.values()):.1f}</text></g>')
    parts.append("</svg>")
    legend = "".join(f'<span><i style="background:{c}"></i>{escape(k)}</span>' for k, c in CATEGORY_COLOURS.items())
    return "".join(parts) + f'<p class="legend">{legend}</p>'


def _highlighted(text: str, findings: list[dict[str, Any]]) -> str:
    """The segment with each finding's characters marked; overlapping findings are cut at
    every boundary, the worst severity colouring each piece."""
    rank = {"minor": 1, "major": 2, "critical": 3}
    cuts = sorted({0, len(text), *(f["start"] for f in findings), *(f["end"] for f in findings)})
    out = []
    for a, b in itertools.pairwise(cuts):
        covering = [i for i, f in enumerate(findings) if f["start"] <= a and b <= f["end"] and f["start"] < f["end"]]
        piece = escape(text[a:b])
        if covering:
            worst = max((findings[i]["severity"] for i in covering), key=lambda s: rank.get(s, 0))
            ids = " ".join(str(i) for i in covering)
            out.append(f'<mark class="{worst}" data-ids="{ids}">{piece}</mark>')
        else:
            out.append(piece)
    return "".join(out)


def _worst(ev: Evaluation) -> str:
    parts = []
    for system, segs in ev.worst.items():
        parts.append(f'<h3 data-system="{escape(system)}">{escape(system)}</h3>')
        if not segs:
            parts.append('<p class="meta">No segment with a finding.</p>')
            continue
        for w in segs:
            items = "".join(
                f'<li><span class="sev">{escape(f["severity"])}</span> {escape(f["code"])} '
                f"{escape(f['category'])}: {escape(f['message'])}</li>"
                for f in w["findings"]
            )
            source = f'<div class="src">{escape(w["source"])}</div>' if w.get("source") else ""
            parts.append(
                f'<div class="seg" data-system="{escape(system)}" data-penalty="{w["penalty"]}">'
                f'<div class="meta">document {escape(w["doc"] or "-")}, segment {escape(w["segment"])}: '
                f"penalty {w['penalty']:g}</div>{source}"
                f'<div class="tgt">{_highlighted(w["target"], w["findings"])}</div><ul>{items}</ul></div>'
            )
    return "".join(parts)


def _table(ev: Evaluation) -> str:
    head = "".join(f"<th>{escape(label.split(' (')[0])}</th>" for _, label, _ in METRICS)
    rows = []
    for s in sorted(ev.systems, key=lambda r: r["mtcheck_penalty"]):
        cells = []
        for key, _, _ in METRICS:
            boot = s["bootstrap"].get(key, {})
            p = boot.get("p_value")
            extra = "" if p is None else f" (p={p:.3f})"
            cells.append(
                f'<td class="n">{_num(s[key])} ± {_num(boot.get("ci"))}{extra}</td>'
                if s[key] is not None
                else '<td class="n">-</td>'
            )
        name = escape(s["system"]) + (" (baseline)" if s["system"] == ev.baseline else "")
        rows.append(
            f'<tr><td>{name}</td><td class="n">{s["segments"]}</td>{"".join(cells)}'
            f'<td class="n">{s["findings_per_1k_words"]:.1f}</td></tr>'
        )
    return f"<table><tr><th>system</th><th>segments</th>{head}<th>findings / 1k words</th></tr>{''.join(rows)}</table>"


def to_html(ev: Evaluation, title: str = "mtcheck eval") -> str:
    charts = "".join(_interval_chart(ev, key, label, hb) for key, label, hb in METRICS)
    sigs = "".join(f"<li>{escape(k)}: <code>{escape(v)}</code></li>" for k, v in ev.signatures.items())
    notes = "".join(f'<p class="meta">Note: {escape(n)}</p>' for n in ev.notes)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f'<meta name="generator" content="mtcheck {__version__}"><title>{escape(title)}</title>'
        f"<style>{_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f'<p class="meta">mtcheck {__version__}; {len(ev.systems)} systems on {ev.segments} common segments; '
        f"baseline {escape(ev.baseline or '-')}; ± is the 95% bootstrap interval, p the paired bootstrap "
        "p-value against the baseline, * p &lt; 0.05.</p>"
        f"{_table(ev)}{notes}"
        f'<h2>Scores with 95% intervals</h2><div class="charts">{charts}</div>'
        f"<h2>Findings per 1,000 words by MQM category</h2>{_category_chart(ev)}"
        f"<h2>Worst segments</h2>{_worst(ev)}"
        f'<h2>Signatures</h2><ul class="sig">{sigs}</ul>'
        "</body></html>\n"
    )
