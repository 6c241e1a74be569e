"""Shared fixtures: the packaged tokenizer is loaded once per test session."""

import pytest

from bert_tutorial.models import model_path
from bert_tutorial.setup import silence_libraries


@pytest.fixture(scope="session")
def tokenizer():
    from transformers import BertTokenizer

    silence_libraries()
    return BertTokenizer.from_pretrained(model_path())
