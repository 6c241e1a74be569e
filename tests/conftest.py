"""Shared fixtures: the packaged tokenizer is loaded once per test session.

Tests and notebooks use only the pinned assets, never the Hugging Face Hub: offline mode is set
before any Hugging Face library is imported (it is read at import time), so a test that asks
for an unknown model fails at once instead of waiting for network time-outs. The CPU kernels
are pinned to AVX2 before torch is imported, here and in every notebook kernel nbval starts
(they inherit this environment), as when the stored outputs were made: `bert_tutorial.kernels`.
"""

import os

from bert_tutorial.kernels import pin_kernels

os.environ.setdefault("HF_HUB_OFFLINE", "1")
pin_kernels()

import pytest  # noqa: E402

from bert_tutorial.models import model_path  # noqa: E402
from bert_tutorial.setup import silence_libraries  # noqa: E402


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
