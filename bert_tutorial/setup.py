"""Explicit, quiet and reproducible notebook setup: seeds, threads, library noise, device.

Nothing happens on import; every notebook calls `setup_notebook()` in its setup cell.
"""

from __future__ import annotations

import logging
import os
import platform
import random
import subprocess
import sys
import warnings
from importlib import metadata

import numpy as np
import torch
from packaging.version import InvalidVersion, Version

DEVICE_ENV = "BERT_TUTORIAL_DEVICE"
SHOW_WARNINGS_ENV = "BERT_TUTORIAL_SHOW_WARNINGS"

# Warnings that carry no lesson and would otherwise be stored in the notebooks' outputs.
_HARMLESS_WARNINGS = (
    r"IProgress not found",  # tqdm.auto without a running widget front end (headless runs)
    r".*`resume_download` is deprecated",
    r".*TRANSFORMERS_CACHE.*deprecated",
    # Accelerate's CPU processes (notebook 06) start with one thread each, as torchrun's do.
    r"OMP_NUM_THREADS/MKL_NUM_THREADS unset",
)


def setup_notebook(seed: int = 0, threads: int | None = None) -> torch.device:
    """Seed everything, silence library noise, set CPU threads and return the device to use."""
    if threads is not None:
        torch.set_num_threads(threads)
    silence_libraries()
    seed_everything(seed)
    return choose_device()


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and PyTorch (CPU and CUDA) random generators."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device


def silence_libraries() -> None:
    """Turn off transformers' load reports and progress bars and filter known harmless warnings."""
    # Set before transformers spawns tokenizer threads; avoids the fork warning in DataLoaders.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")  # datasets' .map() bars
    if "datasets" in sys.modules:  # imported before this call: the variable came too late
        sys.modules["datasets"].disable_progress_bars()
    import transformers

    transformers.utils.logging.disable_progress_bar()
    if os.environ.get(SHOW_WARNINGS_ENV) == "1":
        return  # `make test-latest` wants to see every deprecation
    transformers.utils.logging.set_verbosity_error()
    for message in _HARMLESS_WARNINGS:
        warnings.filterwarnings("ignore", message=message)
    # torchao's import reports its GPU-only kernels (unloadable on a CPU build) and a torch
    # deprecation inside torchao; neither is the learner's to act on (notebook 07).
    for name in ("torchao", "torch.utils._pytree"):
        logging.getLogger(name).setLevel(logging.ERROR)
    pipelines_log = logging.getLogger("transformers.pipelines.base")
    if _known_classes_only not in pipelines_log.filters:
        pipelines_log.addFilter(_known_classes_only)


def _known_classes_only(record: logging.LogRecord) -> bool:
    """Drop pipeline()'s error for a model class it has no list entry for (notebook 05).

    A pipeline checks the model's class name against the library's own classes and logs a long
    error for ours (BertSentenceClassifier, BertTokenClassifier), then works: it only needs
    `logits`. `bert_tutorial.pipelines.task_pipeline` checks what matters, the logits' shape.
    """
    return "is not supported for" not in record.getMessage()


def choose_device() -> torch.device:
    """Return $BERT_TUTORIAL_DEVICE if set, else CUDA when present, else the CPU."""
    # device_count() asks NVML, not the CUDA runtime: `torch.cuda.is_available()` initialises
    # CUDA in this process, and a notebook process that has done so can no longer fork the
    # processes of `notebook_launcher` (notebook 06, section 5).
    gpus = torch.cuda.device_count()
    wanted = os.environ.get(DEVICE_ENV, "").strip()
    if wanted:
        try:
            device = torch.device(wanted)
        except RuntimeError as error:
            raise ValueError(f"{DEVICE_ENV}={wanted!r} is not a torch device ({error})") from error
        if device.type == "cuda" and gpus == 0:
            raise ValueError(f"{DEVICE_ENV}={wanted!r} but CUDA is not available; unset it")
        return device
    return torch.device("cuda" if gpus > 0 else "cpu")


def versions() -> dict[str, str]:
    """Return the versions of Python and the main libraries."""
    import tokenizers
    import transformers

    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "tokenizers": tokenizers.__version__,
    }


def gpu_name() -> str | None:
    """Return the first GPU's name from nvidia-smi, or None.

    Not `torch.cuda.get_device_name`: that initialises CUDA in this process, and a notebook whose
    process has initialised CUDA can no longer fork launcher processes (notebook 06).
    """
    try:
        result = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
                                capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0 or not result.stdout.strip():
        return None
    return result.stdout.splitlines()[0].strip()


def show_versions(device: torch.device) -> None:
    """Print library versions, the device and the CPU thread count (output not compared)."""
    for name, version in versions().items():
        print(f"{name:<13} {version}")
    name = gpu_name() if device.type == "cuda" else platform.processor()
    print(f"{'device':<13} {device} ({name or platform.machine()})")
    print(f"{'cpu threads':<13} {torch.get_num_threads()}")


def stale_modules() -> dict[str, tuple[str, str]]:
    """Return {module: (loaded version, installed version)} for imported libraries changed on disk.

    Every top-level module this process has imported is checked, not a fixed list: Colab's kernel
    has imported dozens of libraries before the install cell runs, and any of them may be upgraded.
    """
    owners = metadata.packages_distributions()
    stale = {}
    for module in sorted({name.partition(".")[0] for name in list(sys.modules)}):
        with warnings.catch_warnings():  # some libraries deprecate their __version__ (MarkupSafe)
            warnings.simplefilter("ignore", DeprecationWarning)
            loaded = getattr(sys.modules.get(module), "__version__", None)
        if not isinstance(loaded, str):
            continue  # a module without a version string cannot be compared
        for distribution in owners.get(module, []):
            try:
                installed = metadata.version(distribution)
            except metadata.PackageNotFoundError:
                continue
            if _release(loaded) != _release(installed):
                stale[module] = (loaded, installed)
    return stale


def _release(version: str) -> tuple[int, ...] | None:
    """Return the release numbers of `version`: "2.11.0+cu128" and "2.11.0" give (2, 11, 0).

    Only these are compared: a module's own `__version__` often leaves out the distribution's
    post-release or local label (certifi's "2026.10.19" is distribution 2026.10.19.post1).
    """
    try:
        return Version(version).release
    except InvalidVersion:
        return None


def restart_hint() -> bool:
    """Print whether the runtime must restart after an install; return True when it must."""
    stale = stale_modules()
    if not stale:
        print("bert_tutorial is installed; no restart needed.")
        return False
    changed = ", ".join(f"{m} {old} -> {new}" for m, (old, new) in stale.items())
    print(
        f"Restart needed: the install changed libraries this runtime has already loaded "
        f"({changed}). Use Runtime > Restart session, then run the notebook from the top; "
        f"the install is kept."
    )
    return True
