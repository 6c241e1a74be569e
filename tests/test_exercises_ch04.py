"""Checked exercises of notebook 04: right answers pass, plausible wrong ones fail with the
mistake named. Hand-made tweets and tag lists stand in for the dataset and trained taggers: the
checks read encodings, which layers train, tags and a function, not how well a long run did."""

from collections import Counter

import pytest
from exercise_asserts import assert_incorrect
from transformers import BertConfig

from bert_tutorial.align import b_to_i_continuation
from bert_tutorial.data import TaggedSentence
from bert_tutorial.exercises import CORRECT, NOT_ATTEMPTED
from bert_tutorial.exercises.ch04 import (
    ____,
    count_confusions,
    exercise1,
    exercise2,
    exercise3,
    exercise4,
    exercise5,
    spans,
)
from bert_tutorial.modeling import BertTokenClassifier, freeze_layers
from bert_tutorial.ner import encode_tagged, entities

LABELS = ["O", "B-geo-loc", "I-geo-loc", "B-person", "I-person"]
LABEL2ID = {name: i for i, name in enumerate(LABELS)}
ID2LABEL = dict(enumerate(LABELS))
TWEETS = [
    TaggedSentence(("flooding", "in", "mississippi", "again"), ("O", "O", "B-geo-loc", "O")),
    TaggedSentence(("schwarzenegger", "visits", "Los", "Angeles"),
                   ("B-person", "O", "B-geo-loc", "I-geo-loc")),
]  # fmt: skip
CONFIG = {"vocab_size": 120, "hidden_size": 32, "num_hidden_layers": 4, "num_attention_heads": 2,
          "intermediate_size": 64, "num_labels": 5}  # fmt: skip
# Validation tags of 300 two-word tweets, each with one person: a reference that finds 70% of
# them, a variant that finds 6 more and misses 5 of them (within noise) and one that finds far
# fewer (beyond noise).
GOLD = [["B-person", "O"] for _ in range(300)]
REFERENCE = [["B-person" if i % 10 < 7 else "O", "O"] for i in range(300)]
CLOSE = [["B-person" if (i % 10 < 7 or i % 50 == 9) and i % 60 else "O", "O"] for i in range(300)]
FAR = [["B-person" if i % 10 < 3 else "O", "O"] for i in range(300)]


@pytest.fixture(scope="module")
def encodings(tokenizer):
    first = encode_tagged(TWEETS, tokenizer, LABEL2ID)
    every = encode_tagged(TWEETS, tokenizer, LABEL2ID, label_all_tokens=True,
                          continuation=b_to_i_continuation(LABELS))
    no_continuation = encode_tagged(TWEETS, tokenizer, LABEL2ID, label_all_tokens=True)
    return first, every, no_continuation


def labelled(encoded):
    return sum(label != -100 for f in encoded.dataset.features for label in f["labels"])


def ex1(every, more, first_tags=REFERENCE, every_tags=CLOSE, verdict="within noise"):
    return exercise1.check(every, more, TWEETS, ID2LABEL, GOLD, first_tags, every_tags, verdict)


def test_exercise1_accepts_every_subtoken_labels_and_a_right_verdict(encodings):
    first, every, _ = encodings
    more = labelled(every) - labelled(first)
    assert more > 0  # mississippi and schwarzenegger are several pieces each
    feedback = ex1(every, more)
    assert feedback.outcome == CORRECT, feedback
    assert f"{more:,} more tokens" in feedback.message and "within noise" in feedback.message
    assert ex1(every, more, every_tags=FAR, verdict="beyond noise").outcome == CORRECT


