"""Checked exercises of notebook 02: every worked answer passes, plausible wrong answers fail
with a message naming the mistake, and no wrong-typed answer ends in a traceback."""


import pytest
import torch
from exercise_asserts import assert_incorrect
from sklearn.linear_model import LogisticRegression

from bert_tutorial.data import movie_review_splits
from bert_tutorial.embed import embed_sentences, mean_pool, padding_cost
from bert_tutorial.exercises import CORRECT, NOT_ATTEMPTED
from bert_tutorial.exercises.ch02 import (
    ____,
    exercise1,
    exercise2,
    exercise3,
    exercise4,
    exercise5,
    tokenizer_and_model,
)
from bert_tutorial.timing import best_in_turns

EXERCISES = [exercise1, exercise2, exercise3, exercise4, exercise5]
TEXT = "The cat sat on the mat because it was tired."  # notebook 02, section 5
PAIRS = ["A wonderful, moving film.", "A beautiful and touching movie.",
         "The acting was terrible.", "I bought a new laptop yesterday."]  # fmt: skip



@pytest.fixture(scope="module")
def model():
    return tokenizer_and_model()[1]


@pytest.fixture(scope="module")
def reviews():
    splits = movie_review_splits()
    return splits["train"][:300], splits["test"][:120]


@pytest.mark.parametrize(
    "exercise, args",
    [
        (exercise1, (TEXT, ____, ____)),
        (exercise2, (PAIRS, ____, ____)),
        (exercise3, (["a", "b"], [0, 1], ____, ____, ____)),
        (exercise4, (lambda hidden_states, attention_mask: ____,)),
        (exercise5, (PAIRS, ____, ____, ____)),
    ],
    ids=lambda value: getattr(value, "title", ""),
)
def test_the_placeholder_means_not_attempted(exercise, args):
    feedback = exercise.check(*args)
    assert feedback.outcome == NOT_ATTEMPTED and "____" in feedback.message


def test_the_code_each_solution_shows_passes_its_check(tokenizer, model, reviews):
    train, test = reviews
    with torch.inference_mode():
        attentions = model(**tokenizer(TEXT, return_tensors="pt"), output_attentions=True)
    namespace = {
        "torch": torch, "tokenizer": tokenizer, "model": model, "device": "cpu",
        "text": TEXT, "attentions": attentions.attentions, "pairs": PAIRS,
        "train_reviews": train, "test_reviews": test, "train_labels": [r.label for r in train],
        "test_labels": [r.label for r in test], "embed_sentences": embed_sentences,
        "LogisticRegression": LogisticRegression, "mean_pool": mean_pool,
        "padding_cost": padding_cost, "sample": [r.text for r in test][:40],
        "best_in_turns": best_in_turns,
    }  # fmt: skip
    for exercise in EXERCISES:
        namespace[f"exercise{exercise.number}"] = exercise
        *body, last = exercise.solution().code.strip().splitlines()
        exec("\n".join(body), namespace)
        feedback = eval(last, namespace)
        assert feedback.outcome == CORRECT, feedback


# Exercise 1 ------------------------------------------------------------------------------


def test_exercise1_accepts_heads_that_attend_mostly_to_the_next_token_and_to_cls():
    assert exercise1.check(TEXT, (1, 8), (2, 7)).outcome == CORRECT
    assert exercise1.check(TEXT, [1, 8], (4, 5)).outcome == CORRECT  # another [CLS] head


@pytest.mark.parametrize(
    "next_head, cls_head, fragments",
    [
        ((2, 9), (2, 7), ["looks counted from 1"]),
        ((8, 1), (2, 7), ["layers are counted 0-5"]),
        ((0, 2), (2, 7), ["attends mostly to the previous token"]),
        ((1, 8), (0, 2), ["on the [CLS] token", "attends mostly to the previous token"]),
        ((1, 8), (6, 12), ["layers are counted 0-5 and heads 0-11"]),
        ((1, 8), 7, ["expected a pair (layer, head)"]),
    ],
)
def test_exercise1_names_the_mistake(next_head, cls_head, fragments):
    assert_incorrect(exercise1.check(TEXT, next_head, cls_head), *fragments)


