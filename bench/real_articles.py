"""mtcheck on whole real news articles: human references, and MT with professional MQM spans.

Reads ../shared/bench/mqm/*.jsonl (WMT news, never copied here) and puts the segments back together
as documents, one paragraph per segment in document order:

- the reference articles (professional human translations: nearly every finding on them is false);
- each MT system's article per document (human "systems" left out), with the raters' error spans
  moved to document offsets (spans marked on the source side, such as omissions, are counted apart);
- the source article, for the source checks.

Each is checked whole through the API, in up to four modes: ``rules`` (no model, no source),
``source`` (rules and source checks), ``model`` (rules and the model), ``model+source``.

Figures, per file and per target language:
- references: findings per 1,000 words, all and major+;
- MT articles: precision (a finding is right when it overlaps a rater's span, or, for an
  omission, falls in a paragraph whose omission a rater marked on the source side or as a point), all and major+,
  against the base rate (share of target characters inside rater spans: a random marker's
  precision); recall of rater spans, overall, by MQM category and by severity;
- per rule: findings on the MT articles, their precision, and findings on the references.

Rules and severities were tuned on the ``tune`` documents; the ``held`` third (by document, a hash
of its id) is the result to report, and ``--split 2023`` is the cross-year check (tuned on the
2020-2021 files, measured on 2023).

    python bench/real_articles.py [--files zh-en.2023 en-de.2023] [--modes rules model+source]
                                  [--split held|tune|all|2023] [--max-docs N] [--dump FILE.jsonl]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from mtcheck.api import Result, Text, check_documents
from mtcheck.calibration import Caps, parse_caps
from mtcheck.calibration import calibrated as capped
from mtcheck.config import Config
from mtcheck.model import Severity

MODES = ("rules", "source", "model", "model+source")
SEVERE = ("major", "critical")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    severity: str
    category: str


@dataclass
class Article:
    """One whole document: its text, its source, and (for MT) the raters' spans in it."""

    file: str
    lp: str
    year: int
    doc_id: str
    system: str  # "ref" for the human reference
    text: str
    source: str
    spans: list[Span] = field(default_factory=list)
    source_side_spans: int = 0
    # Paragraphs whose omission a rater marked on the source side or as a point: an omission finding there
    # (a point where a translation is missing) is right though no target span holds it.
    omission_zones: list[tuple[int, int]] = field(default_factory=list)

    @property
    def src(self) -> str:
        return self.lp.split("-")[0]

    @property
    def tgt(self) -> str:
        return self.lp.split("-")[1]

    @property
    def words(self) -> int:
        return len(self.text.split())


def split_of(doc_id: str) -> str:
    """A stable third of the documents is held aside: the same one in every run and file."""
    return "held" if int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 3 == 0 else "tune"


def _join(parts: Iterable[str]) -> str:
    return "\n\n".join(parts) + "\n"


