"""Markup parsing on hostile input: CPU seconds of each shape at 12, 24, 48 and 96 KB.

    python bench/linear.py                  # the parser alone (mtcheck.markup.to_plain)
    python bench/linear.py --full           # and the whole check (check_document, no model)
    python bench/linear.py --sizes 24 48    # other sizes (KB)
    python bench/linear.py --shape '<a '    # shapes whose name contains this

Each text is one atom repeated to the size ("<a ", "![", ...) or a generated shape (nested
lists, a table of many columns): the shapes of ``tests/test_markup_linear.py``. A linear pass
doubles its time when the input doubles; the last column is the ratio of the last two sizes
(a quadratic pass shows 4). CPU seconds, the best of three runs, the garbage collector off.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_markup_linear import SHAPES  # noqa: E402  (one list of shapes for the test and here)

from mtcheck.markup import Format, sniff_format, to_plain  # noqa: E402


def best_of(fn: Callable[[], object], runs: int = 3) -> float:
    """CPU seconds, the best of ``runs``, the garbage collector off (as in the test)."""
    times = []
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            fn()
            times.append(time.process_time() - start)
        finally:
            gc.enable()
    return min(times)


def parse_once(text: str, fmt: Format) -> None:
    if fmt is Format.TEXT:
        sniff_format(text)
    else:
        to_plain(text, fmt)


def check_once(text: str, fmt: Format) -> None:
    from mtcheck.api import check_document
    from mtcheck.config import Config

    check_document(text, lang="en", fmt=None if fmt is Format.TEXT else fmt.value, config=Config(lm=False))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[12, 24, 48, 96], help="sizes in KB")
    ap.add_argument("--full", action="store_true", help="also time check_document")
    ap.add_argument("--shape", default="", help="only shapes whose name contains this")
    args = ap.parse_args(argv)
    passes: list[tuple[str, Callable[[str, Format], None]]] = [("parse", parse_once)]
    if args.full:
        check_once("warm up the word lists.", Format.TEXT)
        passes.append(("check", check_once))
    header = " | ".join(f"{kb} KB" for kb in args.sizes)
    print(f"| shape | pass | {header} | ratio |")
    print("|---|---|" + "---|" * len(args.sizes) + "---|")
    for name, (fmt, make) in SHAPES.items():
        if args.shape not in name:
            continue
        for label, run in passes:
            times = [best_of(lambda text=make(kb * 1024), run=run, fmt=fmt: run(text, fmt)) for kb in args.sizes]
            ratio = times[-1] / times[-2] if len(times) > 1 and times[-2] > 0 else float("nan")
            cells = " | ".join(f"{t:.3f}" for t in times)
            print(f"| `{name}` | {label} | {cells} | {ratio:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
