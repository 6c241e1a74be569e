"""Set before anything imports torch or Hugging Face, for every test, notebook or not.

Tests and notebooks use only the pinned assets, never the Hugging Face Hub: offline mode is set
before any Hugging Face library is imported (it is read at import time), so a test that asks
for an unknown model fails at once instead of waiting for network time-outs. The CPU kernels
are pinned to AVX2 before torch is imported, here and in every notebook kernel nbval starts
(they inherit this environment), as when the stored outputs were made: `bert_tutorial.kernels`.
This file sits at the top so that `pytest notebooks` (`make test-notebooks`) gets it too.
"""

import os

from bert_tutorial.kernels import pin_kernels

os.environ.setdefault("HF_HUB_OFFLINE", "1")
pin_kernels()
