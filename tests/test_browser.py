"""A real browser: JupyterLab on loopback, driven by Playwright in headless Debian Chromium.

The test opens a copy of notebook 01 with its stored outputs cleared (the stored notebook is
never touched), runs all cells from the Run menu, and checks that every cell ran, no cell shows
an error, and the seed sentence's tokens appear. A screenshot is saved under build/browser/.
"""

import importlib.util
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
NOTEBOOK = "01_tokenizer.ipynb"
SEED_SENTENCE = "Learn Hugging Face Transformers & BERT with PyTorch in 5 Minutes"
# Without the background-networking flags Chromium keeps dialling out and filling the log.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

ALL_CELLS_RAN = """() => {
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server on 127.0.0.1 serving a copy of notebook 01; yields (url, token)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing; `make browser` installs Debian's Chromium")
    work = tmp_path / "notebooks"
    work.mkdir()
    notebook = nbformat.read(ROOT / "notebooks" / NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None  # whatever shows must come from this run
    nbformat.write(notebook, work / NOTEBOOK)
    settings = tmp_path / "lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Render every cell into the page (not only those scrolled into view) so all can be read.
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    token, port = secrets.token_hex(16), free_port()
    environment = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    command = [
        str(Path(sys.executable).parent / "jupyter-lab"),
        "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")  # CI machines run as root
    log = (tmp_path / "jupyterlab.log").open("w")
    server = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = (tmp_path / "jupyterlab.log").read_text()
                    pytest.fail(f"JupyterLab did not start:\n{output}")
                time.sleep(0.5)
        yield url, token
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_notebook_01_runs_in_jupyterlab_in_chromium(jupyterlab, tokenizer):
    from playwright.sync_api import sync_playwright

    url, token = jupyterlab
    screenshot = ROOT / "build" / "browser" / "01_tokenizer.png"
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/lab/tree/{NOTEBOOK}?token={token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        # The status bar reads "Python 3 (ipykernel) | Idle" once the kernel is up.
        page.get_by_text(re.compile(r"ipykernel\) \| Idle")).wait_for(timeout=60_000)

        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()

        # A code cell's prompt is "[ ]:" before it runs, "[*]:" while queued, "[n]:" after.
        try:
            page.wait_for_function(
                ALL_CELLS_RAN,
                timeout=240_000,
            )
        finally:
            page.screenshot(path=str(screenshot))
        code_cells = page.locator(".jp-CodeCell").count()
        stderr = "application/vnd.jupyter.stderr"  # error tracebacks render with this type
        error_texts = page.locator(
            f".jp-OutputArea-output[data-mime-type='{stderr}']"
        ).all_inner_texts()
        text = page.locator(".jp-Notebook").inner_text()
        page.get_by_text("'learn', 'hugging'").first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot))
        browser.close()
    seconds = time.monotonic() - started
    print(f"browser test: {code_cells} code cells ran in JupyterLab in {seconds:.1f} s")

    assert code_cells >= 20
    assert error_texts == []
    assert "Traceback" not in text
    assert str(tokenizer.tokenize(SEED_SENTENCE)) in text
    assert screenshot.stat().st_size > 10_000


EVERY_IMAGE_LOADED = "() => [...document.images].map(i => i.complete && i.naturalWidth > 0)"


def test_make_run_html_reads_completely_offline(tmp_path):
    """make run's HTML copy of notebook 03: progress bars as text, every image shown, no fetch."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing; `make browser` installs Debian's Chromium")
    script = ROOT / "scripts" / "run_notebooks.py"
    spec = importlib.util.spec_from_file_location("run_notebooks", script)
    run_notebooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_notebooks)
    notebook = nbformat.read(ROOT / "notebooks" / "03_finetuning_bert.ipynb", as_version=4)
    page_file = tmp_path / "03_finetuning_bert.html"
    page_file.write_text(run_notebooks.export_html(notebook), encoding="utf-8")
    remote = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("request", lambda request: remote.append(request.url)
                if not request.url.startswith(("file:", "data:")) else None)  # fmt: skip
        page.goto(page_file.as_uri(), wait_until="load")
        text = page.locator("body").inner_text()
        images = page.evaluate(EVERY_IMAGE_LOADED)
        browser.close()
    assert remote == []
    # The epoch trains in 5 parts, validated after each: 5 finished bars of 53 steps.
    assert len(re.findall(r"Training: 100%\|█+\| 53/53", text)) == 5
    outputs = [output for cell in notebook.cells for output in cell.get("outputs", [])]
    plots = [output for output in outputs if "image/png" in output.get("data", {})]
    assert len(images) == len(plots) and all(images)  # every plot shown; no remote badge image
    assert "Open in Colab" in text


PAGE_FACTS = """() => ({
    images: [...document.images].map(i => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0),
    links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
    next: document.querySelector('nav.book-nav a[rel=next]')?.getAttribute('href') ?? null,
    text: document.body.innerText,
})"""


def test_the_book_reads_offline_with_every_page_image_and_link(tmp_path, tokenizer):
    """make book: every page loads from file:// with no console error, images and links work."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing; `make browser` installs Debian's Chromium")
    spec = importlib.util.spec_from_file_location("book", ROOT / "scripts" / "book.py")
    book = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(book)
    pages = book.build_book(tmp_path / "book")
    facts, errors, remote = {}, [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: remote.append(request.url)
                if not request.url.startswith(("file:", "data:")) else None)  # fmt: skip
        for path in pages:
            page.goto(path.as_uri(), wait_until="load")
            facts[path.name] = page.evaluate(PAGE_FACTS)
        browser.close()
    assert errors == [] and remote == []
    images = [ok for fact in facts.values() for ok in fact["images"]]
    notebooks = [nbformat.read(path, as_version=4) for path in book.book_order()]
    outputs = [o for notebook in notebooks for c in notebook.cells for o in c.get("outputs", [])]
    assert len(images) == sum("image/png" in o.get("data", {}) for o in outputs) > 0
    assert all(images)
    internal = {(name, href) for name, fact in facts.items() for href in fact["links"]
                if not href.startswith(("http://", "https://", "mailto:"))}  # fmt: skip
    for name, href in internal:
        target, _, anchor = href.partition("#")
        html = (tmp_path / "book" / (target or name)).read_text(encoding="utf-8")
        assert not anchor or f'id="{anchor}"' in html, (name, href)
    # Next links walk the whole book in chapter order, solutions after their chapter.
    walk, at = [], "index.html"
    while facts[at]["next"]:
        at = facts[at]["next"]
        walk.append(at)
    assert walk == [path.name for path in pages[1:]]
    assert str(tokenizer.tokenize(SEED_SENTENCE)) in facts["01_tokenizer.html"]["text"]
    print(f"book: {len(pages)} pages, {len(images)} images, {len(internal)} internal links checked")
