"""The executed-notebook pipeline (sitebuild/notebook_exec.py, notebook_figures.py, notebook_css.py,
notebook_html.py)."""

from pathlib import Path

import nbformat
import pytest

from sitebuild import cache, figures, notebook_css, notebook_exec, notebook_figures, notebook_html

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "snippets"
LABS = sorted((ROOT / "docs" / "labs").glob("*.ipynb"))


def _write_nb(path: Path, cells: list[tuple[str, str, str]]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for kind, cid, source in cells:
        new = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        nb.cells.append(new(source, id=cid))
    nbformat.write(nb, path)
    return path


def test_there_are_labs():
    assert {p.name for p in LABS} >= {"he-2015.ipynb", "course-assignment.ipynb"}


@pytest.mark.parametrize("path", LABS, ids=lambda p: p.name)
def test_lab_source_is_clean(path):
    """Stored without outputs or execution counts, with fixed readable unique cell ids."""
    nb = nbformat.read(path, as_version=4)
    notebook_exec.check_source(nb, path.name)  # raises on a violation
    assert all(notebook_exec.CELL_ID.match(c.id) for c in nb.cells)
    assert len({c.id for c in nb.cells}) == len(nb.cells)


@pytest.fixture(scope="module")
def executed(cold_builds):
    """Each lab as the session's cold build of the working tree executed it (its cache), so
    the tests and the build share the work; a missing or stale entry is executed here."""
    kernel = notebook_figures.Kernel(cold_builds["caches"][0] / "notebooks")
    out = {}
    for path in LABS:
        src_uri = f"labs/{path.name}"
        with kernel.environment():
            nb_path, modules, key, _ = notebook_exec.load_or_execute(
                path, SNIPPETS, kernel.cache_dir, f"docs/{src_uri}", src_uri
            )
        out[path.name] = (nbformat.read(nb_path, as_version=4), modules, key)
    return out


@pytest.mark.build
@pytest.mark.parametrize("path", LABS, ids=lambda p: p.name)
def test_lab_executes_without_errors(path, executed):
    nb, _, _ = executed[path.name]
    source = nbformat.read(path, as_version=4)
    assert [c.id for c in nb.cells] == [c.id for c in source.cells]  # ids survive execution
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    for cell in code:
        assert "execution" not in cell.metadata  # no timestamps
        for output in cell.outputs:
            assert output.output_type != "error", cell.id
            assert not (output.output_type == "stream" and output.name == "stderr"), cell.id
        kinds = {kind for o in cell.outputs for kind in o.get("data", {}) if kind.startswith("image/")}
        assert kinds <= {"image/svg+xml"}, f"{cell.id}: figures drawn as {kinds}, not SVG"
        if kinds:
            assert cell.metadata.get("alt"), f"{cell.id}: figure without alt text"


@pytest.mark.build
def test_labs_import_the_shared_module(executed):
    for name, (_, modules, _) in executed.items():
        assert SNIPPETS / "nets" / "mlp.py" in modules, name


# ---------------------------------------------------------------- cache key


@pytest.fixture
def fake_project(tmp_path):
    root = tmp_path / "snippets"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "a.py").write_text("from . import b\n\ndef f():\n    return b.g()\n")
    (root / "pkg" / "b.py").write_text("def g():\n    return 1\n")
    (root / "other.py").write_text("X = 1\n")
    (root / "ns").mkdir()  # namespace package, no __init__.py
    (root / "ns" / "c.py").write_text("Y = 2\n")
    nb = _write_nb(
        tmp_path / "lab.ipynb",
        [("code", "imports", "%matplotlib inline\nimport numpy as np\nfrom pkg.a import f\n"
                              "from ns import c")],
    )
    return root, nb


def test_cache_key_follows_imports_transitively(fake_project):
    root, nb = fake_project
    key, modules = notebook_exec.cache_key(nb, root)
    rel = sorted(p.relative_to(root).as_posix() for p in modules)
    assert rel == ["ns/c.py", "pkg/__init__.py", "pkg/a.py", "pkg/b.py"]  # not other.py
    assert len(key) == 64


def test_cache_key_changes_with_an_imported_module_only(fake_project):
    root, nb = fake_project
    key0, _ = notebook_exec.cache_key(nb, root)
    (root / "other.py").write_text("X = 2\n")  # not imported: same key
    assert notebook_exec.cache_key(nb, root)[0] == key0
    (root / "pkg" / "b.py").write_text("def g():\n    return 2\n")  # imported via pkg.a
    key1, _ = notebook_exec.cache_key(nb, root)
    assert key1 != key0
    (root / "ns" / "c.py").write_text("Y = 3\n")
    key2, _ = notebook_exec.cache_key(nb, root)
    assert key2 not in (key0, key1)
    nb.write_bytes(nb.read_bytes().replace(b"import numpy as np", b"import numpy"))
    assert notebook_exec.cache_key(nb, root)[0] not in (key0, key1, key2)


