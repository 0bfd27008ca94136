"""The build machinery itself: directives, the runner, the cache key, figures, math."""

from __future__ import annotations

import contextlib
import hashlib
import json
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

from sitebuild import cache, code_blocks, directives, figures, imports, mathml, page_notebooks, results, runner
from sitebuild.runner import SnippetError, run_snippet


@pytest.fixture
def snippet_dir(tmp_path, monkeypatch):
    """A scratch snippets/ tree (and cache), so tests never write into the real ones."""
    for module in (runner, imports, results, cache):
        for name, value in (("SNIPPETS_DIR", tmp_path), ("PROJECT_DIR", tmp_path)):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, value)
    monkeypatch.setattr(results, "MACHINERY", [])
    monkeypatch.setenv("DOCS_CACHE_DIR", str(tmp_path / ".cache"))
    return tmp_path


@pytest.mark.parametrize(
    ("value", "spec", "expected"),
    [
        (1.5**30, ".4g", "1.918e+05"),
        (1.5**30, "sci:3", "1.92 × 10⁵"),
        (0.5**10, "sci:2", "9.8 × 10⁻⁴"),
        (1.5**30, "tex:3", r"1.92 \times 10^{5}"),
        (float("inf"), "sci:3", "inf"),
        (126, "d", "126"),
    ],
)
def test_format_value(value, spec, expected):
    assert directives.format_value(value, spec) == expected


def test_parse_reads_all_three_directives_with_lines():
    text = (
        "intro\n{{ output: a/b.py }}\n"
        "x = {{ value: a/b.py:y_30 | .3g }}\n"
        "{{ figure: a/plot_c.py\n   alt: what it shows\n   caption: what it means\n   over two lines }}\n"
    )
    out, value, figure = directives.parse(text, "docs/p.md", first_line=5)
    assert (out.kind, out.snippet, out.line) == ("output", "a/b.py", 6)
    assert (value.name, value.spec, value.line) == ("y_30", ".3g", 7)
    assert figure.options == {"alt": "what it shows", "caption": "what it means over two lines"}
    assert figure.line == 8


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("\n{{ outptu: a/b.py }}", "docs/p.md:2: unknown directive 'outptu'"),
        ("{{ value: a/b.py }}", "docs/p.md:1: value needs"),
        ("{{ figure: a/plot_c.py\n alt: x }}", "figure needs a non-empty 'caption:'"),
        ("{{ figure: a/c.py\n alt: x\n caption: y }}", "figures come from plot_*.py"),
        ("{{ output: ../etc/passwd.py }}", "expected a snippet path"),
    ],
)
def test_parse_errors_name_page_and_line(text, message):
    with pytest.raises(directives.DirectiveError, match=message.replace("*", r"\*").replace("(", r"\(")):
        directives.parse(text, "docs/p.md")


def test_value_error_lists_what_the_snippet_exports():
    [directive] = directives.parse("{{ value: a/b.py:missing }}", "docs/p.md")
    records = {"a/b.py": {"values": {"y": 1.0}}}
    with pytest.raises(directives.DirectiveError, match=r"docs/p.md:1: .* no scalar named 'missing' \(it exports: y\)"):
        directives.expand("{{ value: a/b.py:missing }}", [directive], records, "p.md")


def test_figure_markup_has_both_variants_alt_and_caption():
    text = "{{ figure: a/plot_c.py\n alt: rising lines\n caption: It grows. }}"
    records = {"a/plot_c.py": {"figure": {"width": 600.4, "height": 300.0}}}
    html = directives.expand(text, directives.parse(text, "docs/x/p.md"), records, "x/p.md")
    assert "![rising lines](../figures/a/plot_c-light.svg#only-light)" in html
    assert "![rising lines](../figures/a/plot_c-dark.svg#only-dark)" in html
    assert 'width="600" height="300"' in html and "It grows." in html


