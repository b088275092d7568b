"""Language identification on short news texts: the first sentences of real articles.

A CMS sends headlines and captions; without ``--lang`` mtcheck must tell their language, or
its rules for that language silently do not run. This takes, from every document of the
data at hand, its first sentences of 3 to 12 words (mtcheck's own sentence splitter), and
measures ``mtcheck.langid.guess`` on them: accuracy per language, how often it says it is not
sure, and how often it is wrong while sure.

Data: the sources and human references of ../shared/bench/mqm as documents (en, de, ru, zh)
and, with ``--wmt``, the news documents of WMT test sets fetched as git mirrors (their
sources and references in French, Spanish, Czech...): wmt22-news-systems (xml with
documents), wmt24-news-systems (txt-ts/documents). Nothing is copied into the repository.

The identifier's settings (the word-frequency floor, the margin that makes a guess sure)
were chosen on the "tune" third-and-two-thirds split below; the figure to quote is "test",
the documents they were not set on.

    python bench/langid_short.py [--wmt /work/.mirror/wmt-conference+wmt24-news-systems/repo ...]
        [--per-doc 1] [--split test|tune|all] [--examples 5]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

Docs = dict[str, dict[tuple[str, ...], dict[int, str]]]  # lang -> document -> position -> text


def _add(docs: Docs, lang: str, doc: tuple[str, ...], pos: int, text: str | None) -> None:
    if text:
        docs.setdefault(lang, {}).setdefault(doc, {}).setdefault(pos, text)


def mqm_docs(bench: Path, docs: Docs) -> None:
    for f in sorted((bench / "mqm").glob("*.jsonl")):
        with f.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                src, tgt = rec["lp"].split("-")
                key = (f.name, rec["doc_id"])
                _add(docs, src, (*key, "source"), rec["doc_seg_id"], rec["source"])
                _add(docs, tgt, (*key, "reference"), rec["doc_seg_id"], rec.get("reference"))


def _git_show(repo: Path, path: str) -> str | None:
    out = subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{path}"], capture_output=True, check=False)
    return out.stdout.decode("utf-8", "replace") if out.returncode == 0 else None


def _git_files(repo: Path) -> list[str]:
    out = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "--name-only", "HEAD"], capture_output=True)
    return out.stdout.decode().split("\n")


def wmt_docs(repo: Path, docs: Docs) -> None:
    """News documents of a WMT systems repository (a bare mirror): sources and references."""
    files = _git_files(repo)
    for path in files:
        if path.startswith("xml/") and path.endswith(".all.xml"):
            _wmt_xml(repo, path, docs)
        elif path.startswith("txt-ts/documents/") and path.endswith(".docs"):
            _wmt_txt(repo, path, files, docs)


def _wmt_xml(repo: Path, path: str, docs: Docs) -> None:
    text = _git_show(repo, path)
    if text is None:
        return
    for doc in ET.fromstring(text).iter("doc"):
        if doc.get("domain") != "news":
            continue
        for side in doc:
            lang = side.get("lang")
            if side.tag in ("src", "ref") and lang:
                for seg in side.iter("seg"):
                    _add(docs, lang, (path, doc.get("id") or "", side.tag), int(seg.get("id") or 0), seg.text)


def _wmt_txt(repo: Path, path: str, files: list[str], docs: Docs) -> None:
    lp = Path(path).stem
    src, tgt = lp.split("-")
    meta = (_git_show(repo, path) or "").split("\n")
    sides = [(src, f"txt-ts/sources/{lp}.txt")] + [
        (tgt, f) for f in files if f.startswith(f"txt-ts/references/{lp}.ref") and f.endswith(".txt")
    ]
    for lang, name in sides:
        body = _git_show(repo, name)
        if body is None:
            continue  # a file the mirror does not hold (large files are left out)
        for i, (m, line) in enumerate(zip(meta, body.split("\n"), strict=False)):
            domain, _, doc = m.partition("\t")
            if domain == "news":
                _add(docs, lang, (name, doc), i, line)


def first_sentences(segments: list[str], lang: str, per_doc: int) -> list[str]:
    from mtcheck.document import split_sentences

    out: list[str] = []
    for seg in segments:
        seg = seg.strip()
        for sp in split_sentences(seg, 0, len(seg), lang):
            s = seg[sp.start : sp.end].strip()
            n = len(s.split()) if lang not in ("zh", "ja") else len(s) // 2
            if 3 <= n <= 12:
                out.append(s)
                if len(out) >= per_doc:
                    return out
    return out


def in_test(doc: tuple[str, ...]) -> bool:
    """A third of the documents, by a hash of the document's name (both sides of a pair go
    the same way only by chance: a source and its reference are different texts)."""
    return int(hashlib.sha256("|".join(doc).encode()).hexdigest(), 16) % 3 == 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default=str(Path(__file__).resolve().parents[2] / "shared" / "bench"))
    ap.add_argument("--wmt", action="append", default=[], help="A WMT systems repository (git dir); repeatable.")
    ap.add_argument("--per-doc", type=int, default=1, help="Sentences taken from the start of each document.")
    ap.add_argument("--split", choices=("test", "tune", "all"), default="test")
    ap.add_argument("--examples", type=int, default=0, help="Show this many errors per language.")
    args = ap.parse_args(argv)

    docs: Docs = {}
    if Path(args.bench, "mqm").is_dir():
        mqm_docs(Path(args.bench), docs)
    for repo in args.wmt:
        wmt_docs(Path(repo), docs)
    samples = [
        (lang, s)
        for lang, by_doc in sorted(docs.items())
        for doc, segs in by_doc.items()
        if args.split == "all" or in_test(doc) == (args.split == "test")
        for s in first_sentences([segs[k] for k in sorted(segs)], lang, args.per_doc)
    ]
    if not samples:
        print("no data: give --bench or --wmt", file=sys.stderr)
        return 2

    from mtcheck.api import default_resources
    from mtcheck.checks import all_rules
    from mtcheck.langid import BY_SCRIPT, guess

    resources = default_resources()
    known = {code for langs in BY_SCRIPT.values() for code in langs} | {"zh", "ja", "ko"}
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # n, right, unsure, wrong while sure
    errors: dict[str, list[str]] = defaultdict(list)
    guess("warm up the detector", resources)
    t0 = time.perf_counter()
    for lang, text in samples:
        g = guess(text, resources)
        row = rows[lang]
        row[0] += 1
        row[1] += g.lang == lang
        row[2] += not g.sure
        row[3] += g.sure and g.lang != lang
        if g.lang != lang:
            errors[lang].append(f"{g.lang}{'' if g.sure else '?'}: {text}")
    elapsed = time.perf_counter() - t0

    with_rules = {code for r in all_rules() for code in r.languages if code != "*"}
    print(
        f"split {args.split}, {args.per_doc} sentence(s) per document, {len(samples)} texts, "
        f"{1000 * elapsed / len(samples):.2f} ms each"
    )
    print(f"{'lang':<5} {'texts':>6} {'right':>8} {'unsure':>8} {'wrong+sure':>11}  note")
    total = [0, 0]
    for lang, (n, right, unsure, wrong_sure) in sorted(rows.items()):
        note = "has rules" if lang in with_rules else ("no rules" if lang in known else "not a candidate")
        if lang in with_rules:
            total[0] += n
            total[1] += right
        shares = f"{100 * right / n:>7.1f}% {100 * unsure / n:>7.1f}% {100 * wrong_sure / n:>10.1f}%"
        print(f"{lang:<5} {n:>6} {shares}  {note}")
    if total[0]:
        print(f"languages with rules: {100 * total[1] / total[0]:.1f}% right of {total[0]}")
    for lang in sorted(errors):
        for line in errors[lang][: args.examples]:
            print(f"  {lang} -> {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
