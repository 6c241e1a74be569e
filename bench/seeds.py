"""Notebook 03's run again with other seeds: how far the seed alone moves the test accuracy.

Each seed draws the new head's weights, the dropout masks and the order of the batches. Every
run follows the chapter: one epoch of the recipe, the validation split scored after each fifth,
the best of those five checkpoints tested once. The test results are compared sentence by
sentence (`bert_tutorial.noise`), with the frozen-feature baseline and between the seeds.
"""

from __future__ import annotations

from dataclasses import asdict
from itertools import combinations

import torch

from bench.common import new_classifier, train_scored
from bert_tutorial import noise
from bert_tutorial.baseline import frozen_feature_predictions
from bert_tutorial.data import movie_review_splits
from bert_tutorial.models import model_path
from bert_tutorial.recipes import SENTIMENT_RECIPE as RECIPE
from bert_tutorial.training import make_batches, predict_logits, tokenize_sentences

SEEDS = (0, 1, 2, 3, 4)
PARTS = 5  # validations per epoch, as in the chapter


def bench_seeds(tokenizer, device, quick: bool) -> dict:
    """Train notebook 03's run with each seed; the kept checkpoint's test results, compared."""
    from transformers import BertModel

    size = 64 if quick else None
    splits = {name: reviews[:size] for name, reviews in movie_review_splits().items()}
    data = {name: tokenize_sentences([r.text for r in reviews], [r.label for r in reviews],
                                     tokenizer, num_labels=2, max_length=RECIPE.max_length)
            for name, reviews in splits.items()}  # fmt: skip
    labels = {name: torch.tensor([r.label for r in reviews]) for name, reviews in splits.items()}

    def right(model, split: str) -> torch.Tensor:
        batches = make_batches(data[split], 128, tokenizer.pad_token_id)
        return predict_logits(model, batches, device).argmax(-1) == labels[split]

    def score(model) -> dict:
        return {"validation": right(model, "validation").float().mean().item(),
                "test_right": right(model, "test").tolist()}

    runs = []
    for seed in SEEDS[: 2 if quick else None]:
        model = new_classifier(seed=seed).to(device)
        curve, seconds = train_scored(model, data["train"], RECIPE, device, tokenizer.pad_token_id,
                                      score, parts=PARTS, seed=seed)
        kept = max(range(len(curve)), key=lambda i: (curve[i]["validation"], -i))  # first best
        runs.append({"seed": seed, "train_seconds": seconds, "kept_part": kept + 1,
                     "validation": [point["validation"] for point in curve],
                     "test_right": curve[kept]["test_right"]})
    body = BertModel.from_pretrained(model_path()).to(device)
    baseline = frozen_feature_predictions(tokenizer, body, splits["train"], splits["test"],
                                          progress=False)
    baseline_right = [p == r.label for p, r in zip(baseline, splits["test"], strict=True)]
    accuracies = [100 * sum(run["test_right"]) / len(labels["test"]) for run in runs]
    pairs = {f"{a['seed']}-{b['seed']}": noise.difference(a["test_right"], b["test_right"])
             for a, b in combinations(runs, 2)}
    widest = max(pairs, key=lambda name: abs(pairs[name].value))
    return {
        "seeds": [run["seed"] for run in runs],
        "test_sentences": len(labels["test"]),
        "test_accuracy": accuracies,
        "spread_points": max(accuracies) - min(accuracies),
        "kept_part": [run["kept_part"] for run in runs],
        "validation": [run["validation"] for run in runs],
        "train_seconds": [run["train_seconds"] for run in runs],
        "baseline_accuracy": 100 * sum(baseline_right) / len(baseline_right),
        "minus_baseline": [asdict(noise.difference(run["test_right"], baseline_right))
                           for run in runs],
        "interval_half_width": [(e.high - e.low) / 2 for e in
                                (noise.accuracy(run["test_right"]) for run in runs)],
        "widest_seed_gap": {"seeds": widest, **asdict(pairs[widest])},
    }
