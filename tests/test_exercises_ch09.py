"""Checked exercises of notebook 09: right answers pass, plausible wrong ones fail with the
mistake named. The learner's functions are written here as a learner would; per-pair results
stand in for the cross-encoder's predictions."""

import random

import pytest
from exercise_asserts import assert_incorrect
from transformers import BertTokenizer

from bert_tutorial.exercises import CORRECT, NOT_ATTEMPTED
from bert_tutorial.exercises.ch09 import (
    ____,
    exercise1,
    exercise2,
    exercise3,
    exercise4,
    exercise5,
)
from bert_tutorial.models import model_path
from bert_tutorial.pairs import Pair
from bert_tutorial.training import TokenizedDataset, tokenize_sentences

TOKENIZER = BertTokenizer.from_pretrained(model_path())
# Per-pair results on 400 held-out pairs: the second loses 60 of the first's (beyond noise) or
# gains 6 and loses 8 (within noise).
TRAINED = [i % 4 != 0 for i in range(400)]
FAR = [right and i >= 240 for i, right in enumerate(TRAINED)]
CLOSE = [(right or i in {0, 4, 8, 12, 16, 20}) and i not in range(1, 12)
         for i, right in enumerate(TRAINED)]  # fmt: skip


# Exercise 1 · truncation ----------------------------------------------------------------


def truncating(strategy, max_length=128):
    def encode(question, passage):
        return TOKENIZER(question, passage, truncation=strategy, max_length=max_length)

    return encode


@pytest.mark.parametrize("strategy", ["only_second", "longest_first", True])
def test_exercise1_accepts_a_truncation_that_keeps_the_question(strategy):
    feedback = exercise1.check(truncating(strategy), why="b")
    assert feedback.outcome == CORRECT, feedback


def test_exercise1_accepts_tensors():
    def encode(question, passage):
        return TOKENIZER(question, passage, truncation="only_second", max_length=128,
                         return_tensors="pt")  # fmt: skip

    assert exercise1.check(encode, why="B").outcome == CORRECT


@pytest.mark.parametrize(
    "encode, why, fragment",
    [
        (truncating("only_first"), "b", "cut the passage instead"),
        (truncating(False), "b", "expected at most 128"),
        (truncating("only_second", 64), "b", "where 128 fit"),
        (lambda q, p: TOKENIZER(q + " " + p, truncation=True, max_length=128), "b",
         "two texts as two arguments"),
        (lambda q, p: TOKENIZER(p, q, truncation="only_first", max_length=128), "b",
         "the question lost tokens"),
        (truncating("only_second"), "a", "refuses"),
        (truncating("only_second"), "c", "never touches the passage"),
        (lambda q, p: TOKENIZER.tokenize(q), "b", "expected the tokenizer's output"),
        ("only_second", "b", "expected your function"),
    ],
)
def test_exercise1_names_the_mistake(encode, why, fragment):
    assert_incorrect(exercise1.check(encode, why=why), fragment)


def test_exercise1_not_attempted():
    def encode(question, passage):
        return ____

    assert exercise1.check(encode, why="b").outcome == NOT_ATTEMPTED
    assert exercise1.check(truncating("only_second"), why=____).outcome == NOT_ATTEMPTED


# Exercise 2 · every segment id set to 0 ---------------------------------------------------


def one_segment(dataset):
    return TokenizedDataset({**e, "token_type_ids": [0] * len(e["input_ids"])} for e in dataset)


def in_place(dataset):
    for example in dataset:
        example["token_type_ids"] = [0] * len(example["input_ids"])
    return dataset


def test_exercise2_accepts_zeroed_segments_and_the_right_verdict():
    feedback = exercise2.check(one_segment, TRAINED, FAR, "beyond noise")
    assert feedback.outcome == CORRECT, feedback
    assert "beyond noise" in feedback.message
    assert exercise2.check(one_segment, TRAINED, CLOSE, "within noise").outcome == CORRECT


def test_exercise2_accepts_segments_left_out():  # BERT reads no token_type_ids as all 0
    def drop(dataset):
        return [{k: v for k, v in e.items() if k != "token_type_ids"} for e in dataset]

    assert exercise2.check(drop, TRAINED, FAR, "beyond noise").outcome == CORRECT


