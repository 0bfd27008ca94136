"""The site's markdown pages as tests see them: raw, and with snippets expanded."""

from __future__ import annotations

import io
import re
from pathlib import Path

import markdown
import yaml
from pytest_codeblocks import extract_from_buffer

PROJECT = Path(__file__).resolve().parents[2]
DOCS = PROJECT / "docs"
SNIPPETS = PROJECT / "snippets"
INCLUDES = DOCS / "includes"  # HTML fragments, the second pymdownx.snippets base path

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,})(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)(?P=ticks)[ \t]*$", re.M | re.S)
INCLUDE = re.compile(r'^\s*-{1,}8<-{1,}\s+"(?P<target>[^"]+)"\s*$', re.M)
SHOWING_DIRECTIVE = re.compile(r"\{\{\s*(?P<kind>output|figure):\s*(?P<snippet>[\w./-]+\.py)")
SECTION_MARK = re.compile(r"^[ \t]*#[ \t]*--8<--[ \t]*\[(?:start|end):[\w-]+\][ \t]*\n", re.M)


def markdown_pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if INCLUDES not in p.parents)


def include_file(target: str) -> Path:
    """The file a `--8<--` target names, looked up like pymdownx.snippets does."""
    name = target.partition(":")[0]
    return SNIPPETS / name if (SNIPPETS / name).is_file() else INCLUDES / name


def page_id(path: Path) -> str:
    return path.relative_to(PROJECT).as_posix()


def body(path: Path) -> str:
    """The page without its YAML front matter."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4)
        return text[end + 5 :]
    return text


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    return yaml.safe_load(text[4 : text.index("\n---\n", 4)]) or {}


def fences(text: str) -> list[re.Match]:
    return list(FENCE.finditer(text))


def includes(text: str) -> list[str]:
    """Every `--8<--` target in ``text`` ("file.py" or "file.py:section")."""
    return [m["target"] for m in INCLUDE.finditer(text)]


def expand_snippets(text: str) -> str:
    """``text`` after pymdownx.snippets has replaced each `--8<--` line, as in the build."""
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={
            "pymdownx.snippets": {
                "base_path": [str(SNIPPETS), str(INCLUDES)],
                "check_paths": True,
                "dedent_subsections": True,
            }
        },
    )
    return "\n".join(md.preprocessors["snippet"].run(text.split("\n")))


def python_blocks(text: str) -> list:
    """pytest-codeblocks' view of the python blocks in snippet-expanded ``text``."""
    blocks = extract_from_buffer(io.StringIO(expand_snippets(text)))
    return [b for b in blocks if (b.syntax or "").split(" ")[0] == "python"]


def shown_snippets(page: Path) -> list[str]:
    """The snippets a page shows (code, output or figure), in the order they first appear."""
    text = body(page)
    included = [(m.start(), m["target"].partition(":")[0]) for m in INCLUDE.finditer(text)]
    found = sorted([(at, name) for at, name in included if name.endswith(".py")]
                   + [(m.start(), m["snippet"]) for m in SHOWING_DIRECTIVE.finditer(text)])
    return list(dict.fromkeys(snippet for _, snippet in found))


def notebook_code(page: Path) -> list[str]:
    """The code cells of the page's notebook, as the build must write them: every shown
    snippet, whole, without its section marks, in page order (tests/site/test_page_notebooks.py)."""
    return [SECTION_MARK.sub("", (SNIPPETS / s).read_text(encoding="utf-8")).rstrip("\n")
            for s in shown_snippets(page)]