def test_exercise1_names_the_mistake(encodings, tokenizer):
    first, every, no_continuation = encodings
    more = labelled(every) - labelled(first)
    assert_incorrect(ex1(no_continuation, more), "continuation piece", "B-person",
                     "schwarzenegger", "b_to_i_continuation")
    assert_incorrect(ex1(first, 0), "has no label", "label_all_tokens=True")
    assert_incorrect(ex1(every, labelled(every)), "every labelled token, not how many more")
    assert_incorrect(ex1(every, more, every_tags=FAR), '"beyond noise", not "within noise"')
    assert_incorrect(ex1(every, more, every_tags=REFERENCE), "same tags")
    swapped = encode_tagged(TWEETS[::-1], tokenizer, LABEL2ID, label_all_tokens=True,
                            continuation=b_to_i_continuation(LABELS))
    assert_incorrect(ex1(swapped, more), "same order")
    assert_incorrect(ex1(every, more, every_tags=[t[:1] for t in CLOSE]), "one tag per original")
    assert_incorrect(ex1(every, more, every_tags=[[1, 0]] * 300), "id2label")
    assert_incorrect(ex1(every, str(more)), "expected a whole number")


def tiny_tagger(num_frozen_layers, embeddings=True):
    return freeze_layers(BertTokenClassifier(BertConfig(**CONFIG)), num_frozen_layers,
                         embeddings=embeddings)


