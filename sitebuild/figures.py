"""Render a snippet's matplotlib figure as a deterministic light and dark SVG.

The figure is drawn once with the light palette below; the dark variant swaps
those exact colours in the SVG text. Data colours come from CYCLE, chosen to
read on both backgrounds, and are left alone.

Each SVG holds two renditions of the figure: the snippet's own layout, shown by
default, and a phone layout (panels in one column, PHONE_WIDTH_IN wide), placed
below it and shown through the SVG view ``#phone`` (``figure.svg#phone``).
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
import textwrap

import matplotlib
import numpy as np

if "matplotlib.pyplot" not in sys.modules:  # the build draws off-screen; a lab's kernel keeps its own
    matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.legend import Legend  # noqa: E402
from matplotlib.mathtext import MathTextParser  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from sitebuild.phone import PHONE_VIEW  # noqa: E402

LIGHT_TO_DARK = {
    "#1f2328": "#e6edf3",  # text, titles, tick labels
    "#59636e": "#9198a1",  # spines and tick marks
    "#d1d9e0": "#3d444d",  # grid lines, legend frame
}
TEXT, EDGE, GRID = LIGHT_TO_DARK
# Same roles as matplotlib's tab10 (C7 is the neutral grey), tuned to read on white and on #1e2129.
CYCLE = [
    "#4c78e0", "#e8842f", "#2e9e5b", "#d9534f", "#9467d0",
    "#a0714f", "#d064a8", "#8a939c", "#a8a83a", "#2ea8c0",
]

THEME = {
    "figure.figsize": (6.4, 3.6),
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.transparent": True,
    "axes.edgecolor": EDGE,
    "axes.labelcolor": TEXT,
    "axes.titlecolor": TEXT,
    "axes.grid": True,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=CYCLE),
    "text.color": TEXT,
    "xtick.color": EDGE,
    "ytick.color": EDGE,
    "xtick.labelcolor": TEXT,
    "ytick.labelcolor": TEXT,
    "legend.frameon": True,
    "legend.edgecolor": GRID,
    "legend.facecolor": "none",
    "legend.framealpha": None,
    "lines.linewidth": 1.8,
    "font.size": 11,
    "font.family": "sans-serif",
    "font.sans-serif": ["Roboto", "Helvetica", "Arial", "DejaVu Sans"],
    "svg.fonttype": "none",
    "svg.hashsalt": "deep-init",
    "svg.id": None,
    "path.simplify": True,
}
SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}

# The phone rendition. At a 390-px viewport Material's text column is 358 px wide and its
# small print (admonitions, tables: 0.64rem) is 12.8 px. Text of font.size (11 units) in a
# rendition 4.1 in (295 units) wide is drawn at 11 * 358 / 295 = 13.3 px there; mathtext's
# scripts, at 0.7 of their text like the page's own MathML scripts, at 9.3 px.
PHONE_WIDTH_IN = 4.1
PHONE_PANEL_IN = 2.7  # height of one panel once the panels are stacked, to start with
PHONE_PLOT_MIN_IN = 1.8  # ... grown until every plot area (inside the axes) is this high
WIDE_VIEW = "only-light"  # in the dark SVG "only-dark": Material hides img[src$="#only-dark"] in light mode
PHONE_GAP = 24  # units between the two renditions, so neither shows at the other's edge


class FigureError(Exception):
    pass


def figure_theme():
    """A context manager applying the site's light figure theme."""
    return matplotlib.rc_context(THEME)


