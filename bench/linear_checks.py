"""Rule checks on hostile plain text: CPU seconds of each shape at 12, 24, 48 and 96 KB.

    python bench/linear_checks.py                      # every shape, rule and source checks
    python bench/linear_checks.py --sizes 24 48        # other sizes (KB)
    python bench/linear_checks.py --shape "'a;b'"      # one shape (its name as printed)
    python bench/linear_checks.py --no-source          # the rule checks only

The shapes and modes are those of ``tests/test_linear_checks.py``: one atom repeated ("a ",
"1,", "„", ...) or a generated text (one line of sentences, mixed scripts, CJK...), checked
with ``check_document(text, lang=L, config=Config(lm=False))`` for L in en, fr, de and es
(the times are their sum); the source checks' modes check the same text as translation and
source ("both", into French), an ordinary English article against the hostile text as its
source ("source") and the hostile text against an ordinary French source ("translation").
Each time is the best of three. A linear check doubles its time when the input doubles: the
last column is the ratio of the last two sizes (a quadratic pass shows 4).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_linear_checks import ARTICLE_EN, ARTICLE_FR, SHAPES, SOURCE_SHAPES, check_all  # noqa: E402


def best_of(fn: Callable[[], object], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[12, 24, 48, 96], help="sizes in KB")
    ap.add_argument("--shape", action="append", help="only these shapes (their names as printed)")
    ap.add_argument("--no-source", action="store_true", help="skip the source checks' modes")
    args = ap.parse_args()
    for mode in ("target", "both", "source", "translation"):
        check_all(ARTICLE_EN + ARTICLE_FR, mode)  # word lists and detectors load here, unmeasured
    jobs = [(name, "target") for name in SHAPES]
    if not args.no_source:
        jobs += [(name, mode) for mode in ("both", "source", "translation") for name in SOURCE_SHAPES]
    jobs = [(name, mode) for name, mode in jobs if not args.shape or name in args.shape]
    print(f"| shape | checks | {' | '.join(f'{kb} KB' for kb in args.sizes)} | x2 |")
    print(f"|---|---|{'---|' * len(args.sizes)}---|")
    for name, mode in jobs:
        texts = [SHAPES[name](kb * 1000) for kb in args.sizes]
        times = [best_of(lambda text=text, mode=mode: check_all(text, mode)) for text in texts]
        ratio = times[-1] / max(times[-2], 1e-3) if len(times) > 1 else 1.0
        label = "rules" if mode == "target" else f"source ({mode})"
        print(f"| {name} | {label} | {' | '.join(f'{t:.3f}' for t in times)} | {ratio:.2f} |", flush=True)


if __name__ == "__main__":
    main()
