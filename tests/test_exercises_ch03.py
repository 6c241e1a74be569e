"""Checked exercises of notebook 03: right artefacts pass, plausible wrong ones fail with the
mistake named. Tiny models stand in for trained ones: the checks read which weights train,
loss curves, per-sentence results and a model class, not how well a long run did."""


import pytest
import torch
from exercise_asserts import assert_incorrect
from torch import nn
from transformers import BertConfig, BertForSequenceClassification
from transformers.modeling_outputs import SequenceClassifierOutput

from bert_tutorial.exercises import CORRECT, NOT_ATTEMPTED
from bert_tutorial.exercises.ch03 import (
    ____,
    exercise1,
    exercise2,
    exercise3,
    exercise4,
    exercise5,
)
from bert_tutorial.modeling import BertSentenceClassifier, freeze_layers

EXERCISES = [exercise1, exercise2, exercise3, exercise4, exercise5]
CONFIG = {"vocab_size": 120, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2,
          "intermediate_size": 64}  # fmt: skip
SECONDS = {"frozen": 10.0, "unfrozen": 14.5}
# Per-sentence results of two runs on 500 sentences: 14 gained and 8 lost (within noise), or
# 60 gained (beyond noise).
BASE = [i % 4 != 0 for i in range(500)]  # 75% right
GAINED, LOST = set(range(0, 56, 4)), set(range(1, 9))
CLOSE = [(right or i in GAINED) and i not in LOST for i, right in enumerate(BASE)]
FAR = [right or i < 240 for i, right in enumerate(BASE)]
FALLING = [0.70 - 0.01 * step for step in range(25)]



def tiny_classifier(num_layers_frozen=0, embeddings=False):
    model = BertSentenceClassifier(BertConfig(**CONFIG, num_labels=2))
    return freeze_layers(model, num_layers_frozen, embeddings=embeddings)


class RatingRegressor(BertSentenceClassifier):
    """The worked answer to exercise 5."""

    def forward(self, input_ids, attention_mask, token_type_ids=None, labels=None):
        logits = super().forward(input_ids, attention_mask, token_type_ids).logits  # (batch, 1)
        loss = None if labels is None else nn.functional.mse_loss(logits.squeeze(-1), labels)
        return SequenceClassifierOutput(loss=loss, logits=logits)


class BroadcastLoss(BertSentenceClassifier):
    """MSE of (batch, 1) logits against (batch,) labels: every pair, silently."""

    def forward(self, input_ids, attention_mask, token_type_ids=None, labels=None):
        logits = super().forward(input_ids, attention_mask, token_type_ids).logits  # (batch, 1)
        if labels is None:
            return SequenceClassifierOutput(logits=logits)
        grid = labels.expand(len(labels), -1)  # what (batch, 1) against (batch,) broadcasts to
        return SequenceClassifierOutput(loss=nn.functional.mse_loss(logits.expand_as(grid), grid),
                                        logits=logits)  # fmt: skip


class ClassesNotRatings(BertSentenceClassifier):
    """The classifier unchanged: cross-entropy on float ratings."""


class TwoOutputs(RatingRegressor):
    """A head with two outputs whatever the config says."""

    def __init__(self, config):
        super().__init__(config)
        self.classifier = nn.Linear(config.hidden_size, 2)


@pytest.mark.parametrize(
    "exercise, args",
    [
        (exercise1, (____, SECONDS, BASE, CLOSE, ____)),
        (exercise2, (____, ____, ____, BASE, ____)),
        (exercise3, ({2e-5: ____, 3e-4: ____}, ____)),
        (exercise4, (____, ____)),
        (exercise5, (RatingRegressor, ____, BASE, ____)),
    ],
    ids=lambda value: getattr(value, "title", ""),
)
def test_the_placeholder_means_not_attempted(exercise, args):
    feedback = exercise.check(*args)
    assert feedback.outcome == NOT_ATTEMPTED and "____" in feedback.message


# Exercise 1 ------------------------------------------------------------------------------


def test_exercise1_accepts_every_weight_trainable_and_the_right_verdict():
    feedback = exercise1.check(tiny_classifier(), SECONDS, BASE, CLOSE, "within noise")
    assert feedback.outcome == CORRECT and "+1.2 points" in feedback.message
    assert exercise1.check(tiny_classifier(), SECONDS, BASE, FAR, "beyond noise").outcome == CORRECT


@pytest.mark.parametrize(
    "model, seconds, frozen, unfrozen, verdict, fragments",
    [
        (tiny_classifier(0, embeddings=True), SECONDS, BASE, CLOSE, "within noise",
         ["embeddings are still frozen", "embeddings=False"]),
        (tiny_classifier(1), SECONDS, BASE, CLOSE, "within noise", ["still frozen", "layer 0"]),
        (tiny_classifier(), SECONDS, BASE, CLOSE, "beyond noise",
         ["spans zero", 'so it is "within noise"']),
        (tiny_classifier(), SECONDS, BASE, FAR, "within noise", ['"beyond noise"']),
        (tiny_classifier(), SECONDS, BASE, BASE, "within noise", ["the same results"]),
        (tiny_classifier(), SECONDS, BASE, CLOSE[:400], "within noise", ["the same validation"]),
        (tiny_classifier(), SECONDS, BASE, CLOSE, "better", ['expected "within noise"']),
        (tiny_classifier(), {"frozen": 10.0}, BASE, CLOSE, "within noise", ["expected {"]),
        (tiny_classifier(), {**SECONDS, "unfrozen": -1}, BASE, CLOSE, "within noise",
         ["positive number"]),
        (tiny_classifier(), SECONDS, 0.75, CLOSE, "within noise", ["one True/False"]),
        (tiny_classifier(), SECONDS, [0.5] * 500, CLOSE, "within noise", ["0.5 is not"]),
        ("model", SECONDS, BASE, CLOSE, "within noise", ["expected the model"]),
    ],
)  # fmt: skip
def test_exercise1_names_the_mistake(model, seconds, frozen, unfrozen, verdict, fragments):
    assert_incorrect(exercise1.check(model, seconds, frozen, unfrozen, verdict), *fragments)


