"""Notebook 02's frozen-feature baseline: logistic regression on mean-pooled vectors."""

from __future__ import annotations

import time

from bert_tutorial.baseline import BASELINE_TRAIN_SIZE, frozen_feature_accuracy
from bert_tutorial.data import movie_review_splits
from bert_tutorial.models import model_path


def bench_baseline(tokenizer, device, quick: bool) -> dict:
    """Test accuracy of the baseline that fine-tuning must beat."""
    from transformers import BertModel

    splits = movie_review_splits()
    model = BertModel.from_pretrained(model_path()).to(device)
    num_train, test = (64, splits["test"][:64]) if quick else (BASELINE_TRAIN_SIZE, splits["test"])
    start = time.perf_counter()
    accuracy = frozen_feature_accuracy(
        tokenizer, model, splits["train"], test, num_train=num_train, progress=False
    )
    return {
        "test_accuracy": accuracy,
        "num_train": num_train,
        "seconds": time.perf_counter() - start,
    }
