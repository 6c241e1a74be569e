"""Checked exercises: every worked answer passes, plausible wrong answers fail with a message
naming the mistake, and no wrong-typed answer ends in a traceback."""


import pytest
import torch
from exercise_asserts import assert_incorrect

from bert_tutorial.align import best_windows
from bert_tutorial.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED, Feedback
from bert_tutorial.exercises.ch01 import (
    ____,
    bpe_tokenizer,
    exercise1,
    exercise2,
    exercise3,
    exercise4,
    exercise5,
)

EXERCISES = [exercise1, exercise2, exercise3, exercise4, exercise5]
WORD = "electroencephalography"
TEXTS = ["BERT reads tokens.", "Learn Hugging Face Transformers & BERT with PyTorch in 5 Minutes",
         "Short."]  # fmt: skip  (notebook 01's batch of section 5)
RUNES = "ᚠᚢᚦ"


def label_every_piece(alignment, labels, label_names):
    """The worked answer to exercise 4 (solutions notebook 01)."""
    token_labels = [-100] * len(alignment.input_ids)
    for word_index, positions in enumerate(alignment.word_to_tokens):
        for k, position in enumerate(positions):
            name = label_names[labels[word_index]]
            if k > 0 and name.startswith("B-"):
                name = "I-" + name[2:]
            token_labels[position] = label_names.index(name)
    return token_labels


def first_piece_rule(alignment, labels, label_names):
    """Section 8's rule: -100 on the continuation pieces."""
    token_labels = [-100] * len(alignment.input_ids)
    for word_index, positions in enumerate(alignment.word_to_tokens):
        if positions:
            token_labels[positions[0]] = labels[word_index]
    return token_labels


def b_on_every_piece(alignment, labels, label_names):
    """Every piece labelled, but B- left on the continuation pieces."""
    token_labels = [-100] * len(alignment.input_ids)
    for word_index, positions in enumerate(alignment.word_to_tokens):
        for position in positions:
            token_labels[position] = labels[word_index]
    return token_labels


def next_id_is_inside(alignment, labels, label_names):
    """B- turned into I- by adding 1 to the id, true only when I-x follows B-x in label_names."""
    token_labels = [-100] * len(alignment.input_ids)
    for word_index, positions in enumerate(alignment.word_to_tokens):
        label = labels[word_index]
        for k, position in enumerate(positions):
            inside = k > 0 and label_names[label].startswith("B-")
            token_labels[position] = label + 1 if inside else label
    return token_labels


def specials_labelled_o(alignment, labels, label_names):
    """[CLS] and [SEP] given label 0 ("O") instead of -100."""
    token_labels = label_every_piece(alignment, labels, label_names)
    return [0 if label == -100 else label for label in token_labels]


def without_specials(alignment, labels, label_names):
    """One label per word piece, [CLS] and [SEP] left out."""
    return label_every_piece(alignment, labels, label_names)[1:-1]


def first_position_always(alignment, labels, label_names):
    """Right, except that it reads positions[0], which a word with no tokens does not have."""
    token_labels = [-100] * len(alignment.input_ids)
    for word_index, positions in enumerate(alignment.word_to_tokens):
        name = label_names[labels[word_index]]
        token_labels[positions[0]] = labels[word_index]
        inside = "I-" + name[2:] if name.startswith("B-") else name
        for position in positions[1:]:
            token_labels[position] = label_names.index(inside)
    return token_labels


def raises(*args):
    raise KeyError("B-person")



# The shared feedback ---------------------------------------------------------------------


def test_feedback_is_a_coloured_box_in_jupyter_and_plain_text_elsewhere():
    right = Feedback("Exercise 9", CORRECT, "fine")
    wrong = Feedback("Exercise 9", INCORRECT, "<b>'##ssi'</b>")
    assert str(right) == repr(right) == "✓ Exercise 9 · correct: fine"
    assert "#15803d" in right._repr_html_() and "#b91c1c" in wrong._repr_html_()
    assert "&lt;b&gt;" in wrong._repr_html_()  # the learner's value is shown, never rendered


@pytest.mark.parametrize(
    "exercise, args",
    [
        (exercise1, (WORD, ____, ____)),
        (exercise2, (TEXTS, ____, ____)),
        (exercise3, (____, ____, ____)),
        (exercise4, (lambda alignment, labels, label_names: ____,)),
        (exercise5, ([WORD] * 1000, ____, ____, ____, ____)),
    ],
    ids=lambda value: getattr(value, "title", ""),
)
def test_the_placeholder_means_not_attempted(exercise, args):
    feedback = exercise.check(*args)
    assert feedback.outcome == NOT_ATTEMPTED and "____" in feedback.message


