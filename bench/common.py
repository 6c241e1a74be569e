"""What several measurements share: the tokenizer, notebook 03's model and data, scoring."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from pathlib import Path

import torch

from bert_tutorial.data import movie_review_splits
from bert_tutorial.modeling import BertSentenceClassifier, freeze_layers
from bert_tutorial.models import model_path
from bert_tutorial.recipes import SENTIMENT_RECIPE
from bert_tutorial.setup import versions
from bert_tutorial.training import (
    TokenizedDataset,
    make_batches,
    make_optimizer_and_scheduler,
    predict_logits,
    tokenize_sentences,
    train_step,
)

ROOT = Path(__file__).resolve().parents[1]


def load_tokenizer():
    """The packaged model's tokenizer."""
    from transformers import BertTokenizer

    return BertTokenizer.from_pretrained(model_path())


def new_classifier(source: str | None = None, seed: int = SENTIMENT_RECIPE.seed
                   ) -> BertSentenceClassifier:
    """Notebook 03's model: pretrained body (the packaged one, or `source`), new head (seeded),
    bottom frozen by the recipe."""
    torch.manual_seed(seed)
    model = BertSentenceClassifier.from_pretrained(source or model_path(), num_labels=2)
    return freeze_layers(model, SENTIMENT_RECIPE.num_frozen_layers)


def review_datasets(tokenizer, size: int | None) -> dict[str, TokenizedDataset]:
    """Notebook 03's tokenized train and test splits (the first `size` of each, if given)."""
    splits = movie_review_splits()
    return {
        name: tokenize_sentences(
            [r.text for r in splits[name][:size]],
            [r.label for r in splits[name][:size]],
            tokenizer,
            num_labels=2,
            max_length=SENTIMENT_RECIPE.max_length,
        )
        for name in ("train", "test")
    }


def test_accuracy(model, tokenizer, dataset: TokenizedDataset, device) -> float:
    """Accuracy of `model` on `dataset`, predicted in order in batches of 128."""
    logits = predict_logits(model, make_batches(dataset, 128, tokenizer.pad_token_id), device)
    labels = torch.tensor([feature["labels"] for feature in dataset.features])
    return (logits.argmax(dim=-1) == labels).float().mean().item()


def machine_info() -> dict:
    """The CPU model, cores, torch threads, device and library versions of this run."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        names = [line for line in cpuinfo.read_text().splitlines() if line.startswith("model name")]
        cpu = names[0].split(":", 1)[1].strip() if names else cpu
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "device": "cuda" if torch.cuda.is_available() else "cpu",
        **versions(),
    }


def train_scored(model, dataset: TokenizedDataset, recipe, device, pad_token_id: int,
                 score: Callable[[object], dict], parts: int = 4, seed: int = 0
                 ) -> tuple[list[dict], float]:
    """One pass of `recipe` over `dataset` (batches shuffled by `seed`), `score(model)` after
    each of `parts` equal parts of it.

    Return the scores (each with the examples seen so far) and the training seconds, which
    leave out the scoring along the way.
    """
    batches = make_batches(dataset, recipe.batch_size, pad_token_id, seed=seed)
    optimizer, scheduler = make_optimizer_and_scheduler(
        model, lr=recipe.lr, num_training_steps=len(batches),
        warmup_ratio=recipe.warmup_ratio, weight_decay=recipe.weight_decay,
    )
    checkpoints = {round(len(batches) * part / parts) for part in range(1, parts + 1)}
    curve, seconds, seen = [], 0.0, 0
    for step, batch in enumerate(batches, 1):
        model.train()
        start = time.perf_counter()
        train_step(model, batch, optimizer, scheduler, device, recipe.max_grad_norm)
        seconds += time.perf_counter() - start
        seen += len(batch["input_ids"])
        if step in checkpoints:
            curve.append({"examples": seen, **score(model)})
    return curve, seconds
