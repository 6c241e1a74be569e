"""Shared fixtures: the packaged tokenizer is loaded once per test session.

Tests and notebooks use only the pinned assets, never the Hugging Face Hub: offline mode is set
before any Hugging Face library is imported (it is read at import time), so a test that asks
for an unknown model fails at once instead of waiting for network time-outs.
"""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import pytest  # noqa: E402

from bert_tutorial.models import model_path  # noqa: E402
from bert_tutorial.setup import silence_libraries  # noqa: E402


@pytest.fixture(scope="session")
def tokenizer():
    from transformers import BertTokenizer

    silence_libraries()
    return BertTokenizer.from_pretrained(model_path())
