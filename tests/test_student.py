"""`make student`: chapter notebooks with every output cleared and nothing of the solutions."""

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("student", ROOT / "scripts" / "student_copies.py")
student = importlib.util.module_from_spec(spec)
spec.loader.exec_module(student)
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
SOLUTIONS = sorted((ROOT / "notebooks" / "solutions").glob("[0-9]*.ipynb"))


def code(path: Path) -> list[str]:
    cells = nbformat.read(path, as_version=4).cells
    return [c.source for c in cells if c.cell_type == "code"]


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    return student.write_student_copies(tmp_path_factory.mktemp("student"))


def test_every_chapter_and_nothing_else_is_handed_out(copies):
    assert [p.name for p in copies] == [p.name for p in CHAPTERS]
    assert sorted(p.name for p in copies[0].parent.rglob("*")) == [p.name for p in copies]


@pytest.mark.parametrize("index", range(len(CHAPTERS)), ids=[p.stem for p in CHAPTERS])
def test_every_code_cell_is_there_with_no_output(copies, index):
    source, copy = CHAPTERS[index], copies[index]
    assert code(copy) == code(source)
    notebook = nbformat.read(copy, as_version=4)
    cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in cells)
    assert "Exercises" in "".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    nbformat.validate(notebook)


def test_no_solution_leaks_into_a_student_copy(copies):
    chapters = {source for path in CHAPTERS for source in code(path)}
    answers = {s for path in SOLUTIONS for s in code(path) if s not in chapters}
    assert len(answers) > 30  # the check below looks at real answer cells
    assert not answers & {source for path in copies for source in code(path)}
    handed_out = "\n".join(path.read_text() for path in copies)
    assert "solutions/" not in handed_out and "_solutions" not in handed_out
