"""Source-aware ("bilingual QA") checks against professional MQM error spans.

For each file of ../shared/bench/mqm (never copied here), every machine translation (human
"systems" left out) is checked with its source, rules only, and the findings whose code starts
with one of ``--select`` (default ``MT9``, the source checks; ``--all-codes``: every finding) are
compared with the raters' error spans, per MQM category bucket that a source check addresses:

- precision: the share of findings that overlap a rater span of any category (and, second
  figure, a rater span of the finding's own bucket);
- recall: the share of the raters' spans of the bucket (identical spans of several raters
  counted once) that a finding of the bucket overlaps;
- false alarms: among the segments no rater marked (neutral marks aside), the share with a
  major or critical finding (target: at most 1 in 100), and with a finding of any severity.

Buckets, on both sides by the category string (case-insensitive): "omission", "addition",
"untranslated"/"non-translation", "locale convention..." and the numbers-and-entities share of
Accuracy/Mistranslation (see ``numbers_or_entities``; mtcheck's findings of ``--entity-codes``
go there). Overlap is half-open; a zero-width span (an insertion point) overlaps a span that
contains it, its two edges included, and another zero-width span at the same point. An omission
the rater marked in the source (no target span) is overlapped by any omission finding of the
segment. Segments are checked in batches through ``check_documents``.

    python bench/source_mqm.py [--bench ../shared/bench] [--files zh-en.2020,...] [--limit 300]
        [--select MT9 | --all-codes] [--jobs 2] [--examples 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mtcheck.api import Text, check_documents, default_resources
from mtcheck.config import Config
from mtcheck.model import Finding, Severity

REPO = Path(__file__).resolve().parents[1]
FILES = ("zh-en.2020", "zh-en.2021", "zh-en.2023", "en-de.2021", "en-de.2023", "en-ru.2021")
BATCH = 64
RULES = Config(lm=False)  # every rule runs (MT601 hides findings inside foreign text); filtered after

OMISSION = "Accuracy/Omission"
ADDITION = "Accuracy/Addition"
UNTRANSLATED = "Accuracy/Untranslated"
ENTITIES = "Accuracy/Mistranslation — numbers and entities"
LOCALE = "Locale convention"
ALL = "all categories"
BUCKETS = (OMISSION, ADDITION, UNTRANSLATED, ENTITIES, LOCALE, ALL)
ENTITY_CODES = ("MT901", "MT902", "MT903")


# --- buckets -------------------------------------------------------------------------------


def category_bucket(category: str) -> str | None:
    """The bucket of an MQM category string, by keyword; None for the categories no source
    check addresses (and for Accuracy/Mistranslation, which needs the marked text)."""
    cat = category.lower()
    if "omission" in cat:
        return OMISSION
    if "addition" in cat:
        return ADDITION
    if "untranslated" in cat or "non-translation" in cat:
        return UNTRANSLATED
    if cat.startswith("locale convention"):
        return LOCALE
    return None


_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_OPENERS = " \t\n\"'“”‘’«»„([{-–—"


def _sentence_initial(target: str, pos: int) -> bool:
    before = target[:pos].rstrip(_OPENERS)
    return not before or before[-1] in ".!?:;…。！？"


def numbers_or_entities(target: str, start: int, end: int, lang: str) -> bool:
    """Approximation: the marked text holds a digit, or (English targets) a capitalised word of
    two letters or more that does not open a sentence (a proper noun or acronym, mostly). German
    capitalises every noun and Russian names are not told apart by case here: digits only."""
    marked = target[start:end]
    if _DIGIT.search(marked):
        return True
    if lang != "en":
        return False
    for m in _WORD.finditer(marked):
        word = m.group()
        if len(word) >= 2 and word[0].isupper() and not _sentence_initial(target, start + m.start()):
            return True
    return False


def rater_bucket(category: str, target: str, start: int | None, end: int | None, lang: str) -> str | None:
    bucket = category_bucket(category)
    if bucket is None and category.lower().startswith("accuracy/mistranslation") and start is not None:
        assert end is not None
        if numbers_or_entities(target, start, end, lang):
            return ENTITIES
    return bucket


def finding_bucket(code: str, category: str, entity_codes: Sequence[str]) -> str | None:
    if code in entity_codes:
        return ENTITIES
    return category_bucket(category)


# --- data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """An mtcheck finding, reduced to what the comparison and the examples need."""

    code: str
    category: str
    severity: int
    start: int
    end: int
    message: str
    bucket: str | None = None


@dataclass(frozen=True)
class Span:
    """One rater error. ``side``: "target" (``start``/``end`` index the target), "source"
    (they index the source; mostly omissions) or "none" (no span marked, both None)."""

    start: int | None
    end: int | None
    category: str
    severity: str
    rater: str
    bucket: str | None
    side: str

    @property
    def source_side(self) -> bool:
        return self.side != "target"

    @property
    def placed(self) -> bool:
        """Comparable with target findings: a target span, or an omission with no target span
        (which any omission finding of the segment overlaps)."""
        return not self.source_side or self.bucket == OMISSION

    def key(self, bucket: str) -> tuple[Any, ...]:
        """Identity for de-duplication across raters within one segment and bucket."""
        return (self.side, self.start, self.end, bucket)


@dataclass
class Segment:
    file: str
    id: str
    lang: str
    src_lang: str
    source: str
    target: str
    spans: list[Span]
    clean: bool  # no rater error (neutral marks aside)
    hits: list[Hit] = field(default_factory=list)


def load_segments(path: Path, limit: int | None) -> list[Segment]:
    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    records = [r for r in records if not r.get("is_human")]
    if limit is not None:
        records = first_source_segments(records, limit)
    return [to_segment(path.stem, r) for r in records]


def first_source_segments(records: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """All systems' translations of the first source segments (in file order), as many whole
    source segments as fit in ``limit`` records (at least one)."""
    groups: dict[tuple[str, Any], list[dict[str, Any]]] = {}
    for r in records:
        groups.setdefault((r["doc_id"], r["seg_id"]), []).append(r)
    out: list[dict[str, Any]] = []
    for group in groups.values():
        if out and len(out) + len(group) > limit:
            break
        out.extend(group)
    return out


def to_segment(file: str, r: dict[str, Any]) -> Segment:
    src_lang, lang = r["lp"].split("-")
    errors = [e for e in r["errors"] if e.get("severity") != "neutral"]
    spans = [to_span(e, r["target"], lang) for e in errors]
    return Segment(file, r["id"], lang, src_lang, r["source"], r["target"], spans, clean=not errors)


def to_span(e: dict[str, Any], target: str, lang: str) -> Span:
    if e.get("start") is not None:
        side, start, end = "target", e["start"], e["end"]
    elif e.get("span_side") == "source":
        side, start, end = "source", e.get("source_start"), e.get("source_end")
    else:
        side, start, end = "none", None, None
    bucket = rater_bucket(e["category"], target, start if side == "target" else None, end, lang)
    return Span(start, end, e["category"], e["severity"], e.get("rater", ""), bucket, side)


# --- checking --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    prefixes: tuple[str, ...]  # empty: every code
    entity_codes: tuple[str, ...]

    def keeps(self, f: Finding) -> bool:
        return not self.prefixes or f.code.startswith(self.prefixes)


def check_batch(job: tuple[list[tuple[str, str, str, str]], Selection]) -> list[list[Hit]]:
    """(target, lang, source, src_lang) of each segment -> its selected findings."""
    batch, sel = job
    texts = [Text(t, lang, s, src) for t, lang, s, src in batch]
    results = check_documents(texts, config=RULES, resources=default_resources())
    return [[to_hit(f, sel) for f in res.findings if sel.keeps(f)] for res in results]


def to_hit(f: Finding, sel: Selection) -> Hit:
    bucket = finding_bucket(f.code, f.category, sel.entity_codes)
    return Hit(f.code, f.category, int(f.severity), f.start, f.end, f.message, bucket)


class Progress:
    """One line on stderr: rewritten in place on a terminal, every ~1000 segments otherwise."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.t0 = label, total, time.perf_counter()
        self.tty = sys.stderr.isatty()
        self.last = 0

    def update(self, done: int) -> None:
        if not self.tty and done - self.last < 1000 and done < self.total:
            return
        self.last = done
        rate = done / max(time.perf_counter() - self.t0, 1e-9)
        end = "\r" if self.tty and done < self.total else "\n"
        print(f"{self.label}: {done}/{self.total} segments, {rate:.0f}/s", end=end, file=sys.stderr, flush=True)


