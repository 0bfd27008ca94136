"""Break the project on purpose, one fault at a time, and check the pipeline says where.

A background run (FaultRun, started by tests/conftest.py after collection) copies the project
twice (tests/support/fault_project.py: git's files plus the cache the session's cold build filled,
never .venv/ or site/) and checks that the unbroken copy builds and passes
every check a fault relies on. Each fault then edits one file of a copy, runs what must
catch it (the strict build, forked from a server per copy that has imported mkdocs once,
tests/support/build_server.py; one site check from tests/site/test_site.py; or one page's tests),
asserts that it fails with a message naming the broken file (and line, where the
pipeline knows it), and restores the file. Two faults run at a time, one per copy.

Targets are found in the copy (the first page with a `{{ value: }}`, a figure, ...), so
the faults follow the content as it changes; the few that need a specific claim name it.
"""

from __future__ import annotations

import json
import os
import posixpath
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from build_server import BuildServer
from building import BACKGROUND, snippet_records_differ
from fault_project import build_env, clone_copy, edited, make_copy, pytest_in, replaced_line, run

from sitebuild import directives

pytestmark = pytest.mark.build

INJECTED = "fault injected by tests/faults/test_faults.py"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VENV = Path(sys.executable).parent.parent  # the copy runs the real virtualenv's tools

# The site checks and test selections faults rely on; the unbroken copy must pass each.
SITE_CHECKS = (
    "test_every_image_has_alt_text",
    "test_pages_fetch_nothing_from_other_hosts",
    "test_stylesheets_fetch_nothing_from_other_hosts",
)
DOCS_CHECKS = ("test_no_hand_typed_results_in_prose", "test_no_page_pastes_code_or_output")
CLAIM_TESTS = {  # the tests of the claims the faults below break
    "exploding_vanishing": ("tests/pages/test_exploding_vanishing.py", "-k", "power_of_identity"),
    "nets_mlp": ("tests/pages/test_nets_mlp.py",),
    "init_schemes": ("tests/pages/test_initialisation_variants.py", "-k", "init_schemes"),
}

# Run one test function of the copy's tests/site/test_site.py against one built site, in the
# copy (its own test code), without that module's fixture of two cold builds.
SITE_CHECK = """
import sys
from pathlib import Path
sys.path[:0] = [".", "tests/support", "tests/site", "snippets"]
import test_site
getattr(test_site, sys.argv[1])({"sites": [Path(sys.argv[2])]})
print("check passed")
"""


# ---------------------------------------------------------------- what the copy holds


def pages(copy: Path) -> list[str]:
    docs = copy / "docs"
    return sorted(
        p.relative_to(copy).as_posix() for p in docs.rglob("*.md") if (docs / "includes") not in p.parents
    )


def page_directives(copy: Path) -> list[tuple[str, directives.Directive]]:
    """(page, directive) for every directive, in page order; lines count from the file's top."""
    found = []
    for page in pages(copy):
        text = (copy / page).read_text(encoding="utf-8")
        found += [(page, d) for d in directives.parse(text, page)]
    return found


def first(items, what: str):
    items = list(items)
    assert items, f"the project has no {what} to break"
    return items[0]


def appended(line: str):
    """A change that adds ``line`` at the end of a file; the line's number is len(lines)."""
    return lambda text: text.rstrip("\n") + "\n" + line + "\n"


def line_count_after_append(copy: Path, rel: str) -> int:
    return len((copy / rel).read_text(encoding="utf-8").rstrip("\n").split("\n")) + 1


_servers: dict[Path, BuildServer] = {}  # one per copy, started by FaultRun


def build(copy: Path, site_dir: Path | None = None, **env: str) -> tuple[int, str]:
    """The strict build of ``copy`` (`mkdocs build --strict`), forked from the copy's build server."""
    return _servers[copy].build(site_dir or copy / ".cache" / "fault-site", env=env)


def failed_build(copy: Path, **env: str) -> str:
    code, output = build(copy, **env)
    assert code != 0, "the build succeeded despite the fault:\n" + output[-3000:]
    return output


def site_check(copy: Path, check: str, site: Path) -> tuple[int, str]:
    return run([sys.executable, "-c", SITE_CHECK, check, str(site)], copy)


def built_site(copy: Path) -> Path:
    site = copy / ".cache" / "fault-site"
    code, output = build(copy, site)
    assert code == 0, "this fault should get past the build (the site tests must catch it):\n" + output[-3000:]
    return site


def html_page(page: str) -> str:
    """docs/x/y.md -> the built page's path fragment 'x/y/index.html' (index.md -> index.html)."""
    stem = page.removeprefix("docs/").removesuffix(".md")
    return "index.html" if stem == "index" else re.sub(r"/index$", "", stem) + "/index.html"


# In a copy: each snippet's record, from the copy's warm cache (the key with no data names,
# which is every snippet's that no page embeds data from), else run there; once per snippet.
RECORD = (
    "import functools\n"
    "from sitebuild import results\n"
    "@functools.cache\n"
    "def record(snippet):\n"
    "    return results.load(results.cache_key(snippet)) or results.record_for(snippet)\n"
)


