"""Checked exercises of notebook 08: right answers pass, plausible wrong ones fail with the
mistake named. Masking runs on 400 training sentences; exercise 5's trained heads are tiny
models on the packaged vocabulary, "trained" by setting what the check reads."""

import pytest
import torch
from exercise_asserts import assert_incorrect
from transformers import BertConfig, BertForPreTraining, BertTokenizer

from bert_tutorial.data import movie_review_splits
from bert_tutorial.exercises import CORRECT, NOT_ATTEMPTED, ch08
from bert_tutorial.exercises.ch08 import (
    ____,
    exercise1,
    exercise2,
    exercise3,
    exercise4,
    exercise5,
)
from bert_tutorial.mlm import IGNORE, mask_tokens
from bert_tutorial.modeling import MaskedPositionsLM
from bert_tutorial.models import model_path
from bert_tutorial.scaling import training_flops

TOKENIZER = BertTokenizer.from_pretrained(model_path())
SENTENCES = [r.text for r in movie_review_splits()["train"][:400]]
CORPUS = TOKENIZER(SENTENCES, padding=True, return_tensors="pt", return_special_tokens_mask=True)
IDS, SPECIAL = CORPUS["input_ids"], CORPUS["special_tokens_mask"]
REAL = (SPECIAL == 0).sum().item()


def masked(rate=0.4):
    return mask_tokens(IDS, SPECIAL, TOKENIZER.mask_token_id, len(TOKENIZER), rate,
                       torch.Generator().manual_seed(0))  # fmt: skip


INPUTS, LABELS = masked()
MASKS = INPUTS == TOKENIZER.mask_token_id
OF_ALL = (MASKS & (SPECIAL == 0)).sum().item() / REAL
OF_CHOSEN = MASKS[LABELS != IGNORE].float().mean().item()


# Exercise 1 · masking at 40% ------------------------------------------------------------


def test_exercise1_accepts_the_share_of_real_tokens():
    feedback = exercise1.check(INPUTS, LABELS, IDS, SPECIAL, OF_ALL, why="b")
    assert feedback.outcome == CORRECT, feedback
    assert abs(OF_ALL - 0.32) < 0.01  # 0.4 x 0.8, as the message says


def with_cls_chosen():
    labels = LABELS.clone()
    labels[:, 0] = IDS[:, 0]
    return labels


@pytest.mark.parametrize(
    "inputs, labels, of_all, why, fragment",
    [
        (*masked(0.15), OF_ALL, "b", "mask at 40%"),
        (INPUTS, with_cls_chosen(), OF_ALL, "b", "[CLS], [SEP] or padding"),
        (IDS, LABELS, OF_ALL, "b", "BERT's recipe is 80% [MASK]"),
        (INPUTS, LABELS, MASKS.sum().item() / MASKS.numel(), "b", "padding included"),
        (INPUTS, LABELS, OF_CHOSEN, "b", "share among the chosen"),
        (INPUTS, LABELS, 100 * OF_ALL, "b", "a percentage"),
        (INPUTS, LABELS, 0.4, "b", "of the real tokens are [MASK] in your inputs"),
        (INPUTS, LABELS, OF_ALL, "a", "can still see"),
        (INPUTS, LABELS, OF_ALL, "c", "does not depend on the rate"),
        (INPUTS.tolist(), LABELS, OF_ALL, "b", "expected a tensor"),
        (INPUTS[:10], LABELS, OF_ALL, "b", "expected (400,"),
        (INPUTS, LABELS, "0.32", "b", "expected a number"),
    ],
)
def test_exercise1_names_the_mistake(inputs, labels, of_all, why, fragment):
    assert_incorrect(exercise1.check(inputs, labels, IDS, SPECIAL, of_all, why=why), fragment)


def test_exercise1_not_attempted():
    assert exercise1.check(____, ____, IDS, SPECIAL, ____, why=____).outcome == NOT_ATTEMPTED


