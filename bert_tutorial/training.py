"""The plain PyTorch training loop of notebook 03, reused by notebook 04 and the benchmarks.

Notebook 03 writes `TokenizedDataset`, `train_one_epoch` and `predict_logits` out cell by cell;
tests check that the notebook's versions and these agree.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence

import torch
from torch.utils.data import Dataset
from tqdm.auto import tqdm
from transformers import get_linear_schedule_with_warmup

from bert_tutorial.batching import (
    in_order_batches,
    length_grouped_batches,
    pad_batch,
    sorted_batches,
)
from bert_tutorial.checks import check_strings
from bert_tutorial.precision import autocast, check_precision, grad_scaler, refuse_outer_autocast


class TokenizedDataset(Dataset):
    """A list of tokenized examples (dicts of `input_ids`, `attention_mask`, ..., `labels`)."""

    def __init__(self, features: Sequence[Mapping[str, object]]):
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
    text_pairs: Sequence[str] | None = None,
) -> TokenizedDataset:
    """Tokenize `texts` (no padding yet) and attach one class label to each; check the labels.

    With `text_pairs`, each text is read with its pair as one input, `[CLS] a [SEP] b [SEP]`,
    and the segment ids (`token_type_ids`) are kept (notebook 09). The labels are checked here,
    once, rather than in the model's `forward` on every step.
    """
    texts = check_strings(texts, "texts")
    if len(texts) != len(labels):
        raise ValueError(
            f"got {len(texts)} texts but {len(labels)} labels; give one label per text"
        )
    if text_pairs is not None:
        text_pairs = check_strings(text_pairs, "text_pairs")
        if len(text_pairs) != len(texts):
            raise ValueError(
                f"got {len(texts)} texts but {len(text_pairs)} text_pairs; give one pair per text"
            )
    for i, label in enumerate(labels):
        if not isinstance(label, int) or isinstance(label, bool) or not 0 <= label < num_labels:
            raise ValueError(
                f"label {i} is {label!r}; labels must be ints in 0..{num_labels - 1} "
                f"(num_labels={num_labels})"
            )
    if text_pairs is None:
        encoded = tokenizer(texts, truncation=True, max_length=max_length)["input_ids"]
        return TokenizedDataset(
            {"input_ids": ids, "labels": label} for ids, label in zip(encoded, labels, strict=True)
        )
    encoded = tokenizer(texts, text_pairs, truncation=True, max_length=max_length)
    return TokenizedDataset(
        {"input_ids": ids, "token_type_ids": types, "labels": label}
        for ids, types, label in zip(
            encoded["input_ids"], encoded["token_type_ids"], labels, strict=True
        )
    )


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
    decay, no_decay = [], []
    for parameter in model.parameters():
        if parameter.requires_grad:
            (no_decay if parameter.ndim < 2 else decay).append(parameter)
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


def train_step(
    model, batch, optimizer, scheduler, device, max_grad_norm=1.0, precision="fp32", scaler=None
) -> float:
    """Run one optimisation step on one batch (model in train mode) and return its loss.

    With `precision="bf16"` or `"fp16"` only the forward pass and the loss run under autocast
    (notebook 07); backward runs each operation in its forward dtype, and the weights' gradients,
    clipping and AdamW are fp32, on the fp32 weights. fp16 scales the loss with `scaler` (pass
    one `precision.grad_scaler` for all steps, as `train_one_epoch` does), and a step whose
    gradients overflowed is skipped, the learning-rate schedule's step with it.
    """
    scaler = scaler or grad_scaler(precision, device)
    batch = {key: value.to(device) for key, value in batch.items()}
    with autocast(precision, device):
        outputs = model(**batch)
    scaler.scale(outputs.loss).backward()
    scaler.unscale_(optimizer)  # clip the true gradients, not the scaled ones
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)
    scale = scaler.get_scale()
    scaler.step(optimizer)
    scaler.update()
    if scaler.get_scale() >= scale:  # lowered: the step was skipped, so the schedule waits too
        scheduler.step()
    optimizer.zero_grad()
    return outputs.loss.item()


def train_one_epoch(
    model,
    batches,
    optimizer,
    scheduler,
    device,
    max_grad_norm=1.0,
    progress=True,
    precision="fp32",
    scaler=None,
) -> list[float]:
    """Train for one pass over `batches` and return the loss of every step."""
    refuse_outer_autocast(device)
    scaler = scaler or grad_scaler(precision, device)
    model.train()
    return [
        train_step(model, batch, optimizer, scheduler, device, max_grad_norm, precision, scaler)
        for batch in tqdm(batches, desc="Training", unit="batch", disable=not progress)
    ]


def predict_logits(
    model, batches: Iterable[Mapping[str, torch.Tensor]], device, precision: str = "fp32"
) -> torch.Tensor:
    """Return the logits for every batch, concatenated on the CPU (eval mode, no gradients).

    Token logits, (batch, seq_len, labels), are padded with zeros to the widest batch first:
    read each example only up to its own length.
    """
    model.eval()
    logits = []
    with torch.inference_mode(), autocast(precision, device):
        for batch in batches:
            inputs = {key: value.to(device) for key, value in batch.items() if key != "labels"}
            logits.append(model(**inputs).logits.float().cpu())
    if logits[0].ndim == 3:
        width = max(x.shape[1] for x in logits)
        logits = [torch.nn.functional.pad(x, (0, 0, 0, width - x.shape[1])) for x in logits]
    return torch.cat(logits)


def predict_sorted(
    model, dataset: TokenizedDataset, device, *, pad_token_id: int, batch_size: int = 128
) -> torch.Tensor:
    """Return one row of logits per example of `dataset`, in its order, for a sentence (or pair)
    classifier; batches are sorted by length, so little of them is padding (notebook 09)."""
    groups = sorted_batches(dataset.lengths(), batch_size)
    batches = (pad_batch([dataset[i] for i in group], pad_token_id) for group in groups)
    logits = predict_logits(model, batches, device)
    order = torch.tensor([i for group in groups for i in group])
    return logits[order.argsort()]


def fine_tune(
    model,
    dataset: TokenizedDataset,
    recipe,
    device,
    *,
    pad_token_id: int,
    progress: bool = True,
    after_epoch: Callable[[int], object] | None = None,
    precision: str = "fp32",
) -> list[float]:
    """Train `model` on `dataset` with a `recipes.Recipe`; return the loss of every step.

    Notebook 03's cells in one call: AdamW with warmup and linear decay, then per epoch a fresh
    length-grouped order of batches (seeded by the epoch), one pass of `train_one_epoch`, and
    `after_epoch(epoch)` when given (e.g. to evaluate on the validation split). `precision`:
    see `train_step`.
    """
    check_precision(precision, device)
    optimizer, scheduler = make_optimizer_and_scheduler(
        model,
        lr=recipe.lr,
        num_training_steps=recipe.num_training_steps(len(dataset)),
        warmup_ratio=recipe.warmup_ratio,
        weight_decay=recipe.weight_decay,
    )
    losses, scaler = [], grad_scaler(precision, device)
    for epoch in range(recipe.num_epochs):
        batches = make_batches(dataset, recipe.batch_size, pad_token_id, seed=epoch)
        losses += train_one_epoch(
            model, batches, optimizer, scheduler, device, recipe.max_grad_norm, progress, precision,
            scaler,
        )
        if after_epoch:
            after_epoch(epoch)
    return losses


def batch_per_device(batch_size: int, device) -> int:
    """Return each GPU's share of `batch_size`, so that Trainer's whole batch stays `batch_size`.

    One process that sees several GPUs makes Trainer run `nn.DataParallel` over all of them, with
    a whole batch of per_device_train_batch_size x the GPU count (Kaggle's two T4s, for one).
    Launched processes (torchrun, accelerate launch) use one GPU each: their share is the batch.
    """
    launched = int(os.environ.get("LOCAL_RANK", -1)) != -1
    gpus = torch.cuda.device_count() if torch.device(device).type == "cuda" and not launched else 1
    if batch_size % max(gpus, 1):
        raise ValueError(
            f"a batch of {batch_size} does not split evenly over the {gpus} GPUs Trainer sees: "
            f"choose a batch size that is a multiple of {gpus}, or show it one GPU by starting "
            "Jupyter with CUDA_VISIBLE_DEVICES=0"
        )
    return batch_size // max(gpus, 1)


def trainer_arguments(recipe, num_examples: int, output_dir, device, **changes):
    """Return transformers' `TrainingArguments` for a `recipes.Recipe`: this loop as arguments.

    Notebook 05 writes them out one by one; a test checks the two agree. Checkpoints, logging
    and progress bars are off; `changes` overrides any argument.
    """
    from transformers import TrainingArguments

    num_training_steps = recipe.num_training_steps(num_examples)
    arguments = {
        "output_dir": str(output_dir),
        "per_device_train_batch_size": batch_per_device(recipe.batch_size, device),
        "per_device_eval_batch_size": 128,
        "num_train_epochs": recipe.num_epochs,
        "learning_rate": recipe.lr,
        "weight_decay": recipe.weight_decay,
        "lr_scheduler_type": "linear",
        "warmup_steps": int(recipe.warmup_ratio * num_training_steps),
        "max_grad_norm": recipe.max_grad_norm,
        "train_sampling_strategy": "group_by_length",  # length_grouped_batches
        "seed": recipe.seed,
        "use_cpu": torch.device(device).type == "cpu",
        "save_strategy": "no",
        "logging_strategy": "no",
        "disable_tqdm": True,
        "report_to": [],
    }
    return TrainingArguments(**{**arguments, **changes})