def articles(path: Path) -> tuple[list[Article], list[Article]]:
    """(references, MT articles) of one MQM file, rebuilt as documents."""
    with path.open(encoding="utf-8") as fh:
        recs = [json.loads(line) for line in fh]
    name = path.stem
    by_doc: dict[str, dict[int, dict]] = defaultdict(dict)
    by_sys: dict[tuple[str, str], dict[int, dict]] = defaultdict(dict)
    for r in recs:
        by_doc[r["doc_id"]].setdefault(r["doc_seg_id"], r)
        if not r["is_human"]:
            by_sys[(r["system"], r["doc_id"])][r["doc_seg_id"]] = r
    refs = []
    for doc_id, segs in sorted(by_doc.items()):
        ordered = [segs[k] for k in sorted(segs)]
        if not all((r.get("reference") or "").strip() for r in ordered):
            continue
        first = ordered[0]
        refs.append(
            Article(
                name,
                first["lp"],
                first["year"],
                doc_id,
                "ref",
                _join(r["reference"].strip() for r in ordered),
                _join(r["source"].strip() for r in ordered),
            )
        )
    mts = []
    for (system, doc_id), segs in sorted(by_sys.items()):
        ordered = [segs[k] for k in sorted(segs)]
        text, spans, off, src_side, zones = [], [], 0, 0, []
        for r in ordered:
            raw = r["target"]
            seg = raw.strip()
            lead = len(raw) - len(raw.lstrip())
            seen: set[tuple[int, int, str, str]] = set()
            for e in r["errors"]:
                if e.get("severity") not in ("minor", "major", "critical"):
                    continue
                if e.get("start") is None:
                    src_side += 1
                    if e["category"].startswith("Accuracy/Omission"):
                        zones.append((off, off + len(seg) + 1))
                    continue
                s = min(max(e["start"] - lead, 0), len(seg))
                en = min(max(e["end"] - lead, s), len(seg))
                key = (s, en, e["severity"], e["category"])
                if en == s and e["category"].startswith("Accuracy/Omission"):
                    # A point where a rater says words are missing (zh-en 2020 marks omissions
                    # so): the paragraph is an omission zone, as for one marked on the source.
                    zones.append((off, off + len(seg) + 1))
                if en > s and key not in seen:
                    seen.add(key)
                    spans.append(Span(off + s, off + en, e["severity"], e["category"]))
            text.append(seg)
            off += len(seg) + 2
        first = ordered[0]
        mts.append(
            Article(
                name,
                first["lp"],
                first["year"],
                doc_id,
                system,
                _join(text),
                _join(r["source"].strip() for r in ordered),
                spans,
                src_side,
                zones,
            )
        )
    return refs, mts


def config_for(mode: str, calibrated: bool = True, extend: Sequence[str] = ()) -> Config:
    return Config(lm=mode.startswith("model"), calibrated=calibrated, extend_select=tuple(extend))


def check_all(
    arts: Sequence[Article],
    mode: str,
    batch: int = 16,
    calibrated: bool = True,
    caps: Caps | None = None,
    extend: Sequence[str] = (),
) -> Iterator[tuple[Article, Result]]:
    """Each article checked whole, through the API, a few at a time so the model fills its batches.
    With ``caps`` (a severity file other than the shipped one) the rules' own severities are
    capped here instead."""
    config = config_for(mode, calibrated and caps is None, extend)
    with_source = mode.endswith("source")
    for i in range(0, len(arts), batch):
        part = arts[i : i + batch]
        texts = [
            Text(a.text, lang=a.tgt, source=a.source if with_source else None, src_lang=a.src if with_source else None)
            for a in part
        ]
        results = check_documents(texts, config)
        if caps is not None:
            results = [replace(r, findings=capped(r.findings, r.lang, caps)) for r in results]
        yield from zip(part, results, strict=True)


