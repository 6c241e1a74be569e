"""Sentence pairs for notebook 09: QNLI-style pairs built from SQuAD, and VitaminC claims.

Both come from the pinned `bigbench` asset. SQuAD's articles are split by article (notebook 10
uses the same split), VitaminC's claims by Wikipedia page, so that nothing scored was trained on.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from bert_tutorial.assets import fetch

SPLIT_SEED = 0
SQUAD_TEST_ARTICLES = 10  # of SQuAD dev's 48; the other 38 are for training
VITAMINC_TEST_PAIRS = 2_000
QNLI_NAMES = ("not_entailment", "entailment")  # GLUE QNLI's names; GLUE numbers them 1, 0
VITAMINC_NAMES = ("supports", "refutes", "not enough info")
_VITAMINC_TARGETS = {"True": 0, "False": 1, "Neither": 2}
# A sentence ends at . ! or ? (a closing quote or bracket may follow) before a space and a
# capital letter, digit or quote: good enough for Wikipedia prose, not for "U.S. Army".
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(])")


@dataclass(frozen=True)
class Pair:
    """Two texts, one label for both, and the group (article or page) the pair came from."""

    text: str
    text_pair: str
    label: int
    group: str


def read_squad(path: Path | None = None) -> list[dict]:
    """Return SQuAD v1.1 dev's articles as in its JSON: title, paragraphs (context, qas)."""
    path = path or fetch("bigbench") / "squaddev_v1.1.json"
    return json.loads(path.read_text(encoding="utf-8"))["data"]


def squad_article_split(seed: int = SPLIT_SEED) -> dict[str, list[dict]]:
    """Return SQuAD dev's articles, shuffled with `seed`, as 38 for train and 10 for test."""
    articles = read_squad()
    random.Random(seed).shuffle(articles)
    return {"train": articles[SQUAD_TEST_ARTICLES:], "test": articles[:SQUAD_TEST_ARTICLES]}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) character spans of `text`'s sentences, whitespace left out."""
    spans, start = [], 0
    for boundary in _SENTENCE_END.finditer(text):
        spans.append((start, boundary.start() + len(boundary.group().rstrip())))
        start = boundary.end()
    spans.append((start, len(text.rstrip())))
    return [(a, b) for a, b in spans if b > a]


def answer_sentence(spans: list[tuple[int, int]], qa: dict) -> int | None:
    """Return which of `spans` holds `qa`'s first answer; None where it crosses a boundary."""
    answer = qa["answers"][0]
    start, end = answer["answer_start"], answer["answer_start"] + len(answer["text"])
    return next((i for i, (a, b) in enumerate(spans) if a <= start and end <= b), None)


def qnli_pairs(
    articles: list[dict], seed: int = SPLIT_SEED, questions: int | None = None
) -> list[Pair]:
    """Return two pairs per question: the sentence holding its answer (1) and another (0).

    GLUE's QNLI was built from SQuAD the same way. The other sentence is drawn with `seed` from
    the same paragraph; questions whose answer crosses a sentence boundary, or whose paragraph
    has one sentence, are left out. `questions`: keep a seeded sample of that many questions
    (their pairs in article order), drawn from every article.
    """
    rng = random.Random(seed)
    pairs = []
    for article in articles:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            spans = sentence_spans(context)
            if len(spans) < 2:
                continue
            for qa in paragraph["qas"]:
                holding = answer_sentence(spans, qa)
                if holding is None:
                    continue
                other = rng.choice([i for i in range(len(spans)) if i != holding])
                for index, label in ((holding, 1), (other, 0)):
                    a, b = spans[index]
                    pairs.append(Pair(qa["question"], context[a:b], label, article["title"]))
    if questions is not None:
        chosen = sorted(random.Random(seed).sample(range(len(pairs) // 2), questions))
        pairs = [pair for q in chosen for pair in pairs[2 * q : 2 * q + 2]]
    return pairs


def read_vitaminc(path: Path | None = None) -> list[Pair]:
    """Return VitaminC's pairs as (claim, evidence, label, page), in file order."""
    path = path or fetch("bigbench") / "vitaminc.json"
    pairs = []
    for example in json.loads(path.read_text(encoding="utf-8"))["examples"]:
        # "Page: evidence sentence\nClaim: claim"
        evidence, _, claim = example["input"].partition("\nClaim: ")
        page = evidence.partition(": ")[0]
        scores = example["target_scores"]
        target = max(scores, key=scores.get)
        pairs.append(Pair(claim.strip(), evidence.strip(), _VITAMINC_TARGETS[target], page))
    return pairs


def vitaminc_splits(seed: int = SPLIT_SEED) -> dict[str, list[Pair]]:
    """Return VitaminC split by page: about 2,000 test pairs, the rest for training.

    Pages are shuffled with `seed` and taken for test until it holds 2,000 pairs; training
    pairs whose claim or evidence is also a test pair's are dropped, so neither side is seen.
    """
    pairs = read_vitaminc()
    pages = sorted({pair.group for pair in pairs})
    random.Random(seed).shuffle(pages)
    by_page: dict[str, list[Pair]] = {}
    for pair in pairs:
        by_page.setdefault(pair.group, []).append(pair)
    test: list[Pair] = []
    for page in pages:
        if len(test) >= VITAMINC_TEST_PAIRS:
            break
        test += by_page.pop(page)
    seen = {pair.text for pair in test} | {pair.text_pair for pair in test}
    train = [
        pair for page in pages if page in by_page for pair in by_page[page]
        if pair.text not in seen and pair.text_pair not in seen
    ]
    return {"train": train, "test": test}
