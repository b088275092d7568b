"""Train the span head of the default English model on professional MQM error spans.

    python bench/train_qe.py                 # extract (once, cached), train, evaluate, write
    python bench/train_qe.py --eval-only     # figures of the shipped head, nothing written

Data: the English-target files of ../shared/bench/mqm (WMT20, WMT21 and WMT23 zh-en news, MT
systems only; never copied into the repository). Each segment is split into sentences as the
model checks split an article, each sentence is run once through SmolLM2-135M, and every token
gets the features ``mtcheck.lm.heads.token_features`` builds (residual streams of a middle and
the last layer, the next token's last state, surprisal, entropy) and a label: the share of
the segment's rated outputs whose rater put the token inside an error span, with the span's
MQM category. The features are cached in the cache folder (about 1.5 GB; ``--work``).

Split, by document (the hash ``bench/real_articles.py`` uses): the held third is never trained
or tuned on and gives the reported figures; the head that ships is trained on the other two
thirds, and the check's thresholds are chosen on those two thirds by two-fold cross-fitting
(each half scored by a head trained on the other half). The cross-year figures train on
2020-2021 only and test on 2023.

Writes ``mtcheck/lm/weights/smollm2-135m-span.json`` (weights, thresholds, figures) and prints the
figures for the card (``mtcheck/lm/weights/README.md``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench" / "mqm"
FILES = ("zh-en.2020", "zh-en.2021", "zh-en.2023")
LAYERS = (15, 30)  # SmolLM2-135M has 30: a middle layer and the last
OUT = ROOT / "mtcheck" / "lm" / "weights" / "smollm2-135m-span.json"
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Categories the head names; rarer ones are predicted as their top-level family's first entry.
MIN_CATEGORY_SHARE = 0.02
# Threshold targets (token precision, cross-fitted on the tune documents): a minor finding
# right 6 times in 10, well over twice the base rate (0.27 there; a rule earns its place at twice
# the base rate, issue 13), a major one 9 in 10 (the calibration every major finding meets).
TARGETS = {"minor": 0.6, "major": 0.9}
CATEGORY_L2 = (1e-3, 1e-2, 1e-1)


def split_of(doc_id: str) -> str:
    return "held" if int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 3 == 0 else "tune"


def fold_of(doc_id: str) -> int:
    return int(hashlib.sha1(("fold:" + doc_id).encode()).hexdigest(), 16) % 2


@dataclass
class Sentence:
    doc_id: str
    year: int
    text: str
    # Per rated output of this sentence: its error spans in sentence offsets (start, end, category).
    ratings: list[list[tuple[int, int, str]]] = field(default_factory=list)


def sentences(bench: Path) -> list[Sentence]:
    """Every distinct MT sentence of the English-target files, with each rating's spans."""
    from mtcheck.document import parse

    found: dict[tuple[str, str], Sentence] = {}
    for name in FILES:
        with (bench / f"{name}.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if r["is_human"]:
                    continue
                raw = r["target"]
                seg = raw.strip()
                lead = len(raw) - len(raw.lstrip())
                spans = [
                    (e["start"] - lead, e["end"] - lead, e["category"])
                    for e in r["errors"]
                    if e.get("start") is not None and e.get("severity") in ("minor", "major", "critical")
                ]
                doc = parse(seg, "en")
                for s in doc.sentences:
                    if not WORD.search(seg, s.start, s.end):
                        continue
                    text = seg[s.start : s.end].replace("\n", " ").replace("\r", " ")
                    key = (r["doc_id"], text)
                    sent = found.setdefault(key, Sentence(r["doc_id"], int(r["year"]), text))
                    sent.ratings.append(
                        [
                            (max(a - s.start, 0), min(b - s.start, len(text)), c)
                            for a, b, c in spans
                            if a < s.end and b > s.start
                        ]
                    )
    return list(found.values())


@dataclass
class Rated:
    """One rated MT segment: its system, human MQM score and sentences (as ``sentences`` splits)."""

    file: str
    doc_id: str
    system: str
    mqm: float
    words: int
    texts: list[str]


def rated_segments(bench: Path) -> list[Rated]:
    from mtcheck.document import parse

    out = []
    for name in FILES:
        with (bench / f"{name}.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if r["is_human"]:
                    continue
                seg = r["target"].strip()
                texts = [
                    seg[s.start : s.end].replace("\n", " ").replace("\r", " ")
                    for s in parse(seg, "en").sentences
                    if WORD.search(seg, s.start, s.end)
                ]
                out.append(Rated(name, r["doc_id"], r["system"], float(r["mqm_score"]), len(seg.split()), texts))
    return out


def segment_figures(rows: list[Rated], loads: dict[tuple[str, str], float], name: str) -> dict[str, dict[str, float]]:
    """Per file: Kendall tau-b of the error load (sum of the segment's token scores) and of
    length alone against the human MQM score, and the system-level pairwise accuracy of the
    mean error load, all oriented higher-is-better."""
    from eval_mqm import kendall_tau_b, pairwise_accuracy

    out = {}
    for file in sorted({r.file for r in rows}):
        rs = [r for r in rows if r.file == file]
        load = [-sum(loads.get((r.doc_id, t), 0.0) for t in r.texts) for r in rs]
        human = [-r.mqm for r in rs]
        by_sys: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(rs):
            by_sys[r.system].append(i)
        sys_h = {k: float(np.mean([human[i] for i in v])) for k, v in by_sys.items()}
        sys_l = {k: float(np.mean([load[i] for i in v])) for k, v in by_sys.items()}
        fig = {
            "segments": len(rs),
            "systems": len(by_sys),
            "segment_tau": round(kendall_tau_b(load, human), 3),
            "segment_tau_length_alone": round(kendall_tau_b([-float(r.words) for r in rs], human), 3),
            "system_pairwise_accuracy": round(pairwise_accuracy(sys_l, sys_h), 3),
        }
        print(f"{name}, {file}: " + ", ".join(f"{k} {v}" for k, v in fig.items()), file=sys.stderr)
        out[file] = fig
    return out


def sentence_loads(
    sents: list[Sentence], offsets: list[list[tuple[int, int]]], p: np.ndarray
) -> dict[tuple[str, str], float]:
    out, at = {}, 0
    for s, offs in zip(sents, offsets, strict=True):
        out[(s.doc_id, s.text)] = float(p[at : at + len(offs)].sum())
        at += len(offs)
    return out


def extract(sents: list[Sentence], work: Path) -> tuple[np.ndarray, list[list[tuple[int, int]]]]:
    """Features of every token of every sentence (rows in sentence order) and each sentence's
    token offsets; computed once and kept in ``work``."""
    from mtcheck.lm import registry
    from mtcheck.lm.scorer import TorchScorer

    spec = registry.default_model("en")
    assert spec is not None
    texts = sorted({s.text for s in sents})
    digest = hashlib.sha1(("\n".join(texts) + repr(LAYERS) + spec.key).encode()).hexdigest()[:12]
    feats_path, index_path = work / f"features-{digest}.npy", work / f"index-{digest}.json"
    if not (feats_path.is_file() and index_path.is_file()):
        work.mkdir(parents=True, exist_ok=True)
        scorer = TorchScorer.load_native(spec)
        t0 = time.time()
        chunks, index = [], {}
        at = 0
        step = 256
        for i in range(0, len(texts), step):
            part = texts[i : i + step]
            for text, (offs, arr) in zip(part, scorer.token_features(part, LAYERS), strict=True):
                index[text] = (at, [list(o) for o in offs])
                chunks.append(arr)
                at += len(arr)
            rate = (i + len(part)) / (time.time() - t0)
            print(f"  features: {i + len(part)}/{len(texts)} sentences, {rate:.1f}/s", file=sys.stderr, flush=True)
        feats = np.concatenate(chunks)
        np.save(feats_path, feats)
        index_path.write_text(json.dumps(index))
    feats = np.load(feats_path, mmap_mode="r")
    index = json.loads(index_path.read_text())
    rows, offsets = [], []
    for s in sents:
        at, offs = index[s.text]
        rows.append(np.arange(at, at + len(offs)))
        offsets.append([tuple(o) for o in offs])
    return np.asarray(feats[np.concatenate(rows)]), offsets


def labels(sents: list[Sentence], offsets: list[list[tuple[int, int]]]) -> tuple[np.ndarray, list[Counter[str]]]:
    """Per token: the share of ratings that put it in an error, and the categories they named."""
    y, cats = [], []
    for s, offs in zip(sents, offsets, strict=True):
        for a, b in offs:
            if a < b and s.text[a] == " ":
                a += 1  # the token's leading space is not the word
            hits, named = 0, Counter()
            for spans in s.ratings:
                over = [c for x, e, c in spans if x < b and a < e]
                if over:
                    hits += 1
                    named[over[0]] += 1
            y.append(hits / len(s.ratings))
            cats.append(named)
    return np.asarray(y, dtype=np.float32), cats


def _moments(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and spread per feature, summed in float64 (float16 sums overflow)."""
    mean = x.mean(0, dtype=np.float64)
    std = np.sqrt(np.maximum(np.square(x, dtype=np.float64).mean(0) - mean**2, 0)) + 1e-4
    return mean.astype(np.float32), std.astype(np.float32)


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = 1e-3, epochs: int = 60) -> tuple[np.ndarray, float]:
    """Logistic regression with soft labels and weights, standardised inside, returned in the
    raw features' scale (so the shipped head needs no normaliser)."""
    import torch

    torch.manual_seed(0)
    mean, std = _moments(x)
    xt = torch.from_numpy((x.astype(np.float32) - mean) / std)
    yt, wt = torch.from_numpy(y), torch.from_numpy(w / w.mean())
    lin = torch.nn.Linear(x.shape[1], 1)
    opt = torch.optim.LBFGS(lin.parameters(), lr=1, max_iter=epochs, history_size=20, line_search_fn="strong_wolfe")

    def closure() -> Any:
        opt.zero_grad()
        z = lin(xt).squeeze(-1)
        loss = (torch.nn.functional.binary_cross_entropy_with_logits(z, yt, reduction="none") * wt).mean()
        loss = loss + l2 * lin.weight.pow(2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    wv = lin.weight.detach().numpy()[0] / std
    b = float(lin.bias.detach()) - float((wv * mean).sum())
    return wv.astype(np.float64), b


def fit_categories(x: np.ndarray, k: np.ndarray, n: int, l2: float = 1e-3) -> tuple[np.ndarray, np.ndarray]:
    import torch

    torch.manual_seed(0)
    mean, std = _moments(x)
    xt = torch.from_numpy((x.astype(np.float32) - mean) / std)
    kt = torch.from_numpy(k.astype(np.int64))
    lin = torch.nn.Linear(x.shape[1], n)
    opt = torch.optim.LBFGS(lin.parameters(), lr=1, max_iter=60, history_size=20, line_search_fn="strong_wolfe")

    def closure() -> Any:
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(lin(xt), kt) + l2 * lin.weight.pow(2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    wv = lin.weight.detach().numpy() / std
    b = lin.bias.detach().numpy() - (wv * mean).sum(1)
    return wv, b


def _classify(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (x.astype(np.float32) @ w.T.astype(np.float32) + b.astype(np.float32)).argmax(1)


def predict(x: np.ndarray, wv: np.ndarray, b: float) -> np.ndarray:
    return 1 / (1 + np.exp(-(x.astype(np.float32) @ wv.astype(np.float32) + b)))


def auc(p: np.ndarray, y: np.ndarray) -> float:
    """ROC AUC of scores against binary labels (ties averaged)."""
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(len(p))
    ranks[order] = np.arange(1, len(p) + 1)
    pos = y > 0.5
    npos, nneg = pos.sum(), (~pos).sum()
    if not npos or not nneg:
        return float("nan")
    return float((ranks[pos].sum() - npos * (npos + 1) / 2) / (npos * nneg))


def precision_at(p: np.ndarray, y: np.ndarray, share: float) -> float:
    k = max(1, int(len(p) * share))
    top = np.argsort(-p)[:k]
    return float(y[top].mean())


def threshold_for(p: np.ndarray, y: np.ndarray, target: float, min_n: int = 30) -> float | None:
    """The lowest threshold whose tokens above it are right at least ``target`` of the time
    (cumulative from the top), or None where no threshold with ``min_n`` tokens gets there."""
    order = np.argsort(-p)
    cum = np.cumsum(y[order]) / np.arange(1, len(p) + 1)
    ok = np.nonzero((cum >= target) & (np.arange(1, len(p) + 1) >= min_n))[0]
    return float(p[order][ok.max()]) if len(ok) else None


def report(name: str, p: np.ndarray, y: np.ndarray, thresholds: dict[str, float]) -> dict[str, Any]:
    yb = (y > 0.5).astype(np.float32)
    out: dict[str, Any] = {
        "tokens": len(p),
        "base_rate": round(float(yb.mean()), 3),
        "auc": round(auc(p, yb), 3),
        **{f"precision_top_{s:g}%": round(precision_at(p, yb, s / 100), 3) for s in (1, 2, 5)},
    }
    for sev, t in thresholds.items():
        sel = p >= t
        out[f"{sev}_tokens"] = int(sel.sum())
        out[f"{sev}_precision"] = round(float(yb[sel].mean()), 3) if sel.any() else None
    print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in out.items()), file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=BENCH)
    ap.add_argument("--work", type=Path, default=None, help="feature cache (default: the cache folder)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--eval-only", action="store_true", help="figures of the shipped head; write nothing")
    ap.add_argument("--l2", type=float, default=1e-3)
    args = ap.parse_args(argv)
    from mtcheck.resources import cache_dir

    work = args.work or ((cache_dir() or Path("/tmp")) / "train-qe")
    sents = sentences(args.bench)
    print(f"{len(sents)} sentences from {', '.join(FILES)}", file=sys.stderr)
    x, offsets = extract(sents, work)
    y, cats = labels(sents, offsets)
    tok_doc = np.concatenate([[i] * len(o) for i, o in enumerate(offsets)]).astype(np.int64)
    split = np.array([split_of(s.doc_id) for s in sents])[tok_doc]
    fold = np.array([fold_of(s.doc_id) for s in sents])[tok_doc]
    year = np.array([s.year for s in sents])[tok_doc]
    # Each sentence counts as often as it was rated (ratings are the evidence).
    weight = np.array([len(s.ratings) for s in sents], dtype=np.float32)[tok_doc]
    tune, held = split == "tune", split == "held"
    print(f"tokens: {len(y)} ({tune.sum()} tune, {held.sum()} held)", file=sys.stderr)

    # Thresholds from cross-fitting on the tune documents.
    oof = np.zeros(len(y), dtype=np.float32)
    for f in (0, 1):
        tr, te = tune & (fold != f), tune & (fold == f)
        wv, b = fit(x[tr], y[tr], weight[tr], args.l2)
        oof[te] = predict(x[te], wv, b)
    yb = (y > 0.5).astype(np.float32)
    thresholds = {}
    for sev, target in TARGETS.items():
        t = threshold_for(oof[tune], yb[tune], target)
        if t is not None:
            thresholds[sev] = round(t, 4)
    figures = {"tune_cross_fitted": report("tune (cross-fitted)", oof[tune], y[tune], thresholds)}

    wv, b = fit(x[tune], y[tune], weight[tune], args.l2)
    figures["held"] = report("held third", predict(x[held], wv, b), y[held], thresholds)
    for yr in (2020, 2021, 2023):
        m = held & (year == yr)
        if m.any():
            figures[f"held_{yr}"] = report(f"held {yr}", predict(x[m], wv, b), y[m], thresholds)
    rated = rated_segments(args.bench)
    figures["segments_held"] = segment_figures(
        [r for r in rated if split_of(r.doc_id) == "held"],
        sentence_loads(sents, offsets, predict(x, wv, b)),
        "error load, held documents",
    )
    early = year <= 2021
    w2, b2 = fit(x[early], y[early], weight[early], args.l2)
    figures["segments_cross_year_2023"] = segment_figures(
        [r for r in rated if r.file.endswith(".2023")],
        sentence_loads(sents, offsets, predict(x, w2, b2)),
        "error load, cross-year (head trained on 2020-2021)",
    )
    figures["cross_year_2023"] = report(
        "cross-year (train 2020-2021, test 2023)", predict(x[year == 2023], w2, b2), y[year == 2023], thresholds
    )

    # Categories: tokens the raters marked, by the category most of them named. The category
    # head ships only where it beats always naming the commonest category on the tune
    # documents (cross-fitted); its L2 is chosen there too.
    named = Counter(c.most_common(1)[0][0] for c, lab in zip(cats, yb, strict=True) if lab and c)
    total = sum(named.values())
    keep = [c for c, n in named.most_common() if n / total >= MIN_CATEGORY_SHARE]
    kidx = {c: i for i, c in enumerate(keep)}
    klab = np.array(
        [kidx.get(c.most_common(1)[0][0], -1) if c and lab else -1 for c, lab in zip(cats, yb, strict=True)]
    )
    marked = klab >= 0
    best_l2, best_acc = None, 0.0
    a_tr, a_te = tune & marked & (fold == 0), tune & marked & (fold == 1)
    baseline = float((klab[a_te] == Counter(klab[a_tr]).most_common(1)[0][0]).mean())
    for l2 in CATEGORY_L2:
        cw, cb = fit_categories(x[a_tr], klab[a_tr], len(keep), l2)
        acc = float((_classify(x[a_te], cw, cb) == klab[a_te]).mean())
        print(f"categories, l2 {l2:g}: tune fold accuracy {acc:.3f} (commonest: {baseline:.3f})", file=sys.stderr)
        if acc > best_acc:
            best_l2, best_acc = l2, acc
    ship_categories = best_l2 is not None and best_acc > baseline
    cm, hm = tune & marked, held & marked
    cw, cb = fit_categories(x[cm], klab[cm], len(keep), best_l2 or CATEGORY_L2[-1])
    acc = float((_classify(x[hm], cw, cb) == klab[hm]).mean())
    commonest = float((klab[hm] == Counter(klab[cm]).most_common(1)[0][0]).mean())
    figures["categories"] = {
        "names": keep,
        "shipped": ship_categories,
        "l2": best_l2,
        "held_accuracy": round(acc, 3),
        "held_accuracy_of_commonest": round(commonest, 3),
    }
    print(
        f"categories on held error tokens: accuracy {acc:.3f} (commonest: {commonest:.3f}); shipped: {ship_categories}",
        file=sys.stderr,
    )

    if args.eval_only:
        return 0
    from mtcheck.lm.heads import SpanHead

    head = SpanHead(
        name="smollm2-135m-span",
        version="1",
        model="smollm2-135m",
        layers=LAYERS,
        weight=tuple(float(v) for v in wv),
        bias=b,
        thresholds=thresholds,
        categories=tuple(keep) if ship_categories else (),
        category_weight=tuple(tuple(float(v) for v in row) for row in cw) if ship_categories else (),
        category_bias=tuple(float(v) for v in cb) if ship_categories else (),
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    data = head.to_dict(trained_on="tune two thirds of " + ", ".join(FILES), figures=figures, l2=args.l2)
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