def test_an_answer_no_rule_foresaw_says_what_was_expected():
    feedback = exercise2.check(TEXTS, {"input_ids": [[1, 2]] * 3}, 69, why="b")
    assert_incorrect(feedback, "rows are [2] tokens long")
    odd = exercise1.check(WORD, [object()], [])
    assert_incorrect(odd, "pieces[0]", "expected strings")


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.title)
def test_the_code_solution_shows_passes_its_check(exercise, tokenizer):
    namespace = {"tokenizer": tokenizer, "bpe_tokenizer": bpe_tokenizer(), "texts": TEXTS,
                 "text_words": (TEXTS[1].split() + ["unbelievably"]) * 100,
                 "best_windows": best_windows, f"exercise{exercise.number}": exercise}  # fmt: skip
    code = exercise.solution().code
    *body, last = code.strip().splitlines()
    exec("\n".join(body), namespace)
    assert eval(last, namespace).outcome == CORRECT


# Exercise 1 ------------------------------------------------------------------------------


def test_exercise1_accepts_the_worked_answer(tokenizer):
    for word in [WORD, "Wolfgang", "Clément"]:
        pieces = tokenizer.tokenize(word)
        continuation = [p for p in pieces if p.startswith("##")]
        assert exercise1.check(word, pieces, continuation).outcome == CORRECT


@pytest.mark.parametrize(
    "answer, fragments",
    [
        (lambda t, p: (t(WORD).tokens(), p[1:]), ["special tokens", "[CLS]"]),
        (lambda t, p: (p, p), ["'electro'", "first piece"]),
        (lambda t, p: (p, [q[2:] for q in p[1:]]), ["keep the ##"]),
        (lambda t, p: (t(WORD, add_special_tokens=False)["input_ids"], p[1:]), ["token ids"]),
        (lambda t, p: ([WORD], []), ["whole"]),
        (lambda t, p: (bpe_tokenizer().tokenize(WORD), p[1:]), ["byte-level"]),
        (lambda t, p: (["electro", "encephalography"], p[1:]), ["5 piece(s)", "your 2"]),
        (lambda t, p: (p, len(p) - 1), ["a number"]),
    ],
    ids=["special tokens", "first piece", "## dropped", "ids", "uncut", "BPE", "split", "count"],
)
def test_exercise1_names_the_mistake(tokenizer, answer, fragments):
    pieces, continuation = answer(tokenizer, tokenizer.tokenize(WORD))
    assert_incorrect(exercise1.check(WORD, pieces, continuation), *fragments)


# Exercise 2 ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixed(tokenizer):
    return tokenizer(TEXTS, padding="max_length", max_length=32)


def test_exercise2_accepts_the_worked_answer(tokenizer, fixed):
    padding = sum(ids.count(tokenizer.pad_token_id) for ids in fixed["input_ids"])
    assert padding == 69  # the count solutions notebook 01 prints
    assert exercise2.check(TEXTS, fixed, padding, why="b").outcome == CORRECT
    as_tensors = tokenizer(TEXTS, padding="max_length", max_length=32, return_tensors="pt")
    count = (as_tensors["attention_mask"] == 0).sum()  # a 0-d tensor is a number too
    assert exercise2.check(TEXTS, as_tensors, count, why="b").outcome == CORRECT


@pytest.mark.parametrize(
    "num_padding, why, fragments",
    [
        (75, "b", ["[CLS] and [SEP]", "as padding"]),
        (27, "b", ["real tokens"]),
        (96, "b", ["every position"]),
        (21, "b", ["padding to the longest text"]),
        (69, "a", ["still go through every layer"]),
        (69, "c", ["feed-forward"]),
        (69, "d", ['choose "a"']),
        (69, None, ["why is missing"]),
    ],
)
def test_exercise2_names_the_mistake(fixed, num_padding, why, fragments):
    assert_incorrect(exercise2.check(TEXTS, fixed, num_padding, why=why), *fragments)


def test_exercise2_names_one_row_counted_alone(tokenizer, fixed):
    row = fixed["input_ids"][0].count(tokenizer.pad_token_id)
    assert_incorrect(exercise2.check(TEXTS, fixed, row, why="b"), "row 0's padding alone")


