"""Notebook 09's cross-encoders trained longer.

`bench_pairs`: the QNLI-style cross-encoder over all training pairs; its held-out accuracy, how
often `pipeline("text-classification")` agrees with it, and retrieve-then-rerank against the
cross-encoder reading every sentence of the article (accuracy and time). `bench_vitaminc`:
VitaminC's claim/evidence pairs, held-out accuracy after each quarter of one pass, beside a
claim-only model trained the same way, a cosine baseline and the majority class.
"""

from __future__ import annotations

import random
import time
from dataclasses import asdict

import torch

from bench.common import train_scored
from bert_tutorial import noise, pairs
from bert_tutorial.embed import embed_sentences
from bert_tutorial.modeling import BertSentenceClassifier, freeze_layers
from bert_tutorial.models import model_path
from bert_tutorial.pipelines import task_pipeline
from bert_tutorial.recipes import QNLI_RECIPE
from bert_tutorial.training import predict_sorted, tokenize_sentences

RERANK_KS = (3, 5, 10, 20)
QUESTIONS_PER_ARTICLE = 20  # questions whose answer lies in one sentence, per held-out article


def _dataset(tokenizer, texts, labels, num_labels: int, text_pairs=None):
    return tokenize_sentences(texts, labels, tokenizer, num_labels=num_labels,
                              max_length=QNLI_RECIPE.max_length, text_pairs=text_pairs)


def _pair_dataset(tokenizer, pair_list, names, claim_only: bool = False):
    return _dataset(tokenizer, [p.text for p in pair_list], [p.label for p in pair_list],
                    len(names), None if claim_only else [p.text_pair for p in pair_list])


def _classifier(names) -> BertSentenceClassifier:
    torch.manual_seed(QNLI_RECIPE.seed)
    model = BertSentenceClassifier.from_pretrained(
        model_path(), num_labels=len(names), id2label=dict(enumerate(names)),
        label2id={name: i for i, name in enumerate(names)},
    )
    return freeze_layers(model, QNLI_RECIPE.num_frozen_layers)


def _logits(model, dataset, device, tokenizer) -> torch.Tensor:
    return predict_sorted(model, dataset, device, pad_token_id=tokenizer.pad_token_id)


def _pipeline_agreement(model, tokenizer, pair_list, names, device) -> float:
    """Share of `pair_list` where pipeline() names the class the hand-written argmax picks."""
    classifier = task_pipeline("text-classification", model, tokenizer, device=device)
    dataset = _pair_dataset(tokenizer, pair_list, names)
    # Sorted by length, as notebook 09 feeds it: pipeline() pads each batch to its longest pair.
    order = sorted(range(len(pair_list)), key=lambda i: len(dataset[i]["input_ids"]))
    answers = classifier([{"text": pair_list[i].text, "text_pair": pair_list[i].text_pair}
                          for i in order], batch_size=64, truncation=True,
                         max_length=QNLI_RECIPE.max_length)
    ours = _logits(model, dataset, device, tokenizer).argmax(-1).tolist()
    return sum(a["label"] == names[ours[i]] for a, i in zip(answers, order, strict=True)) / len(
        pair_list)


def _article_questions(article: dict, limit: int) -> tuple[list[str], list[tuple[str, int]]]:
    """The article's sentences, and up to `limit` (question, its answer's sentence) drawn seeded."""
    sentences, questions = [], []
    for paragraph in article["paragraphs"]:
        offset = len(sentences)
        spans = pairs.sentence_spans(paragraph["context"])
        sentences += [paragraph["context"][a:b] for a, b in spans]
        for qa in paragraph["qas"]:
            holding = pairs.answer_sentence(spans, qa)
            if holding is not None:
                questions.append((qa["question"], offset + holding))
    return sentences, random.Random(0).sample(questions, min(limit, len(questions)))


