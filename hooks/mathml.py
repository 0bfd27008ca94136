"""MkDocs hook: turn the TeX that pymdownx.arithmatex marks into MathML at build time.

Readers' browsers render MathML natively, so pages load no math JavaScript
and no math from any other host. The TeX is kept as an annotation for copying
and for screen readers that prefer it. After the build, the vendored math font
is cut down to the characters the formulas use and written into the site.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError

MATH_FONT = Path(__file__).resolve().parent.parent / "vendor" / "fonts" / "NotoSansMath-Regular.woff2"
FONT_IN_SITE = "assets/fonts/math.woff2"
# Letters are drawn in their math-italic forms (U+1D434 …) when a browser styles <mi>;
# the radical sign of <msqrt>/<mroot> is drawn by the browser, never written as text.
ALWAYS_IN_FONT = (
    "\u221a\u221b\u221c"
    + "".join(map(chr, range(0x20, 0x7F)))
    + "".join(map(chr, range(0x391, 0x3AA))) + "".join(map(chr, range(0x3B1, 0x3CA)))
    + "".join(map(chr, range(0x1D434, 0x1D468))) + "".join(map(chr, range(0x1D6E2, 0x1D71C)))
)
_characters_used: set[str] = set()

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
        _characters_used.update(element.text or "")
        if element.text and "\\" in element.text:
            raise MathError(f"unknown TeX command {element.text.strip()}")
        if tag in ARITY and len(element) != ARITY[tag]:
            raise MathError(f"<{tag}> needs {ARITY[tag]} arguments, got {len(element)}")


def tex_to_mathml(tex: str, display: bool) -> str:
    """MathML for ``tex``; raises MathError on TeX that latex2mathml cannot read."""
    try:
        root = ET.fromstring(convert(tex, display="block" if display else "inline"))
        space_function_names(root)
        _check(root)
    except Exception as exc:  # latex2mathml raises many unrelated types
        raise MathError(f"cannot render ${tex}$: {type(exc).__name__}: {exc}") from exc
    mathml = ET.tostring(root, encoding="unicode")
    annotation = f'<annotation encoding="application/x-tex">{html.escape(tex)}</annotation>'
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


def render_math(content: str, where: str) -> str:
    """Replace every arithmatex span/div in ``content`` with MathML."""

    def replace(match: re.Match) -> str:
        display = match["block"] is not None
        tex = html.unescape(match["block"] if display else match["inline"]).strip()
        try:
            mathml = tex_to_mathml(tex, display)
        except MathError as exc:
            raise PluginError(f"{where}: {exc}") from exc
        return f'<div class="math-display">{mathml}</div>' if display else mathml

    return ARITHMATEX.sub(replace, content)


def write_math_font(destination: Path, characters: str) -> None:
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
    destination.parent.mkdir(parents=True, exist_ok=True)
    font.save(destination)


def on_pre_build(config) -> None:
    _characters_used.clear()


def on_page_content(content: str, page, config, files) -> str:
    return render_math(content, f"docs/{page.file.src_uri}")


def on_post_build(config) -> None:
    characters = "".join(sorted(set(ALWAYS_IN_FONT) | _characters_used))
    key = hashlib.sha256(MATH_FONT.read_bytes() + characters.encode()).hexdigest()
    cache_root = Path(os.environ.get("DOCS_CACHE_DIR", MATH_FONT.parents[2] / ".cache"))
    cached = cache_root / "math-font" / f"{key}.woff2"
    if not cached.is_file():
        partial = cached.with_suffix(".partial")
        write_math_font(partial, characters)
        os.replace(partial, cached)
    destination = Path(config["site_dir"]) / FONT_IN_SITE
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, destination)
