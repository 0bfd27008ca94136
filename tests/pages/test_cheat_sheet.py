"""Tests for docs/cheat-sheet.md: the formula table's text against closed forms, every
formula against samples, the gains, and the page's names. The framework names and
statements are checked against PyTorch, Keras and JAX in tests/test_frameworks.py."""

import math
import re

import numpy as np
import pytest
import yaml
from pages import DOCS, body
from scipy import integrate
from snippet_runs import run_snippet
from test_frameworks import latex_value, maths, section, table

SEEDS = range(1, 5)  # seed_shift values: four independent draws besides the page's own
PAGE = DOCS / "cheat-sheet.md"

# Closed forms written here (LeCun et al. 1998, Glorot & Bengio 2010, He et al. 2015).
CLOSED_VAR = {
    "LeCun": lambda i, o: 1 / i,
    "Glorot / Xavier": lambda i, o: 2 / (i + o),
    "He / Kaiming": lambda i, o: 2 / i,
}


def test_formula_table_text_is_the_closed_forms():
    """Each cell of the formula table, evaluated from its LaTeX, on a rectangular layer."""
    rows = table(section(PAGE, "## Formulas"))
    assert [r["Scheme"] for r in rows] == ["LeCun", "Glorot / Xavier", "He / Kaiming",
                                           "Orthogonal", "with a gain $g$"]
    for n_in, n_out in [(700, 300), (300, 700)]:
        for row in rows[:3]:
            var = CLOSED_VAR[row["Scheme"]](n_in, n_out)
            (var_tex,), (std_tex,), (bound_tex,) = (maths(row[c]) for c in (
                "$\\mathrm{Var}(w)$", "Normal: std", "Uniform: bound $b$"))
            names = {"ni": n_in, "no": n_out}
            assert latex_value(var_tex, **names) == pytest.approx(var, rel=1e-15), row["Scheme"]
            assert latex_value(std_tex, **names) == pytest.approx(math.sqrt(var), rel=1e-15)
            assert latex_value(bound_tex, **names) == pytest.approx(math.sqrt(3 * var), rel=1e-15)
        (orth_tex,) = maths(rows[3]["$\\mathrm{Var}(w)$"])
        # An orthogonal W: min(n_in, n_out) orthonormal rows or columns of norm g, so the mean
        # of w² is g²·min/(n_in·n_out) = g²/max.
        g = 1.7
        assert latex_value(orth_tex, ni=n_in, no=n_out, g=g) == pytest.approx(
            g**2 * min(n_in, n_out) / (n_in * n_out), rel=1e-15)
    gain_row = rows[4]
    assert maths(gain_row["$\\mathrm{Var}(w)$"]) == ["g^2 \\times"]  # the gain scales the std
    assert maths(gain_row["Normal: std"]) == ["g \\times"]


def label_value(label, n_in, n_out):
    """formula_check.py's printed formula text, evaluated: '2/(n_in+n_out)', 'b²/3, b = √(6/n_in)'."""
    expr = label.replace("n_in", "ni").replace("n_out", "no").replace("²", "**2")
    expr = re.sub(r"√(\w+)", r"sqrt(\1)", expr).replace("√(", "sqrt(")
    names = {"ni": n_in, "no": n_out, "sqrt": math.sqrt, "max": max}
    if expr.startswith("b**2/3, b = "):
        return eval(expr.split("b = ")[1], {"__builtins__": {}}, names) ** 2 / 3
    return eval(expr, {"__builtins__": {}}, names)


