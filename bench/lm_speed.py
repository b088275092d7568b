"""Speed and memory of the language-model pass with the default English model.

1. Load time: a fresh process importing torch and loading the model, on a warm cache (the
   converted weights exist; target under 3 s), and the very first load, which converts the
   packaged GGUF file into the cache (once per machine).
2. Throughput: words per second of the model pass (scoring, no cache) over zh-en.2021 targets,
   on this machine's cores (aim: 1,000 words/s).
3. `mtcheck check` on a 1,000-word article in a fresh process (score cache empty, then full),
   with its peak RSS (target under 1.5 GB).

    python bench/lm_speed.py [--bench ../shared/bench] [--segments 400] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed import article

LOAD = (
    "import time; t0 = time.perf_counter(); import torch; t1 = time.perf_counter()\n"
    "from mtcheck.lm import load, resolve; s = load(resolve(None, 'en')); s.score(['Warm up.'])\n"
    "print(t1 - t0, time.perf_counter() - t1)"
)


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall time, peak RSS (KB) and stdout of one fresh process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - t0, usage.ru_maxrss, out


def throughput(bench: Path, n: int) -> tuple[int, int, float]:
    from mtcheck.document import split_sentences
    from mtcheck.lm import load, resolve

    scorer = load(resolve(None, "en"))
    records = [json.loads(line) for line in (bench / "mqm" / "zh-en.2021.jsonl").open(encoding="utf-8")][:n]
    sentences = []
    for r in records:
        t = r["target"]
        sentences.extend(t[s.start : s.end] for s in split_sentences(t, 0, len(t), "en"))
    scorer.score(["Warm up the model."])
    t0 = time.perf_counter()
    scored = scorer.score(sentences)
    secs = time.perf_counter() - t0
    return sum(len(s.split()) for s in sentences), sum(len(s.bits) for s in scored), secs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default=str(Path(__file__).resolve().parents[2] / "shared" / "bench"))
    ap.add_argument("--segments", type=int, default=400)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cold", action="store_true", help="also time the first-ever load (converts the GGUF, ~40 s)")
    args = ap.parse_args(argv)
    bench = Path(args.bench)
    import torch

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__} "
        f"({torch.get_num_threads()} threads), Python {platform.python_version()}"
    )
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    py = sys.executable
    loads = [timed([py, "-c", LOAD], env) for _ in range(args.runs)]
    parts = [tuple(map(float, out.split())) for _, _, out in loads]
    print(
        f"warm load (fresh process: import torch + load model + first score): median "
        f"{statistics.median(w for w, _, _ in loads):.2f} s; of which import torch "
        f"{statistics.median(p[0] for p in parts):.2f} s, model {statistics.median(p[1] for p in parts):.2f} s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        if args.cold:
            wall, _, _ = timed([py, "-c", LOAD], {**env, "MTCHECK_CACHE_DIR": os.path.join(tmp, "cold")})
            print(f"cold load (first ever: converts the packaged GGUF into the cache): {wall:.1f} s")
        path = os.path.join(tmp, "article.txt")
        text = article(bench.parent / "seed" / "kursk.en.txt")
        Path(path).write_text(text, encoding="utf-8")
        cache = os.path.join(tmp, "cache")
        cmd = [py, "-m", "mtcheck.cli", "check", path]
        # The cache a user has after a first run: lexicon built, model converted (that first
        # run reads the GGUF file through transformers and peaks near 1.7 GB, once).
        timed(cmd, {**env, "MTCHECK_CACHE_DIR": cache})
        first = []
        peak = 0
        for _ in range(args.runs):
            for f in Path(cache).glob("lm-scores-*"):
                f.unlink()
            wall, rss, _ = timed(cmd, {**env, "MTCHECK_CACHE_DIR": cache})
            first.append(wall)
            peak = max(peak, rss)
        again, _, _ = timed(cmd, {**env, "MTCHECK_CACHE_DIR": cache})
        print(
            f"`mtcheck check` on a {len(text.split())}-word article: {statistics.median(first):.1f} s "
            f"(median of {args.runs}, empty score cache), {again:.1f} s when every sentence is cached; "
            f"peak RSS {peak / 1024:.0f} MB"
        )
    words, tokens, secs = throughput(bench, args.segments)
    print(
        f"model pass: {words} words ({tokens} tokens, {args.segments} zh-en.2021 targets) in {secs:.1f} s = "
        f"{words / secs:,.0f} words/s, {tokens / secs:,.0f} tokens/s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
