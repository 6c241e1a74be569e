"""Set before anything imports torch or Hugging Face, for every test, notebook or not.

Tests and notebooks use only the pinned assets, never the Hugging Face Hub: offline mode is set
before any Hugging Face library is imported (it is read at import time), so a test that asks
for an unknown model fails at once instead of waiting for network time-outs. The CPU kernels
are pinned to AVX2 before torch is imported, here and in every notebook kernel nbval starts
(they inherit this environment), as when the stored outputs were made: `bert_tutorial.kernels`.
This file sits at the top so that `pytest notebooks` (`make test-notebooks`) gets it too.
"""

import os

import pytest

from bert_tutorial import assets  # the standard library only: torch is not imported yet
from bert_tutorial.kernels import pin_kernels

os.environ.setdefault("HF_HUB_OFFLINE", "1")
pin_kernels()

# Assets that only some chapters read, with those chapters' notebook prefixes. When one is not in
# the cache (PyPI no longer served bigbench 1.0.0 on 2026-12-05, so `make assets` printed FAILED
# for it), its chapters' notebooks and the tests marked `needs_asset(name)` are skipped, each with
# the reason, and the rest of the suite runs. An asset every chapter reads is never skipped.
CHAPTER_ASSETS = {"bigbench": ("09_", "10_")}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "needs_asset(name): skipped when a chapter's asset `name` is not in the cache"
    )


def pytest_collection_modifyitems(config, items):
    skips = {
        name: pytest.mark.skip(
            reason=f"the {name} asset ({assets.get_asset(name).requirement}) is not in the cache "
            f"{assets.cache_dir()}: `make assets` could not fetch it and printed why; notebooks "
            f"{', '.join(p.rstrip('_') for p in prefixes)} and their tests need it"
        )
        for name, prefixes in CHAPTER_ASSETS.items()
        if not assets.is_cached(name)
    }
    for item in items if skips else ():
        needs = {marker.args[0] for marker in item.iter_markers("needs_asset")}
        if item.path.suffix == ".ipynb":
            needs |= {n for n, p in CHAPTER_ASSETS.items() if item.path.name.startswith(p)}
        for name in needs & skips.keys():
            item.add_marker(skips[name])