def test_exercise2_names_padding_to_the_longest(tokenizer):
    dynamic = tokenizer(TEXTS, padding=True)
    assert_incorrect(exercise2.check(TEXTS, dynamic, 21, why="b"), "padding=True", "16 tokens")


# Exercise 3 ------------------------------------------------------------------------------


def decodings(tokenizer, word, **options):
    bert_ids = tokenizer(word, **options)["input_ids"]
    bpe_ids = bpe_tokenizer()(word, add_special_tokens=False)["input_ids"]
    return tokenizer.decode(bert_ids), bpe_tokenizer().decode(bpe_ids)


@pytest.mark.parametrize("word", [RUNES, "🤗", "love🤗BERT"])
def test_exercise3_accepts_the_worked_answer(tokenizer, word):
    bert, bpe = decodings(tokenizer, word, add_special_tokens=False)
    assert exercise3.check(word, bert, bpe).outcome == CORRECT


@pytest.mark.parametrize(
    "answer, fragments",
    [
        (lambda t, bert, bpe: ("café", "cafe", "café"), ["no [UNK]"]),
        (lambda t, bert, bpe: (RUNES, decodings(t, RUNES)[0], bpe), ["[CLS] and [SEP]"]),
        (lambda t, bert, bpe: (RUNES, "", bpe), ["removed the [UNK]"]),
        (lambda t, bert, bpe: (RUNES, bert, bert), ["BERT's decoding"]),
        (lambda t, bert, bpe: (RUNES, RUNES, bpe), ["cannot give"]),
        (lambda t, bert, bpe: (RUNES, bert, f"<s>{RUNES}</s>"), ["<s> and </s>"]),
    ],
    ids=["no unk", "specials", "skip specials", "bpe is bert", "copied", "bpe specials"],
)
def test_exercise3_names_the_mistake(tokenizer, answer, fragments):
    bert, bpe = decodings(tokenizer, RUNES, add_special_tokens=False)
    assert_incorrect(exercise3.check(*answer(tokenizer, bert, bpe)), *fragments)


# Exercise 4 ------------------------------------------------------------------------------


def test_exercise4_accepts_the_worked_answer():
    assert exercise4.check(label_every_piece).outcome == CORRECT


