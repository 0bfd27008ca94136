"""Formulas on a phone (390 px, light and dark), as Chromium lays them out.

Every page with math is opened once per colour scheme with every <details> opened, so
formulas in folded solutions are laid out too; the tests read what was measured.
The markup side (fences, accents, the display box's attributes) is in
tests/build/test_mathml_layout.py; benchmarks/browsers.py puts Firefox beside Chromium.
"""

from __future__ import annotations

import pytest
from browser_pages import math_count, url_path
from browser_view import PHONE, SOURCES, phone_probe

from sitebuild import mathml

pytestmark = pytest.mark.browser

MATH_SOURCES = [s for s in SOURCES if math_count(s)]
IDS = [url_path(s) or "(home)" for s in MATH_SOURCES]
SCHEMES = ("light", "dark")

MEASURE = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const size = el => parseFloat(getComputedStyle(el).fontSize);
  const accent = (parent, i) => (i === 1 && parent.getAttribute(parent.localName === 'mover' ? 'accent' : 'accentunder') === 'true')
    || (parent.localName === 'munderover' && ((i === 1 && parent.getAttribute('accentunder') === 'true')
                                              || (i === 2 && parent.getAttribute('accent') === 'true')));
  const scripts = [];
  for (const el of document.querySelectorAll('article :is(msub, msup, msubsup, munder, mover, munderover)')) {
    const kids = [...el.children];
    kids.slice(1).forEach((script, i) => {
      if (accent(el, i + 1)) return;
      // depth 1: no script or fraction above it inside this formula (its base is text size)
      const nested = el.parentElement.closest('msub, msup, msubsup, munder, mover, munderover, mfrac');
      scripts.push({tex: el.closest('math').querySelector('annotation').textContent.slice(0, 60),
                    script: script.textContent, base: size(kids[0]), size: size(script), first: !nested});
    });
  }
  const article = document.querySelector('article').getBoundingClientRect();
  const displays = [...document.querySelectorAll('article .math-display')].map(box => {
    const content = box.querySelector('math semantics > :first-child').getBoundingClientRect();
    const r = box.getBoundingClientRect(), style = getComputedStyle(box);
    return {tex: box.querySelector('annotation').textContent.slice(0, 60),
            fits: content.width <= box.clientWidth + 1 && content.left >= r.left - 1 && r.right <= article.right + 1,
            reachable: box.scrollWidth >= content.width - 1 && content.left >= r.left - 1,
            overflow: style.overflowX, tabindex: box.getAttribute('tabindex'), name: box.getAttribute('aria-label'),
            shadows: (style.backgroundImage.match(/radial-gradient/g) || []).length,
            covers: style.backgroundAttachment.split(',').filter(a => a.trim() === 'local').length,
            fg: style.color, bg: getComputedStyle(document.body).backgroundColor};
  });
  const inline = [...document.querySelectorAll('article p > math')].map(m => [size(m), size(m.parentElement)]);
  // W^{[L]}: where the letter's box ends and its superscript starts, in px and in base font sizes
  const gaps = [...document.querySelectorAll('article msup')].filter(s => {
    const letter = s.firstElementChild.localName === 'mi' ? s.firstElementChild : s.firstElementChild.firstElementChild;
    return letter && letter.localName === 'mi' && letter.textContent.length === 1;
  }).map(s => {
    const letter = s.firstElementChild.localName === 'mi' ? s.firstElementChild : s.firstElementChild.firstElementChild;
    return {letter: letter.textContent, em: (s.children[1].getBoundingClientRect().left - letter.getBoundingClientRect().right) / size(letter)};
  });
  return {scripts, displays, inline, gaps};
}"""


@phone_probe("math")
def _measure(page):
    """MEASURE opens every <details>; they are closed again after, as other probes expect."""
    folds = "() => [...document.querySelectorAll('details')].map(d => d.open)"
    was_open = page.evaluate(folds)
    measured = page.evaluate(MEASURE)
    page.evaluate("open => document.querySelectorAll('details').forEach((d, i) => { d.open = open[i]; })", was_open)
    assert page.evaluate(folds) == was_open
    return measured


@pytest.fixture(scope="module")
def measured(views):
    return {(url_path(s), scheme): views[url_path(s), scheme, PHONE]["probes"]["math"]
            for s in MATH_SOURCES for scheme in SCHEMES}


@pytest.mark.parametrize("source", MATH_SOURCES, ids=IDS)
def test_every_script_is_smaller_than_its_base(measured, source):
    # TeX sets a script at 7/10 of its base (cmr7 on cmr10). At depth 1 (base at text size)
    # 0.65-0.8 reads as a script and stays legible: Chromium's 0.6 from the font's MATH table
    # made 9.6 px superscripts at 16 px text, and Firefox's 8 pt floor left scripts of
    # scripts as large as their base. Deeper scripts: strictly smaller than their base.
    # Accents (\hat) are not scripts: TeX keeps them at the base's size.
    for script in measured[url_path(source), "light"]["scripts"]:
        ratio = script["size"] / script["base"]
        assert ratio < 0.95, f"script {script['script']!r} not smaller than its base in ${script['tex']}$: {script}"
        if script["first"]:
            assert 0.65 <= ratio <= 0.8, f"script {script['script']!r} at {ratio:.2f} of its base in ${script['tex']}$"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("source", MATH_SOURCES, ids=IDS)
def test_no_display_equation_is_clipped(measured, source, scheme):
    """It fits the article, or it scrolls in its own box: reachable, focusable, named, with edge shadows."""
    for box in measured[url_path(source), scheme]["displays"]:
        if box["fits"]:
            continue
        where = f"{scheme}: ${box['tex']}$"
        assert box["overflow"] in ("auto", "scroll") and box["reachable"], f"{where} is cut off: {box}"
        assert box["tabindex"] == "0" and box["name"], f"{where} scrolls but a keyboard cannot reach it: {box}"
        # two shadows fixed at the edges, two background-coloured covers scrolling with the content
        assert box["shadows"] == 2 and box["covers"] == 2, f"{where} scrolls with no visible sign of it: {box}"


def test_the_measurements_are_exercised(measured):
    """The checks above see real cases: scripts, superscripts on italic capitals, and display
    equations wider than a phone (the chain rule on gradients/, the He result on
    initialisation-variants/), so none of them passes by finding nothing."""
    light = [seen for (_, scheme), seen in measured.items() if scheme == "light"]
    assert sum(len(seen["scripts"]) for seen in light) > 100
    assert any(g["letter"] == "W" for seen in light for g in seen["gaps"])
    assert any(not d["fits"] for seen in light for d in seen["displays"]), "no display equation overflows at 390 px"


@pytest.mark.parametrize("source", MATH_SOURCES, ids=IDS)
def test_inline_math_is_the_size_of_the_text_around_it(measured, source):
    # computed sizes, within 2 %: the same font-size up to rounding of em-based sizes
    for math_px, text_px in measured[url_path(source), "light"]["inline"]:
        assert math_px == pytest.approx(text_px, rel=0.02)


@pytest.mark.parametrize("source", MATH_SOURCES, ids=IDS)
def test_superscript_clears_an_italic_letter(measured, source):
    # The superscript starts at least half the font's italic correction after the letter's
    # box (TeX adds all of it); without, the "[" of W^{[L]} touched the W's top-right.
    corrections = mathml.italic_corrections()
    for gap in measured[url_path(source), "light"]["gaps"]:
        needed = corrections.get(gap["letter"], 0)
        assert gap["em"] >= needed / 2 - 0.01, f"{gap['letter']}: superscript {gap['em']:.3f} em after it, needs {needed:.3f}"