def test_figure_with_a_phone_view_gets_a_picture_that_picks_it_on_small_screens():
    # The page is served from x/p/ (use_directory_urls): srcset, which MkDocs does not rewrite,
    # must climb two folders where the Markdown image's src climbs one.
    text = "{{ figure: a/plot_c.py\n alt: rising lines\n caption: It grows. }}"
    light = '<svg><view id="only-light" viewBox="0 0 450 225"/><view id="phone" viewBox="0 249 295.2 400"/></svg>'
    records = {"a/plot_c.py": {"figure": {"width": 600.0, "height": 300.0, "light": light}}}
    html = directives.expand(text, directives.parse(text, "docs/x/p.md"), records, "x/p.md")
    for variant in ("light", "dark"):
        # 295.2 pt x 400 pt is 393.6 x 533.3 CSS px
        assert (f'<picture><source media="(max-width: 44.9375em)" srcset="../../figures/a/plot_c-{variant}.svg#phone" '
                f'width="394" height="533">![rising lines](../figures/a/plot_c-{variant}.svg#only-{variant})') in html


def test_runner_captures_output_and_namespace(snippet_dir):
    (snippet_dir / "p").mkdir()
    (snippet_dir / "p" / "s.py").write_text("import numpy as np\nx = np.float64(2.5)\nprint('hi', x)\n")
    result = run_snippet("p/s.py")
    assert result.stdout == "hi 2.5\n"
    assert result.namespace["x"] == 2.5


def test_runner_error_names_snippet_and_line(snippet_dir):
    (snippet_dir / "p").mkdir()
    (snippet_dir / "p" / "bad.py").write_text("x = 1\n\ny = 1 / 0\n")
    with pytest.raises(SnippetError, match=r"^snippets/p/bad.py:3: ZeroDivisionError"):
        run_snippet("p/bad.py")


def test_runner_error_points_into_an_imported_module(snippet_dir):
    (snippet_dir / "lib").mkdir()
    (snippet_dir / "lib" / "__init__.py").write_text("")
    (snippet_dir / "lib" / "m.py").write_text("def f():\n    raise ValueError('boom')\n")
    (snippet_dir / "use.py").write_text("from lib.m import f\nf()\n")
    with pytest.raises(SnippetError, match=r"^snippets/lib/m.py:2: ValueError: boom"):
        run_snippet("use.py")


def test_runner_turns_warnings_into_errors(snippet_dir):
    (snippet_dir / "w.py").write_text("import numpy as np\nx = np.float32(1e38) * np.float32(10)\n")
    with pytest.raises(SnippetError, match=r"snippets/w.py:2: RuntimeWarning: overflow"):
        run_snippet("w.py")


def test_missing_snippet_is_named(snippet_dir):
    with pytest.raises(SnippetError, match="snippets/nope/x.py: no such snippet"):
        run_snippet("nope/x.py")


def test_cache_key_follows_imported_modules_only(snippet_dir):
    (snippet_dir / "lib").mkdir()
    (snippet_dir / "lib" / "__init__.py").write_text("")
    (snippet_dir / "lib" / "m.py").write_text("A = 1\n")
    (snippet_dir / "other.py").write_text("B = 2\n")
    (snippet_dir / "use.py").write_text("from lib.m import A\n")
    before = results.cache_key("use.py")
    (snippet_dir / "other.py").write_text("B = 3\n")
    assert results.cache_key("use.py") == before
    (snippet_dir / "lib" / "m.py").write_text("A = 2\n")
    assert results.cache_key("use.py") != before


def test_cache_key_follows_relative_imports_inside_packages(snippet_dir):
    (snippet_dir / "lib").mkdir()
    (snippet_dir / "lib" / "__init__.py").write_text("")
    (snippet_dir / "lib" / "act.py").write_text("SLOPE = 1\n")
    (snippet_dir / "lib" / "m.py").write_text("from .act import SLOPE\n")
    (snippet_dir / "use.py").write_text("from lib.m import SLOPE\nprint(SLOPE)\n")
    before = results.cache_key("use.py")
    (snippet_dir / "lib" / "act.py").write_text("SLOPE = 2\n")
    assert results.cache_key("use.py") != before


def test_exported_keeps_scalars_and_only_the_requested_json_data():
    values, data = results.exported(
        {"a": np.float64(1.5), "n": 3, "s": "x", "_private": 1, "arr": np.ones(3),
         "table": {"k": [np.float64(0.5), 1]}, "big": [np.ones(9)], "f": print,
         "inf": float("inf")},
        frozenset({"table", "arr"}),
    )
    assert values == {"a": 1.5, "n": 3, "s": "x", "inf": float("inf")}
    assert data == {"table": {"k": [0.5, 1]}}


