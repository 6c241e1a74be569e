"""Checked exercises of notebook 05: right answers pass, plausible wrong ones fail with the
mistake named. Stand-ins replace the long parts: a trained Trainer is a tiny model with a
Trainer's state, a pipeline's output is a list of labels."""

from types import SimpleNamespace

import pytest
from datasets import Dataset
from exercise_asserts import assert_incorrect
from transformers import BertConfig, BertForSequenceClassification, TrainerCallback

from bert_tutorial.data import movie_review_splits
from bert_tutorial.exercises import CORRECT, NOT_ATTEMPTED
from bert_tutorial.exercises.ch05 import (
    ____,
    embedding_shares,
    exercise1,
    exercise2,
    exercise3,
    exercise4,
    exercise5,
)
from bert_tutorial.modeling import BertSentenceClassifier, freeze_layers

CONFIG = {"vocab_size": 120, "hidden_size": 32, "num_hidden_layers": 3, "num_attention_heads": 2,
          "intermediate_size": 64, "num_labels": 2}  # fmt: skip
# Per-sentence results on 500 validation sentences: the mean-pooling head gains 60 (beyond
# noise) or gains 14 and loses 8 (within noise) over the pooler head.
POOLER = [i % 4 != 0 for i in range(500)]
FAR = [right or i < 240 for i, right in enumerate(POOLER)]
CLOSE = [(right or i in set(range(0, 56, 4))) and i not in set(range(1, 9))
         for i, right in enumerate(POOLER)]  # fmt: skip


def fake_trainer(model_class, frozen=2, steps=25, examples=800):
    model = freeze_layers(model_class(BertConfig(**CONFIG)), frozen)
    return SimpleNamespace(model=model, state=SimpleNamespace(global_step=steps),
                           train_dataset=list(range(examples)))  # fmt: skip


def test_exercise1_accepts_both_heads_and_the_right_verdict():
    pooler = fake_trainer(BertForSequenceClassification)
    mean = fake_trainer(BertSentenceClassifier)
    feedback = exercise1.check(pooler, mean, POOLER, FAR, "beyond noise")
    assert feedback.outcome == CORRECT, feedback
    assert "mean pooling - pooler: +" in feedback.message
    assert exercise1.check(pooler, mean, POOLER, CLOSE, "within noise").outcome == CORRECT


@pytest.mark.parametrize(
    "pooler, mean, verdict, fragment",
    [
        (fake_trainer(BertSentenceClassifier), fake_trainer(BertSentenceClassifier),
         "beyond noise", "use AutoModelForSequenceClassification"),
        (fake_trainer(BertForSequenceClassification), fake_trainer(BertForSequenceClassification),
         "beyond noise", "BertSentenceClassifier"),
        (fake_trainer(BertForSequenceClassification), fake_trainer(BertSentenceClassifier, 0),
         "beyond noise", "freeze the same layers"),
        (fake_trainer(BertForSequenceClassification, steps=0), fake_trainer(BertSentenceClassifier),
         "beyond noise", "call pooler_trainer.train()"),
        (fake_trainer(BertForSequenceClassification), fake_trainer(BertSentenceClassifier,
                                                                   examples=8454),
         "beyond noise", "trained on 8,454 sentences"),
        (fake_trainer(BertForSequenceClassification), fake_trainer(BertSentenceClassifier,
                                                                   steps=50),
         "beyond noise", "25 and 50 steps"),
        (fake_trainer(BertForSequenceClassification), fake_trainer(BertSentenceClassifier),
         "within noise", '"beyond noise", not "within noise"'),
    ],
)  # fmt: skip
def test_exercise1_names_the_mistake(pooler, mean, verdict, fragment):
    assert_incorrect(exercise1.check(pooler, mean, POOLER, FAR, verdict), fragment)


@pytest.fixture(scope="module")
def shares():
    return embedding_shares()


