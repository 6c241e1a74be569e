"""The frozen-feature baseline: one label per test review, well above the majority class."""

import pytest
from transformers import BertModel

from bert_tutorial.baseline import frozen_feature_predictions
from bert_tutorial.data import movie_review_splits
from bert_tutorial.models import model_path


@pytest.fixture(scope="module")
def model():
    return BertModel.from_pretrained(model_path()).eval()


def test_predictions_are_one_label_per_review_and_carry_the_sentiment(tokenizer, model):
    splits = movie_review_splits()
    train, test = splits["train"], splits["test"][:120]
    options = {"num_train": 240, "progress": False}
    predictions = frozen_feature_predictions(tokenizer, model, train, test, **options)
    labels = [r.label for r in test]
    assert len(predictions) == len(test) and set(predictions) <= {0, 1}
    accuracy = sum(p == y for p, y in zip(predictions, labels, strict=True)) / len(test)
    majority = max(labels.count(0), labels.count(1)) / len(labels)
    assert accuracy > majority + 0.1  # the frozen vectors carry the sentiment