def test_prune_removes_unused_entries_and_interrupted_writes(tmp_path):
    cache.write(tmp_path / "keep.json", b"{}")
    cache.write(tmp_path / "old.json", b"{}")
    (tmp_path / ("x" + cache.PARTIAL_SUFFIX)).write_text("{")
    cache.prune(tmp_path, {tmp_path / "keep.json"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.json", "keep.json.sha256"]


def _line_figure(y):
    with figures.figure_theme():
        fig, ax = plt.subplots()
        ax.plot([0, 1, 2], y, label="data")
        ax.set_xlabel("depth L")
        ax.set_ylabel("size (log scale)")
        ax.set_yscale("log")
    return fig


def test_figures_are_deterministic_and_dark_swaps_only_the_palette():
    light1, dark1, size = figures.render_svgs(_line_figure([1, 2, 4]))
    light2, dark2, _ = figures.render_svgs(_line_figure([1, 2, 4]))
    assert light1 == light2 and dark1 == dark2
    assert "<dc:date>" not in light1 and "Matplotlib" not in light1
    for light_colour, dark_colour in figures.LIGHT_TO_DARK.items():
        assert light_colour in light1 and light_colour not in dark1 and dark_colour in dark1
    assert figures.CYCLE[0] in light1 and figures.CYCLE[0] in dark1
    assert size[0] > 100 and size[1] > 100


def test_math_laid_out_once_changes_no_byte_and_puts_matplotlib_back(monkeypatch):
    """render_svgs lays each mathtext string (the log axis's $10^{k}$ ticks) out once per figure:
    the SVGs are those matplotlib's own per-renderer cache gives, and its method is restored."""
    from matplotlib.mathtext import MathTextParser

    own = MathTextParser._parse_cached
    shared = figures.render_svgs(_line_figure([1e-3, 1, 1e3]))
    assert MathTextParser._parse_cached is own
    monkeypatch.setattr(figures, "_math_laid_out_once", contextlib.nullcontext)
    assert figures.render_svgs(_line_figure([1e-3, 1, 1e3])) == shared
    assert r"$\mathdefault{10^{-3}}$" in shared[0]  # the figure did lay out math


def test_figure_with_nan_or_missing_labels_is_refused():
    with pytest.raises(figures.FigureError, match="NaN or inf"):
        figures.render_svgs(_line_figure([1, np.nan, 4]))
    fig, ax = plt.subplots()
    ax.plot([1, 2])
    with pytest.raises(figures.FigureError, match="x and a y label"):
        figures.render_svgs(fig)


def _labelled_axes():
    fig, ax = plt.subplots()
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    return fig, ax


@pytest.mark.parametrize(
    "draw, message",
    [
        (lambda ax: ax.plot([0, np.inf, 2], [1, 2, 3]), "line"),
        (lambda ax: ax.scatter([0, 1], [np.nan, 1]), "markers"),
        (lambda ax: ax.bar([0, 1], [1, np.inf]), "Rectangle"),
        (lambda ax: ax.imshow(np.array([[0.0, np.nan], [1.0, 2.0]])), "image"),
    ],
    ids=["line-x", "scatter", "bar", "image"],
)
def test_every_kind_of_non_finite_plot_data_is_refused(draw, message):
    fig, ax = _labelled_axes()
    with warnings.catch_warnings():  # matplotlib itself may warn about the inf
        warnings.simplefilter("ignore", RuntimeWarning)
        draw(ax)
    with pytest.raises(figures.FigureError, match=message):
        figures.render_svgs(fig)
    plt.close(fig)


def test_masked_gaps_are_deliberate_and_allowed():
    fig, ax = _labelled_axes()
    ax.plot([0, 1, 2], np.ma.masked_invalid([1.0, np.inf, 3.0]))
    figures.check_finite(fig)
    plt.close(fig)


def test_function_names_get_tex_spacing_next_to_operands():
    thin = mathml.THIN_SPACE
    spaced = mathml.tex_to_mathml(r"L \log a", display=False)
    assert f"<mi>L</mi>{thin}<mi>log</mi>{thin}<mi>a</mi>" in spaced
    tight = mathml.tex_to_mathml(r"\ln(x) + \log 2", display=False)
    assert f"<mi>ln</mi>{thin}" not in tight  # a parenthesis follows: no space, as in TeX
    assert f"<mi>log</mi>{thin}<mn>2</mn>" in tight
    named = mathml.tex_to_mathml(r"\operatorname{Var}[w]", display=False)
    assert '<mi>Var</mi><mo stretchy="false">[</mo>' in named


def test_function_name_with_a_subscript_stays_valid_mathml():
    # \log_{10} x once became <msub><mi>log</mi><mspace/><mrow>10</mrow></msub>: three children,
    # invalid, and browsers set the 10 on the baseline. The space belongs after the whole <msub>.
    logged = mathml.tex_to_mathml(r"\log_{10} x", display=False)
    assert f"<msub><mi>log</mi><mrow><mn>10</mn></mrow></msub>{mathml.THIN_SPACE}<mi>x</mi>" in logged


def test_math_becomes_mathml_with_tex_annotation():
    html = mathml.render_math(
        '<p><span class="arithmatex">\\(a^{L} &lt; 1\\)</span></p>'
        '<div class="arithmatex">\\[\\hat{y} = W X\\]</div>',
        "docs/p.md",
    )
    assert "arithmatex" not in html and html.count("<math") == 2
    assert '<annotation encoding="application/x-tex" data-search-exclude="">a^{L} &lt; 1</annotation>' in html
    assert 'display="block"' in html


def test_bad_math_names_the_page():
    with pytest.raises(mathml.MathError, match=r"docs/p.md: cannot render"):
        mathml.render_math('<span class="arithmatex">\\(\\frac{1}\\)</span>', "docs/p.md")


@pytest.mark.parametrize("tex", [r"\frac{1}", r"\fro x", r"x^", r"\begin{bmatrix}1"])
def test_tex_latex2mathml_would_half_render_is_refused(tex):
    with pytest.raises(mathml.MathError, match="cannot render"):
        mathml.tex_to_mathml(tex, display=False)


def test_data_directive_links_a_content_named_json_file():
    text = "{{ data: p/d.py:table }}"
    records = {"p/d.py": {"data": {"table": {"a": [0.5, 1], "s": "</div><b>&"}}}}
    found = directives.parse(text, "docs/p/page.md")
    uri, content = directives.data_file(found[0], records["p/d.py"], "docs/p/page.md:1")
    assert json.loads(content) == records["p/d.py"]["data"]["table"]
    assert uri == f"data/p/d-table.{hashlib.sha256(content).hexdigest()[:12]}.json"
    html = directives.expand(text, found, records, "p/page.md")
    # the page holds a link (relative to the page's source, as MkDocs expects), not the data
    assert html == ('<div hidden class="page-data" data-search-exclude id="data-p-d-table" markdown="span">'
                    f"[table (JSON)](../{uri})</div>")
    other = {"p/d.py": {"data": {"table": {"a": [0.5, 2]}}}}
    assert directives.data_file(found[0], other["p/d.py"], "x")[0] != uri   # new content, new name


def test_data_directive_names_the_page_when_the_data_is_missing():
    text = "\n{{ data: p/d.py:nope }}"
    with pytest.raises(directives.DirectiveError, match=r"docs/p\.md:2: snippets/p/d\.py has no JSON-able .* 'nope'"):
        directives.expand(text, directives.parse(text, "docs/p.md"), {"p/d.py": {"data": {"t": [1]}}}, "p.md")


def test_math_font_is_subset_deterministically_and_keeps_the_math_table(tmp_path):
    from fontTools.ttLib import TTFont

    first, second = tmp_path / "a.woff2", tmp_path / "b.woff2"
    for path in (first, second):
        path.write_bytes(mathml.subset_font(mathml.ALWAYS_IN_FONT + "≈⋯"))
    assert first.read_bytes() == second.read_bytes()
    font = TTFont(first)
    assert "MATH" in font
    assert {ord("≈"), ord("⋯"), 0x1D44A} <= set(font.getBestCmap())  # 0x1D44A: math-italic W
    assert first.stat().st_size < 40_000, "the subset should stay small enough for a phone"


def test_output_nests_inside_an_indented_block():
    text = '??? success "Solution"\n\n    {{ output: a/b.py }}\n'
    records = {"a/b.py": {"stdout": "one\ntwo\n"}}
    expanded = directives.expand(text, directives.parse(text, "docs/p.md"), records, "p.md")
    assert expanded == '??? success "Solution"\n\n    ```text title="Output"\n    one\n    two\n    ```\n'


def test_math_font_keeps_the_radical_sign(tmp_path):
    from fontTools.ttLib import TTFont

    # <msqrt> draws √ itself, so it never appears as text in the MathML
    assert "√" not in mathml.tex_to_mathml(r"\sqrt{n}", display=False)
    (tmp_path / "m.woff2").write_bytes(mathml.subset_font(mathml.ALWAYS_IN_FONT))
    assert ord("√") in TTFont(tmp_path / "m.woff2").getBestCmap()


# ---------------------------------------------------------------- faults a snippet can bring (issue 11)


def test_sys_exit_in_a_snippet_is_a_located_failure(snippet_dir):
    (snippet_dir / "x.py").write_text("import sys\n\ndef main():\n    return 0\n\nif __name__ == '__main__':\n"
                                      "    sys.exit(main())\n")
    with pytest.raises(SnippetError, match=r"^snippets/x.py:7: called sys.exit\(0\)"):
        run_snippet("x.py")


def test_a_snippet_that_never_ends_fails_at_the_time_limit(snippet_dir, monkeypatch):
    monkeypatch.setenv("DOCS_TIME_LIMIT_S", "0.5")
    (snippet_dir / "x.py").write_text("n = 0\nwhile True:\n    n += 1\n")
    with pytest.raises(SnippetError, match=r"snippets/x.py: still running after 0.5 s, the time limit"):
        run_snippet("x.py")


PROBE = ("import numpy as np, matplotlib\n"
         "print(np.geterr()['over'], np.get_printoptions()['precision'], np.array([1/3]),\n"
         "      matplotlib.rcParams['lines.linewidth'], np.random.random())\n")
LEAKS = {
    "seterr": "import numpy as np\nnp.seterr(all='ignore')\n",
    "printoptions": "import numpy as np\nnp.set_printoptions(precision=2)\n",
    "rcparams": "import matplotlib\nmatplotlib.rcParams['lines.linewidth'] = 9\n",
    "global_seed": "import numpy as np\nnp.random.seed(1)\n",
    "environ": "import os\nos.environ['OPENBLAS_NUM_THREADS'] = '7'\n",
}


@pytest.mark.parametrize("leak", sorted(LEAKS))
def test_no_snippet_changes_what_the_next_one_sees(snippet_dir, leak):
    import os

    (snippet_dir / "probe.py").write_text(PROBE)
    (snippet_dir / "leak.py").write_text(LEAKS[leak])
    np.random.seed(12345)
    alone = run_snippet("probe.py").stdout
    environ = dict(os.environ)
    np.random.seed(12345)
    run_snippet("leak.py")
    assert run_snippet("probe.py").stdout == alone
    assert dict(os.environ) == environ


def test_changing_the_working_directory_is_refused(snippet_dir):
    import os

    before = os.getcwd()
    (snippet_dir / "x.py").write_text("import os\nos.chdir('/')\n")
    with pytest.raises(SnippetError, match="snippets/x.py: changed the working directory"):
        run_snippet("x.py")
    assert os.getcwd() == before


@pytest.mark.parametrize("change", ["file", "env"])
def test_a_cached_result_is_rerun_when_a_file_or_variable_it_read_changes(snippet_dir, monkeypatch, change):
    (snippet_dir / "data.txt").write_text("one")
    (snippet_dir / "x.py").write_text(
        "import os\nfrom pathlib import Path\n"
        "print((Path(__file__).parent / 'data.txt').read_text(), os.environ.get('KNOB', 'a'))\n")
    monkeypatch.setenv("KNOB", "a")
    key = results.cache_key("x.py")
    results.store(key, results.record_for("x.py"))
    assert results.load(key)["stdout"] == "one a\n"
    if change == "file":
        (snippet_dir / "data.txt").write_text("two")
    else:
        monkeypatch.setenv("KNOB", "b")
    assert results.load(key) is None


@pytest.mark.parametrize("damage", ["edited", "truncated", "not json", "no checksum"])
def test_a_damaged_cache_entry_is_a_miss_and_is_reported(snippet_dir, caplog, damage):
    (snippet_dir / "x.py").write_text("print('right')\n")
    key = results.cache_key("x.py")
    results.store(key, results.record_for("x.py"))
    entry = results.entry_path(key)
    data = entry.read_bytes()
    if damage == "edited":
        entry.write_bytes(data.replace(b"right", b"wrong"))
    elif damage == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "not json":
        cache.write(entry, b"{not json")
    else:
        entry.with_name(entry.name + cache.CHECKSUM_SUFFIX).unlink()
    with caplog.at_level("INFO"):
        assert results.load(key) is None
    assert entry.name in caplog.text
    record, cached = results.load_or_run_all({"x.py": frozenset()}, {"x.py": key})["x.py"]
    assert (record["stdout"], cached) == ("right\n", False)


def test_pool_kills_a_job_past_its_limit_and_reports_a_dead_one():
    import os
    import time

    from sitebuild import pool

    # A limit of seconds, not tenths: on a loaded machine (make test runs three pytest processes
    # on two cores) a child that exits at once was not scheduled within 0.3 s and was reported
    # as killed at the limit instead of as dead.
    out = pool.run({"hang": lambda: time.sleep(60), "dies": lambda: os._exit(3), "fine": lambda: 42},
                   time_limit_s=2, grace_s=0.5)
    assert out["fine"] == 42
    assert isinstance(out["hang"], pool.JobFailed) and "time limit" in str(out["hang"])
    assert isinstance(out["dies"], pool.JobFailed) and "exit code 3" in str(out["dies"])


def test_pool_children_die_with_a_killed_parent(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    pid_file = tmp_path / "child.pid"
    script = (
        "import os, time\nfrom sitebuild import pool\n"
        f"def job():\n    open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n    time.sleep(60)\n"
        "pool.run({'job': job}, time_limit_s=120)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    for _ in range(200):
        if pid_file.exists() and pid_file.read_text():
            break
        time.sleep(0.05)
    child = int(pid_file.read_text())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    for _ in range(100):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    raise AssertionError("the pool's child outlived its killed parent")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ Value: a/b.py:x }}", "docs/p.md:1: unknown directive 'Value'"),
        ("{{ value a/b.py:x }}", "docs/p.md:1: 'value' needs a colon"),
        ("{{ value: a/b.py:x | .3g | loud }}", "unknown option"),
    ],
)
def test_misspelt_directives_are_errors(text, message):
    with pytest.raises(directives.DirectiveError, match=message):
        directives.parse(text, "docs/p.md")


