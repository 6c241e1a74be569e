"""Colab: every notebook's badge and guarded install cell agree with pyproject.toml."""

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("colab_cells", ROOT / "scripts" / "colab_cells.py")
colab_cells = importlib.util.module_from_spec(spec)
spec.loader.exec_module(colab_cells)
NOTEBOOKS = colab_cells.notebook_paths()


def test_every_chapter_has_a_solutions_notebook():
    chapters = [p.name for p in NOTEBOOKS if p.parent.name == "notebooks"]
    solutions = [p.name for p in NOTEBOOKS if p.parent.name == "solutions"]
    assert len(chapters) >= 4
    assert solutions == [name.replace(".ipynb", "_solutions.ipynb") for name in chapters]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_badge_and_install_cell_agree_with_pyproject(path):
    assert colab_cells.problems(path) == []


def test_install_cell_runs_only_in_colab_and_never_installs_torch():
    source = colab_cells.install_source()
    assert 'if "google.colab" in sys.modules:' in source
    assert "torch" not in source.split("%pip install", 1)[1].splitlines()[0]


def test_a_notebook_that_disagrees_is_reported_and_mended(tmp_path, monkeypatch):
    notebook = nbformat.read(NOTEBOOKS[0], as_version=4)
    notebook.cells[0].source = notebook.cells[0].source.replace("/blob/v", "/blob/main-v")
    del notebook.cells[2]  # the install cell
    copy = tmp_path / "notebooks" / "01_tokenizer.ipynb"
    copy.parent.mkdir()
    nbformat.write(notebook, copy)
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    monkeypatch.setattr(colab_cells, "ROOT", tmp_path)
    assert len(colab_cells.problems(copy)) == 2
    assert colab_cells.sync(copy) is True
    assert colab_cells.problems(copy) == []
    assert len(nbformat.read(copy, as_version=4).cells) == len(
        nbformat.read(NOTEBOOKS[0], as_version=4).cells
    )


def test_the_readme_badges_agree_with_the_notebooks():
    readme = (ROOT / "README.md").read_text()
    chapters = [p for p in NOTEBOOKS if p.parent.name == "notebooks"]
    for path in chapters:
        assert colab_cells.badge_source(path) in readme, path.name
    assert readme.count("colab-badge.svg") == len(chapters)


def test_mending_an_install_cell_keeps_its_id_and_execution_count(tmp_path, monkeypatch):
    notebook = nbformat.read(NOTEBOOKS[0], as_version=4)
    install = notebook.cells[2]
    install.source = install.source.replace("torch>=", "torch>=0.")  # an outdated comment
    install.execution_count = 7
    copy = tmp_path / "notebooks" / "01_tokenizer.ipynb"
    copy.parent.mkdir()
    nbformat.write(notebook, copy)
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    monkeypatch.setattr(colab_cells, "ROOT", tmp_path)
    assert colab_cells.problems(copy) == [
        "it has no single install cell generated from pyproject.toml"
    ]
    assert colab_cells.sync(copy) is True
    mended = nbformat.read(copy, as_version=4).cells[2]
    assert mended.source == colab_cells.install_source()
    assert (mended.id, mended.execution_count) == (install.id, 7)


def test_the_install_comment_names_the_torch_requirement_of_pyproject():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    torch = next(d for d in dependencies if d.startswith("torch"))
    assert f"the package asks only for {torch})" in colab_cells.install_source()


@pytest.mark.parametrize(
    "path", [p for p in NOTEBOOKS if p.parent.name == "notebooks"], ids=lambda p: p.name
)
def test_each_chapter_ends_with_a_link_to_its_solutions(path):
    last = nbformat.read(path, as_version=4).cells[-1].source
    target = f"solutions/{path.stem}_solutions.ipynb"
    assert f"]({target})" in last
    assert (path.parent / target).is_file()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_setup_runs_before_any_library_is_imported(path):
    # Importing a transformers model class imports torchao, whose import writes warnings to
    # stderr; setup_notebook() quiets them only when it runs first (nbval compares stderr).
    code = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    setup = next(i for i, source in enumerate(code) if "setup_notebook(" in source)
    before = "\n".join(code[1:setup]) + code[setup].split("setup_notebook(")[0]
    imported = [line for line in before.splitlines() if line.startswith(("import ", "from "))]
    assert all("bert_tutorial" in line for line in imported), imported


def test_only_notebook_07_asks_for_the_fast_extra_it_alone_uses():
    asking = [p.name for p in NOTEBOOKS if "bert-tutorial[fast] @" in colab_cells.install_source(p)]
    assert asking == ["07_fast_inference.ipynb", "07_fast_inference_solutions.ipynb"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    fast = {re.split(r"[<>=]", r)[0] for r in project["optional-dependencies"]["fast"]}
    assert fast == {"torchao", "onnx", "onnxscript", "onnxruntime"}
    assert not fast & {re.split(r"[<>=]", r)[0] for r in project["dependencies"]}
    for path in NOTEBOOKS:  # no other notebook imports them
        if path.name not in asking:
            code = "".join(c.source for c in nbformat.read(path, as_version=4).cells)
            assert not re.search(r"\b(torchao|onnx\w*|bert_tutorial\.inference)\b", code), path