def test_exercise2_accepts_the_word_embedding_shares(shares):
    feedback = exercise2.check(shares, why="a")
    assert feedback.outcome == CORRECT, feedback
    assert feedback.message.startswith("DeBERTa-v3-base spends 54%")
    rounded = {name: round(share, 2) for name, share in shares.items()}
    assert exercise2.check(rounded, why="a").outcome == CORRECT


def test_exercise2_names_the_mistake(shares):
    assert_incorrect(exercise2.check({k: 100 * v for k, v in shares.items()}, why="a"),
                     "percentages")
    assert_incorrect(exercise2.check(embedding_shares(everything=True), why="a"),
                     "every embedding")
    assert_incorrect(exercise2.check({k: 1 - v for k, v in shares.items()}, why="a"),
                     "outside the word embeddings")
    assert_incorrect(exercise2.check({**shares, "ALBERT-base": 0.05}, why="a"),
                     "shares['ALBERT-base'] is 0.050")
    assert_incorrect(exercise2.check({"BERT-base": 0.21}, why="a"), "has no 'BERT-large'")
    assert_incorrect(exercise2.check(shares, why="b"), "128-wide", "not the largest")
    assert_incorrect(exercise2.check(list(shares.values()), why="a"), "expected {model name")


@pytest.fixture(scope="module")
def rated():
    train = movie_review_splits()["train"]
    return Dataset.from_dict({"text": [r.text for r in train], "label": [r.label for r in train],
                              "rating": [r.rating for r in train]})  # fmt: skip


def test_exercise3_accepts_the_filtered_rows_and_their_positive_share(rated):
    clear = rated.filter(lambda row: abs(row["rating"]) >= 1)
    share = sum(clear["label"]) / len(clear)
    feedback = exercise3.check(clear, share)
    assert feedback.outcome == CORRECT, feedback
    assert "7,331 of 8,454" in feedback.message


def test_exercise3_names_the_mistake(rated):
    clear = rated.filter(lambda row: abs(row["rating"]) >= 1)
    share = sum(clear["label"]) / len(clear)
    strict = rated.filter(lambda row: abs(row["rating"]) > 1)
    assert_incorrect(exercise3.check(strict, share), "|rating| > 1")
    assert_incorrect(exercise3.check(rated, share), "filter it")
    assert_incorrect(exercise3.check(clear.remove_columns("rating"), share), "'rating' column")
    assert_incorrect(exercise3.check(clear.select(range(100)), share), "7,331 sentences")
    assert_incorrect(exercise3.check(clear, 100 * share), "a percentage")
    assert_incorrect(exercise3.check(clear, 1 - share), "negative")
    assert_incorrect(exercise3.check(clear, 0.7), "kept sentences are positive")
    assert_incorrect(exercise3.check(clear.to_list(), share), "expected the Dataset")


LABELS = ["POSITIVE" if i % 3 else "NEGATIVE" for i in range(256)]
SWAPPED = ["POSITIVE", "NEGATIVE", "NEGATIVE", *LABELS[3:]]  # the first three labels changed


def test_exercise4_accepts_any_positive_times_with_the_same_labels():
    for seconds in ({1: 4.0, 8: 2.0, 64: 2.1}, {1: 1.0, 8: 3.0, 64: 0.5}):
        labels = {1: LABELS, 8: list(LABELS), 64: list(LABELS)}
        feedback = exercise4.check(seconds, labels, why="a")
        assert feedback.outcome == CORRECT, feedback
        assert "4.0" not in feedback.message  # the times are the learner's machine's