def check_segments(segs: list[Segment], sel: Selection, jobs: int, progress: Progress) -> None:
    """Fill each segment's ``hits``, in batches of ``BATCH`` (over ``jobs`` processes)."""
    batches = [segs[i : i + BATCH] for i in range(0, len(segs), BATCH)]
    work = [([(s.target, s.lang, s.source, s.src_lang) for s in b], sel) for b in batches]
    done = 0
    for batch, hits in zip(batches, _map(check_batch, work, jobs), strict=True):
        for seg, found in zip(batch, hits, strict=True):
            seg.hits = found
        done += len(batch)
        progress.update(done)


def _map(fn: Callable[[Any], Any], items: list[Any], jobs: int) -> Iterator[Any]:
    if jobs <= 1:
        yield from map(fn, items)
        return
    import multiprocessing

    with multiprocessing.get_context("forkserver").Pool(jobs) as pool:
        yield from pool.imap(fn, items)


# --- scoring ---------------------------------------------------------------------------------


def overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    """Half-open overlap; an insertion point (zero width) touches a span containing it, edges
    included, and another insertion point at the same offset."""
    if a0 == a1 and b0 == b1:
        return a0 == b0
    if a0 == a1:
        return b0 <= a0 <= b1
    if b0 == b1:
        return a0 <= b0 <= a1
    return a0 < b1 and b0 < a1


