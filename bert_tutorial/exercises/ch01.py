"""Checks for the five exercises of notebook 01 (the tokenizer); read them after trying.

Each check compares the learner's value with what it computes itself from the same inputs,
using the packaged BERT tokenizer (and GPT-2's byte-level BPE for exercise 3), loaded on the
first check. Exercise 4 calls the learner's function on words they have not seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from bert_tutorial.exercises import (
    Exercise,
    Incorrect,
    ____,
    a_word,
    as_list,
    call_learner,
    rows_of_ids,
    strings,
    type_name,
    whole_number,
)

__all__ = ["____", "exercise1", "exercise2", "exercise3", "exercise4", "exercise5"]
SOLUTIONS = "notebooks/solutions/01_tokenizer_solutions.ipynb"


@cache
def bert_tokenizer() -> Any:
    """Return the packaged BERT tokenizer, the one notebook 01 loads (loaded once)."""
    from transformers import BertTokenizer

    from bert_tutorial.models import model_path

    return BertTokenizer.from_pretrained(model_path())


@cache
def bpe_tokenizer() -> Any:
    """Return GPT-2's byte-level BPE through RobertaTokenizer, as notebook 01 loads it."""
    from transformers import RobertaTokenizer

    from bert_tutorial import assets

    return RobertaTokenizer.from_pretrained(assets.fetch("gpt2_bpe"))


# Exercise 1 · your own words ------------------------------------------------------------


def check_pieces(word: Any, pieces: Any, continuation: Any) -> str:
    """Exercise 1: `pieces` are the word's WordPiece pieces, `continuation` those with ##."""
    word = a_word(word, "word")
    tokenizer = bert_tokenizer()
    expected = tokenizer.tokenize(word)
    if isinstance(pieces, list | tuple) and pieces and all(isinstance(p, int) for p in pieces):
        raise Incorrect("your pieces are token ids; expected the pieces as strings (tokenize)")
    pieces = strings(pieces, "pieces")
    specials = [p for p in pieces if p in tokenizer.all_special_tokens]
    if specials and [p for p in pieces if p not in specials] == expected:
        raise Incorrect(
            f"your pieces include the special tokens {specials}; they frame a whole input, "
            f"the word's own pieces come from tokenizer.tokenize(word)"
        )
    if any(p.startswith("Ġ") for p in pieces) or pieces == bpe_tokenizer().tokenize(word):
        raise Incorrect("your pieces are byte-level BPE pieces (Ġ); use BERT's `tokenizer`")
    if pieces != expected:
        if pieces in ([word], word.split(), [word.lower()]) and len(expected) > 1:
            raise Incorrect(f"your pieces keep {word!r} whole; WordPiece cuts it in pieces")
        if pieces == list(word) or pieces == list(word.lower()):
            raise Incorrect("your pieces are the word's characters; WordPiece uses longer pieces")
        raise Incorrect(
            f"BERT's tokenizer cuts {word!r} into {len(expected)} piece(s); your {len(pieces)} "
            f"piece(s) {pieces} differ (tokenize lowercases and strips accents first)"
        )
    expected_continuation = [p for p in expected if p.startswith("##")]
    if isinstance(continuation, int) and not isinstance(continuation, bool):
        raise Incorrect("continuation is a number; expected the list of pieces that start with ##")
    continuation = strings(continuation, "continuation")
    if continuation != expected_continuation:
        if continuation == [p.removeprefix("##") for p in expected_continuation]:
            raise Incorrect("keep the ## on the continuation pieces: it is part of each piece")
        if expected[0] in continuation:
            raise Incorrect(
                f"your continuation pieces include {expected[0]!r}, the word's first piece: "
                f"it starts the word and has no ##"
            )
        raise Incorrect(f"your continuation pieces {continuation} are not the pieces with ##")
    if not expected_continuation:
        return f"{word!r} is one piece, whole in the vocabulary; try a rarer word to see ## pieces"
    return (
        f"{word!r} becomes {len(expected)} pieces, {len(expected_continuation)} of them "
        f"continuation pieces: only the first piece lacks ##"
    )