def render_values(copy: Path, found: list[directives.Directive]) -> list[str]:
    """The text each `{{ value: }}` directive puts on the page, computed in the copy."""
    code = RECORD + (
        "import json, sys\n"
        "from sitebuild import directives\n"
        "texts = [directives.format_value(record(s)['values'][n], f)\n"
        "         for s, n, f in json.loads(sys.argv[1])]\n"
        "print(json.dumps(texts))\n"
    )
    wanted = json.dumps([[d.snippet, d.name, d.spec] for d in found])
    status, output = run([sys.executable, "-c", code, wanted], copy)
    assert status == 0, output
    return json.loads(output.strip().splitlines()[-1])


def snippet_stdout(copy: Path, snippet: str) -> str:
    code = RECORD + (
        "import sys\n"
        "sys.stdout.write(record(sys.argv[1])['stdout'])\n"
    )
    status, output = run([sys.executable, "-c", code, snippet], copy)
    assert status == 0, output
    return output


def require(baseline: dict, check: str) -> None:
    code, output = baseline[check]
    assert code == 0, f"the unbroken copy already fails {check}, so this fault cannot be judged:\n{output[-2000:]}"


def assert_names(output: str, *needles: str) -> None:
    for needle in needles:
        assert needle in output, f"the failure does not name {needle!r}:\n{output[-4000:]}"


# ---------------------------------------------------------------- the faults

FAULTS = {}


def fault(function):
    FAULTS[function.__name__.removeprefix("fault_")] = function
    return function


# Faults that append code to a snippet (the first one a page shows with {{ output: }}, or the
# first figure) and must fail the strict build with a message naming the snippet. "@" stands
# for snippets/<file>:<line of the last appended line>. One row per fault:
#   name: (which snippet, appended code, extra build environment, what the message must name)
SNIPPET_FAULTS = {
    "snippet_raises": ("output", f"raise RuntimeError({INJECTED!r})", {}, ("@", "RuntimeError", INJECTED)),
    # an overflow outside np.errstate is a warning, and warnings are errors
    "snippet_overflows_without_errstate": (
        "output", "import numpy as _np; _huge = _np.float64(1.5) ** 10_000", {}, ("@", "overflow")),
    # `if __name__ == "__main__": sys.exit(main())` once ended the build with exit 0 and no site
    "snippet_calls_sys_exit": (
        "output", "import sys\nif __name__ == '__main__':\n    sys.exit(0)", {}, ("@", "sys.exit(0)")),
    # `while True: pass` once hung the build forever
    "snippet_never_ends": ("output", "while True:\n    pass", {"DOCS_TIME_LIMIT_S": "2"},
                           ("still running after 2 s, the time limit", "DOCS_TIME_LIMIT_S")),
    "snippet_changes_directory": ("output", "import os; os.chdir('/')", {}, ("changed the working directory",)),
    "figure_snippet_raises": ("figure", f"raise ValueError({INJECTED!r})", {}, ("@", "ValueError", INJECTED)),
    # a figure's line holds inf (e.g. an overflow under errstate)
    "figure_plots_inf_line": (
        "figure", 'fig.axes[0].plot([1.0, 2.0, 3.0], [1.0, float("inf"), 2.0], label="overflowed")', {},
        ("NaN or inf", "overflowed")),
    # the same defect drawn with scatter (points, not a line)
    "figure_scatters_nan": ("figure", 'fig.axes[0].scatter([1.0, 2.0, 3.0], [1.0, float("nan"), 2.0])', {}, ("NaN",)),
}


def snippet_fault(kind: str, code: str, env: dict[str, str], needles: tuple[str, ...]):
    def check(copy, baseline):
        require(baseline, "build")
        _, d = first(((p, d) for p, d in page_directives(copy) if d.kind == kind), f"{kind} directive")
        rel = f"snippets/{d.snippet}"
        last_line = line_count_after_append(copy, rel) + code.count("\n")
        with edited(copy, rel, appended(code)):
            output = failed_build(copy, **env)
        assert_names(output, rel, *(f"{rel}:{last_line}" if n == "@" else n for n in needles))

    return check


for _name, _row in SNIPPET_FAULTS.items():
    FAULTS[_name] = snippet_fault(*_row)


@fault
def fault_value_no_longer_exported(copy, baseline):
    """A prose number quotes a value the snippet no longer defines (renamed): page and line."""
    require(baseline, "build")
    uses = [(p, d) for p, d in page_directives(copy) if d.kind == "value" and not d.snippet.startswith("nets/")]
    counts = {}
    for _, d in uses:
        counts[(d.snippet, d.name)] = counts.get((d.snippet, d.name), 0) + 1
    page, d = first(((p, d) for p, d in uses if counts[(d.snippet, d.name)] == 1), "value quoted once")
    rel = f"snippets/{d.snippet}"
    with edited(copy, rel, lambda text: re.sub(rf"\b{d.name}\b", f"{d.name}_renamed", text)):
        output = failed_build(copy)
    assert_names(output, f"{page}:{d.line}", f"no scalar named '{d.name}'")


SIGNIFICANT_TEXT = re.compile(r"\d+\.\d+")


