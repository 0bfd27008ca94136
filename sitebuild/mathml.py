"""Turn the TeX that pymdownx.arithmatex marks into MathML at build time.

Readers' browsers render MathML natively, so pages load no math JavaScript
and no math from any other host. The TeX is kept as an annotation for copying
and for screen readers that prefer it. The vendored math font is cut down to the
characters the formulas use (``math_font``), cached.
"""

from __future__ import annotations

import functools
import html
import io
import re
import xml.etree.ElementTree as ET

from latex2mathml.converter import convert

from sitebuild import cache
from sitebuild.config import PROJECT_DIR

MATH_FONT = PROJECT_DIR / "vendor" / "fonts" / "NotoSansMath-Regular.woff2"
FONT_IN_SITE = "assets/fonts/math.woff2"
# Letters are drawn in their math-italic forms (U+1D434 …) when a browser styles <mi>;
# the radical sign of <msqrt>/<mroot> is drawn by the browser, never written as text.
ALWAYS_IN_FONT = (
    "\u221a\u221b\u221c"
    + "".join(map(chr, range(0x20, 0x7F)))
    + "".join(map(chr, range(0x391, 0x3AA))) + "".join(map(chr, range(0x3B1, 0x3CA)))
    + "".join(map(chr, range(0x1D434, 0x1D468))) + "".join(map(chr, range(0x1D6E2, 0x1D71C)))
)

ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])</(?P=tag)>',
    re.S,
)


ARITY = {"mfrac": 2, "msup": 2, "msub": 2, "msubsup": 3, "mover": 2, "munder": 2, "munderover": 3, "mroot": 2}


class MathError(Exception):
    pass


MATHML_NS = "http://www.w3.org/1998/Math/MathML"
ET.register_namespace("", MATHML_NS)
FUNCTION_NAME = re.compile(r"[A-Za-z]{2,}")  # \\log, \\tanh, \\operatorname{Var}
OPERANDS = {"mi", "mn", "msub", "msup", "msubsup", "mover", "munder", "munderover", "mrow", "mfrac", "msqrt"}
THIN_SPACE_WIDTH = "0.1667em"
THIN_SPACE = f'<mspace width="{THIN_SPACE_WIDTH}" />'  # as serialised


def _tag(element: ET.Element) -> str:
    return element.tag.rpartition("}")[2]


def _check(root: ET.Element) -> None:
    """latex2mathml is lenient: refuse what it lets through half-read, and invalid MathML."""
    for element in root.iter():
        tag = _tag(element)
        if element.text and "\\" in element.text:
            raise MathError(f"unknown TeX command {element.text.strip()}")
        if tag in ARITY and len(element) != ARITY[tag]:
            raise MathError(f"<{tag}> needs {ARITY[tag]} arguments, got {len(element)}")


def tex_to_mathml(tex: str, display: bool) -> str:
    """MathML for ``tex``; raises MathError on TeX that latex2mathml cannot read."""
    try:
        root = ET.fromstring(convert(tex, display="block" if display else "inline"))
        space_function_names(root)
        set_tex_classes(root)
        _check(root)
    except Exception as exc:  # latex2mathml raises many unrelated types
        raise MathError(f"cannot render ${tex}$: {type(exc).__name__}: {exc}") from exc
    mathml = ET.tostring(root, encoding="unicode")
    # The TeX is for copying, not for search: Material's index skips data-search-exclude, so a
    # formula is indexed once, as its glyphs ("Var(w) = 2/n", what a reader types).
    annotation = (f'<annotation encoding="application/x-tex" data-search-exclude="">'
                  f"{html.escape(tex)}</annotation>")
    return re.sub(
        r"(<math[^>]*>)(.*)(</math>)",
        lambda m: f"{m[1]}<semantics>{m[2]}{annotation}</semantics>{m[3]}",
        mathml,
        count=1,
        flags=re.S,
    )


def _is_function(element: ET.Element) -> bool:
    """<mi>log</mi>, or a function name with scripts (\\log_{10}) as one unit."""
    if _tag(element) in ("msub", "msup", "msubsup") and len(element):
        element = element[0]
    return _tag(element) == "mi" and bool(FUNCTION_NAME.fullmatch(element.text or ""))