def _rerank(model, tokenizer, device, articles: list[dict], per_article: int) -> dict:
    """Top-1 accuracy and seconds: the cross-encoder on every sentence, and on the bi-encoder's
    top k. Both read their pairs in one length-sorted pass, so the times compare."""
    from transformers import BertModel

    encoder = BertModel.from_pretrained(model_path()).to(device)
    corpora = [_article_questions(article, per_article) for article in articles]

    def cross_right(candidates: list[list[list[int]]]) -> tuple[list[bool], float]:
        """Each question's best candidate by the cross-encoder: right or not, and the time."""
        texts, sentences = [], []
        for (corpus, questions), lists in zip(corpora, candidates, strict=True):
            for (question, _), indices in zip(questions, lists, strict=True):
                texts += [question] * len(indices)
                sentences += [corpus[i] for i in indices]
        start = time.perf_counter()
        logits = _logits(model, _dataset(tokenizer, texts, [0] * len(texts), 2, sentences),
                         device, tokenizer)
        seconds = time.perf_counter() - start
        scores, right, at = (logits[:, 1] - logits[:, 0]).tolist(), [], 0
        for (_, questions), lists in zip(corpora, candidates, strict=True):
            for (_, gold), indices in zip(questions, lists, strict=True):
                chosen = scores[at : at + len(indices)]
                right.append(indices[chosen.index(max(chosen))] == gold)
                at += len(indices)
        return right, seconds

    everything, everything_seconds = cross_right(
        [[list(range(len(corpus)))] * len(questions) for corpus, questions in corpora])
    start = time.perf_counter()
    bi_scores = []  # per article: (questions, sentences) cosines
    for corpus, questions in corpora:
        vectors = [embed_sentences(texts, tokenizer, encoder, normalize=True, progress=False)
                   for texts in (corpus, [q for q, _ in questions])]
        bi_scores.append(vectors[1] @ vectors[0].T)
    bi_seconds = time.perf_counter() - start
    rerank = {}
    for k in (1, *RERANK_KS):
        shortlists = [scores.topk(min(k, scores.shape[1])).indices.tolist() for scores in bi_scores]
        recall = [gold in shortlist
                  for (_, questions), lists in zip(corpora, shortlists, strict=True)
                  for (_, gold), shortlist in zip(questions, lists, strict=True)]
        if k == 1:
            right, seconds = recall, 0.0
        else:
            right, seconds = cross_right(shortlists)
        seconds += bi_seconds
        rerank[str(k)] = {  # a string key, as results.json gives it back
            "accuracy": 100 * sum(right) / len(right), "recall": 100 * sum(recall) / len(recall),
            "seconds": seconds, "speedup": everything_seconds / seconds,
            "minus_everything": asdict(noise.difference(right, everything)),
        }
    within = [k for k in RERANK_KS if rerank[str(k)]["accuracy"] >= 100 * sum(everything)
              / len(everything) - 1]
    return {
        "questions": len(everything),
        "sentences": sum(len(corpus) for corpus, _ in corpora),
        "pairs_everything": sum(len(c) * len(q) for c, q in corpora),
        "everything": {"accuracy": 100 * sum(everything) / len(everything),
                       "seconds": everything_seconds},
        "k": rerank,
        "smallest_k_within_1": min(within) if within else None,
    }


