"""The MathML the build emits sets formulas as TeX would, the same in Chromium and Firefox.

What can be read off the markup without a browser: spacing classes, accents, the italic
correction before a superscript, and the display box a phone reader scrolls
(tests/browser/test_math.py checks the same things as rendered).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from sitebuild import mathml

NS = "{http://www.w3.org/1998/Math/MathML}"


def tree(tex: str, display: bool = False) -> ET.Element:
    return ET.fromstring(mathml.tex_to_mathml(tex, display))


def tokens(tex: str, text: str) -> list[ET.Element]:
    return [e for e in tree(tex).iter() if e.text == text and e.tag in (NS + "mi", NS + "mo")]


@pytest.mark.parametrize("tex", [r"\| a^{[L]} - Y \|^2", r"\left\| \frac{a}{b} \right\|", r"\big|x\big|", r"|x|"])
def test_norm_and_absolute_bars_are_fences_with_no_operator_space(tex):
    # Firefox gave an infix ‖ an operator's space on both sides ("‖ a − Y ‖"); TeX gives none.
    bars = tokens(tex, "‖") + tokens(tex, "|")
    assert len(bars) == 2
    for bar in bars:
        assert bar.tag == NS + "mo"
        assert (bar.get("fence"), bar.get("lspace"), bar.get("rspace")) == ("true", "0", "0")


@pytest.mark.parametrize(("tex", "symbol", "tag"), [
    (r"\frac{\partial \mathcal{L}}{\partial a}", "∂", "mi"),  # ordinary symbol, as in TeX: no space after ∂
    (r"{W}^{\top}", "⊤", "mi"),
    (r"a \quad\Longrightarrow\quad b", "⟹", "mo"),  # a relation: latex2mathml made it an <mi>
    (r"U(\pm 1)", "±", "mo"),
])
def test_symbols_get_their_tex_class(tex, symbol, tag):
    found = tokens(tex, symbol)
    assert found and all(e.tag == NS + tag for e in found), mathml.tex_to_mathml(tex, False)


def test_slash_has_no_operator_space():
    # TeX sets ∂L/∂a tight (/ is an ordinary symbol); both engines spaced it as an operator
    (slash,) = tokens(r"\partial \mathcal{L} / \partial a", "/")
    assert (slash.get("lspace"), slash.get("rspace")) == ("0", "0") and slash.get("fence") is None


def test_hat_is_the_accent_glyph_on_the_bare_letter():
    (over,) = tree(r"\hat{y}").iter(NS + "mover")
    base, accent = over
    assert over.get("accent") == "true"
    assert base.tag == NS + "mi" and base.text == "y"  # not wrapped in <mrow>: the glyph's own accent point
    assert accent.text == "\u02c6" and accent.get("stretchy") == "false"  # ˆ, not the ASCII caret


def _font_italic_correction(codepoint: int) -> float:
    """Read straight from the vendored font, independently of mathml.italic_corrections."""
    from fontTools.ttLib import TTFont

    with TTFont(mathml.MATH_FONT) as font:
        info = font["MATH"].table.MathGlyphInfo.MathItalicsCorrectionInfo
        glyph = font.getBestCmap()[codepoint]
        value = info.ItalicsCorrection[info.Coverage.glyphs.index(glyph)].Value
        return value / font["head"].unitsPerEm


def test_superscript_on_an_italic_letter_starts_after_its_italic_correction():
    # Chromium ignores the MATH table's italic correction, and the "[" of W^{[L]} touched the W.
    for tex in (r"W^{[L]}", r"{W}^{\top}"):  # a braced letter too (saturating-activations writes {W}^{\top})
        (sup,) = tree(tex).iter(NS + "msup")
        base = sup[0]
        assert base.tag == NS + "mrow" and [c.tag for c in base] == [NS + "mi", NS + "mspace"], tex
        assert base[1].get("class") == "italic-correction"  # site.css hides it from Firefox, which adds its own
        width = float(base[1].get("width").removesuffix("em"))
        assert width == pytest.approx(_font_italic_correction(0x1D44A), abs=5e-4)  # U+1D44A: math-italic W
    # none where TeX adds none: a subscript tucks under the overhang; upright names, numbers
    for tex in (r"x_i", r"a^{[l]}_{i}", r"2^{L}", r"\log^2 x", r"\mathrm{Var}^2"):
        scripted = next(e for e in tree(tex).iter() if e.tag in (NS + "msub", NS + "msup", NS + "msubsup"))
        assert not list(scripted.iter(NS + "mspace")), tex


def test_display_equation_is_a_focusable_named_scroll_box_and_inline_math_is_not_wrapped():
    html = mathml.render_math(
        '<p><span class="arithmatex">\\(a\\)</span></p><div class="arithmatex">\\[b = c\\]</div>', "docs/p.md")
    (box,) = re.findall(r"<div [^>]*>", html)
    assert 'class="math-display"' in box and 'tabindex="0"' in box
    assert 'role="group"' in box and 'aria-label="Equation"' in box
    assert html.startswith("<p><math") and html.count("<div") == 1