@pytest.mark.parametrize(
    "seconds, labels, why, fragment",
    [
        ({1: 4.0, 8: 2.0}, {1: LABELS, 8: LABELS}, "a", "one entry per batch size"),
        ({1: 4.0, 8: 2.0, 64: 0}, {1: LABELS, 8: LABELS, 64: LABELS}, "a", "positive time"),
        ({1: 4.0, 8: 2.0, 64: 1.0}, {1: LABELS, 8: LABELS, 64: SWAPPED}, "a",
         "differs from labels[1] for 3 of the 256"),
        ({1: 4.0, 8: 2.0, 64: 1.0}, {1: LABELS[:64], 8: LABELS[:64], 64: LABELS[:64]}, "a",
         "256 test sentences"),
        ({1: 4.0, 8: 2.0, 64: 1.0}, {1: LABELS, 8: LABELS, 64: LABELS}, "b", "fewer"),
    ],
)  # fmt: skip
def test_exercise4_names_the_mistake(seconds, labels, why, fragment):
    assert_incorrect(exercise4.check(seconds, labels, why=why), fragment)


class LossRecorder(TrainerCallback):
    """The worked answer."""

    def __init__(self):
        self.steps, self.losses = [], []

    def on_log(self, args, state, control, logs=None, **kwargs):
        if logs and "loss" in logs:
            self.steps.append(state.global_step)
            self.losses.append(logs["loss"])


class EveryLoss(LossRecorder):
    def on_log(self, args, state, control, logs=None, **kwargs):
        if logs:
            loss = logs.get("loss", logs.get("eval_loss", logs.get("train_loss")))
            self.steps.append(state.global_step)
            self.losses.append(loss)


class SummaryToo(LossRecorder):
    def on_log(self, args, state, control, logs=None, **kwargs):
        if logs and ("loss" in logs or "train_loss" in logs):
            self.steps.append(state.global_step)
            self.losses.append(logs.get("loss", logs.get("train_loss")))


class CountsCalls(LossRecorder):
    def on_log(self, args, state, control, logs=None, **kwargs):
        if logs and "loss" in logs:
            self.losses.append(logs["loss"])
            self.steps.append(len(self.losses))


class NoneBreaks(LossRecorder):
    def on_log(self, args, state, control, logs=None, **kwargs):
        if "loss" in logs:
            super().on_log(args, state, control, logs=logs)


def run_of(steps):
    recorder = LossRecorder()
    recorder.steps, recorder.losses = list(steps), [0.7 - 0.01 * i for i in range(len(steps))]
    return recorder


def test_exercise5_accepts_the_worked_callback_and_its_run():
    feedback = exercise5.check(LossRecorder, run_of(range(5, 30, 5)))
    assert feedback.outcome == CORRECT, feedback
    assert "logged 5 of them" in feedback.message


@pytest.mark.parametrize(
    "recorder_class, recorder, fragment",
    [
        (EveryLoss, run_of(range(5, 30, 5)), "eval_loss"),
        (SummaryToo, run_of(range(5, 30, 5)), "closing summary"),
        (CountsCalls, run_of(range(5, 30, 5)), "state.global_step"),
        (NoneBreaks, run_of(range(5, 30, 5)), "TypeError"),
        (LossRecorder, run_of(range(1, 26)), "logging_steps=5"),
        (LossRecorder, run_of([]), "logging_steps=5"),
        (LossRecorder, SimpleNamespace(losses=[0.5]), "no .steps"),
        (LossRecorder(), run_of(range(5, 30, 5)), "expected your class"),
    ],
)
def test_exercise5_names_the_mistake(recorder_class, recorder, fragment):
    assert_incorrect(exercise5.check(recorder_class, recorder), fragment)


@pytest.mark.parametrize(
    "exercise, args",
    [
        (exercise1, (____, ____, ____, ____, ____)),
        (exercise2, (____, ____)),
        (exercise3, (____, ____)),
        (exercise4, (____, ____, ____)),
        (exercise5, (LossRecorder, ____)),
    ],
    ids=lambda value: getattr(value, "title", ""),
)
def test_the_placeholder_means_not_attempted(exercise, args):
    feedback = exercise.check(*args)
    assert feedback.outcome == NOT_ATTEMPTED and "____" in feedback.message
