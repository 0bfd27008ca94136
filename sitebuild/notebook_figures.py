"""Lab figures as files, like the snippet figures: a light and a dark SVG, lazy, with alt text.

The kernel that executes a lab draws its figures as SVG in the site's figure theme
(sitebuild/figures.py THEME), each as drawn and in the phone layout, as snippet figures are
(figures.both_renditions; the page's <picture> shows #phone on small screens). It is told
so by an IPython profile written here and passed through IPYTHONDIR: after the executor's own setup lines it runs THEME_SCRIPT
(IPKernelApp.exec_files run after exec_lines). The executed copies live in a cache
folder keyed by that profile and the drawing code (DRAWN_BY), so changing either
re-executes the labs.

Each figure output becomes `figures/labs/<notebook>/<cell id>[-N]-{light,dark}.svg`;
the dark file swaps the theme's text, edge and grid colours (figures.LIGHT_TO_DARK),
as for snippet figures. Its alt text is the cell's metadata "alt" (a list when the
cell draws several figures), written by the lab's author: the build refuses a figure
without one, and a bitmap figure (the kernel did not get the profile).
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

from sitebuild import figures, phone
from sitebuild.figures import THEME, WIDE_VIEW, dark_variant
from sitebuild.notebook_exec import NotebookError
from sitebuild.phone import PHONE_MEDIA, PHONE_VIEW, view_size_px

_RC = {k: v for k, v in THEME.items() if k != "axes.prop_cycle"}
_CYCLE = [style["color"] for style in THEME["axes.prop_cycle"]]
THEME_SCRIPT = f"""\
# Written by sitebuild/notebook_figures.py: the site's figure theme, figures as SVG only.
import matplotlib
from matplotlib_inline.config import InlineBackend

matplotlib.rcParams.update({_RC!r})
matplotlib.rcParams["axes.prop_cycle"] = matplotlib.cycler(color={_CYCLE!r})
InlineBackend.instance().figure_formats = {{"svg"}}


def _site_svg_formatter(_):
    # The inline backend installs its own SVG formatter when pyplot is first imported (inside
    # a cell), so ours is put back before every cell: each figure as drawn and in the phone layout.
    from matplotlib.figure import Figure
    from sitebuild.figures import both_renditions

    get_ipython().display_formatter.formatters["image/svg+xml"].for_type(Figure, both_renditions)


get_ipython().events.register("pre_run_cell", _site_svg_formatter)
del matplotlib, InlineBackend
"""
PROFILE_CONFIG = """\
c.HistoryManager.enabled = False
c.IPKernelApp.exec_files = [{script!r}]
"""
# The code the kernel draws the figures with: a change to it re-executes the labs.
DRAWN_BY = (Path(figures.__file__), Path(phone.__file__))
BITMAPS = ("image/png", "image/jpeg", "image/gif", "image/webp")
RENDERED_SVG = re.compile(r'<div class="jp-RenderedSVG[^"]*"[^>]*>.*?</div>', re.S)
CELL_START = re.compile(r'(?=<div class="jp-Cell [^"]*" id="cell-id=)')
CELL_ID = re.compile(r'<div class="jp-Cell [^"]*" id="cell-id=([^"]+)"')


class Kernel:
    """The profile directory and the executed-notebook cache folder for this theme."""

    def __init__(self, notebooks_cache: Path):
        drawing = b"".join(path.read_bytes() for path in DRAWN_BY)
        key = hashlib.sha256(THEME_SCRIPT.encode() + PROFILE_CONFIG.encode() + drawing).hexdigest()[:16]
        self.cache_dir = notebooks_cache / f"kernel-{key}"
        self.ipython_dir = self.cache_dir / "ipython"
        script = self.ipython_dir / "site_theme.py"
        config = self.ipython_dir / "profile_default" / "ipython_kernel_config.py"
        config.parent.mkdir(parents=True, exist_ok=True)
        script.write_text(THEME_SCRIPT, encoding="utf-8")
        config.write_text(PROFILE_CONFIG.format(script=str(script)), encoding="utf-8")
        if notebooks_cache.is_dir():  # executions under an older theme (or none)
            for old in notebooks_cache.iterdir():
                if old != self.cache_dir and old.is_dir():
                    shutil.rmtree(old, ignore_errors=True)
        self.env = {"IPYTHONDIR": str(self.ipython_dir)}

    @contextlib.contextmanager
    def environment(self):
        """os.environ with this profile, for executions in this process."""
        saved = os.environ.get("IPYTHONDIR")
        os.environ.update(self.env)
        try:
            yield
        finally:
            if saved is None:
                os.environ.pop("IPYTHONDIR", None)
            else:
                os.environ["IPYTHONDIR"] = saved


@dataclass
class LabFigure:
    cell_id: str
    alt: str
    light: str
    dark: str
    width: int  # CSS px
    height: int
    phone_width: int  # the phone rendition's
    phone_height: int
    uri: str  # site path of the light file; the dark one ends in -dark.svg

    @property
    def dark_uri(self) -> str:
        return self.uri.removesuffix("-light.svg") + "-dark.svg"


def collect(nb: nbformat.NotebookNode, stem: str, where: str) -> list[LabFigure]:
    """Every figure the executed notebook drew, in order, with its files' contents."""
    figures = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        at = f"{where}: cell {index} (id {cell.id!r})"
        svgs = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            bitmap = [kind for kind in BITMAPS if kind in data]
            if bitmap:
                raise NotebookError(
                    f"{at} shows a {bitmap[0]} image; lab figures must be SVG (the kernel draws "
                    "matplotlib figures as SVG with sitebuild/notebook_figures.py's profile)")
            if "image/svg+xml" in data:
                svgs.append(data["image/svg+xml"])
        if not svgs:
            continue
        alts = _alt_texts(cell, len(svgs), at)
        for n, (svg, alt) in enumerate(zip(svgs, alts), start=1):
            name = cell.id if n == 1 else f"{cell.id}-{n}"
            figures.append(_figure(svg, alt, f"figures/labs/{stem}/{name}-light.svg", cell.id, at))
    return figures