def test_directives_in_code_and_comments_are_left_as_text():
    text = ("```markdown\n{{ output: a/b.py }}\n```\n\nUse `{{ value: a/b.py:x }}` inline.\n"
            "<!-- {{ output: gone/old.py }} -->\n{{ output: a/b.py }}\n")
    assert [d.line for d in directives.parse(text, "docs/p.md")] == [7]


@pytest.mark.parametrize(
    ("value", "spec", "message"),
    [(float("nan"), "| .3g", "is nan"), (float("inf"), "", "is inf"), (True, "", "is a bool")],
)
def test_non_finite_and_boolean_values_are_refused(value, spec, message):
    text = f"{{{{ value: a/b.py:x {spec} }}}}"
    with pytest.raises(directives.DirectiveError, match=message):
        directives.expand(text, directives.parse(text, "docs/p.md"), {"a/b.py": {"values": {"x": value}}}, "p.md")


def test_a_page_may_ask_for_a_non_finite_value():
    text = "{{ value: a/b.py:x | .3g | nonfinite }}"
    records = {"a/b.py": {"values": {"x": float("inf")}}}
    assert directives.expand(text, directives.parse(text, "docs/p.md"), records, "p.md") == "inf"


def test_string_values_are_escaped():
    text = "{{ value: a/b.py:s }}"
    records = {"a/b.py": {"values": {"s": "<script>alert(1)</script>"}}}
    html = directives.expand(text, directives.parse(text, "docs/p.md"), records, "p.md")
    assert html == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_leftover_braces_are_found_outside_code_and_math():
    assert directives.leftover("<p>{{ Value: a.py:x }}</p>") == "{{ Value: a.py:x }}"
    assert directives.leftover("<pre><code>{{ output: a.py }}</code></pre><!-- {{ x }} -->"
                               '<annotation encoding="application/x-tex" data-search-exclude="">{{W}}</annotation>') is None


