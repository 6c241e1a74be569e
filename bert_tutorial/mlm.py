"""Masked language modelling, the objective BERT was pretrained with.

`mask_tokens` is BERT's masking, written out: it chooses a share of the positions, replaces
80% of them with `[MASK]`, 10% with a random token and leaves 10% as they were, and labels only
the chosen positions (-100 elsewhere, which the loss ignores). `DataCollatorForLanguageModeling`
does the same; the tests check that both give the same proportions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

IGNORE = -100  # the label cross-entropy skips


def check_mlm_probability(mlm_probability: float) -> None:
    """Raise a `ValueError` unless 0 < `mlm_probability` < 1."""
    if not 0 < mlm_probability < 1:
        raise ValueError(f"mlm_probability must lie between 0 and 1 (BERT used 0.15), got "
                         f"{mlm_probability!r}")


def mask_token_id(tokenizer) -> int:
    """Return the tokenizer's `[MASK]` id, or raise naming the fix when it has none."""
    if tokenizer.mask_token is None:
        raise ValueError(
            f"the tokenizer of {tokenizer.name_or_path!r} has no mask token, so no position can be "
            "masked: load the tokenizer of a masked language model (a BERT's has [MASK])"
        )
    return tokenizer.mask_token_id


def mask_tokens(
    input_ids: torch.Tensor,
    special_tokens_mask: torch.Tensor,
    mask_id: int,
    vocab_size: int,
    mlm_probability: float = 0.15,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (inputs, labels) for BERT's objective; `input_ids` is left unchanged.

    Each position that is not special (`[CLS]`, `[SEP]`, padding) is chosen with probability
    `mlm_probability`. A chosen position becomes `[MASK]` 80% of the time, a random token 10%,
    and stays itself 10%; its label is the original id. Every other label is -100.
    """
    check_mlm_probability(mlm_probability)
    chosen = torch.rand(input_ids.shape, generator=generator) < mlm_probability
    chosen &= ~special_tokens_mask.bool()
    labels = torch.where(chosen, input_ids, IGNORE)
    roll = torch.rand(input_ids.shape, generator=generator)
    random_ids = torch.randint(vocab_size, input_ids.shape, generator=generator)
    inputs = torch.where(chosen & (roll < 0.8), mask_id, input_ids)
    inputs = torch.where(chosen & (roll >= 0.8) & (roll < 0.9), random_ids, inputs)
    return inputs, labels


def check_sentences(sentences: Sequence[str]) -> None:
    """Raise a `ValueError` naming the first empty sentence: it would have nothing to mask."""
    for index, sentence in enumerate(sentences):
        if not isinstance(sentence, str) or not sentence.strip():
            raise ValueError(f"sentence {index} is empty ({sentence!r}): remove it or give it "
                             "text; an empty sentence has no token to mask")


def masked_batches(
    sentences: Sequence[str],
    tokenizer,
    batch_size: int,
    mlm_probability: float = 0.15,
    seed: int = 0,
    max_length: int = 128,
) -> list[dict[str, torch.Tensor]]:
    """Return padded batches of `sentences`, masked with `mask_tokens` from one seeded generator.

    Batches are length-grouped (notebook 03), so little of each is padding.
    """
    from bert_tutorial.batching import length_grouped_batches, pad_batch

    check_mlm_probability(mlm_probability)
    check_sentences(sentences)
    mask_id = mask_token_id(tokenizer)
    encoded = tokenizer(list(sentences), truncation=True, max_length=max_length)["input_ids"]
    generator = torch.Generator().manual_seed(seed)
    batches = []
    for group in length_grouped_batches([len(ids) for ids in encoded], batch_size, seed=seed):
        batch = pad_batch([{"input_ids": encoded[i]} for i in group], tokenizer.pad_token_id)
        special = torch.tensor([
            tokenizer.get_special_tokens_mask(ids, already_has_special_tokens=True)
            for ids in batch["input_ids"].tolist()
        ])
        batch["input_ids"], batch["labels"] = mask_tokens(
            batch["input_ids"], special, mask_id, len(tokenizer), mlm_probability, generator
        )
        batches.append(batch)
    return batches


@torch.inference_mode()
def masked_token_scores(model, batches: Sequence[dict], k: int = 5,
                        only_input_id: int | None = None) -> dict:
    """Return top-1 and top-`k` accuracy and perplexity over the masked positions of `batches`.

    Perplexity is exp of the mean cross-entropy of the masked tokens: the number of equally
    likely words the model is, on average, choosing between. `only_input_id` scores only the
    chosen positions whose input is that token: the tokenizer's mask id leaves out the 10% kept
    (whose answer is in plain sight) and the 10% replaced at random (notebook 08). `top1_hits`
    holds each scored position's top-1 result, in order, for a paired interval between two
    models scored on the same batches (`bert_tutorial.noise.difference`).
    """
    model.eval()
    device = next(model.parameters()).device
    hits, topk, loss_sum = [], 0, 0.0
    with torch.inference_mode():
        for batch in batches:
            batch = {key: value.to(device) for key, value in batch.items()}
            logits = model(input_ids=batch["input_ids"],
                           attention_mask=batch["attention_mask"]).logits
            masked = batch["labels"] != IGNORE
            if only_input_id is not None:
                masked &= batch["input_ids"] == only_input_id
            scores, targets = logits[masked].float(), batch["labels"][masked]
            best = scores.topk(k, dim=-1).indices
            hits += (best[:, 0] == targets).tolist()
            topk += (best == targets[:, None]).any(dim=-1).sum().item()
            loss_sum += torch.nn.functional.cross_entropy(scores, targets, reduction="sum").item()
    if not hits:
        raise ValueError("no position of these batches is masked: nothing to score")
    total = len(hits)
    return {"top1": sum(hits) / total, f"top{k}": topk / total,
            "perplexity": math.exp(loss_sum / total), "masked": total, "top1_hits": hits}


def pretrain(model, sentences: Sequence[str], tokenizer, recipe, device, *,
             train_embeddings: bool = False, progress: bool = True) -> list[float]:
    """Train `model` (a masked LM) on `sentences` with a `recipes.MaskedLMRecipe`; return losses.

    Notebook 08's cells in one call: `freeze_layers` as the recipe says (pretrained word
    embeddings, and with them the tied decoder, stay frozen unless `train_embeddings`, which a
    model trained from random weights needs), AdamW with warmup and linear decay, and per epoch
    freshly masked batches (seeded by the epoch), so every pass masks other positions.
    """
    from bert_tutorial.modeling import freeze_layers
    from bert_tutorial.training import make_optimizer_and_scheduler, train_one_epoch

    freeze_layers(model, recipe.num_frozen_layers, embeddings=not train_embeddings)
    optimizer, scheduler = make_optimizer_and_scheduler(
        model, lr=recipe.lr, num_training_steps=recipe.num_training_steps(len(sentences)),
        warmup_ratio=recipe.warmup_ratio, weight_decay=recipe.weight_decay,
    )
    losses = []
    for epoch in range(recipe.num_epochs):
        batches = masked_batches(sentences, tokenizer, recipe.batch_size, recipe.mlm_probability,
                                 seed=epoch, max_length=recipe.max_length)
        losses += train_one_epoch(model, batches, optimizer, scheduler, device,
                                  recipe.max_grad_norm, progress)
    return losses
