"""scripts/run_notebooks.py: the deprecation report of `make test-latest`."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location(
    "run_notebooks", ROOT / "scripts" / "run_notebooks.py"
)
run_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_notebooks)


def stream(name, text):
    return nbformat.v4.new_output("stream", name=name, text=text)


def test_warning_lines_collects_each_deprecation_once_from_stderr_only():
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        stream("stderr", "loading\nFutureWarning: `foo` is deprecated, use `bar`\n"),
        stream("stdout", "DeprecationWarning printed on purpose is not a warning\n"),
        stream(
            "stderr", "FutureWarning: `foo` is deprecated, use `bar`\nbaz will be removed in v6\n"
        ),
    ]
    notebook = nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_markdown_cell("deprecated")])
    assert run_notebooks.warning_lines(notebook) == [
        "FutureWarning: `foo` is deprecated, use `bar`",
        "baz will be removed in v6",
    ]


def test_running_a_notebook_prints_no_kernel_noise(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    nbformat.write(notebook, tmp_path / "tiny.ipynb")
    script = ROOT / "scripts" / "run_notebooks.py"
    out = tmp_path / "out"
    command = [sys.executable, str(script), "--out", str(out), str(tmp_path / "tiny.ipynb")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert "without encryption" not in result.stdout + result.stderr
    executed = nbformat.read(out / "tiny.ipynb", as_version=4)
    assert executed.cells[0].outputs[0]["text"] == "42\n"
