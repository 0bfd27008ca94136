"""Every page's code runs, every snippet is shown, and no page pastes a result."""

from __future__ import annotations

import contextlib
import io
import re

import matplotlib.pyplot as plt
import pytest
from pages import (
    DOCS,
    PROJECT,
    SNIPPETS,
    body,
    expand_snippets,
    fences,
    front_matter,
    include_file,
    includes,
    markdown_pages,
    notebook_code,
    page_id,
    python_blocks,
)

from sitebuild import directives

PAGES = markdown_pages()


def blocks_beyond_the_notebook(page) -> bool:
    """Whether the page shows code its notebook does not hold as is (a section of a snippet, a
    block written in the page). A page whose blocks are exactly its notebook's code cells, in
    order, is run as a reader would paste it by tests/site/test_page_notebooks.py, in a fresh
    kernel, with its outputs compared to the page's; running it here too only repeated that."""
    blocks = [b.code.rstrip("\n") for b in python_blocks(body(page))]
    return bool(blocks) and blocks != notebook_code(page)


PAGES_WITH_OWN_BLOCKS = [p for p in PAGES if blocks_beyond_the_notebook(p)]


def run_blocks(blocks, label: str) -> dict:
    """Run blocks in order in one namespace, as a reader pasting the page would."""
    namespace = {"__name__": "__main__"}
    for number, block in enumerate(blocks, start=1):
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(block.code, f"{label} block {number}", "exec"), namespace)
        except Exception as exc:
            first = block.code.strip().splitlines()[0] if block.code.strip() else ""
            pytest.fail(f"{label}: python block {number} ({first!r}) raised {type(exc).__name__}: {exc}")
        finally:
            plt.close("all")
    return namespace


@pytest.mark.parametrize("page", PAGES_WITH_OWN_BLOCKS, ids=page_id)
def test_page_code_blocks_run(page):
    run_blocks(python_blocks(body(page)), page_id(page))


@pytest.mark.parametrize("guide", ["README.md", "CONTRIBUTING.md"])
def test_guide_code_blocks_run(guide):
    """The Python examples in README and CONTRIBUTING run, and any test they define passes."""
    blocks = python_blocks((PROJECT / guide).read_text(encoding="utf-8"))
    assert blocks, f"{guide} should show at least one runnable python example"
    namespace = run_blocks(blocks, guide)
    for name, function in namespace.items():
        if name.startswith("test_") and callable(function):
            function()


def test_contributing_directive_examples_expand():
    """Each {{ … }} example in CONTRIBUTING names a real snippet and value, and expands."""
    from sitebuild import results

    text = (PROJECT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    examples = [m["body"] for m in fences(text) if m["info"].strip() == "markdown"]
    found = [d for example in examples for d in directives.parse(example, "CONTRIBUTING.md")]
    assert {d.kind for d in found} >= {"output", "value", "figure"}
    records = {d.snippet: results.record_for(d.snippet) for d in found}
    for example in examples:
        expanded = directives.expand(example, directives.parse(example, "CONTRIBUTING.md"), records, "x.md")
        assert directives.leftover(expanded) is None


def test_every_include_resolves():
    for page in PAGES:
        text = body(page)
        expanded = expand_snippets(text)  # raises on a missing file (check_paths)
        for target in includes(text):
            file, _, section = target.partition(":")
            source = include_file(target).read_text(encoding="utf-8")
            if section:
                for edge in ("start", "end"):
                    marker = f"--8<-- [{edge}:{section}]"
                    assert marker in source, f"{page_id(page)}: {file} has no '{marker}'"
        assert "--8<--" not in expanded.replace("# --8<-- [", ""), f"{page_id(page)}: include left unexpanded"


def snippets_whose_code_a_page_shows() -> set[str]:
    return {t.partition(":")[0] for page in PAGES for t in includes(body(page))}


def test_every_snippet_is_shown_on_some_page():
    # __init__.py files only mark packages; every other .py under snippets/ is a snippet.
    all_snippets = {
        p.relative_to(SNIPPETS).as_posix() for p in SNIPPETS.rglob("*.py") if p.name != "__init__.py"
    }
    assert all_snippets, "no snippets found"
    unshown = sorted(all_snippets - snippets_whose_code_a_page_shows())
    assert not unshown, f"snippets no page shows: {unshown}"


def test_every_directive_names_an_existing_snippet():
    for page in PAGES:
        for directive in directives.parse(body(page), page_id(page)):
            assert (SNIPPETS / directive.snippet).is_file(), (
                f"{page_id(page)}:{directive.line}: no snippet {directive.snippet}"
            )


def test_no_page_pastes_code_or_output():
    """Code only by `--8<--` reference; output only through {{ output: }}."""
    for page in PAGES:
        for fence in fences(body(page)):
            lines = [line.strip() for line in fence["body"].splitlines() if line.strip()]
            language = fence["info"].strip().split(" ")[0]
            assert language == "python" and lines and all(
                re.fullmatch(r'-{1,}8<-{1,}\s+"[^"]+"', line) for line in lines
            ), f"{page_id(page)}: a ```{language} block holds pasted text instead of a --8<-- include"


# A decimal ends a sentence ("… 0.0134.") but not a version ("4.14.1") or an address.
SIGNIFICANT = re.compile(r"(?<![\w.:/])(\d+\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+)(?!\w|\.\d)")


def prose(text: str) -> str:
    """Page text a reader reads as sentences: fences, directives, code, URLs removed."""
    text = re.sub(r"^([ \t]*)(`{3,}).*?^\1\2[ \t]*$", "", text, flags=re.M | re.S)
    text = directives.PATTERN.sub("", text)
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return re.sub(r"<!--.*?-->", "", text, flags=re.S)


def significant_digits(number: str) -> int:
    mantissa = re.split(r"[eE]", number)[0].replace(".", "").lstrip("0")
    return len(mantissa)


def test_no_hand_typed_results_in_prose():
    """A decimal with three or more significant digits in prose or math must come from a snippet.

    Integers (depths, widths, years) and short parameters (1.5, 0.5, 0.9) are
    allowed; 38.44 or 0.00195 typed by hand are not: use {{ value: … }}.
    """
    for page in PAGES:
        typed = [n for n in SIGNIFICANT.findall(prose(body(page))) if significant_digits(n) >= 3]
        assert not typed, f"{page_id(page)}: numbers typed by hand, not from a snippet: {typed}"


def test_every_page_has_a_title_and_description():
    for page in PAGES:
        assert re.search(r"^# \S", body(page), re.M), f"{page_id(page)}: no '# Title'"
        description = front_matter(page).get("description", "")
        assert 40 <= len(description) <= 200, f"{page_id(page)}: front-matter description of 40-200 characters"


def test_no_placeholder_pages():
    placeholders = [page_id(p) for p in PAGES if "PLACEHOLDER" in p.read_text(encoding="utf-8")]
    placeholders += [
        p.relative_to(PROJECT).as_posix()
        for p in (DOCS / "labs").glob("*.ipynb")
        if "placeholder" in p.read_text(encoding="utf-8").lower()
    ]
    assert not placeholders, f"pages still placeholders: {placeholders}"
