"""scripts/run_notebooks.py: the deprecation report of `make test-latest`."""

import importlib.util
import re
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


def test_stored_progress_bars_show_their_end_and_compare_by_total_only(tmp_path):
    source = "from tqdm.auto import tqdm\nfor _ in tqdm(range(3), desc='Training'):\n    pass"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nbformat.write(notebook, tmp_path / "bar.ipynb")
    script = ROOT / "scripts" / "run_notebooks.py"
    command = [sys.executable, str(script), "--inplace", str(tmp_path / "bar.ipynb")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    stored = nbformat.read(tmp_path / "bar.ipynb", as_version=4).cells[0].outputs[0]
    text = stored["data"]["text/plain"]
    assert text.startswith("Training: 100%|██████████| 3/3 ["), text
    assert run_notebooks.WIDGET_VIEW in stored["data"]  # Jupyter still shows the widget

    config = (ROOT / "tests" / "nbval_sanitize.cfg").read_text().split("[progress bars]")[1]
    pattern = re.search(r"regex: (.*)", config).group(1)
    replacement = re.search(r"replace: (.*)", config).group(1)
    fresh = "Training:   0%|          | 0/3 [00:00<?, ?it/s]"
    other_total = "Training:   0%|          | 0/4 [00:00<?, ?it/s]"
    assert re.sub(pattern, replacement, text) == re.sub(pattern, replacement, fresh)
    assert re.sub(pattern, replacement, text) != re.sub(pattern, replacement, other_total)
