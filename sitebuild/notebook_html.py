"""Lab notebooks as lean pages: what is done to mkdocs-jupyter's HTML, and the downloads.

- math in markdown cells is marked while nbconvert renders (``marked_math``) and turned
  into MathML with the site's converter;
- the inline JupyterLab CSS is collected (trimmed once for the site by notebook_css),
  MathJax and mermaid scripts dropped, each figure shown from its light and dark SVG
  files (sitebuild/notebook_figures.py), and anything that would load from another host
  refused;
- a "Run it yourself" box links the executed notebook, the modules it imports and a zip.
Errors are NotebookErrors naming the notebook (and cell).
"""

from __future__ import annotations

import contextlib
import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from sitebuild.mathml import MathError, tex_to_mathml
from sitebuild.notebook_css import used_classes
from sitebuild.notebook_exec import NotebookError
from sitebuild.notebook_figures import LabFigure, replace_outputs

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
    figures: list[LabFigure] = field(default_factory=list)


@contextlib.contextmanager
def marked_math():
    """While rendering, nbconvert emits math as marked spans (still TeX) instead of $...$ text.

    The TeX stays escaped inside the span; ``lean_page`` turns it into MathML with the same
    converter as the Markdown pages. Code spans are never math (mistune parses them). The
    renderer's methods are put back afterwards.
    """
    from nbconvert.filters.markdown_mistune import IPythonRenderer

    names = ("block_math", "inline_math", "latex_environment")
    originals = {name: IPythonRenderer.__dict__.get(name) for name in names}

    def mark(body: str, display: bool) -> str:
        return f'<span class="nb-tex" data-display="{int(display)}">{html.escape(body, quote=False)}</span>'

    IPythonRenderer.block_math = lambda self, body: mark(body, True)
    IPythonRenderer.inline_math = lambda self, body: mark(body, False)
    IPythonRenderer.latex_environment = lambda self, name, body: mark(
        f"\\begin{{{name}}}{body}\\end{{{name}}}", True
    )
    try:
        yield
    finally:
        for name, original in originals.items():
            if original is None:
                delattr(IPythonRenderer, name)
            else:
                setattr(IPythonRenderer, name, original)


def _render_math(content: str, where: str) -> str:
    def replace(match: re.Match, wrap_block: bool) -> str:
        display = match[1] == "1"
        tex = html.unescape(match[2]).strip()
        try:
            mathml = tex_to_mathml(tex, display)
        except MathError as exc:
            raise NotebookError(f"{where}: {exc}") from exc
        return f'<div class="math-display">{mathml}</div>' if display and wrap_block else mathml

    content = BLOCK_MATH_PARAGRAPH.sub(lambda m: MATH_MARK.sub(lambda n: replace(n, True), m[1]), content)
    return MATH_MARK.sub(lambda m: replace(m, True), content)


def bundle(lab: Lab) -> bytes:
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


def lean_page(content: str, lab: Lab, relative_url, css_sources: dict[str, str], classes: set[str]) -> str:
    """mkdocs-jupyter's page HTML without its inline CSS and scripts, with MathML, figure
    files and the downloads box. ``relative_url(site_path)`` links from this page; the inline CSS
    goes into ``css_sources`` and the classes used into ``classes`` (for the site's one trimmed
    stylesheet)."""
    where = f"docs/{lab.src_uri}"
    head, sep, body = content.partition(WRAPPER)
    if not sep:
        raise NotebookError(f"{where}: mkdocs-jupyter output has no {WRAPPER}")
    # the head holds the inline stylesheets, the copy-button script, MathJax and mermaid
    for css in re.findall(r"<style[^>]*>(.*?)</style>", head, flags=re.S):
        if css.strip():
            css_sources.setdefault(css.strip(), css.strip())
    keep_scripts = [
        s for s in re.findall(r"<script>.*?</script>", head, flags=re.S) if "clipboard-copy" in s
    ]
    body = re.sub(r"<style[^>]*>.*?</style>", "", body, flags=re.S)  # a repr() of the CSS list
    body = _render_math(body, where)
    # Code cells scroll sideways; tabindex lets a keyboard user scroll them.
    body = re.sub(r"<pre(?![^>]*tabindex)", '<pre tabindex="0"', body)
    body = replace_outputs(body, lab.figures, relative_url, where)
    external = EXTERNAL.search(body)
    if external:
        snippet = body[max(0, external.start() - 60) : external.end() + 60]
        raise NotebookError(f"{where}: the rendered notebook loads something from another host: {snippet!r}")
    css_href = relative_url(CSS_URI)
    body = _add_downloads(sep + body, lab, relative_url)
    out = f'<link rel="stylesheet" href="{css_href}">\n' + "\n".join(keep_scripts) + "\n" + body
    classes.update(used_classes(out))
    return out


def _add_downloads(body: str, lab: Lab, relative_url) -> str:
    def href(name: str) -> str:
        return relative_url(f"{lab.dest_dir}/{name}")

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


# Fit the notebook into Material: its colours (light and dark), its code font.
OVERRIDES = """
/* deep-init: notebook pages follow the site's palette */
.jupyter-wrapper .highlight-ipynb pre,.jupyter-wrapper .jp-OutputArea-output pre{overflow-x:auto;white-space:pre}
.jupyter-wrapper{--jp-layout-color0:transparent;--jp-layout-color1:transparent;--jp-cell-editor-background:var(--md-code-bg-color);--jp-cell-editor-border-color:transparent;--jp-content-font-color0:var(--md-typeset-color);--jp-content-font-color1:var(--md-typeset-color);--jp-ui-font-color1:var(--md-typeset-color);--jp-code-font-family:var(--md-code-font-family);--jp-content-font-family:var(--md-text-font-family);--jp-mirror-editor-variable-color:var(--md-code-fg-color)}
"""
