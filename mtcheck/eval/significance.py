"""Paired bootstrap resampling against a baseline, for any corpus-level metric.

The procedure and its random draws are sacreBLEU's (``sacrebleu.significance``, after Koehn
2004 and the Moses script): the same ``numpy.random.default_rng(seed).choice`` indices for every
system, p-values from the centred absolute differences with the +1 correction, and the 95%
interval as half the spread between the 2.5th and 97.5th percentile resamples. Here it works on
per-segment sufficient statistics of any metric, so mtcheck's penalty (a mean over segments)
gets the same test as BLEU, chrF and TER; tests check it gives sacreBLEU's own numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

DEFAULT_SEED = 12345  # sacreBLEU's default (SACREBLEU_SEED)
DEFAULT_SAMPLES = 1000

Score = Callable[[np.ndarray], float]  # summed statistics -> the metric's corpus score


@dataclass(frozen=True)
class Interval:
    """A system's score, its bootstrap mean and the half-width of the 95% interval."""

    score: float
    mean: float
    ci: float

    @property
    def low(self) -> float:
        return self.mean - self.ci

    @property
    def high(self) -> float:
        return self.mean + self.ci


@dataclass(frozen=True)
class Comparison:
    """A system against the baseline: its interval and the p-value of the difference."""

    interval: Interval
    p_value: float


def resample_indices(n: int, n_samples: int = DEFAULT_SAMPLES, seed: int | None = DEFAULT_SEED) -> np.ndarray:
    """The bootstrap draws, shared by every system so that the test is paired."""
    rng = np.random.default_rng(seed)
    return rng.choice(n, size=(n_samples, n), replace=True)


def _resampled(stats: np.ndarray, score: Score, idxs: np.ndarray) -> np.ndarray:
    return np.array([score(s.sum(0)) for s in stats[idxs]])


def _interval(scores: np.ndarray, real: float) -> Interval:
    ordered = np.sort(scores)
    lower = len(ordered) // 40
    upper = len(ordered) - lower - 1
    return Interval(real, float(ordered.mean()), float(0.5 * (ordered[upper] - ordered[lower])))


def interval(stats: np.ndarray, score: Score, idxs: np.ndarray) -> Interval:
    """The 95% bootstrap interval of one system's score."""
    stats = np.asarray(stats, dtype="float32")
    return _interval(_resampled(stats, score, idxs), score(stats.sum(0)))


def paired_test(baseline: np.ndarray, system: np.ndarray, score: Score, idxs: np.ndarray) -> Comparison:
    """Is ``system``'s score different from ``baseline``'s? Both are (segments x statistics)
    arrays over the same segments, in the same order."""
    bl = np.asarray(baseline, dtype="float32")
    sy = np.asarray(system, dtype="float32")
    if bl.shape[0] != sy.shape[0]:
        raise ValueError(f"paired test over different segments: {bl.shape[0]} and {sy.shape[0]}")
    real = score(sy.sum(0))
    diff = abs(score(bl.sum(0)) - real)
    scores_bl = _resampled(bl, score, idxs)
    scores_sy = _resampled(sy, score, idxs)
    sample_diffs = np.abs(scores_sy - scores_bl)
    centred = sample_diffs - sample_diffs.mean()
    p = (int(np.sum(centred > diff)) + 1) / (len(centred) + 1)
    return Comparison(_interval(scores_sy, real), p)


def mean(summed: np.ndarray) -> float:
    """A per-segment average (mtcheck's penalty) from summed (value, 1) statistics."""
    return float(summed[0] / summed[1]) if summed[1] else 0.0


def mean_stats(values: list[float]) -> np.ndarray:
    """Per-segment values as statistics for ``mean``: (value, 1) rows."""
    out = np.ones((len(values), 2), dtype="float64")
    out[:, 0] = values
    return out