def test_includes_must_exist_stay_inside_and_have_their_section(tmp_path, monkeypatch):
    from sitebuild import includes

    base = tmp_path / "snippets"
    base.mkdir()
    (base / "a.py").write_text("# --8<-- [start:top]\nx = 1\n# --8<-- [end:top]\n")
    (tmp_path / "secret").write_text("hostname")
    (base / "leak.py").symlink_to(tmp_path / "secret")
    monkeypatch.setattr(includes, "BASES", (base,))
    assert includes.check('```python\n--8<-- "a.py:top"\n```\n', "docs/p.md") == [base / "a.py"]
    for target, message in [("leak.py", "docs/p.md:2: .* resolves outside snippets/"),
                            ("nope.py", "docs/p.md:2: .* no such file"),
                            ("a.py:bottom", r"docs/p.md:2: .* no '--8<-- \[start:bottom\]' marker")]:
        with pytest.raises(includes.IncludeError, match=message):
            includes.check(f'```python\n--8<-- "{target}"\n```\n', "docs/p.md")


def test_loop_variables_are_not_offered_as_values(snippet_dir):
    (snippet_dir / "x.py").write_text("total = 0\nfor step in range(3):\n    total += step\nlast = step\n")
    record = results.record_for("x.py")
    assert record["values"] == {"total": 3, "last": 2}


