"""One vocabulary for the whole site (issue 10), checked on everything a reader sees.

    LeCun            Var(w) = 1/n_in
    Glorot = Xavier  Var(w) = 2/(n_in + n_out)   (equal to 1/n only when n_in = n_out)
    He = Kaiming     Var(w) = 2/n_in
    gain g           multiplies the standard deviation (PyTorch's meaning): std = g * base std
    variance multiplier c   multiplies the variance: Var(w) = c/n; c = g^2

He et al. (2015) and Caffe call the 1/n_in scheme "Xavier"; a page may say so once, in the
sanctioned phrasing "LeCun (1/n, which He et al. call 'Xavier')" (or "He et al. (2015) and
Caffe call it 'Xavier'"). Those phrases are blanked out before the checks run.

Checked text: docs/**/*.md (prose: code fences and inline code removed), the markdown cells
of docs/labs/*.ipynb, the text of docs/includes/*.html (tags removed), the user-visible
strings of docs/assets/explorers/*.js, and the comments and docstrings of snippets/**/*.py
(shown on the pages). Each failure names the file and line and quotes the offending text.
"""

from __future__ import annotations

import io
import json
import re
import tokenize
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
DOCS = PROJECT / "docs"
SNIPPETS = PROJECT / "snippets"

# ---------------------------------------------------------------- what a reader sees, per file


def _blank(text: str, pattern: str, flags=0) -> str:
    """Replace each match by spaces (newlines kept), so offsets and line numbers survive."""
    return re.sub(pattern, lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=flags)


def _markdown_prose(text: str) -> str:
    text = _blank(text, r"^---\n.*?\n---\n", re.S) if text.startswith("---\n") else text
    text = _blank(text, r"^([ \t]*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", re.S | re.M)  # fences
    text = _blank(text, r"`[^`\n]+`")                                           # inline code
    return _blank(text, r'^\s*-{1,}8<-{1,}\s+"[^"]*"\s*$', re.M)                # includes


def _html_text(text: str) -> str:
    return _blank(text, r"<[^>]*>", re.S)


