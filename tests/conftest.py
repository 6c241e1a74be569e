"""Shared fixtures: the packaged tokenizer is loaded once per test session.

The AVX2 pin and offline mode are set by the top-level conftest.py, before torch is imported.
"""

import pytest

from bert_tutorial.models import model_path
from bert_tutorial.setup import silence_libraries


@pytest.fixture(scope="session")
def tokenizer():
    from transformers import BertTokenizer

    silence_libraries()
    return BertTokenizer.from_pretrained(model_path())


@pytest.fixture
def two_gpus_cuda_forbidden(monkeypatch):
    """A runtime with two GPUs (NVML sees them) where initialising CUDA in this process raises.

    Notebook 06's `notebook_launcher` forks one process per GPU, which fails once the notebook's
    own process has initialised CUDA. On a CPU machine this checks that code paths meant for
    that runtime only ask NVML (`torch.cuda.device_count()`), never the CUDA runtime.
    """
    import torch

    def initialises_cuda(*args, **kwargs):
        raise RuntimeError("CUDA initialised in the notebook's process: launchers cannot fork")

    monkeypatch.setattr(torch.cuda, "_is_compiled", lambda: True)
    monkeypatch.setattr(torch.cuda, "_device_count_nvml", lambda: 2)
    monkeypatch.setattr(torch._C, "_cuda_getDeviceCount", initialises_cuda, raising=False)
    monkeypatch.setattr(torch.cuda, "_lazy_init", initialises_cuda)
    monkeypatch.delenv("PYTORCH_NVML_BASED_CUDA_CHECK", raising=False)
