"""Figure text on a phone: at 390 px no SVG figure's text is smaller than the page's small print.

The size a reader sees is the font size in the SVG times the scale the browser draws the SVG
at: the <img>'s rendered width over the width of the view it shows (its viewBox, or the view
the URL's fragment names, e.g. ``figure-light.svg#phone``). The test reads which rendition
the browser picked (``img.currentSrc``) and the SVG that URL serves.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from browser_pages import page_ids, url_path
from browser_view import PHONE, SOURCES, phone_probe

pytestmark = pytest.mark.browser

SVG = "{http://www.w3.org/2000/svg}"
# mathtext draws exponents and indices at 0.7 of their text's size (matplotlib's
# SHRINK_FACTOR), as MathML draws scripts at about 0.71 of their base: scripts are held to
# 0.7 of the small print, the size the page's own scripts have in its small print.
SCRIPT_RATIO = 0.7

# Material's small print (admonitions, tables: .md-typeset .admonition is 0.64rem), measured
# on the page itself: 12.8 px at 390 px.
SMALL_PRINT = """() => {
  const probe = document.createElement('div');
  probe.className = 'admonition';
  document.querySelector('.md-typeset').append(probe);
  const px = parseFloat(getComputedStyle(probe).fontSize);
  probe.remove();
  return px;
}"""

SHOWN_SVG_IMAGES = """async () => {
  const imgs = [...document.querySelectorAll('article img')];
  imgs.forEach(i => { i.loading = 'eager'; });
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(done => {
    i.addEventListener('load', done); i.addEventListener('error', done); setTimeout(done, 5000);
  })));
  const shown = imgs.filter(i => getComputedStyle(i).display !== 'none'
                                 && new URL(i.currentSrc).pathname.endsWith('.svg'));
  return Promise.all(shown.map(async i => ({
    src: i.currentSrc, width: i.getBoundingClientRect().width,
    svg: await (await fetch(i.currentSrc)).text()})));
}"""


def _numbers(text: str) -> list[float]:
    return [float(v) for v in re.split(r"[\s,]+", text.strip())]


def _font_px(element) -> float | None:
    match = re.search(r"font-size:\s*([\d.]+)px", element.get("style", ""))
    if match:
        return float(match[1])
    return float(element.get("font-size").removesuffix("px")) if element.get("font-size") else None


def text_sizes(svg: str, fragment: str) -> tuple[float, list[tuple[str, float, bool]]]:
    """(width of the view shown, [(text, font size in view units, is a script)]) for the part
    of ``svg`` that the view named by ``fragment`` (or the root's viewBox) shows."""
    root = ET.fromstring(svg.encode())
    views = {v.get("id"): _numbers(v.get("viewBox")) for v in root.iter(f"{SVG}view")}
    if fragment in views:
        vx, vy, vw, vh = views[fragment]
    else:
        vx, vy, vw, vh = _numbers(root.get("viewBox"))
    parts = []  # (element, scale from its units to the view's)
    for child in root:
        if child.tag != f"{SVG}svg":
            continue
        x, y = float(child.get("x", 0)), float(child.get("y", 0))
        w = float(child.get("width"))
        if vx <= x < vx + vw and vy <= y < vy + vh:
            parts.append((child, w / _numbers(child.get("viewBox"))[2]))
    if not parts:  # a plain SVG: everything in it
        parts = [(root, 1.0)]
    sizes = []
    for part, scale in parts:
        for text in part.iter(f"{SVG}text"):
            transform = text.get("transform", "")
            assert not re.search(r"scale|matrix", transform), f"a scaled text: {transform}"
            own = _font_px(text)
            spans = [(s, _font_px(s) or own) for s in text.iter(f"{SVG}tspan")]
            base = max([px for _, px in spans if px] + ([own] if own else []))
            for span, px in spans or [(text, own)]:
                content = "".join(span.itertext()).strip()
                if content:
                    sizes.append((content, px * scale, px < base - 1e-9))
    return vw, sizes


@phone_probe("figures")
def _figures(page):
    return {"small": page.evaluate(SMALL_PRINT), "figures": page.evaluate(SHOWN_SVG_IMAGES)}


@pytest.mark.parametrize("source", SOURCES, ids=page_ids())
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_figure_text_is_at_least_small_print_at_390px(views, source, scheme):
    seen = views[url_path(source), scheme, PHONE]["probes"]["figures"]
    small, figures = seen["small"], seen["figures"]
    assert small >= 12, f"small print measured at {small} px: not Material's 0.64rem"
    too_small = []
    for figure in figures:
        view_width, sizes = text_sizes(figure["svg"], urlsplit(figure["src"]).fragment)
        assert sizes, f"{figure['src']}: no text found in the part shown"
        for text, size, script in sizes:
            px = size * figure["width"] / view_width
            if px < (SCRIPT_RATIO * small if script else small) - 0.05:
                too_small.append(f"{figure['src'].rsplit('/', 1)[-1]}: {text!r} at {px:.1f} px")
    assert not too_small, f"below {small} px (scripts {SCRIPT_RATIO * small:.1f} px): {too_small[:8]}"
