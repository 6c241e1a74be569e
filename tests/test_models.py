"""Choosing the pretrained model: packaged default, environment variable, folders, hub errors."""

import pytest
from transformers import BertModel

from bert_tutorial import models
from bert_tutorial.assets import fetch


def test_default_is_the_packaged_minilm(monkeypatch):
    monkeypatch.delenv(models.MODEL_ENV, raising=False)
    assert models.model_name() == models.DEFAULT_MODEL
    assert models.model_path() == str(fetch("minilm"))


def test_packaged_model_has_the_documented_shape(monkeypatch):
    monkeypatch.delenv(models.MODEL_ENV, raising=False)
    tokenizer, model = models.load_tokenizer_and_model(model_class=BertModel)
    assert isinstance(model, BertModel) and tokenizer.is_fast
    config = model.config
    assert (config.num_hidden_layers, config.hidden_size, config.num_attention_heads) == (
        6,
        384,
        12,
    )
    assert sum(p.numel() for p in model.parameters()) == 22_713_216
    assert len(tokenizer) == 30_522


def test_environment_variable_chooses_a_local_folder(monkeypatch, tmp_path):
    for name in ("config.json", "vocab.txt", "model.safetensors"):
        (tmp_path / name).symlink_to(fetch("minilm") / name)
    monkeypatch.setenv(models.MODEL_ENV, str(tmp_path))
    assert models.model_path() == str(tmp_path)


def test_a_folder_without_tokenizer_files_is_refused(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "model.safetensors").write_bytes(b"")
    with pytest.raises(models.ModelNotAvailableError, match="lacks tokenizer.json or vocab.txt"):
        models.model_path(str(tmp_path))


def test_a_cached_hub_model_resolves_to_its_local_snapshot(monkeypatch, tmp_path):
    from huggingface_hub import constants

    snapshot = tmp_path / "models--org--tiny-bert" / "snapshots" / ("0" * 40)
    snapshot.mkdir(parents=True)
    for name in ("config.json", "vocab.txt", "model.safetensors"):
        (snapshot / name).symlink_to(fetch("minilm") / name)
    refs = tmp_path / "models--org--tiny-bert" / "refs"
    refs.mkdir()
    (refs / "main").write_text("0" * 40)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path))
    assert models.model_path("org/tiny-bert") == str(snapshot)


def test_an_uncached_hub_model_offline_names_the_fix(monkeypatch, tmp_path):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path))  # an empty hub cache
    with pytest.raises(models.ModelNotAvailableError, match="download the model once while online"):
        models.model_path("bert-base-uncased")
