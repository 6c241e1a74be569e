"""Token classification helpers: encoding, decoding to words, hard cases, entity spans."""

import torch

from bert_tutorial.align import IGNORE_INDEX
from bert_tutorial.data import TaggedSentence, read_wnut16
from bert_tutorial.modeling import BertTokenClassifier
from bert_tutorial.models import model_path
from bert_tutorial.ner import (
    encode_tagged,
    entities,
    predict_word_tags,
    split_to_window,
    tag_names,
)

NAMES = ["O", "B-person", "I-person", "B-geo-loc", "I-geo-loc"]
LABEL2ID = {name: i for i, name in enumerate(NAMES)}
ID2LABEL = dict(enumerate(NAMES))


class OracleTagger(torch.nn.Module):
    """Predicts the gold token labels it was given (to test decoding without training)."""

    def __init__(self, token_labels, num_labels=5):
        super().__init__()
        self.token_labels = token_labels
        self.num_labels = num_labels
        self.calls = 0

    def forward(self, input_ids, attention_mask):
        batch, width = input_ids.shape
        logits = torch.zeros(batch, width, self.num_labels)
        for row in range(batch):
            labels = self.token_labels[self.calls + row]
            for position, label in enumerate(labels):
                logits[row, position, label if label != IGNORE_INDEX else 0] = 1.0
        self.calls += batch
        return type("Output", (), {"logits": logits})()


def test_tag_names_cover_every_wnut_tag():
    sentences = read_wnut16()
    names = tag_names(sentences)
    assert names[0] == "O" and len(names) == 21
    assert {t for s in sentences for t in s.tags} <= set(names)


def test_labels_round_trip_to_words_for_every_word_with_a_token(tokenizer):
    sentences = read_wnut16()[:200]
    names = tag_names(read_wnut16())
    label2id = {n: i for i, n in enumerate(names)}
    encoded = encode_tagged(sentences, tokenizer, label2id)
    oracle = OracleTagger([f["labels"] for f in encoded.dataset.features], len(names))
    predicted = predict_word_tags(
        oracle, encoded, dict(enumerate(names)), torch.device("cpu"), pad_token_id=0, batch_size=16
    )
    assert predicted == [list(s.tags) for s in sentences]


def test_hard_cases_emoji_empty_words_and_long_tweets(tokenizer):
    hard = [
        TaggedSentence(("I", "❤️", "Paris", "\u200b"), ("O", "O", "B-geo-loc", "B-person")),
        TaggedSentence(tuple(["word"] * 200 + ["Obama"]), tuple(["O"] * 200 + ["B-person"])),
    ]
    encoded = encode_tagged(hard, tokenizer, LABEL2ID, max_length=64)
    first, long = encoded.alignments
    assert first.tokens[2] == "[UNK]"  # the emoji keeps a token and its label
    assert first.words_without_tokens == [3]  # the zero-width word has none
    assert long.truncated and len(long.tokens) == 64
    assert encoded.words_without_tokens == 1 + (201 - 62)
    oracle = OracleTagger([f["labels"] for f in encoded.dataset.features])
    tags = predict_word_tags(oracle, encoded, ID2LABEL, torch.device("cpu"), pad_token_id=0)
    # Words without a token get the stated fallback "O"; none of them vanishes.
    assert tags[0] == ["O", "O", "B-geo-loc", "O"]
    assert len(tags[1]) == 201 and tags[1][-1] == "O"


def test_predict_word_tags_runs_a_real_tagger(tokenizer):
    model = BertTokenClassifier.from_pretrained(model_path(), num_labels=len(NAMES))
    sentences = [TaggedSentence(("Obama", "visited", "Paris"), ("B-person", "O", "B-geo-loc"))]
    encoded = encode_tagged(sentences, tokenizer, LABEL2ID)
    tags = predict_word_tags(model, encoded, ID2LABEL, torch.device("cpu"), pad_token_id=0)
    assert len(tags[0]) == 3 and set(tags[0]) <= set(NAMES)


def test_entities_reads_bio_spans():
    words = ["New", "York", "is", "not", "Barack", "Obama", "'s", "home"]
    tags = ["B-geo-loc", "I-geo-loc", "O", "O", "B-person", "I-person", "O", "I-other"]
    assert entities(words, tags) == [
        ("geo-loc", "New York"),
        ("person", "Barack Obama"),
        ("other", "home"),
    ]


def test_long_sentences_are_cut_between_words_and_short_ones_kept(tokenizer):
    short = TaggedSentence(("Paris", "rocks"), ("B-geo-loc", "O"))
    # "unbelievably" takes 5 tokens: 2 fit a window of 14 ([CLS], 12, [SEP]); 40 x's take 20
    long = TaggedSentence(("unbelievably",) * 5 + ("", "x" * 40), ("O",) * 7)
    pieces, cut = split_to_window([short, long], tokenizer, max_length=14)
    assert cut == 1 and pieces[0] == short
    # the empty word costs no token; a word longer than the window stays whole, alone
    assert [len(p.words) for p in pieces[1:]] == [2, 2, 2, 1]
    assert sum((p.words for p in pieces[1:]), ()) == long.words
    assert all(len(encode_tagged([p], tokenizer, {"O": 0}, max_length=14).dataset[0]["input_ids"])
               <= 14 for p in pieces[1:])
