"""Choosing the pretrained BERT: the packaged MiniLM by default, a hub name or a local folder.

The stored notebook outputs come from the packaged default, so they match for everyone.
Online learners can pick another checkpoint, e.g. `bert-base-uncased`, by argument or by
setting `BERT_TUTORIAL_MODEL`.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from urllib.parse import urlparse

from bert_tutorial.assets import fetch

MODEL_ENV = "BERT_TUTORIAL_MODEL"
DEFAULT_MODEL = "packaged-minilm"
# What every model folder needs: a config, the tokenizer's vocabulary, the weights.
MODEL_FILES = (("config.json",), ("tokenizer.json", "vocab.txt"), ("model.safetensors",))
HUB_TIMEOUT = 3  # seconds to wait for the hub before calling the machine offline


class ModelNotAvailableError(RuntimeError):
    """The chosen model is neither the packaged default, a local folder, nor reachable online."""


def model_name(name: str | None = None) -> str:
    """Return the model's display name: `name`, else $BERT_TUTORIAL_MODEL, else the default."""
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ValueError(f"model name must be a non-empty string or None, got {name!r}")
    return name or os.environ.get(MODEL_ENV, "").strip() or DEFAULT_MODEL


def model_path(name: str | None = None) -> str:
    """Return a local folder to pass to `from_pretrained`: packaged, local, or a downloaded hub id.

    A hub id is resolved here, from the local hub cache or by one download, so every
    `from_pretrained` in the notebooks gets real files; without a network and without a cached
    copy it fails within seconds with a `ModelNotAvailableError` that says what to do.
    """
    chosen = model_name(name)
    if chosen == DEFAULT_MODEL:
        return str(fetch("minilm"))
    folder = Path(chosen).expanduser()
    if not folder.is_dir():
        # Hub ids look like "name" or "org/name"; anything else is meant as a local folder.
        if chosen.startswith((".", "/", "~")) or chosen.count("/") > 1:
            raise ModelNotAvailableError(
                f"model folder {chosen!r} does not exist; give an existing folder with "
                f"config.json and model.safetensors, a hub name such as 'bert-base-uncased', "
                f"or None for the packaged default"
            )
        folder = Path(_from_hub(chosen))
    missing = [group for group in MODEL_FILES if not any((folder / f).is_file() for f in group)]
    if missing:
        raise ModelNotAvailableError(
            f"model folder {str(folder)!r} lacks {' and '.join(' or '.join(g) for g in missing)}; "
            f"save the model and its tokenizer there with save_pretrained(folder). Weights load "
            f"from safetensors only, never from pickled .bin files: save_pretrained writes them"
        )
    return str(folder)


def _from_hub(repo_id: str) -> str:
    """Return the local snapshot of a hub model (config, tokenizer, safetensors weights only)."""
    from huggingface_hub import constants, snapshot_download

    patterns = ["*.json", "*.txt", "*.safetensors"]  # not the TF, Flax or pickled weights
    try:
        return snapshot_download(repo_id, allow_patterns=patterns, local_files_only=True)
    except Exception:  # not cached: download it if the hub can be reached at all
        pass
    host = urlparse(constants.ENDPOINT).hostname
    try:
        if constants.HF_HUB_OFFLINE:
            raise OSError("HF_HUB_OFFLINE is set")
        socket.create_connection((host, 443), timeout=HUB_TIMEOUT).close()
        return snapshot_download(repo_id, allow_patterns=patterns)
    except Exception as error:  # offline, unknown repository, gated model, ...
        raise ModelNotAvailableError(
            f"could not get model {repo_id!r} from the Hugging Face Hub ({error}). It is not the "
            f"packaged default, not a local folder, and not in the local hub cache. Use name=None "
            f"(or unset {MODEL_ENV}) for the packaged MiniLM, or download the model once while "
            f"online."
        ) from error


def load_tokenizer_and_model(name: str | None = None, model_class=None, **kwargs):
    """Return `(tokenizer, model)` for `name` (see `model_name`), loaded from safetensors only."""
    from transformers import AutoModel, AutoTokenizer

    path = model_path(name)
    model = (model_class or AutoModel).from_pretrained(path, use_safetensors=True, **kwargs)
    return AutoTokenizer.from_pretrained(path), model