exercise1 = Exercise(
    number=1,
    todo="replace each ____: pieces = the word's WordPiece pieces, continuation = those "
    "starting with ##; then run the cell",
    expects="pieces and continuation as lists of strings, e.g. ['electro', '##ence']",
    checker=check_pieces,
    hint_text="tokenizer.tokenize(word) gives the pieces; a list comprehension with "
    "p.startswith('##') picks the continuation pieces.",
    solution_code="""
word = "electroencephalography"
pieces = tokenizer.tokenize(word)
continuation = [p for p in pieces if p.startswith("##")]
exercise1.check(word, pieces, continuation)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 2 · the cost of fixed-length padding ------------------------------------------

MAX_LENGTH = 32
WHY_PADDING = {
    "a": "the attention mask only keeps tokens from attending to padding; the padded "
    "positions still go through every layer, at the cost of real ones",
    "c": "the feed-forward layers run on every position too, padded or not",
}


def check_padding(texts: Any, fixed: Any, num_padding: Any, why: Any = None) -> str:
    """Exercise 2: `fixed` is `texts` padded to 32; `num_padding` counts its [PAD] tokens."""
    texts = strings(texts, "texts")
    if not texts:
        raise Incorrect("texts is empty; use section 5's batch, texts")
    tokenizer = bert_tokenizer()
    rows = rows_of_ids(fixed, "fixed")
    if len(rows) != len(texts):
        raise Incorrect(f"fixed has {len(rows)} rows for your {len(texts)} texts")
    unpadded = tokenizer(texts)["input_ids"]
    longest = max(len(ids) for ids in unpadded)
    lengths = sorted({len(row) for row in rows})
    if lengths == [longest] and longest != MAX_LENGTH:
        raise Incorrect(
            f"your rows are {longest} tokens long, padded to the longest text (padding=True); "
            f'pad to {MAX_LENGTH} with padding="max_length", max_length={MAX_LENGTH}'
        )
    if lengths != [MAX_LENGTH]:
        raise Incorrect(f"your rows are {lengths} tokens long; each should be {MAX_LENGTH}")
    expected = tokenizer(texts, padding="max_length", max_length=MAX_LENGTH, truncation=True)
    if rows != expected["input_ids"]:
        raise Incorrect("fixed holds other ids than BERT's tokenizer gives for texts")
    num_padding = whole_number(num_padding, "num_padding")
    total = len(rows) * MAX_LENGTH
    padding = sum(row.count(tokenizer.pad_token_id) for row in rows)
    real = total - padding
    if num_padding != padding:
        specials = 2 * len(rows)  # [CLS] and [SEP] in every row
        per_row = [row.count(tokenizer.pad_token_id) for row in rows]
        mistakes = {
            padding + specials: f"you counted the {specials} [CLS] and [SEP] tokens as padding; "
            "they are real tokens, with attention mask 1",
            real: f"{real} is the number of real tokens; padding is what fills the rest",
            total: f"{total} is every position; padding is those with attention mask 0",
            longest * len(rows) - real: "that is the padding to the longest text (padding=True); "
            f"count it in the rows of {MAX_LENGTH}",
        }
        for i, count in enumerate(per_row):
            mistakes.setdefault(count, f"that is row {i}'s padding alone; add up every row")
        raise Incorrect(
            mistakes.get(
                num_padding,
                f"{num_padding} is not the number of [PAD] tokens in fixed: count the positions "
                f"whose attention mask is 0",
            )
        )
    if why is None:
        raise Incorrect('why is missing: pass why="a", "b" or "c" (the choices in the cell)')
    if why != "b":
        raise Incorrect(WHY_PADDING.get(why, f'why is {why!r}; choose "a", "b" or "c"'))
    return (
        f"{padding} of {total} positions ({padding / total:.0%}) are padding and each costs "
        f"as much as a real token; padding to the longest text would need {longest * len(rows)}"
    )


exercise2 = Exercise(
    number=2,
    todo='replace each ____: fixed = texts tokenized with padding="max_length", '
    "max_length=32; num_padding = how many of its tokens are padding; why = your choice",
    expects='the tokenizer\'s output, a whole number and why="a", "b" or "c"',
    checker=check_padding,
    hint_text="Padding tokens have attention mask 0 (and id tokenizer.pad_token_id); "
    "[CLS] and [SEP] are real tokens. Sum over every row.",
    solution_code="""
fixed = tokenizer(texts, padding="max_length", max_length=32)
num_padding = sum(mask.count(0) for mask in fixed["attention_mask"])
why = "b"  # every position goes through every layer, padded or not
exercise2.check(texts, fixed, num_padding, why=why)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 3 · [UNK] in WordPiece, nothing lost in byte-level BPE ------------------------


def check_unknown_word(word: Any, bert_decoded: Any, bpe_decoded: Any) -> str:
    """Exercise 3: `word` is [UNK] for BERT; both decodings are what each tokenizer gives."""
    word = a_word(word, "unk_word")
    bert, bpe = bert_tokenizer(), bpe_tokenizer()
    ids = bert(word, add_special_tokens=False)["input_ids"]
    if bert.unk_token_id not in ids:
        raise Incorrect(
            f"BERT's tokenizer spells {word!r} as {bert.convert_ids_to_tokens(ids)}, with no "
            f"[UNK]; choose a word with a character its vocabulary lacks (an emoji, runes)"
        )
    bpe_ids = bpe(word, add_special_tokens=False)["input_ids"]
    expected = bert.decode(ids)
    for name, value in (("bert_decoded", bert_decoded), ("bpe_decoded", bpe_decoded)):
        if not isinstance(value, str):
            raise Incorrect(
                f"{name} is {type_name(value)}; expected the decoded text, a string "
                f"(tokenizer.decode(ids))"
            )
    if bert_decoded != expected:
        if bert_decoded == bert.decode(bert(word)["input_ids"]):
            raise Incorrect(
                "your BERT decoding holds [CLS] and [SEP]; encode with add_special_tokens=False "
                "to compare the word alone"
            )
        if bert_decoded == bert.decode(ids, skip_special_tokens=True):
            raise Incorrect(
                "skip_special_tokens=True removed the [UNK] too ([UNK] is a special token); "
                "decode without it and encode with add_special_tokens=False"
            )
        if bert_decoded == word:
            raise Incorrect(
                f"BERT's tokenizer cannot give {word!r} back; decode its ids with `tokenizer`"
            )
        raise Incorrect(f"{bert_decoded!r} is not what BERT's tokenizer decodes {word!r} to")
    if bpe_decoded != word:
        if bpe_decoded == expected:
            raise Incorrect("bpe_decoded is BERT's decoding; encode and decode with bpe_tokenizer")
        if bpe_decoded == bpe.decode(bpe(word)["input_ids"]):
            raise Incorrect(
                "your BPE decoding holds <s> and </s>; encode with add_special_tokens=False"
            )
        raise Incorrect(f"byte-level BPE gives {word!r} back exactly; yours is {bpe_decoded!r}")
    return (
        f"BERT gives {word!r} back as {expected!r}; byte-level BPE spells it in "
        f"{len(bpe_ids)} byte-level tokens and gives it back exactly"
    )


exercise3 = Exercise(
    number=3,
    todo="replace each ____: unk_word = a word BERT turns into [UNK]; bert_decoded and "
    "bpe_decoded = the word encoded without special tokens and decoded by each tokenizer",
    expects="a word and two strings",
    checker=check_unknown_word,
    hint_text="Section 3 shows that an emoji turns a whole "
    "word into [UNK]. Encode with add_special_tokens=False, then decode the ids.",
    solution_code="""
unk_word = "ᚠᚢᚦ"  # runes: no rune is in BERT's vocabulary
bert_decoded = tokenizer.decode(tokenizer(unk_word, add_special_tokens=False)["input_ids"])
bpe_decoded = bpe_tokenizer.decode(bpe_tokenizer(unk_word, add_special_tokens=False)["input_ids"])
exercise3.check(unk_word, bert_decoded, bpe_decoded)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 4 · label every sub-token -----------------------------------------------------

LABEL_NAMES = ["O", "B-person", "I-person", "B-geo-loc", "I-geo-loc"]
# Hidden cases: (words, tags, label names, what the case tests); the learner has not seen them.
HIDDEN_CASES = [
    (["Arnold", "Schwarzenegger", "visited", "Kalamazoo"],
     ["B-person", "I-person", "O", "B-geo-loc"], LABEL_NAMES, "an entity of two words"),
    (["Björk", "sang", "at", "the", "Nürburgring"],
     ["B-person", "O", "O", "O", "B-geo-loc"], LABEL_NAMES, "accented words"),
    (["electroencephalography", "in", "Reykjavík"],
     ["O", "O", "B-geo-loc"], LABEL_NAMES, "a long word outside any entity"),
    (["Delangue", "\u200b", "Dvořák"],
     ["B-person", "O", "B-person"], LABEL_NAMES, "a word with no tokens (a zero-width space)"),
    (["Kalamazoo", "is", "far"], ["B-geo-loc", "O", "O"],
     ["I-geo-loc", "B-geo-loc", "O", "I-person", "B-person"], "labels in another order"),
    ([], [], LABEL_NAMES, "empty input (no words)"),
]  # fmt: skip


def hidden_alignment(words: list[str]) -> Any:
    """Return the alignment of `words` (an empty one for no words) with BERT's tokenizer."""
    from bert_tutorial.align import WordAlignment, align_words

    tokenizer = bert_tokenizer()
    if words:
        return align_words(words, tokenizer, allow_empty_words=True)
    ids = [tokenizer.cls_token_id, tokenizer.sep_token_id]
    return WordAlignment((), ids, tokenizer.convert_ids_to_tokens(ids), [None, None], [], False)


def expected_every_subtoken(alignment: Any, labels: list[int], label_names: list[str]) -> list:
    """Return the reference answer: the package's alignment with B- turned to I- on pieces."""
    from bert_tutorial.align import align_labels, b_to_i_continuation

    continuation = b_to_i_continuation(label_names)
    return align_labels(alignment, labels, label_all_tokens=True, continuation=continuation)


def check_every_subtoken(align_every_subtoken: Any) -> str:
    """Exercise 4: the learner's function labels every piece, B- -> I- after the first."""
    if not callable(align_every_subtoken):
        raise Incorrect(
            f"expected your function itself, align_every_subtoken (no brackets), got "
            f"{type_name(align_every_subtoken)}"
        )
    for words, tags, names, what in HIDDEN_CASES:
        alignment = hidden_alignment(words)
        labels = [names.index(tag) for tag in tags]
        case = f"the words {words} ({what})"
        result = call_learner(align_every_subtoken, alignment, labels, names, case=case)
        got = token_labels(result, case)
        expected = expected_every_subtoken(alignment, labels, names)
        if len(got) != len(expected):
            missing = "; you left out [CLS] and [SEP]" if len(got) == len(expected) - 2 else ""
            raise Incorrect(
                f"your function gave {len(got)} labels for the {len(expected)} tokens of "
                f"{case}{missing}: one label per token, -100 on [CLS] and [SEP]"
            )
        for position, (mine, right) in enumerate(zip(got, expected, strict=True)):
            if mine != right:
                raise Incorrect(mistake(alignment, position, mine, right, names, case))
    return (
        f"every sub-token labelled, B- only on first pieces, on {len(HIDDEN_CASES)} hidden "
        f"cases (accents, long words, a word with no tokens, empty input); the first pieces "
        f"still give back the word labels"
    )


def token_labels(result: Any, case: str) -> list[int]:
    """Return the learner's result as a list of ints, or raise Incorrect saying what it is."""
    if result is None:
        raise Incorrect(f"your function returned None on {case}; did it forget `return`?")
    labels = as_list(result, "your function's result", "a list of label ids, one per token")
    for i, label in enumerate(labels):
        if not isinstance(label, int) or isinstance(label, bool):
            raise Incorrect(
                f"label {i} of your result is {label!r}, {type_name(label)}; expected int ids "
                f"(label_names.index(name)), -100 for special tokens"
            )
    return labels


def mistake(alignment: Any, position: int, mine: int, right: int, names: list, case: str) -> str:
    """Return what is wrong at one token: special token, first piece or continuation piece."""

    def name(label: int) -> str:
        return names[label] if 0 <= label < len(names) else str(label)

    token = alignment.tokens[position]
    word_index = alignment.token_to_word[position]
    if word_index is None:
        return f"your labels put {name(mine)} on the special token {token}; it gets -100"
    word = alignment.words[word_index]
    if position == alignment.word_to_tokens[word_index][0]:
        return (
            f"the first piece {token!r} of {word!r} should carry its word's label "
            f"{name(right)}; yours has {name(mine)} (on {case})"
        )
    if mine == -100:
        return (
            f"your labels leave the continuation piece {token!r} of {word!r} at -100: that is "
            f"section 8's first-piece rule; here every piece gets a label"
        )
    if name(mine).startswith("B-"):
        return (
            f"your labels put {name(mine)} on the continuation piece {token!r} of {word!r}: "
            f"only a word's first piece may begin an entity, the others get {name(right)}"
        )
    return (
        f"your labels put {name(mine)} (id {mine}) on the continuation piece {token!r} of "
        f"{word!r}, expected {name(right)} (id {right}) on {case}; look I- labels up by name"
    )


exercise4 = Exercise(
    number=4,
    todo="write align_every_subtoken's body (replace ____), then run the cell: the check "
    "calls it on words you have not seen",
    expects="a function (alignment, labels, label_names) -> list of label ids, one per token",
    checker=check_every_subtoken,
    hint_text="Start from [-100] * len(alignment.input_ids). For each word, loop over "
    "alignment.word_to_tokens[i]; after the first piece, turn a B- name into I- and look its "
    "id up with label_names.index(...). A word may have no tokens.",
    solution_code="""
def align_every_subtoken(alignment, labels, label_names):
    token_labels = [-100] * len(alignment.input_ids)
    for word_index, positions in enumerate(alignment.word_to_tokens):
        for k, position in enumerate(positions):
            name = label_names[labels[word_index]]
            if k > 0 and name.startswith("B-"):
                name = "I-" + name[2:]
            token_labels[position] = label_names.index(name)
    return token_labels


exercise4.check(align_every_subtoken)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 5 · overlapping windows of at most 512 tokens ---------------------------------

WINDOW, STRIDE = 512, 64


def check_windows(
    text_words: Any, windows: Any, num_windows: Any, num_repeated: Any, chosen: Any
) -> str:
    """Exercise 5: the windows, their count, the repeated tokens and one window per word."""
    from bert_tutorial.align import best_windows

    words = strings(text_words, "text_words")
    tokenizer = bert_tokenizer()
    expected = tokenizer(words, is_split_into_words=True, truncation=True, max_length=WINDOW,
                         stride=STRIDE, return_overflowing_tokens=True)  # fmt: skip
    sizes = [len(ids) for ids in expected["input_ids"]]
    if len(sizes) < 2:
        raise Incorrect(f"text_words fits in one window ({sizes[0]} tokens); use 1,000 words")
    rows = rows_of_ids(windows, "windows") if not _flat(windows) else None
    if rows is None or len(rows) == 1:
        raise Incorrect("windows holds one window: pass return_overflowing_tokens=True")
    if max(len(row) for row in rows) > WINDOW:
        raise Incorrect(f"a window of yours has {max(map(len, rows))} tokens; at most {WINDOW}")
    pieces = [len(tokenizer.tokenize(word)) for word in words]
    whole_text = sum(pieces) + 2  # the text as one sequence, [CLS] and [SEP] included
    # Windows hold the text once, plus the repeated tokens and each later window's 2 specials.
    overlap = (sum(map(len, rows)) - whole_text - 2 * (len(rows) - 1)) / (len(rows) - 1)
    if overlap != STRIDE and all(row[-1] != tokenizer.pad_token_id for row in rows):
        raise Incorrect(f"your windows repeat {overlap:g} tokens each; pass stride={STRIDE}")
    if rows != expected["input_ids"]:
        raise Incorrect(
            f"your {len(rows)} windows of {[len(r) for r in rows]} tokens are not the "
            f"tokenizer's for text_words with max_length={WINDOW}, stride={STRIDE} (and no "
            f"padding)"
        )
    num_windows = whole_number(num_windows, "num_windows")
    if num_windows != len(rows):
        raise Incorrect(f"num_windows is {num_windows}; count the rows of windows['input_ids']")
    num_repeated = whole_number(num_repeated, "num_repeated")
    repeated = sum(sizes) - whole_text - 2 * (len(sizes) - 1)  # each later window adds 2 specials
    if num_repeated != repeated:
        mistakes = {
            repeated + 2 * (len(sizes) - 1): "you counted the [CLS] and [SEP] of each later "
            "window as repeated tokens; they are added, not repeated",
            STRIDE * len(sizes): f"you counted an overlap for all {len(sizes)} windows; the "
            "first repeats nothing",
            STRIDE: f"{STRIDE} is one overlap; every window after the first has one",
        }
        raise Incorrect(mistakes.get(num_repeated, f"{num_repeated} is not how many tokens "
                                     "the windows repeat: compare their sizes with the whole "
                                     "text's tokens"))  # fmt: skip
    chosen = as_list(chosen, "chosen", "one (window, position) pair per word")
    if len(chosen) != len(words):
        raise Incorrect(f"chosen has {len(chosen)} entries for {len(words)} words; one per word")
    best = best_windows(expected, words, tokenizer)
    for w, pair in enumerate(chosen):
        check_choice(expected, words, pieces, w, pair, best[w])
    return (
        f"{len(words)} words -> {len(sizes)} windows of {sizes} tokens, {repeated} tokens "
        f"repeated; every word is read once, whole, where it has most context"
    )


def _flat(value: Any) -> bool:
    """Whether `value` is one flat sequence of ids (the tokenizer's output without overflow)."""
    ids = value["input_ids"] if isinstance(value, Mapping) or hasattr(value, "keys") else value
    ids = ids.tolist() if hasattr(ids, "tolist") else ids
    return isinstance(ids, list | tuple) and bool(ids) and isinstance(ids[0], int)


def check_choice(
    windows: Any, words: list, pieces: list[int], w: int, pair: Any, best: tuple
) -> None:
    """Raise Incorrect unless `pair` reads word `w` whole, at its first piece, with most context."""
    if not isinstance(pair, list | tuple) or len(pair) != 2:
        raise Incorrect(f"chosen[{w}] is {pair!r}; expected a pair (window, position)")
    window, position = (whole_number(v, f"chosen[{w}]") for v in pair)
    if not 0 <= window < len(windows["input_ids"]):
        raise Incorrect(f"chosen[{w}] names window {window}; there are {len(windows['input_ids'])}")
    word_ids = windows.word_ids(window)
    if not 0 <= position < len(word_ids) or word_ids[position] != w:
        raise Incorrect(
            f"chosen[{w}] = {(window, position)} is not a token of word {w} ({words[w]!r})"
        )
    if position > 0 and word_ids[position - 1] == w:
        raise Incorrect(f"chosen[{w}] reads {words[w]!r} at a continuation piece, not its first")
    if word_ids.count(w) != pieces[w]:
        raise Incorrect(
            f"word {w} ({words[w]!r}) is cut at the edge of window {window}: read it from a "
            f"window that holds it whole"
        )

    def context(window: int, position: int) -> int:
        return min(position, len(windows.word_ids(window)) - 1 - position)

    if context(window, position) < context(*best):
        raise Incorrect(
            f"word {w} ({words[w]!r}) has {context(window, position)} tokens of context on its "
            f"shorter side in window {window}, {context(*best)} in window {best[0]}: read it "
            f"where it lies farthest from an edge"
        )


exercise5 = Exercise(
    number=5,
    todo="replace each ____: windows, their number, how many tokens they repeat, and "
    "chosen, the (window, position) each word is read from; then run the cell",
    expects="the tokenizer's output, two whole numbers and a list of (window, position) pairs",
    checker=check_windows,
    hint_text="Call the tokenizer with is_split_into_words=True, truncation=True, "
    "max_length=512, stride=64, return_overflowing_tokens=True. Repeated tokens: the windows' "
    "sizes added up, less the whole text's tokens, less the [CLS] and [SEP] each extra window "
    "adds. best_windows (section 9) picks each word's window.",
    solution_code="""
windows = tokenizer(text_words, is_split_into_words=True, truncation=True, max_length=512,
                    stride=64, return_overflowing_tokens=True)
sizes = [len(ids) for ids in windows["input_ids"]]
whole_text = len(tokenizer(text_words, is_split_into_words=True)["input_ids"])
num_windows = len(sizes)
num_repeated = sum(sizes) - whole_text - 2 * (num_windows - 1)
chosen = best_windows(windows, text_words, tokenizer)
exercise5.check(text_words, windows, num_windows, num_repeated, chosen)
""",
    solutions_notebook=SOLUTIONS,
)
