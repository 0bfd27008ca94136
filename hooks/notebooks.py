"""MkDocs hook: executed, lean, self-contained lab notebooks (docs/labs/*.ipynb).

on_config       mark the math in notebook markdown so it can become MathML later;
on_files        execute each notebook (or take it from .cache/notebooks/, keyed on the
                notebook, the snippets/ modules it imports and the library versions),
                point mkdocs-jupyter at the executed copy (it renders that, with
                execute: false, and copies it next to the page as the download), and add
                a zip of notebook + imported modules to the site;
on_page_content drop mkdocs-jupyter's inline CSS, MathJax/mermaid scripts and CDN URLs,
                render math to MathML, give figures their alt text (cell metadata
                "alt"), and add the download box;
on_post_build   write the one shared, trimmed notebook stylesheet.
Any problem aborts the build with a message naming the notebook (and cell).
"""

from __future__ import annotations

import atexit
import hashlib
import html
import io
import logging
import os
import posixpath
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

import notebook_css
import notebook_exec

try:  # the site's one TeX -> MathML converter
    from mathml import MathError, tex_to_mathml
except ImportError:  # pragma: no cover - only while hooks/mathml.py is missing
    from latex2mathml.converter import convert as _convert

    MathError = Exception

    def tex_to_mathml(tex: str, display: bool) -> str:
        return _convert(tex, display="block" if display else "inline")


log = logging.getLogger("mkdocs.hooks.notebooks")

CSS_URI = "assets/notebook.css"
WRAPPER = '<div class="jupyter-wrapper">'
MATH_MARK = re.compile(r'<span class="nb-tex" data-display="([01])">(.*?)</span>', re.S)
BLOCK_MATH_PARAGRAPH = re.compile(r'<p>\s*(<span class="nb-tex" data-display="1">.*?</span>)\s*</p>', re.S)
# anything the browser would fetch from another host (plain <a href> links are fine)
EXTERNAL = re.compile(
    r"""\bsrc\s*=\s*["']?(?:https?:)?//|<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//|import\(\s*["'](?:https?:)?//|@import""",
    re.I,
)


@dataclass
class Lab:
    src_uri: str
    executed: Path
    modules: list[Path]
    module_uris: list[str]  # the same, relative to snippets/ (nets/mlp.py)
    nb: nbformat.NotebookNode
    dest_dir: str  # site folder of the page (and of its downloads)


_labs: dict[str, Lab] = {}
_css_sources: dict[str, str] = {}  # distinct stylesheet texts mkdocs-jupyter inlined
_classes: set[str] = set()


# ---------------------------------------------------------------- math in markdown cells


def _mark_math() -> None:
    """Make nbconvert emit math as marked spans (still TeX) instead of $...$ text.

    The TeX stays escaped inside the span; on_page_content turns it into MathML with the
    same converter as the Markdown pages. Code spans are never math (mistune parses them).
    """
    from nbconvert.filters.markdown_mistune import IPythonRenderer

    if getattr(IPythonRenderer, "_deep_init_math", False):
        return

    def mark(body: str, display: bool) -> str:
        return f'<span class="nb-tex" data-display="{int(display)}">{html.escape(body, quote=False)}</span>'

    IPythonRenderer.block_math = lambda self, body: mark(body, True)
    IPythonRenderer.inline_math = lambda self, body: mark(body, False)
    IPythonRenderer.latex_environment = lambda self, name, body: mark(
        f"\\begin{{{name}}}{body}\\end{{{name}}}", True
    )
    IPythonRenderer._deep_init_math = True


def _render_math(content: str, where: str) -> str:
    def replace(match: re.Match, wrap_block: bool) -> str:
        display = match[1] == "1"
        tex = html.unescape(match[2]).strip()
        try:
            mathml = tex_to_mathml(tex, display)
        except MathError as exc:
            raise PluginError(f"{where}: {exc}") from exc
        return f'<div class="math-display">{mathml}</div>' if display and wrap_block else mathml

    content = BLOCK_MATH_PARAGRAPH.sub(lambda m: MATH_MARK.sub(lambda n: replace(n, True), m[1]), content)
    return MATH_MARK.sub(lambda m: replace(m, True), content)


# ---------------------------------------------------------------- events


def on_config(config):
    _mark_math()
    _use_render_cache(config)
    _start_background_execution(config)
    return config


def _use_render_cache(config) -> None:
    """Point mkdocs-jupyter's HTML cache at a folder keyed by this hook and the installed libraries.

    Its own key covers the (executed) notebook and its options, but not the math marking
    this hook patches into nbconvert nor the library versions; the folder name does.
    Older folders are removed.
    """
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is None or not jupyter.config.get("cache"):
        return
    digest = hashlib.sha256(Path(__file__).read_bytes() + notebook_exec.library_versions().encode())
    root = _cache_dir(config).parent / "mkdocs-jupyter"
    folder = root / digest.hexdigest()[:16]
    if root.is_dir():
        for old in root.iterdir():
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
    jupyter.config["cache_dir"] = str(folder)


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def _cache_dir(config) -> Path:
    return Path(os.environ.get("DOCS_CACHE_DIR", _root(config) / ".cache")) / "notebooks"