# Exercise 2 · whole-word masking ------------------------------------------------------------


def split_word_counts(word_ids, chosen):
    positions_of = {}
    for position, word in enumerate(word_ids):
        if word is not None:
            positions_of.setdefault(word, []).append(position)
    picked = [[chosen[p] for p in ps] for ps in positions_of.values() if len(ps) > 1]
    return sum(any(p) for p in picked), sum(any(p) and not all(p) for p in picked)


def every_word(word_ids, chosen):  # single-piece words counted too
    words = {w for w, c in zip(word_ids, chosen, strict=True) if w is not None and c}
    return len(words), 0


def per_piece(word_ids, chosen):  # pieces counted instead of words
    pieces = [c for i, (w, c) in enumerate(zip(word_ids, chosen, strict=True))
              if w is not None and w in word_ids[i + 1 :] + word_ids[:i]]  # fmt: skip
    return sum(pieces), 0


def test_exercise2_accepts_word_counts_and_no_visible_piece():
    feedback = exercise2.check(split_word_counts, 2063, 0)
    assert feedback.outcome == CORRECT, feedback


@pytest.mark.parametrize(
    "function, hit, partial, fragment",
    [
        (every_word, 2063, 0, "a word of one piece is not a split word"),
        (per_piece, 2063, 0, "it is hit, and partial"),
        (lambda w, c: split_word_counts(w, c)[::-1], 2063, 0, "hit, not partial"),
        (split_word_counts, 2063, 1245, "whole_word_mask=True"),
        (split_word_counts, 40, 0, "count over all the training sentences"),
        (split_word_counts, 2063.0, 0, "expected a whole number"),
        (lambda w, c: len(w), 2063, 0, "a pair (hit, partial)"),
        (lambda w, c: w[5], 2063, 0, "IndexError"),
        (None, 2063, 0, "expected your function"),
    ],
)
def test_exercise2_names_the_mistake(function, hit, partial, fragment):
    assert_incorrect(exercise2.check(function, hit, partial), fragment)


# Exercise 3 · both of BERT's heads ----------------------------------------------------------

MODEL, REPORT = BertForPreTraining.from_pretrained(model_path(), output_loading_info=True)
NEW = sorted(REPORT["missing_keys"])
NSP = ["cls.seq_relationship.bias", "cls.seq_relationship.weight"]


def test_exercise3_accepts_the_new_weights_and_the_next_sentence_head():
    feedback = exercise3.check(NEW, NSP, 770)
    assert feedback.outcome == CORRECT, feedback
    assert set(NSP) <= set(NEW) and MODEL.cls.seq_relationship.out_features == 2


@pytest.mark.parametrize(
    "new, nsp, size, fragment",
    [
        ([k for k in NEW if "seq_relationship" not in k], NSP, 770, "missing ['cls.seq_rel"),
        (NEW + ["bert.pooler.dense.weight"], NSP, 770, "not new: ['bert.pooler"),
        (NEW, [k for k in NEW if k.startswith("cls.predictions")], 770, "masked-language"),
        (NEW, NSP, 768, "the weight matrix only"),
        (NEW, NSP, 2, "count the numbers"),
        (NEW, NSP[0], 770, "expected a list of strings"),
        ("cls", NSP, 770, "expected a list of strings"),
    ],
)
def test_exercise3_names_the_mistake(new, nsp, size, fragment):
    assert_incorrect(exercise3.check(new, nsp, size), fragment)


# Exercise 4 · what bigger pretraining costs -------------------------------------------------

LARGE = BertConfig(hidden_size=1024, num_hidden_layers=24, num_attention_heads=16,
                   intermediate_size=4096)  # fmt: skip
