"""Safe loading: weights come from safetensors only; no remote code; no pickle loading."""

import json
from pathlib import Path

import pytest
import torch

from bert_tutorial.models import ModelNotAvailableError, load_tokenizer_and_model, model_path

ROOT = Path(__file__).resolve().parents[1]
PICKLE_SUFFIXES = {".bin", ".pt", ".pth", ".ckpt", ".pkl"}


def project_sources() -> dict[Path, str]:
    """Every Python file and notebook of the project (tests excluded: they quote the patterns)."""
    paths = [*ROOT.glob("bert_tutorial/**/*.py"), *ROOT.glob("bench/*.py"),
             *ROOT.glob("scripts/*.py")]
    paths += ROOT.glob("notebooks/**/*.ipynb")
    return {path: path.read_text(encoding="utf-8") for path in paths}


def test_no_source_trusts_remote_code():
    offenders = [p.name for p, text in project_sources().items() if "trust_remote_code" in text]
    assert offenders == []


def test_the_packaged_model_ships_safetensors_and_no_pickle():
    names = {p.name for p in Path(model_path()).iterdir()}
    assert "model.safetensors" in names
    assert not {n for n in names if Path(n).suffix in PICKLE_SUFFIXES}


def test_a_folder_with_only_pickled_weights_is_refused(tmp_path):
    source = Path(model_path())
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt"):
        (tmp_path / name).write_bytes((source / name).read_bytes())
    config = json.loads((source / "config.json").read_text())
    torch.save({"bert.embeddings.word_embeddings.weight": torch.zeros(config["vocab_size"], 4)},
               tmp_path / "pytorch_model.bin")  # fmt: skip
    with pytest.raises(ModelNotAvailableError, match="lacks model.safetensors.*safetensors only"):
        load_tokenizer_and_model(str(tmp_path))