def test_exercise1_takes_tensors_of_right_and_wrong():
    unfrozen = torch.tensor(CLOSE)
    assert exercise1.check(tiny_classifier(), SECONDS, BASE, unfrozen, "within noise").outcome == (
        CORRECT
    )


# Exercise 2 ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def builtin():
    return BertForSequenceClassification(BertConfig(**CONFIG, num_labels=2))


def test_exercise2_accepts_a_trained_builtin_head_and_the_right_verdict(builtin):
    feedback = exercise2.check(builtin, FALLING, BASE, FAR, "beyond noise")
    assert feedback.outcome == CORRECT and "0.68 -> 0.48" in feedback.message


def test_exercise2_names_the_mistake(builtin):
    three = BertForSequenceClassification(BertConfig(**CONFIG, num_labels=3))
    frozen_head = BertForSequenceClassification(BertConfig(**CONFIG, num_labels=2))
    frozen_head.classifier.requires_grad_(False)
    for args, fragment in [
        ((tiny_classifier(), FALLING, BASE, FAR, "beyond noise"), "load BertForSequence"),
        ((three, FALLING, BASE, FAR, "beyond noise"), "pass num_labels=2"),
        ((frozen_head, FALLING, BASE, FAR, "beyond noise"), "classifier is frozen"),
        ((builtin, FALLING[::-1], BASE, FAR, "beyond noise"), "the loss did not fall"),
        ((builtin, [torch.tensor(0.5)] * 20, BASE, FAR, "beyond noise"), "loss.item()"),
        ((builtin, FALLING[:3], BASE, FAR, "beyond noise"), "one per training step"),
        ((builtin, FALLING, BASE, FAR, "within noise"), 'so it is "beyond noise"'),
    ]:
        assert_incorrect(exercise2.check(*args), fragment)


# Exercise 3 ------------------------------------------------------------------------------

SLOW = [0.70 - 0.002 * step for step in range(25)]  # 2e-5: barely leaves 0.69
FAST = [0.70 - 0.008 * step for step in range(25)]  # 3e-4


def test_exercise3_accepts_fresh_runs_and_the_right_reading():
    curves = {2e-5: SLOW, 1e-4: FALLING, 3e-4: FAST}
    assert exercise3.check(curves, why="a").outcome == CORRECT


def test_exercise3_names_the_mistake():
    continued = [0.45 - 0.001 * step for step in range(25)]  # trained on top of another run
    for args, fragment in [
        (({2e-5: FAST, 3e-4: SLOW}, "a"), "start from a fresh pretrained model"),
        (({2e-5: continued, 3e-4: [0.7 - 0.015 * s for s in range(25)]}, "a"), "continued"),
        (({2e-5: SLOW}, "a"), "no run at lr 0.0003"),
        (({2e-5: SLOW, 3e-4: FAST[:20]}, "a"), "took 25 and 20 steps"),
        (({2e-5: SLOW, 3e-4: FAST}, "b"), "falls slower"),
        (({2e-5: SLOW, 3e-4: FAST}, "c"), "changes the curves"),
        (([SLOW, FAST], "a"), "expected {2e-5: losses"),
    ]:
        assert_incorrect(exercise3.check(*args[:1], why=args[1]), fragment)


# Exercise 4 ------------------------------------------------------------------------------


def test_exercise4_accepts_the_peak_counted_from_one():
    assert exercise4.check([0.730, 0.768], 2).outcome == CORRECT
    assert "stop after epoch 1" in exercise4.check([0.80, 0.75], 1).message


@pytest.mark.parametrize(
    "history, best_epoch, fragment",
    [
        ([0.730, 0.768], 1, "an index from 0"),
        ([0.80, 0.75], 2, "the last epoch is not the best"),
        ([0.80, 0.75, 0.70], 3, "peaked after epoch 1"),
        ([0.73], 1, "validate after each of 2 epochs"),
        ([73.0, 76.8], 2, "between 0 and 1"),
        (0.768, 2, "expected one validation accuracy per epoch"),
        ([0.730, 0.768], "2", "expected a whole number"),
    ],
)
def test_exercise4_names_the_mistake(history, best_epoch, fragment):
    assert_incorrect(exercise4.check(history, best_epoch), fragment)


# Exercise 5 ------------------------------------------------------------------------------


def test_exercise5_accepts_the_worked_regressor_and_the_right_verdict():
    feedback = exercise5.check(RatingRegressor, CLOSE, BASE, "within noise")
    assert feedback.outcome == CORRECT, feedback


@pytest.mark.parametrize(
    "model_class, fragment",
    [
        (BroadcastLoss, "squeeze(-1)"),
        (ClassesNotRatings, "use an MSE loss"),
        (TwoOutputs, "expected (batch, 1)"),
        (RatingRegressor(BertConfig(**CONFIG, num_labels=1)), "pass the class itself"),
        (dict, "could not be built from a config"),
    ],
)
def test_exercise5_names_the_mistake(model_class, fragment):
    assert_incorrect(exercise5.check(model_class, CLOSE, BASE, "within noise"), fragment)


def test_exercise5_reads_the_verdict():
    assert_incorrect(exercise5.check(RatingRegressor, CLOSE, BASE, "beyond noise"), "spans zero")