def test_exercise1_says_when_the_text_has_no_such_head():
    assert_incorrect(exercise1.check("Hello there world", (1, 8), (2, 7)), "use section 5's")


# Exercise 2 ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pooled(tokenizer, model):
    batch = tokenizer(PAIRS, padding=True, return_tensors="pt")
    with torch.inference_mode():
        outputs = model(**batch)
    return outputs, batch["attention_mask"]


def cosine(vectors):
    vectors = torch.nn.functional.normalize(vectors, dim=-1)
    return vectors @ vectors.T


def test_exercise2_accepts_the_pooler_matrix_as_a_tensor_an_array_or_lists(pooled):
    similarity = cosine(pooled[0].pooler_output)
    for value in (similarity, similarity.numpy(), similarity.tolist()):
        assert exercise2.check(PAIRS, value, why="a").outcome == CORRECT


def test_exercise2_names_the_mistake(pooled):
    outputs, mask = pooled
    for wrong, fragment in [
        (cosine(outputs.last_hidden_state[:, 0]), "before the pooler"),
        (cosine(mean_pool(outputs.last_hidden_state, mask)), "mean-pooled"),
        (outputs.pooler_output @ outputs.pooler_output.T, "normalise them first"),
        (torch.eye(len(PAIRS)), "not the cosine similarity"),
        (cosine(outputs.pooler_output)[:2, :2], "expected (4, 4)"),
    ]:
        assert_incorrect(exercise2.check(PAIRS, wrong, why="a"), fragment)
    right = cosine(outputs.pooler_output)
    assert_incorrect(exercise2.check(PAIRS, right, why="c"), "never trained it")
    assert_incorrect(exercise2.check(PAIRS, right, why="b"), "unrelated pairs")
    assert_incorrect(exercise2.check(PAIRS, right, why="d"), 'expected one of "a", "b", "c"')


# Exercise 3 ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def classified(tokenizer, model, reviews):
    train, test = reviews
    texts, labels = [r.text for r in test], [r.label for r in test]

    def vectors(reviews, pooling):
        return embed_sentences([r.text for r in reviews], tokenizer, model, pooling=pooling,
                               progress=False)  # fmt: skip

    cls_train, cls_test = vectors(train, "cls"), vectors(test, "cls")
    classifier = LogisticRegression(max_iter=2000).fit(cls_train.numpy(), [r.label for r in train])
    accuracy = classifier.score(cls_test.numpy(), labels)
    return texts, labels, cls_test, classifier, accuracy, cls_train


def test_exercise3_accepts_cls_vectors_normalised_or_not(classified):
    texts, labels, vectors, classifier, accuracy, *_ = classified
    assert exercise3.check(texts, labels, vectors, classifier, accuracy).outcome == CORRECT
    unit = torch.nn.functional.normalize(vectors, dim=-1).numpy()
    unit_classifier = LogisticRegression(max_iter=2000).fit(unit, labels)
    feedback = exercise3.check(texts, labels, unit, unit_classifier,
                               unit_classifier.score(unit, labels))  # fmt: skip
    assert feedback.outcome == CORRECT and "95% interval" in feedback.message


def test_exercise3_names_the_mistake(classified, tokenizer, model):
    texts, labels, vectors, classifier, accuracy, *_ = classified
    batch = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.inference_mode():
        outputs = model(**batch)
    pooler = outputs.pooler_output
    mean_vectors = mean_pool(outputs.last_hidden_state, batch["attention_mask"])
    for args, fragment in [
        ((texts, labels, mean_vectors, classifier, accuracy), 'pass pooling="cls"'),
        ((texts, labels, pooler, classifier, accuracy), "pooler_output, the tanh layer"),
        ((texts, labels, vectors.flip(0), classifier, accuracy), "in order"),
        ((texts, labels, vectors, classifier, 100 * accuracy), "a percentage"),
        ((texts, labels, vectors, classifier, accuracy - 0.1), "score it on cls_test_vectors"),
        ((texts, labels, vectors, "LogisticRegression", accuracy), "expected a LogisticRegression"),
        ((texts, labels[:-1], vectors, classifier, accuracy), "one each"),
    ]:
        assert_incorrect(exercise3.check(*args), fragment)


