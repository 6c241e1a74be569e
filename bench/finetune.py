"""Notebook 03's recipe with the package's loop: training time, throughput, test accuracy."""

from __future__ import annotations

import time
from dataclasses import asdict

from bench.common import new_classifier, test_accuracy
from bert_tutorial.batching import length_grouped_batches
from bert_tutorial.recipes import SENTIMENT_RECIPE as RECIPE
from bert_tutorial.training import fine_tune


def processed_tokens(lengths: list[int]) -> int:
    """Tokens the model sees in training, padding included (every epoch's batches)."""
    return sum(
        len(batch) * max(lengths[i] for i in batch)
        for epoch in range(RECIPE.num_epochs)
        for batch in length_grouped_batches(lengths, RECIPE.batch_size, seed=epoch)
    )


def bench_finetune(tokenizer, datasets, device) -> dict:
    """Train with `fine_tune` (notebook 03's recipe); time it and score the test split."""
    model = new_classifier().to(device)
    start = time.perf_counter()  # Trainer's time includes building its optimizer; ours does too
    fine_tune(model, datasets["train"], RECIPE, device, pad_token_id=tokenizer.pad_token_id,
              progress=False)  # fmt: skip
    seconds = time.perf_counter() - start
    return {
        "test_accuracy": test_accuracy(model, tokenizer, datasets["test"], device),
        "train_seconds": seconds,
        "examples_per_s": RECIPE.num_epochs * len(datasets["train"]) / seconds,
        "processed_tokens": processed_tokens(datasets["train"].lengths()),
        "recipe": asdict(RECIPE),
    }
