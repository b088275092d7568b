"""Language identification on real segments: lingua (what mtcheck uses) against langdetect.

The untranslated-text check asks "is this sentence in the target language?" for single
sentences. This measures accuracy per segment length on texts whose language is known: the
sources and targets of ../shared/bench (zh, en, de, ru from MQM; ro, et, ru, en from MLQE-PE).

    pip install langdetect   # only for this comparison
    python bench/langid.py [--bench ../shared/bench] [--per-lang 300]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path


def samples(bench: Path, per_lang: int) -> list[tuple[str, str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for f in sorted((bench / "mqm").glob("*.jsonl")) + sorted((bench / "mlqe").glob("*.jsonl")):
        seen: set[str] = set()
        for line in f.open(encoding="utf-8"):
            rec = json.loads(line)
            src, tgt = rec["lp"].split("-")
            for lang, text in (
                (src, rec.get("source_detok") or rec["source"]),
                (tgt, rec.get("target_detok") or rec["target"]),
            ):
                if text in seen or len(out[lang]) >= per_lang:
                    continue
                seen.add(text)
                out[lang].append(text)
    return [(lang, t) for lang, texts in sorted(out.items()) for t in texts]


def _pct(hits: dict[str, list[int]], key: str) -> str:
    a, n = hits[key]
    return f"{100 * a / n:.1f}% ({n})" if n else "-"


def bucket(text: str) -> str:
    n = len(text.split()) if " " in text else len(text) // 2
    return "<=5 words" if n <= 5 else "6-15 words" if n <= 15 else ">15 words"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default=str(Path(__file__).resolve().parents[2] / "shared" / "bench"))
    ap.add_argument("--per-lang", type=int, default=300)
    args = ap.parse_args(argv)
    data = samples(Path(args.bench), args.per_lang)
    if not data:
        print("no data", file=sys.stderr)
        return 2
    from lingua import LanguageDetectorBuilder

    lingua_low = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()
    lingua_high = LanguageDetectorBuilder.from_all_languages().build()

    def run_lingua(det):  # type: ignore[no-untyped-def]
        def f(t: str) -> str:
            lang = det.detect_language_of(t)
            return lang.iso_code_639_1.name.lower() if lang else "?"

        return f

    detectors = {
        "lingua (low accuracy mode)": run_lingua(lingua_low),
        "lingua (high accuracy)": run_lingua(lingua_high),
    }
    try:
        import langdetect

        langdetect.DetectorFactory.seed = 0

        def ld(t: str) -> str:
            try:
                return str(langdetect.detect(t)).split("-")[0]
            except langdetect.LangDetectException:
                return "?"

        detectors["langdetect"] = ld
    except ImportError:
        print("(langdetect not installed: pip install langdetect to compare)", file=sys.stderr)
    print(f"{len(data)} segments, languages: {', '.join(sorted({x for x, _ in data}))}\n")
    print("| detector | accuracy | <=5 words | 6-15 words | >15 words | segments/s |")
    print("|---|---|---|---|---|---|")
    for name, det in detectors.items():
        det(data[0][1])  # load models outside the timing
        hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        t0 = time.perf_counter()
        for lang, text in data:
            ok = det(text) == lang
            for key in ("all", bucket(text)):
                hits[key][0] += ok
                hits[key][1] += 1
        dt = time.perf_counter() - t0

        cells = [_pct(hits, k) for k in ("all", "<=5 words", "6-15 words", ">15 words")]
        print(f"| {name} | {' | '.join(cells)} | {len(data) / dt:.0f} |")
    binary(data, detectors)
    return 0


def binary(data: list[tuple[str, str]], detectors: dict) -> None:  # type: ignore[type-arg]
    """What MT601 asks: is this segment in the target language or not?"""
    from mtcheck.api import check_document
    from mtcheck.config import Config
    from mtcheck.resources import Resources

    only_language = Config(select=("MT6",))

    res = Resources()
    print("\nTarget-or-not, as the untranslated-text check asks it (share of right verdicts):\n")
    print("| detector | target en | target de |")
    print("|---|---|---|")
    rows: dict[str, list[str]] = defaultdict(list)
    for target in ("en", "de"):

        def mt(t: str, target: str = target) -> str:
            # The whole check as mtcheck runs it: word-list filter, detector, script check.
            found = check_document(t, lang=target, config=only_language, resources=res).findings
            return "flagged" if found else target

        variants = {**detectors, "mtcheck MT601 + MT602 (the checks themselves)": mt}
        for name, det in variants.items():
            alarms = misses = 0
            for lang, text in data:
                guess = det(text)
                # mtcheck flags only a confident other language; "?" keeps the text.
                flagged = guess not in (target, "?")
                alarms += flagged and lang == target
                misses += not flagged and lang != target
            wrong = alarms + misses
            rows[name].append(f"{100 * (1 - wrong / len(data)):.1f}% ({alarms} false alarms, {misses} missed)")
    for name, cells in rows.items():
        print(f"| {name} | {' | '.join(cells)} |")


if __name__ == "__main__":
    sys.exit(main())
