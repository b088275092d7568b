"""False alarms on real, error-free translations.

Reads the MQM-annotated WMT segments in ../shared/bench/mqm (never copied here) and, for the
segments professional raters marked error-free (``errors == []``), counts those on which mtcheck
reports a finding of severity major or critical. Target: at most 1 segment in 100, per pair.

    python bench/false_alarms.py [--bench ../shared/bench] [--show 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from mtcheck.api import check_document
from mtcheck.config import Config
from mtcheck.model import Severity

# The rule checks; the model's false alarms are measured by bench/lm_mqm.py, in batches.
RULES = Config(lm=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default=str(Path(__file__).resolve().parents[2] / "shared" / "bench"))
    ap.add_argument("--show", type=int, default=3, help="print this many example alarms per pair")
    ap.add_argument("--all-severities", action="store_true", help="also tabulate minor findings")
    args = ap.parse_args(argv)
    files = sorted((Path(args.bench) / "mqm").glob("*.jsonl"))
    if not files:
        print(f"no MQM files under {args.bench}/mqm", file=sys.stderr)
        return 2
    per_pair: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # clean segs, alarmed, any-finding
    codes: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    t0 = time.perf_counter()
    for f in files:
        for line in f.open(encoding="utf-8"):
            rec = json.loads(line)
            if rec["errors"]:
                continue
            src, tgt = rec["lp"].split("-")
            res = check_document(rec["target"], lang=tgt, src_lang=src, source=rec["source"], config=RULES)
            stats = per_pair[rec["lp"]]
            stats[0] += 1
            serious = [x for x in res.findings if x.severity >= Severity.MAJOR]
            if res.findings:
                stats[2] += 1
            if serious:
                stats[1] += 1
                for x in serious:
                    codes[rec["lp"]][x.code] += 1
                if len(examples[rec["lp"]]) < args.show:
                    examples[rec["lp"]].append(f"{serious[0].code} {serious[0].text!r} in {rec['target'][:160]!r}")
    elapsed = time.perf_counter() - t0
    print("| pair | error-free segments | with a major/critical finding | rate | with any finding | codes |")
    print("|---|---|---|---|---|---|")
    worst = 0.0
    for lp, (n, bad, anyf) in sorted(per_pair.items()):
        rate = bad / n if n else 0.0
        worst = max(worst, rate)
        top = ", ".join(f"{c} {k}" for c, k in codes[lp].most_common(4)) or "-"
        print(f"| {lp} | {n} | {bad} | {100 * rate:.2f}% | {anyf} | {top} |")
    total = sum(v[0] for v in per_pair.values())
    print(f"\n{total} segments in {elapsed:.1f} s; worst pair {100 * worst:.2f}% (target <= 1%)")
    for lp, ex in sorted(examples.items()):
        for e in ex:
            print(f"  {lp}: {e}")
    return 0 if worst <= 0.01 else 1


if __name__ == "__main__":
    sys.exit(main())
