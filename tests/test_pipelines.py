"""task_pipeline: pipeline() on the tutorial's own classes, refusing a task that does not fit."""

import pytest
import torch

from bert_tutorial.modeling import BertSentenceClassifier, BertTokenClassifier
from bert_tutorial.models import model_path
from bert_tutorial.pipelines import task_pipeline
from bert_tutorial.training import make_batches, predict_logits, tokenize_sentences

TEXTS = ["a joy to watch", "dull", "one of the year's best films", "a tedious, overlong mess"]


def test_text_classification_agrees_with_predict_logits(tokenizer):
    names = {0: "negative", 1: "positive"}
    model = BertSentenceClassifier.from_pretrained(
        model_path(), num_labels=2, id2label=names, label2id={v: k for k, v in names.items()}
    )
    classifier = task_pipeline("text-classification", model, tokenizer)
    by_pipeline = classifier(TEXTS, batch_size=2)
    dataset = tokenize_sentences(TEXTS, [0] * 4, tokenizer, num_labels=2)
    logits = predict_logits(model, make_batches(dataset, 2, 0), torch.device("cpu"))
    probabilities = logits.softmax(dim=-1)
    assert [p["label"] for p in by_pipeline] == [names[i] for i in logits.argmax(-1).tolist()]
    assert [p["score"] for p in by_pipeline] == pytest.approx(
        probabilities.max(dim=-1).values.tolist(), abs=1e-5
    )


def test_token_classification_groups_sub_tokens_into_entities(tokenizer):
    names = {0: "O", 1: "B-person", 2: "I-person"}
    model = BertTokenClassifier.from_pretrained(model_path(), num_labels=3, id2label=names)
    tagger = task_pipeline("token-classification", model, tokenizer, aggregation_strategy="first")
    entities = tagger("Barack Obama visited Paris")
    assert all(entity["entity_group"] == "person" for entity in entities)


def test_a_model_that_does_not_fit_the_task_is_refused_with_the_fix(tokenizer):
    tagger = BertTokenClassifier.from_pretrained(model_path(), num_labels=3)
    with pytest.raises(ValueError, match="use task='token-classification'"):
        task_pipeline("text-classification", tagger, tokenizer)