@fault
def fault_value_pasted_into_prose(copy, baseline):
    """A page states snippet numbers typed by hand (they would go stale): test_docs names them.

    Every {{ value: }} of one page that renders with three or more significant digits
    is replaced by its text, wherever it sits (mid-sentence, before a full stop, in math);
    the failure must list each pasted number.
    """
    require(baseline, "test_docs")
    found = [(p, d) for p, d in page_directives(copy) if d.kind == "value"]
    texts = render_values(copy, [d for _, d in found])
    candidates = {}
    for (page, d), text in zip(found, texts):
        numbers = [n for n in SIGNIFICANT_TEXT.findall(text) if len(n.replace(".", "").lstrip("0")) >= 3]
        if numbers:
            candidates.setdefault(page, []).append((d, text, numbers))
    assert candidates, "no {{ value: }} renders a number with three significant digits"
    page = max(candidates, key=lambda p: (len(candidates[p]), p))
    source = (copy / page).read_text(encoding="utf-8")
    pasted = source
    for d, text, _ in sorted(candidates[page], key=lambda c: -c[0].span[0]):
        pasted = pasted[: d.span[0]] + text + pasted[d.span[1] :]
    with edited(copy, page, lambda _: pasted):
        code, output = pytest_in(copy, "tests/pages/test_docs.py", "-k", "test_no_hand_typed_results_in_prose")
    assert code == 1, output[-3000:]
    assert_names(output, "FAILED tests/pages/test_docs.py::test_no_hand_typed_results_in_prose", page)
    message = output[output.index("numbers typed by hand"):] if "numbers typed by hand" in output else output
    for d, text, numbers in candidates[page]:
        for number in numbers:
            assert f"'{number}'" in message, (
                f"{page}:{d.line}: the pasted {text!r} (was {{{{ value: {d.snippet}:{d.name} }}}}) "
                f"is not reported:\n{output[-2500:]}"
            )


@fault
def fault_output_pasted_into_page(copy, baseline):
    """A page shows a snippet's printed output pasted in a ```text block: test_docs names the page."""
    require(baseline, "test_docs")
    page, d = first(((p, d) for p, d in page_directives(copy) if d.kind == "output"), "output directive")
    block = "```text\n" + snippet_stdout(copy, d.snippet).rstrip("\n") + "\n```"
    source = (copy / page).read_text(encoding="utf-8")
    start, end = d.span
    with edited(copy, page, lambda _: source[:start] + block + source[end:]):
        code, output = pytest_in(copy, "tests/pages/test_docs.py", "-k", "test_no_page_pastes_code_or_output")
    assert code == 1, output[-3000:]
    assert_names(output, "FAILED tests/pages/test_docs.py::test_no_page_pastes_code_or_output", page)


@fault
def fault_output_changes_under_the_prose(copy, baseline):
    """power_of_identity.py runs 11 layers, but the page's prose says 1.5^9 (L - 1 = 9).

    The build shows the new output and the new value without complaint; the page's test,
    which pins the claim (L = 10, y = 1.5^9 exactly), must fail and name the snippet.
    """
    require(baseline, "build")
    require(baseline, "exploding_vanishing")
    rel = "snippets/exploding_vanishing/power_of_identity.py"
    with replaced_line(copy, rel, r"^L = 10\b", "L = 11"):
        code, build_output = build(copy)
        test_code, output = pytest_in(copy, *CLAIM_TESTS["exploding_vanishing"])
    assert code == 0, "expected the build to accept a changed output:\n" + build_output[-2000:]
    assert test_code == 1, output[-3000:]
    assert_names(output, "FAILED tests/pages/test_exploding_vanishing.py::test_power_of_identity", rel.removeprefix("snippets/"))


@fault
def fault_figure_without_alt(copy, baseline):
    """A {{ figure: }} whose alt text is empty: the build names page and line."""
    require(baseline, "build")
    page, d = first(((p, d) for p, d in page_directives(copy) if d.kind == "figure"), "figure")
    source = (copy / page).read_text(encoding="utf-8")
    start, end = d.span
    bare = f"{{{{ figure: {d.snippet}\n   alt:\n   caption: {d.options['caption']} }}}}"
    with edited(copy, page, lambda _: source[:start] + bare + source[end:]):
        output = failed_build(copy)
    assert_names(output, f"{page}:{d.line}", "alt")


@fault
def fault_image_without_alt(copy, baseline):
    """A plain markdown image with no alt text gets past the build; test_site must name the page."""
    require(baseline, "build")
    require(baseline, "test_every_image_has_alt_text")
    page, d = first(((p, d) for p, d in page_directives(copy) if d.kind == "figure"), "figure")
    uri = page.removeprefix("docs/")
    src = posixpath.relpath(directives.figure_uri(d.snippet, "light"), posixpath.dirname(uri) or ".")
    with edited(copy, page, appended(f"\n![]({src})")):
        site = built_site(copy)
        code, output = site_check(copy, "test_every_image_has_alt_text", site)
    assert code == 1, output[-3000:]
    assert_names(output, "AssertionError", html_page(page), "images without alt text")


@fault
def fault_directive_names_missing_snippet(copy, baseline):
    """{{ output: }} of a snippet that does not exist: the build names the page and line."""
    require(baseline, "build")
    page, d = first(((p, d) for p, d in page_directives(copy) if d.kind == "output"), "output directive")
    missing = d.snippet.replace(".py", "_missing.py")
    source = (copy / page).read_text(encoding="utf-8")
    start, end = d.span
    with edited(copy, page, lambda _: source[:start] + f"{{{{ output: {missing} }}}}" + source[end:]):
        output = failed_build(copy)
    assert_names(output, missing, f"{page}:{d.line}")