@pytest.mark.parametrize("k", SEEDS)
def test_formula_check_every_row(k):
    result = run_snippet("cheat_sheet/formula_check.py", seed_shift=k)
    ns = result.namespace
    n_in, n_out = ns["n_in"], ns["n_out"]
    assert (n_in, n_out) == (512, 256)
    size = n_in * n_out
    independent = {  # the same formulas, written again from the papers / framework docs
        "LeCun normal": 1 / 512,
        "Glorot normal": 2 / (512 + 256),
        "Glorot uniform": math.sqrt(6 / (512 + 256)) ** 2 / 3,
        "He normal": 2 / 512,
        "He uniform": math.sqrt(6 / 512) ** 2 / 3,
        "Orthogonal": 256 / (512 * 256),
        "nn.Linear default": (1 / math.sqrt(512)) ** 2 / 3,
    }
    assert [row[0] for row in ns["rows"]] == list(independent)
    for name, text, value, _ in ns["rows"]:
        np.testing.assert_allclose(value, independent[name], rtol=1e-12)
        np.testing.assert_allclose(label_value(text, n_in, n_out), independent[name], rtol=1e-12)
        sampled = ns["sampled"][name]
        if name == "Orthogonal":
            # The sum of squares of an orthogonal matrix is fixed; only the tiny sample mean
            # (≈ 1/√size of the std) separates .var() from it.
            np.testing.assert_allclose(sampled, value, rtol=1e-4)
        else:
            # Standard error of a sample variance: σ²·√((κ - 1)/N); κ = 3 (normal), 9/5
            # (uniform). Allow 5 of them.
            kurtosis = 9 / 5 if "uniform" in text or "b²/3" in text else 3.0
            assert abs(sampled - value) < 5 * value * math.sqrt((kurtosis - 1) / size), name
        assert f"{name:18} {text:29} {value:10.3e} {sampled:10.3e}" in result.stdout


def gaussian_mean(f):
    return integrate.quad(lambda z: f(z) * math.exp(-z * z / 2), -40, 40, epsabs=1e-14,
                          limit=400)[0] / math.sqrt(2 * math.pi)


@pytest.mark.parametrize("k", SEEDS)
def test_gains_from_second_moment(k):
    result = run_snippet("cheat_sheet/gains.py", seed_shift=k)
    ns = result.namespace
    gains, n = ns["gain_from_moment"], ns["z"].size
    # 1/√E[φ²]: E[φ²] is 1, 1/2, (1 + a²)/2 for the piecewise-linear ones, and for tanh
    # E[tanh(z)²] by quadrature. The sample second moment over N = 10⁶ draws has relative SE
    # √(E[φ⁴]/E[φ²]² - 1)/√N (by quadrature); the gain 1/√E inherits half. 5 SE.
    phis = {"linear": lambda z: z, "relu": lambda z: max(z, 0.0),
            "leaky_relu a=0.01": lambda z: z if z > 0 else 0.01 * z, "tanh": math.tanh}
    assert list(ns["activations"]) == list(phis)
    for name, phi in phis.items():
        m2 = gaussian_mean(lambda z, phi=phi: phi(z) ** 2)
        m4 = gaussian_mean(lambda z, phi=phi: phi(z) ** 4)
        rel_se = math.sqrt(m4 / m2**2 - 1) / math.sqrt(n) / 2
        np.testing.assert_allclose(gains[name], 1 / math.sqrt(m2), rtol=5 * rel_se)
    np.testing.assert_allclose(gaussian_mean(lambda z: max(z, 0.0) ** 2), 0.5, rtol=1e-12)
    np.testing.assert_allclose(gaussian_mean(lambda z: (z if z > 0 else 0.01 * z) ** 2),
                               (1 + 0.01**2) / 2, rtol=1e-12)
    # The PyTorch column: closed forms written here (calculate_gain itself is called in
    # tests/test_frameworks.py): linear 1, relu √2, leaky √(2/(1 + a²)), tanh 5/3.
    torch_closed = {"linear": 1.0, "relu": math.sqrt(2), "leaky_relu a=0.01": math.sqrt(2 / 1.0001),
                    "tanh": 5 / 3}
    for name, (_, torch_gain) in ns["activations"].items():
        assert torch_gain == pytest.approx(torch_closed[name], rel=1e-15), name
        printed = result.stdout.split(name, 1)[1].split()
        assert float(printed[1]) == pytest.approx(torch_closed[name], abs=5e-5)
    tanh_moment = 1 / math.sqrt(gaussian_mean(lambda z: math.tanh(z) ** 2))
    assert tanh_moment < 5 / 3  # "PyTorch's 5/3 sits a little above 1/√E[tanh(z)²]"
    assert 5 / 3 / tanh_moment < 1.1