def check_finite(fig: Figure) -> None:
    """Refuse a figure whose plotted data (lines, markers, bars, images) holds NaN or inf."""
    for ax in fig.axes:
        where = f"in axes {ax.get_title() or ax.get_ylabel()!r}"
        for line in ax.get_lines():
            if not (_finite(line.get_xdata()) and _finite(line.get_ydata())):
                raise FigureError(
                    f"line {line.get_label()!r} {where} plots NaN or inf; "
                    "mask it explicitly or plot only finite points"
                )
        for collection in ax.collections:
            # scatter() and imshow() mask NaN themselves: look beneath their masks.
            if not _finite(np.ma.getdata(collection.get_offsets())):
                raise FigureError(
                    f"markers {collection.get_label()!r} {where} sit at NaN or inf; "
                    "plot only the finite points"
                )
        for patch in ax.patches:
            with np.errstate(all="ignore"):  # an inf edge makes the transform warn
                corners = patch.get_patch_transform().transform(patch.get_path().vertices)
            if not _finite(corners):
                raise FigureError(f"{type(patch).__name__} {patch.get_label()!r} {where} has a NaN or inf edge")
        for image in ax.images:
            if not _finite(np.ma.getdata(image.get_array())):
                raise FigureError(f"image {where} holds NaN or inf pixels")


def _finite(data) -> bool:
    """Whether every unmasked entry is a finite number (masked entries are deliberate gaps)."""
    return bool(np.isfinite(np.ma.asarray(data, dtype=float).compressed()).all())


def render_svgs(fig: Figure) -> tuple[str, str, tuple[float, float]]:
    """(light SVG, dark SVG, (width px, height px) of the default rendition) for ``fig``,
    each SVG with its phone rendition behind the view ``#phone``; closes it."""
    if not isinstance(fig, Figure):
        raise FigureError(f"`fig` is a {type(fig).__name__}, not a matplotlib Figure")
    if not fig.axes:
        raise FigureError("`fig` has no axes")
    for ax in fig.axes:
        if not (ax.get_xlabel() and ax.get_ylabel()) and ax.get_visible() and ax.axison:
            raise FigureError(f"axes {ax.get_title()!r} needs both an x and a y label")
    check_finite(fig)
    try:
        with figure_theme():
            wide, phone = _renditions(fig)
    finally:
        plt.close(fig)
    light = stack(wide, phone)
    return light, dark_variant(light), _svg_size_px(wide)


def both_renditions(fig: Figure) -> str:
    """The light SVG of ``fig`` as drawn (behind #only-light) and in the phone layout (behind
    #phone), for figures drawn elsewhere (the labs' kernel); render_svgs also checks the figure."""
    return stack(*_renditions(fig))


def _renditions(fig: Figure) -> tuple[str, str]:
    """(SVG as drawn, SVG in the phone layout); a FigureError if the phone layout comes out wider
    than PHONE_WIDTH_IN, since its text would then shrink on a phone."""
    with _math_laid_out_once():
        wide = _svg(fig)
        phone_layout(fig)
        phone = _svg(fig)
    phone_width = _svg_size_px(phone)[0] * 72 / 96
    if phone_width > PHONE_WIDTH_IN * 72 + 1:
        raise FigureError(
            f"its phone rendition is {phone_width / 72:.2f} in wide, more than {PHONE_WIDTH_IN} in, so "
            f"its text would shrink on a phone; past the figure's edge: {', '.join(_outside(fig)) or '?'}"
        )
    return wide, phone


@contextlib.contextmanager
def _math_laid_out_once():
    """While one figure is drawn again and again (two renditions, their layout passes), lay out
    each mathtext string once. matplotlib caches a layout per parser, but every savefig makes new
    renderers with new parsers, so each pass parsed the log axes' tick labels ($10^{k}$) again
    (a seventh of the site's drawing time). The cache lives for one figure; matplotlib's own
    method is put back."""
    own = MathTextParser._parse_cached
    layouts = {}

    def parse_once(parser, text, dpi, prop, antialiased, load_glyph_flags):
        key = (parser._output_type, text, dpi, prop, antialiased, load_glyph_flags)
        if key not in layouts:
            layouts[key] = own.__wrapped__(parser, text, dpi, prop, antialiased, load_glyph_flags)
        return layouts[key]

    MathTextParser._parse_cached = parse_once
    try:
        yield
    finally:
        MathTextParser._parse_cached = own


