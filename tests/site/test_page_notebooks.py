"""Every page with snippets offers itself as a notebook: linked from the page, holding every
snippet the page shows in the page's order, and running on its own in a fresh kernel to print
exactly what the page shows (the notebook's outputs are the build's; this runs them again)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from pages import DOCS, SHOWING_DIRECTIVE, body, markdown_pages, notebook_code, shown_snippets

pytestmark = pytest.mark.build

PAGES = [p for p in markdown_pages() if shown_snippets(p)]


def slug(page: Path) -> str:
    return page.relative_to(DOCS).with_suffix("").as_posix().replace("/", "-")


def page_html(site: Path, page: Path) -> Path:
    """Where MkDocs writes a page (directory URLs): a/b.md -> a/b/index.html, a/index.md -> a/index.html."""
    stem = page.relative_to(DOCS).with_suffix("")
    return site / (stem.parent if stem.name == "index" else stem) / "index.html"


def notebook(site: Path, page: Path) -> nbformat.NotebookNode:
    path = site / "notebooks" / f"{slug(page)}.ipynb"
    assert path.is_file(), f"docs/{page.name}: no notebook at {path.relative_to(site)}"
    return nbformat.read(path, as_version=4)


def stdout(cell) -> str:
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")


def snippet_cells(nb) -> list:
    """Code cells that are the page's snippets (not the %%writefile set-up)."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    return [c for c in code if not c.source.startswith("%%writefile") and not c.source.startswith("from pathlib")]


@pytest.mark.parametrize("page", PAGES, ids=slug)
def test_page_links_its_notebook(cold_builds, page):
    site = cold_builds["sites"][0]
    html = page_html(site, page)
    link = re.search(r'<a[^>]*href="(?P<href>[^"]*notebooks/[^"]+\.ipynb)"[^>]*>', html.read_text(encoding="utf-8"))
    assert link and "download" in link[0], f"docs/{page.name}: no download link to its notebook"
    target = (html.parent / link["href"]).resolve()
    assert target == (site / "notebooks" / f"{slug(page)}.ipynb").resolve()


@pytest.mark.parametrize("page", PAGES, ids=slug)
def test_notebook_holds_every_snippet_in_page_order(cold_builds, page):
    nb = notebook(cold_builds["sites"][0], page)
    assert [c.source for c in snippet_cells(nb)] == notebook_code(page)
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for leftover in ("{{", "--8<--", '!!! ', '??? ', '=== "', "](../", ".md)", ".ipynb)"):
        assert leftover not in prose, f"docs/{page.name}: the notebook's Markdown still holds {leftover!r}"


@pytest.mark.parametrize("page", PAGES, ids=slug)
def test_notebook_runs_on_its_own_and_prints_what_the_page_shows(cold_builds, page, tmp_path, monkeypatch):
    built = notebook(cold_builds["sites"][0], page)
    nb = nbformat.from_dict(built)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    # The kernel inherits the environment: figures inline, as in Jupyter (the tests' Agg would
    # draw nothing to show); one BLAS thread, as in the build.
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    figures_shown = sum(m["kind"] == "figure" for m in SHOWING_DIRECTIVE.finditer(body(page)))
    figures = 0
    for before, after in zip(snippet_cells(built), snippet_cells(nb), strict=True):
        errors = [o for o in after.outputs if o.output_type == "error" or getattr(o, "name", "") == "stderr"]
        assert not errors, f"docs/{page.name}: cell\n{after.source[:200]}\nwrote {errors}"
        if stdout(before):  # the page shows this output
            assert stdout(after) == stdout(before), f"docs/{page.name}: cell\n{after.source[:200]}\nprints differently"
        figures += sum("image/png" in o.get("data", {}) for o in after.outputs if o.output_type == "display_data")
    assert figures == figures_shown, f"docs/{page.name}: {figures} figures drawn, the page shows {figures_shown}"
