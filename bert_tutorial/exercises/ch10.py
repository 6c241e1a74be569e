"""Checks for the five exercises of notebook 10 (extractive question answering).

Exercises 1 and 3 call the learner's function on cases they have not seen (window counts for
other sizes, F1 on other predictions) and name the usual slips: the three special tokens
forgotten, the stride ignored, a set where SQuAD counts repeated words, the first gold answer
only. Exercises 2, 4 and 5 recompute the learner's counts, scores and question ids from the
chapter's data and read their verdicts; none needs a trained model.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from functools import cache
from typing import Any

from bert_tutorial.exercises import (
    Exercise,
    Incorrect,
    ____,
    a_number,
    as_list,
    call_learner,
    choice,
    read_verdict,
    strings,
    type_name,
    whole_number,
)
from bert_tutorial.exercises.ch01 import bert_tokenizer

__all__ = ["____", "exercise1", "exercise2", "exercise3", "exercise4", "exercise5"]
SOLUTIONS = "notebooks/solutions/10_question_answering_solutions.ipynb"
MAX_LENGTH, STRIDE = 128, 64  # the chapter's windows (recipes.QA_RECIPE, QA_STRIDE)


@cache
def held_out_examples() -> tuple:
    """The chapter's 1,000 held-out questions, drawn as notebook 10 draws them."""
    import random

    from bert_tutorial import pairs, qa

    examples = qa.squad_examples(pairs.squad_article_split()["test"])
    return tuple(random.Random(0).sample(examples, 1_000))


def a_mapping(value: Any, name: str, keys: tuple, expected: str) -> Mapping:
    """Return `value` if it is a dict with exactly `keys`, else raise Incorrect saying what."""
    if not isinstance(value, Mapping):
        raise Incorrect(f"{name} is {type_name(value)}; expected {expected}")
    if sorted(value) != sorted(keys):
        raise Incorrect(f"{name} has the keys {sorted(value)}; expected {list(keys)}")
    return value


# Exercise 1 · how many windows ----------------------------------------------------------


def windows(passage: int, question: int, stride: int, max_length: int) -> int:
    """The tokenizer's window count: the first window holds `room` passage tokens, each next
    one `room - stride` new ones."""
    room = max_length - 3 - question
    return 1 if passage <= room else 1 + math.ceil((passage - room) / (room - stride))


# (passage tokens, question tokens, stride, max_length)
WINDOW_CASES = [(300, 20, 50, 128), (1_000, 9, 32, 256), (90, 10, 64, 128), (116, 10, 64, 128),
                (500, 14, 100, 384), (214, 11, 64, 128)]
WINDOW_SLIPS = {  # a wrong formula -> what it forgot
    "the three special tokens ([CLS] and two [SEP]) also take room":
        lambda p, q, s, m: windows(p, q - 3, s, m),
    "each next window adds room - stride new tokens, not room: the stride is repeated":
        lambda p, q, s, m: windows(p, q, 0, m),
    "a part-filled last window still counts: round the division up (math.ceil)":
        lambda p, q, s, m: 1 + (p - (m - 3 - q)) // (m - 3 - q - s) if p > m - 3 - q else 1,
    "the first window counts too: add 1 to the windows after it":
        lambda p, q, s, m: windows(p, q, s, m) - (p > m - 3 - q),
}  # fmt: skip


def check_windows(window_count: Any, counts: Any) -> str:
    """Exercise 1: the window-count formula on unseen sizes; the tokenizer's counts at 3 strides."""
    if not callable(window_count):
        raise Incorrect(f"window_count is {type_name(window_count)}; expected your function "
                        "window_count(passage_tokens, question_tokens, stride, max_length)")
    given = []
    for case in WINDOW_CASES:
        text = "a passage of {} tokens, a question of {}, stride {}, max_length {}".format(*case)
        given.append((case, text, whole_number(call_learner(window_count, *case, case=text),
                                               f"window_count on {text}")))
    wrong = [(case, text, count) for case, text, count in given if count != windows(*case)]
    if wrong:
        slip = next((why for why, slipped in WINDOW_SLIPS.items()
                     if all(slipped(*case) == count for case, _, count in given)),
                    "count the passage tokens the first window holds, then the new ones each "
                    "next window adds")
        case, text, count = wrong[0]
        raise Incorrect(f"on {text} you count {count} windows; the tokenizer makes "
                        f"{windows(*case)}: {slip}")
    counts = a_mapping(counts, "counts", (32, 64, 96), "a dict {stride: windows}")
    for stride in (32, 64, 96):
        count = whole_number(counts[stride], f"counts[{stride}]")
        if count != windows(400, 11, stride, MAX_LENGTH):
            raise Incorrect(f"counts[{stride}] is {count}, not what the tokenizer makes for a "
                            "400-token passage and an 11-token question: build a passage of "
                            'exactly 400 tokens ("the" repeated) and count len(...["input_ids"]) '
                            "with return_overflowing_tokens=True")
    return ("1 + ceil((passage - room) / (room - stride)) windows, room = max_length - 3 - "
            "question tokens; it agrees with the tokenizer")


