"""Run the code a notebook writes out by hand, so tests can compare it with the package."""

import json
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def cell_source(notebook: str, marker: str) -> str:
    """Return the source of the one code cell of `notebook` that contains `marker`."""
    cells = json.loads((NOTEBOOKS / notebook).read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    matches = [s for s in sources if marker in s]
    assert len(matches) == 1, f"{len(matches)} cells of {notebook} hold {marker!r}, not one"
    return matches[0]


def run_cell(notebook: str, marker: str, namespace: dict) -> dict:
    """Execute the whole cell that contains `marker` in `namespace` and return the namespace."""
    exec(compile(cell_source(notebook, marker), f"{notebook}:{marker}", "exec"), namespace)
    return namespace


def definition(notebook: str, marker: str, namespace: dict | None = None) -> dict:
    """Execute the cell that contains `marker` up to the block defining it (not the demo after)."""
    blocks = cell_source(notebook, marker).split("\n\n\n")
    end = next(i for i, block in enumerate(blocks) if marker in block)
    source = "\n\n\n".join(blocks[: end + 1])
    namespace = {} if namespace is None else namespace
    exec(compile(source, f"{notebook}:{marker}", "exec"), namespace)
    return namespace
