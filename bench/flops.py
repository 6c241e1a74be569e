"""How much of the machine's matrix-multiply speed notebook 03's training reaches."""

from __future__ import annotations

import time

import torch

from bert_tutorial.recipes import SENTIMENT_RECIPE as RECIPE


def training_flops(processed_tokens: int, seq_len: float, config, num_frozen_layers: int) -> float:
    """Count the floating-point operations of the training run from the model's shapes.

    Per token and layer, the forward pass does 2 * (4 h^2 + 2 h i) for the linear layers and
    4 * seq_len * h for the attention scores and weighted sum. The backward pass costs twice
    the forward pass for trainable layers and nothing for the frozen ones below them.
    """
    h, i = config.hidden_size, config.intermediate_size
    per_layer = 2 * (4 * h * h + 2 * h * i) + 4 * seq_len * h
    layers = config.num_hidden_layers
    trainable = layers - num_frozen_layers
    return processed_tokens * per_layer * (layers + 2 * trainable)


def matmul_gflops(size: int = 2048, repeats: int = 10) -> float:
    """Measure fp32 matrix-multiply GFLOP/s on this machine's cores."""
    a, b = torch.randn(size, size), torch.randn(size, size)
    for _ in range(2):
        a @ b
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    return 2 * size**3 * repeats / (time.perf_counter() - start) / 1e9


def bench_flops(finetune: dict, num_examples: int, config) -> dict:
    """Achieved training GFLOP/s (from `bench_finetune`'s run) against a plain fp32 matmul."""
    mean_len = finetune["processed_tokens"] / num_examples / RECIPE.num_epochs
    flops = training_flops(finetune["processed_tokens"], mean_len, config, RECIPE.num_frozen_layers)
    achieved = flops / finetune["train_seconds"] / 1e9
    peak = matmul_gflops()
    return {
        "train_gflops_per_s": achieved,
        "matmul_gflops_per_s": peak,
        "fraction": achieved / peak,
    }
