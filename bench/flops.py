"""How much of the machine's matrix-multiply speed notebook 03's training reaches.

The two speeds are measured in turns, a training step then a matmul, over the same stretch of
time: a shared machine's speed drifts by more than the difference being measured, and two
measurements minutes apart compare two different machines.
"""

from __future__ import annotations

import time

import torch

from bench.common import new_classifier
from bert_tutorial.recipes import SENTIMENT_RECIPE as RECIPE
from bert_tutorial.scaling import training_flops
from bert_tutorial.training import make_batches, make_optimizer_and_scheduler, train_step

MATMUL_SIZE = 2048


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def bench_flops(tokenizer, datasets, device, config, steps: int = 60) -> dict:
    """Training GFLOP/s of notebook 03's steps against fp32 matmul GFLOP/s, in turns."""
    model = new_classifier().to(device).train()
    batches = make_batches(datasets["train"], RECIPE.batch_size, tokenizer.pad_token_id, seed=0)
    batches = batches[: steps + 3]
    warmup = min(3, len(batches) - 1)  # first calls allocate memory and pick kernels
    optimizer, scheduler = make_optimizer_and_scheduler(
        model, lr=RECIPE.lr, num_training_steps=len(batches)
    )
    a, b = (torch.randn(MATMUL_SIZE, MATMUL_SIZE, device=device) for _ in range(2))
    train_seconds = matmul_seconds = train_flops = 0.0
    for index, batch in enumerate(batches):
        train = timed(lambda: train_step(model, batch, optimizer, scheduler, device))  # noqa: B023
        matmul = timed(lambda: (a @ b).sum().item())  # .item() waits for a GPU to finish
        if index < warmup:
            continue
        rows, seq_len = batch["input_ids"].shape
        train_flops += training_flops(rows * seq_len, seq_len, config, RECIPE.num_frozen_layers)
        train_seconds, matmul_seconds = train_seconds + train, matmul_seconds + matmul
    measured = len(batches) - warmup
    achieved = train_flops / train_seconds / 1e9
    peak = 2 * MATMUL_SIZE**3 * measured / matmul_seconds / 1e9
    return {
        "steps": measured,
        "train_gflops_per_s": achieved,
        "matmul_gflops_per_s": peak,
        "fraction": achieved / peak,
    }