INCLUDE_LINE = r'^(\s*-{1,}8<-{1,}\s+")([^":]+\.py)((?::\w+)?")'


def first_include(copy: Path, with_section: bool = False) -> str:
    for page in pages(copy):
        for line in (copy / page).read_text(encoding="utf-8").split("\n"):
            match = re.match(INCLUDE_LINE, line)
            if match and (bool(match[3] != '"') == with_section):
                return page
    raise AssertionError("the project has no such --8<-- include to break")


@fault
def fault_include_of_missing_snippet(copy, baseline):
    require(baseline, "build")
    page = first_include(copy)
    with replaced_line(copy, page, INCLUDE_LINE, r"\1snippet_that_was_deleted.py\3"):
        output = failed_build(copy)
    assert_names(output, page.removeprefix("docs/"), "snippet_that_was_deleted.py")


@fault
def fault_include_of_missing_section(copy, baseline):
    require(baseline, "build")
    page = first_include(copy, with_section=True)
    with replaced_line(copy, page, INCLUDE_LINE, r'\1\2:section_that_was_renamed"'):
        output = failed_build(copy)
    assert_names(output, page.removeprefix("docs/"), "section_that_was_renamed")


LINK = r"\]\((?!https?:|#|mailto:)([^)#\s]+)\.md\)"


@fault
def fault_broken_internal_link(copy, baseline):
    require(baseline, "build")
    page = first((p for p in pages(copy) if re.search(LINK, (copy / p).read_text(encoding="utf-8"))), "link")
    with replaced_line(copy, page, LINK, r"](\1-moved.md)"):
        output = failed_build(copy)
    assert_names(output, page.removeprefix("docs/"), "-moved.md", "not found")


@fault
def fault_broken_anchor(copy, baseline):
    require(baseline, "build")
    page = first((p for p in pages(copy) if re.search(LINK, (copy / p).read_text(encoding="utf-8"))), "link")
    with replaced_line(copy, page, LINK, r"](\1.md#section-that-was-renamed)"):
        output = failed_build(copy)
    assert_names(output, page.removeprefix("docs/"), "#section-that-was-renamed")


@fault
def fault_bad_tex(copy, baseline):
    require(baseline, "build")
    page = pages(copy)[0]
    with edited(copy, page, appended("\nThe ratio $\\frac{1}$ is half-written.")):
        output = failed_build(copy)
    assert_names(output, page, "frac")


@fault
def fault_notebook_cell_raises(copy, baseline):
    """A lab notebook's cell raises: the build names the notebook and the cell."""
    require(baseline, "build")
    notebooks = sorted((copy / "docs").rglob("*.ipynb"))
    assert notebooks, "the project has no notebook to break"
    rel = notebooks[0].relative_to(copy).as_posix()
    nb = json.loads(notebooks[0].read_text(encoding="utf-8"))
    index = 1 + next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code")
    cell = {"cell_type": "code", "execution_count": None, "id": "injected-fault", "metadata": {},
            "outputs": [], "source": [f"raise RuntimeError({INJECTED!r})"]}

    def change(text):
        data = json.loads(text)
        data["cells"].insert(index, cell)
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    with edited(copy, rel, change):
        output = failed_build(copy)
    assert_names(output, rel, f"cell {index}", "RuntimeError")


EXTERNAL = {
    "script": "https://cdn.jsdelivr.net/npm/some-widget@1/widget.min.js",
    "stylesheet": "https://fonts.googleapis.com/css2?family=Roboto",
}


@fault
def fault_page_loads_external_script_and_stylesheet(copy, baseline):
    """A page pulls a widget script and a web-font stylesheet from CDNs: test_site names page and URLs."""
    require(baseline, "build")
    require(baseline, "test_pages_fetch_nothing_from_other_hosts")
    page = pages(copy)[-1]
    tags = f'<script src="{EXTERNAL["script"]}"></script>\n<link rel="stylesheet" href="{EXTERNAL["stylesheet"]}">'
    with edited(copy, page, appended("\n" + tags + "\n")):
        site = built_site(copy)
        code, output = site_check(copy, "test_pages_fetch_nothing_from_other_hosts", site)
    assert code == 1, output[-3000:]
    assert_names(output, "AssertionError", html_page(page), "loads from another host", *EXTERNAL.values())


@fault
def fault_theme_loads_google_fonts(copy, baseline):
    """`font: false` turned back into Material's default Google Fonts: every page fetches them."""
    require(baseline, "build")
    require(baseline, "test_pages_fetch_nothing_from_other_hosts")
    with replaced_line(copy, "mkdocs.yml", r"^(\s*)font: false\s*$", r"\1font:\n\1  text: Roboto"):
        site = built_site(copy)
        code, output = site_check(copy, "test_pages_fetch_nothing_from_other_hosts", site)
    assert code == 1, output[-3000:]
    assert_names(output, "AssertionError", "fonts.googleapis.com")


