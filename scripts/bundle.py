"""An offline classroom bundle: build it where PyPI answers, set up from it where nothing does.

python scripts/bundle.py build --out build/bundle      # `make bundle` (needs .venv and assets)
python scripts/bundle.py install BUNDLE --venv .venv   # `make venv BUNDLE=...`; no network

A bundle is one folder, `bert-tutorial-bundle/`, and a tarball of it:
  wheels/        every distribution in requirements.lock as a wheel (torch as the CPU build),
                 for the platform the bundle was built on (ours: Linux x86_64, CPython 3.11)
  assets/        the verified asset folders, used in place by a virtual environment set up here
  bert-tutorial/ the repository at the bundled commit; `make lab` inside it sets up from the bundle
  bundle.json    what was bundled: Python, platform, the lock's sha256, the commit, wheel hashes

Installing is all or nothing: a bad bundle is refused before anything is installed, and a failed
install removes the virtual environment, so `make` never sees a half-installed one as complete.
Only the standard library (and bert_tutorial.assets, which needs no more) is used here: this
script runs before any virtual environment exists.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # bert_tutorial.assets needs only the standard library too
from bert_tutorial import assets  # noqa: E402
from bert_tutorial.assets import sha256_of  # noqa: E402

NAME = "bert-tutorial-bundle"
MANIFEST = "bundle.json"
REPO = "bert-tutorial"


class BundleError(RuntimeError):
    """A bundle that cannot be built or installed from, with what to do about it."""


def this_python() -> str:
    return f"{sys.implementation.name} {sys.version_info.major}.{sys.version_info.minor}"


def locked(lock: Path) -> dict[str, str]:
    """Return {normalized name: version} of the pins in a requirements.lock."""
    pins = {}
    for line in lock.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[normalize(name)] = version
    return pins


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def wheel_pin(filename: str) -> tuple[str, str]:
    """Return (normalized name, public version) of a wheel file name."""
    name, version = filename.split("-")[:2]
    return normalize(name), version.split("+")[0]


# -- build -------------------------------------------------------------------------------------


def build(out: Path, torch_index: str | None) -> Path:
    """Write out/bert-tutorial-bundle/ and its tarball; return the tarball's path."""
    started = time.monotonic()
    lock = ROOT / "requirements.lock"
    folder = out / NAME
    folder.mkdir(parents=True, exist_ok=True)
    wheels = _wheels(folder, lock, torch_index)
    missing = _copy_assets(folder / "assets")
    commit = _copy_repository(folder / REPO)
    manifest = {
        "python": this_python(),
        "platform": sysconfig.get_platform(),
        "lock_sha256": sha256_of(lock),
        "commit": commit,
        "wheels": wheels,
        "assets_missing": missing,  # the chapters that read these cannot run from this bundle
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
    tarball = out / f"{NAME}.tar"
    partial = tarball.with_suffix(".tar.partial")
    with tarfile.open(partial, "w") as archive:  # wheels are compressed already
        archive.add(folder, arcname=NAME)
    os.replace(partial, tarball)
    size = tarball.stat().st_size / 1e6
    print(f"bundle: {tarball} ({size:.0f} MB, {len(wheels)} wheels, commit {commit[:12]}) "
          f"in {time.monotonic() - started:.0f} s")  # fmt: skip
    return tarball


def _wheels(folder: Path, lock: Path, torch_index: str | None) -> dict[str, str]:
    """Return {wheel: sha256} for the lock, reusing the wheels of a bundle built from it."""
    wheels = folder / "wheels"
    previous = folder / MANIFEST
    if previous.is_file():
        manifest = json.loads(previous.read_text())
        if manifest.get("lock_sha256") == sha256_of(lock) and not _wheel_problems(folder, manifest):
            return manifest["wheels"]
    shutil.rmtree(wheels, ignore_errors=True)
    previous.unlink(missing_ok=True)  # the old manifest no longer describes the folder
    pins = locked(lock)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        others = Path(tmp) / "others.txt"
        others.write_text("".join(f"{n}=={v}\n" for n, v in pins.items() if n != "torch"))
        pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
        index = ["--index-url", torch_index] if torch_index else []
        _run([*pip, "download", "--no-deps", "--only-binary", ":all:", *index,
              f"torch=={pins['torch']}", "--dest", tmp])  # fmt: skip
        # `pip wheel` takes a package's wheel where it has one and builds one from the sdist
        # where it has none (seqeval), so the classroom never needs a compiler or a network.
        _run([*pip, "wheel", "--no-deps", "-r", str(others), "--wheel-dir", tmp])
        found = {wheel_pin(p.name): p for p in Path(tmp).glob("*.whl")}
        missing = sorted(f"{n}=={v}" for n, v in pins.items() if (n, v) not in found)
        if missing:
            raise BundleError(f"pip produced no wheel for {', '.join(missing)}")
        wheels.mkdir()
        for path in found.values():
            os.replace(path, wheels / path.name)
    return {p.name: sha256_of(p) for p in sorted(wheels.glob("*.whl"))}


def _copy_assets(target: Path) -> list[str]:
    """Copy every asset that can be fetched into `target`; return the names of those that cannot."""
    missing = []
    for name in assets.ASSETS:
        try:
            source = assets.fetch(name)
        except assets.AssetError as error:  # it stops the chapters that read it, not the bundle
            print(f"bundle: WITHOUT the {name} asset: {error}")
            missing.append(name)
            continue
        shutil.copytree(source, target / source.name, dirs_exist_ok=True)
    return missing


def _copy_repository(target: Path) -> str:
    """Write the committed tree at HEAD to `target`; return the commit."""
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True)
    if commit.returncode != 0:
        raise BundleError(f"{ROOT} is not a git checkout; build the bundle from a clone")
    if subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True).stdout:
        print("bundle: uncommitted changes are not bundled; the bundle holds HEAD only")
    shutil.rmtree(target, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "repo.tar"
        _run([*git, "archive", "--format=tar", f"--prefix={target.name}/", "-o", str(archive),
              "HEAD"])  # fmt: skip
        with tarfile.open(archive) as tar:
            _extract(tar, target.parent)
    return commit.stdout.strip()


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if "is ignored" not in line]
        raise BundleError(f"{' '.join(command[:6])} ... failed:\n" + "\n".join(lines[-15:]))


