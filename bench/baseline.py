"""Notebook 02's frozen-feature baseline: logistic regression on mean-pooled vectors."""

from __future__ import annotations

import time

from bert_tutorial.baseline import BASELINE_TRAIN_SIZE, frozen_feature_predictions
from bert_tutorial.data import movie_review_splits
from bert_tutorial.models import model_path


def bench_baseline(tokenizer, device, quick: bool) -> dict:
    """Test accuracy of the baseline that fine-tuning must beat."""
    from transformers import BertModel

    splits = movie_review_splits()
    model = BertModel.from_pretrained(model_path()).to(device)
    num_train, test = (64, splits["test"][:64]) if quick else (BASELINE_TRAIN_SIZE, splits["test"])
    start = time.perf_counter()
    predictions = frozen_feature_predictions(
        tokenizer, model, splits["train"], test, num_train=num_train, progress=False
    )
    right = sum(p == r.label for p, r in zip(predictions, test, strict=True))
    return {
        "test_accuracy": right / len(test),
        "num_train": num_train,
        "seconds": time.perf_counter() - start,
    }
