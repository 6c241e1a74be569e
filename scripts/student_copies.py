"""Student copies: the chapter notebooks with every output cleared, ready to hand out.

python scripts/student_copies.py --out build/student    # `make student`

Exercises stay; the solutions notebooks stay behind, and each chapter's closing link to its
solutions says the instructor has them instead.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor, ClearOutputPreprocessor

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS_LINK = re.compile(r"Worked answers[^\n]*\]\(solutions/[^)]*\)\.?")
INSTEAD = "Worked answers, checked by assertions: your instructor has them."


def student_copy(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy with outputs, execution counts and run metadata cleared, solutions unlinked."""
    copy = nbformat.from_dict(notebook)
    ClearOutputPreprocessor().preprocess(copy, {})
    # Cell tags stay (Colab's install cell is found by its tag); run-time metadata goes.
    ClearMetadataPreprocessor(preserve_cell_metadata_mask=["tags"]).preprocess(copy, {})
    copy.metadata = {"kernelspec": notebook.metadata.get("kernelspec", {}),
                     "language_info": {"name": "python"}}  # fmt: skip
    for cell in copy.cells:
        if cell.cell_type == "markdown":
            cell.source = SOLUTIONS_LINK.sub(INSTEAD, cell.source)
    return copy


def write_student_copies(out: Path) -> list[Path]:
    """Write a student copy of every chapter notebook into `out` (emptied first); return them."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    written = []
    for path in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        target = out / path.name
        nbformat.write(student_copy(nbformat.read(path, as_version=4)), target)
        written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "student")
    args = parser.parse_args()
    for path in write_student_copies(args.out):
        print(f"student copy: {path}")


if __name__ == "__main__":
    main()
