"""`mtcheck eval` against human judgement: professional MQM scores of WMT news systems.

For each file of ../shared/bench/mqm (never copied here), per language pair and year:

- system level: the pairwise ranking accuracy (the share of system pairs that a metric orders as
  the human MQM score does) and Kendall's tau of (a) BLEU, (b) chrF, (c) mtcheck's
  reference-free penalty (rules only), (d) mtcheck with the language model (``--lm``), each
  against the mean human MQM score per system (lower is better);
- segment level: Kendall's tau-b of (c) and (d) against the human segment score, over all
  segments (the "no grouping" variant of the WMT metrics task).

Human translations rated like systems are left out (they would be scored against another human
reference). Also printed: segments per second and peak memory (this process and its workers)
of the checks for each file, the findings cache empty (and with ``--lm`` no score cache).

    python bench/eval_mqm.py [--bench ../shared/bench] [--files zh-en.2020,...] [--lm] [--jobs 2]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from mtcheck.config import Config
from mtcheck.eval.corpus import Fields, segments_from_rows
from mtcheck.eval.vendors import FindingCache, check_all, penalty

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_load import MemorySampler

FILES = ("zh-en.2020", "zh-en.2021", "zh-en.2023", "en-de.2021", "en-de.2023", "en-ru.2021")


def kendall_tau_b(x: list[float], y: list[float]) -> float:
    """Kendall's tau-b (ties in either variable handled), O(n log n) via the merge-sort count
    of discordant pairs; no SciPy needed."""
    n = len(x)
    if n < 2:
        return float("nan")
    order = sorted(range(n), key=lambda i: (x[i], y[i]))
    xs = [x[i] for i in order]
    ys = [y[i] for i in order]

    def tied(values: list[float]) -> int:
        return sum(c * (c - 1) // 2 for c in _runs(values))

    def tied_pairs(a: list[float], b: list[float]) -> int:
        return sum(c * (c - 1) // 2 for c in _runs(list(zip(a, b, strict=True))))

    n0 = n * (n - 1) // 2
    n1 = tied(xs)  # xs is sorted, so equal x are adjacent
    n3 = tied_pairs(xs, ys)
    swaps = _count_inversions(ys)
    n2 = tied(sorted(ys))
    concordant_minus_discordant = n0 - n1 - n2 + n3 - 2 * swaps
    denom = ((n0 - n1) * (n0 - n2)) ** 0.5
    return concordant_minus_discordant / denom if denom else float("nan")


def _runs(values: list[Any]) -> list[int]:
    return [len(list(g)) for _, g in itertools.groupby(values)]


def _count_inversions(values: list[float]) -> int:
    """Strict inversions (a[i] > a[j], i < j), by merge sort."""
    arr = list(values)
    count = 0
    width = 1
    n = len(arr)
    while width < n:
        out = []
        for lo in range(0, n, 2 * width):
            left, right = arr[lo : lo + width], arr[lo + width : lo + 2 * width]
            i = j = 0
            while i < len(left) and j < len(right):
                if right[j] < left[i]:
                    out.append(right[j])
                    count += len(left) - i
                    j += 1
                else:
                    out.append(left[i])
                    i += 1
            out.extend(left[i:])
            out.extend(right[j:])
        arr = out
        width *= 2
    return count


def pairwise_accuracy(metric: dict[str, float], human: dict[str, float]) -> float:
    """Both oriented so that higher is better."""
    systems = sorted(human)
    agree = total = 0
    for a, b in itertools.combinations(systems, 2):
        h = human[a] - human[b]
        if h == 0:
            continue
        total += 1
        agree += (metric[a] - metric[b]) * h > 0
    return agree / total if total else float("nan")


def corpus_metrics(targets: dict[str, list[str]], refs: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    from sacrebleu.metrics import BLEU, CHRF

    out: dict[str, dict[str, float]] = {"bleu": {}, "chrf": {}}
    for system, hyps in targets.items():
        out["bleu"][system] = BLEU().corpus_score(hyps, [refs[system]]).score
        out["chrf"][system] = CHRF().corpus_score(hyps, [refs[system]]).score
    return out


def _model_scores(group: list[dict[str, Any]]) -> list[tuple[float, float, float]]:
    """(summed surprise in bits, mean SLOR, the span head's error load) of each record's
    target: the model's continuous scores, which the findings only threshold."""
    from mtcheck.api import Text, check_documents

    lp = group[0]["lp"].split("-")
    texts = [Text(r["target"], lp[1], r["source"], lp[0]) for r in group]
    out = []
    for res in check_documents(texts, Config(lm=True, select=("MT8",))):
        sents = res.fluency()
        load = res.error_load()
        out.append(
            (
                sum(s[3] for s in sents),
                float(np.mean([s[2] for s in sents])) if sents else 0.0,
                load if load is not None else float("nan"),
            )
        )
    return out


def split_of(doc_id: str) -> str:
    """The held third of bench/real_articles.py and bench/train_qe.py (the head never saw it)."""
    return "held" if int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 3 == 0 else "tune"


def continuous(path: Path, jobs: int, split: str = "all") -> dict[str, Any]:
    """System-level accuracy/tau of the model's continuous scores (English targets only),
    beside chrF with the reference and segment length on the same segments."""
    import multiprocessing

    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    records = [r for r in records if not r.get("is_human") and r.get("reference")]
    if split != "all":
        records = [r for r in records if split_of(r["doc_id"]) == split]
    groups = [records[i : i + 24] for i in range(0, len(records), 24)]
    ctx = multiprocessing.get_context("forkserver")
    with ctx.Pool(jobs) as pool:
        scores = [x for g in pool.imap(_model_scores, groups) for x in g]
    by_system: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        by_system[r["system"]].append(i)
    human = {s: -float(np.mean([records[i]["mqm_score"] for i in idx])) for s, idx in by_system.items()}
    row: dict[str, Any] = {"file": path.stem, "split": split, "systems": len(by_system), "segments": len(records)}
    chrf = corpus_metrics(
        {s: [records[i]["target"] for i in idx] for s, idx in by_system.items()},
        {s: [records[i]["reference"] for i in idx] for s, idx in by_system.items()},
    )["chrf"]
    row["chrf_acc"] = pairwise_accuracy(chrf, human)
    row["chrf_tau"] = kendall_tau_b([chrf[s] for s in human], list(human.values()))
    row["length_seg_tau"] = kendall_tau_b(
        [-float(len(r["target"].split())) for r in records], [-float(r["mqm_score"]) for r in records]
    )
    for k, name, sign in ((0, "surprise", -1.0), (1, "slor", 1.0), (2, "error_load", -1.0)):
        metric = {s: sign * float(np.mean([scores[i][k] for i in idx])) for s, idx in by_system.items()}
        row[f"{name}_acc"] = pairwise_accuracy(metric, human)
        row[f"{name}_tau"] = kendall_tau_b([metric[s] for s in human], list(human.values()))
        row[f"{name}_seg_tau"] = kendall_tau_b([sign * x[k] for x in scores], [-float(r["mqm_score"]) for r in records])
    return row


def run_file(path: Path, configs: dict[str, Config], jobs: int) -> dict[str, Any]:
    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    records = [r for r in records if not r.get("is_human") and r.get("reference")]
    human_seg = [float(r["mqm_score"]) for r in records]
    by_system: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        by_system[r["system"]].append(i)
    human_sys = {s: -float(np.mean([human_seg[i] for i in idx])) for s, idx in by_system.items()}
    targets = {s: [records[i]["target"] for i in idx] for s, idx in by_system.items()}
    refs = {s: [records[i]["reference"] for i in idx] for s, idx in by_system.items()}
    metrics = corpus_metrics(targets, refs)
    row: dict[str, Any] = {"file": path.stem, "systems": len(by_system), "segments": len(records)}
    for name in ("bleu", "chrf"):
        row[f"{name}_acc"] = pairwise_accuracy(metrics[name], human_sys)
        row[f"{name}_tau"] = kendall_tau_b([metrics[name][s] for s in human_sys], list(human_sys.values()))
    for label, config in configs.items():
        with tempfile.TemporaryDirectory() as tmp:
            cache = FindingCache(Path(tmp) / "findings.sqlite")  # empty: the speed figure is real
            sampler = MemorySampler(os.getpid())  # this process and its workers, summed
            sampler.start()
            t0 = time.perf_counter()
            segs = segments_from_rows(records, Fields())
            pens = [penalty(c["findings"]) for _, c, _ in check_all(segs, config, jobs=jobs, cache=cache)]
            seconds = time.perf_counter() - t0
            sampler.stop.set()
            sampler.join()
        sys_pen = {s: -float(np.mean([pens[i] for i in idx])) for s, idx in by_system.items()}
        row[f"{label}_acc"] = pairwise_accuracy(sys_pen, human_sys)
        row[f"{label}_tau"] = kendall_tau_b([sys_pen[s] for s in human_sys], list(human_sys.values()))
        row[f"{label}_seg_tau"] = kendall_tau_b([-p for p in pens], [-h for h in human_seg])
        row[f"{label}_segments_per_s"] = len(records) / seconds
        row[f"{label}_peak_rss_mb"] = round(sampler.peak_kb / 1024)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "bench")
    ap.add_argument("--files", default=",".join(FILES))
    ap.add_argument("--lm", action="store_true", help="also (d): mtcheck with the language model (slow)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument(
        "--continuous",
        action="store_true",
        help="instead: the model's continuous scores (surprise, SLOR, the span head's error load) per "
        "system, English targets only",
    )
    ap.add_argument(
        "--split",
        default="all",
        choices=("all", "held", "tune"),
        help="with --continuous: only these documents (held: the third the span head never saw)",
    )
    ap.add_argument("--json", type=Path, help="also write the rows here")
    ap.add_argument(
        "--keep-score-cache",
        action="store_true",
        help="let the model reuse sentence scores cached by earlier runs (faster; the speed figure is then not real)",
    )
    args = ap.parse_args()
    if args.lm and not args.keep_score_cache:
        # A cache folder with the word lists and converted weights but no score cache: every
        # sentence is scored, as on a corpus mtcheck has never seen.
        from serve_load import cache_without_scores

        folder = Path(tempfile.mkdtemp(prefix="mtcheck-eval-bench-"))
        os.environ["MTCHECK_CACHE_DIR"] = str(cache_without_scores(folder))
    if args.continuous:
        for name in args.files.split(","):
            if name.endswith(("-en.2020", "-en.2021", "-en.2023")):
                print(json.dumps(continuous(args.bench / "mqm" / f"{name}.jsonl", args.jobs, args.split)), flush=True)
        return
    configs = {"rules": Config(lm=False)}
    if args.lm:
        configs["lm"] = Config(lm=True)
    rows = []
    for name in args.files.split(","):
        path = args.bench / "mqm" / f"{name}.jsonl"
        if not path.is_file():
            sys.exit(f"{path} is not here (the project's shared folder sits beside the repo)")
        row = run_file(path, configs, args.jobs)
        rows.append(row)
        print(json.dumps(row), flush=True)
    labels = list(configs)
    head = ["file", "systems", "BLEU acc/tau", "chrF acc/tau"] + [f"{x} acc/tau" for x in labels]
    head += [f"{x} seg tau" for x in labels] + [f"{x} seg/s" for x in labels] + [f"{x} peak MB" for x in labels]
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        cells = [r["file"], str(r["systems"])]
        cells += [f"{r[f'{m}_acc']:.3f} / {r[f'{m}_tau']:.3f}" for m in ("bleu", "chrf", *labels)]
        cells += [f"{r[f'{x}_seg_tau']:.3f}" for x in labels]
        cells += [f"{r[f'{x}_segments_per_s']:.1f}" for x in labels]
        cells += [str(r[f"{x}_peak_rss_mb"]) for x in labels]
        print("| " + " | ".join(cells) + " |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
