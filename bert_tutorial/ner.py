"""Token classification on word-labelled data (notebook 04): encode, predict, decode to words.

Labels belong to words; BERT sees sub-tokens. Encoding puts each word's label on its first
sub-token (`align.align_labels`); decoding reads each word's prediction there again. A word
without any token (it normalises to nothing, or lies past the `max_length` cut) cannot be
predicted: it gets the stated fallback tag, "O", and is counted, never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from bert_tutorial.align import WordAlignment, align_labels, align_words, token_values_to_words
from bert_tutorial.data import TaggedSentence
from bert_tutorial.training import TokenizedDataset, make_batches, predict_logits

FALLBACK_TAG = "O"


@dataclass(frozen=True)
class EncodedSentences:
    """Tokenized sentences with token labels, and the alignment of each back to its words."""

    dataset: TokenizedDataset
    alignments: list[WordAlignment]

    @property
    def words_without_tokens(self) -> int:
        """How many words got no token (they will be predicted as the fallback tag)."""
        return sum(len(a.words_without_tokens) for a in self.alignments)


def tag_names(sentences: Sequence[TaggedSentence]) -> list[str]:
    """Return "O" and then, per entity type in alphabetical order, its B- and I- tags."""
    for index, sentence in enumerate(sentences):
        check_bio_tags(sentence.tags, f"sentence {index}")
    types = sorted({tag[2:] for s in sentences for tag in s.tags if tag != FALLBACK_TAG})
    return [FALLBACK_TAG] + [f"{prefix}-{name}" for name in types for prefix in ("B", "I")]


def split_to_window(
    sentences: Sequence[TaggedSentence], tokenizer, max_length: int = 128
) -> tuple[list[TaggedSentence], int]:
    """Cut each sentence whose words take more than `max_length` tokens ([CLS] and [SEP]
    included) between words into consecutive pieces that fit; return them and how many were cut.

    Truncation would drop every word past the window from training without a word.
    """
    room, pieces, cut = max_length - 2, [], 0
    for sentence in sentences:
        words = list(sentence.words)
        lengths = [len(ids) for ids in tokenizer(words, add_special_tokens=False)["input_ids"]
                   ] if words else []  # fmt: skip
        if sum(lengths) <= room:
            pieces.append(sentence)
            continue
        cut += 1
        start = used = 0
        for i, length in enumerate(lengths):
            if used + length > room and i > start:  # a single word past `room` stays whole
                pieces.append(TaggedSentence(sentence.words[start:i], sentence.tags[start:i]))
                start, used = i, 0
            used += length
        pieces.append(TaggedSentence(sentence.words[start:], sentence.tags[start:]))
    return pieces, cut


def encode_tagged(
    sentences: Sequence[TaggedSentence],
    tokenizer,
    label2id: dict[str, int],
    *,
    max_length: int = 128,
    label_all_tokens: bool = False,
    continuation: dict[int, int] | None = None,
) -> EncodedSentences:
    """Tokenize word-tagged sentences and put each word's label id on its first sub-token."""
    if len(sentences) == 0:
        raise ValueError("no sentences to encode; give at least one tagged sentence")
    features, alignments = [], []
    for index, sentence in enumerate(sentences):
        if len(sentence.words) != len(sentence.tags):
            raise ValueError(
                f"sentence {index} has {len(sentence.words)} words but {len(sentence.tags)} tags"
            )
        unknown = sorted({tag for tag in sentence.tags if tag not in label2id})
        if unknown:
            raise KeyError(f"sentence {index} has tags {unknown} that are not in label2id")
        alignment = align_words(
            sentence.words,
            tokenizer,
            max_length=max_length,
            truncation=True,
            allow_empty_words=True,
        )
        labels = align_labels(
            alignment,
            [label2id[tag] for tag in sentence.tags],
            label_all_tokens=label_all_tokens,
            continuation=continuation,
        )
        features.append({"input_ids": alignment.input_ids, "labels": labels})
        alignments.append(alignment)
    return EncodedSentences(TokenizedDataset(features), alignments)


def predict_word_tags(
    model,
    encoded: EncodedSentences,
    id2label: dict[int, str],
    device: torch.device,
    *,
    pad_token_id: int,
    batch_size: int = 64,
) -> list[list[str]]:
    """Return one predicted tag per original word, read at each word's first sub-token."""
    fallback = next((i for i, name in id2label.items() if name == FALLBACK_TAG), None)
    if fallback is None:
        raise ValueError(
            f"id2label has no {FALLBACK_TAG!r} tag, which words without a token are given; "
            f"build the labels with tag_names(...)"
        )
    batches = make_batches(encoded.dataset, batch_size, pad_token_id)  # in order
    predicted = predict_logits(model, batches, device).argmax(dim=-1)  # (sentences, seq_len)
    token_predictions = [
        predicted[row, : len(feature["input_ids"])].tolist()
        for row, feature in enumerate(encoded.dataset.features)
    ]
    return [
        [id2label[i] for i in token_values_to_words(alignment, predictions, fallback=fallback)]
        for alignment, predictions in zip(encoded.alignments, token_predictions, strict=True)
    ]


def entities(words: Sequence[str], tags: Sequence[str]) -> list[tuple[str, str]]:
    """Return the (entity type, text) spans that BIO `tags` mark in `words`."""
    if len(words) != len(tags):
        raise ValueError(f"got {len(words)} words but {len(tags)} tags; give one tag per word")
    check_bio_tags(tags, "tags")
    spans: list[tuple[str, list[str]]] = []
    for word, tag in zip(words, tags, strict=True):
        continues = tag.startswith("I-") and bool(spans) and spans[-1][0] == tag[2:]
        if continues:
            spans[-1][1].append(word)
        elif tag != FALLBACK_TAG:  # B-x, or an I-x that follows something else, opens an entity
            spans.append((tag[2:], [word]))
        else:
            spans.append(("", []))  # an "O" closes the open entity
    return [(kind, " ".join(text)) for kind, text in spans if kind]


def check_bio_tags(tags: Sequence[str], where: str) -> None:
    """Raise a clear error unless every tag is "O", "B-<type>" or "I-<type>"."""
    for position, tag in enumerate(tags):
        valid = isinstance(tag, str) and (
            tag == FALLBACK_TAG or (tag[:2] in ("B-", "I-") and len(tag) > 2)
        )
        if not valid:
            raise ValueError(
                f"{where}: tag {position} is {tag!r}; BIO tags are 'O', 'B-<type>' or 'I-<type>' "
                f"(convert other schemes, e.g. IOBES, first)"
            )
