"""Dynamic padding and length-grouped batches, shared by inference (02) and training (03, 04)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

import torch

PADDINGS = ("longest", "max_length")


def pad_batch(
    features: Sequence[Mapping[str, Sequence[int]]],
    pad_token_id: int,
    *,
    padding: str = "longest",
    max_length: int | None = None,
    label_pad_id: int = -100,
) -> dict[str, torch.Tensor]:
    """Stack tokenized examples into tensors, padding each field to the batch's longest sequence.

    `input_ids` are padded with `pad_token_id`, `labels` (when they are per token) with
    `label_pad_id`, everything else with 0; `attention_mask` is built when absent. A field with
    one number per example (a sentence's `labels`, an answer's `start_positions`) becomes a 1-D
    tensor.
    """
    assert padding in PADDINGS, f"padding must be one of {PADDINGS}, got {padding!r}"
    lengths = [len(feature["input_ids"]) for feature in features]
    width = max_length if padding == "max_length" else max(lengths)
    batch: dict[str, torch.Tensor] = {}
    keys = set(features[0]) | {"attention_mask"}
    for key in sorted(keys):
        if key in features[0] and not isinstance(features[0][key], Sequence):
            batch[key] = torch.tensor([feature[key] for feature in features])
            continue
        fill = pad_token_id if key == "input_ids" else label_pad_id if key == "labels" else 0
        rows = torch.full((len(features), width), fill, dtype=torch.long)  # (batch, width)
        for row, feature in enumerate(features):
            values = feature[key] if key in feature else [1] * lengths[row]
            rows[row, : len(values)] = torch.as_tensor(values, dtype=torch.long)
        batch[key] = rows
    return batch


def in_order_batches(count: int, batch_size: int) -> list[list[int]]:
    """Return the indices 0..count-1 cut into consecutive batches (order kept, e.g. evaluation)."""
    starts = range(0, count, batch_size)
    return [list(range(start, min(start + batch_size, count))) for start in starts]


def sorted_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Return index batches of similar lengths, longest first (for inference: order is free)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    return [order[start : start + batch_size] for start in range(0, len(order), batch_size)]


def length_grouped_batches(
    lengths: Sequence[int], batch_size: int, *, seed: int, pool_factor: int = 50
) -> list[list[int]]:
    """Return shuffled index batches whose members have similar lengths (for training).

    The indices are shuffled, cut into pools of `pool_factor * batch_size`, each pool sorted by
    length and cut into batches; then the batches are shuffled. Training still sees a random
    order, while each batch wastes little padding.
    """
    rng = random.Random(seed)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = batch_size * pool_factor
    batches = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lambda i: lengths[i], reverse=True)
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches

