"""Mixed precision the safe way: autocast around the forward pass only, where the hardware helps.

Taught in notebook 07. `autocast(precision, device)` is the one place the training loop and
prediction enter `torch.autocast`; it refuses bf16 on a CPU that would only emulate it, and fp16
on a CPU. `matmul_gflops` measures what the hardware does, since a CPU flag alone does not say
how much faster bf16 is: AMX multiplies bf16 matrices several times faster than fp32, AVX512-BF16
about twice, and emulation 50 to 400 times slower.
"""

from __future__ import annotations

import time
from contextlib import nullcontext

import torch

from bert_tutorial.kernels import kernel_isa

PRECISIONS = ("fp32", "bf16", "fp16")
DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}


def cpu_has_bf16() -> bool:
    """Return True when the CPU has bf16 instructions (AVX512-BF16 or AMX) and PyTorch uses them.

    Under the tests' AVX2 pin (`bert_tutorial.kernels`) the answer is False on every CPU, as on
    a laptop without them: bf16 would be emulated.
    """
    flags = torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()
    return bool(flags and kernel_isa() == "AVX512")


def cpu_has_amx() -> bool:
    """Return True when the CPU multiplies bf16 matrices in AMX tiles and PyTorch may use them.

    The one CPU kind where `fastest_precision` chooses bf16, the benchmarks' `native_bf16`: its
    bf16 products run several times fp32's; with AVX512-BF16 alone about twice, and whether
    training gains from that depends on the run (notebook 07).
    """
    return bool(torch.cpu._is_amx_tile_supported() and kernel_isa() == "AVX512")


def cuda_has_native_bf16() -> bool:
    """Return True when the GPU computes in bf16 natively (compute capability 8.0 or later).

    `torch.cuda.is_bf16_supported()` alone also says True where bf16 is only emulated (a T4 or a
    V100), slower than fp16.
    """
    return torch.cuda.is_bf16_supported(including_emulation=False)


def fastest_precision(device: torch.device | str) -> str:
    """Return the precision to train and predict in on `device`: native bf16, else fp16 on a GPU;
    bf16 on an AMX CPU, else fp32 (notebook 07 chooses with it)."""
    if torch.device(device).type == "cuda":
        return "bf16" if cuda_has_native_bf16() else "fp16"
    return "bf16" if cpu_has_amx() else "fp32"


def cuda_inference_dtypes() -> dict[str, torch.dtype]:
    """Return the weight dtypes worth timing on this GPU: fp32, fp16, and bf16 where native."""
    dtypes = {"fp32": torch.float32, "fp16": torch.float16}
    if cuda_has_native_bf16():
        dtypes["bf16"] = torch.bfloat16
    return dtypes


def check_precision(precision: str, device: torch.device | str) -> None:
    """Raise a `ValueError` naming the fix when `precision` cannot run well on `device`."""
    device = torch.device(device)
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    if device.type == "cpu" and precision == "fp16":
        raise ValueError("fp16 autocast is for GPUs; on a CPU use precision='bf16' (where the "
                         "CPU supports it) or 'fp32'")
    if device.type == "cpu" and precision == "bf16" and not cpu_has_bf16():
        raise ValueError("this CPU has no bf16 instructions (AVX512-BF16 or AMX): bf16 would be "
                         "emulated, slower than fp32; use precision='fp32'")
    if device.type == "cuda" and precision == "bf16" and not cuda_has_native_bf16():
        raise ValueError("this GPU has no native bf16 (compute capability below 8.0, e.g. a T4 "
                         "or V100): bf16 would be emulated; use precision='fp16' (or 'fp32')")


def autocast(precision: str, device: torch.device | str):
    """Return the context to run a forward pass (and its loss) in: autocast, or nothing for fp32.

    Enter it once per step around `model(**batch)` only. One autocast region spanning several
    steps keeps the bf16 copies of the weights it cast at the first step (its weight cache), so
    the later forward passes never see the optimizer's updates.
    """
    check_precision(precision, device)
    if precision == "fp32":
        return nullcontext()
    return torch.autocast(torch.device(device).type, dtype=DTYPES[precision])


def grad_scaler(precision: str, device: torch.device | str) -> torch.amp.GradScaler:
    """Return a gradient scaler, active for fp16 only: fp16 gradients underflow unscaled.

    Disabled, its calls pass straight through, so fp32 and bf16 steps are unchanged.
    """
    return torch.amp.GradScaler(torch.device(device).type, enabled=precision == "fp16")


def refuse_outer_autocast(device: torch.device | str) -> None:
    """Raise if called inside `torch.autocast`: the loop sets precision per step itself.

    Both device types count: a "cpu" autocast around a GPU run is the same mistake.
    """
    if any(torch.is_autocast_enabled(kind) for kind in ("cpu", "cuda")):
        raise RuntimeError(
            "the training loop was called inside torch.autocast. One autocast region around "
            "several steps reuses the weights it cast at the first step, so the model stops "
            "learning; remove the outer autocast and pass precision='bf16' instead"
        )


def matmul_gflops(dtype: torch.dtype, size: int = 1024, seconds: float = 0.5) -> float:
    """Return the GFLOP/s of `size` x `size` CPU matrix products in `dtype` (after a warm-up)."""
    a, b = torch.randn(size, size, dtype=dtype), torch.randn(size, size, dtype=dtype)
    a @ b
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        a @ b
        count += 1
    return 2 * size**3 * count / (time.perf_counter() - start) / 1e9


def bf16_matmul_ratio(size: int | None = None, rounds: int = 3) -> float:
    """Return bf16 over fp32 matmul speed on this CPU, measured in turns (the best of each).

    `size` defaults to 1024, or 256 where bf16 is emulated: one emulated 1024 x 1024 product
    takes seconds, one of 2048 nearly a minute, and a small one tells the same story.
    """
    size = size or (1024 if cpu_has_bf16() else 256)
    fp32 = bf16 = 0.0
    for _ in range(rounds):  # in turns: a shared machine's speed drifts
        fp32 = max(fp32, matmul_gflops(torch.float32, size, 0.3))
        bf16 = max(bf16, matmul_gflops(torch.bfloat16, size, 0.3))
    return bf16 / fp32
