"""`make test-colab`: Colab's pins, the Python it needs, and how it counts matching cells."""

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
spec = importlib.util.spec_from_file_location("colab_run", ROOT / "scripts" / "test_colab.py")
script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(script)


def test_the_pins_name_colabs_python_and_its_torch_and_transformers():
    pins = script.pinned()
    assert script.colab_python_version() == "3.13"
    assert {"torch", "transformers", "accelerate", "datasets", "ipywidgets"} <= set(pins)
    assert all(version.count(".") >= 1 for version in pins.values())  # exact versions


def test_a_missing_python_says_how_to_get_one(tmp_path):
    with pytest.raises(SystemExit) as stop:
        script.find_python("3.13", str(tmp_path / "no-python"))
    fixes = ("pyenv install 3.13", "uv python install 3.13", "deadsnakes")
    assert all(fix in str(stop.value) for fix in fixes)


def test_a_python_of_another_version_is_not_taken():
    other = "3.99"
    with pytest.raises(SystemExit, match="No Python 3.99"):
        script.find_python(other, sys.executable)


def test_the_package_is_installed_from_the_git_url_at_the_release_tag():
    requirement = script.requirement(ROOT / "notebooks/07_fast_inference.ipynb", url="file:///r")
    assert requirement == f"bert-tutorial[fast] @ git+file:///r@v{script.project()['version']}"


def test_cells_are_counted_as_matching_only_when_compared_and_passed(tmp_path, monkeypatch):
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("text"),
        nbformat.v4.new_code_cell("1"),
        nbformat.v4.new_code_cell("2", metadata={"tags": ["nbval-ignore-output"]}),
        nbformat.v4.new_code_cell("3"),
        nbformat.v4.new_code_cell("4"),
        nbformat.v4.new_code_cell("5"),
    ])
    path = tmp_path / "notebooks" / "09_x.ipynb"
    path.parent.mkdir()
    nbformat.write(notebook, path)
    monkeypatch.setattr(script, "ROOT", tmp_path)
    report = tmp_path / "nbval.xml"
    report.write_text(
        '<testsuites><testsuite>'
        '<testcase classname="notebooks.09_x.ipynb" name="Cell 0"/>'
        '<testcase classname="notebooks.09_x.ipynb" name="Cell 1"><failure/></testcase>'
        '<testcase classname="notebooks.09_x.ipynb" name="Cell 2"><failure/></testcase>'
        '<testcase classname="notebooks.09_x.ipynb" name="Cell 3"><skipped/></testcase>'
        '</testsuite></testsuites>'
    )
    # Cell 1 is not compared; Cell 2 differs; Cell 3 was skipped (nbval's xfail after a
    # time-out); Cell 4 never ran (not in the report).
    differ = ["09_x.ipynb::Cell 2", "09_x.ipynb::Cell 3", "09_x.ipynb::Cell 4"]
    assert script.count_matches(report, [path]) == (1, 4, differ)
