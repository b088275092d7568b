"""Load on `mtcheck serve`: concurrent clients posting an article to /v1/check over loopback.

For each mode a fresh server starts on a free loopback port and warms up (word lists and model
load before it answers /healthz); then CLIENTS clients, each on its own keep-alive connection,
post the article as fast as answers come back, for DURATION seconds or MAX_REQUESTS requests in
all, whichever ends first. Modes:

- rules:    `mtcheck serve --no-lm`
- lm:       with the language model; the article's sentence scores are in the score cache after
            the warm-up request (a CMS re-checking a draft: the common case)
- lm-cold:  with the language model and an empty score cache that nothing is written to (a
            cache folder holding only the word lists and converted weights): every request scores
            the whole article; shows the model's capacity and what happens past it

Printed: requests/s, latency p50/p99, errors (anything but 200), the server's peak memory (the
sum of its processes' resident sets, sampled every 0.2 s, and VmHWM).

    python bench/serve_load.py [--text ../shared/seed/kursk.en.txt] [--clients 32] [--duration 60]
        [--modes rules,lm,lm-cold] [--workers 1] [--timeout 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "kursk.en.txt"


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # seconds, 200 answers only
    errors: dict[str, int] = field(default_factory=dict)  # status or exception name -> count

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (uvicorn's workers), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler(threading.Thread):
    """The server tree's summed RSS, every 0.2 s; keeps the peak and each process's VmHWM."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.hwm_kb: dict[int, int] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            pids = _tree(self.pid)
            self.peak_kb = max(self.peak_kb, sum(_status_kb(p, "VmRSS") for p in pids))
            for p in pids:
                self.hwm_kb[p] = max(self.hwm_kb.get(p, 0), _status_kb(p, "VmHWM"))
            self.stop.wait(0.2)


def cache_without_scores(folder: Path) -> Path:
    """A cache folder whose entries link to the user's cache (word lists, converted weights),
    but with the score cache replaced by a directory, which SQLite cannot open: no scores are
    read or kept."""
    from mtcheck.resources import cache_dir

    real = cache_dir()
    if real is None or not real.is_dir():
        raise SystemExit("run `mtcheck check` once first: lm-cold reuses its cache of word lists and weights")
    for entry in real.iterdir():
        if entry.name.startswith("lm-scores"):
            (folder / entry.name).mkdir()
        else:
            (folder / entry.name).symlink_to(entry)
    return folder


def start_server(
    mode: str, workers: int, threads: int, timeout: float, cache: Path | None
) -> tuple[subprocess.Popen[bytes], str, float]:
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "mtcheck.cli", "serve", "--port", str(port), "--workers", str(workers)]
    cmd += ["--timeout", str(timeout), "--max-bytes", "10000000", "--threads", str(threads)]
    if mode == "rules":
        cmd.append("--no-lm")
    if mode == "lm-cold" and cache is not None:
        env["MTCHECK_CACHE_DIR"] = str(cache)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)
            return proc, url, time.perf_counter() - t0
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"the server exited with status {proc.returncode}") from None
            if time.perf_counter() - t0 > 300:
                proc.kill()
                raise SystemExit("the server did not start in 300 s") from None
            time.sleep(0.1)


