"""Property tests: the alignment helpers against the fast tokenizer's `word_ids()` as the oracle.

Words are generated from the characters that break tutorials: accents (composed and combining),
emoji, CJK, punctuation, digits, zero-width and control characters, very long words and empty
strings. Only the documented errors may be raised.
"""

from hypothesis import event, given, settings
from hypothesis import strategies as st

from bert_tutorial.align import (
    IGNORE_INDEX,
    EmptyWordError,
    SequenceTooLongError,
    align_labels,
    align_words,
    token_values_to_words,
)

EXAMPLES = 300
HARD_CHARACTERS = (
    "éüñçÅø"  # composed accents
    "e\u0301a\u0308"  # combining accents
    "😀👍🏽🇫🇷❤️"  # emoji, a skin-tone modifier, a flag, a variation selector
    "中文字日本語한국어"  # CJK and Hangul
    ".,!?'\"()-#@…–—"  # punctuation
    "0123456789"
    "\u200b\u200d\ufeff"  # zero-width space, joiner, byte-order mark
    "\x00\x07\x1b\x7f"  # control characters
    " \t"  # whitespace inside a "word"
)
word = st.one_of(
    st.text(alphabet=st.sampled_from(HARD_CHARACTERS + "abcXYZ"), max_size=12),
    st.text(max_size=8),  # any Unicode at all
    st.sampled_from(["", "\u200b", "a" * 150, "ü" * 120, "unaffable", "[CLS]", "[SEP]"]),
)
words_strategy = st.lists(word, min_size=1, max_size=12)
property_settings = settings(max_examples=EXAMPLES, deadline=None)


def oracle_first_tokens(words, tokenizer, **kwargs):
    """Each word's first token position according to `word_ids()`, None when it has none."""
    word_ids = tokenizer(list(words), is_split_into_words=True, **kwargs).word_ids()
    first = [None] * len(words)
    for position, word_index in enumerate(word_ids):
        if word_index is not None and first[word_index] is None:
            first[word_index] = position
    return first


@property_settings
@given(words=words_strategy)
def test_every_word_with_tokens_maps_to_its_first_token(words, tokenizer):
    alignment = align_words(words, tokenizer, truncation=True, allow_empty_words=True)
    assert alignment.word_to_first_token == oracle_first_tokens(
        words, tokenizer, truncation=True, max_length=tokenizer.model_max_length
    )
    assert alignment.input_ids[0] == tokenizer.cls_token_id
    assert alignment.input_ids[-1] == tokenizer.sep_token_id


@property_settings
@given(words=words_strategy)
def test_mappings_are_monotonic_and_consistent(words, tokenizer):
    alignment = align_words(words, tokenizer, truncation=True, allow_empty_words=True)
    word_indices = [w for w in alignment.token_to_word if w is not None]
    assert word_indices == sorted(word_indices)
    for word_index, positions in enumerate(alignment.word_to_tokens):
        # a word's tokens are consecutive, and each points back at that word
        if positions:
            assert list(positions) == list(range(positions[0], positions[0] + len(positions)))
        assert all(alignment.token_to_word[p] == word_index for p in positions)
    assert len(alignment.tokens) == len(alignment.input_ids) == len(alignment.token_to_word)


@property_settings
@given(words=words_strategy, data=st.data())
def test_label_alignment_round_trips(words, tokenizer, data):
    alignment = align_words(words, tokenizer, truncation=True, allow_empty_words=True)
    labels = data.draw(st.lists(st.integers(0, 12), min_size=len(words), max_size=len(words)))
    token_labels = align_labels(alignment, labels)
    back = token_values_to_words(alignment, token_labels, fallback="none")
    for word_index, label in enumerate(labels):
        expected = "none" if not alignment.word_to_tokens[word_index] else label
        assert back[word_index] == expected
    labelled = [p for p, label in enumerate(token_labels) if label != IGNORE_INDEX]
    assert labelled == [p for p in alignment.word_to_first_token if p is not None]


@property_settings
@given(words=words_strategy, max_length=st.integers(3, 24))
def test_only_documented_errors_and_nothing_lost_on_a_cut(words, tokenizer, max_length):
    try:
        alignment = align_words(words, tokenizer, max_length=max_length)
    except (EmptyWordError, SequenceTooLongError) as error:
        event(type(error).__name__)
        assert "pass" in str(error)  # every message names the fix
        return
    event("aligned")
    assert len(alignment.input_ids) <= max_length
    assert not alignment.truncated and alignment.words_without_tokens == []
    cut = align_words(
        words, tokenizer, max_length=max_length, truncation=True, allow_empty_words=True
    )
    # words are either mapped or reported as without tokens: none vanish silently
    mapped = [i for i, p in enumerate(cut.word_to_tokens) if p]
    assert sorted(mapped + cut.words_without_tokens) == list(range(len(words)))
