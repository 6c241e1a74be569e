"""The noise floor: bootstrap intervals of an accuracy and of a paired difference."""

import numpy as np
import pytest

from bert_tutorial import noise


def test_accuracy_interval_holds_the_score_and_narrows_with_more_examples():
    rng = np.random.default_rng(0)
    small, large = rng.random(200) < 0.7, rng.random(5_000) < 0.7
    for correct in (small, large):
        estimate = noise.accuracy(correct)
        assert estimate.value == pytest.approx(100 * correct.mean())
        assert estimate.low < estimate.value < estimate.high
    width = [noise.accuracy(c).high - noise.accuracy(c).low for c in (small, large)]
    assert width[1] < width[0] / 3  # about sqrt(25) = 5 times narrower
    assert noise.accuracy(large) == noise.accuracy(large)  # seeded


def test_paired_difference_sees_a_small_consistent_gain_that_unpaired_intervals_miss():
    rng = np.random.default_rng(1)
    a = rng.random(1_000) < 0.7
    b = a.copy()
    b[np.flatnonzero(a)[:20]] = False  # b is a, wrong on 20 more examples: 2 points lower
    diff = noise.difference(a, b)
    assert diff.value == pytest.approx(2.0)
    assert 0 < diff.low < diff.high < 4  # the pairing makes a 2-point gap clear
    overlap = noise.accuracy(b).high > noise.accuracy(a).low  # unpaired intervals overlap
    assert overlap and noise.verdict(diff).endswith("beyond noise")


def test_verdict_calls_an_interval_spanning_zero_noise():
    rng = np.random.default_rng(2)
    a, b = rng.random(300) < 0.6, rng.random(300) < 0.6
    diff = noise.difference(a, b)
    assert diff.low < 0 < diff.high
    assert noise.verdict(diff).endswith("within noise") and "95% interval" in noise.verdict(diff)


def test_results_of_other_lengths_or_shapes_are_refused():
    with pytest.raises(ValueError, match="same examples: got 3 and 2"):
        noise.difference([True, False, True], [True, False])
    with pytest.raises(ValueError, match="one right/wrong value per example"):
        noise.accuracy([[True, False]])