@pytest.mark.parametrize(
    "function, fragments",
    [
        (first_piece_rule, ["'##ene' of 'Schwarzenegger' at -100", "first-piece rule"]),
        (b_on_every_piece, ["B-geo-loc on the continuation piece '##ma' of 'Kalamazoo'"]),
        (next_id_is_inside, ["O (id 2)", "'##ma'", "look I- labels up by name"]),
        (specials_labelled_o, ["special token [CLS]", "-100"]),
        (without_specials, ["left out [CLS] and [SEP]"]),
        (first_position_always, ["IndexError", "a word with no tokens"]),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_exercise4_names_the_mistake(function, fragments):
    assert_incorrect(exercise4.check(function), *fragments)


# Exercise 5 ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def windowed(tokenizer):
    """Notebook 01's 1,000-word text, its windows, their count, repeats and chosen windows."""
    words = ((TEXTS[1].split() + ["unbelievably"]) * 100)[:1000]
    windows = tokenizer(words, is_split_into_words=True, truncation=True, max_length=512,
                        stride=64, return_overflowing_tokens=True)  # fmt: skip
    num_windows = len(windows["input_ids"])
    assert num_windows == 4  # so that the mistakes below differ from the right numbers
    chosen = best_windows(windows, words, tokenizer)
    return words, windows, num_windows, 64 * (num_windows - 1), chosen


def test_exercise5_accepts_the_worked_answer(windowed):
    assert exercise5.check(*windowed).outcome == CORRECT


def cut_word_choice(windows, words, tokenizer):
    """Return chosen windows where one word is read from a window that cuts it."""
    chosen = best_windows(windows, words, tokenizer)
    for window in range(len(windows["input_ids"])):
        word_ids = windows.word_ids(window)
        for position, w in enumerate(word_ids):
            first = w is not None and word_ids[position - 1] != w
            if first and word_ids.count(w) < len(tokenizer.tokenize(words[w])):
                return chosen[:w] + [(window, position)] + chosen[w + 1 :]
    raise AssertionError("no word is cut at a window's edge: the test needs one")


def first_window_choice(windows, words):
    """Return, per word, the first window where its first piece appears (and lies whole)."""
    chosen = {}
    for window in range(len(windows["input_ids"])):
        word_ids = windows.word_ids(window)
        for position, w in enumerate(word_ids):
            if w is not None and w not in chosen and word_ids[position - 1] != w:
                chosen[w] = (window, position)
    return [chosen[w] for w in range(len(words))]


def test_exercise5_names_the_mistake(windowed, tokenizer):
    words, windows, num_windows, repeated, chosen = windowed
    cases = [
        ((words, windows, num_windows, repeated + 2 * (num_windows - 1), chosen),
         ["[CLS] and [SEP] of each later window"]),
        ((words, windows, num_windows, 64 * num_windows, chosen), ["overlap for all 4"]),
        ((words, windows, num_windows, 64, chosen), ["one overlap"]),
        ((words, windows, num_windows + 1, repeated, chosen), ["num_windows is 5"]),
        ((words, tokenizer(words, is_split_into_words=True, truncation=True, max_length=512,
                           stride=32, return_overflowing_tokens=True),
          num_windows, repeated, chosen), ["repeat 32 tokens each", "stride=64"]),
        ((words, tokenizer(words, is_split_into_words=True, truncation=True, max_length=512),
          num_windows, repeated, chosen), ["return_overflowing_tokens=True"]),
        ((words, windows, num_windows, repeated, [(w, p + 1) for w, p in chosen]),
         ["chosen[0]", "not a token of word 0"]),
        ((words, windows, num_windows, repeated, cut_word_choice(windows, words, tokenizer)),
         ["cut at the edge"]),
        ((words, windows, num_windows, repeated, first_window_choice(windows, words)),
         ["farthest from an edge"]),
        ((words, windows, num_windows, repeated, chosen[:-1]), ["999 entries for 1000 words"]),
        ((words[:40], windows, num_windows, repeated, chosen), ["one window", "1,000 words"]),
    ]  # fmt: skip
    for args, fragments in cases:
        assert_incorrect(exercise5.check(*args), *fragments)


# Wrong-typed answers: a message, never a traceback -----------------------------------------


WRONG_TYPES = [
    (exercise1, (WORD, None, []), "pieces is None"),
    (exercise1, (WORD, "electro ##ence", []), "the string"),
    (exercise1, (WORD, torch.tensor([1, 2]), []), ".tolist()"),
    (exercise1, (None, ["x"], []), "word is None"),
    (exercise2, (TEXTS, None, 69), "fixed is None"),
    (exercise2, ("one text", None, 69), "texts is the string"),
    (exercise2, (TEXTS, "padded", 69), "fixed is a str"),
    (exercise2, (TEXTS, {"ids": []}, 69), "no 'input_ids'"),
    (exercise3, (RUNES, None, RUNES), "bert_decoded is None"),
    (exercise3, (RUNES, ["[UNK]"], RUNES), "bert_decoded is a list"),
    (exercise3, (42, "[UNK]", RUNES), "unk_word is 42"),
    (exercise4, (None,), "got None"),
    (exercise4, ("align_every_subtoken",), "got a str"),
    (exercise4, (raises,), "raised KeyError"),
    (exercise4, (lambda a, labels, names: None,), "returned None"),
    (exercise4, (lambda a, labels, names: torch.tensor(a.input_ids),), ".tolist()"),
    (exercise4, (lambda a, labels, names: [str(i) for i in a.input_ids],), "expected int ids"),
    (exercise5, ("a text", None, 1, 1, []), "text_words is the string"),
]  # fmt: skip


@pytest.mark.parametrize("exercise, args, fragment", WRONG_TYPES)
def test_a_wrong_type_gives_a_message_not_a_traceback(exercise, args, fragment):
    assert_incorrect(exercise.check(*args), fragment)


def test_exercise2_wrong_types_after_a_right_batch(fixed):
    assert_incorrect(exercise2.check(TEXTS, fixed, "69", why="b"), "expected a whole number")
    assert_incorrect(exercise2.check(TEXTS, fixed, torch.tensor([69]), why="b"), "whole number")


def test_exercise5_wrong_types_after_right_windows(windowed):
    words, windows, num_windows, repeated, chosen = windowed
    for args, fragment in [
        ((words, None, num_windows, repeated, chosen), "windows is None"),
        ((words, torch.tensor([[1, 2]]), num_windows, repeated, chosen), "one window"),
        ((words, windows, None, repeated, chosen), "num_windows is None"),
        ((words, windows, num_windows, repeated, "chosen"), "chosen is a str"),
        ((words, windows, num_windows, repeated, [None] * len(words)), "chosen[0] is None"),
    ]:
        assert_incorrect(exercise5.check(*args), fragment)