async def client(port: int, body: bytes, deadline: float, budget: list[int], out: Outcome, timeout: float) -> None:
    """One keep-alive connection posting ``body`` until the deadline or the shared budget ends."""
    head = (
        f"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    while time.perf_counter() < deadline and budget[0] > 0:
        budget[0] -= 1
        t0 = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            assert reader is not None
            writer.write(head + body)
            await writer.drain()
            status_line = await asyncio.wait_for(reader.readline(), timeout)
            headers = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
            length = next(
                int(h.split(b":", 1)[1]) for h in headers.split(b"\r\n") if h.lower().startswith(b"content-length:")
            )
            payload = await asyncio.wait_for(reader.readexactly(length), timeout)
            status = int(status_line.split()[1])
            if status == 200 and json.loads(payload)["verdict"] in ("pass", "review", "block"):
                out.latencies.append(time.perf_counter() - t0)
            else:
                out.error(str(status))
            if b"connection: close" in headers.lower():
                writer.close()
                writer = None
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError, StopIteration) as e:
            out.error(type(e).__name__)
            if writer is not None:
                writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def load(port: int, body: bytes, clients: int, duration: float, max_requests: int, timeout: float) -> Outcome:
    out = Outcome()
    deadline = time.perf_counter() + duration
    budget = [max_requests]
    await asyncio.gather(*(client(port, body, deadline, budget, out, timeout) for _ in range(clients)))
    return out


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_mode(mode: str, text: str, args: argparse.Namespace, cache: Path) -> dict[str, object]:
    proc, url, started = start_server(mode, args.workers, args.threads, args.timeout, cache)
    sampler = MemorySampler(proc.pid)
    sampler.start()
    try:
        body = json.dumps({"text": text, "lang": "en"}).encode()
        t0 = time.perf_counter()
        req = urllib.request.Request(url + "/v1/check", data=body, headers={"Content-Type": "application/json"})
        warm = json.loads(urllib.request.urlopen(req, timeout=300).read())
        first = time.perf_counter() - t0
        port = int(url.rsplit(":", 1)[1])
        t0 = time.perf_counter()
        out = asyncio.run(load(port, body, args.clients, args.duration, args.max_requests, args.timeout + 30))
        wall = time.perf_counter() - t0
    finally:
        sampler.stop.set()
        sampler.join()
        proc.terminate()
        proc.wait(30)
    lat = out.latencies
    return {
        "mode": mode,
        "model": (warm.get("model") or {}).get("name"),
        "findings": len(warm["findings"]),
        "startup_s": round(started, 2),
        "first_request_s": round(first, 3),
        "requests": len(lat) + sum(out.errors.values()),
        "ok": len(lat),
        "errors": out.errors,
        "wall_s": round(wall, 1),
        "requests_per_s": round(len(lat) / wall, 2),
        "p50_ms": round(1000 * pct(lat, 0.50), 1),
        "p99_ms": round(1000 * pct(lat, 0.99), 1),
        "mean_ms": round(1000 * statistics.fmean(lat), 1) if lat else None,
        "peak_rss_mb": round(sampler.peak_kb / 1024),
        "peak_hwm_mb": round(sum(sampler.hwm_kb.values()) / 1024),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--text", type=Path, default=SEED, help="the article to post (default: the seed)")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load per mode")
    ap.add_argument("--max-requests", type=int, default=1_000_000, help="a cap on requests per mode")
    ap.add_argument("--modes", default="rules,lm,lm-cold")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2, help="the server's --threads")
    ap.add_argument("--timeout", type=float, default=60.0, help="the server's --timeout")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()
    if not args.text.is_file():
        raise SystemExit(f"{args.text} is not here (the project's shared folder sits beside the repo)")
    text = args.text.read_text(encoding="utf-8")
    print(
        f"# {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{args.clients} clients x {args.duration:g} s, {args.workers} worker(s) x {args.threads} threads, "
        f"article {len(text.split())} words ({args.text.name})",
        flush=True,
    )
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = cache_without_scores(Path(tmp))
        for mode in args.modes.split(","):
            r = run_mode(mode, text, args, cache)
            results.append(r)
            print(json.dumps(r), flush=True)
    print()
    print("| mode | requests/s | p50 ms | p99 ms | ok | errors | peak RSS MB | startup s |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        errs = sum(r["errors"].values()) if isinstance(r["errors"], dict) else 0
        print(
            f"| {r['mode']} | {r['requests_per_s']} | {r['p50_ms']} | {r['p99_ms']} | {r['ok']} | "
            f"{errs} {r['errors'] or ''} | {r['peak_rss_mb']} | {r['startup_s']} |"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