def _js_strings(text: str) -> str:
    """Only string literals that read as words (contain a space): labels and messages."""
    keep = [" "] * len(text)
    for m in re.finditer(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'", text):
        if " " in m.group(0):
            keep[m.start():m.end()] = m.group(0)
    return "".join(c if c != " " or text[i] != "\n" else "\n" for i, c in enumerate(keep))


def _python_prose(text: str) -> str:
    """Comments and docstrings (string statements) of a snippet; code blanked."""
    keep = [" " if c != "\n" else "\n" for c in text]
    offsets = [0]
    for line in text.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    previous = None
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        docstring = tok.type == tokenize.STRING and previous in (None, tokenize.NEWLINE,
                                                                 tokenize.INDENT, tokenize.DEDENT)
        if tok.type == tokenize.COMMENT or docstring:
            start = offsets[tok.start[0] - 1] + tok.start[1]
            end = offsets[tok.end[0] - 1] + tok.end[1]
            keep[start:end] = text[start:end]
        if tok.type not in (tokenize.NL, tokenize.COMMENT):
            previous = tok.type
    return "".join(keep)


def _notebook_cells(path: Path) -> list[tuple[str, str]]:
    """(location, prose) for each markdown cell."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(f"cell {i}", _markdown_prose("".join(c["source"])))
            for i, c in enumerate(cells) if c["cell_type"] == "markdown"]


def reader_text(path: Path) -> list[tuple[str, str]]:
    """[(where, text)] with everything but reader-facing prose blanked out."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return [("", _markdown_prose(raw))]
    if path.suffix == ".ipynb":
        return _notebook_cells(path)
    if path.suffix == ".html":
        return [("", _html_text(raw))]
    if path.suffix == ".js":
        return [("", _js_strings(raw))]
    return [("", _python_prose(raw))]


FILES = sorted(
    [p for p in DOCS.rglob("*.md")]
    + sorted((DOCS / "labs").glob("*.ipynb"))
    + sorted((DOCS / "includes").glob("*.html"))
    + sorted((DOCS / "assets" / "explorers").glob("*.js"))
    + [p for p in SNIPPETS.rglob("*.py") if p.name != "__init__.py"]
)

# ---------------------------------------------------------------------------------- patterns

# The sanctioned use of "Xavier" for the 1/n scheme: attributed to He et al. (2015) or Caffe.
QUOTE_OPEN, QUOTE_CLOSE = "['\"‘“]?", "['\"’”]?"
SANCTIONED = re.compile(
    r"(?:which\s+)?(?:He\s+et\s+al\.?|Caffe)[^.;]{0,80}?\bcalls?\b[^.;]{0,40}?"
    + QUOTE_OPEN + r"xavier" + QUOTE_CLOSE, re.I)

# Var(w) = 1/n in the notations the pages use: 1/n, 1 / n_in, \sqrt{1/n}, √(1/n), 1/√n,
# \frac{1}{n}, \frac{1}{\sqrt{n}}, n^{-1/2}, n^{-1}, 1/fan_in.
ONE_OVER_N = re.compile(
    r"(?<![\d.])1\s*/\s*(?:\\sqrt\{?|√\(?)?\s*(?:n\b|n_|n\^|n\{|fan)"
    r"|\\[dt]?frac\{1\}\{\s*(?:\\sqrt\{)?\s*n"
    r"|\bn\s*\^\s*\{?\s*-\s*1(?:\s*/\s*2)?\b")
XAVIER = re.compile(r"\bxavier\b", re.I)
GLOROT = re.compile(r"\bglorot\b", re.I)
# A clause that says when Glorot and LeCun agree: equal fan-in and fan-out.
EQUAL_FANS = re.compile(
    r"n_?\{?(?:\\text\{)?in\}?\}?\s*=\s*n_?\{?(?:\\text\{)?out"
    r"|fan_?in\s*=\s*fan_?out|n\^\{\[l-1\]\}\s*=\s*n\^\{\[l\]\}"
    r"|coincide|equal widths?|same width|square (?:layers?|matri)|only when", re.I)
# Something between "Xavier" and "1/n" that makes them not about each other.
OTHER_SCHEME = re.compile(r"\bLeCun\b|\bHe\b|\bKaiming\b|n_?\{?(?:\\text\{)?in\}?\}?\s*\+", re.I)
SAME_THING = re.compile(r"\bLeCun\s*(?:/|=|\bor\b|\baka\b|\ba\.k\.a\.)\s*Xavier\b"
                        r"|\bXavier\s*(?:/|=|\bor\b|\baka\b|\ba\.k\.a\.)\s*LeCun\b", re.I)
MULTIPLIER = re.compile(r"\bmultipliers?\b", re.I)
VARIANCE_BEFORE = re.compile(r"variance[\s-]+$", re.I)
GAIN_FOR_VARIANCE = re.compile(
    r"\bvariance[\s-]+gains?\b"                                    # "variance gain"
    r"|\bgains?\s+(?:of\s+)?\$?c\$?(?![\w(])"                      # "gain c" (c is Var's)
    r"|(?:Var|\\mathrm\{Var\}|\\operatorname\{Var\})\s*\(w\)\s*=\s*\$?\s*g\s*/"  # Var = g/n
    r"|(?:Var|\\mathrm\{Var\}|\\operatorname\{Var\})\s*\(w\)\s*=\s*\\frac\{g\}",
    re.I)
# Clause boundaries: end of a sentence, a blank line, a new list item or table row.
BOUNDARY = re.compile(r"(?<=[.!?;])\s+(?=[A-Z$*_\[(])|\n\s*\n|\n(?=\s*(?:[-*+]|\d+\.|\|)\s)")


def _clauses(text: str):
    start = 0
    for m in BOUNDARY.finditer(text):
        yield start, text[start:m.start()]
        start = m.end()
    yield start, text[start:]


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _quote(text: str) -> str:
    return " ".join(text.split())[:140]


def violations(path: Path) -> list[str]:
    found = []
    rel = path.relative_to(PROJECT).as_posix()
    for where, text in reader_text(path):
        text = _blank(text, SANCTIONED.pattern, re.I)
        here = lambda offset: f"{rel}:{where + ' line ' if where else ''}{_line(text, offset)}"  # noqa: E731
        for start, clause in _clauses(text):
            fans_equal = EQUAL_FANS.search(clause)
            for name, pattern, reach in (("Xavier", XAVIER, 10**6), ("Glorot", GLOROT, 12)):
                for nm in pattern.finditer(clause):
                    for one in ONE_OVER_N.finditer(clause):
                        lo, hi = sorted((nm.end(), one.start()))
                        between = clause[lo:hi] if nm.end() <= one.start() else clause[one.end():nm.start()]
                        if fans_equal or OTHER_SCHEME.search(between) or len(between) > reach:
                            continue
                        found.append(f"{here(start + nm.start())}: '{name}' next to a 1/n "
                                     f"variance ({name} is 2/(n_in + n_out); 1/n_in is LeCun, "
                                     f"or say 'which He et al. call \"Xavier\"'): "
                                     f"{_quote(clause)}")
                        break
            for m in SAME_THING.finditer(clause):
                found.append(f"{here(start + m.start())}: '{m.group(0)}' equates LeCun (1/n_in) "
                             f"and Xavier (= Glorot, 2/(n_in + n_out)): {_quote(clause)}")
        for m in MULTIPLIER.finditer(text):
            if not VARIANCE_BEFORE.search(text[max(0, m.start() - 20):m.start()]):
                line = text.splitlines()[_line(text, m.start()) - 1]
                found.append(f"{here(m.start())}: bare '{m.group(0)}' (say 'gain' for a factor "
                             f"on the std, 'variance multiplier' for one on the variance): "
                             f"{_quote(line)}")
        for m in GAIN_FOR_VARIANCE.finditer(text):
            line = text.splitlines()[_line(text, m.start()) - 1]
            found.append(f"{here(m.start())}: 'gain' used for a variance factor (a gain "
                         f"multiplies the std; Var(w) = g^2 * base): {_quote(line)}")
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(PROJECT).as_posix())
def test_page_uses_the_site_vocabulary(path):
    found = violations(path)
    assert not found, "\n".join(found)


