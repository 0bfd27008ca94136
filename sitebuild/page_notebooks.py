"""A page as a Jupyter notebook: its prose as Markdown cells, its snippets as code cells with
the outputs this build printed, in the page's order.

Made from the page's Markdown and the build's snippet records (nothing is run here: every
snippet already ran once in this build, alone, as the page shows it; tests/site/test_page_notebooks.py
runs each notebook top to bottom in a kernel and checks it prints the same). Material-only
syntax becomes plain Markdown: an admonition or a tab becomes a bold title over its (dedented)
body, values are filled in, links to other pages point at the published site. The
site's modules a snippet imports (``nets/mlp.py``, a sibling snippet) are written next to the
notebook by ``%%writefile`` cells first, so the notebook runs on its own.

A snippet shown in several sections (``file.py:section``) becomes one cell holding the whole
file, where it first appears. This module knows nothing about MkDocs.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import nbformat

from sitebuild import directives, imports, includes
from sitebuild.config import SNIPPETS_DIR

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[^\n]*\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$\n?",
                   re.M | re.S)
BLOCK = re.compile(r'^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?|===)[ \t]*(?P<kind>[\w-]*)[ \t]*(?:"(?P<title>[^"]*)")?[ \t]*$')
# Material's attribute lists, `{ .class #id key=value }`: after a link or an image, or starting
# with a class or an id. Never a TeX group such as the {i=1} of \sum_{i=1}.
ATTR_LIST = re.compile(r"(?<=[)\]])\{[^{}\n]*\}|\{\s*[.#][\w-][^{}\n]*\}")
HTML_INCLUDE = re.compile(r'^[ \t]*-+8<-+[ \t]+"[^"]+\.html"[ \t]*$', re.M)
SECTION_MARK = re.compile(r"^[ \t]*#[ \t]*-+8<-+[ \t]*\[(?:start|end):[\w-]+\][ \t]*\n", re.M)
PAGE_LINK = re.compile(r"\]\((?P<target>(?!https?:|#|mailto:)[^)\s]+?\.(?:md|ipynb))(?P<anchor>#[^)\s]*)?\)")


def notebook_uri(page_uri: str) -> str:
    """Where the build puts a page's notebook, relative to the site root."""
    return f"notebooks/{page_uri.removesuffix('.md').replace('/', '-')}.ipynb"


COLAB_BRANCH = "notebooks"  # the branch the GitHub workflow publishes the tested notebooks to


def colab_url(repo_url: str | None, page_uri: str) -> str | None:
    """Colab's address for a page's notebook, for a site whose repository is on GitHub (the
    workflow publishes the notebooks to the branch COLAB_BRANCH); None for any other."""
    match = re.fullmatch(r"https://github\.com/(?P<repo>[\w.-]+/[\w.-]+?)(?:\.git)?/?", repo_url or "")
    if not match:
        return None
    name = posixpath.basename(notebook_uri(page_uri))
    return f"https://colab.research.google.com/github/{match['repo']}/blob/{COLAB_BRANCH}/{name}"


def page_snippets(markdown: str) -> list[str]:
    """The snippet files a page shows (by include, output or figure), in first-use order."""
    seen: dict[str, None] = {}
    for kind, item in _items(markdown):
        if kind in ("code", "output", "figure"):
            seen.setdefault(item if kind == "code" else item.snippet)
    return list(seen)