@dataclass
class Tally:
    """Counts for one (group, mode): references and MT articles."""

    ref_words: int = 0
    ref_all: int = 0
    ref_major: int = 0
    mt_words: int = 0
    mt_chars: int = 0
    mt_inside: int = 0
    found: int = 0
    right: int = 0
    found_major: int = 0
    right_major: int = 0
    spans: Counter[str] = field(default_factory=Counter)
    spans_hit: Counter[str] = field(default_factory=Counter)
    # code -> [MT findings, right, MT major+, right major+, on references, major+ on references]
    by_rule: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0, 0, 0]))
    ref_codes: Counter[str] = field(default_factory=Counter)
    source_side: int = 0
    # code -> summed chance that a span of the finding's length, put anywhere in its article,
    # would overlap a rater's span: a sentence-long finding is "right" nearly always.
    chance: Counter[str] = field(default_factory=Counter)

    def add_ref(self, art: Article, res: Result) -> None:
        self.ref_words += art.words
        for f in res.findings:
            self.ref_all += 1
            self.ref_major += f.severity >= Severity.MAJOR
            self.by_rule[f.code][4] += 1
            self.by_rule[f.code][5] += f.severity >= Severity.MAJOR
            self.ref_codes[f"{f.code}:{f.severity}"] += 1

    def add_mt(self, art: Article, res: Result) -> list[tuple[str, str, int, int, str, bool, str]]:
        self.mt_words += art.words
        self.mt_chars += len(art.text)
        covered = bytearray(len(art.text))
        for s in art.spans:
            covered[s.start : s.end] = b"\1" * (s.end - s.start)
        self.mt_inside += sum(covered)
        self.source_side += art.source_side_spans
        hit = [False] * len(art.spans)
        out = []
        prefix = [0]
        for c in covered:
            prefix.append(prefix[-1] + c)
        by_length: dict[int, float] = {}
        for f in res.findings:
            s, e = f.start, max(f.end, f.start + 1)
            ok = False
            for j, sp in enumerate(art.spans):
                if s < sp.end and sp.start < e:
                    ok = hit[j] = True
            if f.category.startswith("Accuracy/Omission"):
                ok = ok or any(zs <= f.start < ze for zs, ze in art.omission_zones)
            major = f.severity >= Severity.MAJOR
            self.found += 1
            self.right += ok
            self.found_major += major
            self.right_major += ok and major
            row = self.by_rule[f.code]
            row[0] += 1
            row[1] += ok
            row[2] += major
            row[3] += ok and major
            length = max(1, f.end - f.start)
            if length not in by_length:
                by_length[length] = _chance(prefix, length)
            self.chance[f.code] += by_length[length]
            out.append((f.code, str(f.severity), f.start, f.end, f.text, ok, f.message))
        for sp, h in zip(art.spans, hit, strict=True):
            for key in ("all", f"sev:{sp.severity}", f"cat:{sp.category.split('/')[0]}", f"cat:{sp.category}"):
                self.spans[key] += 1
                self.spans_hit[key] += h
        return out

    @property
    def base(self) -> float:
        return self.mt_inside / max(1, self.mt_chars)


def _chance(prefix: list[int], length: int) -> float:
    """Share of the placements of a span of ``length`` characters that touch a covered one."""
    n = len(prefix) - 1
    if length >= n:
        return 1.0 if prefix[-1] else 0.0
    places = n - length + 1
    return sum(1 for p in range(places) if prefix[p + length] > prefix[p]) / places


def ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "-"


def per_k(n: int, words: int) -> str:
    return f"{1000 * n / words:.2f}" if words else "-"


