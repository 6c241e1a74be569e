"""The conda environment, the lock file and the package metadata describe the same pins."""

import os
import platform
import re
import subprocess
from pathlib import Path

import tomllib
from notebook_cells import cell_source

ROOT = Path(__file__).resolve().parents[1]
CONDA_TO_PYPI = {"pytorch": "torch"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[_normalise(name)] = version
    return pins


def read_conda_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        match = re.fullmatch(r"\s+- ([A-Za-z0-9_.-]+)=([^=\s]+)(=\S+)?(\s+#.*)?", line)
        if match and match.group(1) != "python":
            name = CONDA_TO_PYPI.get(match.group(1), match.group(1))
            pins[_normalise(name)] = match.group(2)
    return pins


def test_every_conda_pin_matches_the_lock_file():
    lock, conda = read_lock(), read_conda_pins()
    assert len(conda) >= 10
    mismatched = {name: (v, lock.get(name)) for name, v in conda.items() if lock.get(name) != v}
    assert not mismatched, f"environment.yml vs requirements.lock: {mismatched}"


def test_every_direct_requirement_is_in_conda_and_pinned_in_the_lock():
    lock, conda = read_lock(), read_conda_pins()
    direct = [
        _normalise(re.split(r"[=<>]", line)[0])
        for line in (ROOT / "requirements.in").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert "torch" in direct
    assert lock["transformers"].startswith("5.")
    assert [name for name in direct if name not in lock] == []
    assert [name for name in direct if name not in conda] == []


def test_package_declares_lower_bounds_only():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        assert "==" not in requirement and "<" not in requirement, requirement


def test_torch_is_pinned_once_and_the_makefile_reads_the_pin():
    requirements = (ROOT / "requirements.in").read_text()
    pins = re.findall(r"^torch==(\S+)$", requirements, flags=re.MULTILINE)
    assert len(pins) == 1 and read_lock()["torch"] == pins[0]
    makefile = (ROOT / "Makefile").read_text()
    assert pins[0] not in makefile and "grep '^torch==' requirements.lock" in makefile


def set_up_commands(*overrides: str) -> str:
    """The commands `make venv` would run from scratch (a dry run: nothing is installed)."""
    command = ["make", "-n", "-B", "venv", *overrides]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_set_up_takes_torch_from_the_cpu_index_on_linux():
    lines = [line for line in set_up_commands("TORCH_INDEX=https://download.pytorch.org/whl/cpu")
             .splitlines() if "pip install" in line]  # fmt: skip
    torch_line = next(line for line in lines if "torch==" in line)
    assert "--index-url https://download.pytorch.org/whl/cpu" in torch_line
    assert "--no-deps" in torch_line  # only torch's page is asked for at that index
    lock_line = next(line for line in lines if "-r requirements.lock" in line)
    assert lines.index(torch_line) < lines.index(lock_line)
    if platform.system() == "Linux":  # the default on Linux
        assert set_up_commands() == set_up_commands(
            "TORCH_INDEX=https://download.pytorch.org/whl/cpu"
        )


def test_the_cuda_switch_leaves_torch_to_pypi():
    assert "download.pytorch.org" not in set_up_commands("TORCH_INDEX=")


def test_conda_takes_the_cpu_build_of_pytorch():
    assert re.search(r"^\s+- pytorch=[^=\s]+=cpu_\*", (ROOT / "environment.yml").read_text(), re.M)


def test_the_colab_canary_takes_the_newest_torch_and_transformers():
    command = ["make", "-n", "test-latest"]
    dry_run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    lines = dry_run.replace("\\\n", " ").splitlines()  # join continued lines
    install = next(line for line in lines if "latest-venv/bin/pip install" in line)
    assert "--upgrade" in install and " torch " in install and "torch==" not in install
    pinned = subprocess.run([*command, "LATEST_TORCH=torch==2.0"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout  # fmt: skip
    assert "torch==2.0" in pinned


def test_jupyterlab_is_allowed_to_start_as_root_and_only_then():
    dry_run = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout  # fmt: skip
    lab = next(line for line in dry_run.splitlines() if "jupyter lab" in line)
    assert ("--allow-root" in lab) == (os.geteuid() == 0)


def test_notebook_03_saves_into_an_ignored_folder_that_make_clean_removes():
    source = cell_source("03_finetuning_bert.ipynb", "save_dir = ")
    folder = "notebooks/" + re.search(r'save_dir = Path\("(\w+)"\)', source).group(1)
    ignored = subprocess.run(["git", "check-ignore", "-q", f"{folder}/model.safetensors"], cwd=ROOT)
    assert ignored.returncode == 0, f"{folder} is not git-ignored"
    clean = subprocess.run(["make", "-n", "clean"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout  # fmt: skip
    assert folder in clean.split()
