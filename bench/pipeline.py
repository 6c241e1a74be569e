"""`pipeline()` against the hand-written batched predict of notebook 03 (notebook 05's numbers)."""

from __future__ import annotations

import time

from bench.common import new_classifier
from bert_tutorial.pipelines import task_pipeline
from bert_tutorial.training import make_batches, predict_logits, tokenize_sentences

BATCH_SIZE = 64


def bench_pipeline(tokenizer, sentences: list[str], device) -> dict:
    """Sentences/s of both on the same model, batches and sentences, and how often they agree."""
    model = new_classifier().to(device).eval()
    classifier = task_pipeline("text-classification", model, tokenizer, device=device)
    options = {"batch_size": BATCH_SIZE, "truncation": True, "max_length": 128}

    def by_hand(texts):  # tokenizing is part of the work, as it is inside the pipeline
        dataset = tokenize_sentences(texts, [0] * len(texts), tokenizer, num_labels=2)
        batches = make_batches(dataset, BATCH_SIZE, tokenizer.pad_token_id)
        return predict_logits(model, batches, device).argmax(dim=-1).tolist()

    by_hand(sentences[:BATCH_SIZE]), classifier(sentences[:BATCH_SIZE], **options)  # warm-up
    start = time.perf_counter()
    manual = by_hand(sentences)
    manual_rate = len(sentences) / (time.perf_counter() - start)
    start = time.perf_counter()
    predictions = classifier(sentences, **options)
    pipeline_rate = len(sentences) / (time.perf_counter() - start)
    label2id = model.config.label2id
    agreement = sum(
        label2id[p["label"]] == m for p, m in zip(predictions, manual, strict=True)
    ) / len(sentences)
    return {
        "sentences": len(sentences),
        "batch_size": BATCH_SIZE,
        "pipeline_sentences_per_s": pipeline_rate,
        "manual_sentences_per_s": manual_rate,
        "ratio": pipeline_rate / manual_rate,
        "agreement": agreement,
    }