def print_summary(tallies: dict[tuple[str, str], Tally], modes: Sequence[str]) -> None:
    print(
        "\n| group | mode | ref words | ref /1k all | ref /1k major+ | MT words | findings | precision | "
        "major+ | precision major+ | base rate | spans found |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (group, mode), t in sorted(tallies.items(), key=lambda kv: (kv[0][0], modes.index(kv[0][1]))):
        print(
            f"| {group} | {mode} | {t.ref_words} | {per_k(t.ref_all, t.ref_words)} | "
            f"{per_k(t.ref_major, t.ref_words)} | {t.mt_words} | {t.found} | {ratio(t.right, t.found)} | "
            f"{t.found_major} | {ratio(t.right_major, t.found_major)} | {t.base:.3f} | "
            f"{t.spans_hit['all']}/{t.spans['all']} ({ratio(t.spans_hit['all'], t.spans['all'])}) |"
        )


def print_recall(group: str, mode: str, t: Tally) -> None:
    print(f"\nRecall of rater spans, {group}, {mode} (spans marked on the source side: {t.source_side}, not counted)")
    print("| span kind | spans | found | recall |")
    print("|---|---|---|---|")
    for key in sorted(k for k in t.spans if k != "all"):
        if key.startswith("cat:") and "/" not in key and t.spans[key] < 20:
            continue
        if t.spans[key] >= 20 or key.startswith("sev:"):
            print(f"| {key} | {t.spans[key]} | {t.spans_hit[key]} | {ratio(t.spans_hit[key], t.spans[key])} |")


def print_rules(group: str, mode: str, t: Tally) -> None:
    print(
        f"\nPer rule, {group}, {mode} (base rate {t.base:.3f}; 'ok' when precision >= min(2 x base, 0.7)"
        " or fewer than 10 findings)"
    )
    print(
        "| code | MT findings | precision | chance at its span lengths | major+ | precision major+ "
        "| on references | ok |"
    )
    print("|---|---|---|---|---|---|---|---|")
    goal = min(0.7, 2 * t.base)
    for code, (n, r, nm, rm, nref, _) in sorted(t.by_rule.items(), key=lambda kv: -kv[1][0] - kv[1][4]):
        ok = n < 10 or r / n >= goal
        chance = f"{t.chance[code] / n:.3f}" if n else "-"
        print(
            f"| {code} | {n} | {ratio(r, n)} | {chance} | {nm} | {ratio(rm, nm)} | {nref} | {'yes' if ok else 'NO'} |"
        )


def write_calibration(path: str, tallies: dict[tuple[str, str], Tally], modes: Sequence[str], split: str) -> None:
    """Severity caps from the fullest mode of the run, per target language and pooled: a rule
    keeps major findings where at least 9 in 10 of them were right (a major finding on a human
    reference counts as wrong)."""
    import yaml

    from mtcheck.calibration import POOLED, cap_of

    mode = modes[-1]
    # code -> [major+ (MT and references), right major+, MT findings, right, summed chance]
    langs: dict[str, dict[str, list[float]]] = {}
    for (group, m), t in tallies.items():
        if m != mode or not group.startswith("into "):
            continue
        lang = group.removeprefix("into ")
        for code, row in t.by_rule.items():
            for key in (lang, POOLED):
                acc = langs.setdefault(key, {}).setdefault(code, [0, 0, 0, 0, 0.0])
                acc[0] += row[2] + row[5]
                acc[1] += row[3]
                acc[2] += row[0]
                acc[3] += row[1]
                acc[4] += t.chance[code]
    out: dict[str, dict[str, dict[str, object]]] = {}
    for lang, rules in sorted(langs.items()):
        for code, (major, right, n, n_right, chance) in sorted(rules.items()):
            if major:
                precision = n_right / n if n else None
                mean_chance = chance / n if n else None
                out.setdefault(lang, {})[code] = {
                    "cap": str(cap_of(int(major), int(right), precision, mean_chance)),
                    "major": int(major),
                    "right": int(right),
                    "precision": round(right / major, 3),
                    "all_precision": None if precision is None else round(precision, 3),
                    "chance": None if mean_chance is None else round(mean_chance, 3),
                }
    header = (
        "# Severity caps measured on real articles: the major findings of each rule on the MT articles\n"
        f"# and human references of ../shared/bench/mqm ({split} documents, mode {mode}); a finding is\n"
        "# right when it overlaps a professional rater's error span, and wrong on a reference. A rule\n"
        "# keeps major findings in a language only where at least 9 in 10 were right (see\n"
        "# mtcheck/calibration.py); '*' pools every language. Written by\n"
        "#   python bench/real_articles.py --split tune --calibrate mtcheck/rules/severity.yaml\n"
        "# Do not edit by hand.\n"
    )
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(header)
        yaml.safe_dump({"split": split, "mode": mode, "languages": out}, fh, sort_keys=True, allow_unicode=True)


def selected(arts: list[Article], split: str, max_docs: int | None) -> list[Article]:
    if split == "2023":
        arts = [a for a in arts if a.year == 2023]
    elif split != "all":
        arts = [a for a in arts if split_of(a.doc_id) == split]
    if max_docs:
        keep = sorted({a.doc_id for a in arts})[:max_docs]
        arts = [a for a in arts if a.doc_id in keep]
    return arts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default=str(Path(__file__).resolve().parents[2] / "shared" / "bench"))
    ap.add_argument("--files", nargs="+", help="MQM files by stem (zh-en.2023); default all")
    ap.add_argument("--modes", nargs="+", default=["rules", "model", "model+source"], choices=MODES)
    ap.add_argument("--split", default="held", choices=("held", "tune", "all", "2023"))
    ap.add_argument("--max-docs", type=int, help="at most this many documents per file (a quick look)")
    ap.add_argument("--systems", type=int, help="at most this many MT systems per file")
    ap.add_argument("--rules", action="store_true", help="print the per-rule table of each group and mode")
    ap.add_argument("--recall", action="store_true", help="print recall by category and severity")
    ap.add_argument(
        "--calibrate",
        metavar="FILE",
        help="measure the rules' own severities and write the severity caps (mtcheck/rules/severity.yaml)",
    )
    ap.add_argument(
        "--caps",
        metavar="FILE",
        help="severity caps from this file instead of the shipped ones (a cross-year check: caps "
        "written from 2020-2021 documents, measured on 2023)",
    )
    ap.add_argument("--years", nargs="+", type=int, help="only documents of these years")
    ap.add_argument(
        "--extend-select", nargs="+", default=[], metavar="CODE", help="opt-in rules to measure too (MT810)"
    )
    ap.add_argument("--dump", help="write every finding (article, code, severity, span, right) as JSON Lines")
    args = ap.parse_args(argv)
    paths = sorted((Path(args.bench) / "mqm").glob("*.jsonl"))
    if args.files:
        paths = [p for p in paths if p.stem in args.files]
    if not paths:
        print(f"no MQM files under {args.bench}/mqm (or none of {args.files})", file=sys.stderr)
        return 2
    caps = parse_caps(Path(args.caps).read_text(encoding="utf-8")) if args.caps else None
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None  # noqa: SIM115
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    t0 = time.perf_counter()
    for path in paths:
        refs, mts = articles(path)
        refs, mts = selected(refs, args.split, args.max_docs), selected(mts, args.split, args.max_docs)
        if args.years:
            refs, mts = [a for a in refs if a.year in args.years], [a for a in mts if a.year in args.years]
        if args.systems:
            keep = sorted({a.system for a in mts})[: args.systems]
            mts = [a for a in mts if a.system in keep]
        if not refs and not mts:
            continue
        tgt = (refs or mts)[0].tgt
        for mode in args.modes:
            t1 = time.perf_counter()
            for group in (path.stem, f"into {tgt}"):
                tallies[(group, mode)]  # keep the order of creation
            calibrated = not args.calibrate
            for art, res in check_all(refs, mode, calibrated=calibrated, caps=caps, extend=args.extend_select):
                for group in (path.stem, f"into {tgt}"):
                    tallies[(group, mode)].add_ref(art, res)
                if dump:
                    for f in res.findings:
                        row = {
                            "file": art.file,
                            "doc": art.doc_id,
                            "system": "ref",
                            "mode": mode,
                            "code": f.code,
                            "severity": str(f.severity),
                            "start": f.start,
                            "end": f.end,
                            "text": f.text,
                            "message": f.message,
                        }
                        dump.write(json.dumps(row, ensure_ascii=False) + "\n")
            for art, res in check_all(mts, mode, calibrated=calibrated, caps=caps, extend=args.extend_select):
                rows = tallies[(f"into {tgt}", mode)].add_mt(art, res)
                tallies[(path.stem, mode)].add_mt(art, res)
                if dump:
                    for code, sev, s, e, text, ok, message in rows:
                        row = {
                            "file": art.file,
                            "doc": art.doc_id,
                            "system": art.system,
                            "mode": mode,
                            "code": code,
                            "severity": sev,
                            "start": s,
                            "end": e,
                            "text": text,
                            "message": message,
                            "right": ok,
                            "context": art.text[max(0, s - 60) : e + 60],
                        }
                        dump.write(json.dumps(row, ensure_ascii=False) + "\n")
            words = sum(a.words for a in refs) + sum(a.words for a in mts)
            print(
                f"{path.stem} {mode}: {len(refs)} reference and {len(mts)} MT articles, {words} words, "
                f"{time.perf_counter() - t1:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    if dump:
        dump.close()
    if args.calibrate:
        write_calibration(args.calibrate, tallies, args.modes, args.split)
        print(f"severity caps written to {args.calibrate}", file=sys.stderr)
    print(f"split {args.split}; {time.perf_counter() - t0:.0f} s in all")
    print_summary(tallies, args.modes)
    for (group, mode), t in tallies.items():
        if group.startswith("into "):
            if args.recall:
                print_recall(group, mode, t)
            if args.rules:
                print_rules(group, mode, t)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
