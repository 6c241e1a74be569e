"""The noise floor under a comparison: a score's 95% interval, by bootstrap over the examples.

Two models scored on the same examples are compared pair by pair (a paired bootstrap): each
resample draws examples with replacement and takes both models' scores on the same draw, so
what the examples share cancels out. Taught in notebook 03 (by hand, then with this module) and
used in 09 and in 02's and 03's solutions. Entity F1 (notebook 04) is not a mean over sentences,
so its bootstrap resamples sentences and recomputes F1 from their summed entity counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import bootstrap

RESAMPLES = 2_000
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Estimate:
    """A score (or a difference of two) in points, with its 95% interval."""

    value: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.value:.1f} (95% interval {self.low:.1f} to {self.high:.1f})"


def _as_correct(correct: Sequence[bool], name: str) -> np.ndarray:
    values = np.asarray(correct, dtype=float)
    if values.ndim != 1 or len(values) < 2:
        raise ValueError(f"{name} must be one right/wrong value per example (at least 2), "
                         f"got shape {values.shape}")
    return values


def accuracy(correct: Sequence[bool], *, seed: int = 0) -> Estimate:
    """Return the accuracy of `correct` (one bool per example) in points, with its interval."""
    values = _as_correct(correct, "correct")
    result = bootstrap((values,), np.mean, n_resamples=RESAMPLES, confidence_level=CONFIDENCE,
                       method="percentile", rng=np.random.default_rng(seed))
    low, high = result.confidence_interval
    return Estimate(100 * values.mean(), 100 * low, 100 * high)


def difference(correct_a: Sequence[bool], correct_b: Sequence[bool], *, seed: int = 0) -> Estimate:
    """Return accuracy(a) - accuracy(b) in points on the same examples, by paired bootstrap."""
    a, b = _as_correct(correct_a, "correct_a"), _as_correct(correct_b, "correct_b")
    if len(a) != len(b):
        raise ValueError(f"both models must be scored on the same examples: got {len(a)} and "
                         f"{len(b)} results")
    result = bootstrap((a, b), lambda x, y, axis: x.mean(axis) - y.mean(axis), paired=True,
                       vectorized=True, n_resamples=RESAMPLES, confidence_level=CONFIDENCE,
                       method="percentile", rng=np.random.default_rng(seed))
    low, high = result.confidence_interval
    return Estimate(100 * (a.mean() - b.mean()), 100 * low, 100 * high)


def verdict(diff: Estimate) -> str:
    """Return `diff` as "+1.2 points (95% interval -1.4 to +3.8): within noise" (or beyond)."""
    inside = diff.low <= 0 <= diff.high
    return (f"{diff.value:+.1f} points (95% interval {diff.low:+.1f} to {diff.high:+.1f}): "
            f"{'within noise' if inside else 'beyond noise'}")


def _entity_counts(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> np.ndarray:
    """Return per sentence (entities right, predicted, in gold), as seqeval counts them."""
    from seqeval.metrics.sequence_labeling import get_entities

    if len(gold) != len(predicted) or len(gold) < 2:
        raise ValueError(f"need the tags of the same sentences (at least 2): got {len(gold)} "
                         f"gold and {len(predicted)} predicted")
    counts = []
    for i, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        if len(g) != len(p):
            raise ValueError(f"sentence {i} has {len(g)} gold tags and {len(p)} predicted")
        g_set, p_set = set(get_entities(list(g))), set(get_entities(list(p)))
        counts.append((len(g_set & p_set), len(p_set), len(g_set)))
    return np.asarray(counts, dtype=float)


def _micro_f1(right: np.ndarray, predicted: np.ndarray, gold: np.ndarray, axis: int = -1):
    """Micro F1 from summed counts: 2 * right / (predicted + gold), 0 when both are empty."""
    found = predicted.sum(axis) + gold.sum(axis)
    return np.divide(2 * right.sum(axis), found, out=np.zeros_like(found, dtype=float),
                     where=found > 0)


def entity_f1(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]], *,
              seed: int = 0) -> Estimate:
    """Return seqeval's micro entity F1 in points, with its interval (bootstrap over sentences)."""
    counts = _entity_counts(gold, predicted)
    result = bootstrap(tuple(counts.T), _micro_f1, paired=True, vectorized=True,
                       n_resamples=RESAMPLES, confidence_level=CONFIDENCE, method="percentile",
                       rng=np.random.default_rng(seed))
    low, high = result.confidence_interval
    return Estimate(100 * float(_micro_f1(*counts.T)), 100 * low, 100 * high)


def entity_f1_difference(gold: Sequence[Sequence[str]], predicted_a: Sequence[Sequence[str]],
                         predicted_b: Sequence[Sequence[str]], *, seed: int = 0) -> Estimate:
    """Return entity F1 of a minus b in points on the same sentences, by paired bootstrap."""
    a, b = _entity_counts(gold, predicted_a), _entity_counts(gold, predicted_b)

    def gap(right_a, found_a, right_b, found_b, gold_count, axis=-1):
        return (_micro_f1(right_a, found_a, gold_count, axis)
                - _micro_f1(right_b, found_b, gold_count, axis))

    data = (a[:, 0], a[:, 1], b[:, 0], b[:, 1], a[:, 2])
    result = bootstrap(data, gap, paired=True, vectorized=True, n_resamples=RESAMPLES,
                       confidence_level=CONFIDENCE, method="percentile",
                       rng=np.random.default_rng(seed))
    low, high = result.confidence_interval
    return Estimate(100 * float(gap(*data)), 100 * low, 100 * high)
