"""MkDocs hook: each formula indexed once for search.

A formula's MathML holds what the reader sees (the glyphs: "Var(w) = 2/n" is found by typing
"Var(w)") and, in an <annotation>, its TeX source ("\\operatorname{Var}(w)"), which no reader
types and which doubled the formulas' share of the search index. Material's search skips
the text of an element marked data-search-exclude; every annotation gets that mark (with
an empty value: the MathML is parsed as XML later). Listed after the hooks that write
MathML (hooks/mathml.py, hooks/notebooks.py).
"""

from __future__ import annotations

import re

ANNOTATION = re.compile(r"<annotation(?=[\s>])(?![^>]*\bdata-search-exclude\b)")


def on_page_content(html: str, page, config, files) -> str:
    return ANNOTATION.sub('<annotation data-search-exclude=""', html)
