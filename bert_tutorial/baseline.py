"""The frozen-feature baseline of notebook 02: mean-pooled MiniLM vectors + logistic regression."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bert_tutorial.embed import embed_sentences

BASELINE_TRAIN_SIZE = 4000  # the first 4,000 training sentences: embedding them takes seconds


def frozen_feature_predictions(
    tokenizer: Any,
    model: Any,
    train: Sequence[Any],
    test: Sequence[Any],
    *,
    num_train: int = BASELINE_TRAIN_SIZE,
    progress: bool = True,
) -> list[int]:
    """Return a logistic regression's label for each test review, fit on frozen sentence vectors."""
    from sklearn.linear_model import LogisticRegression

    train = list(train)[:num_train]
    options = {"normalize": True, "progress": progress}
    train_vectors = embed_sentences([r.text for r in train], tokenizer, model, **options)
    test_vectors = embed_sentences([r.text for r in test], tokenizer, model, **options)
    classifier = LogisticRegression(max_iter=2000)
    classifier.fit(train_vectors.numpy(), [r.label for r in train])
    return classifier.predict(test_vectors.numpy()).tolist()