_background: list[subprocess.Popen] = []


def _start_background_execution(config) -> None:
    """Execute uncached notebooks in other processes while the snippets run (it halves a
    cold build on two cores). on_files then finds them in the cache; if one failed, on_files
    executes it again in this process, which reports the failing cell."""
    root, docs = _root(config), Path(config.docs_dir)
    for nb_path in sorted(docs.rglob("*.ipynb")):
        src_uri = nb_path.relative_to(docs).as_posix()
        if ".ipynb_checkpoints" in nb_path.parts:
            continue
        try:
            if notebook_exec.is_cached(nb_path, root / "snippets", _cache_dir(config), src_uri):
                continue
        except Exception:  # noqa: BLE001 - on_files reports a malformed notebook properly
            continue
        command = [sys.executable, notebook_exec.__file__, str(nb_path), str(root / "snippets"),
                   str(_cache_dir(config)), src_uri]
        _background.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))


def _wait_for_background_execution() -> int:
    """How many notebooks the background processes executed into the cache."""
    executed = 0
    while _background:
        executed += _background.pop().wait() == 0
    return executed


@atexit.register
def _stop_background_execution() -> None:
    """A build that failed early leaves no notebook running behind it."""
    for process in _background:
        process.kill()


def on_files(files: Files, config) -> Files:
    _labs.clear()
    _css_sources.clear()
    _classes.clear()
    root = _root(config)
    snippets = root / "snippets"
    cache = _cache_dir(config)
    ran = _wait_for_background_execution()
    for file in list(files):
        if not file.src_uri.endswith(".ipynb"):
            continue
        where = f"docs/{file.src_uri}"
        if not file.dest_uri.endswith(".html"):
            raise PluginError(f"{where}: not a page; list hooks/notebooks.py after mkdocs-jupyter")
        try:
            executed, modules, _key, did_run = notebook_exec.load_or_execute(
                Path(file.abs_src_path), snippets, cache, where, file.src_uri
            )
        except notebook_exec.NotebookError as exc:
            raise PluginError(str(exc)) from None
        ran += did_run
        # mkdocs-jupyter renders (and, with include_source, copies) page.file.abs_src_path
        file.abs_src_path = str(executed)
        lab = Lab(
            src_uri=file.src_uri,
            executed=executed,
            modules=modules,
            module_uris=[p.relative_to(snippets).as_posix() for p in modules],
            nb=nbformat.read(executed, as_version=4),
            dest_dir=posixpath.dirname(file.dest_uri),
        )
        _labs[file.src_uri] = lab
        for path, rel in zip(modules, lab.module_uris):
            files.append(File.generated(config, f"{lab.dest_dir}/{rel}", content=path.read_bytes()))
        files.append(
            File.generated(config, f"{lab.dest_dir}/{executed.stem}.zip", content=_bundle(lab))
        )
    if _labs:
        log.info("notebooks: %d executed, %d from cache", ran, len(_labs) - ran)
    return files


