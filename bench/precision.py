"""Notebook 03's recipe in bf16 autocast against fp32 (notebook 07's training numbers).

The bf16 runs autocast the forward pass and loss only (`precision="bf16"`); weights, gradients
and AdamW stay fp32. `native_bf16` means this CPU has AMX, where `fastest_precision` picks
bf16 (it multiplies bf16 matrices several times faster than fp32); the speed targets apply to
such CPUs only.
"""

from __future__ import annotations

import dataclasses
import time

from bench.common import new_classifier, test_accuracy
from bert_tutorial.precision import bf16_matmul_ratio, cpu_has_bf16, fastest_precision
from bert_tutorial.recipes import SENTIMENT_RECIPE as RECIPE
from bert_tutorial.training import fine_tune


def train_and_score(tokenizer, datasets, device, precision: str, num_epochs: int = 1):
    """Fine-tune a fresh notebook-03 model; return (seconds, test accuracy, model)."""
    recipe = dataclasses.replace(RECIPE, num_epochs=num_epochs)
    model = new_classifier().to(device)
    start = time.perf_counter()
    fine_tune(model, datasets["train"], recipe, device, pad_token_id=tokenizer.pad_token_id,
              progress=False, precision=precision)
    seconds = time.perf_counter() - start
    return seconds, test_accuracy(model, tokenizer, datasets["test"], device), model


def bench_precision(tokenizer, datasets, device) -> dict:
    """fp32 and bf16 for one epoch, bf16 for two, and the bf16/fp32 matmul ratio."""
    ratio = bf16_matmul_ratio()
    fp32_seconds, fp32_accuracy, _ = train_and_score(tokenizer, datasets, device, "fp32")
    result = {"native_bf16": fastest_precision("cpu") == "bf16", "bf16_matmul_ratio": ratio,
              "cpu_has_bf16": cpu_has_bf16(), "fp32_seconds": fp32_seconds,
              "fp32_accuracy": fp32_accuracy}
    if not cpu_has_bf16():  # emulated bf16: the package refuses it, so there is nothing to time
        return {**result, "bf16_seconds": None, "bf16_accuracy": None, "speedup": None,
                "bf16_two_epoch_seconds": None, "bf16_two_epoch_accuracy": None}
    bf16_seconds, bf16_accuracy, _ = train_and_score(tokenizer, datasets, device, "bf16")
    two_seconds, two_accuracy, _ = train_and_score(tokenizer, datasets, device, "bf16", 2)
    return {**result, "bf16_seconds": bf16_seconds, "bf16_accuracy": bf16_accuracy,
            "speedup": fp32_seconds / bf16_seconds, "bf16_two_epoch_seconds": two_seconds,
            "bf16_two_epoch_accuracy": two_accuracy}
