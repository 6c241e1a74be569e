"""Word <-> sub-token mapping and label alignment, checked against the fast tokenizer."""

import pytest

from bert_tutorial.align import (
    IGNORE_INDEX,
    EmptyWordError,
    SequenceTooLongError,
    align_labels,
    align_words,
    token_values_to_words,
)
from bert_tutorial.data import read_wnut16

SENTENCE = "Learn Hugging Face Transformers & BERT with PyTorch in 5 Minutes"


def test_the_seed_sentence_gives_the_known_tokens_and_ids(tokenizer):
    alignment = align_words(SENTENCE.split(), tokenizer)
    assert alignment.tokens == [
        "[CLS]", "learn", "hugging", "face", "transformers", "&", "bert", "with",
        "p", "##yt", "##or", "##ch", "in", "5", "minutes", "[SEP]",
    ]  # fmt: skip
    assert alignment.input_ids == [
        101, 4553, 17662, 2227, 19081, 1004, 14324, 2007, 1052, 22123, 2953, 2818, 1999, 1019,
        2781, 102,
    ]  # fmt: skip
    assert tokenizer.convert_tokens_to_ids(alignment.tokens) == alignment.input_ids


def test_word_to_first_token_and_back(tokenizer):
    alignment = align_words(SENTENCE.split(), tokenizer)
    assert alignment.word_to_first_token == [1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14]
    assert alignment.word_to_tokens[7] == (8, 9, 10, 11)  # PyTorch -> p ##yt ##or ##ch
    assert alignment.token_to_word[0] is None and alignment.token_to_word[-1] is None
    for word, positions in enumerate(alignment.word_to_tokens):
        assert all(alignment.token_to_word[p] == word for p in positions)


def test_word_ids_agree_with_offset_mapping(tokenizer):
    words = ["Héllo", "naïve", "São", "Paulo", "#BERT", "co-operate", "2024"]
    text = " ".join(words)
    starts, position = [], 0
    for word in words:
        starts.append(position)
        position += len(word) + 1
    encoding = tokenizer(text, return_offsets_mapping=True)
    by_offset = [
        next(i for i, (s, e) in enumerate(encoding["offset_mapping"]) if s == start and e > s)
        for start in starts
    ]
    assert align_words(words, tokenizer).word_to_first_token == by_offset


def test_labels_go_to_first_sub_tokens_and_ignore_index_elsewhere(tokenizer):
    words = ["PyTorch", "is", "great"]
    alignment = align_words(words, tokenizer)
    labels = align_labels(alignment, [3, 0, 0])
    assert alignment.tokens == ["[CLS]", "p", "##yt", "##or", "##ch", "is", "great", "[SEP]"]
    assert labels == [IGNORE_INDEX, 3, IGNORE_INDEX, IGNORE_INDEX, IGNORE_INDEX, 0, 0, IGNORE_INDEX]


def test_label_round_trip_over_the_ner_data(tokenizer):
    for sentence in read_wnut16()[:300]:
        alignment = align_words(sentence.words, tokenizer)
        word_labels = list(range(len(sentence.words)))
        token_labels = align_labels(alignment, word_labels)
        assert token_values_to_words(alignment, token_labels) == word_labels


def test_words_without_tokens_raise_or_map_to_none(tokenizer):
    words = ["hello", "\u200b", "world"]  # a zero-width space normalises to nothing
    with pytest.raises(EmptyWordError, match=r"word 1 \('\\u200b'\) produces no tokens"):
        align_words(words, tokenizer)
    alignment = align_words(words, tokenizer, allow_empty_words=True)
    assert alignment.word_to_first_token == [1, None, 2]
    assert alignment.words_without_tokens == [1]
    assert token_values_to_words(alignment, alignment.tokens, fallback="?") == [
        "hello",
        "?",
        "world",
    ]


def test_trailing_empty_word_is_reported_too(tokenizer):
    with pytest.raises(EmptyWordError, match="word 2"):
        align_words(["hello", "world", ""], tokenizer)


def test_too_long_sequences_raise_unless_truncated(tokenizer):
    words = ["word"] * 600
    with pytest.raises(SequenceTooLongError, match="602 tokens, more than the maximum of 512"):
        align_words(words, tokenizer)
    alignment = align_words(words, tokenizer, truncation=True, max_length=12)
    assert alignment.truncated and len(alignment.tokens) == 12
    assert alignment.word_to_first_token[:10] == list(range(1, 11))
    assert alignment.words_without_tokens == list(range(10, 600))
    assert not align_words(["short"], tokenizer).truncated


def test_label_all_tokens_turns_b_into_i_on_continuation_pieces(tokenizer):
    from bert_tutorial.align import b_to_i_continuation

    names = ["O", "B-person", "I-person"]
    alignment = align_words(["Delangue", "spoke"], tokenizer)  # del ##ang ##ue spoke
    continuation = b_to_i_continuation(names)
    assert continuation == {1: 2}
    labels = align_labels(alignment, [1, 0], label_all_tokens=True, continuation=continuation)
    assert labels == [IGNORE_INDEX, 1, 2, 2, 0, IGNORE_INDEX]
    same = align_labels(alignment, [1, 0], label_all_tokens=True)
    assert same == [IGNORE_INDEX, 1, 1, 1, 0, IGNORE_INDEX]
    assert token_values_to_words(alignment, labels) == [1, 0]
