"""`mtcheck eval`: compare MT systems on a corpus, with and without references.

Per system: sacreBLEU's BLEU, chrF and TER (with their signatures) where references exist;
mtcheck's findings per 1,000 words by MQM category and severity; an MQM-style penalty per
segment from the findings; with the model, the learned span head's error load per segment (its
expected number of error tokens: ``mtcheck_qe``, reference-free); the ranking; and a paired
bootstrap test of every metric against a baseline system. Segments are checked in parallel
(``jobs`` processes), streamed, and their findings cached on disk, so adding a system to a
corpus checks only that system.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mtcheck import __version__
from mtcheck.config import Config
from mtcheck.eval import significance as sig
from mtcheck.eval.corpus import CorpusError, Segment

if TYPE_CHECKING:
    from mtcheck.eval.engines import Engine

# MQM weights of Freitag et al. 2021 ("Experts, Errors, and Context", table 3): major 5,
# minor 1, minor punctuation 0.1, non-translation 25. Critical (not in their scheme; other MQM
# schemes give it 10) is 10.
WEIGHTS = {"critical": 10.0, "major": 5.0, "minor": 1.0}
MINOR_PUNCTUATION = 0.1
UNTRANSLATED = 25.0
WEIGHTS_ID = "freitag2021"
WORST_KEPT = 5  # worst segments kept per system for the report
GROUP = 24  # segments checked together (one batch of the model's sentences)


def finding_weight(category: str, severity: str) -> float:
    if category.endswith("/Untranslated") or category == "Non-translation":
        return UNTRANSLATED
    if severity == "minor" and category.endswith("/Punctuation"):
        return MINOR_PUNCTUATION
    return WEIGHTS.get(severity, 1.0)


def penalty(findings: Iterable[dict[str, Any]]) -> float:
    """The MQM-style penalty of one segment (0 = no finding; lower is better)."""
    return sum(finding_weight(f["category"], f["severity"]) for f in findings)


# ---- checking segments, cached ----------------------------------------------------------

# What checking one segment gives the evaluation (and its cache keeps): {"findings": [the
# fields of each finding in _FIELDS], "error_load": the span head's score or None}.
Checked = dict[str, Any]


def config_key(config: Config) -> str:
    """What decides a segment's findings besides its text: version, rules, model, options."""
    from mtcheck.checks import all_rules
    from mtcheck.report import ruleset

    parts = [
        __version__,
        ruleset(all_rules())["hash"],
        ",".join(config.select),
        ",".join(config.ignore),
        str(config.severity),
        str(config.lm),
        config.model or "",
        repr(config.names),
        repr(config.prefer),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def segment_key(ckey: str, seg: Segment) -> str:
    data = json.dumps([ckey, seg.lang, seg.src_lang, seg.source, seg.target], ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


class FindingCache:
    """Findings per segment text and configuration, in SQLite beside the other caches."""

    def __init__(self, path: Path | None) -> None:
        self._db: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), timeout=30)
            with self._db:
                self._db.execute("CREATE TABLE IF NOT EXISTS f (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID")
        except (OSError, sqlite3.Error):
            self._db = None  # an unusable cache folder: check everything, keep nothing

    @classmethod
    def default(cls) -> FindingCache:
        from mtcheck.resources import cache_dir

        folder = cache_dir()
        # v2: a segment's value is {"findings": [...], "error_load": x}, no longer the list alone.
        return cls(folder / "eval-findings-v2.sqlite" if folder else None)

    def get_many(self, keys: Sequence[str]) -> dict[str, Checked]:
        if self._db is None or not keys:
            return {}
        out: dict[str, Checked] = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            marks = ",".join("?" * len(chunk))
            for k, v in self._db.execute(f"SELECT key, value FROM f WHERE key IN ({marks})", chunk):
                out[k] = json.loads(v)
        return out

    def put_many(self, items: dict[str, Checked]) -> None:
        if self._db is None or not items:
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO f VALUES (?, ?)",
                    [(k, json.dumps(v, ensure_ascii=False)) for k, v in items.items()],
                )
        except sqlite3.Error:
            pass  # a full disk or a locked file costs a recheck next time, nothing else


_FIELDS = ("code", "severity", "category", "start", "end", "text", "message")


