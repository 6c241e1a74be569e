"""The offline classroom bundle: refusals of bad bundles, and a real set-up with no network."""

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import time
from pathlib import Path

import pytest

from bert_tutorial import assets

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("bundle", ROOT / "scripts" / "bundle.py")
bundle = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bundle)
BUILT = ROOT / "build" / "bundle" / f"{bundle.NAME}.tar"


@pytest.fixture
def tiny(tmp_path):
    """A bundle for this machine with one (fake) wheel, and the lock it was built for."""
    lock = tmp_path / "requirements.lock"
    lock.write_text("# a lock\nexample-package==1.0\n")
    folder = tmp_path / bundle.NAME
    (folder / "wheels").mkdir(parents=True)
    wheel = folder / "wheels" / "example_package-1.0-py3-none-any.whl"
    wheel.write_bytes(b"not really a wheel")
    manifest = {
        "python": bundle.this_python(),
        "platform": sysconfig.get_platform(),
        "lock_sha256": bundle.sha256_of(lock),
        "commit": "0123456789abcdef",
        "wheels": {wheel.name: bundle.sha256_of(wheel)},
    }
    (folder / bundle.MANIFEST).write_text(json.dumps(manifest))
    return folder, lock


def rewrite_manifest(folder, **changes):
    path = folder / bundle.MANIFEST
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))


def test_a_fitting_bundle_passes_its_checks(tiny):
    folder, lock = tiny
    assert bundle.check(folder, lock)["commit"] == "0123456789abcdef"


def test_a_bundle_copies_the_assets_it_can_fetch_and_names_the_rest(tmp_path, monkeypatch,
                                                                     capsys):
    folders = {name: tmp_path / "cache" / name for name in assets.ASSETS}

    def fetch(name):
        if name == "bigbench":
            raise assets.AssetError("PyPI no longer serves bigbench==1.0.0")
        folders[name].mkdir(parents=True)
        (folders[name] / "file.txt").write_text(name)
        return folders[name]

    monkeypatch.setattr(bundle.assets, "fetch", fetch)
    assert bundle._copy_assets(tmp_path / "assets") == ["bigbench"]
    assert sorted(p.name for p in (tmp_path / "assets").iterdir()) == sorted(
        name for name in assets.ASSETS if name != "bigbench")
    assert "WITHOUT the bigbench asset: PyPI no longer serves" in capsys.readouterr().out


def test_a_bundle_for_another_python_is_refused_with_the_fix(tiny):
    folder, lock = tiny
    rewrite_manifest(folder, python="cpython 3.12")
    with pytest.raises(bundle.BundleError, match=r"wheels for cpython 3\.12 .*matching Python"):
        bundle.check(folder, lock)


def test_a_bundle_for_another_platform_is_refused(tiny):
    folder, lock = tiny
    rewrite_manifest(folder, platform="macosx-14.0-arm64")
    with pytest.raises(bundle.BundleError, match="macosx-14.0-arm64.*make bundle"):
        bundle.check(folder, lock)


def test_a_bundle_built_for_another_lock_says_how_to_rebuild(tiny):
    folder, lock = tiny
    lock.write_text(lock.read_text() + "another==2.0\n")
    with pytest.raises(bundle.BundleError, match=r"another requirements\.lock.*`make bundle`"):
        bundle.check(folder, lock)


@pytest.mark.parametrize("damage", ["missing", "damaged"])
def test_a_missing_or_damaged_wheel_is_named_and_nothing_is_installed(tiny, tmp_path, damage):
    folder, lock = tiny
    wheel = next((folder / "wheels").iterdir())
    wheel.unlink() if damage == "missing" else wheel.write_bytes(b"changed")
    target = tmp_path / "venv"
    with pytest.raises(bundle.BundleError, match=f"wheels/{wheel.name} is {damage}"):
        bundle.install(folder, target, lock)
    assert not target.exists()


def test_a_failed_install_leaves_no_virtual_environment(tiny, tmp_path):
    folder, lock = tiny  # its one wheel is not a zip file: pip fails after the venv exists
    target = tmp_path / "venv"
    with pytest.raises(bundle.BundleError, match="failed"):
        bundle.install(folder, target, lock)
    assert not target.exists()


