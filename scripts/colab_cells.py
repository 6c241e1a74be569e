"""Write (or check) every notebook's "Open in Colab" badge and guarded install cell.

Both are generated from one place, pyproject.toml: the repository URL and the version. The
badge opens the notebook at the tag `v<version>`, and the install cell installs the package
from that same tag, so a learner in Colab gets the code the stored outputs came from.

python scripts/colab_cells.py           # `make colab`: rewrite the cells in place
python scripts/colab_cells.py --check   # exit 1 and name each notebook that disagrees
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
import tomllib

ROOT = Path(__file__).resolve().parents[1]
BADGE_TAG = "colab-badge"
INSTALL_TAG = "colab-install"
BADGE_SVG = "https://colab.research.google.com/assets/colab-badge.svg"


FAST_CHAPTERS = ("07_",)  # the notebooks that need the package's `fast` extra


def project() -> dict[str, str]:
    """Return the name, version, repository URL and torch requirement in pyproject.toml."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    url = meta["urls"]["Repository"].rstrip("/")
    if not url.startswith("https://github.com/"):
        raise ValueError(f"[project.urls] Repository must be a GitHub URL for Colab, got {url!r}")
    torch = next((d for d in meta["dependencies"] if d.startswith("torch")), "torch")
    return {"name": meta["name"], "version": meta["version"], "url": url, "torch": torch}


def notebook_paths() -> list[Path]:
    """Return every chapter and solutions notebook, in order."""
    return sorted(ROOT.glob("notebooks/[0-9]*.ipynb")) + sorted(
        ROOT.glob("notebooks/solutions/[0-9]*.ipynb")
    )


def badge_source(path: Path) -> str:
    """Return the markdown of the badge that opens `path` in Colab at the release tag."""
    info = project()
    relative = path.resolve().relative_to(ROOT).as_posix()
    github = info["url"].removeprefix("https://github.com/")
    link = f"https://colab.research.google.com/github/{github}/blob/v{info['version']}/{relative}"
    return f"[![Open In Colab]({BADGE_SVG})]({link})"


def requirement(path: Path | None = None, url: str | None = None) -> str:
    """Return the pip requirement `path`'s install cell installs: the package at the release tag
    of the repository (or of `url`), with the `fast` extra for the notebooks that use it."""
    info = project()
    fast = path is not None and path.name.startswith(FAST_CHAPTERS)
    return f"{info['name']}{'[fast]' if fast else ''} @ git+{url or info['url']}@v{info['version']}"


def install_source(path: Path | None = None) -> str:
    """Return `path`'s install cell: it runs only in Colab, never reinstalls torch, and asks for
    the `fast` extra (notebook 07's libraries) only in the notebooks that use it."""
    info = project()
    return (
        "# Colab only: install the tutorial's package at this notebook's version. Colab's own\n"
        f"# torch is kept (the package asks only for {info['torch']}). Elsewhere it does nothing.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f'    %pip install --quiet "{requirement(path)}"\n'
        "    from bert_tutorial.setup import restart_hint\n"
        "\n"
        "    restart_hint()"
    )


def expected_cells(path: Path) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """Return the badge cell and the install cell that `path` should hold."""
    badge = nbformat.v4.new_markdown_cell(badge_source(path), metadata={"tags": [BADGE_TAG]})
    install = nbformat.v4.new_code_cell(install_source(path), metadata={"tags": [INSTALL_TAG]})
    return badge, install


def _tagged(notebook: nbformat.NotebookNode, tag: str) -> list[int]:
    return [i for i, cell in enumerate(notebook.cells) if tag in cell.metadata.get("tags", [])]


def problems(path: Path) -> list[str]:
    """Return what is wrong with `path`'s badge and install cells (empty when all agree)."""
    notebook = nbformat.read(path, as_version=4)
    badge, install = expected_cells(path)
    found = []
    badges, installs = _tagged(notebook, BADGE_TAG), _tagged(notebook, INSTALL_TAG)
    if badges != [0] or notebook.cells[0].source != badge.source:
        found.append("the first cell is not the Colab badge generated from pyproject.toml")
    if len(installs) != 1 or notebook.cells[installs[0]].source != install.source:
        found.append("it has no single install cell generated from pyproject.toml")
    elif installs[0] != 2:
        found.append("the install cell is not right after the title cell")
    return found


def sync(path: Path) -> bool:
    """Put the generated badge first and the install cell after the title; True if changed."""
    if not problems(path):
        return False
    notebook = nbformat.read(path, as_version=4)
    cells = []
    # Reuse a cell that is already there (new source only), so its id and execution count stay.
    for generated, tag in zip(expected_cells(path), (BADGE_TAG, INSTALL_TAG), strict=True):
        existing = _tagged(notebook, tag)
        if len(existing) == 1:
            notebook.cells[existing[0]].source = generated.source
            generated = notebook.cells[existing[0]]
        cells.append(generated)
    badge, install = cells
    keep = [
        cell
        for cell in notebook.cells
        if not {BADGE_TAG, INSTALL_TAG} & set(cell.metadata.get("tags", []))
    ]
    notebook.cells = [badge, keep[0], install, *keep[1:]]  # keep[0] is the title cell
    nbformat.write(notebook, path)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report disagreements")
    args = parser.parse_args()
    failed = 0
    for path in notebook_paths():
        name = path.relative_to(ROOT)
        if args.check:
            for problem in problems(path):
                print(f"{name}: {problem}; run `make colab`", file=sys.stderr)
                failed += 1
        elif sync(path):
            print(f"updated {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
