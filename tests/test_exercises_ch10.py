"""Checked exercises of notebook 10: right answers pass, plausible wrong ones fail with the
mistake named. The learner's functions are written here as a learner would; the solutions
notebook runs the shown answers on the real data."""

import math
import random
from collections import Counter

import pytest
from exercise_asserts import assert_incorrect
from transformers import BertTokenizer

from bert_tutorial import noise, pairs, qa
from bert_tutorial.exercises import CORRECT, NOT_ATTEMPTED
from bert_tutorial.exercises.ch10 import (
    ____,
    baseline_scores,
    exercise1,
    exercise2,
    exercise3,
    exercise4,
    exercise5,
    held_out_examples,
    misplaced_ids,
)
from bert_tutorial.models import model_path

TOKENIZER = BertTokenizer.from_pretrained(model_path())


# Exercise 1 · how many windows ----------------------------------------------------------


def count_with(special=3, stride_used=True, rounding=math.ceil, first=1):
    def window_count(passage_tokens, question_tokens, stride, max_length):
        room = max_length - special - question_tokens
        if passage_tokens <= room:
            return 1
        step = room - stride if stride_used else room
        return first + int(rounding((passage_tokens - room) / step))

    return window_count


def tokenizer_counts():
    question = "Which NFL team represented the AFC at Super Bowl 50?"
    passage = " ".join(["the"] * 400)
    return {stride: len(TOKENIZER(question, passage, truncation="only_second", max_length=128,
                                  stride=stride, return_overflowing_tokens=True)["input_ids"])
            for stride in (32, 64, 96)}  # fmt: skip


def test_exercise1_accepts_the_formula_and_the_tokenizer_counts():
    feedback = exercise1.check(count_with(), tokenizer_counts())
    assert feedback.outcome == CORRECT, feedback


@pytest.mark.parametrize("slip, fragment", [
    ({"special": 0}, "three special tokens"),
    ({"stride_used": False}, "room - stride new tokens"),
    ({"rounding": math.floor}, "round the division up"),
    ({"first": 0}, "the first window counts too"),
])  # fmt: skip
def test_exercise1_names_the_slip_in_the_formula(slip, fragment):
    assert_incorrect(exercise1.check(count_with(**slip), tokenizer_counts()), fragment)


def test_exercise1_rejects_wrong_counts_and_half_done_answers():
    counts = {**tokenizer_counts(), 64: 6}
    assert_incorrect(exercise1.check(count_with(), counts), "counts[64] is 6")
    assert_incorrect(exercise1.check(count_with(), {32: 5}), "has the keys [32]")
    assert_incorrect(exercise1.check(lambda *a: 2.5, tokenizer_counts()), "whole number")
    assert exercise1.check(count_with(), ____).outcome == NOT_ATTEMPTED


# Exercise 2 · answers that no window holds whole ------------------------------------------


def unanswerable(stride):
    features = qa.tokenize_windows(list(held_out_examples()), TOKENIZER, max_length=128,
                                   stride=stride)
    holding = {f["example_index"] for f in features if f["start_positions"] > 0}
    return len(held_out_examples()) - len(holding), features


@pytest.mark.needs_asset("bigbench")
def test_exercise2_accepts_the_counts_and_the_reason():
    missed = {stride: unanswerable(stride)[0] for stride in (0, 64)}
    assert missed[0] > 0 and missed[64] == 0
    feedback = exercise2.check(missed, why="b")
    assert feedback.outcome == CORRECT, feedback


@pytest.mark.needs_asset("bigbench")
def test_exercise2_rejects_windows_counted_for_questions_and_a_wrong_reason():
    features = unanswerable(0)[1]
    windows = sum(f["start_positions"] == 0 for f in features)
    assert_incorrect(exercise2.check({0: windows, 64: 0}, why="b"), "count questions, not windows")
    some_cls = len({f["example_index"] for f in features if f["start_positions"] == 0})
    assert_incorrect(exercise2.check({0: some_cls, 64: 0}, why="b"), "none of whose windows")
    missed = {stride: unanswerable(stride)[0] for stride in (0, 64)}
    assert_incorrect(exercise2.check(missed, why="c"), "repeats the last")
    assert_incorrect(exercise2.check({0: missed[0], 64: 3}, why="b"), "missed[64] is 3")


