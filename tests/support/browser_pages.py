"""Which pages the built site has, where they live, and what math their sources contain."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pages import DOCS, FENCE, body, front_matter, markdown_pages

NOTEBOOKS = sorted((DOCS / "labs").glob("*.ipynb"))
DISPLAY_MATH = re.compile(r"\$\$.+?\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(?:[^$\n]|\n(?![ \t]*\n))+?(?<!\\)\$")
INLINE_CODE = re.compile(r"(`+).+?\1", re.S)


def sources() -> list[Path]:
    return markdown_pages() + NOTEBOOKS


def url_path(source: Path) -> str:
    """Where MkDocs puts a page (use_directory_urls): docs/a/b.md -> "a/b/", index.md -> its folder."""
    rel = source.relative_to(DOCS).with_suffix("")
    if rel.name == "index":
        return "" if rel.parent == Path(".") else rel.parent.as_posix() + "/"
    return rel.as_posix() + "/"


def page_ids() -> list[str]:
    return [url_path(s) or "(home)" for s in sources()]


def markdown_text(source: Path) -> str:
    """The prose of a page: markdown body, or a notebook's markdown cells."""
    if source.suffix == ".ipynb":
        cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
        return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return body(source)


def math_count(source: Path) -> int:
    """How many $$…$$ blocks and $…$ spans the source has, outside code."""
    text = FENCE.sub("", markdown_text(source))
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = INLINE_CODE.sub("", text)
    displays = len(DISPLAY_MATH.findall(text))
    return displays + len(INLINE_MATH.findall(DISPLAY_MATH.sub("", text)))


def description(source: Path) -> str | None:
    """The front-matter description a markdown page promises (notebooks have none)."""
    if source.suffix != ".md":
        return None
    return front_matter(source).get("description")
