"""The explicit notebook setup: seeding, quiet libraries, device choice, no import side effects."""

import os
import subprocess
import sys
import types
from importlib import metadata

import pytest
import torch

from bert_tutorial import setup


def test_setup_notebook_seeds_reproducibly():
    setup.setup_notebook(seed=3)
    first = torch.rand(3)
    setup.setup_notebook(seed=3)
    assert torch.equal(first, torch.rand(3))


def test_setup_silences_transformers_logging_and_progress_bars():
    import transformers

    setup.setup_notebook()
    assert transformers.utils.logging.get_verbosity() == transformers.utils.logging.ERROR
    assert not transformers.utils.logging.is_progress_bar_enabled()


def test_importing_the_package_changes_nothing():
    code = (
        "import os, transformers, bert_tutorial.setup, bert_tutorial.align, bert_tutorial.data, "
        "bert_tutorial.models, bert_tutorial.assets;"
        "print(transformers.utils.logging.get_verbosity(), 'TOKENIZERS_PARALLELISM' in os.environ)"
    )
    env = {k: v for k, v in os.environ.items() if k != "TOKENIZERS_PARALLELISM"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.split() == [str(30), "False"]  # WARNING level, environment untouched


def test_device_defaults_to_cuda_when_present_else_cpu(monkeypatch):
    monkeypatch.delenv(setup.DEVICE_ENV, raising=False)
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert setup.choose_device().type == expected


def test_choosing_the_gpu_does_not_initialise_cuda(monkeypatch, two_gpus_cuda_forbidden):
    monkeypatch.delenv(setup.DEVICE_ENV, raising=False)
    assert setup.setup_notebook(seed=0).type == "cuda"
    monkeypatch.setenv(setup.DEVICE_ENV, "cuda:1")
    assert setup.choose_device() == torch.device("cuda:1")


@pytest.mark.parametrize("value", ["gpu0", "cuda:0"])
def test_bad_device_setting_is_explained(monkeypatch, value):
    if value.startswith("cuda") and torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    monkeypatch.setenv(setup.DEVICE_ENV, value)
    with pytest.raises(ValueError, match=setup.DEVICE_ENV):
        setup.choose_device()


def test_versions_are_reported(capsys):
    assert set(setup.versions()) == {"python", "torch", "transformers", "tokenizers"}
    setup.show_versions(torch.device("cpu"))
    out = capsys.readouterr().out
    assert "transformers" in out and "device        cpu" in out


def test_showing_a_gpu_does_not_initialise_cuda_in_the_notebook_process(monkeypatch, capsys):
    def initialises_cuda(*args, **kwargs):
        raise AssertionError("CUDA initialised: notebook 06's launchers could not fork")

    monkeypatch.setattr(torch.cuda, "get_device_name", initialises_cuda)
    monkeypatch.setattr(torch.cuda, "get_device_properties", initialises_cuda)
    reply = types.SimpleNamespace(returncode=0, stdout="Tesla T4\n")
    monkeypatch.setattr(setup.subprocess, "run", lambda *args, **kwargs: reply)
    setup.show_versions(torch.device("cuda"))
    assert "device        cuda (Tesla T4)" in capsys.readouterr().out
    monkeypatch.setattr(setup.subprocess, "run", lambda *a, **k: (_ for _ in ()).throw(OSError()))
    assert setup.gpu_name() is None  # no nvidia-smi: the device line falls back to the machine


def test_restart_hint_names_a_library_loaded_at_another_version(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "numpy", types.SimpleNamespace(__version__="0.1.0"))
    assert setup.stale_modules()["numpy"][0] == "0.1.0"
    assert setup.restart_hint() is True
    assert "numpy 0.1.0 -> " in capsys.readouterr().out


def test_restart_hint_checks_every_imported_library(monkeypatch, capsys):
    # Colab's kernel has imported far more than the tutorial's own libraries (tqdm, pandas, ...).
    import tqdm

    monkeypatch.setattr(tqdm, "__version__", "0.0.1")
    assert setup.stale_modules() == {"tqdm": ("0.0.1", metadata.version("tqdm"))}
    assert setup.restart_hint() is True
    assert "tqdm 0.0.1 -> " in capsys.readouterr().out


def test_restart_hint_compares_release_numbers_only(monkeypatch):
    # Colab's torch says "2.11.0+cu128"; certifi's module says "2026.10.19" for .post1.
    release = metadata.version("torch").split("+")[0]
    monkeypatch.setattr(torch, "__version__", release + "+cu128")
    assert "torch" not in setup.stale_modules()
    monkeypatch.setattr(torch, "__version__", release + ".post1")
    assert "torch" not in setup.stale_modules()
    monkeypatch.setattr(torch, "__version__", "1.0.0")
    assert "torch" in setup.stale_modules()


def test_restart_hint_is_quiet_when_nothing_changed(capsys):
    assert setup.stale_modules() == {}
    assert setup.restart_hint() is False
    assert "no restart needed" in capsys.readouterr().out