def trainable(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def ex2(model, fewer, seconds=None, frozen_tags=CLOSE, verdict="within noise"):
    seconds = {0: 0.32, 2: 0.25} if seconds is None else seconds
    return exercise2.check(model, fewer, seconds, GOLD, REFERENCE, frozen_tags, verdict)


def test_exercise2_accepts_two_frozen_layers_and_any_positive_timings():
    frozen = tiny_tagger(2)
    fewer = trainable(tiny_tagger(0)) - trainable(frozen)
    feedback = ex2(frozen, fewer)
    assert feedback.outcome == CORRECT, feedback
    assert "0.32" not in feedback.message  # a timing is the learner's machine's, never quoted
    assert ex2(frozen, fewer, {0: 0.2, 2: 0.3}).outcome == CORRECT  # a slow moment is no error


def test_exercise2_names_the_mistake():
    frozen = tiny_tagger(2)
    fewer = trainable(tiny_tagger(0)) - trainable(frozen)
    counted_from_one = tiny_tagger(3)
    counted_from_one.bert.encoder.layer[0].requires_grad_(True)
    assert_incorrect(ex2(counted_from_one, fewer), "count layers from 0")
    assert_incorrect(ex2(tiny_tagger(1), fewer), "layer 0", "freeze_layers(model, 2)")
    assert_incorrect(ex2(frozen, fewer / 1e6), "not millions")
    all_frozen = trainable(tiny_tagger(0, embeddings=False)) - trainable(frozen)
    assert_incorrect(ex2(frozen, all_frozen), "counts the embeddings too")
    assert_incorrect(ex2(frozen, fewer, {"0 layers": 0.3, "2 layers": 0.2}), "{0: ..., 2: ...}")
    assert_incorrect(ex2(frozen, fewer, {0: 0.3, 2: -1.0}), "positive number")
    assert_incorrect(ex2(frozen, fewer, frozen_tags=FAR), '"beyond noise", not "within noise"')
    assert_incorrect(ex2(frozen, fewer, verdict="better"), 'expected "within noise"')


# Exercise 3: test tags with a missed person read as a place, a boundary error and a find.
TEST_GOLD = [["B-person", "I-person", "O"], ["B-geo-loc", "I-geo-loc", "O"], ["B-person", "O", "O"]]
TEST_PREDICTED = [["B-geo-loc", "B-person", "O"], ["B-geo-loc", "O", "O"],
                  ["B-person", "O", "O"]]  # fmt: skip


def test_spans_read_tags_as_ner_entities_does():
    words = ["a", "b", "c"]
    for tags in [*TEST_GOLD, *TEST_PREDICTED, ["I-person", "I-geo-loc", "B-person"]]:
        found = [(kind, " ".join(words[s:e])) for kind, s, e in spans(tags)]
        assert found == entities(words, tags)


def test_exercise3_accepts_the_counts_per_missed_entity():
    right = Counter({("person", "geo-loc"): 1})
    feedback = exercise3.check(right, TEST_GOLD, TEST_PREDICTED)
    assert feedback.outcome == CORRECT, feedback
    assert "person predicted as geo-loc (1)" in feedback.message
    assert exercise3.check(dict(right), TEST_GOLD, TEST_PREDICTED).outcome == CORRECT


def test_exercise3_names_boundary_errors_counted_as_confusions():
    wrong = count_confusions(TEST_GOLD, TEST_PREDICTED, same_type=True)  # place within place
    assert_incorrect(exercise3.check(wrong, TEST_GOLD, TEST_PREDICTED), "boundary error")


def test_exercise3_names_the_mistake():
    gold = [["B-person", "I-person", "O", "B-geo-loc"]]
    predicted = [["B-geo-loc", "B-geo-loc", "O", "B-geo-loc"]]  # two places inside one person
    assert count_confusions(gold, predicted) == Counter({("person", "geo-loc"): 1})
    every = count_confusions(gold, predicted, once_per_type=False)
    assert_incorrect(exercise3.check(every, gold, predicted), "every overlapping prediction")
    found_too = [["B-person", "I-person", "O"]]
    predicted_found = [["B-person", "I-person", "O"]]
    assert count_confusions(found_too, predicted_found) == Counter()
    right = Counter({("person", "geo-loc"): 1})
    swapped = Counter({("geo-loc", "person"): 1})
    assert_incorrect(exercise3.check(swapped, TEST_GOLD, TEST_PREDICTED), "(predicted type, gold")
    assert_incorrect(exercise3.check(right.most_common(5), TEST_GOLD, TEST_PREDICTED),
                     "whole Counter")
    assert_incorrect(exercise3.check(Counter({("B-person", "B-geo-loc"): 1}), TEST_GOLD,
                                     TEST_PREDICTED), "without B-/I-")
    assert_incorrect(exercise3.check(Counter({("person", "geo-loc"): 3}), TEST_GOLD,
                                     TEST_PREDICTED), "is 3", "gives 1")
    assert_incorrect(exercise3.check(right, TEST_GOLD, TEST_PREDICTED[:2]), "tags 2 sentences")


def test_exercise3_names_entities_found_counted_too():
    gold = [["B-person", "I-person", "O"]]
    predicted = [["B-person", "I-person", "B-geo-loc"]]
    wrong = count_confusions(gold, predicted, missed_only=False, same_type=True)
    assert wrong == Counter({("person", "person"): 1}) and not count_confusions(gold, predicted)
    assert_incorrect(exercise3.check(wrong, gold, predicted), "found too")


# Exercise 4: 4 tweets, 15 words, 12 of them right; 2 of the 5 entity words right; per tweet
# 1/3, 2/3, 1 and 1 right.
WORD_GOLD, WORD_PREDICTED = [*TEST_GOLD, ["O"] * 6], [*TEST_PREDICTED, ["O"] * 6]


def test_exercise4_accepts_the_accuracy_over_every_word_and_the_why():
    feedback = exercise4.check(12 / 15, WORD_GOLD, WORD_PREDICTED, why="a")
    assert feedback.outcome == CORRECT, feedback
    assert "0.800 over 15 words" in feedback.message


@pytest.mark.parametrize(
    "accuracy, why, fragment",
    [
        (100 * 12 / 15, "a", "a percentage"),
        ((1 / 3 + 2 / 3 + 1 + 1) / 4, "a", "mean of per-tweet accuracies"),
        (2 / 5, "a", "entity words only"),
        (0.5, "a", "it is 0.800"),
        (12 / 15, "b", 'not "b"'),
        (12 / 15, "z", "expected one of"),
        ("0.67", "a", "expected a number"),
    ],
)
def test_exercise4_names_the_mistake(accuracy, why, fragment):
    assert_incorrect(exercise4.check(accuracy, WORD_GOLD, WORD_PREDICTED, why=why), fragment)


# Exercise 5: stand-ins for tag_text, right and wrong, with no model behind them.
PLACES = {"paris", "berlin", "brooklyn", "chicago", "york"}


def gazetteer(text):
    words = text.split()
    tags = ["B-geo-loc" if w.lower() in PLACES else "O" for w in words]
    return entities(words, tags)


def capitals(text):
    words = text.split()
    return entities(words, ["B-person" if w[:1].isupper() else "O" for w in words])


def test_exercise5_accepts_a_function_that_returns_the_texts_own_entities():
    feedback = exercise5.check(gazetteer)
    assert feedback.outcome == CORRECT, feedback


@pytest.mark.parametrize(
    "function, fragment",
    [
        (capitals, "once it is lowercased"),
        (lambda text: ["O" for _ in text.split()] or [], "one tag per word"),
        (lambda text: [{"entity_group": "geo-loc", "word": w} for w in text.split()
                       if w.lower() in PLACES], "the pipeline's"),
        (lambda text: [("B-geo-loc", w) for w in text.split() if w.lower() in PLACES],
         "without B-/I-"),
        (lambda text: [(k, e.upper()) for k, e in gazetteer(text)], "words of the text"),
        (lambda text: [(k, e) for k, e in gazetteer(text)][::-1], "in the order"),
        (lambda text: gazetteer(text) + [("person", "x")] * (len(text) > 100), "words of the"),
        (lambda text: [("geo-loc", text)] if not text.strip() else gazetteer(text), "no entities"),
        (lambda text: gazetteer(text.split()[0]), "IndexError"),
        (lambda text: __import__("random").sample(gazetteer(text), len(gazetteer(text))),
         "two different answers"),
    ],
)
def test_exercise5_names_the_mistake(function, fragment):
    import random

    random.seed(1)
    assert_incorrect(exercise5.check(function), fragment)


@pytest.mark.parametrize(
    "exercise, args",
    [
        (exercise1, (____, ____, TWEETS, ID2LABEL, GOLD, REFERENCE, ____, ____)),
        (exercise2, (____, ____, ____, GOLD, REFERENCE, ____, ____)),
        (exercise3, (____, TEST_GOLD, TEST_PREDICTED)),
        (exercise4, (____, TEST_GOLD, TEST_PREDICTED, ____)),
        (exercise5, (lambda text: ____,)),
    ],
    ids=lambda value: getattr(value, "title", ""),
)
def test_the_placeholder_means_not_attempted(exercise, args):
    feedback = exercise.check(*args)
    assert feedback.outcome == NOT_ATTEMPTED and "____" in feedback.message


@pytest.mark.parametrize(
    "exercise, args, fragment",
    [
        (exercise1, ("encoded", 1, TWEETS, ID2LABEL, GOLD, REFERENCE, CLOSE, "within noise"),
         "what encode_tagged returns"),
        (exercise2, (None, 1, {}, GOLD, REFERENCE, CLOSE, "within noise"), "expected the model"),
        (exercise3, ({"person": 1}, TEST_GOLD, TEST_PREDICTED), "(gold type, predicted type)"),
        (exercise4, (0.5, "O O B-person", TEST_PREDICTED, "a"), "list of"),
        (exercise5, ("tag_text",), "expected your function"),
    ],
    ids=lambda value: getattr(value, "title", ""),
)
def test_a_wrong_type_gives_a_message_not_a_traceback(exercise, args, fragment):
    assert_incorrect(exercise.check(*args), fragment)


def test_the_code_solutions_3_to_5_show_passes_their_checks(tokenizer):
    from transformers import BertConfig

    from bert_tutorial.data import TaggedSentence
    from bert_tutorial.ner import predict_word_tags

    config = BertConfig(**{**CONFIG, "vocab_size": tokenizer.vocab_size}, id2label=ID2LABEL,
                        label2id=LABEL2ID)
    model = BertTokenClassifier(config).eval()  # random weights: tags of no meaning, any shape
    namespace = {
        "Counter": Counter, "gold_tags": TEST_GOLD, "predicted_tags": TEST_PREDICTED,
        "TaggedSentence": TaggedSentence, "encode_tagged": encode_tagged, "entities": entities,
        "predict_word_tags": predict_word_tags, "tokenizer": tokenizer, "model": model,
        "label2id": LABEL2ID, "id2label": ID2LABEL, "device": "cpu",
        "exercise3": exercise3, "exercise4": exercise4, "exercise5": exercise5,
    }  # fmt: skip
    for exercise in (exercise3, exercise4, exercise5):
        call = f"exercise{exercise.number}.check("
        exec(exercise.solution().code.replace(call, f"feedback = {call}"), namespace)
        assert namespace["feedback"].outcome == CORRECT, namespace["feedback"]