@pytest.mark.parametrize(
    "function, trained, no_segments, verdict, fragment",
    [
        (in_place, TRAINED, FAR, "beyond noise", "changed the dataset it was given"),
        (lambda d: TokenizedDataset({**e, "token_type_ids": [1] * len(e["input_ids"])}
                                    for e in d), TRAINED, FAR, "beyond noise", "one 0 per token"),
        (lambda d: TokenizedDataset({**e, "input_ids": [0] * len(e["input_ids"])} for e in d),
         TRAINED, FAR, "beyond noise", "changed the examples' input_ids"),
        (lambda d: d, TRAINED, FAR, "beyond noise", "one 0 per token"),
        (one_segment, TRAINED, FAR, "within noise", 'so it is "beyond noise"'),
        (one_segment, TRAINED, CLOSE, "beyond noise", 'so it is "within noise"'),
        (one_segment, TRAINED, TRAINED, "within noise", "the same results"),
        (one_segment, TRAINED, FAR[:100], "beyond noise", "same held-out pairs"),
        (one_segment, TRAINED, [0.7] * 400, "beyond noise", "one True/False per held-out pair"),
        (lambda d: None, TRAINED, FAR, "beyond noise", "expected a dataset"),
    ],
)
def test_exercise2_names_the_mistake(function, trained, no_segments, verdict, fragment):
    assert_incorrect(exercise2.check(function, trained, no_segments, verdict), fragment)


# Exercise 3 · hard negatives --------------------------------------------------------------


def hardest_negative(scores, gold):
    others = [i for i in range(len(scores)) if i != gold]
    return max(others, key=lambda i: scores[i])


def test_exercise3_accepts_the_closest_other_sentence_and_the_verdict():
    feedback = exercise3.check(hardest_negative, TRAINED, FAR, "beyond noise")
    assert feedback.outcome == CORRECT, feedback


def test_exercise3_accepts_a_masked_argmax():
    def masked(scores, gold):
        scores = scores.clone()
        scores[gold] = float("-inf")
        return scores.argmax()  # a 0-d tensor

    assert exercise3.check(masked, TRAINED, FAR, "beyond noise").outcome == CORRECT


@pytest.mark.parametrize(
    "function, wins_random, wins_hard, verdict, fragment",
    [
        (lambda s, g: int(s.argmax()), TRAINED, FAR, "beyond noise", "the answer's own sentence"),
        (lambda s, g: min((i for i in range(len(s)) if i != g), key=lambda i: s[i]), TRAINED,
         FAR, "beyond noise", "the farthest sentence"),
        (lambda s, g: float(s[hardest_negative(s, g)]), TRAINED, FAR, "beyond noise",
         "expected a whole number"),
        (lambda s, g: len(s), TRAINED, FAR, "beyond noise", "not a sentence's index"),
        (hardest_negative, FAR, TRAINED, "beyond noise", "more often than a random one"),
        (hardest_negative, TRAINED, FAR, "within noise", 'so it is "beyond noise"'),
        (hardest_negative, TRAINED, [True] * 399, "beyond noise", "same questions"),
    ],
)
def test_exercise3_names_the_mistake(function, wins_random, wins_hard, verdict, fragment):
    assert_incorrect(exercise3.check(function, wins_random, wins_hard, verdict), fragment)


# Exercise 4 · the texts swapped -----------------------------------------------------------

TEST_PAIRS = [
    Pair(f"Question number {i} about topic {i % 7}?", f"A sentence {i} about topic {i % 5}.",
         i % 2, "article")  # fmt: skip
    for i in range(9)
]


def tokenized(pairs, swap=True):
    first = [p.text_pair if swap else p.text for p in pairs]
    second = [p.text if swap else p.text_pair for p in pairs]
    return tokenize_sentences(first, [p.label for p in pairs], TOKENIZER, num_labels=2,
                              text_pairs=second)  # fmt: skip


def test_exercise4_accepts_the_swapped_pairs_and_the_verdict():
    feedback = exercise4.check(tokenized(TEST_PAIRS), TEST_PAIRS, TRAINED, CLOSE, "within noise")
    assert feedback.outcome == CORRECT, feedback