def build(markdown: str, page_uri: str, records: dict, site_url: str) -> bytes:
    """The notebook for the page at ``page_uri`` (``markdown`` without its front matter)."""
    markdown = _flatten_blocks(markdown)
    heading = re.search(r"^# (.+)$", markdown, re.M)
    title = heading[1].strip() if heading else page_uri
    url = _page_url(page_uri, site_url)
    markdown = HTML_INCLUDE.sub(  # an explorer (HTML and script) runs on the web page only
        f"*The web page has an interactive explorer here: [{title}]({url}).*", markdown)
    cells: list = [nbformat.v4.new_markdown_cell(
        f"This notebook is the page [{title}]({url}), made when the site was built: its "
        "code cells are the page's snippets, in the page's order, and their outputs are what "
        "they printed in that build. Run it top to bottom to reproduce them.")]
    shown = page_snippets(markdown)
    modules = sorted({m for s in shown for m in imports.snippet_imports(SNIPPETS_DIR / s)})
    if modules:
        folders = sorted({m.parent.relative_to(SNIPPETS_DIR).as_posix() for m in modules})
        cells.append(nbformat.v4.new_markdown_cell("The site's modules these snippets import, written next to the notebook:"))
        cells.append(nbformat.v4.new_code_cell(
            "from pathlib import Path\n\n" + "\n".join(f'Path("{f}").mkdir(parents=True, exist_ok=True)' for f in folders)))
        for module in modules:
            cells.append(nbformat.v4.new_code_cell(
                f"%%writefile {module.relative_to(SNIPPETS_DIR).as_posix()}\n{_source(module)}"))
    code_cells: dict[str, nbformat.NotebookNode] = {}
    prose: list[str] = []

    def flush() -> None:
        text = _plain_markdown("".join(prose), records, page_uri, site_url).strip()
        if text:
            cells.append(nbformat.v4.new_markdown_cell(text))
        prose.clear()

    def code_cell(snippet: str) -> nbformat.NotebookNode:
        if snippet not in code_cells:
            flush()
            code_cells[snippet] = nbformat.v4.new_code_cell(_source(SNIPPETS_DIR / snippet))
            cells.append(code_cells[snippet])
        return code_cells[snippet]

    for kind, item in _items(markdown):
        if kind == "prose":
            prose.append(item)
        elif kind == "code":
            code_cell(item)
        elif kind == "output":
            cell = code_cell(item.snippet)
            if not cell.outputs:
                cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=records[item.snippet]["stdout"]))
        elif kind == "figure":
            cell = code_cell(item.snippet)
            cell.outputs.append(nbformat.v4.new_output(
                "display_data", data={"image/svg+xml": _wide_svg(records[item.snippet]["figure"]["light"]),
                                      "text/plain": item.options["alt"]}))
            prose.append(f"*{item.options['caption']}*\n\n")
    flush()
    nb = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index}"  # stable ids: two builds give the same bytes
    nbformat.validate(nb)
    return (json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode()


def _items(markdown: str):
    """The page as ("prose", text), ("code", snippet), ("output" | "figure", Directive) in order."""
    end = 0
    pieces: list[tuple[str, object]] = []
    for fence in FENCE.finditer(markdown):
        included = [includes.INCLUDE.match(line) for line in fence["body"].splitlines() if line.strip()]
        if included and all(included):
            pieces.append(("text", markdown[end:fence.start()]))
            files = [m["target"].partition(":")[0] for m in included]
            pieces += [("code", file) for file in files if file.endswith(".py")]
            end = fence.end()
    pieces.append(("text", markdown[end:]))
    for kind, item in pieces:
        if kind != "text":
            yield kind, item
            continue
        start = 0
        for directive in directives.parse(item, "page"):
            if directive.kind in ("output", "figure"):
                yield "prose", item[start:directive.span[0]]
                yield directive.kind, directive
                start = directive.span[1]
        yield "prose", item[start:]


def _source(path: Path) -> str:
    return SECTION_MARK.sub("", path.read_text(encoding="utf-8")).rstrip("\n")


def _flatten_blocks(markdown: str) -> str:
    """Material's admonitions and tabs as a bold title over their body, dedented to the top level."""
    lines, block_indents = [], []
    for line in markdown.splitlines():
        indent = len(line) - len(line.lstrip())
        while block_indents and line.strip() and indent <= block_indents[-1]:
            block_indents.pop()
        shifted = line[min(indent, 4 * len(block_indents)):] if line.strip() else ""
        block = BLOCK.match(shifted)
        if block:
            title = block["title"] or block["kind"].capitalize()
            lines.append(f"**{title}**\n" if title else "")
            block_indents.append(indent)
            continue
        lines.append(shifted)
    return "\n".join(lines) + "\n"


def _plain_markdown(text: str, records: dict, page_uri: str, site_url: str) -> str:
    """Values filled in, attribute lists dropped, links to other pages made absolute."""
    for directive in reversed(directives.parse(text, "page")):
        rendered = "" if directive.kind == "data" else directives.expand(
            text[directive.span[0]:directive.span[1]], [_at_start(directive)], records, page_uri)
        text = text[:directive.span[0]] + rendered + text[directive.span[1]:]
    text = ATTR_LIST.sub("", text)

    def absolute(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), match["target"]))
        return f"]({_page_url(target, site_url)}{match['anchor'] or ''})"

    return PAGE_LINK.sub(absolute, re.sub(r"\n{3,}", "\n\n", text))


def _page_url(page_uri: str, site_url: str) -> str:
    """The published address of a page or a lab notebook (MkDocs' directory URLs)."""
    path = re.sub(r"\.(md|ipynb)$", "", page_uri)
    path = "" if path == "index" else path.removesuffix("/index") + "/"
    return site_url.rstrip("/") + "/" + path


def _at_start(directive: directives.Directive) -> directives.Directive:
    length = directive.span[1] - directive.span[0]
    return directives.Directive(directive.kind, directive.snippet, directive.line, directive.name,
                                directive.spec, directive.flags, directive.options, (0, length))


def _wide_svg(stacked: str) -> str:
    """The figure as drawn for wide screens, alone (sitebuild/figures.py stacks the wide and the
    phone renditions in one file, the phone one last): the root takes the wide view's box."""
    box = re.search(r'<view id="only-light" viewBox="0 0 ([\d.]+) ([\d.]+)"', stacked)
    width, height = box[1], box[2]
    phone = stacked.rindex("\n <svg y=")
    alone = stacked[:phone] + "\n</svg>\n"
    return re.sub(r"<svg\b", f'<svg width="{width}pt" height="{height}pt" viewBox="0 0 {width} {height}"',
                  alone, count=1)

