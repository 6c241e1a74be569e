"""Checks for the five exercises of notebook 09 (sentence pairs).

Exercises 1, 3 and 5 call the learner's function on cases they have not seen: a pair to
truncate, a question's scores against its paragraph, sizes of a search. Exercises 2 and 4 read
the learner's data (segment ids set to 0, the texts swapped) and their verdict on the accuracy
gap, recomputed with the paired bootstrap over the same held-out pairs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bert_tutorial.exercises import (
    Exercise,
    Incorrect,
    NotAttempted,
    ____,
    attempted,
    call_learner,
    check_verdict,
    choice,
    right_or_wrong,
    type_name,
    whole_number,
)
from bert_tutorial.exercises.ch01 import bert_tokenizer

__all__ = ["____", "exercise1", "exercise2", "exercise3", "exercise4", "exercise5"]
SOLUTIONS = "notebooks/solutions/09_sentence_pairs_solutions.ipynb"
PAIRS = "held-out pair"


def ids_of(value: Any, name: str) -> list[int]:
    """Return one tokenized example's input_ids as a list, or raise Incorrect saying why."""
    if not (isinstance(value, Mapping) or hasattr(value, "keys")) or "input_ids" not in value:
        raise Incorrect(f"{name} is {type_name(value)}; expected the tokenizer's output for one "
                        "pair (a dict with input_ids)")
    ids = value["input_ids"]
    ids = ids.tolist() if hasattr(ids, "tolist") else ids
    if isinstance(ids, list) and len(ids) == 1 and isinstance(ids[0], list):
        ids = ids[0]  # return_tensors="pt" gives a batch of one
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise Incorrect(f"{name}['input_ids'] is not one list of token ids; tokenize one pair")
    return ids


def segments(ids: list[int], name: str) -> tuple[list[int], list[int]]:
    """Split [CLS] a [SEP] b [SEP] into a's and b's ids, or raise Incorrect naming the shape."""
    tokenizer = bert_tokenizer()
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    if len(ids) < 3 or ids[0] != cls or ids[-1] != sep or ids.count(sep) != 2:
        raise Incorrect(f"{name} is not [CLS] first text [SEP] second text [SEP]: give the "
                        "tokenizer the two texts as two arguments, tokenizer(first, second)")
    middle = ids.index(sep)
    return ids[1:middle], ids[middle + 1 : -1]


def pieces(text: str) -> list[int]:
    """Return `text`'s token ids without [CLS] and [SEP]."""
    return bert_tokenizer()(text, add_special_tokens=False)["input_ids"]


# Exercise 1 · truncating a short question and a long passage ----------------------------

LONG_PASSAGE = " ".join(["Beyonce released her debut album Dangerously in Love in 2003."] * 30)
PAIR_CASES = [  # (question, passage, what the case is)
    ("Who released Dangerously in Love?", LONG_PASSAGE, "a short question with a long passage"),
    ("Où est né Frédéric Chopin ?", " ".join(["Chopin was born in Żelazowa Wola."] * 40),
     "a question with accents and a long passage"),
    ("When?", "In 2003.", "a short question with a short answer (nothing to cut)"),
]
WHY_ONLY_FIRST = {
    "a": "only_first never cuts the question to nothing: it refuses when the question cannot "
    "absorb the excess",
    "c": "only_first may cut only the first text (the question); it never touches the passage",
}


