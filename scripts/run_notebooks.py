"""Execute notebooks headless: write rendered copies to a folder, or store outputs in place.

python scripts/run_notebooks.py --out build notebooks/*.ipynb   # `make run`
python scripts/run_notebooks.py --inplace notebooks/*.ipynb     # `make outputs`
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter

KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def execute(path: Path, timeout: int) -> nbformat.NotebookNode:
    """Execute the notebook at `path` in its own folder and return it with outputs."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["kernelspec"] = KERNEL
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,  # timestamps would change the stored file on every run
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return notebook


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, help="folder for executed .ipynb and .html copies")
    where.add_argument("--inplace", action="store_true", help="store outputs in the notebooks")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    args = parser.parse_args()

    failed = 0
    for path in args.notebooks:
        start = time.perf_counter()
        try:
            notebook = execute(path, args.timeout)
            status = "ok"
        except CellExecutionError as error:
            notebook, status = None, "FAILED"
            failed += 1
            print(str(error)[-3000:], file=sys.stderr)
        seconds = time.perf_counter() - start
        if notebook is not None:
            if args.inplace:
                nbformat.write(notebook, path)
                where = str(path)
            else:
                args.out.mkdir(parents=True, exist_ok=True)
                nbformat.write(notebook, args.out / path.name)
                html, _ = HTMLExporter().from_notebook_node(notebook)
                (args.out / path.with_suffix(".html").name).write_text(html, encoding="utf-8")
                where = str(args.out / path.with_suffix(".html").name)
        else:
            where = "-"
        print(f"{status:<6} {seconds:7.1f} s  {path.name:<32} {where}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