def test_gain_table_where_it_comes_from():
    """'E[z²] = 1', 'E[relu(z)²] = ½', 'E[φ(z)²] = (1 + a²)/2': by quadrature."""
    rows = {r["Activation"]: r for r in table(section(PAGE, "## Gains"))}
    assert "$E[z^2] = 1$" in rows["linear, sigmoid"]["Where it comes from"]
    assert "$E[\\mathrm{relu}(z)^2] = \\tfrac12$" in rows["ReLU"]["Where it comes from"]
    assert "$E[\\phi(z)^2] = (1 + a^2)/2$" in rows["leaky ReLU, slope $a$"]["Where it comes from"]
    for a in (0.01, 0.2, 0.5):
        np.testing.assert_allclose(gaussian_mean(lambda z, a=a: (z if z > 0 else a * z) ** 2),
                                   (1 + a * a) / 2, rtol=1e-12)
    # And each of those gains is exactly 1/√E[φ²].
    for label, m2 in [("ReLU", 0.5), ("linear, sigmoid", 1.0)]:
        (tex,) = maths(rows[label]["Gain $g$"])
        assert latex_value(tex) == pytest.approx(1 / math.sqrt(m2), rel=1e-15)
    (tex,) = maths(rows["leaky ReLU, slope $a$"]["Gain $g$"])
    assert latex_value(tex, a=0.2) == pytest.approx(1 / math.sqrt((1 + 0.04) / 2), rel=1e-15)
    tanh = rows["tanh"]["Where it comes from"]
    assert "given without a derivation" in tanh and "issues/24991" in tanh
    assert "initialisation_variants/tanh_gain_theory.py:chi_star_53" in body(PAGE)


def test_vocabulary_and_names_link():
    text = body(PAGE)
    assert "initialisation-variants.md#names-used-on-this-site" in text
    assert "a **gain** $g$ multiplies the\nstandard deviation" in text
    assert "a **variance multiplier** $c = g^2$ multiplies the variance" in text
    prose = re.sub(r"\w+_multiplier\w*", "", text)
    assert len(re.findall(r"multiplier", prose)) == len(re.findall(r"variance\s+multiplier", prose))
    for m in re.finditer("Xavier", text):  # only as the other name of Glorot
        assert "Glorot" in text[m.start() - 20:m.end() + 5], text[m.start() - 80:m.end() + 40]


def test_orthogonal_statements():
    text = body(PAGE)
    beyond = section(PAGE, "## Beyond a variance formula")
    assert ("rectangular one has orthonormal rows, $W W^{\\top} = g^2 I$, when\n"
            "  $n_{\\text{out}} \\le n_{\\text{in}}$, and orthonormal columns,\n"
            "  $W^{\\top} W = g^2 I$, otherwise") in beyond
    assert "| Orthogonal |" in text
    ns = run_snippet("initialisation_variants/init_schemes.py").namespace
    for shape in [(200, 500), (500, 200), (300, 300)]:
        w = ns["orthogonal"](shape, np.random.default_rng(2), gain=1.0)
        # Every singular value is g (= 1 here).
        np.testing.assert_allclose(np.linalg.svd(w, compute_uv=False), 1.0, atol=1e-12)


class Ignoring(yaml.SafeLoader):
    """mkdocs.yml's !ENV tags read as nothing (only the nav is wanted)."""


Ignoring.add_multi_constructor("!", lambda loader, suffix, node: None)


LABELS = ["Cause", "Fix", "Cost", "Read"]