def check_truncation(encode: Any, why: Any = None) -> str:
    """Exercise 1: encode(question, passage) fits 128 tokens with the question whole; the why."""
    if not callable(encode):
        raise Incorrect(f"encode is {type_name(encode)}; expected your function "
                        "encode(question, passage)")
    for question, passage, case in PAIR_CASES:
        try:
            encoded = call_learner(encode, question, passage, case=case)
        except Incorrect as error:
            if "too short" in str(error):
                raise Incorrect("your function raised the tokenizer's truncation error: it "
                                "may cut only the question, which is shorter than the excess; "
                                "cut the passage instead") from None
            raise
        ids = ids_of(encoded, f"encode's output on {case}")
        whole = len(pieces(question)) + len(pieces(passage)) + 3
        if len(ids) > 128:
            raise Incorrect(f"on {case} your ids hold {len(ids)} tokens; expected at most 128: "
                            "pass truncation=... and max_length=128")
        first, second = segments(ids, f"encode's output on {case}")
        if first != pieces(question):
            raise Incorrect(f"on {case} the question lost tokens ({len(first)} of "
                            f"{len(pieces(question))} kept): cut the passage, not the question")
        if second != pieces(passage)[: len(second)]:
            raise Incorrect(f"on {case} the second text is not the start of the passage")
        if len(ids) < min(whole, 128):
            raise Incorrect(f"on {case} your ids hold {len(ids)} tokens where "
                            f"{min(whole, 128)} fit: use max_length=128 and cut only what "
                            "does not fit")
    choice(why, WHY_ONLY_FIRST, "b")
    return ("the passage is cut and the question kept whole, at 128 tokens; only_first refuses, "
            "since the question alone cannot lose enough")


