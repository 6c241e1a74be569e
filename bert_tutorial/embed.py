"""Sentence embeddings from a pretrained BERT: pooling and a fast batched encoder.

Taught in notebook 02: mask-aware mean pooling, dynamic padding and length sorting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from tqdm.auto import tqdm

from bert_tutorial.batching import PADDINGS, in_order_batches, pad_batch, sorted_batches
from bert_tutorial.checks import check_strings

POOLINGS = ("mean", "cls")


def mean_pool(last_hidden_state: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Return the average of each sequence's real-token vectors, ignoring padding (notebook 02)."""
    mask = attention_mask.unsqueeze(-1).to(last_hidden_state.dtype)  # (batch, seq_len, 1)
    summed = (last_hidden_state * mask).sum(dim=1)  # (batch, hidden)
    return summed / mask.sum(dim=1).clamp(min=1e-9)


def pool(outputs: Any, attention_mask: torch.Tensor, pooling: str) -> torch.Tensor:
    """Return one vector per sequence: the `[CLS]` vector or the masked mean of all tokens."""
    if pooling == "mean":
        return mean_pool(outputs.last_hidden_state, attention_mask)
    if pooling == "cls":
        return outputs.last_hidden_state[:, 0]
    raise ValueError(f"pooling must be one of {POOLINGS}, got {pooling!r}")


def embed_sentences(
    sentences: Sequence[str],
    tokenizer: Any,
    model: torch.nn.Module,
    *,
    batch_size: int = 64,
    max_length: int = 128,
    pooling: str = "mean",
    padding: str = "longest",
    sort_by_length: bool = True,
    normalize: bool = False,
    progress: bool = True,
) -> torch.Tensor:
    """Return a (len(sentences), hidden) CPU tensor of sentence vectors, in the input order."""
    features, batches = _plan(sentences, tokenizer, batch_size, max_length, padding, sort_by_length)
    device = next(model.parameters()).device
    model.eval()
    vectors = torch.empty(len(sentences), model.config.hidden_size)
    with torch.inference_mode():
        for indices in tqdm(batches, desc="Embedding", unit="batch", disable=not progress):
            batch = pad_batch(
                [features[i] for i in indices],
                tokenizer.pad_token_id,
                padding=padding,
                max_length=max_length,
            )
            batch = {key: value.to(device) for key, value in batch.items()}
            outputs = model(**batch)
            pooled = pool(outputs, batch["attention_mask"], pooling)  # (batch, hidden)
            vectors[indices] = pooled.float().cpu()  # back to the input order
    if normalize:
        vectors = torch.nn.functional.normalize(vectors, dim=-1)
    return vectors


def padding_cost(
    sentences: Sequence[str],
    tokenizer: Any,
    *,
    batch_size: int = 64,
    max_length: int = 128,
    padding: str = "longest",
    sort_by_length: bool = True,
) -> tuple[int, int]:
    """Return `(real_tokens, processed_tokens)` that `embed_sentences` would feed the model."""
    features, batches = _plan(sentences, tokenizer, batch_size, max_length, padding, sort_by_length)
    lengths = [len(feature["input_ids"]) for feature in features]
    processed = 0
    for indices in batches:
        width = max_length if padding == "max_length" else max(lengths[i] for i in indices)
        processed += width * len(indices)
    return sum(lengths), processed


def _plan(sentences, tokenizer, batch_size, max_length, padding, sort_by_length):
    """Tokenize once (no padding) and decide the batches: sorted by token count, or in order."""
    sentences = check_strings(sentences, "sentences")
    assert padding in PADDINGS, f"padding must be one of {PADDINGS}, got {padding!r}"
    encoded = tokenizer(sentences, truncation=True, max_length=max_length)
    features = [{key: encoded[key][i] for key in encoded} for i in range(len(sentences))]
    if sort_by_length:
        batches = sorted_batches([len(f["input_ids"]) for f in features], batch_size)
    else:
        batches = in_order_batches(len(features), batch_size)
    return features, batches

