"""Execute notebooks headless: write rendered copies to a folder, or store outputs in place.

python scripts/run_notebooks.py --out build notebooks/*.ipynb   # `make run`
python scripts/run_notebooks.py --inplace notebooks/*.ipynb     # `make outputs`
python scripts/run_notebooks.py --warnings --out build/latest notebooks/*.ipynb  # test-latest
"""

from __future__ import annotations

import argparse
import copy
import html
import os
import re
import sys
import time
from importlib.metadata import version
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter

from bert_tutorial.kernels import pin_kernels

WARNING_LINE = re.compile(r"(Deprecat|FutureWarning|will be removed)", re.IGNORECASE)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\(([^)]*)\)")  # a remote image
HERE = Path(__file__).resolve().parent
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
        # The kernel talks to us over loopback only; its "running over TCP without encryption"
        # warning, printed once per notebook, is noise here.
        extra_arguments=["--log-level=ERROR"],
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return finished_bars(notebook)


def finished_bars(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Give each progress bar's text form its last state (a stored "0%" bar reads as hung).

    The widget view stays for Jupyter; the text is what GitHub, the book and nbval read. The
    sanitizer in tests/nbval_sanitize.cfg compares bars by their total, not their timing.
    """
    widgets = notebook.metadata.get("widgets", {})
    states = widgets.get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            text = view and widget_text(view.get("model_id", ""), states)
            if text:
                output["data"]["text/plain"] = text
    return notebook


def offline_copy(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy that renders with no network: widgets as their last text, the badge a link."""
    notebook = finished_bars(copy.deepcopy(notebook))
    notebook.metadata.pop("widgets", None)  # without it, no widget script is loaded
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = BADGE.sub(r"[Open in Colab](\1)", cell.source)
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
    return notebook


def widget_text(model_id: str, states: dict) -> str | None:
    """Return what a tqdm progress bar showed last, as tqdm prints it in a terminal."""
    children = states.get(model_id, {}).get("state", {}).get("children", [])
    parts = []
    for child in children:
        state = states.get(child.removeprefix("IPY_MODEL_"), {}).get("state", {})
        if "max" in state:  # the bar itself
            filled = round(10 * state["value"] / state["max"]) if state["max"] else 0
            parts.append("|" + "█" * filled + " " * (10 - filled) + "|")
        else:
            parts.append(html.unescape(state.get("value", "")).replace("\u2007", " "))
    return "".join(parts) or None


def export_html(notebook: nbformat.NotebookNode) -> str:
    """Return the notebook as one HTML page that reads completely offline."""
    exporter = HTMLExporter(extra_template_paths=[str(HERE)], template_file="offline.html.j2")
    return exporter.from_notebook_node(offline_copy(notebook))[0]


def warning_lines(notebook: nbformat.NotebookNode) -> list[str]:
    """Return the deprecation and future warnings the notebook's cells printed."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                found += [line for line in output["text"].splitlines() if WARNING_LINE.search(line)]
    return list(dict.fromkeys(found))  # each distinct line once, in order


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, help="folder for executed .ipynb and .html copies")
    where.add_argument("--inplace", action="store_true", help="store outputs in the notebooks")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    parser.add_argument(
        "--warnings", action="store_true", help="show and report deprecation warnings"
    )
    args = parser.parse_args()
    if args.warnings:
        # The kernels inherit these: Python shows every deprecation, and setup_notebook() keeps
        # transformers' own warnings instead of silencing them.
        os.environ["PYTHONWARNINGS"] = "always::DeprecationWarning,always::FutureWarning"
        os.environ["BERT_TUTORIAL_SHOW_WARNINGS"] = "1"
    pin_kernels()  # the kernels inherit it: outputs computed as `make test` recomputes them
    reported: dict[str, list[str]] = {}

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
        if notebook is not None and args.warnings:
            reported[path.name] = warning_lines(notebook)
        if notebook is not None:
            if args.inplace:
                nbformat.write(notebook, path)
                where = str(path)
            else:
                args.out.mkdir(parents=True, exist_ok=True)
                nbformat.write(notebook, args.out / path.name)
                page = export_html(notebook)
                (args.out / path.with_suffix(".html").name).write_text(page, encoding="utf-8")
                where = str(args.out / path.with_suffix(".html").name)
        else:
            where = "-"
        print(f"{status:<6} {seconds:7.1f} s  {path.name:<32} {where}", flush=True)
    if args.warnings:
        lines = [f"{name}: {line}" for name, found in reported.items() for line in found]
        report = (args.out or Path("build")) / "warnings.txt"
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        libraries = ", ".join(f"{name} {version(name)}" for name in ("torch", "transformers"))
        print(f"{len(lines)} distinct deprecation warnings with {libraries} (listed in {report})")
        for line in lines:
            print(f"  {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
