"""Train the source-aware span head (Gemma-3-270M reading the source) on professional MQM spans.

    python bench/train_qe_source.py                  # extract (cached), train, evaluate, write
    python bench/train_qe_source.py --eval-only      # figures only, nothing written

Data: every file of ../shared/bench/mqm (WMT20, WMT21, WMT23 zh-en; WMT21, WMT23 en-de; WMT21
en-ru), never copied into the repository. Each distinct MT output of a segment is read by
Gemma-3-270M after its source (``mtcheck.lm.cross``: the same code the check runs), and every
token of the output gets the features there and a label: the share of the output's ratings
(systems that produced the same text are rated apart) whose rater put the token inside an
error span.

Sample: reading a segment takes about half a second on 2 cores, so a seeded sample of
``--per-file`` outputs per file from the tune documents and half as many from the held ones
are read (all of them where a file has fewer), and ``--humans`` human translations per file
from the held documents, to measure how often the head fires on correct text. The features are
cached in chunks in the cache folder (``--work``): an interrupted run resumes.

Split, by document (the hash of ``bench/real_articles.py``): the head that ships is trained on
the tune two thirds; its thresholds are chosen there by two-fold cross-fitting; the held third
gives the figures. The cross-year figures train on 2020-2021 outputs only and test on 2023.

Writes ``mtcheck/lm/weights/gemma-3-270m-xspan.json`` (weights, thresholds, figures) when a
threshold reaches its target in some target language; otherwise it only prints the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_qe import auc, fit, fold_of, predict, report, split_of, threshold_for  # noqa: E402

BENCH = ROOT.parent / "shared" / "bench" / "mqm"
FILES = ("zh-en.2020", "zh-en.2021", "zh-en.2023", "en-de.2021", "en-de.2023", "en-ru.2021")
OUT = ROOT / "mtcheck" / "lm" / "weights" / "gemma-3-270m-xspan.json"
# Token precision the thresholds aim at, cross-fitted on the tune documents: a minor finding
# right 6 times in 10 (as MT810's; well over twice the base rate of every language but
# German's 0.15, issue 13's bar for a rule), a major one 9 in 10. On this sample no threshold
# of any language reached 0.7 there.
TARGETS = {"minor": 0.6, "major": 0.9}
L2 = (0.01, 0.03, 0.1, 0.3)
CHUNK = 200  # outputs per cached feature file
SEVERITIES = ("minor", "major", "critical")


@dataclass
class Item:
    file: str
    doc_id: str
    year: int
    src_lang: str
    lang: str
    source: str
    target: str
    human: bool
    ratings: list[list[tuple[int, int]]] = field(default_factory=list)

    @property
    def split(self) -> str:
        return split_of(self.doc_id)


def items(bench: Path) -> list[Item]:
    """Distinct outputs per segment (MT and human), with each rating's spans."""
    found: dict[tuple[str, str, str, str, bool], Item] = {}
    for name in FILES:
        with (bench / f"{name}.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                src_lang, lang = r["lp"].split("-")
                human = bool(r["is_human"])
                key = (name, r["doc_id"], r["source"], r["target"], human)
                it = found.setdefault(
                    key,
                    Item(name, r["doc_id"], int(r["year"]), src_lang, lang, r["source"], r["target"], human),
                )
                it.ratings.append(
                    [
                        (e["start"], e["end"])
                        for e in r["errors"]
                        if e.get("start") is not None and e.get("severity") in SEVERITIES
                    ]
                )
    return [it for it in found.values() if it.target.strip() and it.source.strip()]


def sample(all_items: list[Item], per_file: int, humans: int, seed: int = 0) -> list[Item]:
    rng = random.Random(seed)
    out = []
    for name in FILES:
        groups = {
            "tune": [i for i in all_items if i.file == name and not i.human and i.split == "tune"],
            "held": [i for i in all_items if i.file == name and not i.human and i.split == "held"],
            "human": [i for i in all_items if i.file == name and i.human and i.split == "held"],
        }
        for group, want in (("tune", per_file), ("held", per_file // 2), ("human", humans)):
            pool = sorted(groups[group], key=lambda i: (i.doc_id, i.source, i.target))
            rng.shuffle(pool)
            out.extend(pool[:want])
    return out


def extract(chosen: list[Item], work: Path) -> list[tuple[list[tuple[int, int]], np.ndarray]]:
    """Features of every chosen output, read in chunks cached under ``work``."""
    from mtcheck.lm import cross

    work.mkdir(parents=True, exist_ok=True)
    scorer: Any = None
    out: list[tuple[list[tuple[int, int]], np.ndarray]] = []
    t0, done = time.time(), 0
    for c in range(0, len(chosen), CHUNK):
        part = chosen[c : c + CHUNK]
        key = "\n".join(f"{i.src_lang}\t{i.lang}\t{i.source}\t{i.target}" for i in part)
        digest = hashlib.sha1((key + f"{cross.MODEL}:{cross.MIDDLE_LAYER}:v1").encode()).hexdigest()[:12]
        feats_path, index_path = work / f"xfeatures-{digest}.npy", work / f"xindex-{digest}.json"
        if not (feats_path.is_file() and index_path.is_file()):
            if scorer is None:
                scorer = cross.CrossScorer.load()
            got = scorer.features([cross.Pair(i.source, i.target, i.src_lang, i.lang) for i in part])
            np.save(feats_path, np.concatenate([f for _, f in got]).astype(np.float32))
            index_path.write_text(json.dumps([[list(o) for o in offs] for offs, _ in got]))
            done += len(part)
            rate = done / (time.time() - t0)
            left = sum(1 for k in range(c + CHUNK, len(chosen), CHUNK)) * CHUNK / max(rate, 1e-9)
            print(
                f"  features: {c + len(part)}/{len(chosen)} outputs, {rate:.2f}/s, about {left / 60:.0f} min left",
                file=sys.stderr,
                flush=True,
            )
        feats = np.load(feats_path)
        at = 0
        for offs in json.loads(index_path.read_text()):
            out.append(([tuple(o) for o in offs], feats[at : at + len(offs)]))
            at += len(offs)
    return out


def labels(it: Item, offs: list[tuple[int, int]]) -> np.ndarray:
    y = []
    for a, b in offs:
        while a < b and it.target[a].isspace():
            a += 1  # a token's leading space is not the word
        hits = sum(1 for spans in it.ratings if any(x < b and a < e for x, e in spans))
        y.append(hits / max(len(it.ratings), 1))
    return np.asarray(y, dtype=np.float32)


def words_flagged(it: Item, offs: list[tuple[int, int]], p: np.ndarray, t: float) -> int:
    """Findings the check would make: runs of adjacent tokens at or above ``t``."""
    runs, prev = 0, False
    for (a, _), v in zip(offs, p, strict=True):
        cur = v >= t and it.target[a:].strip() != ""
        if cur and not prev:
            runs += 1
        prev = cur
    return runs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=BENCH)
    ap.add_argument("--work", type=Path, default=None, help="feature cache (default: the cache folder)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--per-file", type=int, default=250, help="tune outputs read per file (held: half)")
    ap.add_argument("--humans", type=int, default=60, help="held human translations read per file")
    ap.add_argument("--eval-only", action="store_true", help="figures only; write nothing")
    args = ap.parse_args(argv)
    from mtcheck.resources import cache_dir

    work = args.work or ((cache_dir() or Path("/tmp")) / "train-qe-source")
    chosen = sample(items(args.bench), args.per_file, args.humans)
    print(f"{len(chosen)} outputs sampled from {', '.join(FILES)}", file=sys.stderr)
    got = extract(chosen, work)
    x = np.concatenate([f for _, f in got])
    y = np.concatenate([labels(it, offs) for it, (offs, _) in zip(chosen, got, strict=True)])
    owner = np.concatenate([[k] * len(offs) for k, (offs, _) in enumerate(got)]).astype(np.int64)
    group = np.array(["human" if it.human else it.split for it in chosen])[owner]
    fold = np.array([fold_of(it.doc_id) for it in chosen])[owner]
    year = np.array([it.year for it in chosen])[owner]
    file = np.array([it.file for it in chosen])[owner]
    weight = np.array([len(it.ratings) for it in chosen], dtype=np.float32)[owner]
    tune, held, human = group == "tune", group == "held", group == "human"
    yb = (y > 0.5).astype(np.float32)
    print(f"tokens: {tune.sum()} tune, {held.sum()} held, {human.sum()} human (held)", file=sys.stderr)

    # Error rates differ by target language (raters marked 14% of German tokens, 2.5% of
    # Russian ones): a bias per target language (one-hot columns whose weights become the
    # biases) and thresholds per target language.
    langs = sorted({it.lang for it in chosen})
    lang = np.array([it.lang for it in chosen])[owner]
    xa = np.concatenate([x, np.stack([(lang == code).astype(np.float32) for code in langs], 1)], 1)
    width = x.shape[1]

    # L2 and thresholds by two-fold cross-fitting on the tune documents.
    best: tuple[float, float, np.ndarray] | None = None
    for l2 in L2:
        oof = np.zeros(len(y), dtype=np.float32)
        for f in (0, 1):
            tr, te = tune & (fold != f), tune & (fold == f)
            wv, b = fit(xa[tr], y[tr], weight[tr], l2)
            oof[te] = predict(xa[te], wv, b)
        a = auc(oof[tune], yb[tune])
        print(f"l2 {l2:g}: tune cross-fitted AUC {a:.3f}", file=sys.stderr)
        if best is None or a > best[1]:
            best = (l2, a, oof)
    assert best is not None
    l2, _, oof = best
    thresholds: dict[str, dict[str, float]] = {}
    for code in langs:
        m = tune & (lang == code)
        for sev, target in TARGETS.items():
            t = threshold_for(oof[m], yb[m], target)
            if t is not None:
                thresholds.setdefault(code, {})[sev] = round(t, 4)
    print(f"thresholds by target language: {thresholds}", file=sys.stderr)
    figures: dict[str, Any] = {"l2": l2}
    for code in langs:
        m = tune & (lang == code)
        figures[f"tune_cross_fitted_{code}"] = report(
            f"tune, into {code} (cross-fitted)", oof[m], y[m], thresholds.get(code, {})
        )

    wv, b = fit(xa[tune], y[tune], weight[tune], l2)
    p = predict(xa, wv, b)
    figures["held"] = report("held third", p[held], y[held], {})
    for code in langs:
        m = held & (lang == code)
        figures[f"held_{code}"] = report(f"held, into {code}", p[m], y[m], thresholds.get(code, {}))
    for name in FILES:
        m = held & (file == name)
        if m.any():
            code = name.split(".")[0].split("-")[1]
            figures[f"held_{name}"] = report(f"held {name}", p[m], y[m], thresholds.get(code, {}))
    # Correct text: how often the check would fire on human translations of held documents
    # (raters marked some of their tokens too), against the MT outputs of the same documents.
    counts: dict[tuple[str, str, bool], int] = {}
    words: dict[tuple[str, bool], int] = {}
    at = 0
    for it, (offs, _) in zip(chosen, got, strict=True):
        seg = p[at : at + len(offs)]
        at += len(offs)
        if it.split != "held":
            continue
        words[(it.lang, it.human)] = words.get((it.lang, it.human), 0) + len(it.target.split())
        for sev, t in thresholds.get(it.lang, {}).items():
            key = (it.lang, sev, it.human)
            counts[key] = counts.get(key, 0) + words_flagged(it, offs, seg, t)
    figures["findings_per_1000_words_held"] = {
        code: {
            sev: {
                "human": round(1000 * counts.get((code, sev, True), 0) / max(words.get((code, True), 0), 1), 2),
                "mt": round(1000 * counts.get((code, sev, False), 0) / max(words.get((code, False), 0), 1), 2),
            }
            for sev in thresholds.get(code, {})
        }
        for code in langs
    }
    for code in langs:
        m = human & (lang == code)
        figures[f"human_{code}"] = report(
            f"human translations into {code} (held)", p[m], y[m], thresholds.get(code, {})
        )
    print(f"findings per 1,000 words (held): {figures['findings_per_1000_words_held']}", file=sys.stderr)

    train_early = (year <= 2021) & tune
    w2, b2 = fit(xa[train_early], y[train_early], weight[train_early], l2)
    for code in langs:
        late = (year == 2023) & ~human & (lang == code)
        if late.any():
            figures[f"cross_year_2023_{code}"] = report(
                f"cross-year into {code} (train 2020-2021 tune, test all 2023)",
                predict(xa[late], w2, b2),
                y[late],
                thresholds.get(code, {}),
            )

    if args.eval_only:
        return 0
    if not thresholds:
        # A head without thresholds would make no finding: shipping it would only look done.
        print("no threshold reached its precision target in any language: nothing written", file=sys.stderr)
        return 0
    from mtcheck.lm import cross

    data = {
        "name": "gemma-3-270m-xspan",
        "version": "1",
        "model": cross.MODEL,
        "middle_layer": cross.MIDDLE_LAYER,
        "bias": b,
        "language_bias": {code: round(b + float(wv[width + k]), 6) for k, code in enumerate(langs)},
        "thresholds": thresholds,
        "trained_on": f"tune two thirds of {', '.join(FILES)}; a seeded sample of {args.per_file} outputs per file",
        "figures": figures,
        "weight": [round(float(v), 7) for v in wv[:width]],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
