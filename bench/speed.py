"""Speed and memory of the rule checks (``--no-lm``; the model's own figures: bench/lm_speed.py).

1. Throughput: every target of ../shared/bench/mqm/zh-en.2020.jsonl through the rule checks, in
   one process pinned to one core (target: 20,000 words/s or more).
2. Latency: `mtcheck check --no-lm` on a 1,000-word article as a user runs it, a fresh process each time,
   with the word-list cache built (target: under 0.5 s), plus the first run on an empty cache.

    python bench/speed.py [--bench ../shared/bench] [--runs 5]
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


def throughput(bench: Path) -> tuple[int, float]:
    from mtcheck.api import check_document, default_resources
    from mtcheck.config import Config

    rules_only = Config(lm=False)

    records = [json.loads(line) for line in (bench / "mqm" / "zh-en.2020.jsonl").open(encoding="utf-8")]
    res = default_resources()
    check_document("Warm up the word lists in kyiv .", lang="en", resources=res, config=rules_only)
    words = sum(len(r["target"].split()) for r in records)
    t0 = time.perf_counter()
    for r in records:
        check_document(r["target"], lang="en", src_lang="zh", resources=res, config=rules_only)
    return words, time.perf_counter() - t0


def article(seed: Path, words: int = 1000) -> str:
    """About ``words`` words of news text made by repeating the seed article (never stored)."""
    paras = seed.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    while sum(len(p.split()) for p in out) < words:
        out.extend(paras)
    text = "\n".join(out)
    return " ".join(text.split(" ")[:words])


def cli_runs(path: str, runs: int, env: dict[str, str]) -> tuple[list[float], int]:
    """Wall times of ``runs`` fresh `mtcheck check` processes, and the largest peak RSS (KB)."""
    times, peak_kb = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        cmd = [sys.executable, "-m", "mtcheck.cli", "check", "--no-lm", path]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        _, _, usage = os.wait4(proc.pid, 0)  # this child's own peak memory
        times.append(time.perf_counter() - t0)
        peak_kb = max(peak_kb, usage.ru_maxrss)
    return times, peak_kb


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default=str(Path(__file__).resolve().parents[2] / "shared" / "bench"))
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    bench = Path(args.bench)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    seed = bench.parent / "seed" / "kursk.en.txt"
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "article.txt")
        text = article(seed)
        Path(path).write_text(text, encoding="utf-8")
        env = dict(os.environ)
        cold_env = {**env, "MTCHECK_CACHE_DIR": os.path.join(tmp, "cache")}
        cli_runs(path, 1, env)  # the user's cache exists after a first run
        warm, peak_kb = cli_runs(path, args.runs, env)
        cold, _ = cli_runs(path, 1, cold_env)
        print(
            f"`mtcheck check --no-lm` on a {len(text.split())}-word article: median {statistics.median(warm):.2f} s "
            f"(min {min(warm):.2f}, max {max(warm):.2f}, {args.runs} runs); first run on an empty cache "
            f"{cold[0]:.1f} s; peak RSS {peak_kb / 1024:.0f} MB"
        )
    # Throughput last: a child forked from a process holding the word lists would report
    # their memory as its own peak.
    words, secs = throughput(bench)
    wps = words / secs
    print(f"throughput: {words} words (zh-en.2020 targets) in {secs:.2f} s = {wps:,.0f} words/s on one core")
    ok = wps >= 20_000 and statistics.median(warm) < 0.5
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