def matches(hit: Hit, span: Span) -> bool:
    if span.source_side:
        return span.bucket == OMISSION and hit.bucket == OMISSION
    assert span.start is not None and span.end is not None
    return overlaps(hit.start, hit.end, span.start, span.end)


def same_kind(hit: Hit, span: Span) -> bool:
    """The finding's own bucket; for a finding in none (the "all categories" row), the same
    MQM category string."""
    if hit.bucket is not None:
        return span.bucket == hit.bucket
    return span.category.lower() == hit.category.lower()


def in_bucket(bucket: str | None, wanted: str) -> bool:
    return wanted == ALL or bucket == wanted


@dataclass
class Tally:
    findings: int = 0
    hit_any: int = 0  # findings overlapping a rater span of any category
    hit_same: int = 0  # ... of the finding's own bucket (see ``same_kind``)
    spans: int = 0  # unique placed rater spans of the bucket
    found: int = 0  # ... overlapped by a finding of the bucket
    unplaced: int = 0  # rater errors of the bucket with no comparable span (not in ``spans``)
    codes: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        for k in ("findings", "hit_any", "hit_same", "spans", "found", "unplaced"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.codes.update(other.codes)

    def figures(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if k != "codes"}
        out["codes"] = dict(self.codes.most_common())
        out["precision"] = ratio(self.hit_any, self.findings)
        out["precision_same_bucket"] = ratio(self.hit_same, self.findings)
        out["recall"] = ratio(self.found, self.spans)
        return out


@dataclass
class Alarms:
    """False alarms on the segments no rater marked."""

    clean: int = 0
    serious: int = 0  # with a major or critical finding
    any: int = 0
    codes: Counter[str] = field(default_factory=Counter)  # serious findings per code

    def add(self, other: Alarms) -> None:
        self.clean += other.clean
        self.serious += other.serious
        self.any += other.any
        self.codes.update(other.codes)

    def figures(self) -> dict[str, Any]:
        return {
            "error_free_segments": self.clean,
            "with_major_or_critical": self.serious,
            "rate_major_or_critical": ratio(self.serious, self.clean),
            "with_any": self.any,
            "rate_any": ratio(self.any, self.clean),
            "codes_major_or_critical": dict(self.codes.most_common()),
        }


def ratio(k: int, n: int) -> float | None:
    return k / n if n else None


def score_segment(seg: Segment, tallies: dict[str, Tally]) -> None:
    for bucket in BUCKETS:
        t = tallies[bucket]
        for hit in (h for h in seg.hits if in_bucket(h.bucket, bucket)):
            t.findings += 1
            t.codes[hit.code] += 1
            t.hit_any += any(matches(hit, s) for s in seg.spans)
            t.hit_same += any(matches(hit, s) for s in seg.spans if same_kind(hit, s))
        seen: set[tuple[Any, ...]] = set()
        for span in (s for s in seg.spans if in_bucket(s.bucket, bucket)):
            if not span.placed:
                t.unplaced += 1
                continue
            if span.key(bucket) in seen:
                continue
            seen.add(span.key(bucket))
            t.spans += 1
            t.found += any(matches(h, span) for h in seg.hits if in_bucket(h.bucket, bucket))


def score_alarms(seg: Segment, alarms: Alarms) -> None:
    if not seg.clean:
        return
    alarms.clean += 1
    serious = [h for h in seg.hits if h.severity >= Severity.MAJOR]
    alarms.any += bool(seg.hits)
    alarms.serious += bool(serious)
    alarms.codes.update(h.code for h in serious)


@dataclass
class FileResult:
    file: str
    segments: int
    seconds: float
    tallies: dict[str, Tally]
    alarms: Alarms

    def figures(self) -> dict[str, Any]:
        return {
            "segments": self.segments,
            "seconds": round(self.seconds, 2),
            "segments_per_s": round(self.segments / self.seconds, 1) if self.seconds else None,
            "buckets": {b: t.figures() for b, t in self.tallies.items()},
            "false_alarms": self.alarms.figures(),
        }


def score_file(name: str, segs: list[Segment], seconds: float) -> FileResult:
    tallies = {b: Tally() for b in BUCKETS}
    alarms = Alarms()
    for seg in segs:
        score_segment(seg, tallies)
        score_alarms(seg, alarms)
    return FileResult(name, len(segs), seconds, tallies, alarms)


def pool_results(results: list[FileResult]) -> FileResult:
    tallies = {b: Tally() for b in BUCKETS}
    alarms = Alarms()
    for r in results:
        for b in BUCKETS:
            tallies[b].add(r.tallies[b])
        alarms.add(r.alarms)
    return FileResult("all files", sum(r.segments for r in results), sum(r.seconds for r in results), tallies, alarms)


def code_table(segs: Iterable[Segment]) -> dict[str, dict[str, Any]]:
    """Pooled per code: findings, the share overlapping any rater span and the error-free
    segments it raises a major or critical alarm on."""
    rows: dict[str, dict[str, Any]] = {}
    for seg in segs:
        alarmed: set[str] = set()
        for h in seg.hits:
            row = rows.setdefault(h.code, {"category": h.category, "findings": 0, "hit_any": 0, "alarms": 0})
            row["findings"] += 1
            row["hit_any"] += any(matches(h, s) for s in seg.spans)
            if seg.clean and h.severity >= Severity.MAJOR:
                alarmed.add(h.code)
        for code in alarmed:
            rows[code]["alarms"] += 1
    for row in rows.values():
        row["precision"] = ratio(row["hit_any"], row["findings"])
    return dict(sorted(rows.items()))


# --- report ----------------------------------------------------------------------------------


def pct(k: int, n: int) -> str:
    return f"{100 * k / n:.1f}% ({k})" if n else "–"


def bucket_rows(r: FileResult, bold: bool = False) -> list[str]:
    rows = []
    for b, t in r.tallies.items():
        codes = ", ".join(f"{c} {k}" for c, k in t.codes.most_common(3)) or "–"
        name = f"**{r.file}**" if bold else r.file
        cells = [name, b, str(t.findings), pct(t.hit_any, t.findings), pct(t.hit_same, t.findings)]
        cells += [str(t.spans), pct(t.found, t.spans), str(t.unplaced), codes]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def print_tables(results: list[FileResult], pooled: FileResult, codes: dict[str, dict[str, Any]]) -> None:
    head = ["file", "bucket", "findings", "precision", "precision, same bucket"]
    head += ["rater spans", "recall", "rater errors without a span", "top codes"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for line in bucket_rows(pooled, bold=True):
        print(line)
    for r in results:
        for line in bucket_rows(r):
            print(line)
    print()
    head = ["file", "segments", "error-free", "with a major/critical finding", "with any finding", "segments/s"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in [*results, pooled]:
        a = r.alarms
        rate = f"{r.segments / r.seconds:.0f}" if r.seconds else "–"
        name = f"**{r.file}**" if r is pooled else r.file
        cells = [name, str(r.segments), str(a.clean), pct(a.serious, a.clean), pct(a.any, a.clean), rate]
        print("| " + " | ".join(cells) + " |")
    worst = max((ratio(r.alarms.serious, r.alarms.clean) or 0.0 for r in results), default=0.0)
    print(f"\nworst file: {100 * worst:.2f}% of error-free segments with a major/critical finding (target <= 1%)")
    if codes:
        print("\n| code | category | findings | precision | error-free segments with a major/critical alarm |")
        print("|---|---|---|---|---|")
        for code, row in codes.items():
            precision = pct(row["hit_any"], row["findings"])
            print(f"| {code} | {row['category']} | {row['findings']} | {precision} | {row['alarms']} |")


def mark(text: str, start: int, end: int, width: int = 200) -> str:
    """``text`` with ⟦…⟧ around [start, end), cut to about ``width`` characters of context."""
    lo, hi = max(0, start - width), min(len(text), end + width)
    out = text[lo:start] + "⟦" + text[start:end] + "⟧" + text[end:hi]
    return ("…" if lo else "") + out + ("…" if hi < len(text) else "")


def describe_spans(seg: Segment) -> str:
    if not seg.spans:
        return "raters marked no error"
    parts = []
    for s in seg.spans:
        where = seg.target[s.start : s.end] if not s.source_side and s.start is not None else "(source side)"
        parts.append(f"{s.category}/{s.severity} {where!r}")
    return "raters: " + "; ".join(parts)


def print_examples(segs: list[Segment], n: int) -> None:
    for bucket in BUCKETS:
        fps = [(seg, h) for seg in segs for h in seg.hits if in_bucket(h.bucket, bucket)]
        fps = [(seg, h) for seg, h in fps if not any(matches(h, s) for s in seg.spans)]
        misses = []
        for seg in segs:
            seen: set[tuple[Any, ...]] = set()
            for s in seg.spans:
                if not in_bucket(s.bucket, bucket) or not s.placed or s.key(bucket) in seen:
                    continue
                seen.add(s.key(bucket))
                if not any(matches(h, s) for h in seg.hits if in_bucket(h.bucket, bucket)):
                    misses.append((seg, s))
        rng = random.Random(bucket)
        print(f"\n### {bucket}: findings overlapping no rater span ({len(fps)}; {min(n, len(fps))} shown)")
        for seg, h in sorted(rng.sample(fps, min(n, len(fps))), key=lambda x: x[0].id):
            print(f"\n- {seg.id} {h.code} {Severity(h.severity)} [{h.category}] {h.message}")
            print(f"  source: {seg.source}")
            print(f"  target: {mark(seg.target, h.start, h.end)}")
            print(f"  {describe_spans(seg)}")
        print(f"\n### {bucket}: rater spans no finding overlaps ({len(misses)}; {min(n, len(misses))} shown)")
        for seg, s in sorted(rng.sample(misses, min(n, len(misses))), key=lambda x: x[0].id):
            print(f"\n- {seg.id} {s.category}/{s.severity} ({s.rater})")
            if s.start is None or s.end is None:
                print(f"  source: {seg.source}  (no span marked)")
                print(f"  target: {seg.target}")
            elif s.source_side:
                print(f"  source: {mark(seg.source, s.start, s.end)}")
                print(f"  target: {seg.target}")
            else:
                print(f"  source: {seg.source}")
                print(f"  target: {mark(seg.target, s.start, s.end)}")
            found = ", ".join(f"{h.code} {seg.target[h.start : h.end]!r}" for h in seg.hits) or "none"
            print(f"  findings in this segment: {found}")


# --- main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, help="folder holding mqm/ (default ../shared/bench, from the repo root)")
    ap.add_argument("--files", default=",".join(FILES), help="comma-separated, of " + ", ".join(FILES))
    ap.add_argument("--limit", type=int, help="about this many segments per file: all systems of the first sources")
    ap.add_argument("--select", default="MT9", help="comma-separated code prefixes to score (default MT9)")
    ap.add_argument("--all-codes", action="store_true", help="score every mtcheck finding (overrides --select)")
    ap.add_argument(
        "--entity-codes",
        default=",".join(ENTITY_CODES),
        help="codes whose findings go to the numbers-and-entities bucket",
    )
    ap.add_argument("--jobs", type=int, default=1, help="processes checking batches")
    ap.add_argument("--examples", type=int, default=0, help="print N false positives and N misses per bucket")
    ap.add_argument("--json", type=Path, help="also write every figure here")
    return ap.parse_args(argv)


def split_list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def split_codes(value: str) -> tuple[str, ...]:
    return tuple(c.upper() for c in split_list(value))


def bench_folder(value: Path | None) -> Path:
    """``--bench``: a relative path is taken from the repository root, not the working folder."""
    if value is None:
        return REPO.parent / "shared" / "bench"
    return value if value.is_absolute() else REPO / value


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sel = Selection(() if args.all_codes else split_codes(args.select), split_codes(args.entity_codes))
    results: list[FileResult] = []
    all_segs: list[Segment] = []
    for name in split_list(args.files):
        path = bench_folder(args.bench) / "mqm" / f"{name}.jsonl"
        if not path.is_file():
            print(f"{path} is not here (the project's shared folder sits beside the repo)", file=sys.stderr)
            return 2
        segs = load_segments(path, args.limit)
        t0 = time.perf_counter()
        check_segments(segs, sel, args.jobs, Progress(name, len(segs)))
        results.append(score_file(name, segs, time.perf_counter() - t0))
        all_segs.extend(segs)
    pooled = pool_results(results)
    codes = code_table(all_segs)
    label = "every code" if not sel.prefixes else ", ".join(sel.prefixes)
    print(f"scored findings: {label}; {pooled.segments} segments, {sum(len(s.hits) for s in all_segs)} findings\n")
    print_tables(results, pooled, codes)
    if args.examples:
        print_examples(all_segs, args.examples)
    if args.json:
        out = {
            "select": list(sel.prefixes) or "all",
            "entity_codes": list(sel.entity_codes),
            "limit": args.limit,
            "files": {r.file: r.figures() for r in results},
            "pooled": pooled.figures(),
            "codes": codes,
        }
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
