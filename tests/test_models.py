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


def test_environment_variable_and_local_folders(monkeypatch, tmp_path):
    monkeypatch.setenv(models.MODEL_ENV, str(tmp_path))
    assert models.model_path() == str(tmp_path)
    assert models.model_path("bert-base-uncased") == "bert-base-uncased"


@pytest.mark.parametrize("name", ["./no-such-folder", "/no/such/folder", "a/b/c"])
def test_missing_folders_are_explained(name):
    with pytest.raises(models.ModelNotAvailableError, match="does not exist"):
        models.model_path(name)


@pytest.mark.parametrize("name", ["", "  ", 3])
def test_bad_names_are_refused(name):
    with pytest.raises(ValueError, match="non-empty string"):
        models.model_name(name)


def test_unreachable_hub_model_gives_a_clear_error(monkeypatch, tmp_path):
    import huggingface_hub.constants

    # The hub reads HF_HUB_OFFLINE at import time, so set the constant it derived as well.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setenv("HF_HOME", str(tmp_path))  # an empty hub cache
    with pytest.raises(models.ModelNotAvailableError, match="name=None"):
        models.load_tokenizer_and_model("bert-tutorial-no-such/model-xyz")