@fault
def fault_stylesheet_loads_external_font(copy, baseline):
    require(baseline, "build")
    require(baseline, "test_stylesheets_fetch_nothing_from_other_hosts")
    sheet = first(sorted(p.relative_to(copy).as_posix() for p in (copy / "docs").rglob("*.css")), "stylesheet")
    rule = '@font-face { font-family: "Web"; src: url(https://fonts.gstatic.com/s/web/v1/web.woff2) format("woff2"); }'
    with edited(copy, sheet, appended(rule)):
        site = built_site(copy)
        code, output = site_check(copy, "test_stylesheets_fetch_nothing_from_other_hosts", site)
    assert code == 1, output[-3000:]
    assert_names(output, "AssertionError", sheet.removeprefix("docs/"), "fonts.gstatic.com")


@fault
def fault_mlp_he_loses_factor_two(copy, baseline):
    """nets.mlp's He init with Var = 1/n instead of 2/n: exactly its variance tests fail."""
    require(baseline, "nets_mlp")
    rel = "snippets/nets/mlp.py"
    with replaced_line(copy, rel, r'"he": np\.sqrt\(2 / n_in\)', '"he": np.sqrt(1 / n_in)'):
        code, output = pytest_in(copy, *CLAIM_TESTS["nets_mlp"])
    assert code == 1, output[-3000:]
    failed = re.findall(r"^FAILED (\S+)", output, re.M)
    assert failed and all("-he-" in f or "[he-" in f or "-he]" in f for f in failed), output[-3000:]


@fault
def fault_he_normal_loses_factor_two(copy, baseline):
    """init_schemes.he_normal with default gain 1 instead of √2: its variance test fails."""
    require(baseline, "init_schemes")
    rel = "snippets/initialisation_variants/init_schemes.py"
    with replaced_line(copy, rel, r"^def he_normal\(shape, rng, gain=np\.sqrt\(2\)\)", "def he_normal(shape, rng, gain=1.0)"):
        code, output = pytest_in(copy, *CLAIM_TESTS["init_schemes"])
    assert code == 1, output[-3000:]
    failed = re.findall(r"^FAILED (\S+)", output, re.M)
    assert any("he_normal" in f for f in failed), output[-3000:]


@fault
def fault_mlp_samples_two_percent_wide(copy, baseline):
    """nets.mlp samples W with a 2 % too large std (the formula itself untouched).

    Only the sample-variance check can see this: Var is 4 % high, and the test's stated
    tolerance is 5 standard errors of a 240,000-sample variance (1.4 %).
    """
    require(baseline, "nets_mlp")
    rel = "snippets/nets/mlp.py"
    with replaced_line(copy, rel, r"rng\.standard_normal\(\(n_out, n_in\)\) \* init_std\(init, n_in, n_out\)$",
                       "rng.standard_normal((n_out, n_in)) * init_std(init, n_in, n_out) * 1.02"):
        code, output = pytest_in(copy, *CLAIM_TESTS["nets_mlp"])
    assert code == 1, output[-3000:]
    failed = re.findall(r"^FAILED (\S+)", output, re.M)
    assert any("he" in f for f in failed), output[-3000:]
    assert "W.var()" in output, output[-3000:]


# ---------------------------------------------------------------- what a snippet can smuggle in (issue 11)


def first_output(copy: Path) -> tuple[str, directives.Directive]:
    return first(((p, d) for p, d in page_directives(copy) if d.kind == "output"), "output directive")


def built_page(copy: Path, page: str, **env: str) -> str:
    site = copy / ".cache" / "fault-site"
    code, output = build(copy, site, **env)
    assert code == 0, output[-3000:]
    return (site / html_page(page)).read_text(encoding="utf-8")


@fault
def fault_snippet_changes_global_state(copy, baseline):
    """One snippet silences NumPy's overflow warnings; another overflows without errstate.

    In one process the second would pass or fail depending on which ran first; each
    snippet runs in a clean process, so the build fails on the second, named, either way.
    """
    require(baseline, "build")
    outputs = [d for _, d in page_directives(copy) if d.kind == "output"]
    quiet, loud = outputs[0].snippet, next(d.snippet for d in outputs if d.snippet != outputs[0].snippet)
    with edited(copy, f"snippets/{quiet}", appended("import numpy as _np; _np.seterr(all='ignore')")), \
            edited(copy, f"snippets/{loud}", appended("import numpy as _np; _huge = _np.float64(1.5) ** 10_000")):
        output = failed_build(copy)
    assert_names(output, f"snippets/{loud}", "overflow")


@fault
def fault_data_file_changes_under_the_cache(copy, baseline):
    """A snippet reads a data file; editing the file re-runs it (it was a stale cache hit)."""
    require(baseline, "build")
    page, d = first_output(copy)
    rel = f"snippets/{d.snippet}"
    data = copy / "snippets" / (Path(d.snippet).parent / "fault-data.txt")
    data.write_text("first reading\n")
    reader = "from pathlib import Path as _P; print((_P(__file__).parent / 'fault-data.txt').read_text())"
    try:
        with edited(copy, rel, appended(reader)):
            assert "first reading" in built_page(copy, page)
            data.write_text("second reading\n")
            html = built_page(copy, page)
    finally:
        data.unlink()
    assert "second reading" in html and "first reading" not in html, "the page kept the stale output"


@fault
def fault_environment_variable_changes_under_the_cache(copy, baseline):
    require(baseline, "build")
    page, d = first_output(copy)
    rel = f"snippets/{d.snippet}"
    with edited(copy, rel, appended("import os; print('knob is', os.environ.get('FAULT_KNOB', 'unset'))")):
        assert "knob is low" in built_page(copy, page, FAULT_KNOB="low")
        html = built_page(copy, page, FAULT_KNOB="high")
    assert "knob is high" in html, "the page kept the output made with the old variable"


