"""The conda environment, the lock file and the package metadata describe the same pins."""

import re
from pathlib import Path

import tomllib

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
        match = re.fullmatch(r"\s+- ([A-Za-z0-9_.-]+)=([^=\s]+)(\s+#.*)?", line)
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
    assert "torch" in direct and lock["torch"] == "2.13.0"
    assert lock["transformers"].startswith("5.")
    assert [name for name in direct if name not in lock] == []
    assert [name for name in direct if name not in conda] == []


def test_package_declares_lower_bounds_only():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        assert "==" not in requirement and "<" not in requirement, requirement
