"""Notebook 10's span extractor trained longer: one pass over every training window that holds
its answer, held-out exact match and F1 after each quarter of it, windows/s, and how often the
saved folder, loaded as `AutoModelForQuestionAnswering`, gives the same answer (transformers 5
has no question-answering pipeline to compare with)."""

from __future__ import annotations

import random

from bench.common import train_scored
from bert_tutorial import pairs, qa
from bert_tutorial.modeling import BertSpanExtractor, freeze_layers
from bert_tutorial.models import model_path
from bert_tutorial.recipes import QA_RECIPE, QA_STRIDE


def bench_qa(tokenizer, device, folder, quick: bool) -> dict:
    """Train on all answer-holding windows (notebook 10's recipe), scoring along the way."""
    from transformers import AutoModelForQuestionAnswering

    articles = pairs.squad_article_split()
    windows = {"max_length": QA_RECIPE.max_length, "stride": QA_STRIDE}
    train = qa.squad_examples(articles["train"])
    test = random.Random(0).sample(qa.squad_examples(articles["test"]), 1_000)  # notebook 10's
    test = test[: 40 if quick else None]
    holding = [f for f in qa.tokenize_windows(train, tokenizer, **windows) if f["start_positions"]]
    dataset = qa.training_dataset(random.Random(0).sample(holding, 64 if quick else len(holding)))
    test_features = qa.tokenize_windows(test, tokenizer, **windows)

    def answers(model) -> list[str]:
        starts, ends = qa.predict_windows(model, test_features, device,
                                          pad_token_id=tokenizer.pad_token_id)
        return qa.predict_answers(test, test_features, starts, ends)

    model = BertSpanExtractor.from_pretrained(model_path())
    freeze_layers(model, QA_RECIPE.num_frozen_layers).to(device)

    def score(model) -> dict:
        exact, f1 = qa.squad_scores(answers(model), test)
        return {"em": 100 * sum(exact) / len(test), "f1": 100 * sum(f1) / len(test)}

    curve, seconds = train_scored(model, dataset, QA_RECIPE, device, tokenizer.pad_token_id, score)
    ours = answers(model)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    reloaded = AutoModelForQuestionAnswering.from_pretrained(folder).to(device)
    agree = sum(t == o for t, o in zip(answers(reloaded), ours, strict=True))
    return {
        "train_windows": len(dataset),
        "steps": QA_RECIPE.num_training_steps(len(dataset)),
        "train_seconds": seconds,
        "windows_per_s": len(dataset) / seconds,
        "questions": len(test),
        "curve": curve,
        "em": curve[-1]["em"],
        "f1": curve[-1]["f1"],
        "reloaded_agreement": agree / len(test),
    }