@fault
def fault_relative_import_changes_under_the_cache(copy, baseline):
    """nets/ gains a module imported relatively (`from .fault_act import ...`); editing it re-runs."""
    require(baseline, "build")
    page, d = first_output(copy)
    rel = f"snippets/{d.snippet}"
    (copy / "snippets/nets/fault_act.py").write_text("WORD = 'alpha'\n")
    (copy / "snippets/nets/fault_use.py").write_text("from .fault_act import WORD\n")
    try:
        with edited(copy, rel, appended("from nets.fault_use import WORD as _W; print('word', _W)")):
            assert "word alpha" in built_page(copy, page)
            (copy / "snippets/nets/fault_act.py").write_text("WORD = 'omega'\n")
            html = built_page(copy, page)
    finally:
        for name in ("fault_act.py", "fault_use.py"):
            (copy / "snippets/nets" / name).unlink()
    assert "word omega" in html, "the page kept the output of the old relatively imported module"


@fault
def fault_cache_entry_edited(copy, baseline):
    """A cache entry edited to say something else (still valid JSON): ignored, reported, re-run."""
    require(baseline, "build")
    page, d = first_output(copy)
    stdout = snippet_stdout(copy, d.snippet)
    line = next(ln for ln in stdout.splitlines() if ln.strip())
    built_page(copy, page)
    entries = [e for e in (copy / ".cache/snippets").glob("*.json")
               if json.loads(e.read_text())["snippet"] == d.snippet]
    assert len(entries) == 1, entries
    entries[0].write_text(entries[0].read_text().replace(json.dumps(line)[1:-1], "forged output"))
    site = copy / ".cache" / "fault-site"
    code, output = build(copy, site)
    assert code == 0, output[-3000:]
    assert_names(output, entries[0].name, "does not match its checksum")
    html = (site / html_page(page)).read_text(encoding="utf-8")
    assert "forged output" not in html


@fault
def fault_value_smuggles_html(copy, baseline):
    """A string value holding <script> is shown as text, not run in the reader's browser."""
    require(baseline, "build")
    page, d = first_output(copy)
    rel = f"snippets/{d.snippet}"
    payload = "<script>alert('fault')</script>"
    with edited(copy, rel, appended(f"fault_text = {payload!r}")), \
            edited(copy, page, appended(f"\nSaid: {{{{ value: {d.snippet}:fault_text }}}}")):
        html = built_page(copy, page)
    assert payload not in html and "&lt;script&gt;alert('fault')&lt;/script&gt;" in html


@fault
def fault_include_symlink_escapes(copy, baseline):
    """A symlink under snippets/ to a file outside, shown with --8<--, would publish that file."""
    require(baseline, "build")
    page = pages(copy)[0]
    outside = copy.parent / f"{copy.name}-outside-secret.txt"
    outside.write_text("the CI machine's secret\n")
    link = copy / "snippets" / "fault_link.py"
    link.symlink_to(outside)
    try:
        with edited(copy, page, appended('\n```python\n--8<-- "fault_link.py"\n```')):
            line = len((copy / page).read_text(encoding="utf-8").rstrip("\n").split("\n")) - 1
            output = failed_build(copy)
    finally:
        link.unlink()
        outside.unlink()
    assert_names(output, f"{page}:{line}", "resolves outside snippets/")


@fault
def fault_misspelt_directive_left_on_page(copy, baseline):
    """`{{ Value: ... }}` (capital) and a directive without its colon stayed on the page as text."""
    require(baseline, "build")
    page, d = first_output(copy)
    for text, needle in ((f"{{{{ Value: {d.snippet}:x }}}}", "unknown directive 'Value'"),
                         (f"{{{{ output {d.snippet} }}}}", "'output' needs a colon"),
                         ("{{ outpt_typo }}", "left on the page unexpanded")):
        with edited(copy, page, appended("\n" + text)):
            line = line_count_after_append(copy, page) - 1
            output = failed_build(copy)
        assert_names(output, page, needle)
        if "unexpanded" not in needle:
            assert_names(output, f"{page}:{line}")


@fault
def fault_value_is_nan(copy, baseline):
    require(baseline, "build")
    page, d = first_output(copy)
    with edited(copy, f"snippets/{d.snippet}", appended("fault_mean = float('nan')")), \
            edited(copy, page, appended(f"\nMean is {{{{ value: {d.snippet}:fault_mean | .3g }}}}.")):
        line = line_count_after_append(copy, page) - 1
        output = failed_build(copy)
    assert_names(output, f"{page}:{line}", "'fault_mean' is nan")


