"""Notebook 04's recipe on WNUT-16: training time and entity-level micro F1 on the test split."""

from __future__ import annotations

import time
from dataclasses import asdict

import torch

from bert_tutorial.data import wnut16_splits
from bert_tutorial.modeling import BertTokenClassifier, freeze_layers
from bert_tutorial.models import model_path
from bert_tutorial.ner import encode_tagged, predict_word_tags, tag_names
from bert_tutorial.recipes import NER_RECIPE as RECIPE
from bert_tutorial.training import fine_tune


def bench_ner(tokenizer, device, quick: bool) -> dict:
    """Train notebook 04's tagger with `fine_tune`; time it and score whole entities."""
    from seqeval.metrics import f1_score

    splits = wnut16_splits()
    train, test = splits["train"], splits["test"]
    names = tag_names(train + test)
    if quick:
        train, test = train[:64], test[:32]
    label2id = {name: i for i, name in enumerate(names)}
    id2label = dict(enumerate(names))
    train_encoded = encode_tagged(train, tokenizer, label2id, max_length=RECIPE.max_length)
    test_encoded = encode_tagged(test, tokenizer, label2id, max_length=RECIPE.max_length)
    torch.manual_seed(RECIPE.seed)
    model = BertTokenClassifier.from_pretrained(
        model_path(), num_labels=len(names), id2label=id2label, label2id=label2id
    )
    freeze_layers(model, RECIPE.num_frozen_layers).to(device)
    pad_id = tokenizer.pad_token_id
    start = time.perf_counter()
    fine_tune(model, train_encoded.dataset, RECIPE, device, pad_token_id=pad_id, progress=False)
    seconds = time.perf_counter() - start
    predicted = predict_word_tags(model, test_encoded, id2label, device, pad_token_id=pad_id)
    gold = [list(tweet.tags) for tweet in test]
    return {"f1": f1_score(gold, predicted), "train_seconds": seconds, "recipe": asdict(RECIPE)}