def test_cache_key_includes_library_versions(fake_project, monkeypatch):
    root, nb = fake_project
    key0, _ = notebook_exec.cache_key(nb, root)
    monkeypatch.setattr(cache, "library_versions", lambda: "numpy==0.0.0")
    assert notebook_exec.cache_key(nb, root)[0] != key0


# ---------------------------------------------------------------- errors and determinism


def test_raising_cell_names_notebook_and_cell(tmp_path):
    nb = _write_nb(
        tmp_path / "broken.ipynb",
        [("markdown", "intro", "# Broken"),
         ("code", "fine", "x = 1"),
         ("code", "divide", "# divide by zero\ny = x / 0\nprint(y)")],
    )
    with pytest.raises(notebook_exec.NotebookError) as info:
        notebook_exec.execute(nb, tmp_path, "docs/labs/broken.ipynb")
    message = str(info.value)
    assert message.startswith("docs/labs/broken.ipynb: cell 2 (id 'divide', first line '# divide by zero')")
    assert "ZeroDivisionError" in message and "y = x / 0" in message
    assert "Traceback" not in message


def test_source_with_outputs_or_random_ids_is_refused(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1", id="ok")]
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    with pytest.raises(notebook_exec.NotebookError, match="stored with outputs"):
        notebook_exec.check_source(nb, "x.ipynb")
    nb.cells = [nbformat.v4.new_code_cell("1")]  # nbformat's random id, e.g. 'a3f9c2...'
    nb.cells[0].id = "8f3bc2a1-17"
    nb.cells.append(nbformat.v4.new_code_cell("2", id="8f3bc2a1-17"))
    with pytest.raises(notebook_exec.NotebookError, match="repeats the id"):
        notebook_exec.check_source(nb, "x.ipynb")


def test_execution_is_byte_identical_and_warnings_are_errors(tmp_path):
    nb = _write_nb(
        tmp_path / "plot.ipynb",
        [("code", "plot", "import matplotlib.pyplot as plt\nimport numpy as np\n"
                          "plt.plot(np.arange(5) ** 2)\nplt.show()")],
    )
    first = notebook_exec.dumps(notebook_exec.execute(nb, tmp_path, "plot.ipynb"))
    second = notebook_exec.dumps(notebook_exec.execute(nb, tmp_path, "plot.ipynb"))
    assert first == second  # PNG bytes, ids, no timestamps
    assert b"image/png" in first and b"Software" not in first
    warn = _write_nb(tmp_path / "warn.ipynb",
                     [("code", "warn", "import numpy as np\nnp.log(np.zeros(1))")])
    with pytest.raises(notebook_exec.NotebookError, match="RuntimeWarning"):
        notebook_exec.execute(warn, tmp_path, "warn.ipynb")


# ---------------------------------------------------------------- figures

PLOT = ("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([0, 1], [1, 0])\n"
        "ax.set(xlabel='x', ylabel='y', title='falls')\nplt.show()")
RENDERED = ('<div class="jp-Cell jp-CodeCell" id="cell-id=plot"><div class="jp-RenderedSVG '
            'jp-OutputArea-output " data-mime-type="image/svg+xml"><img src="data:image/svg+xml;base64,'
            'PHN2Zz4="></div></div>')


def test_lab_figures_become_light_and_dark_svg_files_with_alt_text(tmp_path):
    """With the build's kernel profile a figure is SVG in the site's theme; it becomes a light
    and a dark file (the dark one in the dark palette) and two lazy <img> with the cell's alt."""
    path = _write_nb(tmp_path / "plot.ipynb", [("code", "plot", PLOT)])
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].metadata["alt"] = "A line falling from 1 at x = 0 to 0 at x = 1."
    nbformat.write(nb, path)
    kernel = notebook_figures.Kernel(tmp_path / "cache")
    with kernel.environment():
        executed = notebook_exec.execute(path, tmp_path, "plot.ipynb")
    kinds = [k for o in executed.cells[0].outputs for k in o.get("data", {}) if k.startswith("image/")]
    assert kinds == ["image/svg+xml"]
    [figure] = notebook_figures.collect(executed, "plot", "plot.ipynb")
    assert (figure.uri, figure.dark_uri) == ("figures/labs/plot/plot-light.svg", "figures/labs/plot/plot-dark.svg")
    assert figure.alt == "A line falling from 1 at x = 0 to 0 at x = 1."
    assert figures.TEXT in figure.light and "falls" in figure.light  # the site theme, text as text
    assert figures.TEXT not in figure.dark and figures.LIGHT_TO_DARK[figures.TEXT] in figure.dark
    assert "<dc:date>" not in figure.light and figure.width > 100 and figure.height > 50
    page = notebook_figures.replace_outputs(RENDERED, [figure], lambda uri: "../../" + uri, "plot.ipynb")
    assert "data:" not in page
    # like a snippet figure: a phone layout 4.1 in wide behind #phone, which a <picture> picks
    # on small screens (so its text is not shrunk to a third on a phone)
    # (bbox_inches='tight' trims the margins: a little under 4.1 in)
    assert 0.8 * figures.PHONE_WIDTH_IN * 96 < figure.phone_width <= figures.PHONE_WIDTH_IN * 96
    assert '<view id="only-dark"' in figure.dark
    for variant in ("light", "dark"):
        assert (f'<source media="(max-width: 44.9375em)" srcset="../../figures/labs/plot/plot-{variant}.svg#phone" '
                f'width="{figure.phone_width}" height="{figure.phone_height}">') in page
        assert (f'<img src="../../figures/labs/plot/plot-{variant}.svg#only-{variant}" '
                f'alt="A line falling from 1 at x = 0 to 0 at x = 1." width="{figure.width}" '
                f'height="{figure.height}" loading="lazy"') in page


