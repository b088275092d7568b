"""`mtcheck eval`'s outputs: a terminal table, JSON and CSV (pure functions of an Evaluation)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from mtcheck.eval.vendors import Evaluation

METRICS = ("bleu", "chrf", "ter", "mtcheck_penalty", "mtcheck_qe")
LABELS = {"bleu": "BLEU", "chrf": "chrF", "ter": "TER", "mtcheck_penalty": "penalty", "mtcheck_qe": "error load"}


def _cell(row: dict[str, Any], name: str) -> str:
    value = row[name]
    if value is None:
        return "-"
    boot = row["bootstrap"].get(name, {})
    p = boot.get("p_value")
    # sacreBLEU's notation: the score, ± the 95% interval, and the p-value against the baseline.
    mark = "" if p is None else f" (p={p:.4f}){'*' if p < 0.05 else ''}"
    return f"{value:.2f} ± {boot.get('ci', 0.0):.2f}{mark}"


def to_table(ev: Evaluation) -> str:
    """Systems ranked by mtcheck's penalty (lower is better); * marks p < 0.05 against the
    baseline, whose row has no p-value."""
    rows = sorted(ev.systems, key=lambda r: r["mtcheck_penalty"])
    head = ["system", "segments", *[LABELS[m] for m in METRICS], "findings/1k words"]
    body = [
        [r["system"] + (" (baseline)" if r["system"] == ev.baseline else ""), str(r["segments"])]
        + [_cell(r, m) for m in METRICS]
        + [f"{r['findings_per_1k_words']:.1f}"]
        for r in rows
    ]
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(b, widths, strict=True)) for b in body]
    lines.append("")
    lines.append(
        f"{ev.segments} segments common to all systems; penalty: MQM-style weights per segment (lower is better)."
    )
    if any(r.get("mtcheck_qe") is not None for r in ev.systems):
        lines.append(
            "error load: the learned span head's expected error tokens per segment, reference-free (lower is better)."
        )
    lines.append("± is the 95% bootstrap interval; p against the baseline (paired bootstrap); * p < 0.05.")
    for name, signature in ev.signatures.items():
        lines.append(f"{LABELS.get(name, name)}: {signature}")
    lines += [f"note: {n}" for n in ev.notes]
    return "\n".join(lines) + "\n"


def to_json(ev: Evaluation) -> str:
    return json.dumps(ev.as_dict(), ensure_ascii=False, indent=2) + "\n"


def to_csv(ev: Evaluation) -> str:
    """One row per system: scores, intervals, p-values, ranks and the signatures."""
    out = io.StringIO()
    cols = ["system", "segments", "words", "baseline"]
    for m in METRICS:
        cols += [m, f"{m}_ci", f"{m}_p_value", f"{m}_rank"]
    cols += ["findings", "findings_per_1k_words"] + [f"{m}_signature" for m in ("bleu", "chrf", "ter", "mtcheck")]
    writer = csv.DictWriter(out, fieldnames=cols, lineterminator="\n")
    writer.writeheader()
    for r in ev.systems:
        row: dict[str, Any] = {k: r[k] for k in ("system", "segments", "words", "findings", "findings_per_1k_words")}
        row["baseline"] = r["system"] == ev.baseline
        for m in METRICS:
            boot = r["bootstrap"].get(m, {})
            row[m] = r[m]
            row[f"{m}_ci"] = boot.get("ci")
            row[f"{m}_p_value"] = boot.get("p_value")
            row[f"{m}_rank"] = r["rank"].get(m)
        for m in ("bleu", "chrf", "ter", "mtcheck"):
            row[f"{m}_signature"] = ev.signatures.get(m, "")
        writer.writerow(row)
    return out.getvalue()