@pytest.mark.parametrize(
    "dataset, swapped, verdict, fragment",
    [
        (tokenized(TEST_PAIRS, swap=False), CLOSE, "within noise", "starts with the question"),
        (tokenized(TEST_PAIRS[::-1]), CLOSE, "within noise", "keep the test pairs' order"),
        (tokenized(TEST_PAIRS[:5]), CLOSE, "within noise", "tokenize every test pair"),
        (tokenized(random.Random(0).sample(TEST_PAIRS, 9)), CLOSE, "within noise", "order"),
        (tokenized(TEST_PAIRS), CLOSE, "beyond noise", 'so it is "within noise"'),
        (tokenized(TEST_PAIRS), TRAINED, "within noise", "the same results"),
        (None, CLOSE, "within noise", "expected a dataset"),
    ],
)
def test_exercise4_names_the_mistake(dataset, swapped, verdict, fragment):
    assert_incorrect(exercise4.check(dataset, TEST_PAIRS, TRAINED, swapped, verdict), fragment)


def test_exercise4_names_a_wrong_label():
    dataset = tokenized(TEST_PAIRS)
    dataset.features[0] = {**dataset.features[0], "labels": 1 - TEST_PAIRS[0].label}
    assert_incorrect(exercise4.check(dataset, TEST_PAIRS, TRAINED, CLOSE, "within noise"),
                     "label is not test pair 0's")  # fmt: skip


# Exercise 5 · forward passes --------------------------------------------------------------


def passes(bi, cross, rerank, key="rerank top k"):
    return lambda n, q, k: {"bi-encoder": bi(n, q, k), "cross-encoder": cross(n, q, k),
                            key: rerank(n, q, k)}  # fmt: skip


RIGHT = passes(lambda n, q, k: n + q, lambda n, q, k: n * q, lambda n, q, k: n + q + k * q)


def test_exercise5_accepts_the_counts():
    feedback = exercise5.check(RIGHT)
    assert feedback.outcome == CORRECT, feedback
    assert exercise5.check(passes(lambda n, q, k: q + n, lambda n, q, k: q * n,
                                  lambda n, q, k: n + (k + 1) * q, key="Rerank")).outcome == CORRECT


@pytest.mark.parametrize(
    "function, fragment",
    [
        (passes(lambda n, q, k: n * q, lambda n, q, k: n * q, lambda n, q, k: n + q + k * q),
         "embeds each sentence and each question once"),
        (passes(lambda n, q, k: n + q, lambda n, q, k: n + q, lambda n, q, k: n + q + k * q),
         "reads every (question, sentence) pair"),
        (passes(lambda n, q, k: n + q, lambda n, q, k: n * q, lambda n, q, k: k * q),
         "whose passes count too"),
        (passes(lambda n, q, k: n + q, lambda n, q, k: n * q, lambda n, q, k: n + q + k),
         "k sentences per question"),
        (passes(lambda n, q, k: n + q, lambda n, q, k: n * q, lambda n, q, k: n + q + k * n),
         "k sentences per question"),
        (passes(lambda n, q, k: n + q, lambda n, q, k: n * q, lambda n, q, k: n + q, key="top k"),
         'one key with each of "bi", "cross" and "rerank"'),
        (passes(lambda n, q, k: n + q, lambda n, q, k: n * q / 1, lambda n, q, k: n + q + k * q),
         "expected a whole number"),
        (lambda n, q, k: (n + q, n * q, n + q + k * q), "expected a dict"),
        (lambda n, q, k: n / 0, "ZeroDivisionError"),
        (42, "expected your function"),
    ],
)
def test_exercise5_names_the_mistake(function, fragment):
    assert_incorrect(exercise5.check(function), fragment)


def test_exercise5_not_attempted():
    unfinished = passes(lambda *a: ____, lambda *a: 1, lambda *a: 1)
    assert exercise5.check(unfinished).outcome == NOT_ATTEMPTED
    assert exercise5.check(____).outcome == NOT_ATTEMPTED


def test_exercise2_not_attempted_while_the_examples_are_placeholders():
    def unfinished(dataset):
        return TokenizedDataset(____ for example in dataset)

    assert exercise2.check(unfinished, TRAINED, FAR, "beyond noise").outcome == NOT_ATTEMPTED
    assert exercise2.check(unfinished, TRAINED, ____, ____).outcome == NOT_ATTEMPTED