exercise1 = Exercise(
    number=1,
    todo="replace each ____: the body of window_count and the tokenizer's window counts at "
    "strides 32, 64 and 96; then run the cell",
    expects="a function window_count(passage_tokens, question_tokens, stride, max_length) "
    "returning a whole number, and a dict {32: ..., 64: ..., 96: ...} of whole numbers",
    checker=check_windows,
    hint_text="A window holds [CLS], the question, [SEP], passage tokens and [SEP]. The first "
    "window takes `room` passage tokens; each next one repeats `stride` of them. Count the "
    "tokenizer's windows with return_overflowing_tokens=True.",
    solution_code="""
import math


def window_count(passage_tokens, question_tokens, stride, max_length):
    room = max_length - 3 - question_tokens
    if passage_tokens <= room:
        return 1
    return 1 + math.ceil((passage_tokens - room) / (room - stride))


question = "Which NFL team represented the AFC at Super Bowl 50?"  # 11 tokens
passage = " ".join(["the"] * 400)  # 400 tokens
counts = {
    stride: len(tokenizer(question, passage, truncation="only_second", max_length=128,
                          stride=stride, return_overflowing_tokens=True)["input_ids"])
    for stride in (32, 64, 96)
}
exercise1.check(window_count, counts)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 2 · answers that no window holds whole ------------------------------------------

WHY_STRIDE = {
    "a": "a stride does not make windows longer: every window has max_length tokens either way",
    "c": "a stride drops no tokens: it repeats the last `stride` passage tokens of a window at "
    "the start of the next",
}


@cache
def window_labels(stride: int) -> tuple[tuple[int, bool], ...]:
    """(question index, holds its whole answer) for every window of the chapter's questions."""
    from bert_tutorial import qa

    features = qa.tokenize_windows(list(held_out_examples()), bert_tokenizer(),
                                   max_length=MAX_LENGTH, stride=stride)
    return tuple((f["example_index"], f["start_positions"] > 0) for f in features)


def check_unanswerable(missed: Any, why: Any) -> str:
    """Exercise 2: questions with no window holding their answer, at stride 0 and 64; why."""
    missed = a_mapping(missed, "missed", (0, STRIDE), "a dict {stride: questions}")
    for stride in (0, STRIDE):
        count = whole_number(missed[stride], f"missed[{stride}]")
        labels = window_labels(stride)
        holding = {index for index, holds in labels if holds}
        right = len(held_out_examples()) - len(holding)
        if count == right:
            continue
        if count == sum(not holds for _, holds in labels):
            raise Incorrect(f"missed[{stride}] is {count}, the windows labelled [CLS]; count "
                            "questions, not windows: a question is answerable when any one of "
                            "its windows holds the answer")
        if count == len({index for index, holds in labels if not holds}):
            raise Incorrect(f"missed[{stride}] is {count}, the questions with some window "
                            "labelled [CLS]; count the questions none of whose windows holds "
                            "the answer")
        raise Incorrect(f"missed[{stride}] is {count}: tokenize test_examples at stride={stride} "
                        "and count the questions with no window whose start_positions > 0")
    choice(why, WHY_STRIDE, "b")
    return (f"{missed[0]} of {len(held_out_examples()):,} questions at stride 0, none at {STRIDE}: "
            "neighbouring windows share the stride, so a short answer cut by one edge is whole "
            "in the next window")


exercise2 = Exercise(
    number=2,
    todo="replace each ____: the number of held-out questions no window holds whole at stride 0 "
    "and at 64, and the letter of your answer; then run the cell",
    expects='a dict {0: ..., 64: ...} of whole numbers and a letter, "a", "b" or "c"',
    checker=check_unanswerable,
    hint_text="qa.tokenize_windows(test_examples, tokenizer, max_length=128, stride=0) labels "
    "every window; collect the example_index of the windows with start_positions > 0.",
    solution_code="""
def unanswerable(stride):
    features = qa.tokenize_windows(test_examples, tokenizer, max_length=128, stride=stride)
    holding = {f["example_index"] for f in features if f["start_positions"] > 0}
    return len(test_examples) - len(holding)


missed = {stride: unanswerable(stride) for stride in (0, 64)}
exercise2.check(missed, why="b")
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 3 · SQuAD's F1 by hand ------------------------------------------------------------

F1_CASES = [  # (prediction, gold answers, what the case tests)
    ("The Denver Broncos!", ["denver broncos"], "case, punctuation and an article"),
    ("York York", ["York York York"], "a word repeated"),
    ("Paris", ["London", "Paris, France"], "a second gold answer"),
    ("an old   house", ["the old house nearby"], "articles and spaces"),
    ("nothing shared", ["Denver"], "no word shared"),
]


def f1_without_normalising(prediction: str, answers: list[str]) -> float:
    def one(gold: str) -> float:
        shared = sum((Counter(prediction.split()) & Counter(gold.split())).values())
        return 0.0 if not shared else 2 * shared / (len(prediction.split()) + len(gold.split()))

    return max(one(gold) for gold in answers)


def f1_of_sets(prediction: str, answers: list[str]) -> float:
    from bert_tutorial.qa import normalize_answer

    def one(gold: str) -> float:
        predicted, wanted = normalize_answer(prediction).split(), normalize_answer(gold).split()
        shared = len(set(predicted) & set(wanted))
        return 0.0 if not shared else 2 * shared / (len(predicted) + len(wanted))

    return max(one(gold) for gold in answers)


def f1_first_gold_only(prediction: str, answers: list[str]) -> float:
    from bert_tutorial.qa import f1

    return f1(prediction, answers[:1])


F1_SLIPS = {  # a wrong F1 -> what it missed
    "normalise both texts first (qa.normalize_answer: lower case, no punctuation, no articles)":
        f1_without_normalising,
    "count shared words with a Counter intersection: a word repeated counts as often as both "
    "texts have it, which a set cannot do": f1_of_sets,
    "score against every gold answer and keep the best, not only the first":
        f1_first_gold_only,
}  # fmt: skip


def check_f1(f1_by_hand: Any, prediction: Any, answers: Any) -> str:
    """Exercise 3: the learner's F1 on unseen predictions; a prediction with F1 > 0.5, EM 0."""
    from bert_tutorial import qa

    if not callable(f1_by_hand):
        raise Incorrect(f"f1_by_hand is {type_name(f1_by_hand)}; expected your function "
                        "f1_by_hand(prediction, answers)")
    given = []
    for guess, golds, case in F1_CASES:
        text = f"{guess!r} against {golds} ({case})"
        value = call_learner(f1_by_hand, guess, golds, case=text)
        given.append((guess, golds, text, a_number(value, f"f1_by_hand on {text}")))
    wrong = [g for g in given if not math.isclose(g[3], qa.f1(g[0], g[1]), abs_tol=1e-6)]
    if wrong:
        guess, golds, text, value = wrong[0]
        right = qa.f1(guess, golds)
        if all(math.isclose(v, 100 * qa.f1(p, g), abs_tol=1e-6) for p, g, _, v in given):
            raise Incorrect(f"on {text} you give {value:g}, a percentage; give F1 between 0 "
                            "and 1 as qa.f1 does")
        slip = next((why for why, slipped in F1_SLIPS.items()
                     if all(math.isclose(v, slipped(p, g), abs_tol=1e-6) for p, g, _, v in given)),
                    "F1 is 2 x precision x recall / (precision + recall) over words")
        raise Incorrect(f"on {text} you give {value:.3f}; SQuAD's F1 is {right:.3f}: {slip}")
    if not isinstance(prediction, str):
        raise Incorrect(f"prediction is {type_name(prediction)}; expected a string")
    golds = strings(answers, "answers")
    if not golds:
        raise Incorrect("answers is empty; give at least one gold answer")
    if qa.exact_match(prediction, golds):
        raise Incorrect(f"{prediction!r} is an exact match after normalising; add or change a "
                        "word so that it is not")
    if qa.f1(prediction, golds) <= 0.5:
        raise Incorrect(f"{prediction!r} has F1 {qa.f1(prediction, golds):.2f}, not above 0.5; "
                        "keep most of a gold answer's words")
    return (f"your F1 agrees with SQuAD's on five unseen cases; {prediction!r}: F1 "
            f"{qa.f1(prediction, golds):.2f} with no exact match")


exercise3 = Exercise(
    number=3,
    todo="replace each ____: the body of f1_by_hand, and a prediction with its gold answers "
    "that scores F1 above 0.5 and no exact match; then run the cell",
    expects="a function f1_by_hand(prediction, answers) returning a number between 0 and 1, a "
    "prediction string and a list of gold answer strings",
    checker=check_f1,
    hint_text="Split qa.normalize_answer(...) of both texts into words; "
    "sum((Counter(a) & Counter(b)).values()) counts the shared ones; precision divides by the "
    "prediction's words, recall by the gold's. Keep the best over the gold answers.",
    solution_code="""
from collections import Counter


def f1_by_hand(prediction, answers):
    best = 0.0
    for gold in answers:
        predicted = qa.normalize_answer(prediction).split()
        wanted = qa.normalize_answer(gold).split()
        shared = sum((Counter(predicted) & Counter(wanted)).values())
        if shared:
            precision, recall = shared / len(predicted), shared / len(wanted)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


exercise3.check(f1_by_hand, "the Denver Broncos team", ["Denver Broncos"])
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 4 · the first 12 words of the best-overlapping sentence ---------------------------


@cache
def baseline_scores() -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Per held-out question: F1 of the sentence sharing most question words, and of its first
    12 words (the chapter's baseline, ties to the first sentence)."""
    from bert_tutorial import pairs, qa

    def words(text: str) -> set[str]:
        return set(qa.normalize_answer(text).split())

    sentences, first = [], []
    for example in held_out_examples():
        candidates = [example.context[a:b] for a, b in pairs.sentence_spans(example.context)]
        best = max(candidates, key=lambda s: len(words(example.question) & words(s)))
        sentences.append(best)
        first.append(" ".join(best.split()[:12]))
    examples = list(held_out_examples())
    return (tuple(qa.squad_scores(sentences, examples)[1]),
            tuple(qa.squad_scores(first, examples)[1]))


def close(a: list[float], b: list[float]) -> bool:
    """Whether two per-question score lists are equal up to rounding."""
    return all(math.isclose(x, y, abs_tol=1e-9) for x, y in zip(a, b, strict=True))


def per_question(value: Any, name: str) -> list[float]:
    """Return one F1 between 0 and 1 per held-out question, or raise Incorrect saying why."""
    values = as_list(value.tolist() if hasattr(value, "tolist") else value, name,
                     "one F1 per held-out question")
    if len(values) != len(held_out_examples()):
        raise Incorrect(f"{name} holds {len(values)} values; expected one per held-out question "
                        f"({len(held_out_examples()):,})")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        raise Incorrect(f"{name} must hold numbers: the second list qa.squad_scores returns")
    if max(values) > 1 or min(values) < 0:
        raise Incorrect(f"{name} holds values outside 0 to 1; give F1 per question as "
                        "qa.squad_scores does, not percentages")
    return [float(v) for v in values]


def check_first_words(f1_sentence: Any, f1_first: Any, verdict: Any) -> str:
    """Exercise 4: both baselines' per-question F1, recomputed; the verdict on their gap."""
    from bert_tutorial import noise

    sentence, first = per_question(f1_sentence, "f1_sentence"), per_question(f1_first, "f1_first")
    right_sentence, right_first = (list(scores) for scores in baseline_scores())
    if close(sentence, right_first) and close(first, right_sentence):
        raise Incorrect("f1_sentence and f1_first are swapped: the whole sentence goes first")
    for name, yours, right in (("f1_sentence", sentence, right_sentence),
                               ("f1_first", first, right_first)):
        if not close(yours, right):
            wrong = sum(not math.isclose(x, y, abs_tol=1e-9)
                        for x, y in zip(yours, right, strict=True))
            raise Incorrect(f"{name} differs from the chapter's baseline on {wrong} questions: "
                            "take the sentence (pairs.sentence_spans) sharing most normalised "
                            "words with the question, the first on a tie"
                            + ("; then its first 12 words (split on spaces)"
                               if name == "f1_first" else ""))
    reading = read_verdict(verdict, noise.difference(first, sentence))
    return f"first 12 words minus whole sentence: {reading}"


exercise4 = Exercise(
    number=4,
    todo="replace each ____: the F1 per held-out question of the whole sentence and of its first "
    '12 words, and your verdict, "within noise" or "beyond noise"; then run the cell',
    expects="two lists of one F1 (0 to 1) per held-out question, and a verdict",
    checker=check_first_words,
    hint_text="Reuse the chapter's baseline cell: keep each best sentence, and " + '" ".join('
    "sentence.split()[:12]) for the cut; qa.squad_scores(..., test_examples)[1] gives F1 per "
    "question; noise.verdict(noise.difference(f1_first, f1_sentence)) reads the gap.",
    solution_code="""
sentences, first_words = [], []
for example in test_examples:
    candidates = [example.context[a:b] for a, b in pairs.sentence_spans(example.context)]
    words = question_words(example.question)
    best = max(candidates, key=lambda s: len(words & question_words(s)))
    sentences.append(best)
    first_words.append(" ".join(best.split()[:12]))
_, f1_sentence = qa.squad_scores(sentences, test_examples)
_, f1_first = qa.squad_scores(first_words, test_examples)
print(noise.verdict(noise.difference(f1_first, f1_sentence)))
exercise4.check(f1_sentence, f1_first, "beyond noise")
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 5 · the three misplaced offsets ----------------------------------------------------

WHY_OFFSETS = {
    "a": "the answer texts are right: each one is in its passage, one character after its offset",
    "c": "the passages hold every answer: only the offsets point one character early",
}


@cache
def misplaced_ids() -> dict[str, str]:
    """Question id -> first answer, for the first answers not at their offset in SQuAD dev."""
    from bert_tutorial import pairs

    found = {}
    for article in pairs.read_squad():
        for paragraph in article["paragraphs"]:
            for question in paragraph["qas"]:
                answer = question["answers"][0]
                start = answer["answer_start"]
                if paragraph["context"][start : start + len(answer["text"])] != answer["text"]:
                    found[question["id"]] = answer["text"]
    return found


def check_misplaced(misplaced: Any, why: Any) -> str:
    """Exercise 5: the ids of the three first answers not at their offset; what is wrong."""
    ids = strings(misplaced, "misplaced")
    right = misplaced_ids()
    extra = [i for i in ids if i not in right]
    if extra:
        raise Incorrect(f"{extra[0]!r} is not a misplaced answer: its first answer is where its "
                        "offset says (compare the passage's characters from answer_start with "
                        "the answer's text, for the first answer of each question)")
    if len(set(ids)) != len(right):
        raise Incorrect(f"misplaced holds {len(set(ids))} different ids; SQuAD dev has "
                        f"{len(right)} first answers not at their offset: read every question "
                        "of every paragraph of every article")
    choice(why, WHY_OFFSETS, "b")
    return ("three first answers, each offset one character early (two also begin with a "
            "space); qa.squad_examples strips them and moves each to its nearest occurrence")


exercise5 = Exercise(
    number=5,
    todo="replace each ____: the ids of the questions whose first answer is not at its offset, "
    "and the letter of your answer; then run the cell",
    expects='a list of question id strings and a letter, "a", "b" or "c"',
    checker=check_misplaced,
    hint_text="For each question of pairs.read_squad(), take answers[0]: is "
    "context[answer_start : answer_start + len(text)] equal to text? Print the ones that are "
    "not, with the characters at their offset.",
    solution_code="""
misplaced = []
for article in pairs.read_squad():
    for paragraph in article["paragraphs"]:
        for question in paragraph["qas"]:
            answer = question["answers"][0]
            start = answer["answer_start"]
            if paragraph["context"][start : start + len(answer["text"])] != answer["text"]:
                misplaced.append(question["id"])
exercise5.check(misplaced, why="b")
""",
    solutions_notebook=SOLUTIONS,
)