def dark_variant(light: str) -> str:
    """The dark file of a light SVG: its own view name and the theme's colours swapped."""
    dark = light.replace(f'<view id="{WIDE_VIEW}"', '<view id="only-dark"', 1)
    for light_colour, dark_colour in LIGHT_TO_DARK.items():
        dark = dark.replace(light_colour, dark_colour)
    return dark


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata=SVG_METADATA, bbox_inches="tight")
    return buffer.getvalue()


def phone_layout(fig: Figure) -> None:
    """Lay ``fig`` out again for a phone: its panels in one column, in reading order, each
    PHONE_PANEL_IN high and PHONE_WIDTH_IN wide; legends in fewer columns and long titles and
    labels on more lines where they would not fit."""
    panels = sorted((ax for ax in fig.axes if ax.get_subplotspec() is not None),
                    key=lambda ax: (ax.get_subplotspec().rowspan.start, ax.get_subplotspec().colspan.start))
    fig.set_layout_engine("none")  # laid out below with tight_layout, whatever the figure used
    fig.set_size_inches(PHONE_WIDTH_IN, PHONE_PANEL_IN * len(panels))
    if any(ax.get_subplotspec().get_gridspec().ncols > 1 for ax in panels):
        grid = fig.add_gridspec(len(panels), 1)
        for i, ax in enumerate(panels):
            ax.set_subplotspec(grid[i])
            ax.tick_params(labelbottom=True, labelleft=True)  # shared axes hid them beside a neighbour
    renderer = fig.canvas.get_renderer()
    for legend in list(fig.legends):
        _fit_legend(legend, fig.bbox.width * 0.96, renderer)
    below = sum(legend.get_window_extent(renderer).height for legend in fig.legends) / fig.dpi
    below += 0.1 if below else 0
    for legend in fig.legends:
        legend.set_loc("lower center")
        legend.set_bbox_to_anchor((0, 0, 1, 1), transform=fig.transFigure)
    height, moved = PHONE_PANEL_IN * len(panels) + below, []
    for _ in range(3):  # wrap to the axes' size, then grow the figure until every plot is tall enough
        fig.set_size_inches(PHONE_WIDTH_IN, height)
        fig.tight_layout(rect=(0, below / height, 1, 1))
        for ax in panels:
            if ax.get_legend():
                _fit_legend(ax.get_legend(), ax.bbox.width, renderer)
            _wrap(ax.title, ax.bbox.width, renderer)
            _wrap(ax.xaxis.label, ax.bbox.width, renderer)
            _wrap(ax.yaxis.label, ax.bbox.height, renderer)
            if ax.get_legend() and ax.get_legend().get_window_extent(renderer).width > ax.bbox.width:
                moved.append(ax.get_legend())
                _legend_below(ax, renderer)
        fig.tight_layout(rect=(0, below / height, 1, 1))
        for ax in panels:
            if ax.get_legend() in moved:
                _legend_below(ax, renderer)
        short = max(PHONE_PLOT_MIN_IN - ax.bbox.height / fig.dpi for ax in panels)
        if short <= 0.01:
            break
        height += short * len(panels)


def _outside(fig: Figure) -> list[str]:
    """What reaches past the left or right edge of ``fig`` (texts and legends), described."""
    renderer = fig.canvas.get_renderer()
    found = []
    for artist in fig.findobj(lambda a: isinstance(a, (Text, Legend)) and a.get_visible()):
        box = artist.get_window_extent(renderer)
        if box.width and (box.x0 < -1 or box.x1 > fig.bbox.width + 1):
            what = artist.get_text() if isinstance(artist, Text) else "legend"
            if what and repr(what) not in found:
                found.append(repr(what) if isinstance(artist, Text) else "a legend")
    return found


