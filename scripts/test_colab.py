"""Run the tutorial the way Colab does: its Python and library versions, the install cell's package.

1. A virtual environment on the Python that colab-runtime.txt names, with the versions it pins.
2. The package installed as a notebook's install cell installs it: from a git URL at the release
   tag, here of a local clone of this commit tagged as the release (timed, sizes measured), first
   as chapters 01-06 ask for it, then with the `fast` extra, as chapter 07 does.
3. A check that the install left every Colab pin as it was (else a learner must restart).
4. The unit tests and nbval over the chosen notebooks, in that environment; it prints how many
   compared cells match the stored outputs.

python scripts/test_colab.py                          # `make test-colab`: every notebook
python scripts/test_colab.py --notebooks notebooks/01_tokenizer.ipynb   # a part (.ci/run)
python scripts/test_colab.py --prepare                # step 1 only (.ci/run, beside make test)
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from colab_cells import notebook_paths, project, requirement  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PINS = ROOT / "colab-runtime.txt"
BUILD = ROOT / "build" / "colab"
# The test tools, constrained by the pins so that they cannot move a Colab library.
TOOLS = ["pytest", "nbval", "hypothesis", "nbconvert"]
# Tests of this project's own set-up (classroom bundles from requirements.lock, JupyterLab in
# Chromium), not of the package a Colab learner installs.
NOT_COLAB = ["tests/test_bundle.py", "tests/test_browser.py"]
NOT_COMPARED = {"nbval-ignore-output", "nbval-skip"}


def pinned() -> dict[str, str]:
    """Return {distribution: version} from colab-runtime.txt."""
    pins = {}
    for line in PINS.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[name.lower().replace("_", "-")] = version
    return pins


def colab_python_version() -> str:
    """Return the Python version colab-runtime.txt names in its header, e.g. "3.13"."""
    found = re.search(r"\(Python (\d+\.\d+)\)", PINS.read_text())
    if not found:
        raise SystemExit(f"{PINS.name}: its header must name Colab's Python, as '(Python 3.13)'")
    return found.group(1)


def find_python(version: str, given: str | None) -> str:
    """Return a Python `version` interpreter: `given`, python<version> on PATH, or pyenv's."""
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates = (
        [given]
        if given
        else [
            shutil.which(f"python{version}"),
            *sorted(
                glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python{version}"), reverse=True
            ),
        ]
    )
    for candidate in filter(None, candidates):
        ask = [candidate, "-c", "import sys; print(*sys.version_info[:2], sep='.')"]
        try:
            reported = subprocess.run(ask, capture_output=True, text=True)
        except OSError:
            continue  # not there, or not a program
        if reported.returncode == 0 and reported.stdout.strip() == version:
            return candidate
    where = f"at {given}" if given else f"(python{version} on PATH, or pyenv's)"
    raise SystemExit(
        f"No Python {version} found {where}; Colab runs {version}. Get one with "
        f"`pyenv install {version}`, `uv python install {version}` (then pass "
        f'COLAB_PYTHON="$(uv python find {version})"), or on Ubuntu the deadsnakes PPA '
        f"(`apt install python{version} python{version}-venv`); then run `make test-colab` again."
    )


def run(*command: str | Path, cwd: Path = ROOT, **kwargs) -> subprocess.CompletedProcess:
    """Run `command`, echoing it; fail loudly on a non-zero exit."""
    print("+", " ".join(str(c) for c in command), flush=True)
    return subprocess.run([str(c) for c in command], cwd=cwd, check=True, **kwargs)


def folder_mb(path: Path) -> float:
    """Return the size of the files under `path`, in MB."""
    return (
        sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6
    )


def installed_versions(python: Path, names: list[str]) -> dict[str, str | None]:
    """Return {distribution: installed version or None} in the environment of `python`."""
    code = (
        "import sys\nfrom importlib import metadata\n"
        "for name in sys.argv[1:]:\n"
        "    try: print(name, metadata.version(name))\n"
        "    except metadata.PackageNotFoundError: print(name, None)\n"
    )
    out = subprocess.run([python, "-c", code, *names], capture_output=True, text=True, check=True)
    found = dict(line.split(" ", 1) for line in out.stdout.splitlines())
    return {name: None if found[name] == "None" else found[name] for name in names}


def make_environment(python: str, venv: Path) -> Path:
    """Create (or reuse, if made from the same pins) the environment; return its python."""
    stamp = venv / ".colab-runtime.sha256"
    digest = hashlib.sha256(PINS.read_bytes() + " ".join(TOOLS).encode()).hexdigest()
    fresh = not (stamp.exists() and stamp.read_text() == digest)
    if fresh:
        shutil.rmtree(venv, ignore_errors=True)
        run(python, "-m", "venv", venv)
        pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet"]
        start = time.perf_counter()
        run(*pip, "-r", PINS)
        print(f"Colab's libraries installed in {time.perf_counter() - start:.0f} s")
        run(*pip, "-c", PINS, *TOOLS)
        stamp.write_text(digest)
    return venv / "bin" / "python"


def tagged_clone(dest: Path) -> str:
    """Clone this repository's HEAD into `dest`, tag it as the release; return the git URL."""
    shutil.rmtree(dest, ignore_errors=True)
    run("git", "clone", "--quiet", "--no-local", ROOT, dest)
    run("git", "tag", "--force", f"v{project()['version']}", cwd=dest, capture_output=True)
    return f"file://{dest}"


