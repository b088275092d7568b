"""The language model's findings and fluency score against professional MQM annotations.

Reads ../shared/bench/mqm/zh-en.*.jsonl (WMT news translated into English, error spans marked by
translators; never copied here). The thresholds in mtcheck/checks/lm.py were set on zh-en.2020,
so the default years are 2021 and 2023: held out. Segments are checked in documents of 100
paragraphs (one per segment) so that the model scores them in batches; sentences are scored
one at a time either way, so a segment's findings do not depend on its neighbours.

Figures:
- precision: share of the model's findings (MT8xx) that overlap a rater's error span, against the
  share of target characters inside rater spans (what flagging at random would get);
- false alarms: error-free segments with a major or critical model finding (target <= 1 in 100);
- ROC AUC of the sentence scores for separating error-free segments from segments with a major
  Fluency or Accuracy error: fluency (SLOR, the segment's lowest sentence) and surprise (bits
  beyond expectation, summed over the segment's sentences); with segment length alone as a
  baseline (longer segments hold more errors), and again among segments of 15-30 words.

    python bench/lm_mqm.py [--years 2021 2023] [--limit N] [--bench ../shared/bench]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from mtcheck.api import check_document
from mtcheck.config import Config
from mtcheck.markup import Format
from mtcheck.model import Severity


def auc(pos: list[float], neg: list[float]) -> float:
    """P(score of a random positive > score of a random negative), ties counting half."""
    ranked = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        avg = (i + j + 1) / 2  # 1-based average rank of the tie group
        rank_sum += avg * sum(1 for k in range(i, j) if ranked[k][1])
        i = j
    n_pos, n_neg = len(pos), len(neg)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg) if n_pos and n_neg else float("nan")


def load(bench: Path, years: list[str], limit: int | None) -> list[dict]:
    recs = []
    for y in years:
        path = bench / "mqm" / f"zh-en.{y}.jsonl"
        with path.open(encoding="utf-8") as fh:
            recs.extend(json.loads(line) for line in fh)
    return recs[:limit] if limit else recs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default=str(Path(__file__).resolve().parents[2] / "shared" / "bench"))
    ap.add_argument("--years", nargs="+", default=["2021", "2023"])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--show", type=int, default=8)
    args = ap.parse_args(argv)
    try:
        recs = load(Path(args.bench), args.years, args.limit)
    except OSError as e:
        print(f"cannot read the MQM files: {e}", file=sys.stderr)
        return 2
    config = Config()
    flagged = hits = 0
    alarms = clean = 0
    chars = chars_in = 0
    # Per labelled segment: (is error-free, words, fluency, -surprise); higher = more fluent.
    scored: list[tuple[bool, int, float, float]] = []
    shown: list[str] = []
    words = 0
    t0 = time.perf_counter()
    for b in range(0, len(recs), 100):
        batch = recs[b : b + 100]
        parts = [r["target"].replace("\n", " ") for r in batch]
        starts, at = [], 0
        for p in parts:
            starts.append(at)
            at += len(p) + 2
        res = check_document("\n\n".join(parts), lang="en", config=config, fmt=Format("text"))
        fluency = res.fluency()
        for r, st, p in zip(batch, starts, parts, strict=True):
            en = st + len(p)
            words += len(p.split())
            # Errors without a span (omissions, whole-segment judgements) mark no characters.
            spans = [(e["start"], e["end"]) for e in r["errors"] if e.get("start") is not None and e.get("end")]
            spans = [(s, e) for s, e in spans if e > s]
            mask = [False] * len(p)
            for s, e in spans:
                for i in range(max(s, 0), min(e, len(p))):
                    mask[i] = True
            chars += len(p)
            chars_in += sum(mask)
            mine = [f for f in res.findings if f.code.startswith("MT8") and st <= f.start < en]
            for f in mine:
                flagged += 1
                s, e = f.start - st, f.end - st
                if any(a < e and s < z for a, z in spans):
                    hits += 1
                elif len(shown) < args.show:
                    shown.append(f"  {f.code} {f.text!r} ({f.severity}) in {p[:140]!r}")
            if not r["errors"]:
                clean += 1
                alarms += any(f.severity >= Severity.MAJOR for f in mine)
            seg = [(fl, sp) for s, _, fl, sp in fluency if st <= s < en]
            major = any(
                e["severity"] in ("major", "critical") and e["category"].split("/")[0] in ("Fluency", "Accuracy")
                for e in r["errors"]
            )
            if seg and (major or not r["errors"]):
                fl_min = min(fl for fl, _ in seg)
                scored.append((not r["errors"], len(p.split()), fl_min, -sum(sp for _, sp in seg)))
        done = b + len(batch)
        print(
            f"\r{done}/{len(recs)} segments, {words / (time.perf_counter() - t0):.0f} words/s", end="", file=sys.stderr
        )
    print(file=sys.stderr)
    base = chars_in / chars if chars else 0.0
    prec = hits / flagged if flagged else float("nan")
    print(f"segments: {len(recs)} (zh-en {', '.join(args.years)}), {words} words, {time.perf_counter() - t0:.0f} s")
    print(f"model findings: {flagged}; overlapping a rater span: {hits} (precision {prec:.1%})")
    print(f"share of target characters inside rater spans (chance): {base:.1%}; ratio {prec / base:.2f}")
    print(
        f"false alarms: {alarms}/{clean} error-free segments with a major model finding ({alarms / max(clean, 1):.2%})"
    )
    print("ROC AUC, error-free vs major Fluency/Accuracy error (all segments | 15-30 words):")
    for name, i in (("fluency (SLOR)", 2), ("surprise", 3), ("length alone", 1)):
        cells = []
        for rows in (scored, [x for x in scored if 15 <= x[1] <= 30]):
            pos = [x[i] if i != 1 else -x[1] for x in rows if x[0]]
            neg = [x[i] if i != 1 else -x[1] for x in rows if not x[0]]
            cells.append(f"{auc(pos, neg):.3f} ({len(pos)} vs {len(neg)})")
        print(f"  {name}: {' | '.join(cells)}")
    if shown:
        print("findings outside rater spans (first few):")
        print("\n".join(shown))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