ROBERTA = BertConfig(vocab_size=50265, max_position_embeddings=514, type_vocab_size=1)
FLOPS = {
    "BERT-large": training_flops(900_000 * 256 * 128, 128, LARGE, num_frozen_layers=0)
    + training_flops(100_000 * 256 * 512, 512, LARGE, num_frozen_layers=0),
    "RoBERTa-base": training_flops(500_000 * 8000 * 512, 512, ROBERTA, num_frozen_layers=0),
}
SPEED = 2e11  # FLOP/s
YEARS = {name: value / SPEED / (365 * 24 * 3600) for name, value in FLOPS.items()}


def test_exercise4_accepts_the_costs():
    feedback = exercise4.check(FLOPS, SPEED, YEARS)
    assert feedback.outcome == CORRECT, feedback
    assert 10 < FLOPS["RoBERTa-base"] / FLOPS["BERT-large"] < 20


@pytest.mark.parametrize(
    "flops, speed, years, fragment",
    [
        ({**FLOPS, "RoBERTa-base": training_flops(500_000 * 8000 * 128, 128, ROBERTA, 0)},
         SPEED, YEARS, "at 128 tokens"),
        ({**FLOPS, "BERT-large": training_flops(900_000 * 256 * 128, 128, LARGE, 0)},
         SPEED, YEARS, "miss part of its schedule"),
        ({**FLOPS, "BERT-large": 6 * 340e6 * 1_000_000 * 256 * 512}, SPEED, YEARS,
         "times what training_flops gives"),
        (FLOPS, SPEED / 1e9, YEARS, "in FLOP/s"),
        (FLOPS, SPEED, {k: v * 365 for k, v in YEARS.items()}, "in days or hours"),
        (FLOPS, SPEED, {k: v * 2 for k, v in YEARS.items()}, "a year's seconds"),
        ({"BERT-base": 1.0}, SPEED, YEARS, 'the keys "BERT-large" and "RoBERTa-base"'),
        (FLOPS, SPEED, [1, 2], "expected a dict"),
    ],
)
def test_exercise4_names_the_mistake(flops, speed, years, fragment):
    assert_incorrect(exercise4.check(flops, speed, years), fragment)


# Exercise 5 · the frozen body at other learning rates ---------------------------------------


def head_run(frozen=True, steps=25):
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(TOKENIZER), hidden_size=32, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=64)  # fmt: skip
    model = MaskedPositionsLM(config)
    model.bert.requires_grad_(not frozen)
    return model, [2.0] * steps


RUNS = {2e-4: head_run(), 1e-2: head_run()}


def test_exercise5_accepts_two_head_only_runs():
    feedback = exercise5.check(RUNS, why="b")
    assert feedback.outcome == CORRECT, feedback


@pytest.mark.parametrize(
    "runs, why, fragment",
    [
        ({2e-4: head_run(), 1e-2: head_run(frozen=False)}, "b", "the body of runs[0.01]"),
        ({2e-4: head_run(steps=64), 1e-2: head_run()}, "b", "took 64 steps"),
        ({2e-3: head_run(), 1e-2: head_run()}, "b", "expected 2e-4 and 1e-2"),
        ({2e-4: head_run()}, "b", "expected 2e-4 and 1e-2"),
        ({"small": head_run(), 1e-2: head_run()}, "b", "expected 2e-4 and 1e-2"),
        ({2e-4: head_run()[0], 1e-2: head_run()}, "b", "expected (model, losses)"),
        ([head_run(), head_run()], "b", "expected a dict"),
        (RUNS, "a", "near the trainable body's scores"),
        (RUNS, "c", "cannot show"),
    ],
)
def test_exercise5_names_the_mistake(runs, why, fragment):
    assert_incorrect(exercise5.check(runs, why=why), fragment)


def test_exercise5_names_a_head_that_scores_like_a_trained_body(monkeypatch):
    monkeypatch.setattr(ch08, "held_out_top5", lambda model: 0.45)
    assert_incorrect(exercise5.check(RUNS, why="b"), "too often for a head on a frozen body")


def test_exercise5_scores_the_heads_on_held_out_sentences():
    assert 0 <= ch08.held_out_top5(RUNS[2e-4][0]) < 0.05  # a random head on the vocabulary
