"""Mapping original words to BERT sub-tokens and back, and aligning word labels to tokens.

Taught in notebook 01 (the classic `orig_to_tok_index` loop next to the fast tokenizer's
`word_ids()`; tests check the notebook's loop against `align_words`), used for NER in notebook 04.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bert_tutorial.checks import check_strings

IGNORE_INDEX = -100  # the label PyTorch's CrossEntropyLoss skips by default


class EmptyWordError(ValueError):
    """A word produced no tokens at all (e.g. only control or zero-width characters)."""


class SequenceTooLongError(ValueError):
    """The words produce more tokens than the model accepts."""


@dataclass(frozen=True)
class WordAlignment:
    """Tokens of a list of words, with the word -> token mapping in both directions."""

    words: tuple[str, ...]
    input_ids: list[int]
    tokens: list[str]
    token_to_word: list[int | None]  # word index of each token; None for [CLS], [SEP], padding
    word_to_tokens: list[tuple[int, ...]]  # token positions of each word; () when it has none
    truncated: bool  # True when words past `max_length` were cut off

    @property
    def word_to_first_token(self) -> list[int | None]:
        """Position of each word's first sub-token, or None for a word without tokens."""
        return [positions[0] if positions else None for positions in self.word_to_tokens]

    @property
    def words_without_tokens(self) -> list[int]:
        """Indices of words that have no token (empty after normalisation, or cut off)."""
        return [i for i, positions in enumerate(self.word_to_tokens) if not positions]


def align_words(
    words: Sequence[str],
    tokenizer: Any,
    *,
    max_length: int | None = None,
    truncation: bool = False,
    allow_empty_words: bool = False,
) -> WordAlignment:
    """Tokenize pre-split `words` with a fast tokenizer and map words to tokens both ways."""
    words = tuple(check_strings(words, "words"))
    limit = _max_length(tokenizer, max_length)
    encoding = tokenizer(list(words), is_split_into_words=True, truncation=False)
    truncated = len(encoding["input_ids"]) > limit
    if truncated:
        if not truncation:
            raise SequenceTooLongError(
                f"the {len(words)} words give {len(encoding['input_ids'])} tokens, more than the "
                f"maximum of {limit}; pass truncation=True to cut (the cut words then map to no "
                f"token) or split the text into shorter pieces"
            )
        encoding = tokenizer(
            list(words), is_split_into_words=True, truncation=True, max_length=limit
        )
    token_to_word = encoding.word_ids()
    word_to_tokens: list[list[int]] = [[] for _ in words]
    for position, word_index in enumerate(token_to_word):
        if word_index is not None:
            word_to_tokens[word_index].append(position)
    if not allow_empty_words:
        # After a cut, the words past the last kept token are missing because of the cut.
        kept = len(words)
        if truncated:
            kept = 1 + max((w for w in token_to_word if w is not None), default=-1)
        for i, positions in enumerate(word_to_tokens[:kept]):
            if not positions:
                raise EmptyWordError(_empty_word_message(i, words[i]))
    return WordAlignment(
        words=words,
        input_ids=list(encoding["input_ids"]),
        tokens=encoding.tokens(),
        token_to_word=token_to_word,
        word_to_tokens=[tuple(p) for p in word_to_tokens],
        truncated=truncated,
    )


