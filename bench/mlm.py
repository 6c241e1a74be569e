"""Notebook 08's masked-language-model recipe: time, held-out masked-token scores, fill-mask,
and notebook 03's recipe fine-tuned from the adapted weights against the packaged ones."""

from __future__ import annotations

import time
from dataclasses import asdict

import torch

from bench.common import new_classifier, test_accuracy
from bert_tutorial.data import movie_review_splits
from bert_tutorial.mlm import masked_batches, masked_token_scores, pretrain
from bert_tutorial.modeling import MaskedPositionsLM
from bert_tutorial.models import model_path
from bert_tutorial.recipes import MLM_RECIPE, SENTIMENT_RECIPE
from bert_tutorial.training import fine_tune

PROBE = "i have seen this [MASK] before."
SEEDS = (0, 1)


def totals(scores: dict) -> dict:
    """The scores without their per-position results: results.json keeps the totals."""
    return {key: value for key, value in scores.items() if key != "top1_hits"}


def bench_mlm(tokenizer, datasets, device, folder, quick: bool) -> dict:
    """Learn the MLM head (notebook 08), score it, then fine-tune from it with two seeds."""
    from transformers import pipeline

    splits = movie_review_splits()
    sentences = [r.text for r in splits["train"][: 64 if quick else None]]
    held_out = masked_batches([r.text for r in splits["test"][: 64 if quick else 600]], tokenizer,
                              64, seed=1)
    torch.manual_seed(0)
    model = MaskedPositionsLM.from_pretrained(model_path()).to(device)
    before = totals(masked_token_scores(model, held_out))
    start = time.perf_counter()
    pretrain(model, sentences, tokenizer, MLM_RECIPE, device, progress=False)
    seconds = time.perf_counter() - start
    after = totals(masked_token_scores(model, held_out))
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    fills = pipeline("fill-mask", model=str(folder), device=device)(PROBE, top_k=3)
    accuracies: dict[str, list[float]] = {"packaged": [], "adapted": []}
    for start_name, source in (("packaged", model_path()), ("adapted", folder)):
        for seed in SEEDS:
            classifier = new_classifier(str(source), seed).to(device)
            fine_tune(classifier, datasets["train"], SENTIMENT_RECIPE, device,
                      pad_token_id=tokenizer.pad_token_id, progress=False)
            accuracies[start_name].append(
                test_accuracy(classifier, tokenizer, datasets["test"], device))
    return {
        "train_seconds": seconds,
        "before": before,
        "after": after,
        "probe": PROBE,
        "probe_fills": [fill["token_str"] for fill in fills],
        "finetune_seeds": list(SEEDS),
        "finetune_accuracy": accuracies,
        "recipe": asdict(MLM_RECIPE),
    }
