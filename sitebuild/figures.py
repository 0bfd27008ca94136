"""Render a snippet's matplotlib figure as a deterministic light and dark SVG.

The figure is drawn once with the light palette below; the dark variant swaps
those exact colours in the SVG text. Data colours come from CYCLE, chosen to
read on both backgrounds, and are left alone.
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

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
    """(light SVG, dark SVG, (width px, height px)) for ``fig``; closes it."""
    if not isinstance(fig, Figure):
        raise FigureError(f"`fig` is a {type(fig).__name__}, not a matplotlib Figure")
    if not fig.axes:
        raise FigureError("`fig` has no axes")
    for ax in fig.axes:
        if not (ax.get_xlabel() and ax.get_ylabel()) and ax.get_visible() and ax.axison:
            raise FigureError(f"axes {ax.get_title()!r} needs both an x and a y label")
    check_finite(fig)
    buffer = io.StringIO()
    with figure_theme():
        fig.savefig(buffer, format="svg", metadata=SVG_METADATA, bbox_inches="tight")
    plt.close(fig)
    light = buffer.getvalue()
    dark = light
    for light_colour, dark_colour in LIGHT_TO_DARK.items():
        dark = dark.replace(light_colour, dark_colour)
    return light, dark, _svg_size_px(light)


def _svg_size_px(svg: str) -> tuple[float, float]:
    def attribute(name: str) -> float:
        start = svg.index(f'{name}="') + len(name) + 2
        value = svg[start : svg.index('"', start)]
        return float(value.removesuffix("pt")) * 96 / 72

    return attribute("width"), attribute("height")