def _alt_texts(cell, count: int, at: str) -> list[str]:
    alt = cell.metadata.get("alt")
    alts = [alt] if isinstance(alt, str) else list(alt or [])
    if len(alts) != count or not all(isinstance(a, str) and a.strip() for a in alts):
        lacks = ('a figure but its metadata has no "alt"' if count == 1 else
                 f'{count} figures but its metadata "alt" is not a list of {count} texts, one per figure')
        raise NotebookError(f"{at} draws {lacks} (what the figure shows, for someone who cannot see it)")
    return [a.strip() for a in alts]


def _figure(svg: str, alt: str, uri: str, cell_id: str, at: str) -> LabFigure:
    size, phone_size = view_size_px(svg, WIDE_VIEW), view_size_px(svg)
    if size is None or phone_size is None:
        raise NotebookError(f"{at}: its SVG figure lacks the views #{WIDE_VIEW} and #{PHONE_VIEW} "
                            "(the kernel did not draw it with sitebuild/notebook_figures.py's profile)")
    return LabFigure(cell_id, alt, svg, dark_variant(svg), *size, *phone_size, uri)


def replace_outputs(body: str, figures: list[LabFigure], relative_url, where: str) -> str:
    """Each cell's rendered SVG outputs, in order, become its figures' light and dark <img>."""
    by_cell: dict[str, list[LabFigure]] = {}
    for figure in figures:
        by_cell.setdefault(figure.cell_id, []).append(figure)
    out = []
    for chunk in CELL_START.split(body):
        m = CELL_ID.match(chunk)
        todo = list(by_cell.pop(m[1], [])) if m else []
        rendered = len(RENDERED_SVG.findall(chunk))
        if rendered != len(todo):
            raise NotebookError(f"{where}: cell {m[1] if m else '?'!r} shows {rendered} SVG outputs, "
                                f"the executed notebook has {len(todo)}")
        images = iter(_markup(figure, relative_url) for figure in todo)
        out.append(RENDERED_SVG.sub(lambda _, images=images: next(images), chunk))
    if by_cell:
        raise NotebookError(f"{where}: figures of cells {sorted(by_cell)} are not on the rendered page")
    page = "".join(out)
    if re.search(r"""\bsrc\s*=\s*["']?data:""", page):
        raise NotebookError(f"{where}: the rendered page still inlines an image as a data: URI")
    return page


def _markup(figure: LabFigure, relative_url) -> str:
    alt = html.escape(figure.alt)
    images = "".join(
        f'<picture><source media="{PHONE_MEDIA}" srcset="{relative_url(uri)}#{PHONE_VIEW}" '
        f'width="{figure.phone_width}" height="{figure.phone_height}">'
        f'<img src="{relative_url(uri)}#only-{variant}" alt="{alt}" width="{figure.width}" '
        f'height="{figure.height}" loading="lazy" decoding="async"></picture>'
        for variant, uri in (("light", figure.uri), ("dark", figure.dark_uri))
    )
    return f'<figure class="snippet-figure lab-figure">{images}</figure>'