def space_function_names(root: ET.Element) -> None:
    """TeX's thin space around \\log, \\ln, \\operatorname{Var} … next to an operand.

    latex2mathml writes "L \\log a" with a bare <mi>log</mi>, which browsers set as
    "Lloga", and \\operatorname{Var}[w] as <mo>Var</mo>, which gets an operator's wide
    spacing ("Var [w]"). As <mi> with thin spaces next to operands they read as in TeX;
    an operator or a bracket next to them keeps its own spacing. Spaces go only into
    rows, never inside an element with a fixed number of children (<msub>, <mfrac> …).
    """
    for element in root.iter():
        if _tag(element) == "mo" and FUNCTION_NAME.fullmatch(element.text or ""):
            element.tag = f"{{{MATHML_NS}}}mi"
            element.attrib.clear()
    for row in list(root.iter()):
        if _tag(row) in ARITY or len(row) < 2:
            continue
        children = list(row)
        spaced = [children[0]]
        for left, right in zip(children, children[1:]):
            if (_is_function(left) and _tag(right) in OPERANDS) or (
                _tag(left) in OPERANDS and _is_function(right)
            ):
                spaced.append(ET.Element(f"{{{MATHML_NS}}}mspace", width=THIN_SPACE_WIDTH))
            spaced.append(right)
        row[:] = spaced


# TeX's classes where latex2mathml's token elements disagree: \partial and \top are ordinary
# symbols (no operator spacing), arrows and \pm are relations/binary operators.
ORDINARY = {"\u2202", "\u22a4"}  # ∂ ⊤
FENCES = {"\u2016", "|"}  # ‖ (\|, \Vert) and | : TeX's ordinary delimiters, no space either side
ORDINARY_OPERATORS = {"/"}  # TeX sets ∂L/∂a tight; browsers gave / an operator's space
ARROW_RANGES = ((0x2190, 0x21FF), (0x27F0, 0x27FF), (0x2900, 0x297F))


def _is_operator_symbol(text: str) -> bool:
    return text == "\u00b1" or (len(text) == 1 and any(lo <= ord(text) <= hi for lo, hi in ARROW_RANGES))


def set_tex_classes(root: ET.Element) -> None:
    """Give ∂, ⊤, ‖, |, ±, ⟹ … the spacing TeX gives them.

    latex2mathml writes \\partial as <mo>∂</mo> (an operator's space after it: "∂ L"),
    \\Longrightarrow and \\pm as <mi> (no space round them), and \\| as an infix <mo>,
    which Firefox sets with an operator's space on both sides ("‖ a − Y ‖"); both engines
    space / as an operator ("∂L / ∂a").
    """
    for element in root.iter():
        tag, text = _tag(element), element.text or ""
        if tag == "mo" and text in ORDINARY:
            element.tag = f"{{{MATHML_NS}}}mi"
            element.attrib.clear()
        elif tag == "mo" and text in FENCES | ORDINARY_OPERATORS:
            if text in FENCES:
                element.set("fence", "true")
            element.set("lspace", "0")
            element.set("rspace", "0")
        elif tag == "mi" and _is_operator_symbol(text):
            element.tag = f"{{{MATHML_NS}}}mo"
        elif tag == "mover" and element.get("accent") == "true" and len(element) == 2:
            _set_accent(element)
        elif tag == "msup" and len(element) == 2:
            _add_italic_correction(element)


ACCENTS = {"^": "\u02c6", "~": "\u02dc"}  # \hat, \tilde: the modifier letters, not ASCII


def _set_accent(element: ET.Element) -> None:
    """\\hat{y}: <mover><mrow><mi>y</mi></mrow><mo>^</mo></mover> becomes <mover><mi>y</mi><mo>ˆ</mo></mover>.

    The ASCII ^ is a superscript-sized caret that Chromium sets left of an italic y; the
    modifier letter is the font's accent (its MATH table has the variants), and with the
    bare <mi> as base a browser can use the glyph's top-accent point (its slant).
    """
    base, accent = element
    if _tag(base) == "mrow" and len(base) == 1 and not base.attrib:
        element[0] = base[0]
    if _tag(accent) == "mo" and accent.text in ACCENTS:
        accent.text = ACCENTS[accent.text]
        accent.set("stretchy", "false")  # \hat is one size, like TeX's; \widehat would stretch