def align_labels(
    alignment: WordAlignment,
    labels: Sequence[int],
    *,
    ignore_index: int = IGNORE_INDEX,
    label_all_tokens: bool = False,
    continuation: Mapping[int, int] | None = None,
) -> list[int]:
    """Return one label per token: the word's label on its first sub-token, else `ignore_index`.

    With `label_all_tokens=True` the continuation pieces get a label too: the word's own, or
    `continuation[label]` when given (map each `B-` id to its `I-` id, or an entity that
    starts in the middle of a word would be counted twice).
    """
    if isinstance(labels, str) or not isinstance(labels, Sequence):
        raise TypeError(f"labels must be a list of ints, one per word, got {type(labels).__name__}")
    if len(labels) != len(alignment.words):
        raise ValueError(
            f"got {len(labels)} labels for {len(alignment.words)} words; give exactly one label "
            f"per word"
        )
    for i, label in enumerate(labels):
        if not isinstance(label, int) or isinstance(label, bool):
            raise TypeError(
                f"label {i} is {label!r}; labels must be int ids "
                f"(map tag names with label2id first)"
            )
    token_labels = [ignore_index] * len(alignment.input_ids)
    for word_index, positions in enumerate(alignment.word_to_tokens):
        if not positions:
            continue
        label = labels[word_index]
        token_labels[positions[0]] = label
        if label_all_tokens:
            rest = continuation.get(label, label) if continuation else label
            for position in positions[1:]:
                token_labels[position] = rest
    return token_labels


def b_to_i_continuation(label_names: Sequence[str]) -> dict[int, int]:
    """Map each `B-x` label id to the id of `I-x` (for labelling every sub-token)."""
    ids = {name: i for i, name in enumerate(label_names)}
    mapping = {}
    for name, i in ids.items():
        if name.startswith("B-"):
            inside = "I-" + name[2:]
            if inside not in ids:
                raise ValueError(f"label {name!r} has no matching {inside!r} in label_names")
            mapping[i] = ids[inside]
    return mapping


def token_values_to_words(
    alignment: WordAlignment, token_values: Sequence[Any], *, fallback: Any = None
) -> list[Any]:
    """Return one value per word, read at its first sub-token; `fallback` for words without one."""
    assert len(token_values) == len(alignment.input_ids), (
        f"got {len(token_values)} token values for {len(alignment.input_ids)} tokens (no padding)"
    )
    return [
        token_values[position] if position is not None else fallback
        for position in alignment.word_to_first_token
    ]


def _max_length(tokenizer: Any, max_length: int | None) -> int:
    model_max = getattr(tokenizer, "model_max_length", None)
    # Tokenizers without a known limit report a huge sentinel (int(1e30)).
    model_max = model_max if isinstance(model_max, int) and model_max < 1_000_000 else None
    limit = max_length or model_max
    assert limit is not None, "the tokenizer has no model_max_length; pass max_length"
    assert limit >= 3, f"max_length must be >= 3 ([CLS], a token, [SEP]), got {limit}"
    assert model_max is None or limit <= model_max, (
        f"max_length={limit} exceeds the model's maximum of {model_max}"
    )
    return limit


def _empty_word_message(index: int, word: str) -> str:
    return (
        f"word {index} ({word!r}) produces no tokens (empty, or only characters the tokenizer "
        f"removes); drop or replace it before aligning, or pass allow_empty_words=True to map it "
        f"to no token"
    )


def best_windows(windows, words: Sequence[str], tokenizer: Any) -> list[tuple[int, int]]:
    """Return, per word, (window, position of its first sub-token) in the overlapping window
    where it lies whole with the most context on its shorter side (notebook 01).

    `windows` is the tokenizer's output for `words` with `return_overflowing_tokens=True`.
    """
    pieces = [len(tokenizer.tokenize(word)) for word in words]
    best: dict[int, tuple[int, int, int]] = {}  # word index -> (context, window, position)
    for window in range(len(windows["input_ids"])):
        word_ids = windows.word_ids(window)
        whole = {w for w, n in Counter(word_ids).items() if w is not None and n == pieces[w]}
        for position, w in enumerate(word_ids):
            if w not in whole or word_ids[position - 1] == w:
                continue  # a special token, a word cut at the edge, or not its first piece
            context = min(position, len(word_ids) - 1 - position)
            if w not in best or context > best[w][0]:
                best[w] = (context, window, position)
    assert len(best) == len(words), f"{len(words) - len(best)} words lie whole in no window"
    return [best[w][1:] for w in range(len(words))]