def install_like_the_cells(python: Path, url: str) -> dict[str, tuple[float, float]]:
    """Install the package as chapter 01's cell, then chapter 07's; return {label: (s, MB)}.

    Chapter 07's numbers are what its cell adds on top of chapter 01's (the `fast` extra).
    """
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    chapters = {
        "chapter 01": "notebooks/01_tokenizer.ipynb",
        "chapter 07 (after 01)": "notebooks/07_fast_inference.ipynb",
    }
    measured = {}
    for label, notebook in chapters.items():
        before = folder_mb(site)
        start = time.perf_counter()
        # As the cell does: a plain `pip install` of the requirement, no constraints.
        run(python, "-m", "pip", "install", "--quiet", requirement(ROOT / notebook, url=url))
        measured[label] = (time.perf_counter() - start, folder_mb(site) - before)
    return measured


def check_pins_kept(python: Path) -> None:
    """Fail if installing the package moved any library Colab pins."""
    pins = pinned()
    now = installed_versions(python, list(pins))
    moved = {n: (v, now[n]) for n, v in pins.items() if (now[n] or "").split("+")[0] != v}
    if moved:
        changes = ", ".join(f"{n} {old} -> {new}" for n, (old, new) in moved.items())
        raise SystemExit(
            f"The install cell changed Colab's own libraries ({changes}): learners would "
            "have to restart; loosen the package's requirements in pyproject.toml."
        )
    print(f"The install kept all {len(pins)} of Colab's pinned libraries.")


def compared_cells(path: Path) -> set[str]:
    """Return the nbval names ("Cell 3") of `path`'s code cells whose outputs nbval compares."""
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    return {
        f"Cell {i}"
        for i, c in enumerate(code)
        if not NOT_COMPARED & set(c.metadata.get("tags", []))
    }


def count_matches(report: Path, notebooks: list[Path]) -> tuple[int, int, list[str]]:
    """Return (matching, compared, failed names) from nbval's junit report."""
    outcome = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        # A skipped cell (xfail after a time-out, too) was not compared: it does not match.
        passed = all(case.find(tag) is None for tag in ("failure", "error", "skipped"))
        outcome[(case.get("classname"), case.get("name"))] = passed
    matching, compared, failed = 0, 0, []
    for path in notebooks:
        classname = path.relative_to(ROOT).as_posix().replace("/", ".")  # as junit names it
        for name in sorted(compared_cells(path), key=lambda n: int(n.split()[1])):
            compared += 1
            if outcome.get((classname, name)):
                matching += 1
            else:
                failed.append(f"{path.name}::{name}")
    return matching, compared, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", help="the Python to use (default: the version the pins name)")
    parser.add_argument("--notebooks", nargs="*", type=Path, help="default: every notebook")
    parser.add_argument("--no-unit", action="store_true", help="skip the unit tests")
    parser.add_argument("--unit-filter", help="run only the unit tests pytest -k selects")
    parser.add_argument(
        "--prepare", action="store_true", help="only create Colab's environment, then stop"
    )
    args = parser.parse_args()
    version = colab_python_version()
    python = make_environment(find_python(version, args.python), BUILD / "venv")
    if args.prepare:
        print(f"Colab's environment is ready: {python}")
        return 0
    # Install times count only where the package is not installed yet, as on a fresh runtime.
    fresh = installed_versions(python, ["bert-tutorial"])["bert-tutorial"] is None
    repo = BUILD / "repo"
    installs = install_like_the_cells(python, tagged_clone(repo))
    check_pins_kept(python)
    fetched = subprocess.run([str(python), "-m", "bert_tutorial.assets"], cwd=ROOT,
                             capture_output=True, text=True)
    print(fetched.stderr, end="")  # an asset it could not fetch: the tests that need it skip
    versions = installed_versions(python, ["torch", "transformers", "accelerate", "datasets"])
    pytest = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    unit = None
    if not args.no_unit:
        ignore = [f"--ignore={path}" for path in NOT_COLAB]
        select = ["-k", args.unit_filter] if args.unit_filter else []
        unit = subprocess.run([*pytest, *ignore, *select, "tests"], cwd=repo).returncode
    notebooks = [p.resolve() for p in args.notebooks] if args.notebooks else notebook_paths()
    report = BUILD / "nbval.xml"
    names = [str(p.relative_to(ROOT)) for p in notebooks]
    nbval = subprocess.run([*pytest, f"--junitxml={report}", *names], cwd=repo).returncode
    matching, compared, failed = count_matches(report, notebooks)

    libraries = ", ".join(f"{name} {v}" for name, v in versions.items())
    print(f"\nColab runtime: Python {version}, {libraries}")
    reused = "" if fresh else " (environment reused: not a fresh runtime's times)"
    for label, (seconds, mb) in installs.items():
        print(f"install cell of {label}: {seconds:.0f} s, {mb:.1f} MB added{reused}")
    if unit is not None:
        print(f"unit tests: {'passed' if unit == 0 else 'FAILED'}")
    differ = f"; differ: {', '.join(failed)}" if failed else ""
    print(f"{matching} of {compared} compared cells match the stored outputs "
          f"({len(notebooks)} notebooks){differ}")
    return 1 if unit or nbval or failed else 0


if __name__ == "__main__":
    sys.exit(main())