def _kept(f: Any) -> dict[str, Any]:
    """The fields of a finding the evaluation keeps (and caches), severity as its name."""
    out = {k: getattr(f, k) for k in _FIELDS}
    out["severity"] = str(f.severity)
    return out


def check_segments(segs: Sequence[Segment], config: Config) -> list[Checked]:
    """Each segment's findings (the few fields the evaluation keeps) and the span head's error
    load (None without a model or head), checked together so that the language model scores
    their sentences in full batches."""
    from mtcheck.api import Text, check_documents

    texts = [Text(s.target, s.lang, s.source, s.src_lang) for s in segs]
    return [
        {"findings": [_kept(f) for f in res.findings], "error_load": res.error_load()}
        for res in check_documents(texts, config)
    ]


Progress = Callable[[int, int], None]


def check_all(
    segments: Iterable[Segment],
    config: Config,
    jobs: int = 1,
    cache: FindingCache | None = None,
    batch: int = 256,
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> Iterator[tuple[Segment, Checked, bool]]:
    """(segment, what checking it gave, from the cache) for every segment, in order. What the cache does not
    have is checked by ``engine`` (default: ``jobs`` local processes) in groups, a batch of
    groups at a time, so memory stays flat however long the corpus."""
    from mtcheck.eval.engines import make_engine

    ckey = config_key(config)
    own = engine is None
    runner = engine if engine is not None else make_engine("local", jobs)
    batch = max(batch, GROUP * runner.slots * 2)  # enough groups to keep every worker busy
    done = 0
    try:
        pending: list[Segment] = []

        def flush() -> Iterator[tuple[Segment, Checked, bool]]:
            nonlocal done
            keys = [segment_key(ckey, s) for s in pending]
            known = cache.get_many(keys) if cache else {}
            todo = [s for s, k in zip(pending, keys, strict=True) if k not in known]
            # Segments go to the checks in groups: the model scores a group's sentences together.
            groups = [todo[i : i + GROUP] for i in range(0, len(todo), GROUP)]
            results = runner.map(groups, config) if groups else iter(())
            checked = (found for group in results for found in group)
            fresh: dict[str, Checked] = {}
            for s, k in zip(pending, keys, strict=True):
                if k in known:
                    found, cached = known[k], True
                else:
                    found, cached = next(checked), False
                    fresh[k] = found
                done += 1
                if progress:
                    progress(done, 0)
                yield s, found, cached
            if cache:
                cache.put_many(fresh)
            pending.clear()

        for seg in segments:
            pending.append(seg)
            if len(pending) >= batch:
                yield from flush()
        yield from flush()
    finally:
        if own:
            runner.close()


# ---- aggregation ------------------------------------------------------------------------


STATS_CHUNK = 1000  # segments whose strings are held before they become metric statistics


@dataclass
class SystemScores:
    """What is kept of one system while its segments stream past: per segment only its key,
    penalty and the metrics' sufficient statistics (a few numbers), not its text."""

    name: str
    keys: list[tuple[str, str]] = field(default_factory=list)
    penalties: list[float] = field(default_factory=list)
    error_loads: list[float | None] = field(default_factory=list)
    words: int = 0
    findings: int = 0
    by_category: Counter[tuple[str, str]] = field(default_factory=Counter)
    cached: int = 0
    worst: list[dict[str, Any]] = field(default_factory=list)
    nrefs: int | None = None  # references per segment, from the first; None: not known yet
    chunks: dict[str, list[np.ndarray]] = field(default_factory=dict)
    signatures: dict[str, str] = field(default_factory=dict)
    _hyps: list[str] = field(default_factory=list)
    _refs: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def with_references(self) -> bool:
        return bool(self.nrefs)

    def add(self, seg: Segment, checked: Checked, from_cache: bool) -> None:
        found = checked["findings"]
        p = penalty(found)
        self.keys.append(seg.key)
        self.penalties.append(p)
        self.error_loads.append(checked.get("error_load"))
        self.words += len(seg.target.split())
        self.findings += len(found)
        self.cached += from_cache
        for f in found:
            self.by_category[(f["category"], f["severity"])] += 1
        self._keep_references(seg)
        if p > 0 and (len(self.worst) < WORST_KEPT or p > self.worst[-1]["penalty"]):
            item = {
                "doc": seg.key[0],
                "segment": seg.key[1],
                "penalty": p,
                "source": seg.source,
                "target": seg.target,
                "findings": found,
            }
            self.worst.append(item)
            self.worst.sort(key=lambda w: -w["penalty"])
            del self.worst[WORST_KEPT:]

    def _keep_references(self, seg: Segment) -> None:
        if self.nrefs is None:
            self.nrefs = len(seg.references)
        if not self.nrefs:
            return
        if len(seg.references) < self.nrefs:  # every segment needs as many references
            self.nrefs = 0
            self.chunks.clear()
            self._hyps.clear()
            self._refs.clear()
            return
        self._hyps.append(seg.target)
        self._refs.append(seg.references[: self.nrefs])
        if len(self._hyps) >= STATS_CHUNK:
            self._flush()

    def _flush(self) -> None:
        if not self._hyps or not self.nrefs:
            return
        streams = [[r[i] for r in self._refs] for i in range(self.nrefs)]
        for name, metric in _metrics().items():
            stats = np.array(metric._extract_corpus_statistics(self._hyps, streams), dtype="float32")
            self.chunks.setdefault(name, []).append(stats)
            self.signatures[name] = str(metric.get_signature().format())
        self._hyps.clear()
        self._refs.clear()

    def reference_stats(self) -> dict[str, np.ndarray] | None:
        """Each metric's per-segment statistics, in the order of ``keys``; None without references."""
        self._flush()
        if not self.with_references:
            return None
        return {name: np.concatenate(parts) for name, parts in self.chunks.items()}


@dataclass
class Evaluation:
    systems: list[dict[str, Any]]
    signatures: dict[str, str]
    baseline: str | None
    segments: int  # the segments every system translated (the metrics' common ground)
    notes: list[str]
    worst: dict[str, list[dict[str, Any]]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "mtcheck_version": __version__,
            "signatures": self.signatures,
            "baseline": self.baseline,
            "segments": self.segments,
            "systems": self.systems,
            "worst_segments": self.worst,
            "notes": self.notes,
        }


def _metrics() -> dict[str, Any]:
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {"bleu": BLEU(), "chrf": CHRF(), "ter": TER()}


def summarise(
    scores: list[SystemScores],
    config: Config,
    baseline: str | None = None,
    n_samples: int = sig.DEFAULT_SAMPLES,
    seed: int | None = sig.DEFAULT_SEED,
) -> Evaluation:
    """Metrics, intervals, ranks and paired tests over the segments all systems share."""
    notes: list[str] = []
    if not scores:
        raise CorpusError("the corpus has no segments")
    names = [s.name for s in scores]
    if baseline is not None and baseline not in names:
        raise CorpusError(f"no system {baseline!r} in the corpus (systems: {', '.join(names)})")
    common = set(scores[0].keys)
    for s in scores[1:]:
        common &= set(s.keys)
    order = [k for k in scores[0].keys if k in common]
    if not order:
        raise CorpusError("the systems share no segment: check --doc-field and --segment-field")
    for s in scores:
        if len(s.keys) != len(order):
            notes.append(f"{s.name}: {len(s.keys) - len(order)} segments not translated by every system left out")
    idxs = sig.resample_indices(len(order), n_samples, seed)
    metrics = _metrics()
    per_system: dict[str, dict[str, np.ndarray]] = {}
    signatures: dict[str, str] = {}
    with_refs = True
    with_qe = True
    for s in scores:
        pos = {k: i for i, k in enumerate(s.keys)}
        rows = [pos[k] for k in order]
        stats: dict[str, np.ndarray] = {"mtcheck_penalty": sig.mean_stats([s.penalties[i] for i in rows])}
        loads = [s.error_loads[i] for i in rows]
        if with_qe and all(x is not None for x in loads):
            stats["mtcheck_qe"] = sig.mean_stats([float(x) for x in loads if x is not None])
        else:
            with_qe = False
        ref_stats = s.reference_stats()
        if ref_stats is None:
            with_refs = False
        else:
            stats.update({name: ref_stats[name][rows] for name in metrics})
            signatures.update(s.signatures)
        per_system[s.name] = stats
    if not with_refs:
        notes.append("no reference for some segments: BLEU, chrF and TER are left out (null)")
        signatures = {}
    if not with_qe:
        notes.append(
            "no learned quality score (mtcheck_qe): it needs the model and its span head (English targets; not --no-lm)"
        )
    score_fns: dict[str, sig.Score] = {"mtcheck_penalty": sig.mean}
    if with_qe:
        score_fns["mtcheck_qe"] = sig.mean
    if with_refs:
        for name, metric in metrics.items():
            score_fns[name] = _corpus_score(metric)
    out = []
    base = baseline or scores[0].name
    for s in scores:
        row: dict[str, Any] = {"system": s.name, "segments": len(s.keys), "words": s.words}
        entry: dict[str, Any] = {}
        for name in ("bleu", "chrf", "ter", "mtcheck_penalty", "mtcheck_qe"):
            if name not in score_fns:
                row[name] = None
                continue
            st = per_system[s.name][name]
            if s.name == base:
                iv = sig.interval(st, score_fns[name], idxs)
                entry[name] = {"mean": iv.mean, "ci": iv.ci, "low": iv.low, "high": iv.high, "p_value": None}
            else:
                cmp = sig.paired_test(per_system[base][name], st, score_fns[name], idxs)
                iv = cmp.interval
                entry[name] = {"mean": iv.mean, "ci": iv.ci, "low": iv.low, "high": iv.high, "p_value": cmp.p_value}
            row[name] = round(iv.score, 4)
        per_1k = 1000 / s.words if s.words else 0.0
        row["findings"] = s.findings
        row["findings_per_1k_words"] = round(s.findings * per_1k, 2)
        row["findings_by_category"] = _by_category(s.by_category, per_1k)
        row["cached_segments"] = s.cached
        row["bootstrap"] = entry
        out.append(row)
    _rank(out)
    signatures["mtcheck"] = (
        f"mtcheck:{__version__}|config:{config_key(config)}|lm:{'yes' if config.lm else 'no'}"
        f"|weights:{WEIGHTS_ID}|bs:{n_samples}|seed:{str(seed).lower()}"
    )
    for name in ("bleu", "chrf", "ter"):
        if name in signatures:
            signatures[name] += f"|bs:{n_samples}|seed:{str(seed).lower()}"
    return Evaluation(out, signatures, base, len(order), notes, {s.name: s.worst for s in scores})


def _corpus_score(metric: Any) -> sig.Score:
    """A sacreBLEU metric's corpus score from summed sufficient statistics."""

    def score(summed: np.ndarray) -> float:
        return float(metric._compute_score_from_stats(list(summed)).score)

    return score


def _by_category(counts: Counter[tuple[str, str]], per_1k: float) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for (cat, sev), n in sorted(counts.items()):
        out.setdefault(cat, {})[sev] = round(n * per_1k, 3)
    return out


def _rank(rows: list[dict[str, Any]]) -> None:
    """1 = best: higher BLEU and chrF, lower TER, penalty and error load."""
    for name, higher_better in (
        ("bleu", True),
        ("chrf", True),
        ("ter", False),
        ("mtcheck_penalty", False),
        ("mtcheck_qe", False),
    ):
        scored = [r for r in rows if r[name] is not None]
        scored.sort(key=lambda r: -r[name] if higher_better else r[name])
        for i, r in enumerate(scored, 1):
            r.setdefault("rank", {})[name] = i
        for r in rows:
            r.setdefault("rank", {}).setdefault(name, None)


def evaluate(
    segments: Iterable[Segment],
    config: Config,
    jobs: int = 1,
    baseline: str | None = None,
    n_samples: int = sig.DEFAULT_SAMPLES,
    seed: int | None = sig.DEFAULT_SEED,
    cache: FindingCache | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> Evaluation:
    by_system: dict[str, SystemScores] = {}
    for seg, checked, cached in check_all(segments, config, jobs, cache, progress=progress, engine=engine):
        by_system.setdefault(seg.system, SystemScores(seg.system)).add(seg, checked, cached)
    return summarise(list(by_system.values()), config, baseline, n_samples, seed)


def elapsed_progress(label: str, stream: Any) -> Progress:
    """A progress line with count, rate and elapsed time on a terminal (the total of a
    streamed corpus is not known in advance, so no ETA until it is)."""
    start = time.monotonic()
    last = [0.0]

    def tick(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < 0.2:
            return
        last[0] = now
        rate = done / max(now - start, 1e-9)
        eta = f", {max(total - done, 0) / rate:.0f} s left" if total and rate else ""
        stream.write(f"\r{label}: {done} segments, {rate:.1f}/s{eta}   ")
        stream.flush()

    return tick