@fault
def fault_snippet_output_depends_on_hash_seed(copy, baseline):
    """Output that follows set order differs between builds; the comparison names the snippet."""
    require(baseline, "build")
    _, d = first_output(copy)
    rel = f"snippets/{d.snippet}"
    caches = [copy / ".cache" / f"hash-{seed}" for seed in (1, 2)]
    for cache in caches:  # each starts from the warm cache: only the edited snippet runs again
        for kind in ("snippets", "notebooks", "mkdocs-jupyter", "math-font", "notebook-css"):
            if (copy / ".cache" / kind).is_dir():
                shutil.copytree(copy / ".cache" / kind, cache / kind, symlinks=True)
    printing = "print(' '.join({'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'}))"
    with edited(copy, rel, appended(printing)):
        for seed, cache in zip((1, 2), caches):  # separate interpreters: the hash seed is fixed at start
            site = copy / ".cache" / f"site-hash-{seed}"
            code, output = run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                               copy, DOCS_CACHE_DIR=str(cache), PYTHONHASHSEED=str(seed))
            assert code == 0, output[-3000:]
    differing = snippet_records_differ(*caches)
    for cache in caches:
        shutil.rmtree(cache)
    assert d.snippet in differing, differing


# ---------------------------------------------------------------- `make build` keeps site/ whole


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def make_build(copy: Path, path_prefix: Path | None = None) -> subprocess.Popen:
    """`make build` in the copy with the real virtualenv; -o: never (re)install into it."""
    env = build_env(copy)
    if path_prefix:
        env["PATH"] = f"{path_prefix}{os.pathsep}{env['PATH']}"
    return subprocess.Popen(
        ["make", "--no-print-directory", "-o", f"{VENV}/.installed", f"VENV={VENV}", "build"],
        cwd=copy, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )


def fresh_site(copy: Path) -> dict[str, bytes]:
    """site/ as `make build` of the unbroken copy leaves it (with a marker file in it, which a
    later `make build` must keep or replace whole). A copy's first make_build fault builds it;
    the next ones find it there, as a `make build` that failed or succeeded on the restored
    sources left it, and spare a build (the sources are the same, the build is reproducible)."""
    marker = copy / "site" / "PREVIOUS-BUILD"
    if not marker.is_file():
        process = make_build(copy)
        output, _ = process.communicate(timeout=600)
        assert process.returncode == 0, output[-3000:]
        marker.write_text("this site/ was built before the fault\n")
    return tree(copy / "site")


def make_build_fails_site_unchanged(copy, baseline, breakage: str):
    require(baseline, "build")
    before = fresh_site(copy)
    _, d = first(((p, d) for p, d in page_directives(copy) if d.kind == "output"), "output directive")
    with edited(copy, f"snippets/{d.snippet}", appended(breakage)):
        output, _ = (process := make_build(copy)).communicate(timeout=600)
    assert process.returncode != 0, output[-3000:]
    assert tree(copy / "site") == before, "a failed `make build` changed site/"


@fault
def fault_make_build_fails_site_unchanged(copy, baseline):
    make_build_fails_site_unchanged(copy, baseline, f"raise RuntimeError({INJECTED!r})")


@fault
def fault_make_build_snippet_exits_site_unchanged(copy, baseline):
    """sys.exit() in a snippet once made the build exit 0 with no site, and `make build` deleted site/."""
    make_build_fails_site_unchanged(copy, baseline, "import sys; sys.exit()")


@fault
def fault_make_build_interrupted_site_unchanged(copy, baseline):
    """SIGTERM to `make build` while mkdocs writes the new site: site/ stays the old one."""
    require(baseline, "build")
    before = fresh_site(copy)
    scratch = copy / ".cache" / "site-next"
    for attempt in range(3):
        shutil.rmtree(scratch, ignore_errors=True)
        process = make_build(copy)
        while process.poll() is None and not (scratch.is_dir() and any(scratch.iterdir())):
            time.sleep(0.005)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            output, _ = process.communicate(timeout=60)
            break
        process.communicate()
    else:
        raise AssertionError("`make build` finished three times before it could be interrupted")
    assert process.returncode != 0, output[-3000:]
    assert tree(copy / "site") == before, "an interrupted `make build` changed site/"


@fault
def fault_make_build_site_never_missing(copy, baseline):
    """While `make build` replaces the site, site/index.html must exist at every instant.

    A thread looks for it thousands of times a second for the whole run; with two renames
    (the old recipe) there is a moment with no site/ at all.
    """
    require(baseline, "build")
    fresh_site(copy)
    index = copy / "site" / "index.html"
    missing, done = [], threading.Event()

    def watch():
        while not done.is_set():
            if not index.is_file():
                missing.append(time.monotonic())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        output, _ = (process := make_build(copy)).communicate(timeout=600)
    finally:
        done.set()
        watcher.join()
    assert process.returncode == 0, output[-3000:]
    assert not missing, f"site/index.html was missing {len(missing)} times during `make build`"
    assert (copy / "site").is_symlink()


@fault
def fault_build_killed_leaves_no_process(copy, baseline):
    """`kill -9` of a build (as of `mkdocs serve`) while snippets run: no worker outlives it."""
    require(baseline, "build")
    _, d = first_output(copy)
    rel = f"snippets/{d.snippet}"
    mark = f"deep-init-fault-{os.getpid()}-{time.monotonic_ns()}"
    started = copy / ".cache" / "fault-started"
    started.unlink(missing_ok=True)
    with edited(copy, rel, appended(f"open({str(started)!r}, 'w').close()\nimport time\ntime.sleep(120)")):
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(copy / ".cache" / "killed")],
            cwd=copy, env=build_env(copy, FAULT_MARK=mark), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while not started.exists() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        assert started.exists(), "the snippet never started"
        process.kill()
        process.wait()
        for _ in range(100):
            survivors = processes_with(mark)
            if not survivors:
                return
            time.sleep(0.05)
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    raise AssertionError(f"processes outlived the killed build: {survivors}")


