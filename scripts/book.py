"""A book to read without running: every notebook's stored outputs as a static website.

python scripts/book.py --out build/book    # `make book`; open build/book/index.html

The front page is the README's overview followed by the contents in chapter order, each chapter
followed by its solutions; every page has previous/next links. Pages come from nbconvert with
the template of `make run`'s HTML copies, so they read with no network (no CDN script, plots
embedded, the Colab badge a plain link).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from colab_cells import project  # noqa: E402  (scripts beside this one)
from run_notebooks import offline_copy  # noqa: E402

OVERVIEW_END = "\n## How it fits together"  # the README's overview is what comes before
NOTEBOOK_LINK = re.compile(r"\]\((?:notebooks/)?(?:solutions/)?([0-9][\w]*)\.ipynb\)")


def book_order() -> list[Path]:
    """Return every notebook in reading order: each chapter, then its solutions."""
    order = []
    for chapter in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        order += [chapter, ROOT / "notebooks" / "solutions" / f"{chapter.stem}_solutions.ipynb"]
    return [path for path in order if path.is_file()]


def title(notebook: nbformat.NotebookNode) -> str:
    """Return the notebook's first level-one heading."""
    for cell in notebook.cells:
        match = re.search(r"^# (.+)$", cell.source, re.MULTILINE)
        if cell.cell_type == "markdown" and match:
            return match.group(1).strip()
    raise ValueError("a notebook without a '# ' title cannot go into the book")


def link_pages(markdown: str) -> str:
    """Point links at notebooks to their pages in the book."""
    markdown = NOTEBOOK_LINK.sub(r"](\1.html)", markdown)
    return markdown.replace("](notebooks/solutions/)", "](#Contents)")


def front_page(titles: dict[str, str]) -> nbformat.NotebookNode:
    """Return the front page as a notebook: the README's overview, then the contents."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8").split(OVERVIEW_END)[0]
    # Sections after the overview are not in the book: their anchors go to the README online.
    info = project()
    readme = readme.replace("](#", f"]({info['url']}/blob/v{info['version']}/README.md#")
    contents = ["## Contents", ""]
    for stem, name in titles.items():
        indent = "   " if stem.endswith("_solutions") else ""
        contents.append(f"{indent}- [{name}]({stem}.html)")
    page = nbformat.v4.new_notebook(metadata={"title": "bert-tutorial"})
    page.cells = [nbformat.v4.new_markdown_cell(link_pages(readme)),
                  nbformat.v4.new_markdown_cell("\n".join(contents))]  # fmt: skip
    return page


def navigation(previous: tuple[str, str] | None, following: tuple[str, str] | None) -> str:
    """Return the bar of links at the top and bottom of a page."""
    links = ['<a href="index.html#Contents">Contents</a>']
    if previous:
        links.insert(0, f'<a href="{previous[0]}.html" rel="prev">← {previous[1]}</a>')
    if following:
        links.append(f'<a href="{following[0]}.html" rel="next">{following[1]} →</a>')
    return '<nav class="book-nav">' + " · ".join(links) + "</nav>"


def build_book(out: Path) -> list[Path]:
    """Write the book into `out` (emptied first); return its pages, front page first."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    exporter = HTMLExporter(extra_template_paths=[str(HERE)], template_file="book.html.j2")
    notebooks = {path.stem: nbformat.read(path, as_version=4) for path in book_order()}
    titles = {stem: title(notebook) for stem, notebook in notebooks.items()}
    stems = list(notebooks)
    pages = [out / "index.html"]
    first = (stems[0], titles[stems[0]])
    html, _ = exporter.from_notebook_node(
        offline_copy(front_page(titles)), resources={"book_nav": navigation(None, first)}
    )
    pages[0].write_text(html, encoding="utf-8")
    for i, stem in enumerate(stems):
        neighbours = [(stems[j], titles[stems[j]]) if 0 <= j < len(stems) else None
                      for j in (i - 1, i + 1)]  # fmt: skip
        page = offline_copy(notebooks[stem])
        page.metadata["title"] = titles[stem]
        for cell in page.cells:
            if cell.cell_type == "markdown":
                cell.source = link_pages(cell.source)
        html, _ = exporter.from_notebook_node(page, resources={"book_nav": navigation(*neighbours)})
        pages.append(out / f"{stem}.html")
        pages[-1].write_text(html, encoding="utf-8")
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "book")
    args = parser.parse_args()
    started = time.monotonic()
    pages = build_book(args.out)
    print(f"book: {len(pages)} pages in {time.monotonic() - started:.0f} s; "
          f"open {pages[0]}")  # fmt: skip


if __name__ == "__main__":
    main()
