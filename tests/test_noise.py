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


def test_a_model_against_itself_differs_by_zero_with_a_zero_width_interval():
    correct = np.random.default_rng(3).random(500) < 0.8
    diff = noise.difference(correct, correct)
    assert (diff.value, diff.low, diff.high) == (0.0, 0.0, 0.0)
    assert noise.verdict(diff).endswith("within noise")


def test_the_paired_interval_covers_a_known_difference_about_95_times_in_100():
    # Per example: both right 65%, only a 10%, only b 5%, neither 20%: a - b is 5 points.
    outcomes = np.array([[1, 1], [1, 0], [0, 1], [0, 0]], dtype=bool)
    rng = np.random.default_rng(4)
    covered = 0
    for repeat in range(200):
        draw = outcomes[rng.choice(4, size=400, p=[0.65, 0.10, 0.05, 0.20])]
        diff = noise.difference(draw[:, 0], draw[:, 1], seed=repeat)
        covered += diff.low <= 5.0 <= diff.high
    assert 0.89 <= covered / 200 <= 0.99, covered


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


def _tagged(rng, sentences):
    """Random gold tag sequences with a few one- and two-word entities each."""
    gold = []
    for _ in range(sentences):
        tags = ["O"] * 12
        for start in rng.choice(11, size=2, replace=False):
            tags[start] = f"B-{rng.choice(['person', 'geo-loc'])}"
        gold.append(tags)
    return gold


def _missing(gold, keep):
    """A prediction that finds each gold sentence's entities only where keep[i] is true."""
    return [list(tags) if k else ["O"] * len(tags) for tags, k in zip(gold, keep, strict=True)]


def test_entity_f1_is_seqeval_micro_f1_with_an_interval():
    from seqeval.metrics import f1_score

    rng = np.random.default_rng(3)
    gold = _tagged(rng, 300)
    predicted = [[t if rng.random() < 0.7 else "B-person" for t in tags] for tags in gold]
    estimate = noise.entity_f1(gold, predicted)
    assert estimate.value == pytest.approx(100 * f1_score(gold, predicted))
    assert estimate.low < estimate.value < estimate.high


def test_entity_f1_difference_is_paired_over_sentences():
    from seqeval.metrics import f1_score

    rng = np.random.default_rng(4)
    gold = _tagged(rng, 400)
    better = _missing(gold, rng.random(400) < 0.6)
    worse = [tags if i % 10 else ["O"] * len(tags) for i, tags in enumerate(better)]  # 10% fewer
    diff = noise.entity_f1_difference(gold, better, worse)
    expected = 100 * (f1_score(gold, better) - f1_score(gold, worse))
    assert diff.value == pytest.approx(expected) and diff.value > 0
    assert 0 < diff.low < diff.high  # worse loses entities in a subset only: a clear gap
    same = noise.entity_f1_difference(gold, better, better)
    assert (same.value, same.low, same.high) == (0, 0, 0)
    shuffled = _missing(gold, rng.random(400) < 0.6)
    assert noise.verdict(noise.entity_f1_difference(gold, better, shuffled)).endswith(
        "within noise")


def test_entity_f1_refuses_mismatched_tags():
    gold = [["B-person", "O"], ["O", "O"]]
    with pytest.raises(ValueError, match="same sentences"):
        noise.entity_f1(gold, gold[:1])
    with pytest.raises(ValueError, match="sentence 1 has 2 gold tags and 1 predicted"):
        noise.entity_f1(gold, [["B-person", "O"], ["O"]])