def test_lab_figure_without_alt_or_as_bitmap_is_refused(tmp_path):
    nb = nbformat.v4.new_notebook()
    svg = '<svg width="100pt" height="50pt"></svg>'
    nb.cells = [nbformat.v4.new_code_cell("plt.show()", id="plot")]
    nb.cells[0].outputs = [nbformat.v4.new_output("display_data", data={"image/svg+xml": svg})]
    with pytest.raises(notebook_exec.NotebookError,
                       match=r"^docs/labs/x.ipynb: cell 0 \(id 'plot'\) draws a figure but its metadata has no \"alt\""):
        notebook_figures.collect(nb, "x", "docs/labs/x.ipynb")
    nb.cells[0].metadata["alt"] = "Something."
    nb.cells[0].outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})]
    with pytest.raises(notebook_exec.NotebookError, match=r"cell 0 \(id 'plot'\) shows a image/png image"):
        notebook_figures.collect(nb, "x", "docs/labs/x.ipynb")


# ---------------------------------------------------------------- rendering


def test_css_trim_keeps_used_rules_and_their_variables():
    css = (
        ".w{--a:1px;--b:var(--a);--unused:3px}"
        ".w .used{margin:var(--b)}.w .gone{color:red}"
        ".w .used:not(.absent){padding:0}"
        "@media (max-width:10px){.w .gone{color:blue}.w .used{color:green}}"
        "@keyframes spin{from{opacity:0}to{opacity:1}}"
    )
    out = notebook_css.trim(css, {"w", "used"})
    assert ".w .used{margin:var(--b)}" in out
    assert "--b:var(--a)" in out and "--a:1px" in out  # used transitively
    assert "--unused" not in out and ".gone" not in out and "spin" not in out
    assert ":not(.absent)" in out and "@media (max-width:10px){.w .used{color:green}}" in out


def test_notebook_math_becomes_mathml(tmp_path):
    from mkdocs_jupyter import convert

    nb = _write_nb(tmp_path / "m.ipynb", [
        ("markdown", "m", "Inline $a < b$ and `$not math$`.\n\n$$\\frac{2}{n}$$"),
    ])
    with notebook_html.marked_math():
        html = convert.nb2html(str(nb), custom_mathjax_url="")
    body = notebook_html._render_math(html.partition(notebook_html.WRAPPER)[2], "m.ipynb")
    assert body.count("<math") == 2 and 'display="block"' in body
    assert "<code>$not math$</code>" in body  # code spans are not math
    assert "nb-tex" not in body and "$a" not in body


def test_error_shown_by_a_cell_that_ran_fails_the_execution(tmp_path):
    # The inline backend draws a cell's figures after the cell, in a post_execute callback; IPython
    # shows an exception there as an error output, yet the cell's status is "ok", so the executor
    # does not raise: the page would publish a traceback instead of a figure.
    show_error = ("def draw():\n    raise ValueError('no figure')\n"
                  "get_ipython().events.register('post_execute', draw)")
    path = _write_nb(tmp_path / "shows.ipynb", [("code", "fine", "x = 1"), ("code", "draw", show_error)])
    with pytest.raises(notebook_exec.NotebookError,
                       match=r"shows\.ipynb: cell 1 \(id 'draw', first line 'def draw\(\):'\) shows an error "
                             r"although it ran: ValueError: no figure"):
        notebook_exec.execute(path, tmp_path, "shows.ipynb")


def test_executed_labs_are_cached_under_the_code_that_draws_their_figures(tmp_path, monkeypatch):
    # The kernel draws lab figures with sitebuild/figures.py (both layouts): editing it must
    # re-execute the labs, or their pages keep figures drawn by the old code.
    sitebuild = Path(notebook_figures.__file__).parent
    assert set(notebook_figures.DRAWN_BY) == {sitebuild / "figures.py", sitebuild / "phone.py"}
    drawing = tmp_path / "figures.py"
    drawing.write_text("# v1\n")
    monkeypatch.setattr(notebook_figures, "DRAWN_BY", (drawing,))
    before = notebook_figures.Kernel(tmp_path / "cache").cache_dir.name
    drawing.write_text("# v2\n")
    assert notebook_figures.Kernel(tmp_path / "cache").cache_dir.name != before