def _bundle(lab: Lab) -> bytes:
    """A zip a reader can unpack and run: the executed notebook and the modules it imports.

    Fixed timestamps and permissions, sorted entries: the same inputs give the same bytes.
    """
    entries = [(lab.executed.name, lab.executed.read_bytes())]
    entries += [(rel, p.read_bytes()) for p, rel in zip(lab.modules, lab.module_uris)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in sorted(entries):
            info = zipfile.ZipInfo(f"{lab.executed.stem}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def on_page_content(content: str, page, config, files) -> str:
    lab = _labs.get(page.file.src_uri)
    if lab is None:
        return content
    where = f"docs/{lab.src_uri}"
    head, sep, body = content.partition(WRAPPER)
    if not sep:
        raise PluginError(f"{where}: mkdocs-jupyter output has no {WRAPPER}")
    # the head holds the inline stylesheets, the copy-button script, MathJax and mermaid
    for css in re.findall(r"<style[^>]*>(.*?)</style>", head, flags=re.S):
        if css.strip():
            _css_sources.setdefault(css.strip(), css.strip())
    keep_scripts = [
        s for s in re.findall(r"<script>.*?</script>", head, flags=re.S) if "clipboard-copy" in s
    ]
    body = re.sub(r"<style[^>]*>.*?</style>", "", body, flags=re.S)  # a repr() of the CSS list
    body = _render_math(body, where)
    # Code cells scroll sideways; tabindex lets a keyboard user scroll them.
    body = re.sub(r"<pre(?![^>]*tabindex)", '<pre tabindex="0"', body)
    body = _alt_texts(body, lab, where)
    external = EXTERNAL.search(body)
    if external:
        snippet = body[max(0, external.start() - 60) : external.end() + 60]
        raise PluginError(f"{where}: the rendered notebook loads something from another host: {snippet!r}")
    css_href = get_relative_url(CSS_URI, page.url)
    body = _add_downloads(sep + body, lab, page, where)
    out = f'<link rel="stylesheet" href="{css_href}">\n' + "\n".join(keep_scripts) + "\n" + body
    _classes.update(notebook_css.used_classes(out))
    return out


def _alt_texts(body: str, lab: Lab, where: str) -> str:
    """Replace nbconvert's placeholder alt text with each figure cell's metadata "alt"."""
    cells = re.split(r'(?=<div class="jp-Cell [^"]*" id="cell-id=)', body)
    out = []
    by_id = {c.id: c for c in lab.nb.cells}
    for chunk in cells:
        m = re.match(r'<div class="jp-Cell [^"]*" id="cell-id=([^"]+)"', chunk)
        if m and "<img " in chunk:
            cell = by_id[m[1]]
            alt = cell.metadata.get("alt")
            if not alt:
                raise PluginError(
                    f"{where}: cell {lab.nb.cells.index(cell)} (id {cell.id!r}) draws a figure "
                    'but has no "alt" in its metadata (what the figure shows, for someone who '
                    "cannot see it)"
                )
            chunk = re.sub(r'alt="[^"]*"', f'alt="{html.escape(alt)}"', chunk)
        out.append(chunk)
    return "".join(out)


def _add_downloads(body: str, lab: Lab, page, where: str) -> str:
    def href(name: str) -> str:
        return get_relative_url(f"{lab.dest_dir}/{name}", page.url)

    nb_name = lab.executed.name
    zip_name = f"{lab.executed.stem}.zip"
    mods = lab.module_uris
    imported = [m.removesuffix(".py").replace("/", ".") for m in mods if not m.endswith("__init__.py")]
    if mods:
        code = ", ".join(f"<code>{html.escape(n)}</code>" for n in imported)
        links = ", ".join(f'<a href="{href(m)}"><code>{html.escape(m)}</code></a>' for m in mods)
        text = (
            f'<p><a href="{href(zip_name)}" download><strong>{html.escape(zip_name)}</strong></a>: '
            f"this notebook, executed, with the module{'s' if len(mods) > 1 else ''} it imports "
            f"({code}). Unzip it and open the notebook from the unzipped folder, so that the "
            f"import finds them.</p>"
            f'<p>Or take the pieces: <a href="{href(nb_name)}" download><code>{html.escape(nb_name)}</code></a> '
            f"and {links} (keep the folders next to the notebook).</p>"
        )
    else:
        text = f'<p><a href="{href(nb_name)}" download><code>{html.escape(nb_name)}</code></a>: this notebook, executed.</p>'
    box = (
        '<div class="admonition tip nb-downloads">'
        '<p class="admonition-title">Run it yourself</p>'
        f"{text}"
        "<p>It needs Python with NumPy, Matplotlib and Jupyter; every output below was "
        "produced by running it while this site was built.</p></div>"
    )
    for path, uri in zip(lab.modules, lab.module_uris):
        if uri.endswith("__init__.py"):
            continue
        box += (
            '<details class="abstract nb-module"><summary>The module it imports: '
            f"<code>{html.escape(uri)}</code></summary>{_highlight(path.read_text(encoding='utf-8'))}"
            "</details>"
        )
    # after the title, if the first cell has one
    m = re.search(r"</h1>", body)
    if m:
        return body[: m.end()] + box + body[m.end() :]
    return box + body


def _highlight(source: str) -> str:
    """Python source as Material styles its own code blocks (theme-aware colours)."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return highlight(source, PythonLexer(), HtmlFormatter(cssclass="highlight", wrapcode=True))


def on_post_build(config) -> None:
    if not _labs:
        return
    notebook_exec.prune(_cache_dir(config), {lab.executed for lab in _labs.values()})
    css_cache = _cache_dir(config).parent / "notebook-css"
    css = notebook_css.trim_cached("\n".join(_css_sources.values()), _classes, css_cache)
    out = Path(config.site_dir) / CSS_URI
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(css + OVERRIDES, encoding="utf-8")


# Fit the notebook into Material: its colours (light and dark), its code font.
OVERRIDES = """
/* deep-init: notebook pages follow the site's palette */
.jupyter-wrapper .highlight-ipynb pre,.jupyter-wrapper .jp-OutputArea-output pre{overflow-x:auto;white-space:pre}
.jupyter-wrapper{--jp-layout-color0:transparent;--jp-layout-color1:transparent;--jp-cell-editor-background:var(--md-code-bg-color);--jp-cell-editor-border-color:transparent;--jp-content-font-color0:var(--md-typeset-color);--jp-content-font-color1:var(--md-typeset-color);--jp-ui-font-color1:var(--md-typeset-color);--jp-code-font-family:var(--md-code-font-family);--jp-content-font-family:var(--md-text-font-family);--jp-mirror-editor-variable-color:var(--md-code-fg-color)}
"""
