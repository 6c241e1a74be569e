"""The plain PyTorch training loop of notebook 03, reused by notebook 04 and the benchmarks.

Notebook 03 writes `train_one_epoch` out cell by cell; a test checks that the notebook's
version and this one give the same losses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import torch
from torch.utils.data import Dataset
from tqdm.auto import tqdm
from transformers import get_linear_schedule_with_warmup

from bert_tutorial.batching import in_order_batches, length_grouped_batches, pad_batch


class TokenizedDataset(Dataset):
    """A list of tokenized examples (dicts of `input_ids`, `attention_mask`, ..., `labels`)."""

    def __init__(self, features: Sequence[Mapping[str, object]]):
        if len(features) == 0:
            raise ValueError("the dataset is empty; give at least one tokenized example")
        for i, feature in enumerate(features):
            if "input_ids" not in feature:
                raise KeyError(f"example {i} has no 'input_ids'; tokenize the texts first")
        self.features = list(features)

    def __len__(self) -> int:
        return len(self.features)

    def __getitem__(self, index: int) -> Mapping[str, object]:
        return self.features[index]

    def lengths(self) -> list[int]:
        """Return the token count of every example (for length-grouped batches)."""
        return [len(feature["input_ids"]) for feature in self.features]


def tokenize_sentences(
    texts: Sequence[str],
    labels: Sequence[int],
    tokenizer,
    *,
    num_labels: int,
    max_length: int = 128,
) -> TokenizedDataset:
    """Tokenize `texts` (no padding yet) and attach one class label to each; check the labels."""
    if isinstance(texts, str):
        raise TypeError("texts must be a list of strings, got one string; wrap it: [text]")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"text {i} is {text!r}; every text must be a str")
    if len(texts) != len(labels):
        raise ValueError(
            f"got {len(texts)} texts but {len(labels)} labels; give one label per text"
        )
    if len(texts) == 0:
        raise ValueError("the dataset is empty; give at least one text")
    for i, label in enumerate(labels):
        if not isinstance(label, int) or isinstance(label, bool) or not 0 <= label < num_labels:
            raise ValueError(
                f"label {i} is {label!r}; labels must be ints in 0..{num_labels - 1} "
                f"(num_labels={num_labels})"
            )
    encoded = tokenizer(list(texts), truncation=True, max_length=max_length)
    features = [
        {**{key: encoded[key][i] for key in encoded}, "labels": labels[i]}
        for i in range(len(texts))
    ]
    return TokenizedDataset(features)


def make_batches(
    dataset: TokenizedDataset, batch_size: int, pad_token_id: int, *, seed: int | None = None
) -> list[dict[str, torch.Tensor]]:
    """Return padded batches: length-grouped in a seeded random order, or in order if no seed."""
    if seed is None:
        groups = in_order_batches(len(dataset), batch_size)
    else:
        groups = length_grouped_batches(dataset.lengths(), batch_size, seed=seed)
    return [pad_batch([dataset[i] for i in group], pad_token_id) for group in groups]


def make_optimizer_and_scheduler(
    model: torch.nn.Module,
    *,
    lr: float,
    num_training_steps: int,
    warmup_ratio: float = 0.1,
    weight_decay: float = 0.01,
):
    """Return AdamW (no decay on biases and LayerNorm) and a warmup + linear-decay schedule."""
    if not lr > 0:
        raise ValueError(f"lr must be a positive learning rate such as 5e-5, got {lr!r}")
    if not isinstance(num_training_steps, int) or num_training_steps < 1:
        raise ValueError(
            f"num_training_steps must be a positive int (batches x epochs), got "
            f"{num_training_steps!r}"
        )
    if not 0 <= warmup_ratio < 1:
        raise ValueError(f"warmup_ratio must be in [0, 1), got {warmup_ratio!r}")
    decay, no_decay = [], []
    for parameter in model.parameters():
        if parameter.requires_grad:
            (no_decay if parameter.ndim < 2 else decay).append(parameter)
    if not decay and not no_decay:
        raise ValueError("the model has no trainable parameters; unfreeze some before training")
    optimizer = torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": weight_decay},
            {"params": no_decay, "weight_decay": 0.0},
        ],
        lr=lr,
        fused=True,  # one kernel for all parameters; several times faster than the default on CPU
    )
    scheduler = get_linear_schedule_with_warmup(
        optimizer, int(warmup_ratio * num_training_steps), num_training_steps
    )
    return optimizer, scheduler


def train_step(model, batch, optimizer, scheduler, device, max_grad_norm=1.0) -> float:
    """Run one optimisation step on one batch (model in train mode) and return its loss."""
    batch = {key: value.to(device) for key, value in batch.items()}
    outputs = model(**batch)
    outputs.loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad()
    return outputs.loss.item()


def train_one_epoch(
    model, batches, optimizer, scheduler, device, max_grad_norm=1.0, progress=True
) -> list[float]:
    """Train for one pass over `batches` and return the loss of every step."""
    if len(batches) == 0:
        raise ValueError("no batches to train on; build them with make_batches(...) first")
    model.train()
    return [
        train_step(model, batch, optimizer, scheduler, device, max_grad_norm)
        for batch in tqdm(batches, desc="Training", unit="batch", disable=not progress)
    ]


def predict_logits(model, batches: Iterable[Mapping[str, torch.Tensor]], device) -> torch.Tensor:
    """Return the logits for every batch, concatenated on the CPU (eval mode, no gradients)."""
    model.eval()
    logits = []
    with torch.inference_mode():
        for batch in batches:
            inputs = {key: value.to(device) for key, value in batch.items() if key != "labels"}
            logits.append(model(**inputs).logits.float().cpu())
    if not logits:
        raise ValueError("no batches to predict; build them with make_batches(...) first")
    return torch.cat(logits)