def _fit_legend(legend, width: float, renderer):
    """The legend again, in fewer columns, until it is at most ``width`` pixels wide."""
    while legend._ncols > 1 and legend.get_window_extent(renderer).width > width:
        parent, ncols = legend.parent, legend._ncols - 1
        options = dict(loc=legend._loc, ncols=ncols, title=legend.get_title().get_text() or None,
                       framealpha=legend.get_frame().get_alpha())
        handles, labels = legend.legend_handles, [text.get_text() for text in legend.texts]
        legend.remove()
        legend = parent.legend(handles, labels, **options)
    return legend


def _legend_below(ax, renderer) -> None:
    """Move a legend too wide for its axes below them, under the x label, centred on the figure."""
    legend, box = ax.get_legend(), ax.bbox
    legend.set_visible(False)
    bottom = ax.get_tightbbox(renderer).y0
    legend.set_visible(True)
    legend.set_loc("upper center")
    centre = (ax.figure.bbox.width / 2 - box.x0) / box.width
    legend.set_bbox_to_anchor((centre, (bottom - box.y0) / box.height - 0.02), transform=ax.transAxes)


def _wrap(text, length: float, renderer) -> None:
    """Break ``text`` onto as few lines as fit in ``length`` pixels (in its own direction),
    at spaces outside $...$; left as it is if no break fits."""

    def extent() -> float:
        box = text.get_window_extent(renderer)
        return box.height if text.get_rotation() % 180 else box.width

    original = text.get_text()
    if not original or extent() <= length:
        return
    words = re.findall(r"(?:\$[^$]*\$|\S)+", original.replace("\n", " "))
    for width in range(len(original), 0, -1):
        text.set_text("\n".join(textwrap.wrap(" ".join(words), width, break_long_words=False,
                                              break_on_hyphens=False)))
        if extent() <= length:
            return
    text.set_text(original)


def stack(wide: str, phone: str) -> str:
    """One SVG holding ``wide`` and, below it, ``phone``, each behind a view of its own.

    The root element has no size and no viewBox, so the SVG has no natural aspect ratio and
    an <img> takes its shape from its width and height attributes (a <source>'s, for the
    phone); the fragment of the URL picks what fills it: ``#only-light`` (the fragment
    Material's CSS hides in dark mode; ``#only-dark`` in the dark file) or ``#phone``.
    """
    head, root, wide_body = _split(wide)
    _, _, phone_body = _split(phone)
    (w, h), (pw, ph) = (_viewbox(wide), _viewbox(phone))
    root = re.sub(r' (width|height|viewBox)="[^"]*"', "", root)
    phone_body = re.sub(r'(id="|url\(#|href="#)', r"\1phone-", phone_body)
    y = h + PHONE_GAP
    return (
        f"{head}{root}\n"
        f' <view id="{WIDE_VIEW}" viewBox="0 0 {w} {h}"/>\n'
        f' <view id="{PHONE_VIEW}" viewBox="0 {y} {pw} {ph}"/>\n'
        f' <svg width="{w}" height="{h}" viewBox="0 0 {w} {h}">{wide_body}</svg>\n'
        f' <svg y="{y}" width="{pw}" height="{ph}" viewBox="0 0 {pw} {ph}">{phone_body}</svg>\n'
        "</svg>\n"
    )


def _split(svg: str) -> tuple[str, str, str]:
    """(what precedes the root element, its start tag, its content)."""
    start = svg.index("<svg ")
    end = svg.index(">", start) + 1
    return svg[:start], svg[start:end], svg[end : svg.rindex("</svg>")]


def _viewbox(svg: str) -> tuple[float, float]:
    match = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    return float(match[1]), float(match[2])


def _svg_size_px(svg: str) -> tuple[float, float]:
    def attribute(name: str) -> float:
        start = svg.index(f'{name}="') + len(name) + 2
        value = svg[start : svg.index('"', start)]
        return float(value.removesuffix("pt")) * 96 / 72

    return attribute("width"), attribute("height")