# Exercise 3 · SQuAD's F1 by hand ------------------------------------------------------------


def f1_with(normalise=True, counter=True, every_gold=True, scale=1):
    def f1_by_hand(prediction, answers):
        best = 0.0
        for gold in answers if every_gold else answers[:1]:
            clean = qa.normalize_answer if normalise else (lambda text: text)
            a, b = clean(prediction).split(), clean(gold).split()
            shared = (sum((Counter(a) & Counter(b)).values()) if counter
                      else len(set(a) & set(b)))  # fmt: skip
            if shared:
                best = max(best, 2 * shared / (len(a) + len(b)))
        return scale * best

    return f1_by_hand


def test_exercise3_accepts_squad_f1_and_a_near_miss():
    feedback = exercise3.check(f1_with(), "the Denver Broncos team", ["Denver Broncos"])
    assert feedback.outcome == CORRECT, feedback
    assert exercise3.check(qa.f1, "Denver Broncos 24", ["Denver Broncos"]).outcome == CORRECT


@pytest.mark.parametrize("slip, fragment", [
    ({"normalise": False}, "normalise both texts"),
    ({"counter": False}, "Counter intersection"),
    ({"every_gold": False}, "every gold answer"),
    ({"scale": 100}, "a percentage"),
])  # fmt: skip
def test_exercise3_names_the_slip_in_f1(slip, fragment):
    assert_incorrect(exercise3.check(f1_with(**slip), "the Broncos", ["Broncos"]), fragment)


def test_exercise3_rejects_an_exact_match_and_a_low_f1():
    assert_incorrect(exercise3.check(qa.f1, "The Broncos!", ["Broncos"]), "exact match")
    assert_incorrect(exercise3.check(qa.f1, "Broncos won the game", ["Denver Broncos"]),
                     "not above 0.5")


# Exercise 4 · the first 12 words ------------------------------------------------------------


@pytest.mark.needs_asset("bigbench")
def test_exercise4_accepts_the_baselines_and_reads_the_gap():
    sentence, first = (list(s) for s in baseline_scores())
    reading = noise.verdict(noise.difference(first, sentence)).rsplit(": ", 1)[1]
    feedback = exercise4.check(sentence, first, reading)
    assert feedback.outcome == CORRECT, feedback
    other = "within noise" if reading == "beyond noise" else "beyond noise"
    assert_incorrect(exercise4.check(sentence, first, other), f'not "{other}"')


@pytest.mark.needs_asset("bigbench")
def test_exercise4_rejects_swapped_lists_percentages_and_another_cut():
    sentence, first = (list(s) for s in baseline_scores())
    assert_incorrect(exercise4.check(first, sentence, "beyond noise"), "swapped")
    assert_incorrect(exercise4.check([100 * s for s in sentence], first, "beyond noise"),
                     "not percentages")
    cut = [s * 0.9 for s in first]
    assert_incorrect(exercise4.check(sentence, cut, "beyond noise"), "first 12 words")
    assert_incorrect(exercise4.check(sentence[:10], first, "beyond noise"), "holds 10 values")


# Exercise 5 · the misplaced offsets --------------------------------------------------------


@pytest.mark.needs_asset("bigbench")
def test_exercise5_accepts_the_three_ids_and_the_reason():
    ids = list(misplaced_ids())
    assert len(ids) == 3
    feedback = exercise5.check(random.Random(0).sample(ids, 3), why="b")
    assert feedback.outcome == CORRECT, feedback


@pytest.mark.needs_asset("bigbench")
def test_exercise5_rejects_a_right_answer_a_missing_id_and_a_wrong_reason():
    ids = list(misplaced_ids())
    right = pairs.read_squad()[0]["paragraphs"][0]["qas"][0]["id"]
    assert_incorrect(exercise5.check([*ids[:2], right], why="b"), "is not a misplaced answer")
    assert_incorrect(exercise5.check(ids[:2], why="b"), "holds 2 different ids")
    assert_incorrect(exercise5.check(ids, why="a"), "the answer texts are right")