def test_exercise3_names_a_classifier_that_learnt_nothing(classified, reviews):
    texts, labels, vectors, *_, train_cls = classified
    train_labels = [r.label for r in reviews[0]]
    blind = LogisticRegression().fit(train_cls.numpy() * 0, train_labels)  # one class for all
    accuracy = blind.score(vectors.numpy(), labels)
    feedback = exercise3.check(texts, labels, vectors, blind, accuracy)
    assert_incorrect(feedback, "the majority class", "fitted on other vectors")


# Exercise 4 ------------------------------------------------------------------------------


def pool_last_two(hidden_states, attention_mask):
    """The worked answer."""
    return mean_pool((hidden_states[-1] + hidden_states[-2]) / 2, attention_mask)


def test_exercise4_accepts_the_worked_answer_normalised_or_not():
    assert exercise4.check(pool_last_two).outcome == CORRECT

    def normalised(hidden_states, attention_mask):
        return torch.nn.functional.normalize(pool_last_two(hidden_states, attention_mask), dim=-1)

    assert exercise4.check(normalised).outcome == CORRECT


@pytest.mark.parametrize(
    "function, fragment",
    [
        (lambda h, m: ((h[-1] + h[-2]) / 2).mean(dim=1), "averages over the padding"),
        (lambda h, m: mean_pool(h[-1], m), "the last layer only"),
        (lambda h, m: mean_pool((h[0] + h[1]) / 2, m), "count from the end"),
        (lambda h, m: mean_pool(h[-1] + h[-2], m), "adds the two layers"),
        (lambda h, m: torch.cat([mean_pool(h[-1], m), mean_pool(h[-2], m)], -1), "concatenated"),
        (lambda h, m: (h[-1] + h[-2])[:, 0] / 2, "position 0"),
        (lambda h, m: mean_pool(h[-3], m), "differ from the mean-pooled average"),
        (lambda h, m: h[-1], "shape (3, 21, 384)"),
        (lambda h, m: h[7], "raised IndexError"),
        (lambda h, m: None, "is None"),
        ("last_two_layers_pool", "pass the function itself"),
    ],
)
def test_exercise4_names_the_mistake(function, fragment):
    assert_incorrect(exercise4.check(function), fragment)


# Exercise 5 ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def counted(tokenizer, reviews):
    texts = [r.text for r in reviews[1]]
    tokens = {size: padding_cost(texts, tokenizer, batch_size=size)[1] for size in (8, 32, 128)}
    return texts, tokens, {8: 150.0, 32: 180, 128: 120.5}  # speeds: any positive numbers


def test_exercise5_accepts_any_positive_speeds_with_the_right_counts(counted):
    texts, tokens, speeds = counted
    assert exercise5.check(texts, tokens, speeds, why="b").outcome == CORRECT
    slower = {size: 1 / speed for size, speed in speeds.items()}  # another machine's order
    assert exercise5.check(texts, tokens, slower, why="b").outcome == CORRECT


def test_exercise5_names_the_mistake(counted, tokenizer):
    texts, tokens, speeds = counted
    real = padding_cost(texts, tokenizer)[0]
    unsorted = {size: padding_cost(texts, tokenizer, batch_size=size, sort_by_length=False)[1]
                for size in tokens}  # fmt: skip
    for args, fragment in [
        ((texts, dict.fromkeys(tokens, real), speeds), "the real tokens"),
        ((texts, unsorted, speeds), "sorts by length"),
        ((texts, {**tokens, 8: tokens[8] + 1}, speeds), "padding_cost gives"),
        ((texts, {8: tokens[8]}, speeds), "expected a dict keyed by the batch sizes"),
        ((texts, list(tokens.values()), speeds), "keyed by a list"),
        ((texts, tokens, {**speeds, 32: -1.0}), "a positive number"),
        ((texts, tokens, {**speeds, 32: "fast"}), "a positive number"),
        ((texts, {**tokens, 8: "many"}, speeds), "expected a whole number"),
    ]:
        assert_incorrect(exercise5.check(*args, why="b"), fragment)
    assert_incorrect(exercise5.check(texts, tokens, speeds, why="a"), "pads more")
    assert_incorrect(exercise5.check(texts, tokens, speeds, why="c"), "tokens processed")
