"""`pipeline()` on the tutorial's own model classes, with a clear error for a task that won't fit.

A pipeline takes any model whose output has `logits`; it does not check their shape. Given a
sentence classifier for "token-classification", or a token classifier for
"text-classification", it fails deep inside with an `IndexError`. `task_pipeline` asks the
model once, on one short input, what its logits look like and says what to do instead.
Taught in notebook 05, used in notebook 04.
"""

from __future__ import annotations

import torch

# How many dimensions the logits of each task have: (batch, labels) or (batch, tokens, labels).
LOGITS_DIMS = {"text-classification": 2, "token-classification": 3}


def task_pipeline(task: str, model, tokenizer, **kwargs):
    """Return `transformers.pipeline(task, model=model, tokenizer=tokenizer, **kwargs)`, checked."""
    from transformers import pipeline

    if task in LOGITS_DIMS:
        probe = tokenizer(["probe"], return_tensors="pt").to(model.device)
        with torch.inference_mode():
            dims = model(**probe).logits.ndim
        if dims != LOGITS_DIMS[task]:
            fitting = [name for name, wanted in LOGITS_DIMS.items() if wanted == dims]
            raise ValueError(
                f"{type(model).__name__} gives {dims}-D logits, "
                f"{'one row per token' if dims == 3 else 'one row per text'}, but {task!r} needs "
                f"{LOGITS_DIMS[task]}-D ones; use task={fitting[0]!r} with this model, or a model "
                f"trained for {task!r}"
            )
    return pipeline(task, model=model, tokenizer=tokenizer, **kwargs)