exercise1 = Exercise(
    number=1,
    todo="replace each ____: the body of encode (the pair tokenized to at most 128 tokens, the "
    "question kept whole) and the letter of your answer; then run the cell",
    expects='a function encode(question, passage) returning the tokenizer\'s output, and a '
    'letter, "a", "b" or "c"',
    checker=check_truncation,
    hint_text='Try tokenizer(question, passage, truncation="only_first", max_length=128) '
    "inside try/except Exception and read the message. Which truncation cuts only the second "
    "text?",
    solution_code="""
def encode(question, passage):
    return tokenizer(question, passage, truncation="only_second", max_length=128)


exercise1.check(encode, why="b")
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 2 · every segment id set to 0 -------------------------------------------------


def hidden_pairs() -> Any:
    """Three tokenized pairs the learner has not seen, as notebook 09 builds its datasets."""
    from bert_tutorial.training import tokenize_sentences

    return tokenize_sentences(
        ["Who wrote Hamlet?", "How tall is Everest?", "Où est le Louvre ?"], [1, 0, 1],
        bert_tokenizer(), num_labels=2,
        text_pairs=["Shakespeare wrote it.", "It is in Nepal.", "Le Louvre est à Paris."],
    )


def check_one_segment(one_segment: Any, trained: Any, no_segments: Any, verdict: Any) -> str:
    """Exercise 2: one_segment zeroes the segments, nothing else; the verdict on the gap."""
    if not callable(one_segment):
        raise Incorrect(f"one_segment is {type_name(one_segment)}; expected your function "
                        "one_segment(dataset)")
    dataset = hidden_pairs()
    before = [dict(example) for example in dataset]
    result = call_learner(one_segment, dataset, case="three pairs of your own kind")
    if [dict(example) for example in dataset] != before:
        raise Incorrect("one_segment changed the dataset it was given: build new examples "
                        "({**example, ...}) so that test_dataset keeps its segments")
    try:
        examples = [result[i] for i in range(len(result))]
    except Exception:
        raise Incorrect(f"one_segment returned {type_name(result)}; expected a dataset: "
                        "TokenizedDataset(new examples)") from None
    if not attempted(examples):
        raise NotAttempted
    if len(examples) != len(before):
        raise Incorrect(f"one_segment returned {len(examples)} examples for {len(before)}")
    for new, old in zip(examples, before, strict=True):
        if not isinstance(new, Mapping):
            raise Incorrect(f"one_segment's examples are {type_name(new)}; expected dicts "
                            "like test_dataset's")
        changed = [key for key in old if key != "token_type_ids" and new.get(key) != old[key]]
        if changed:
            raise Incorrect(f"one_segment changed the examples' {changed[0]}; change only "
                            "token_type_ids")
        types = list(new.get("token_type_ids", [0] * len(old["input_ids"])))
        if len(types) != len(old["input_ids"]) or any(t != 0 for t in types):
            raise Incorrect(f"one_segment left token_type_ids {types}; expected one 0 per "
                            "token")
    reading = check_verdict(trained, no_segments, verdict, ("cross_correct", "no_segments"),
                            scored=PAIRS)
    return f"as trained minus every segment 0: {reading}"


exercise2 = Exercise(
    number=2,
    todo="replace each ____: the body of one_segment, the cross-encoder's right-or-wrong on "
    'one_segment(test_dataset), and your verdict, "within noise" or "beyond noise"; then run '
    "the cell",
    expects="a function one_segment(dataset), one True/False per held-out pair, and a verdict",
    checker=check_one_segment,
    hint_text="TokenizedDataset({**example, 'token_type_ids': [0] * len(example['input_ids'])} "
    "for example in dataset) builds new examples; predictions(cross_encoder, ...) == "
    "test_labels scores them; noise.verdict(noise.difference(...)) reads the gap.",
    solution_code="""
from bert_tutorial.training import TokenizedDataset


def one_segment(dataset):
    return TokenizedDataset(
        {**example, "token_type_ids": [0] * len(example["input_ids"])} for example in dataset
    )


no_segments = predictions(cross_encoder, one_segment(test_dataset)) == test_labels
print(noise.verdict(noise.difference(cross_correct, no_segments)))
exercise2.check(one_segment, cross_correct, no_segments, "beyond noise")
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 3 · hard negatives --------------------------------------------------------------

SCORE_CASES = [  # (cosines of a question to its paragraph's sentences, the answer's index)
    ([0.9, 0.2, 0.7, 0.4], 0),
    ([0.1, 0.6, 0.3, 0.8], 1),
    ([0.5, 0.4], 1),
    ([0.3, 0.3, 0.9], 2),
]


def check_hard_negatives(hardest_negative: Any, wins_random: Any, wins_hard: Any,
                         verdict: Any) -> str:
    """Exercise 3: the closest sentence without the answer, on hidden scores; the gap read."""
    import torch

    if not callable(hardest_negative):
        raise Incorrect(f"hardest_negative is {type_name(hardest_negative)}; expected your "
                        "function hardest_negative(scores, gold)")
    for scores, gold in SCORE_CASES:
        case = f"scores {scores} with the answer at {gold}"
        index = whole_number(call_learner(hardest_negative, torch.tensor(scores), gold,
                                          case=case), f"hardest_negative on {case}")  # fmt: skip
        others = [i for i in range(len(scores)) if i != gold]
        right = max(others, key=lambda i: scores[i])
        if index == gold:
            raise Incorrect(f"on {case} you returned {gold}, the answer's own sentence: leave "
                            "the answer out of the candidates")
        if index not in others:
            raise Incorrect(f"on {case} you returned {index}, not a sentence's index")
        if scores[index] < scores[right]:
            lowest = scores[index] == min(scores[i] for i in others)
            raise Incorrect(f"on {case} you returned {index}, the {'farthest' if lowest else 'a'} "
                            f"sentence without the answer; the hardest is {right}, the closest")
    reading = check_verdict(wins_random, wins_hard, verdict, ("wins_random", "wins_hard"),
                            scored="question")
    easier = sum(right_or_wrong(wins_random, "wins_random", "question"))
    if easier < sum(right_or_wrong(wins_hard, "wins_hard", "question")):
        raise Incorrect("the answer beats the hardest sentence more often than a random one in "
                        "your lists: is a random sentence ever harder than the hardest?")
    return f"beating a random sentence minus beating the hardest: {reading}"


exercise3 = Exercise(
    number=3,
    todo="replace each ____: the body of hardest_negative, whether the answer beats a random and "
    'the hardest sentence for each question, and your verdict, "within noise" or "beyond '
    'noise"; then run the cell',
    expects="a function hardest_negative(scores, gold) returning an index, two lists of one "
    "True/False per question, and a verdict",
    checker=check_hard_negatives,
    hint_text="Leave the answer's index out and take the highest remaining score. For the wins, "
    "embed each paragraph's sentences (pairs.sentence_spans, pairs.answer_sentence, "
    "embed_sentences with normalize=True) and compare scores[gold] with a random other "
    "sentence's and with scores[hardest_negative(scores, gold)].",
    solution_code="""
def hardest_negative(scores, gold):
    others = [i for i in range(len(scores)) if i != gold]
    return max(others, key=lambda i: scores[i])


questions, right = [], []  # per question: the answer's index, its paragraph's vectors
for paragraph in (p for article in articles["test"] for p in article["paragraphs"]):
    spans = pairs.sentence_spans(paragraph["context"])
    if len(spans) < 2:
        continue
    sentences = [paragraph["context"][a:b] for a, b in spans]
    vectors = embed_sentences(sentences, tokenizer, encoder, normalize=True, progress=False)
    for qa in paragraph["qas"]:
        holding = pairs.answer_sentence(spans, qa)
        if holding is not None:
            questions.append(qa["question"])
            right.append((holding, vectors))
    if len(questions) >= 500:
        break
question_vectors = embed_sentences(questions, tokenizer, encoder, normalize=True, progress=False)
wins_random, wins_hard, rng = [], [], random.Random(0)
for vector, (gold, sentence_vectors) in zip(question_vectors, right):
    scores = sentence_vectors @ vector
    others = [i for i in range(len(scores)) if i != gold]
    wins_hard.append(bool(scores[gold] > scores[hardest_negative(scores, gold)]))
    wins_random.append(bool(scores[gold] > scores[rng.choice(others)]))
exercise3.check(hardest_negative, wins_random, wins_hard, "beyond noise")
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 4 · the texts swapped -----------------------------------------------------------


def check_swapped(swapped_dataset: Any, test_pairs: Any, trained: Any, swapped: Any,
                  verdict: Any) -> str:
    """Exercise 4: (sentence, question) in that order for every pair; the verdict on the gap."""
    try:
        size = len(swapped_dataset)
        count = len(test_pairs)
    except TypeError:
        raise Incorrect(f"swapped_dataset is {type_name(swapped_dataset)}; expected a dataset "
                        "built like test_dataset, with the texts swapped") from None
    if size != count:
        raise Incorrect(f"swapped_dataset holds {size} examples for {count} test pairs; "
                        "tokenize every test pair")
    for index in sorted({0, count // 2, count - 1}):
        pair, name = test_pairs[index], f"swapped_dataset[{index}]"
        first, second = segments(ids_of(swapped_dataset[index], name), name)
        if first == pieces(pair.text)[: len(first)] and first:
            raise Incorrect(f"{name} starts with the question: put the sentence first "
                            "(segment 0) and the question second")
        if first != pieces(pair.text_pair)[: len(first)] or second != pieces(pair.text)[
                : len(second)]:  # fmt: skip
            raise Incorrect(f"{name} does not hold test pair {index}'s sentence and question; "
                            "keep the test pairs' order")
        if swapped_dataset[index].get("labels") != pair.label:
            raise Incorrect(f"{name}'s label is not test pair {index}'s")
    reading = check_verdict(trained, swapped, verdict, ("cross_correct", "swapped"),
                            scored=PAIRS)
    return f"as trained minus swapped: {reading}"


exercise4 = Exercise(
    number=4,
    todo="replace each ____: test_pairs tokenized as (sentence, question), the cross-encoder's "
    'right-or-wrong on them, and your verdict, "within noise" or "beyond noise"; then run the '
    "cell",
    expects="a dataset like test_dataset, test_pairs, two lists of one True/False per held-out "
    "pair, and a verdict",
    checker=check_swapped,
    hint_text="tokenize_sentences takes the first texts, the labels and text_pairs=the second "
    "texts: give it the sentences (p.text_pair) first and the questions (p.text) as pairs.",
    solution_code="""
swapped_dataset = tokenize_sentences(
    [p.text_pair for p in test_pairs], [p.label for p in test_pairs], tokenizer, num_labels=2,
    max_length=QNLI_RECIPE.max_length, text_pairs=[p.text for p in test_pairs],
)
swapped = predictions(cross_encoder, swapped_dataset) == test_labels
print(noise.verdict(noise.difference(cross_correct, swapped)))
exercise4.check(swapped_dataset, test_pairs, cross_correct, swapped, "within noise")
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 5 · forward passes --------------------------------------------------------------

SIZE_CASES = [(10, 3, 2), (1, 1, 1), (1_000, 7, 30), (1_000_000, 1_000, 30)]


def check_forward_passes(forward_passes: Any) -> str:
    """Exercise 5: the bi-encoder's, cross-encoder's and rerank's passes on hidden sizes."""
    if not callable(forward_passes):
        raise Incorrect(f"forward_passes is {type_name(forward_passes)}; expected your "
                        "function forward_passes(n_sentences, n_questions, k)")
    for n, q, k in SIZE_CASES:
        case = f"N={n:,}, Q={q:,}, k={k}"
        counts = call_learner(forward_passes, n, q, k, case=case)
        if not isinstance(counts, Mapping):
            raise Incorrect(f"forward_passes returned {type_name(counts)} on {case}; expected "
                            'a dict: {"bi-encoder": ..., "cross-encoder": ..., "rerank": ...}')
        found = {}
        for kind in ("bi", "cross", "rerank"):
            keys = [key for key in counts if isinstance(key, str) and kind in key.lower()]
            if len(keys) != 1:
                raise Incorrect(f"forward_passes returned the keys {list(counts)}; expected "
                                'one key with each of "bi", "cross" and "rerank" in its name')
            found[kind] = whole_number(counts[keys[0]], f"{keys[0]!r} on {case}")
        if found["bi"] != n + q:
            raise Incorrect(f"the bi-encoder gives {found['bi']:,} on {case}: it embeds each "
                            "sentence and each question once, alone")
        if found["cross"] != n * q:
            raise Incorrect(f"the cross-encoder gives {found['cross']:,} on {case}: it reads "
                            "every (question, sentence) pair")
        if found["rerank"] == k * q:
            raise Incorrect(f"rerank gives {k * q:,} on {case}: the shortlist comes from the "
                            "bi-encoder, whose passes count too")
        if found["rerank"] != n + q + k * q:
            raise Incorrect(f"rerank gives {found['rerank']:,} on {case}: the bi-encoder's "
                            "passes, then the cross-encoder on k sentences per question")
    return ("a million sentences and a thousand questions: a billion cross-encoder passes "
            "against 1,001,000 for the bi-encoder and 30,000 more to rerank the top 30")


exercise5 = Exercise(
    number=5,
    todo="replace each ____ in forward_passes with a count in n_sentences, n_questions and k; "
    "then run the cell",
    expects='a function forward_passes(n_sentences, n_questions, k) returning a dict with the '
    '"bi-encoder", "cross-encoder" and "rerank" counts',
    checker=check_forward_passes,
    hint_text="Which texts does each read alone, and which in pairs? Reranking first retrieves "
    "with the bi-encoder, then reads k pairs per question.",
    solution_code="""
def forward_passes(n_sentences, n_questions, k):
    return {
        "bi-encoder": n_sentences + n_questions,
        "cross-encoder": n_sentences * n_questions,
        f"rerank top {k}": n_sentences + n_questions + k * n_questions,
    }


exercise5.check(forward_passes)
""",
    solutions_notebook=SOLUTIONS,
)
