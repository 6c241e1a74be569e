"""The datasets read from the pinned assets: counts, labels, splits, bad files."""

import pytest

from bert_tutorial import data


def test_movie_reviews_drop_zero_ratings_and_label_by_sign():
    reviews = data.read_movie_reviews()
    assert len(reviews) == 10_605 - 37  # 37 sentences have a mean rating of exactly 0
    assert all((r.rating > 0) == (r.label == 1) and r.rating != 0 for r in reviews)
    assert all(-4 <= r.rating <= 4 and r.text and "\r" not in r.text for r in reviews)
    assert sum(r.label for r in reviews) == 5242


def test_movie_review_split_is_fixed_disjoint_and_complete():
    splits = data.movie_review_splits()
    assert {k: len(v) for k, v in splits.items()} == {
        "train": 8454,
        "validation": 1057,
        "test": 1057,
    }
    assert data.movie_review_splits() == splits
    texts = [set(id(r) for r in part) for part in splits.values()]
    assert not (texts[0] & texts[1]) and not (texts[0] & texts[2]) and not (texts[1] & texts[2])
    assert data.movie_review_splits(seed=1)["test"] != splits["test"]


def test_wnut16_split_is_fixed_and_keeps_the_test_tweets_of_the_80_20_split():
    splits = data.wnut16_splits()
    assert {k: len(v) for k, v in splits.items()} == {"train": 1676, "validation": 239, "test": 479}
    # Validation came out of training: the test tweets are those scored before it existed.
    earlier = data.split_dataset(data.read_wnut16(), fractions=(0.8, 0.0, 0.2))
    assert splits["test"] == earlier["test"]
    assert data.wnut16_splits() == splits
    together = sorted(map(repr, splits["train"] + splits["validation"] + splits["test"]))
    assert together == sorted(map(repr, data.read_wnut16()))  # every tweet exactly once


def test_wnut16_has_the_published_size_and_tag_set():
    sentences = data.read_wnut16()
    assert len(sentences) == 2394
    assert sum(len(s.words) for s in sentences) == 46_469
    assert all(len(s.words) == len(s.tags) for s in sentences)
    types = {tag[2:] for s in sentences for tag in s.tags if tag != "O"}
    assert types == {
        "company", "facility", "geo-loc", "movie", "musicartist", "other", "person", "product",
        "sportsteam", "tvshow",
    }  # fmt: skip
    assert all(tag == "O" or tag[:2] in ("B-", "I-") for s in sentences for tag in s.tags)


def test_malformed_files_name_the_line(tmp_path):
    ner = tmp_path / "ner.txt"
    ner.write_text("hello\tO\nworld\n\t\n")
    with pytest.raises(ValueError, match="line 2: expected word<TAB>tag"):
        data.read_wnut16(ner)
    reviews = tmp_path / "reviews.txt"
    reviews.write_text("1\t2.5\tgood film\r\n2\t-1.0\r\n")
    with pytest.raises(ValueError, match="line 2: expected id, rating, text"):
        data.read_movie_reviews(reviews)


def test_the_mood_csv_has_three_classes_and_reads_back(tmp_path):
    from bert_tutorial.data import MOOD_NAMES, mood, write_mood_csv
    from bert_tutorial.own_data import read_labelled

    assert [mood(r) for r in (-1.5, -1.0, 0.2, 1.0, 3.9)] == [
        "negative", "neutral", "neutral", "neutral", "positive"]
    path = write_mood_csv(tmp_path / "m.csv", 300, seed=1)
    dataset, names = read_labelled(path, "sentence", "mood")
    assert names == list(MOOD_NAMES) and len(dataset) == 300
    counts = [dataset["label"].count(i) for i in range(3)]
    assert min(counts) > 50, counts  # no class is rare
    assert write_mood_csv(tmp_path / "n.csv", 300, seed=1).read_text() == path.read_text()