def map_entries():
    """The map's entries: a bold symptom as a top-level bullet, then one nested bullet per label
    (a list, not a table, so that it reads on a phone)."""
    text = section(PAGE, "## A map of the fixes")
    entries = []
    for line in text.splitlines():
        if line.startswith("- **"):
            entries.append({"symptom": line[2:]})
        elif m := re.match(r"    - \*(\w+):\* (.+)$", line):
            assert m[1] not in entries[-1], line
            entries[-1][m[1]] = m[2]
        else:
            assert not line.startswith(("-", " ")), f"not an entry line: {line!r}"
    return entries


def test_map_of_fixes_links_every_page_and_states_every_cost():
    """Every entry names a cause, a fix, its cost and pages, and the entries link every page of
    Parts 1-3 and the diagnostics chapter (the nav's pages other than home, exercises, the sheet
    and the labs)."""
    entries = map_entries()
    assert len(entries) >= 10
    for entry in entries:
        assert list(entry) == ["symptom", *LABELS], entry["symptom"]
        assert all(entry[label].strip(" .") for label in LABELS), entry["symptom"]
        assert re.search(r"\]\([\w-]+\.md", entry["Read"]), entry["symptom"]
    linked = {m for e in entries for m in re.findall(r"\]\(([\w-]+)\.md", e["Read"] + e["Cause"])}

    def pages(items):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            yield from (pages(value) if isinstance(value, list) else [value])

    nav = yaml.load((DOCS.parent / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Ignoring)["nav"]
    expected = {p.removesuffix(".md") for p in pages(nav) if p.endswith(".md") and "/" not in p}
    expected -= {"index", "exercises", "cheat-sheet"}
    assert expected <= linked, f"pages the map does not link: {sorted(expected - linked)}"


def test_map_of_fixes_numbers():
    """The map's own numbers, against theory written here."""
    text = section(PAGE, "## A map of the fixes")
    # "σ' ≤ ¼": σ'(z) = σ(z)(1 - σ(z)) on a fine grid, largest at z = 0
    z = np.linspace(-20, 20, 400_001)
    s = 1 / (1 + np.exp(-z))
    assert (s * (1 - s)).max() == pytest.approx(0.25, abs=1e-12) and "$\\sigma' \\le \\tfrac14$" in text
    # "layers with ‖W‖₂ < 4 (LeCun's is about 2)": the largest singular value of an n × n matrix
    # of N(0, 1/n) entries tends to 2 (Bai-Yin); its fluctuations are O(n^(-2/3)), so 5 % at n = 400
    rng = np.random.default_rng(0)
    for _ in range(3):
        w = rng.standard_normal((400, 400)) / 20
        assert np.linalg.norm(w, 2) == pytest.approx(2, rel=0.05)
    # "about π/(π − 1) per layer": with He weights the offset w·ā of a unit takes E[relu]²/E[relu²]
    # = (1/(2π))/(1/2) = 1/π of its mean square; dividing by the root of the rest, (π - 1)/π,
    # multiplies the gradient's mean square by π/(π - 1). Both moments by quadrature here.
    m1 = gaussian_mean(lambda t: max(t, 0.0))
    m2 = gaussian_mean(lambda t: max(t, 0.0) ** 2)
    assert 1 / (1 - m1**2 / m2) == pytest.approx(math.pi / (math.pi - 1), rel=1e-9)
    assert "$\\pi/(\\pi - 1)$" in text
    # "multiplies the gradient by about √χ* per layer" is the gains page's tested value
    assert "initialisation_variants/tanh_gain_theory.py:sqrt_chi_star_53" in text


def test_pages_have_no_control_characters():
    """A '\\t' typed as '\\tfrac' in a Python string once became a tab, and the page showed
    'σ′ ≤ frac14'. No tab or other control character (but the newline) on the pages this file
    and its siblings own."""
    for name in ("cheat-sheet.md", "index.md", "diagnostics.md"):
        text = (DOCS / name).read_text(encoding="utf-8")
        bad = [(i, repr(c)) for i, c in enumerate(text) if ord(c) < 32 and c != "\n"]
        assert not bad, (name, bad[:5])