def test_a_truncated_tarball_is_refused_and_leaves_nothing_unpacked(tiny, tmp_path):
    folder, _ = tiny
    (folder / "padding.bin").write_bytes(os.urandom(200_000))
    tarball = tmp_path / "copy" / f"{bundle.NAME}.tar"
    tarball.parent.mkdir()
    with tarfile.open(tarball, "w") as archive:
        archive.add(folder, arcname=bundle.NAME)
    tarball.write_bytes(tarball.read_bytes()[:150_000])  # a copy cut short
    with pytest.raises(bundle.BundleError, match="damaged or truncated.*copy it again"):
        bundle.unpack(tarball)
    assert [p.name for p in tarball.parent.iterdir()] == [tarball.name]


def test_an_unpacked_tarball_is_usable_and_not_unpacked_twice(tiny, tmp_path):
    folder, lock = tiny
    tarball = tmp_path / "copy" / f"{bundle.NAME}.tar"
    tarball.parent.mkdir()
    with tarfile.open(tarball, "w") as archive:
        archive.add(folder, arcname=bundle.NAME)
    unpacked = bundle.unpack(tarball)
    assert bundle.check(unpacked, lock)["wheels"] == json.loads(
        (folder / bundle.MANIFEST).read_text()
    )["wheels"]
    with pytest.raises(bundle.BundleError, match="exists already: set up from it"):
        bundle.unpack(tarball)


def test_a_venv_from_a_bundle_reads_the_assets_in_place(tmp_path, monkeypatch):
    monkeypatch.delenv(assets.CACHE_ENV, raising=False)
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    (tmp_path / assets.BUNDLE_POINTER).write_text("/classroom/bundle/assets\n")
    assert assets.cache_dir() == Path("/classroom/bundle/assets")
    monkeypatch.setenv(assets.CACHE_ENV, str(tmp_path / "mine"))  # the variable still wins
    assert assets.cache_dir() == tmp_path / "mine"


def test_wheel_names_match_the_pins_of_the_lock():
    assert bundle.wheel_pin("torch-2.9.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl") == (
        "torch", "2.9.0"
    )  # fmt: skip
    assert bundle.wheel_pin("Send2Trash-2.2.0-py3-none-any.whl") == ("send2trash", "2.2.0")
    assert bundle.locked(ROOT / "requirements.lock")["send2trash"] == "2.2.0"


@pytest.mark.skipif(
    os.environ.get("BERT_TUTORIAL_EXPECT_OFFLINE") != "1",
    reason="the offline proof; `make test` builds the bundle and runs this under scripts/offline",
)
def test_a_classroom_machine_sets_up_from_the_bundle_and_runs_notebook_01(tmp_path):
    assert BUILT.is_file(), f"{BUILT} is missing; `make bundle` builds it (make test does)"
    with pytest.raises(OSError):  # really no network here
        __import__("socket").create_connection(("pypi.org", 443), timeout=3).close()
    classroom = tmp_path / "laptop"
    classroom.mkdir()
    shutil.copy(BUILT, classroom)
    folder = bundle.unpack(classroom / BUILT.name)
    home = tmp_path / "home"  # an empty home: no asset cache, no pip configuration
    home.mkdir()
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("PIP_", "BERT_TUTORIAL_CACHE"))}  # fmt: skip
    environment.update(HOME=str(home), PIP_CONFIG_FILE=os.devnull)
    repo = folder / bundle.REPO
    # The README's commands, inside the bundle's copy of the repository.
    make = ["make", "-C", str(repo), f"PYTHON={sys._base_executable}"]
    started = time.monotonic()
    setup = subprocess.run([*make, "venv"], env=environment, capture_output=True, text=True)
    seconds = time.monotonic() - started
    assert setup.returncode == 0, setup.stdout + setup.stderr
    print(f"set-up from the bundle: {seconds:.0f} s")
    run = subprocess.run([*make, "run", "NOTEBOOKS=notebooks/01_tokenizer.ipynb"],
                         env=environment, capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"ok\s+[\d.]+ s\s+01_tokenizer", run.stdout), run.stdout
    page = (repo / "build" / "01_tokenizer.html").read_text()
    assert "&#x27;learn&#x27;, &#x27;hugging&#x27;" in page or "'learn', 'hugging'" in page
    assert (repo / ".venv" / assets.BUNDLE_POINTER).read_text().strip() == str(
        (folder / "assets").resolve()
    )
    assert not (home / ".cache" / "bert-tutorial").exists()  # the bundle's assets, in place
