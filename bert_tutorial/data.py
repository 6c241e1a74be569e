"""The tutorial's datasets, read from the pinned assets: movie-review sentences and WNUT-16 NER."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from bert_tutorial.assets import fetch

SPLIT_SEED = 0
SPLIT_FRACTIONS = (0.8, 0.1, 0.1)  # train, validation, test
WNUT16_FRACTIONS = (0.7, 0.1, 0.2)  # train, validation, test: notebook 04
SENTIMENT_NAMES = ("negative", "positive")


@dataclass(frozen=True)
class Review:
    """One movie-review sentence: its text, 0 (negative) / 1 (positive), and the mean rating."""

    text: str
    label: int
    rating: float


@dataclass(frozen=True)
class TaggedSentence:
    """One tweet as words with one BIO tag per word."""

    words: tuple[str, ...]
    tags: tuple[str, ...]


def read_movie_reviews(path: Path | None = None) -> list[Review]:
    """Return the labelled sentences (rating sign; zero ratings dropped), in file order."""
    path = path or fetch("movie_reviews") / "movieReviewSnippets_GroundTruth.txt"
    reviews = []
    # The file is CRLF; splitlines() handles both line endings.
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise ValueError(
                f"{path.name} line {line_number}: expected id, rating, text; got {line!r}"
            )
        rating = float(parts[1])
        if rating != 0:  # a zero mean rating has no sentiment to learn
            reviews.append(Review(text=parts[2].strip(), label=int(rating > 0), rating=rating))
    return reviews


def split_dataset(
    items: list, seed: int = SPLIT_SEED, fractions: tuple[float, float, float] = SPLIT_FRACTIONS
) -> dict[str, list]:
    """Shuffle `items` with `seed` and cut them into train/validation/test by `fractions`."""
    assert min(fractions) >= 0 and abs(sum(fractions) - 1) < 1e-9, f"bad fractions {fractions}"
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    n_train = round(fractions[0] * len(items))
    n_valid = round(fractions[1] * len(items))
    cuts = {
        "train": order[:n_train],
        "validation": order[n_train : n_train + n_valid],
        "test": order[n_train + n_valid :],
    }
    return {name: [items[i] for i in indices] for name, indices in cuts.items()}


def movie_review_splits(seed: int = SPLIT_SEED) -> dict[str, list[Review]]:
    """Return the fixed 80/10/10 train/validation/test split of the movie-review sentences."""
    return split_dataset(read_movie_reviews(), seed=seed)


def wnut16_splits(seed: int = SPLIT_SEED) -> dict[str, list[TaggedSentence]]:
    """Return notebook 04's fixed 70/10/20 train/validation/test split of the WNUT-16 tweets."""
    return split_dataset(read_wnut16(), seed=seed, fractions=WNUT16_FRACTIONS)


def read_wnut16(path: Path | None = None) -> list[TaggedSentence]:
    """Return the WNUT-16 tweets as words and BIO tags, in file order."""
    path = path or fetch("wnut16") / "ner.txt"
    sentences: list[TaggedSentence] = []
    words: list[str] = []
    tags: list[str] = []
    # Tweets are separated by lines that are empty or hold only whitespace (a lone tab here).
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            if words:
                sentences.append(TaggedSentence(tuple(words), tuple(tags)))
                words, tags = [], []
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise ValueError(f"{path.name} line {line_number}: expected word<TAB>tag, got {line!r}")
        words.append(parts[0])
        tags.append(parts[1])
    if words:
        sentences.append(TaggedSentence(tuple(words), tuple(tags)))
    return sentences


MOOD_NAMES = ("negative", "neutral", "positive")


def mood(rating: float) -> str:
    """Return a mean rating's class of three: below -1 negative, above 1 positive, else neutral."""
    return "neutral" if abs(rating) <= 1 else "positive" if rating > 0 else "negative"


def write_mood_csv(path: Path, rows: int, seed: int = SPLIT_SEED) -> Path:
    """Write `rows` movie-review sentences, drawn with `seed`, as a CSV of `sentence,mood`.

    A three-class file like one a learner brings, made from data the tutorial ships.
    """
    import csv

    reviews = read_movie_reviews()
    chosen = random.Random(seed).sample(reviews, rows)
    with Path(path).open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["sentence", "mood"])
        writer.writerows([review.text, mood(review.rating)] for review in chosen)
    return Path(path)