def test_site_prefix_follows_the_deployments_site_url(monkeypatch):
    # The workflow sets SITE_URL (mkdocs.yml reads it with !ENV); the test server must serve the
    # built site under that same path, or the 404 page and instant navigation are tested wrong.
    from browser_server import site_prefix

    monkeypatch.setenv("SITE_URL", "https://someone.github.io/deep-init/")
    assert site_prefix() == "/deep-init/"
    monkeypatch.delenv("SITE_URL")
    assert site_prefix() == "/"


@pytest.mark.parametrize(("repo_url", "expected"), [
    ("https://github.com/ada/deep-init", "https://colab.research.google.com/github/ada/deep-init/blob/notebooks/labs-index.ipynb"),
    ("https://github.com/ada/deep-init.git/", "https://colab.research.google.com/github/ada/deep-init/blob/notebooks/labs-index.ipynb"),
    ("https://gitlab.com/ada/deep-init", None),
    (None, None),
])
def test_colab_link_only_for_a_github_repository(repo_url, expected):
    # Colab opens notebooks from GitHub by path; the workflow publishes them to that branch.
    assert page_notebooks.colab_url(repo_url, "labs/index.md") == expected


def test_page_notebook_keeps_tex_groups_and_drops_attribute_lists():
    # A TeX group like {i=1} once went the way of Material's { .class } attribute lists.
    page = ("# T\n\n$$\\sum_{i=1}^{n} x_i$$ and ${W}^{\\top}$, [a link](other.md){ .cls }, [a lab](labs/he.ipynb)\n\n"
            "!!! note \"Box\"\n    inside $x_{j=2}$\n")
    nb = json.loads(page_notebooks.build(page, "p.md", {}, "https://example.org/site/"))
    prose = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert r"\sum_{i=1}^{n} x_i" in prose and r"${W}^{\top}$" in prose and "$x_{j=2}$" in prose
    assert "{ .cls }" not in prose and "](https://example.org/site/other/)" in prose
    assert "](https://example.org/site/labs/he/)" in prose
    assert "**Box**" in prose and "!!!" not in prose


@pytest.mark.parametrize(("code", "lines"), [("a\nb\n", 2), ("a\nb", 2), ("one\n", 1), ("\n\n\n", 3)])
def test_code_blocks_carry_their_line_count(code, lines):
    html = (f'<p>x</p><div class="language-python highlight"><span class="filename">f.py</span><pre><span></span>'
            f'<code>{code}</code></pre></div><div class="md-copyright__highlight">c</div>')
    out = code_blocks.with_line_counts(html)
    assert f'<div class="language-python highlight" style="--lines: {lines}">' in out
    assert '<div class="md-copyright__highlight">' in out  # not a code block
    assert out.replace(f' style="--lines: {lines}"', "") == html