def _math_italic(letter: str) -> int | None:
    """The code point a browser draws an italic <mi> letter with (MathML's math-auto transform)."""
    if "A" <= letter <= "Z":
        return 0x1D434 + ord(letter) - ord("A")
    if "a" <= letter <= "z":
        return 0x210E if letter == "h" else 0x1D44E + ord(letter) - ord("a")
    if "\u03b1" <= letter <= "\u03c9":
        return 0x1D6FC + ord(letter) - 0x3B1
    return None


@functools.cache
def italic_corrections() -> dict[str, float]:
    """Each italic letter's italic correction (em) from the math font's MATH table."""
    from fontTools.ttLib import TTFont

    with TTFont(MATH_FONT) as font:
        info = font["MATH"].table.MathGlyphInfo.MathItalicsCorrectionInfo
        by_glyph = dict(zip(info.Coverage.glyphs, (v.Value for v in info.ItalicsCorrection)))
        cmap, em = font.getBestCmap(), font["head"].unitsPerEm
    letters = [chr(c) for c in (*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0x3B1, 0x3CA))]
    return {c: by_glyph[cmap[_math_italic(c)]] / em for c in letters
            if _math_italic(c) in cmap and by_glyph.get(cmap[_math_italic(c)], 0) > 0}


def _add_italic_correction(element: ET.Element) -> None:
    """W^{[L]}: the superscript starts after W's overhang (TeX's italic correction).

    Firefox adds the font's italic correction itself, Chromium does not and the "[" touches
    the W. An explicit space after the base (in an <mrow>) gives Chromium the gap; site.css
    hides it from Firefox (class italic-correction), which would otherwise add both.
    """
    base = element[0]
    if _tag(base) == "mrow" and len(base) == 1 and not base.attrib:  # {W}^{\top}: a braced letter
        base = element[0] = base[0]
    correction = italic_corrections().get(base.text or "") if _tag(base) == "mi" and not base.attrib else None
    if correction:
        row = ET.Element(f"{{{MATHML_NS}}}mrow")
        row.append(base)
        row.append(ET.Element(f"{{{MATHML_NS}}}mspace", width=f"{correction:.3g}em", attrib={"class": "italic-correction"}))
        element[0] = row


def characters(mathml: str) -> set[str]:
    """The characters a formula's text uses (for the font subset)."""
    return {c for element in ET.fromstring(mathml).iter() if _tag(element) != "annotation"
            for c in (element.text or "")}


def characters_in_page(page_html: str) -> set[str]:
    """The characters of every <math> element in a finished page."""
    return set().union(*(characters(m) for m in re.findall(r"<math\b.*?</math>", page_html, re.S)))


# A display equation wider than a phone scrolls inside its own box (site.css draws the edge
# shadows); the box takes keyboard focus so it can be scrolled without a pointer. A group,
# not a region: twenty "Equation" landmarks would crowd a screen reader's landmark list, and
# the MathML inside is read out itself (a TeX label would read each formula twice).
DISPLAY_OPEN = '<div class="math-display" tabindex="0" role="group" aria-label="Equation">'


def render_math(content: str, where: str) -> str:
    """Replace every arithmatex span/div in ``content`` with MathML."""

    def replace(match: re.Match) -> str:
        display = match["block"] is not None
        tex = html.unescape(match["block"] if display else match["inline"]).strip()
        try:
            mathml = tex_to_mathml(tex, display)
        except MathError as exc:
            raise MathError(f"{where}: {exc}") from exc
        return f"{DISPLAY_OPEN}{mathml}</div>" if display else mathml

    return ARITHMATEX.sub(replace, content)


def subset_font(characters: str) -> bytes:
    """The vendored math font, subset to ``characters`` (plus MATH-table variants), as WOFF2."""
    from fontTools import subset  # only a cache miss needs it (0.16 s to import)
    from fontTools.ttLib import TTFont

    font = TTFont(MATH_FONT, recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def math_font(used: set[str]) -> bytes:
    """The subset font for the characters ``used`` (plus ALWAYS_IN_FONT), from the cache if there."""
    text = "".join(sorted(set(ALWAYS_IN_FONT) | used))
    folder = cache.folder("math-font")
    entry = folder / f"{cache.key(MATH_FONT, text)}.woff2"
    data = cache.read(entry)
    if data is None:
        data = subset_font(text)
        cache.write(entry, data)
    cache.prune(folder, {entry})
    return data