def bench_pairs(tokenizer, device, quick: bool) -> dict:
    """QNLI-style pairs: one pass over all training pairs, then accuracy, pipeline, rerank."""
    articles = pairs.squad_article_split()
    train = pairs.qnli_pairs(articles["train"])
    test = pairs.qnli_pairs(articles["test"], questions=1_000)  # notebook 09's held-out pairs
    if quick:
        train, test = random.Random(0).sample(train, 64), test[:40]
    model = _classifier(pairs.QNLI_NAMES).to(device)
    labels = torch.tensor([p.label for p in test])
    test_dataset = _pair_dataset(tokenizer, test, pairs.QNLI_NAMES)

    def score(model) -> dict:
        right = _logits(model, test_dataset, device, tokenizer).argmax(-1) == labels
        return {"accuracy": 100 * right.sum().item() / len(labels)}

    curve, seconds = train_scored(model, _pair_dataset(tokenizer, train, pairs.QNLI_NAMES),
                                  QNLI_RECIPE, device, tokenizer.pad_token_id, score)
    test_articles = articles["test"][:2] if quick else articles["test"]
    return {
        "train_pairs": len(train),
        "steps": QNLI_RECIPE.num_training_steps(len(train)),
        "train_seconds": seconds,
        "test_pairs": len(test),
        "curve": curve,
        "accuracy": curve[-1]["accuracy"],
        "pipeline_agreement": _pipeline_agreement(model, tokenizer, test, pairs.QNLI_NAMES,
                                                  device),
        "rerank": _rerank(model, tokenizer, device, test_articles,
                          2 if quick else QUESTIONS_PER_ARTICLE),
    }


def _cosine_baseline(tokenizer, device, train, test) -> list[bool]:
    """Right or wrong per test pair: logistic regression on the bi-encoder's cosine alone."""
    from sklearn.linear_model import LogisticRegression
    from transformers import BertModel

    encoder = BertModel.from_pretrained(model_path()).to(device)

    def cosines(pair_list):
        a, b = (embed_sentences(texts, tokenizer, encoder, normalize=True, progress=False)
                for texts in ([p.text for p in pair_list], [p.text_pair for p in pair_list]))
        return (a * b).sum(dim=1, keepdim=True).numpy()

    fitted = LogisticRegression().fit(cosines(train), [p.label for p in train])
    return (fitted.predict(cosines(test)) == [p.label for p in test]).tolist()


def bench_vitaminc(tokenizer, device, quick: bool) -> dict:
    """VitaminC: the cross-encoder over all training pairs, scored after each quarter, against
    the claim alone (same recipe, same pairs), a cosine baseline and the majority class."""
    names = pairs.VITAMINC_NAMES
    split = pairs.vitaminc_splits()
    train, test = split["train"], split["test"]
    if quick:
        train, test = random.Random(0).sample(train, 64), test[:40]
    labels = torch.tensor([p.label for p in test])
    results, right = {}, {}
    for name, claim_only in (("pair", False), ("claim_only", True)):
        model = _classifier(names).to(device)
        test_dataset = _pair_dataset(tokenizer, test, names, claim_only)

        def score(model, test_dataset=test_dataset) -> dict:
            correct = _logits(model, test_dataset, device, tokenizer).argmax(-1) == labels
            return {"accuracy": 100 * correct.sum().item() / len(labels), "right": correct.tolist()}

        curve, seconds = train_scored(model, _pair_dataset(tokenizer, train, names, claim_only),
                                      QNLI_RECIPE, device, tokenizer.pad_token_id, score,
                                      parts=4 if name == "pair" else 1)
        right[name] = curve[-1]["right"]
        results[name] = {"curve": [{k: v for k, v in point.items() if k != "right"}
                                   for point in curve], "train_seconds": seconds,
                         "accuracy": curve[-1]["accuracy"]}
        if name == "pair":
            results["pipeline_agreement"] = _pipeline_agreement(model, tokenizer, test, names,
                                                                device)
    fit = random.Random(0).sample(train, min(len(train), 4_000))
    right["cosine"] = _cosine_baseline(tokenizer, device, fit, test)
    right["majority"] = (labels == 0).tolist()  # supports, half of the pairs
    for name in ("cosine", "majority"):
        results[name] = {"accuracy": 100 * sum(right[name]) / len(test)}
    results["pair_minus"] = {name: asdict(noise.difference(right["pair"], right[name]))
                             for name in ("claim_only", "cosine", "majority")}
    return {"train_pairs": len(train), "steps": QNLI_RECIPE.num_training_steps(len(train)),
            "test_pairs": len(test), **results}
