"""Choosing the pretrained BERT: the packaged MiniLM by default, a hub name or a local folder.

The stored notebook outputs come from the packaged default, so they match for everyone.
Online learners can pick another checkpoint, e.g. `bert-base-uncased`, by argument or by
setting `BERT_TUTORIAL_MODEL`.
"""

from __future__ import annotations

import os
from pathlib import Path

from bert_tutorial.assets import fetch

MODEL_ENV = "BERT_TUTORIAL_MODEL"
DEFAULT_MODEL = "packaged-minilm"


class ModelNotAvailableError(RuntimeError):
    """The chosen model is neither the packaged default, a local folder, nor reachable online."""


def model_name(name: str | None = None) -> str:
    """Return the model's display name: `name`, else $BERT_TUTORIAL_MODEL, else the default."""
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ValueError(f"model name must be a non-empty string or None, got {name!r}")
    return name or os.environ.get(MODEL_ENV, "").strip() or DEFAULT_MODEL


def model_path(name: str | None = None) -> str:
    """Return what to pass to `from_pretrained`: the packaged folder, a local folder or a hub id."""
    chosen = model_name(name)
    if chosen == DEFAULT_MODEL:
        return str(fetch("minilm"))
    if Path(chosen).expanduser().is_dir():
        return str(Path(chosen).expanduser())
    # Hub ids look like "name" or "org/name"; anything else is meant as a local folder.
    if chosen.startswith((".", "/", "~")) or chosen.count("/") > 1:
        raise ModelNotAvailableError(
            f"model folder {chosen!r} does not exist; give an existing folder with config.json "
            f"and model.safetensors, a hub name such as 'bert-base-uncased', or None for the "
            f"packaged default"
        )
    return chosen


def load_tokenizer_and_model(name: str | None = None, model_class=None, **kwargs):
    """Return `(tokenizer, model)` for `name` (see `model_name`), loaded from safetensors only."""
    from transformers import AutoModel, AutoTokenizer

    model_class = model_class or AutoModel
    path = model_path(name)
    try:
        tokenizer = AutoTokenizer.from_pretrained(path)
        model = model_class.from_pretrained(path, use_safetensors=True, **kwargs)
    except OSError as error:
        if Path(path).is_dir():
            raise ModelNotAvailableError(
                f"could not load model from folder {path!r}: {error}\nThe folder needs "
                f"config.json, the tokenizer files and model.safetensors: weights load from "
                f"safetensors only, never from pickled .bin files. Re-save such a checkpoint once "
                f"with model.save_pretrained(folder), which writes safetensors."
            ) from error
        raise ModelNotAvailableError(
            f"could not load model {model_name(name)!r}: {error}\nIt is not the packaged default "
            f"and not a local folder, and the Hugging Face Hub did not provide it (offline?). "
            f"Use name=None (or unset {MODEL_ENV}) for the packaged MiniLM, or download the "
            f"model once while online."
        ) from error
    return tokenizer, model
