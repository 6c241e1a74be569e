"""Checked exercises of notebook 06: right answers pass, plausible wrong ones fail with the
mistake named. Script runs are stood in for by the run.json dicts they leave; the rest is
recomputed from Accelerate's shards and notebook 06's scaling model."""

import pytest
from exercise_asserts import assert_incorrect

from bert_tutorial.exercises import CORRECT, NOT_ATTEMPTED
from bert_tutorial.exercises.ch06 import (
    ____,
    efficiency,
    exercise1,
    exercise2,
    exercise3,
    exercise4,
    exercise5,
    smallest_batch,
)


def run(processes, steps=16, losses=(0.68, 0.69, 0.70), max_examples=512, batch_size=32):
    settings = {"max_examples": max_examples, "recipe": {"batch_size": batch_size}}
    return {"num_processes": processes, "steps": steps, "losses": list(losses),
            "settings": settings}  # fmt: skip


ONE, TWO = run(1), run(2, losses=(0.69, 0.69, 0.70))


def test_exercise1_accepts_two_runs_with_the_same_steps_and_the_why():
    feedback = exercise1.check(ONE, TWO, why="a")
    assert feedback.outcome == CORRECT, feedback
    assert "16 steps" in feedback.message


@pytest.mark.parametrize(
    "one, two, why, fragment",
    [
        (TWO, ONE, "a", "swap them"),
        (ONE, run(4), "a", "expected 1 and 2"),
        (ONE, run(2, max_examples=256), "a", "--max-examples 256"),
        (ONE, run(2, steps=32, losses=(0.7,)), "a", "same --batch-size"),
        (ONE, run(2), "a", "very same losses"),
        (ONE, TWO, "b", "half of every batch"),
        (ONE, TWO, "c", "averages"),
        ({"losses": []}, TWO, "a", "expected what run_finetune returned"),
    ],
)
def test_exercise1_names_the_mistake(one, two, why, fragment):
    assert_incorrect(exercise1.check(one, two, why=why), fragment)


MESSAGE = ("finetune: --batch-size 7 does not split evenly across 2 processes; use a multiple "
           "of 2")  # fmt: skip


def test_exercise2_accepts_batch_six_and_seven_refused():
    feedback = exercise2.check(run(2, steps=4, batch_size=6), MESSAGE, why="a")
    assert feedback.outcome == CORRECT, feedback


@pytest.mark.parametrize(
    "six, message, why, fragment",
    [
        (run(1, steps=4, batch_size=6), MESSAGE, "a", "torchrun --nproc_per_node 2"),
        (run(2, steps=4, batch_size=32), MESSAGE, "a", "--batch-size 6"),
        (run(2, steps=4, batch_size=6), None, "a", "catch the RuntimeError"),
        (run(2, steps=4, batch_size=6), MESSAGE, "b", "any number of processes"),
        (run(2, steps=4, batch_size=6), MESSAGE, "c", "padding"),
    ],
)
def test_exercise2_names_the_mistake(six, message, why, fragment):
    assert_incorrect(exercise2.check(six, message, why=why), fragment)


def test_exercise3_accepts_the_short_batch_and_its_filling():
    feedback = exercise3.check(10, 10, 20)
    assert feedback.outcome == CORRECT, feedback
    assert "20 sentences" in feedback.message


@pytest.mark.parametrize(
    "answer, fragment",
    [
        ((30, 10, 20), "after Accelerate filled it"),
        ((3, 10, 20), "leave 10 for the last"),
        ((10, 3, 20), "10 split over 3"),
        ((10, 10, 0), "from the start of the epoch"),
        ((10, 10, 10), "1,020 rows for 1,000 distinct"),
        ((10.0, 10, 20), "whole number"),
    ],
)
def test_exercise3_names_the_mistake(answer, fragment):
    assert_incorrect(exercise3.check(*answer), fragment)


def test_exercise4_accepts_the_smallest_batches():
    right = smallest_batch(overlap=True), smallest_batch(overlap=False)
    assert right[0] < right[1]
    # the first batch at 90%: one less falls short
    assert efficiency("bert-base", right[0] - 1, 8, "100 Gb Ethernet") < 0.9
    feedback = exercise4.check(*right)
    assert feedback.outcome == CORRECT, feedback


@pytest.mark.parametrize(
    "options, fragment",
    [
        ({"frozen_only": False}, "frozen weights too"),
        ({"bytes_per": 2}, "2 bytes per gradient"),
        ({"own_share": False}, "default backward share"),
    ],
)
def test_exercise4_names_the_slip(options, fragment):
    wrong = smallest_batch(overlap=True, **options), smallest_batch(overlap=False, **options)
    assert_incorrect(exercise4.check(*wrong), fragment)


def test_exercise4_names_swapped_and_unexplained_answers():
    right = smallest_batch(overlap=True), smallest_batch(overlap=False)
    assert_incorrect(exercise4.check(right[1], right[0]), "swapped")
    assert_incorrect(exercise4.check(right[0] + 5, right[1]), "counting up from 1")


def minilm(processes=64, **options):
    return [efficiency("MiniLM", 32, processes, "25 Gb Ethernet", bytes_per=size, **options)
            for size in (4, 2)]  # fmt: skip


def test_exercise5_accepts_both_efficiencies_rounded_or_not():
    fp32, bf16 = minilm()
    assert fp32 < bf16 < 0.5
    assert exercise5.check(fp32, bf16).outcome == CORRECT
    assert exercise5.check(round(fp32, 2), round(bf16, 2)).outcome == CORRECT


@pytest.mark.parametrize(
    "answer, fragment",
    [
        (lambda: [100 * v for v in minilm()], "percentages"),
        (lambda: minilm()[::-1], "swapped"),
        (lambda: minilm(processes=8), "on 8 GPUs"),
        (lambda: minilm(overlap=False), "without overlap"),
        (lambda: minilm(frozen_only=False), "frozen weights too"),
        (lambda: [0.5, 0.6], "other values"),
        (lambda: ["7%", "13%"], "expected a number"),
    ],
)
def test_exercise5_names_the_mistake(answer, fragment):
    assert_incorrect(exercise5.check(*answer()), fragment)


@pytest.mark.parametrize(
    "exercise, args",
    [
        (exercise1, (____, ____, ____)),
        (exercise2, (____, ____, ____)),
        (exercise3, (____, ____, ____)),
        (exercise4, (____, ____)),
        (exercise5, (____, ____)),
    ],
    ids=lambda value: getattr(value, "title", ""),
)
def test_the_placeholder_means_not_attempted(exercise, args):
    feedback = exercise.check(*args)
    assert feedback.outcome == NOT_ATTEMPTED and "____" in feedback.message