def _extract(tar: tarfile.TarFile, target: Path) -> None:
    tar.extractall(target, filter="data")  # no absolute paths, links out or device files


# -- install -----------------------------------------------------------------------------------


def unpack(tarball: Path) -> Path:
    """Extract a bundle tarball next to itself and return the bundle folder."""
    folder = tarball.parent / NAME
    if folder.exists():
        raise BundleError(
            f"{folder} exists already: set up from it (BUNDLE={folder}) or remove it to unpack "
            f"{tarball.name} again."
        )
    with tempfile.TemporaryDirectory(dir=tarball.parent, prefix=".unpack-") as tmp:
        try:
            with tarfile.open(tarball) as tar:
                _extract(tar, Path(tmp))
        except (tarfile.TarError, EOFError, OSError) as error:
            raise BundleError(
                f"{tarball} is damaged or truncated ({error}); copy it again from the "
                f"instructor's machine, or rebuild it there with `make bundle`."
            ) from error
        if not (Path(tmp) / NAME / MANIFEST).is_file():
            raise BundleError(f"{tarball} holds no {NAME}/{MANIFEST}: it is not a bundle")
        os.replace(Path(tmp) / NAME, folder)  # only a complete extraction gets the real name
    return folder


def check(folder: Path, lock: Path) -> dict:
    """Return the bundle's manifest once the bundle is known to fit this machine and lock."""
    path = folder / MANIFEST
    if not path.is_file():
        raise BundleError(f"{folder} holds no {MANIFEST}: it is not a bundle (`make bundle`)")
    manifest = json.loads(path.read_text())
    built_for = f"{manifest['python']} on {manifest['platform']}"
    here = f"{this_python()} on {sysconfig.get_platform()}"
    if built_for != here:
        raise BundleError(
            f"the bundle at {folder} holds wheels for {built_for}, but this Python is {here}. "
            f"Run `make venv BUNDLE=...` with a matching Python (PYTHON=python3.11), or build a "
            f"bundle on a machine like this one with `make bundle`."
        )
    if manifest["lock_sha256"] != sha256_of(lock):
        raise BundleError(
            f"the bundle at {folder} was built for another requirements.lock (commit "
            f"{manifest['commit'][:12]}) than {lock}. Rebuild it from this checkout with "
            f"`make bundle` where PyPI answers, or set up from the bundle's own copy, "
            f"{folder / REPO}."
        )
    problems = _wheel_problems(folder, manifest)
    if problems:
        raise BundleError(
            f"the bundle at {folder} is incomplete: {'; '.join(problems[:3])}. Copy the bundle "
            f"again, or rebuild it with `make bundle`."
        )
    return manifest


def _wheel_problems(folder: Path, manifest: dict) -> list[str]:
    problems = []
    for name, sha256 in manifest["wheels"].items():
        path = folder / "wheels" / name
        if not path.is_file():
            problems.append(f"wheels/{name} is missing")
        elif sha256_of(path) != sha256:
            problems.append(f"wheels/{name} is damaged (sha256 differs)")
    return problems


def install(bundle: Path, target: Path, lock: Path = ROOT / "requirements.lock") -> None:
    """Create the virtual environment `target` from a bundle folder or tarball, offline."""
    started = time.monotonic()
    folder = unpack(bundle) if bundle.is_file() else bundle
    missing = check(folder, lock).get("assets_missing", [])
    # pip reads only the bundle: no index, and no find-links or mirrors from pip's config.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    python = target / "bin" / "python"
    try:
        venv.EnvBuilder(clear=True, with_pip=True).create(target)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--no-compile"]
        _run([*pip, "--find-links", str(folder / "wheels"), "-r", str(lock)], env)
        _run([*pip, "--no-deps", "--no-build-isolation", "-e", str(lock.parent)], env)
        (target / assets.BUNDLE_POINTER).write_text(str((folder / "assets").resolve()) + "\n")
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)  # nothing half-installed is left behind
        raise
    print(f"bundle: {target} set up from {folder} in {time.monotonic() - started:.0f} s")
    if missing:
        print(f"bundle: built WITHOUT the {', '.join(missing)} asset(s): the chapters that read "
              f"them stop with the reason (`python -m bert_tutorial.assets` names it)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("build", help="write the bundle folder and its tarball")
    make.add_argument("--out", type=Path, default=ROOT / "build" / "bundle")
    make.add_argument("--torch-index", help="index for torch's CPU build (PyPI when omitted)")
    setup = commands.add_parser("install", help="create a virtual environment from a bundle")
    setup.add_argument("bundle", type=Path, help="the bundle folder or its tarball")
    setup.add_argument("--venv", type=Path, default=ROOT / ".venv")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            build(args.out, args.torch_index)
        else:
            if not args.bundle.exists():
                raise BundleError(f"{args.bundle} does not exist; pass the bundle's folder or tar")
            install(args.bundle.resolve(), args.venv.resolve())
    except BundleError as error:
        print(f"bundle: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
