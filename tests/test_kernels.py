"""The AVX2 pin: set for the tests and their notebook kernels, read by each library, and obeyed
by the package's own choices (bf16 only with AVX-512 kernels)."""

import os
import platform
import subprocess
import sys
from functools import cache

import nbformat
import pytest
import torch
from nbclient import NotebookClient

from bert_tutorial import inference, precision
from bert_tutorial.kernels import AVX2_PIN, KERNELS_ENV, kernel_isa, pin_kernels

X86 = platform.machine().lower() in ("x86_64", "amd64")
PINNED = X86 and os.environ.get(KERNELS_ENV, "avx2") == "avx2"
needs_pin = pytest.mark.skipif(not PINNED, reason="an x86-64 CPU under the AVX2 pin")
# Results that depend on the summation order of each library's kernels.
FINGERPRINT = """
import hashlib, torch
torch.manual_seed(0)
a = torch.randn(512, 512)
parts = [a @ a, torch.softmax(a, -1), torch.nn.functional.gelu(a)]
print(torch.backends.cpu.get_cpu_capability(),
      hashlib.sha1(b"".join(t.numpy().tobytes() for t in parts)).hexdigest())
"""


@cache
def fingerprint(**changes: str) -> str:
    """Return the kernel ISA and results of a fresh process under the pin and `changes`."""
    environ = {**os.environ, **AVX2_PIN, **changes}
    done = subprocess.run([sys.executable, "-c", FINGERPRINT], env=environ, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip()


def test_the_pin_is_set_where_asked_and_keeps_what_is_already_set(monkeypatch):
    monkeypatch.setattr(platform, "machine", lambda: "x86_64")
    environ = {"MKL_CBWR": "COMPATIBLE"}
    added = pin_kernels(environ)
    assert environ == {**AVX2_PIN, "MKL_CBWR": "COMPATIBLE"} and "MKL_CBWR" not in added
    assert pin_kernels({KERNELS_ENV: "native"}) == {}
    monkeypatch.setattr(platform, "machine", lambda: "arm64")  # an Apple laptop: nothing to pin
    assert pin_kernels({}) == {}


def test_an_unknown_choice_names_the_two_that_work():
    with pytest.raises(ValueError, match="use 'avx2' .* or 'native'"):
        pin_kernels({KERNELS_ENV: "avx512"})


@needs_pin
def test_the_tests_and_their_notebook_kernels_run_avx2_kernels():
    assert kernel_isa() == "AVX2"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import torch; print(torch.backends.cpu.get_cpu_capability())")])
    NotebookClient(notebook, kernel_name="python3", timeout=120).execute()
    assert notebook.cells[0].outputs[0]["text"].strip() == "AVX2"  # what nbval's kernels get


@needs_pin
@pytest.mark.parametrize("variable, lower", [("ATEN_CPU_CAPABILITY", "default"),
                                             ("ONEDNN_MAX_CPU_ISA", "SSE41"),
                                             ("MKL_CBWR", "COMPATIBLE")])
def test_each_library_reads_its_variable(variable, lower):
    # A lower instruction set than the pin's changes the numbers: the variable is read, so the
    # pin's own value is too (a library that renamed it would make this test fail).
    assert fingerprint() != fingerprint(**{variable: lower})


def test_bf16_and_int8_need_avx512_kernels_as_well_as_the_instructions(monkeypatch):
    for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported", "_is_vnni_supported"):
        monkeypatch.setattr(torch.cpu, name, lambda: True)
    for isa, native in [("AVX512", True), ("AVX2", False)]:  # AVX2: a pinned AMX server
        monkeypatch.setattr(torch.backends.cpu, "get_cpu_capability", lambda isa=isa: isa)
        assert precision.cpu_has_bf16() is native and inference.cpu_has_int8_products() is native
        assert precision.fastest_precision("cpu") == ("bf16" if native else "fp32")