# ------------------------------------------------------------- the checks themselves, tested

BAD = {
    "Xavier initialisation, $\\mathrm{Var}(w) = 1/n$, suits tanh.": "next to a 1/n",
    "Use Xavier: `np.random.randn(n, m)` times √(1/n).": "next to a 1/n",
    "A paper writes Xavier as $w \\sim N(0, 1/\\sqrt{n})$.": "next to a 1/n",
    "| Xavier | $\\frac{1}{n_{\\text{in}}}$ | tanh |": "next to a 1/n",
    "LeCun/Xavier: √(1/n)": "equates LeCun",
    "times a multiplier of 0.25, 1 or 4": "bare 'multiplier'",
    "the Multiplier slider": "bare 'Multiplier'",
    "a variance gain of 2": "'gain' used for a variance",
    "tune the gain $c$ in Var(w) = c/n": "'gain' used for a variance",
    "$\\mathrm{Var}(w) = g/n$ with gain g": "'gain' used for a variance",
}
GOOD = [
    "LeCun (1/n, which He et al. call 'Xavier') keeps tanh nets stable.",
    "He et al. (2015) and Caffe call the 1/n scheme “Xavier”.",
    "Glorot (also Xavier): $2/(n_{\\text{in}} + n_{\\text{out}})$, which equals 1/n only when "
    "$n_{\\text{in}} = n_{\\text{out}}$.",
    "With n units in every layer LeCun and Xavier coincide at 1/n.",
    "| Glorot / Xavier | $\\dfrac{2}{n_{\\text{in}} + n_{\\text{out}}}$ |",
    "LeCun uses $1/n_{\\text{in}}$; Xavier uses $2/(n_{\\text{in}} + n_{\\text{out}})$.",
    "Tune the variance multiplier $c$ in $\\mathrm{Var}(w) = c/n$.",
    "A gain of 5/3 multiplies the standard deviation, so the variance by 25/9.",
    "`torch.nn.init.xavier_normal_(w, gain=1.0)` draws std gain·√(2/(fan_in + fan_out)).",
    "```python\nmultipliers = [0.5, 1]  # c in Var = c/n\n```",
]


@pytest.mark.parametrize("text,expected", list(BAD.items()))
def test_checks_catch_known_bad_phrasings(tmp_path, text, expected):
    page = tmp_path / "docs" / "page.md"
    page.parent.mkdir()
    page.write_text(text + "\n", encoding="utf-8")
    global PROJECT
    saved, PROJECT = PROJECT, tmp_path
    try:
        found = violations(page)
    finally:
        PROJECT = saved
    assert any(expected in f and f.startswith("docs/page.md:1: ") for f in found), found


@pytest.mark.parametrize("text", GOOD)
def test_checks_pass_the_sanctioned_phrasings(tmp_path, text):
    page = tmp_path / "docs" / "page.md"
    page.parent.mkdir()
    page.write_text(text + "\n", encoding="utf-8")
    global PROJECT
    saved, PROJECT = PROJECT, tmp_path
    try:
        assert violations(page) == []
    finally:
        PROJECT = saved