def processes_with(mark: str) -> list[int]:
    """Live processes whose environment holds ``mark``."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if mark.encode() in (proc / "environ").read_bytes():
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


# ---------------------------------------------------------------- the session and the tests


class FaultRun:
    """Every selected fault, run in a background thread as soon as the session's cold builds end.

    tests/conftest.py starts it right after collection (start_in_background), so the faults
    use the cores that the page and browser tests leave idle; the tests below only read its
    results. Two copies of the project, each with a warm cache (the one the session's cold
    build filled) and a build server; two faults at a time, one per copy.
    """

    def __init__(self, builds, names: list[str]):
        self.names = names
        self.root = Path(tempfile.mkdtemp(prefix="deep-init-faults-"))
        self._stopping = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="faults")
        self._future = self._pool.submit(self._run, builds)

    def result(self) -> dict:
        """{"copies": [...], "baseline": {check: (code, output)}, "faults": {name: (traceback or None, s)}}."""
        return self._future.result()

    def stop(self) -> None:
        """Start no more work (the session is ending)."""
        self._stopping.set()

    def close(self) -> None:
        """Wait for the faults already running, then remove the copies."""
        self.stop()
        self._pool.shutdown(wait=True, cancel_futures=True)
        while _servers:
            _servers.popitem()[1].close()
        shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, builds) -> dict:
        cold = builds.wait()
        if self._stopping.is_set():
            return {}
        code, output = cold["results"][0]
        if code != 0:
            raise AssertionError("the session's cold build failed, so no fault can run:\n" + output[-3000:])
        first_copy = make_copy(self.root / "copy1", cache=cold["caches"][0])
        _servers[first_copy] = BuildServer(first_copy, build_env(first_copy))
        baseline = self._baseline(first_copy)
        second_copy = clone_copy(first_copy, self.root / "copy2")
        _servers[second_copy] = BuildServer(second_copy, build_env(second_copy))
        copies = [first_copy, second_copy]
        return {"copies": copies, "baseline": baseline, "faults": self._faults(copies, baseline)}

    @staticmethod
    def _baseline(copy: Path) -> dict:
        """What the unbroken copy gives each check a fault relies on."""
        site = copy / ".cache" / "fault-site"
        baseline = {"build": build(copy, site)}
        for check in SITE_CHECKS:
            baseline[check] = site_check(copy, check, site) if baseline["build"][0] == 0 else baseline["build"]
        baseline["test_docs"] = pytest_in(copy, "tests/pages/test_docs.py", "-k", " or ".join(DOCS_CHECKS))
        for claim, args in CLAIM_TESTS.items():
            baseline[claim] = pytest_in(copy, *args)
        return baseline

    def _faults(self, copies: list[Path], baseline: dict) -> dict:
        free = queue.Queue()
        for copy in copies:
            free.put(copy)

        def run_one(name):
            if self._stopping.is_set():
                return name, ("not run: the session ended first", 0.0)
            copy = free.get()
            start = time.perf_counter()
            try:
                FAULTS[name](copy, baseline)
                return name, (None, time.perf_counter() - start)
            except BaseException:  # noqa: BLE001 - reported by the fault's own test
                return name, (traceback.format_exc(), time.perf_counter() - start)
            finally:
                free.put(copy)

        # Longest first, so the two workers finish together.
        order = sorted(self.names, key=lambda n: (not n.startswith(("make_", "notebook", "build_killed")), n))
        with ThreadPoolExecutor(max_workers=len(copies)) as pool:
            results = dict(pool.map(run_one, order))
        write_fault_table(results)
        return results


def start_in_background(builds, items) -> FaultRun:
    """Called by tests/conftest.py after collection with this module's selected tests."""
    names = sorted({item.callspec.params["name"] for item in items
                    if item.originalname == "test_fault_is_caught_and_located"})
    return FaultRun(builds, names)


@pytest.fixture(scope="session")
def fault_run(request) -> dict:
    run = request.config.stash.get(BACKGROUND, {}).get(__name__)
    if run is None:
        pytest.fail("the fault suite is started by tests/conftest.py after collection; it was not started")
    return run.result()


def write_fault_table(results: dict) -> None:
    """test-artifacts/fault-table.txt: each fault, whether it was caught as required, and how long
    that took (the build or check that caught it, on a warm cache, two faults at a time)."""
    rows = [f"{'fault':48} {'caught':>6} {'seconds':>8}"]
    for name, (error, seconds) in sorted(results.items()):
        rows.append(f"{name:48} {'yes' if error is None else 'NO':>6} {seconds:8.1f}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "fault-table.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.mark.parametrize("check", ["build", *SITE_CHECKS, "test_docs", *CLAIM_TESTS])
def test_unbroken_copy_passes(check, fault_run):
    """Without this, a fault 'caught' by a check that fails anyway would prove nothing."""
    code, output = fault_run["baseline"][check]
    assert code == 0, f"the unbroken copy fails {check}:\n{output[-4000:]}"


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_fault_is_caught_and_located(name, fault_run):
    error, seconds = fault_run["faults"][name]
    if error:
        pytest.fail(f"{name} ({seconds:.1f} s): {FAULTS[name].__doc__ or ''}\n{error}", pytrace=False)
