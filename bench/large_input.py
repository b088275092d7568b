"""Time and peak memory of ``mtcheck check FILE --no-lm --format jsonl`` on large inputs.

    python bench/large_input.py                    # 5 MB, 50 MB, and a 10 MB single line
    python bench/large_input.py --sizes 5 --line 0 # only the 5 MB file
    python bench/large_input.py --formats md html --line 0  # the same as Markdown and HTML

The text is real machine-translated and source English: the English sentences of
``../shared/bench/mqm/*.jsonl`` (the targets of zh-en, the sources of en-de and en-ru), one
segment per line in the order of the files, repeated until the file has the size asked for.
The single line joins the same segments with spaces. As Markdown, the segments are paragraphs,
every twentieth a heading, with bold words and links among them; as HTML, ``<p>`` and ``<h2>``
elements with a link in every third paragraph. Each check runs in its own process; its
wall time, CPU time and peak resident memory (the VmHWM it reports itself) are printed
with the ratio of peak memory to the file's size.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MQM = ROOT.parent / "shared" / "bench" / "mqm"


def english_segments() -> Iterator[str]:
    for path in sorted(MQM.glob("*.jsonl")):
        field = "target" if path.name.startswith("zh-en") else "source"
        seen: set[str] = set()
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                text = " ".join(str(json.loads(line).get(field) or "").split())
                if text and text not in seen:
                    seen.add(text)
                    yield text


def _linked(seg: str, fmt: str) -> str:
    """``seg`` with its middle word a link."""
    words = seg.split(" ")
    k = len(words) // 2
    words[k] = (
        f"[{words[k]}](https://example.com/a)" if fmt == "md" else f'<a href="https://example.com/">{words[k]}</a>'
    )
    return " ".join(words)


def dressed(seg: str, i: int, sep: str, fmt: str) -> str:
    """Segment ``i`` as a line or paragraph of a ``fmt`` file."""
    if fmt == "md":
        if i % 20 == 0:
            return f"## {seg[:60]}\n\n"
        if i % 7 == 0:
            seg = seg.replace(" ", " **", 1) + "**"
        elif i % 3 == 0:
            seg = _linked(seg, fmt)
        return seg + "\n\n"
    if fmt == "html":
        if i % 20 == 0:
            return f"<h2>{seg[:60]}</h2>\n"
        return f"<p>{_linked(seg, fmt) if i % 3 == 0 else seg}</p>\n"
    return seg + sep


def write_text(path: Path, size: int, sep: str, fmt: str = "txt") -> int:
    """``path`` filled with segments joined by ``sep`` up to ``size`` bytes; returns the size."""
    segments = list(english_segments())
    if not segments:
        raise SystemExit(f"no segments under {MQM}")
    written = 0
    with path.open("w", encoding="utf-8") as fh:
        if fmt == "html":
            fh.write("<html><body>\n")
        while written < size:
            for i, seg in enumerate(segments):
                piece = dressed(seg, i, sep, fmt)
                fh.write(piece)
                written += len(piece.encode())
                if written >= size:
                    break
        fh.write("</body></html>\n" if fmt == "html" else "\n")
    return path.stat().st_size


# The child reports its own peak, the kernel's high-water mark of its memory (VmHWM), which a
# new program starts afresh: the ru_maxrss that wait4 returns survives exec, so a child forked
# from this process would count at least this process's own size.
_PEAK = """
import sys
from mtcheck.cli import run
status = 0
try:
    run()
except SystemExit as e:
    status = e.code or 0
with open("/proc/self/status") as fh:
    sys.stderr.write(next(f"PEAK {line.split()[1]}\\n" for line in fh if line.startswith("VmHWM:")))
sys.exit(status)
"""


def measure(path: Path, extra: list[str]) -> dict[str, float]:
    """Wall and CPU seconds and peak RSS (bytes) of one ``mtcheck check`` process."""
    cmd = [
        sys.executable,
        "-c",
        _PEAK,
        "check",
        str(path),
        "--no-lm",
        "--format",
        "jsonl",
        *extra,
    ]
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    start = time.monotonic()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        findings = sum(len(json.loads(line).get("findings", [])) for line in out if line.strip())
    if code not in (0, 1):
        raise SystemExit(f"mtcheck failed ({code}): {err[-2000:]}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": next(int(line.split()[1]) * 1024 for line in err.splitlines() if line.startswith("PEAK ")),
        "findings": findings,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=float, nargs="*", default=[5, 50], help="file sizes in MB (one line a segment)")
    ap.add_argument("--line", type=float, default=10, help="size in MB of the single-line file (0: none)")
    ap.add_argument("--formats", nargs="*", default=["txt"], choices=["txt", "md", "html"], help="file formats")
    ap.add_argument("--lang", default="", help="pass --lang to mtcheck (default: detected)")
    ap.add_argument("--keep", type=Path, help="folder to keep the generated files in")
    args = ap.parse_args()
    extra = ["--lang", args.lang] if args.lang else []
    folder = args.keep or Path(tempfile.mkdtemp(prefix="mtcheck-large-"))
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(f"{mb:g} MB {fmt}, one segment a line", mb, "\n", fmt) for fmt in args.formats for mb in args.sizes]
    if args.line:
        jobs.append((f"{args.line:g} MB, a single line", args.line, " ", "txt"))
    print("| input | bytes | wall s | CPU s | peak RSS MB | RSS / input | findings |")
    print("|---|---|---|---|---|---|---|")
    for label, mb, sep, fmt in jobs:
        path = folder / f"large-{mb:g}mb-{'line' if sep == ' ' else 'lines'}.{fmt}"
        size = path.stat().st_size if path.is_file() else write_text(path, int(mb * 1_000_000), sep, fmt)
        r = measure(path, extra)
        print(
            f"| {label} | {size:,} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['rss'] / 1e6:.0f} | "
            f"{r['rss'] / size:.1f} | {r['findings']:,} |",
            flush=True,
        )
        if not args.keep:
            path.unlink()


if __name__ == "__main__":
    main()
