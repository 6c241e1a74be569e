"""One instruction set for every stored output: the CPU-kernel pin of `make test`, `make outputs`.

PyTorch, oneDNN and MKL pick their kernels by the CPU's widest vector instructions, and an fp32
sum over 16 AVX-512 lanes rounds differently from one over 8 AVX2 lanes. A single forward pass
agrees to the printed digits; 265 training steps do not. The runs that store notebook outputs
and the runs that compare them therefore pin the three libraries to AVX2, which every x86-64
CPU of the last decade has (most learners' laptops have nothing wider), so that the stored
outputs reproduce on AVX2, AVX-512 and AMX machines alike, with one known exception: notebook
08's longest training (265 masked-LM steps) ends a last digit apart on an Intel Xeon and on AMD
EPYCs (top-5 0.272 against 0.273, and two tied fill-mask guesses in the other order). The likely
cause: MKL honours `MKL_CBWR=AVX2` on Intel CPUs only and takes its AUTO branch on others. The
three cells that print those results run under `make test` without their output compared.
`BERT_TUTORIAL_KERNELS=native` lifts the pin (`make test KERNELS=native`). Importing this module
imports no torch: the pin must be set before torch is first imported.
"""

from __future__ import annotations

import os
import platform
from collections.abc import MutableMapping

KERNELS_ENV = "BERT_TUTORIAL_KERNELS"
# The variable each library reads once, when it first dispatches a kernel, and its AVX2 value.
AVX2_PIN = {
    "ATEN_CPU_CAPABILITY": "avx2",  # PyTorch's own kernels: sums, softmax, layer norm, ...
    "ONEDNN_MAX_CPU_ISA": "AVX2",  # oneDNN: GELU, and bf16 and int8 products
    "MKL_ENABLE_INSTRUCTIONS": "AVX2",  # MKL: the sgemm under every fp32 nn.Linear ...
    "MKL_CBWR": "AVX2",  # ... and its AVX2 path's reproducible summation order
}


def pin_kernels(environ: MutableMapping[str, str] = os.environ) -> dict[str, str]:
    """Set the AVX2 pin in `environ` (for this process and the ones it starts); return what it set.

    Nothing is set on a CPU that is not x86-64, or when `BERT_TUTORIAL_KERNELS=native`; a
    variable already set is kept.
    """
    choice = environ.get(KERNELS_ENV, "avx2")
    if choice not in ("avx2", "native"):
        raise ValueError(f"{KERNELS_ENV}={choice!r}: use 'avx2' (the tests' default) or 'native'")
    if choice == "native" or platform.machine().lower() not in ("x86_64", "amd64"):
        return {}
    added = {name: value for name, value in AVX2_PIN.items() if name not in environ}
    environ.update(added)
    return added


def kernel_isa() -> str:
    """Return the instruction set of PyTorch's kernels here: "AVX2", "AVX512", "DEFAULT", ..."""
    import torch

    return torch.backends.cpu.get_cpu_capability()
