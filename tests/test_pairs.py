"""Notebook 09's sentence pairs: QNLI-style pairs from SQuAD, VitaminC, and their splits."""

from collections import Counter

import pytest

from bert_tutorial import pairs


def test_sentence_spans_cover_the_text_in_order():
    text = 'It rained. "Why?" she asked (twice). Then 3 dogs ran! The U.S. army came.'
    spans = pairs.sentence_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "It rained.", '"Why?" she asked (twice).', "Then 3 dogs ran!", "The U.S. army came.",
    ]
    assert pairs.sentence_spans("One sentence only  ") == [(0, 17)]


def test_the_answer_sentence_holds_the_whole_answer_or_is_none():
    text = "Paris is in France. Its river is the Seine."
    spans = pairs.sentence_spans(text)

    def qa(answer):
        return {"answers": [{"text": answer, "answer_start": text.index(answer)}]}

    assert pairs.answer_sentence(spans, qa("France")) == 0
    assert pairs.answer_sentence(spans, qa("the Seine")) == 1
    assert pairs.answer_sentence(spans, qa("France. Its river")) is None  # crosses the boundary


@pytest.mark.needs_asset("bigbench")
def test_squad_split_is_by_article_fixed_and_complete():
    split = pairs.squad_article_split()
    assert [len(split["train"]), len(split["test"])] == [38, 10]
    titles = [{a["title"] for a in part} for part in split.values()]
    assert not titles[0] & titles[1] and len(titles[0] | titles[1]) == 48
    assert pairs.squad_article_split() == split
    questions = sum(len(p["qas"]) for a in pairs.read_squad() for p in a["paragraphs"])
    assert questions == 10_565


@pytest.mark.needs_asset("bigbench")
def test_qnli_pairs_hold_the_answer_exactly_when_labelled_so():
    articles = pairs.squad_article_split()["test"]
    built = pairs.qnli_pairs(articles)
    answers = {}  # question -> every gold answer text
    for article in articles:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                answers.setdefault(qa["question"], []).extend(a["text"] for a in qa["answers"])
    assert Counter(p.label for p in built)[1] * 2 == len(built)  # one of each per question
    for positive, negative in zip(built[0::2], built[1::2], strict=True):
        assert (positive.label, negative.label) == (1, 0)
        assert positive.text == negative.text and positive.text_pair != negative.text_pair
        assert answers[positive.text][0] in positive.text_pair
    assert pairs.qnli_pairs(articles) == built  # seeded
    train_titles = {p.group for p in pairs.qnli_pairs(pairs.squad_article_split()["train"])}
    assert not train_titles & {p.group for p in built}


@pytest.mark.needs_asset("bigbench")
def test_vitaminc_split_shares_no_page_claim_or_evidence():
    every = pairs.read_vitaminc()
    assert len(every) == 54_668 and {p.label for p in every} == {0, 1, 2}
    split = pairs.vitaminc_splits()
    train, test = split["train"], split["test"]
    assert len(test) >= pairs.VITAMINC_TEST_PAIRS
    assert not {p.group for p in train} & {p.group for p in test}
    texts = {p.text for p in test} | {p.text_pair for p in test}
    assert not any(p.text in texts or p.text_pair in texts for p in train)
    assert all(p.text and p.text_pair.startswith(p.group + ": ") for p in test)
    assert pairs.vitaminc_splits() == split


@pytest.mark.needs_asset("bigbench")
def test_a_sample_of_questions_keeps_both_pairs_of_each_from_every_article():
    articles = pairs.squad_article_split()["test"]
    every, sample = pairs.qnli_pairs(articles), pairs.qnli_pairs(articles, questions=300)
    assert len(sample) == 600 and set(sample) <= set(every)
    assert all(a.text == b.text and (a.label, b.label) == (1, 0)
               for a, b in zip(sample[0::2], sample[1::2], strict=True))
    assert {p.group for p in sample} == {a["title"] for a in articles}
