"""Every statement the site makes about a framework, checked by calling that framework.

PyTorch (torch.nn.init, nn.Linear, nn.Conv2d), Keras 3 on the JAX backend and
jax.nn.initializers. Table cells that name a call are *executed* as written on the page, and
the numbers they produce are compared with closed forms written here. Sampled checks use
tolerances from the sampling distribution (see `variance_tolerance` and `bound_check`).

`test_every_framework_sentence_is_checked` keeps this honest: every sentence or table row on
any page that mentions a framework must contain a phrase registered in CLAIMS below, and
each registered phrase names the test that checks it.
"""

from __future__ import annotations

import inspect
import json
import math
import os
import re

import numpy as np
import pytest
from pages import DOCS, body, fences
from scipy import integrate, stats
from snippet_runs import run_snippet

os.environ["KERAS_BACKEND"] = "jax"  # before keras is imported anywhere in this process
torch = pytest.importorskip("torch")
keras = pytest.importorskip("keras")
jax = pytest.importorskip("jax")

VARIANTS = DOCS / "initialisation-variants.md"
CHEAT = DOCS / "cheat-sheet.md"
EXERCISES = DOCS / "exercises.md"

# A rectangular layer: n_in ≠ n_out, so 1/n_in, 2/n_in, 2/(n_in + n_out) and 1/n_out all differ.
N_IN, N_OUT = 1200, 300
KEEP_NORMAL_TRUNCATION = 0.87962566103423978  # written here from the truncated-normal std:
# checked below against scipy.stats.truncnorm(-2, 2).std() and mpmath-free quadrature.


# ---------------------------------------------------------------- statistics of samples

# Kurtosis κ of each distribution: normal 3, uniform 9/5, normal cut at ±2 (scipy's value).
KURTOSIS = {"normal": 3.0, "uniform": 9 / 5,
            "truncated_normal": 3.0 + float(stats.truncnorm(-2, 2).stats(moments="k"))}


def variance_tolerance(var, n_samples, dist):
    """5 standard errors of a sample variance over N iid draws: σ²·√((κ - 1)/N)."""
    return 5 * var * math.sqrt((KURTOSIS[dist] - 1) / n_samples)


def assert_variance(w, var, dist):
    w = np.asarray(w, dtype=np.float64)
    assert abs(np.mean(w**2) - var) < variance_tolerance(var, w.size, dist), (w.var(), var)


def bound_check(w, bound, dist):
    """All |w| ≤ bound, and the largest within a relative 1e-3 of it.

    For a uniform U(±b), P(max|w| < b(1 - ε)) = (1 - ε)^N; for a normal cut at ±c the density
    at the cut gives P(|w| > c(1 - ε)) ≈ 2φ(2)·2ε/0.954 per draw. With ε = 1e-3 and N ≥ 3·10⁵
    the chance that no draw lands that close is below e^-60 for either. float32 rounding:
    allow 1e-6 relative above the bound.
    """
    top = float(np.max(np.abs(np.asarray(w, dtype=np.float64))))
    assert top <= bound * (1 + 1e-6), (top, bound, dist)
    assert top >= bound * (1 - 1e-3), (top, bound, dist)


# ---------------------------------------------------------------- the pages' own text

def latex_value(tex: str, **names) -> float:
    """Evaluate one of the pages' simple formulas, e.g. r"\\sqrt{6/(n_{\\text{in}} + n_{\\text{out}})}".

    Handles \\dfrac/\\frac, \\sqrt, ^, \\max, \\times, implicit products and the names
    n_in (ni), n_out (no), a and g. Anything else fails loudly.
    """
    s = tex.replace(r"n_{\text{in}}", " ni ").replace(r"n_{\text{out}}", " no ")
    s = re.sub(r"\\mathrm\{Var\}\(w\)\s*=", "", s)
    s = s.replace(r"\,", " ").replace(r"\times", "*").replace(r"\max", "max")
    s = s.replace(r"\left", "").replace(r"\right", "")

    def group(text, start):  # the {...} group starting at text[start] == "{"
        depth = 0
        for i in range(start, len(text)):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                return text[start + 1:i], i + 1
        raise ValueError(tex)

    changed = True
    while changed:
        changed = False
        for command in (r"\dfrac", r"\frac"):
            i = s.find(command)
            if i >= 0:
                num, j = group(s, i + len(command))
                den, k = group(s, j)
                s = s[:i] + f"(({num})/({den}))" + s[k:]
                changed = True
        i = s.find(r"\sqrt")
        if i >= 0:
            arg, j = group(s, i + len(r"\sqrt"))
            s = s[:i] + f"sqrt({arg})" + s[j:]
            changed = True
    s = s.replace("{", "(").replace("}", ")").replace("^", "**")
    s = re.sub(r"(?<=[0-9a-z)])\s+(?=[a-z(])", "*", s.strip())
    assert re.fullmatch(r"[0-9a-z+\-*/(). ,]+", s), (tex, s)
    return float(eval(s, {"__builtins__": {}}, {"sqrt": math.sqrt, "max": max, **names}))


def section(path, heading):
    text = body(path)
    start = text.index(heading)
    nxt = text.find("\n## ", start + len(heading))
    return text[start:] if nxt < 0 else text[start:nxt]


def table(text):
    """The first Markdown table in `text`: a list of {header: cell} rows."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = []
    for line in lines[2:]:
        line = re.sub(r"\{\{.*?\}\}", "VALUE", line)  # a {{ value: … | fmt }} directive
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert len(cells) == len(header), line
        rows.append(dict(zip(header, cells)))
    return rows


def code_spans(cell):
    return re.findall(r"`([^`]+)`", cell)


def maths(cell):
    return re.findall(r"\$([^$]+)\$", cell)


# ---------------------------------------------------------------- calling the frameworks

def torch_call(code, shape, g=None):
    """Run a PyTorch cell, e.g. 'kaiming_normal_(w, nonlinearity="linear")', on a fresh w."""
    w = torch.empty(*shape)
    namespace = {name: getattr(torch.nn.init, name) for name in dir(torch.nn.init)
                 if not name.startswith("_")}
    namespace.update(w=w, math=math, g=g)
    result = eval(code, {"__builtins__": {}}, namespace)
    return result.detach().numpy() if isinstance(result, torch.Tensor) else result


def keras_call(code, shape, g=None, seed=0):
    """Run a Keras cell, e.g. 'LecunNormal()' or '"lecun_normal"', on a kernel of `shape`."""
    namespace = {name: getattr(keras.initializers, name) for name in dir(keras.initializers)
                 if name[:1].isupper()}
    namespace.update(g=g)
    made = eval(code, {"__builtins__": {}}, namespace)
    init = keras.initializers.get(made) if isinstance(made, str) else made
    if hasattr(init, "seed"):
        init.seed = seed
    return init, np.asarray(init(shape))


# Closed forms (He et al. 2015; Glorot & Bengio 2010; LeCun et al. 1998), n_in = fan-in.
VAR = {
    "LeCun": lambda i, o: 1 / i,
    "Glorot": lambda i, o: 2 / (i + o),
    "He": lambda i, o: 2 / i,
}


def scheme_of(name):
    return name.split()[0]


def dist_of(name):
    return "uniform" if name.endswith("uniform") else "normal"


def test_reference_versions():
    """The versions these checks were written against (requirements.lock, requirements-references.lock)."""
    assert keras.backend.backend() == "jax"
    assert torch.__version__.split("+")[0] == "2.13.0"
    assert keras.__version__ == "3.15.1" and jax.__version__ == "0.10.2"


# ---------------------------------------------------------------- initialisation-variants table

VARIANT_SCHEMES = ["LeCun normal", "LeCun uniform", "Glorot normal", "Glorot uniform",
                   "He normal", "He uniform", "Orthogonal", "`nn.Linear` default"]


def variants_row(name):
    """The row of the page's framework table for `name` (read when a test runs)."""
    rows = table(section(VARIANTS, "## In PyTorch, Keras and JAX"))
    return next(row for row in rows if row["Scheme"] == name)


def test_variants_table_has_every_scheme():
    rows = table(section(VARIANTS, "## In PyTorch, Keras and JAX"))
    assert [row["Scheme"] for row in rows] == VARIANT_SCHEMES


@pytest.mark.parametrize("name", VARIANT_SCHEMES[:6])
def test_variants_table_row_variance_and_bound_text(name):
    row = variants_row(name)
    var = VAR[scheme_of(name)](N_IN, N_OUT)
    formulas = maths(row["$\\mathrm{Var}(w)$"])
    assert latex_value(formulas[0], ni=N_IN, no=N_OUT) == pytest.approx(var, rel=1e-12)
    if dist_of(name) == "uniform":  # the bound b, with b²/3 = Var
        bound_tex = formulas[-1]
        assert bound_tex.startswith("b = ")
        b = latex_value(bound_tex[4:], ni=N_IN, no=N_OUT)
        assert b**2 / 3 == pytest.approx(var, rel=1e-12)


@pytest.mark.parametrize("name", VARIANT_SCHEMES[:6])
@pytest.mark.parametrize("seed", [1, 2])
def test_variants_table_pytorch_cell(name, seed):
    """The PyTorch call in the cell, run on a (n_out, n_in) weight, gives the scheme's variance."""
    row = variants_row(name)
    var = VAR[scheme_of(name)](N_IN, N_OUT)
    torch.manual_seed(seed)
    w = torch_call(code_spans(row["PyTorch `torch.nn.init`"])[0], (N_OUT, N_IN))
    assert_variance(w, var, dist_of(name))
    if dist_of(name) == "uniform":
        bound_check(w, math.sqrt(3 * var), "uniform")
    else:  # an untruncated normal: draws beyond 4σ exist among 360,000 (expected ≈ 23)
        assert np.max(np.abs(w)) > 4 * math.sqrt(var)


@pytest.mark.parametrize("name", VARIANT_SCHEMES[:6])
@pytest.mark.parametrize("seed", [1, 2])
def test_variants_table_keras_cell(name, seed):
    """Each Keras spelling in the cell, on a (n_in, n_out) kernel: the scheme's variance, and
    the *Normal ones truncated at 2σ of a normal widened by 1/0.8796…"""
    row = variants_row(name)
    var = VAR[scheme_of(name)](N_IN, N_OUT)
    for code in code_spans(row["Keras `keras.initializers`"]):
        if code == "Dense":
            continue
        init, w = keras_call(code, (N_IN, N_OUT), seed=seed)
        if dist_of(name) == "uniform":
            assert_variance(w, var, "uniform")
            bound_check(w, math.sqrt(3 * var), "uniform")
        else:
            assert init.distribution == "truncated_normal"
            assert_variance(w, var, "truncated_normal")
            bound_check(w, 2 * math.sqrt(var) / KEEP_NORMAL_TRUNCATION, "truncated_normal")


def test_variants_table_orthogonal_row():
    row = variants_row("Orthogonal")
    var_tex, wide_tex, tall_tex = maths(row["$\\mathrm{Var}(w)$"])[:3]
    g = 1.5
    assert latex_value(var_tex, ni=N_IN, no=N_OUT, g=g) == pytest.approx(g**2 / N_IN)
    assert wide_tex.replace(" ", "") == r"WW^{\top}=g^2I" and tall_tex.replace(" ", "") == r"n_{\text{out}}\len_{\text{in}}"
    assert "else $W^{\\top} W = g^2 I$" in row["$\\mathrm{Var}(w)$"]
    code = code_spans(row["PyTorch `torch.nn.init`"])[0]
    assert code == "orthogonal_(w, gain=1)"
    for seed, (n_out, n_in) in enumerate([(300, 1200), (1200, 300), (500, 500)]):
        torch.manual_seed(seed)
        w = torch_call(code.replace("gain=1", "gain=g"), (n_out, n_in), g=g).astype(np.float64)
        eye = g**2 * np.eye(min(n_out, n_in))
        if n_out <= n_in:  # orthonormal rows: W Wᵀ = g²I
            np.testing.assert_allclose(w @ w.T, eye, atol=1e-5)
        if n_out >= n_in:  # orthonormal columns: Wᵀ W = g²I
            np.testing.assert_allclose(w.T @ w, eye, atol=1e-5)
        if n_out != n_in:  # and the other product is not g²I (rank min(shape) < max(shape))
            other = w.T @ w if n_out < n_in else w @ w.T
            assert np.linalg.matrix_rank(other, tol=1e-3) == min(n_out, n_in)
        np.testing.assert_allclose(np.mean(w**2), g**2 / max(n_out, n_in), rtol=1e-5)
    # Keras's Orthogonal on a (n_in, n_out) kernel: W = kernelᵀ obeys the same rule.
    assert code_spans(row["Keras `keras.initializers`"]) == ["Orthogonal(gain=1.0)"]
    for n_in, n_out in [(1200, 300), (300, 1200)]:
        kernel = np.asarray(keras.initializers.Orthogonal(gain=g, seed=3)((n_in, n_out)))
        w = kernel.T.astype(np.float64)
        gram = w @ w.T if n_out <= n_in else w.T @ w
        np.testing.assert_allclose(gram, g**2 * np.eye(min(n_in, n_out)), atol=1e-5)


def linear_bounds(layer):
    """nn.Linear / nn.Conv2d: the weight and bias bound PyTorch computes (its own fan-in)."""
    fan_in, _ = torch.nn.init._calculate_fan_in_and_fan_out(layer.weight)
    return 1 / math.sqrt(fan_in), fan_in


@pytest.mark.parametrize("seed", [1, 2])
def test_nn_linear_default_row(seed):
    row = variants_row("`nn.Linear` default")
    var_tex, b_tex = maths(row["$\\mathrm{Var}(w)$"])[:2]
    assert latex_value(var_tex, ni=N_IN) == pytest.approx(1 / (3 * N_IN))
    assert latex_value(b_tex[4:], ni=N_IN) == pytest.approx(1 / math.sqrt(N_IN))
    torch.manual_seed(seed)
    layer = torch.nn.Linear(N_IN, N_OUT)
    bound, fan_in = linear_bounds(layer)
    assert fan_in == N_IN and tuple(layer.weight.shape) == (N_OUT, N_IN)
    w = layer.weight.detach().numpy()
    assert_variance(w, 1 / (3 * N_IN), "uniform")
    bound_check(w, bound, "uniform")
    # The cell's call, kaiming_uniform_(w, a=math.sqrt(5)), gives the same distribution.
    code = code_spans(row["PyTorch `torch.nn.init`"])[0]
    assert code == "kaiming_uniform_(w, a=math.sqrt(5))"
    w2 = torch_call(code, (N_OUT, N_IN))
    assert_variance(w2, 1 / (3 * N_IN), "uniform")
    bound_check(w2, 1 / math.sqrt(N_IN), "uniform")
    # The bias: U(±1/√fan_in), not zero. 300 per layer; pool 2,000 layers' biases.
    biases = np.concatenate([torch.nn.Linear(N_IN, N_OUT).bias.detach().numpy()
                             for _ in range(2000)])
    assert_variance(biases, 1 / (3 * N_IN), "uniform")
    bound_check(biases, 1 / math.sqrt(N_IN), "uniform")
    assert "a bias from $U(\\pm 1/\\sqrt{n_{\\text{in}}})$" in row["PyTorch `torch.nn.init`"]
    assert row["Keras `keras.initializers`"] == "(none)"


def test_kaiming_defaults_and_gains():
    """'kaiming_*_ default to mode="fan_in" and nonlinearity="leaky_relu" with slope a=0, which
    is ReLU's gain √2. calculate_gain("tanh") returns 5/3.'"""
    for fn in (torch.nn.init.kaiming_normal_, torch.nn.init.kaiming_uniform_):
        params = inspect.signature(fn).parameters
        assert params["mode"].default == "fan_in"
        assert params["nonlinearity"].default == "leaky_relu"
        assert params["a"].default == 0
    assert torch.nn.init.calculate_gain("leaky_relu", 0) == pytest.approx(math.sqrt(2), rel=1e-15)
    assert torch.nn.init.calculate_gain("tanh") == pytest.approx(5 / 3, rel=1e-15)
    for fn in (torch.nn.init.xavier_normal_, torch.nn.init.xavier_uniform_):
        assert inspect.signature(fn).parameters["gain"].default == 1.0
    # kaiming_normal_(w) with its defaults: Var = 2/fan_in.
    torch.manual_seed(5)
    assert_variance(torch.nn.init.kaiming_normal_(torch.empty(N_OUT, N_IN)).numpy(),
                    2 / N_IN, "normal")
    text = section(VARIANTS, "## In PyTorch, Keras and JAX")
    assert '`mode="fan_in"` and\n  `nonlinearity="leaky_relu"` with slope `a=0`' in text
    assert '`nn.init.calculate_gain("tanh")` returns 5/3' in text


def test_layouts():
    """A PyTorch Linear weight is (out_features, in_features); a Keras Dense kernel and a JAX
    kernel are (n_in, n_out), whose fans are read from shape[0] (in) and shape[1] (out)."""
    assert tuple(torch.nn.Linear(3, 5).weight.shape) == (5, 3)
    dense = keras.layers.Dense(5)
    dense.build((None, 3))
    assert tuple(dense.kernel.shape) == (3, 5)
    from keras.src.initializers.random_initializers import compute_fans

    assert compute_fans((3, 5)) == (3, 5)
    # JAX: lecun_normal on a (n_in, n_out) kernel has Var = 1/shape[0].
    w = np.asarray(jax.nn.initializers.lecun_normal()(jax.random.key(0), (N_IN, N_OUT)))
    assert_variance(w, 1 / N_IN, "truncated_normal")


def test_keras_dense_default_kernel_and_bias():
    """'GlorotUniform(), the Dense default' (and its bias starts at zero)."""
    dense = keras.layers.Dense(N_OUT)
    dense.build((None, N_IN))
    assert type(dense.kernel_initializer).__name__ == "GlorotUniform"
    assert type(dense.bias_initializer).__name__ == "Zeros"
    np.testing.assert_array_equal(np.asarray(dense.bias), 0.0)
    kernel = np.asarray(dense.kernel)
    assert_variance(kernel, 2 / (N_IN + N_OUT), "uniform")
    bound_check(kernel, math.sqrt(6 / (N_IN + N_OUT)), "uniform")


CONV = [  # (in_channels, out_channels, kernel, groups)
    (6, 10, (3, 5), 1),
    (6, 10, (3, 5), 2),
]


@pytest.mark.parametrize("conv", CONV, ids=lambda c: f"groups={c[3]}")
def test_conv_fans_and_default(conv):
    """Fan-in = in-channels (of one group) × kernel height × width; fan-out = out-channels ×
    kernel height × width; nn.Conv2d's default weight and bias are U(±1/√fan_in)."""
    c_in, c_out, (kh, kw), groups = conv
    torch.manual_seed(groups)
    layer = torch.nn.Conv2d(c_in, c_out, (kh, kw), groups=groups)
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(layer.weight)
    assert (fan_in, fan_out) == (c_in // groups * kh * kw, c_out * kh * kw)
    # The default draw depends on the fan-in alone, so a layer with the same in-channels, kernel
    # and groups but many more out-channels gives bound_check's 3e5 samples in one construction.
    wide = torch.nn.Conv2d(c_in, 300_000, (kh, kw), groups=groups)
    assert torch.nn.init._calculate_fan_in_and_fan_out(wide.weight)[0] == fan_in
    weights = wide.weight.detach().numpy().ravel()[:360_000]  # as many as 400 layers of 10 × 6 × 3 × 5 held
    biases = wide.bias.detach().numpy()
    bound = 1 / math.sqrt(fan_in)
    for sample in (weights, biases):
        assert_variance(sample, bound**2 / 3, "uniform")
        bound_check(sample, bound, "uniform")
    # Keras Conv2D: kernel (kh, kw, in/groups, out), the same fans.
    from keras.src.initializers.random_initializers import compute_fans

    keras_conv = keras.layers.Conv2D(c_out, (kh, kw), groups=groups)
    keras_conv.build((None, 8, 8, c_in))
    assert tuple(keras_conv.kernel.shape) == (kh, kw, c_in // groups, c_out)
    assert compute_fans(tuple(keras_conv.kernel.shape)) == (fan_in, fan_out)
    # HeNormal on that kernel uses the fan-in: Var = 2/fan_in (drawn once, 600 times as many
    # out-channels: the fan-in, and so the distribution, is the same).
    wide_kernel = (kh, kw, c_in // groups, 600 * c_out)
    assert compute_fans(wide_kernel)[0] == fan_in
    w = np.asarray(keras.initializers.HeNormal(seed=groups)(wide_kernel)).ravel()
    assert_variance(w, 2 / fan_in, "truncated_normal")


def test_conv_fan_text():
    variants = section(VARIANTS, "## In PyTorch, Keras and JAX")
    assert ("For a\n  convolution the fan-in is in-channels × kernel height × kernel width and the\n"
            "  fan-out is out-channels × kernel height × kernel width (for a grouped\n"
            "  convolution, the in-channels of one group).") in variants
    assert "`nn.Conv2d` does the same with its own fan-in." in variants
    cheat = body(CHEAT)
    assert "For a\nconvolution it is in-channels × kernel height × kernel width." in cheat


def test_keras_normal_initialisers_are_truncated_and_widened():
    """LecunNormal, GlorotNormal, HeNormal and VarianceScaling (default distribution) are cut at
    ±2σ of a normal widened by 1/0.8796…; RandomNormal is not truncated; TruncatedNormal is
    truncated but not widened."""
    assert KEEP_NORMAL_TRUNCATION == pytest.approx(stats.truncnorm(-2, 2).std(), rel=1e-15)
    inside = integrate.quad(lambda z: z * z * math.exp(-z * z / 2), -2, 2)[0]
    mass = math.erf(2 / math.sqrt(2)) * math.sqrt(2 * math.pi)
    assert KEEP_NORMAL_TRUNCATION == pytest.approx(math.sqrt(inside / mass), rel=1e-12)
    assert keras.initializers.VarianceScaling().distribution == "truncated_normal"
    for name, scale, mode in [("LecunNormal", 1.0, "fan_in"), ("GlorotNormal", 1.0, "fan_avg"),
                              ("HeNormal", 2.0, "fan_in")]:
        init = getattr(keras.initializers, name)()
        assert (init.scale, init.mode, init.distribution) == (scale, mode, "truncated_normal")
    sigma = 0.01
    plain = np.asarray(keras.initializers.RandomNormal(stddev=sigma, seed=1)((N_IN, N_OUT)))
    assert np.max(np.abs(plain)) > 4 * sigma  # ≈ 23 draws beyond 4σ expected among 360,000
    assert_variance(plain, sigma**2, "normal")
    cut = np.asarray(keras.initializers.TruncatedNormal(stddev=sigma, seed=1)((N_IN, N_OUT)))
    bound_check(cut, 2 * sigma, "truncated_normal")
    assert_variance(cut, (KEEP_NORMAL_TRUNCATION * sigma) ** 2, "truncated_normal")
    g = 1.3  # VarianceScaling(scale=g**2, mode="fan_in"), the cheat sheet's "any gain"
    _, w = keras_call('VarianceScaling(scale=g**2, mode="fan_in")', (N_IN, N_OUT), g=g)
    assert_variance(w, g**2 / N_IN, "truncated_normal")
    bound_check(w, 2 * g / math.sqrt(N_IN) / KEEP_NORMAL_TRUNCATION, "truncated_normal")


@pytest.mark.parametrize("k", [0, 1, 2])
def test_truncated_normal_snippet_against_keras(k):
    """truncated_normal.py's constant and its Keras-style HeNormal against Keras's HeNormal."""
    ns = run_snippet("initialisation_variants/truncated_normal.py", seed_shift=k).namespace
    np.testing.assert_allclose(ns["theory"], stats.truncnorm(-2, 2).std(), rtol=1e-12)
    n = ns["n"]
    keras_w = np.asarray(keras.initializers.HeNormal(seed=k)((n, 4 * n)))
    # Same cut point (max |w| over ~10⁶ draws is within 1e-3 of it, see bound_check) ...
    bound_check(keras_w, 2 * math.sqrt(2 / n) / ns["theory"], "truncated_normal")
    snippet_cut = np.max(np.abs(ns["w"]))
    bound_check(ns["w"], 2 * math.sqrt(2 / n) / KEEP_NORMAL_TRUNCATION, "truncated_normal")
    assert snippet_cut <= 2 * math.sqrt(2 / n) / ns["theory"] * (1 + 1e-12)
    # ... and the same variance 2/n: both sample means of w² within 5 SE of it.
    assert_variance(keras_w, 2 / n, "truncated_normal")
    assert abs(ns["n_var_keras_he"] - 2) < variance_tolerance(2, ns["w"].size, "truncated_normal")


def test_truncation_text():
    variants = section(VARIANTS, "## In PyTorch, Keras and JAX")
    assert ("Keras's `LecunNormal`, `GlorotNormal` and `HeNormal` (and `VarianceScaling`,\n"
            "  whose default `distribution` is `\"truncated_normal\"`) draw from a\n"
            "  **truncated** normal") in variants
    assert "`RandomNormal` is not truncated, and\n  `TruncatedNormal` is truncated but not widened." in variants
    cheat = body(CHEAT)
    assert "Keras's `RandomNormal` is not truncated." in cheat


JAX_INITIALISERS = {  # name: (scheme, distribution)
    "lecun_normal": ("LeCun", "truncated_normal"), "lecun_uniform": ("LeCun", "uniform"),
    "glorot_normal": ("Glorot", "truncated_normal"), "glorot_uniform": ("Glorot", "uniform"),
    "he_normal": ("He", "truncated_normal"), "he_uniform": ("He", "uniform"),
}


@pytest.mark.parametrize("name", sorted(JAX_INITIALISERS))
def test_jax_initialisers(name):
    """jax.nn.initializers: the same schemes in snake case, kernel (n_in, n_out), the *_normal
    ones truncated and widened like Keras's."""
    scheme, dist = JAX_INITIALISERS[name]
    var = VAR[scheme](N_IN, N_OUT)
    w = np.asarray(getattr(jax.nn.initializers, name)()(jax.random.key(7), (N_IN, N_OUT)))
    assert_variance(w, var, dist)
    bound = (2 * math.sqrt(var) / KEEP_NORMAL_TRUNCATION if dist == "truncated_normal"
             else math.sqrt(3 * var))
    bound_check(w, bound, dist)


def test_jax_text():
    variants = section(VARIANTS, "## In PyTorch, Keras and JAX")
    assert ("JAX's `jax.nn.initializers` has the same schemes in snake case\n"
            "  (`lecun_normal()`, `glorot_uniform()`, `he_normal()`, …). Its kernels use\n"
            "  Keras's layout, `(n_in, n_out)`, and its `*_normal` initialisers are\n"
            "  truncated and widened in the same way.") in variants
    for name in re.findall(r"`(\w+)\(\)`", variants[variants.index("JAX's"):]):
        assert name in JAX_INITIALISERS
    cheat = body(CHEAT)
    assert ("so are JAX's `jax.nn.initializers.lecun_normal`, `glorot_normal` and\n"
            "  `he_normal`") in cheat


# ---------------------------------------------------------------- calculate_gain (cheat sheet)

def gain_rows():
    return table(section(CHEAT, "## Gains"))

TORCH_NAMES = {  # the cheat sheet's activation label -> calculate_gain calls it stands for
    "linear, sigmoid": [("linear", None), ("sigmoid", None)],
    "ReLU": [("relu", None)],
    "leaky ReLU, slope $a$": [("leaky_relu", a) for a in (0.01, 0.2, 1 / 3)],
    "tanh": [("tanh", None)],
    "SELU": [("selu", None)],
}


def test_cheat_sheet_gain_table_is_calculate_gain():
    """Every gain in the table, evaluated from its LaTeX, is PyTorch's calculate_gain."""
    rows = gain_rows()
    assert [row["Activation"] for row in rows] == list(TORCH_NAMES)
    for row in rows:
        (tex,) = maths(row["Gain $g$"])
        for name, param in TORCH_NAMES[row["Activation"]]:
            page = latex_value(tex, a=param if param is not None else 0.0)
            torch_gain = torch.nn.init.calculate_gain(name, param)
            assert page == pytest.approx(torch_gain, rel=1e-15), (name, param)
    # Closed forms, written here: linear/sigmoid 1, tanh 5/3, relu √2, leaky √(2/(1+a²)), selu 3/4.
    expected = {"linear": 1, "sigmoid": 1, "tanh": 5 / 3, "relu": math.sqrt(2), "selu": 3 / 4}
    for name, value in expected.items():
        assert torch.nn.init.calculate_gain(name) == pytest.approx(value, rel=1e-15)
    for a in (0.01, 0.2, 1.0):
        assert torch.nn.init.calculate_gain("leaky_relu", a) == pytest.approx(
            math.sqrt(2 / (1 + a * a)), rel=1e-15)


def test_selu_advice_is_pytorchs():
    """'for self-normalising nets its docs advise nonlinearity="linear" (gain 1, LeCun)'."""
    doc = torch.nn.init.calculate_gain.__doc__
    assert "Self-Normalizing Neural Networks" in doc
    assert "you should use ``nonlinearity='linear'`` instead of ``nonlinearity='selu'``" in doc
    assert torch.nn.init.calculate_gain("linear") == 1
    selu = next(row for row in gain_rows() if row["Activation"] == "SELU")
    assert 'its docs advise `nonlinearity="linear"`' in selu["Where it comes from"]


def test_tanh_gain_has_no_derivation_in_pytorch():
    """The pages say PyTorch gives 5/3 without a derivation: its docstring states the value
    and nothing more, and the pages cite the issue that asks for one."""
    doc = torch.nn.init.calculate_gain.__doc__
    tanh_line = next(line for line in doc.splitlines() if line.strip().startswith("Tanh"))
    assert tanh_line.split()[-1] == r":math:`\frac{5}{3}`"
    for page in (VARIANTS, CHEAT):
        assert "https://github.com/pytorch/pytorch/issues/24991" in body(page)


def test_gains_snippet_pytorch_column_is_calculate_gain():
    ns = run_snippet("cheat_sheet/gains.py").namespace
    torch_name = {"linear": ("linear", None), "relu": ("relu", None),
                  "leaky_relu a=0.01": ("leaky_relu", 0.01), "tanh": ("tanh", None)}
    assert set(ns["activations"]) == set(torch_name)
    for label, (_, gain) in ns["activations"].items():
        assert gain == pytest.approx(torch.nn.init.calculate_gain(*torch_name[label]), rel=1e-15)


# ---------------------------------------------------------------- cheat sheet names table

NAME_SCHEMES = ["LeCun normal", "LeCun uniform", "Glorot normal", "Glorot uniform", "He normal",
                "He uniform", "Orthogonal", "any gain"]


def test_cheat_sheet_names_table_rows():
    rows = table(section(CHEAT, "## Names in PyTorch, Keras and JAX"))
    assert [row["Scheme"] for row in rows] == NAME_SCHEMES


@pytest.mark.parametrize("name", NAME_SCHEMES)
def test_cheat_sheet_names_table(name):
    """Each PyTorch and Keras cell run as written (with g = 1.3 where it says g)."""
    rows = table(section(CHEAT, "## Names in PyTorch, Keras and JAX"))
    row, g = next(r for r in rows if r["Scheme"] == name), 1.3
    torch_codes = code_spans(row["PyTorch `torch.nn.init`"])
    keras_codes = [c for c in code_spans(row["Keras `keras.initializers`"]) if c != "Dense"]
    if name == "any gain":
        values = [torch_call(code, (1, 1)) for code in torch_codes]
        assert values == [pytest.approx(math.sqrt(2)), pytest.approx(5 / 3)]
        assert keras_codes == ['VarianceScaling(scale=g**2, mode="fan_in")']  # tested above
        return
    if name == "Orthogonal":
        torch.manual_seed(0)
        w = torch_call(torch_codes[0], (N_OUT, N_IN), g=g).astype(np.float64)
        np.testing.assert_allclose(w @ w.T, g**2 * np.eye(N_OUT), atol=1e-5)
        _, k = keras_call(keras_codes[0], (N_IN, N_OUT), g=g)
        np.testing.assert_allclose(k.T.astype(np.float64) @ k, g**2 * np.eye(N_OUT), atol=1e-5)
        return
    with_gain = "gain=g" in torch_codes[0]
    var = VAR[scheme_of(name)](N_IN, N_OUT) * (g**2 if with_gain else 1)
    torch.manual_seed(1)
    w = torch_call(torch_codes[0], (N_OUT, N_IN), g=g)
    assert_variance(w, var, dist_of(name))
    var_keras = VAR[scheme_of(name)](N_IN, N_OUT)  # the Keras cells take no gain
    for code in keras_codes:
        _, k = keras_call(code, (N_IN, N_OUT))
        assert_variance(k, var_keras, "uniform" if dist_of(name) == "uniform" else "truncated_normal")


def test_cheat_sheet_watch_for_bullets():
    text = body(CHEAT)
    assert ("`nn.Linear`'s default weight is $U(\\pm 1/\\sqrt{n_{\\text{in}}})$, which is\n"
            "  $\\mathrm{Var}(w) = 1/(3 n_{\\text{in}})$. That is **not** He. Its default\n"
            "  bias is $U(\\pm 1/\\sqrt{n_{\\text{in}}})$ too, not 0.") in text
    assert "`nn.Conv2d`\n  does the same with fan-in = in-channels × kernel height × kernel width." in text
    assert "A Keras kernel is `(n_in, n_out)`; a PyTorch weight is `(n_out, n_in)`." in text


def test_formula_check_linear_default_matches_pytorch():
    """formula_check.py's 'nn.Linear default' sampler against nn.Linear itself."""
    ns = run_snippet("cheat_sheet/formula_check.py", seed_shift=1).namespace
    n_in, n_out = ns["n_in"], ns["n_out"]
    mine = ns["torch_linear_default"]((n_out, n_in), np.random.default_rng(99))
    bound, fan_in = linear_bounds(torch.nn.Linear(n_in, n_out))
    assert fan_in == n_in
    bound_check(mine, bound, "uniform")
    torch.manual_seed(3)
    theirs = torch.nn.Linear(n_in, n_out).weight.detach().numpy()
    bound_check(theirs, bound, "uniform")


# ---------------------------------------------------------------- exercises

def test_exercise_4_pytorch_statements():
    """'nn.Linear draws its weight with kaiming_uniform_(w, a=math.sqrt(5)), which is
    U(±1/√n), and its bias from U(±1/√n) as well'; 'kaiming_uniform_(w, nonlinearity="relu")
    restores b = √(6/n)'; and the snippet's bounds are those."""
    n = 256
    src = inspect.getsource(torch.nn.Linear.reset_parameters)
    assert "init.kaiming_uniform_(self.weight, a=math.sqrt(5))" in src
    assert "init.uniform_(self.bias, -bound, bound)" in src
    torch.manual_seed(4)
    layers = [torch.nn.Linear(n, n) for _ in range(40)]
    bound, _ = linear_bounds(layers[0])
    assert bound == pytest.approx(1 / math.sqrt(n), rel=1e-15)
    weights = np.concatenate([layer.weight.detach().numpy().ravel() for layer in layers])
    biases = np.concatenate([torch.nn.Linear(n, n).bias.detach().numpy() for _ in range(2000)])
    for sample in (weights, biases):
        assert_variance(sample, 1 / (3 * n), "uniform")
        bound_check(sample, 1 / math.sqrt(n), "uniform")
    relu = torch_call('kaiming_uniform_(w, nonlinearity="relu")', (n, 4 * n * 4))
    bound_check(relu, math.sqrt(6 / (4 * n * 4)), "uniform")
    ns = run_snippet("exercises/nn_linear_default_numpy.py").namespace
    assert ns["b"] == pytest.approx(bound, rel=1e-15)
    text = body(EXERCISES)
    assert ("`nn.Linear` draws its weight\n    with `kaiming_uniform_(w, a=math.sqrt(5))`, which is"
            " $U(\\pm 1/\\sqrt{n})$,\n    and its bias from $U(\\pm 1/\\sqrt{n})$ as well.") in text
    assert ('`kaiming_uniform_(w, nonlinearity="relu")` restores\n        the bound $\\sqrt{6/n}$'
            " for the weights.") in text


# ---------------------------------------------------------------- other pages

def test_bfloat16_rounding_is_what_jax_does():
    """exploding-vanishing.md: 'a float32 can be rounded to it with a few bit operations, which
    is what PyTorch and JAX do'. PyTorch is checked bit for bit in test_exploding_vanishing.py;
    here JAX: jnp's astype(bfloat16) against the page's function, bit for bit, on values from
    subnormal to the overflow edge."""
    fn = run_snippet("exploding_vanishing/bfloat16_rounding.py").namespace["bfloat16"]
    rng = np.random.default_rng(11)
    x = np.concatenate([rng.standard_normal(20_000) * 10.0 ** rng.integers(-40, 39, 20_000),
                        np.float32([1.5, 3.3895314e38, 3.39e38, 1e-40, 9.2e-41, 0.0])])
    x = x.astype(np.float32)
    with np.errstate(over="ignore", under="ignore"):
        got = np.array([fn(v) for v in x])
    want = np.asarray(jax.numpy.asarray(x).astype(jax.numpy.bfloat16).astype(jax.numpy.float32))
    np.testing.assert_array_equal(got.view(np.uint32), want.view(np.uint32))


# ---------------------------------------------------------------- every sentence is covered

FRAMEWORK = re.compile(
    r"torch|PyTorch|nn\.init|nn\.Linear|nn\.Conv|Conv2d|calculate_gain|kaiming_|xavier_|"
    r"Keras|keras|\bJAX\b|\bjax\b|TensorFlow|VarianceScaling|GlorotUniform|GlorotNormal|"
    r"HeNormal|HeUniform|LecunNormal|LecunUniform|RandomNormal|TruncatedNormal|`Dense`|"
    r"fan_in|fan_out|orthogonal_\(")

# (page, a phrase of the sentence or table row, the test that checks it)
CLAIMS = [
    ("initialisation-variants.md", "and the PyTorch, Keras and JAX names", "the page's description; the table below"),
    ("initialisation-variants.md", "In code, `fan_in = shape[1]` and `fan_out = shape[0]`", "not a framework claim: this site's layout"),
    ("initialisation-variants.md", "This is PyTorch's meaning of \"gain\"", "test_cheat_sheet_names_table (gain=g multiplies the std)"),
    ("initialisation-variants.md", "PyTorch's `calculate_gain(\"tanh\")` returns $5/3$", "test_kaiming_defaults_and_gains"),
    ("initialisation-variants.md", "PyTorch gives no\nderivation for that number", "test_tanh_gain_has_no_derivation_in_pytorch"),
    ("initialisation-variants.md", "with the initialisers of PyTorch and\nJAX (each tab ran during this build)", "test_tabs.py (the tabs run and agree)"),
    ("initialisation-variants.md", "PyTorch's\nweight is `(out_features, in_features)`", "test_layouts, test_jax_initialisers"),
    ("initialisation-variants.md", "## In PyTorch, Keras and JAX", "heading"),
    ("initialisation-variants.md", "| Scheme | $\\mathrm{Var}(w)$ | PyTorch", "test_variants_table_*"),
    ("initialisation-variants.md", "| LeCun normal |", "test_variants_table_pytorch_cell, test_variants_table_keras_cell"),
    ("initialisation-variants.md", "| LeCun uniform |", "test_variants_table_pytorch_cell, test_variants_table_keras_cell"),
    ("initialisation-variants.md", "| Glorot normal |", "test_variants_table_pytorch_cell, test_variants_table_keras_cell"),
    ("initialisation-variants.md", "| Glorot uniform |", "test_variants_table_*, test_keras_dense_default_kernel_and_bias"),
    ("initialisation-variants.md", "| He normal |", "test_variants_table_pytorch_cell, test_kaiming_defaults_and_gains"),
    ("initialisation-variants.md", "| He uniform |", "test_variants_table_pytorch_cell, test_variants_table_keras_cell"),
    ("initialisation-variants.md", "| Orthogonal |", "test_variants_table_orthogonal_row"),
    ("initialisation-variants.md", "| `nn.Linear` default |", "test_nn_linear_default_row"),
    ("initialisation-variants.md", "PyTorch's `kaiming_*_` functions default to", "test_kaiming_defaults_and_gains"),
    ("initialisation-variants.md", "`nn.init.calculate_gain(\"tanh\")` returns 5/3", "test_kaiming_defaults_and_gains"),
    ("initialisation-variants.md", "`nn.Linear` does not use He initialisation by default", "test_nn_linear_default_row"),
    ("initialisation-variants.md", "`kaiming_uniform_(a=√5)` works out to", "test_nn_linear_default_row"),
    ("initialisation-variants.md", "`nn.Conv2d` does the same with its own fan-in", "test_conv_fans_and_default"),
    ("initialisation-variants.md", "A PyTorch `Linear` weight is `(out_features, in_features)`", "test_layouts"),
    ("initialisation-variants.md", "A Keras `Dense` kernel is `(input_dim, units)`", "test_layouts"),
    ("initialisation-variants.md", "convolution the fan-in is in-channels", "test_conv_fans_and_default"),
    ("initialisation-variants.md", "Keras's `LecunNormal`, `GlorotNormal` and `HeNormal`", "test_keras_normal_initialisers_are_truncated_and_widened"),
    ("initialisation-variants.md", "`RandomNormal` is not truncated", "test_keras_normal_initialisers_are_truncated_and_widened"),
    ("initialisation-variants.md", "JAX's `jax.nn.initializers` has the same schemes", "test_jax_initialisers, test_layouts"),
    ("initialisation-variants.md", "Keras's layout, `(n_in, n_out)`", "test_layouts"),
    ("initialisation-variants.md", "[PyTorch `torch.nn.init`](https://pytorch.org", "reference link"),
    ("initialisation-variants.md", "[JAX `jax.nn.initializers`]", "reference link"),
    ("cheat-sheet.md", "PyTorch, Keras and JAX names", "the page's description; tables below"),
    ("cheat-sheet.md", "(PyTorch's default\n`nn.Linear` and `nn.Conv2d` biases do not", "test_nn_linear_default_row, test_conv_fans_and_default"),
    ("cheat-sheet.md", "orthogonal draw and PyTorch's `nn.Linear` default, each sampled once",
     "test_formula_check_linear_default_matches_pytorch"),
    ("cheat-sheet.md", "| linear, sigmoid | $1$", "test_cheat_sheet_gain_table_is_calculate_gain"),
    ("cheat-sheet.md", "| tanh | $5/3$ | PyTorch's value", "test_cheat_sheet_gain_table_is_calculate_gain, test_tanh_gain_has_no_derivation_in_pytorch"),
    ("cheat-sheet.md", "| SELU | $3/4$ | PyTorch's", "test_cheat_sheet_gain_table_is_calculate_gain, test_selu_advice_is_pytorchs"),
    ("cheat-sheet.md", "PyTorch's 5/3 sits a little\nabove", "test_cheat_sheet.py::test_gains_from_second_moment"),
    ("cheat-sheet.md", "## Names in PyTorch, Keras and JAX", "heading"),
    ("cheat-sheet.md", "| Scheme | PyTorch `torch.nn.init`", "test_cheat_sheet_names_table"),
    ("cheat-sheet.md", "| LeCun normal | `kaiming_normal_", "test_cheat_sheet_names_table"),
    ("cheat-sheet.md", "| LeCun uniform | `kaiming_uniform_", "test_cheat_sheet_names_table"),
    ("cheat-sheet.md", "| Glorot normal | `xavier_normal_", "test_cheat_sheet_names_table"),
    ("cheat-sheet.md", "| Glorot uniform | `xavier_uniform_", "test_cheat_sheet_names_table, test_keras_dense_default_kernel_and_bias"),
    ("cheat-sheet.md", "| He normal | `kaiming_normal_(w)`", "test_cheat_sheet_names_table, test_kaiming_defaults_and_gains"),
    ("cheat-sheet.md", "| He uniform | `kaiming_uniform_", "test_cheat_sheet_names_table"),
    ("cheat-sheet.md", "| Orthogonal | `orthogonal_", "test_cheat_sheet_names_table"),
    ("cheat-sheet.md", "| any gain | `calculate_gain", "test_cheat_sheet_names_table, test_keras_normal_initialisers_are_truncated_and_widened"),
    ("cheat-sheet.md", "`nn.Linear`'s default weight is", "test_cheat_sheet_watch_for_bullets, test_nn_linear_default_row"),
    ("cheat-sheet.md", "Its default\n  bias is", "test_nn_linear_default_row"),
    ("cheat-sheet.md", "A deep ReLU stack of\n  default layers settles", "test_exercises.py::test_torch_linear_default_in_pytorch"),
    ("cheat-sheet.md", "`nn.Conv2d`\n  does the same", "test_conv_fans_and_default"),
    ("cheat-sheet.md", "Keras's `LecunNormal`, `GlorotNormal` and `HeNormal`", "test_keras_normal_initialisers_are_truncated_and_widened"),
    ("cheat-sheet.md", "so are JAX's", "test_jax_initialisers"),
    ("cheat-sheet.md", "Keras's `RandomNormal` is not truncated", "test_keras_normal_initialisers_are_truncated_and_widened"),
    ("cheat-sheet.md", "A Keras kernel is `(n_in, n_out)`; a PyTorch weight is `(n_out, n_in)`", "test_layouts"),
    ("normalisation.md", "PyTorch's default for both layers", "test_normalisation.py::test_pytorch_defaults_the_page_states"),
    ("normalisation.md", "against PyTorch's `nn.BatchNorm1d` and",
     "test_normalisation.py::test_normalise_matches_pytorch_forward_and_backward, test_network_backward_matches_autograd"),
    ("normalisation.md", "(in PyTorch, an exponential average with momentum 0.1",
     "test_normalisation.py::test_pytorch_defaults_the_page_states"),
    ("normalisation.md", "PyTorch switches between the two with",
     "test_normalisation.py::test_pytorch_defaults_the_page_states"),
    ("diagnostics.md", "the update-to-weight ratio in PyTorch", "the page's description; test_diagnostics.py"),
    ("diagnostics.md", "measurements, each a few lines of PyTorch", "test_diagnostics.py (the snippets are PyTorch)"),
    ("diagnostics.md", "- **PyTorch default**: `nn.Linear` draws its weight from", "test_nn_linear_default_row"),
    ("diagnostics.md", "- **LeCun, gain 5/3**: `kaiming_normal_(w, nonlinearity=\"tanh\")`", "test_kaiming_defaults_and_gains"),
    ("diagnostics.md", "- **std 1**: `normal_(w)`", "test_normal_defaults_to_a_standard_normal"),
    ("diagnostics.md", "- **PyTorch default: vanishing.**", "test_diagnostics.py::test_the_texts_claims_about_each_network"),
    ("diagnostics.md", "hooks are tensor hooks rather than `register_full_backward_hook`",
     "test_full_backward_hook_warns_on_the_first_layer_and_fails_before_an_inplace_relu"),
    ("diagnostics.md", "Hooks are how PyTorch lets you see inside its passes", "not a claim to test"),
    ("diagnostics.md", "so its digits differ from the PyTorch table's",
     "test_diagnostics.py::test_numpy_snippet_agrees_with_watch_on_the_same_weights"),
    ("diagnostics.md", "The tests load these weights into the PyTorch",
     "test_diagnostics.py::test_numpy_snippet_agrees_with_watch_on_the_same_weights"),
    ("diagnostics.md", "It says nothing about the layers below: the PyTorch",
     "test_diagnostics.py::test_small_last_layer_and_default_net_start_near_log_c"),
    ("diagnostics.md", "- **PyTorch default.** Layer 1's first update is", "test_diagnostics.py::test_update_ratio_patterns"),
    ("diagnostics.md", "The tests check the tool itself against the formula above",
     "test_diagnostics.py::test_update_ratio_is_lr_times_gradient_over_weight_for_sgd"),
    ("diagnostics.md", "(e.g. `nn.Linear`'s default, 1/3)", "test_nn_linear_default_row"),
    ("diagnostics.md", "*Likely cause:* fan mode: fan-in read from the wrong axis", "test_layouts"),
    ("diagnostics.md", "Repeat the first update of the three networks with",
     "test_diagnostics.py::test_adam_first_update_is_lr_times_g_over_abs_g_plus_eps"),
    ("diagnostics.md", "- PyTorch documentation:", "references"),
    ("diagnostics.md", "Fixup Initialization: Residual Learning", "references"),
    ("diagnostics.md", "- Google Research, [big_vision]", "references; head_zeroinit=True read in big_vision/models/vit.py"),
    ("index.md", "(PyTorch or JAX for their tabs)", "test_tabs.py (the tabs import them and run at build)"),
    ("index.md", "on your own PyTorch model", "the diagnostics page and tests/pages/test_diagnostics.py"),
    ("residual-connections.md", "(The TensorFlow code OpenAI released", "read in openai/gpt-2 src/model.py (conv1d's "
     "w_init_stdev=0.02 for c_proj as for every linear layer); TensorFlow 1 cannot run here"),
    ("residual-connections.md", "The tests compare every\ngradient of the module", "test_residual_connections.py (autograd)"),
    ("saturating-activations.md", "recompute the\nspectral norms a second way and the whole backward pass in PyTorch",
     "test_saturating_activations.py"),
    ("saturating-activations.md", "page shows that trade for PyTorch's gain 5/3", "test_tanh_gain_* (initialisation-variants)"),
    ("exercises.md", "Code ported from Keras, where a `Dense` kernel is `(n_in, n_out)`", "test_layouts"),
    ("exercises.md", "as in PyTorch and in the course", "test_layouts"),
    ("exercises.md", "PyTorch's default adds them", "test_exercise_4_pytorch_statements"),
    ("exercises.md", "Exercise 4: PyTorch's default `nn.Linear`", "heading"),
    ("exercises.md", "built from `nn.Linear` layers", "test_exercise_4_pytorch_statements"),
    ("exercises.md", "`nn.Linear` draws its weight", "test_exercise_4_pytorch_statements"),
    ("exercises.md", "`kaiming_uniform_(w, nonlinearity=\"relu\")` restores", "test_exercise_4_pytorch_statements"),
    ("deep-nets.md", "PyTorch's `nn.init.calculate_gain(\"tanh\")`\nis $5/3$", "test_kaiming_defaults_and_gains"),
    ("gradients.md", "The PyTorch tab leaves it to\nautograd",
     "test_tabs.py::test_retain_grad_keeps_intermediate_gradients, test_framework_tabs_agree_with_numpy"),
    ("gradients.md", "`jax.grad`\ndifferentiates a function with respect to its arguments",
     "test_tabs.py::test_framework_tabs_agree_with_numpy (the nudges' gradients are NumPy's dL/da^[l])"),
    ("gradients.md", "Both frameworks compute in float32",
     "test_tabs.py::test_same_input_tabs_compute_in_float32, test_same_input_tabs_print_the_same_table, "
     "test_framework_tabs_agree_with_numpy"),
    ("gradient-descent.md", "The PyTorch and JAX tabs load the NumPy tab's data",
     "test_tabs.py::test_orthogonal_initialisers_take_the_gain, test_same_input_tabs_compute_in_float32, "
     "test_same_input_tabs_print_the_same_table, test_framework_tabs_agree_with_numpy"),
    ("deep-nets.md", "The PyTorch tab builds the same experiment from `nn.Linear` layers",
     "test_tabs.py::test_kaiming_normal_and_variance_scaling_as_the_tabs_use_them"),
    ("deep-nets.md", "It runs in float64\n(`dtype=torch.float64`)", "test_tabs.py::test_float64_where_the_tabs_say_so"),
    ("deep-nets.md", "PyTorch\ndraws its own weights (one draw per scheme)",
     "test_tabs.py::test_too_large_tanh_gradient_differs_by_decades_between_draws, "
     "test_framework_tabs_agree_with_numpy; test_deep_nets.py::test_tanh_saturated_fraction_matches_mean_field"),
    ("deep-nets.md", "The same forward and backward\npass in JAX",
     "test_tabs.py::test_every_tab_group_on_the_site_is_registered_here (the tanh_gain_cost group)"),
    ("deep-nets.md", "In PyTorch the gain goes in through `kaiming_normal_(w, nonlinearity=\"tanh\")`",
     "test_tabs.py::test_kaiming_normal_and_variance_scaling_as_the_tabs_use_them"),
    ("deep-nets.md", "`jax.nn.initializers.variance_scaling` takes a variance multiplier",
     "test_tabs.py::test_kaiming_normal_and_variance_scaling_as_the_tabs_use_them"),
    ("exercises.md", "Here it is in NumPy and in\n        PyTorch itself", "test_tabs.py::test_framework_tabs_agree_with_numpy"),
    ("exercises.md", "The PyTorch tab is the same stack built from real `nn.Linear` layers",
     "test_tabs.py::test_framework_tabs_agree_with_numpy (nn_linear_default_torch.py: nn.Linear(n, n) as PyTorch makes it)"),
    ("exercises.md", "eight more PyTorch nets, forward and backward",
     "test_tabs.py::test_framework_tabs_agree_with_numpy; test_exercises.py::test_torch_linear_default_in_pytorch"),
    ("exploding-vanishing.md", "which is what\nPyTorch and JAX do", "test_exploding_vanishing.py::test_bfloat16_rounding_matches_torch_bit_for_bit, test_bfloat16_rounding_is_what_jax_does"),
]


def sentences(text):
    """Prose units: each table row, and each sentence of the rest.

    Code fences and {{ … }} directives are blanked first (a snippet's code or a value's name
    is not a statement about a framework); returns the blanked text and its units.
    """
    for fence in fences(text):
        text = text.replace(fence.group(0), "\n")
    text = re.sub(r'^[ \t]*=== "[^"]*"[ \t]*$', "\n", text, flags=re.M)  # tab labels: test_tabs.py checks each tab
    text = re.sub(r"\{\{.*?\}\}", "VALUE", text, flags=re.DOTALL)
    units = []
    for block in re.split(r"\n\s*\n", text):
        rows = [line for line in block.splitlines() if line.lstrip().startswith("|")]
        if rows:
            units += rows
            continue
        units += re.split(r"(?<=[.!?])\s+(?=[A-Z`\[(*])", block)
    return text, units


def framework_units(page):
    if page.suffix == ".ipynb":
        cells = json.loads(page.read_text(encoding="utf-8"))["cells"]
        text = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = page.read_text(encoding="utf-8")
    blanked, units = sentences(text)
    return text, blanked, [u for u in units if FRAMEWORK.search(u)]


PAGES = sorted(p for p in DOCS.rglob("*") if p.suffix in (".md", ".ipynb")
               and "includes" not in p.parts)


def covered(blanked, unit, phrase):
    """`phrase` lies in `unit`, or overlaps the unit's place in the page (a phrase may span
    two sentences, e.g. a heading and its first words)."""
    if phrase in unit:
        return True
    start = blanked.find(unit)
    at = blanked.find(phrase)
    while at >= 0:
        if at < start + len(unit) and at + len(phrase) > start:
            return True
        at = blanked.find(phrase, at + 1)
    return False


def test_normal_defaults_to_a_standard_normal():
    """diagnostics.md: `normal_(w)` is the `torch.randn` scale, mean 0 and std 1 (5 standard errors)."""
    w = torch.nn.init.normal_(torch.empty(1000, 1000), generator=torch.Generator().manual_seed(0))
    assert abs(w.mean().item()) < 5e-3 and abs(w.var().item() - 1) < 5 * math.sqrt(2 / w.numel())


def test_full_backward_hook_warns_on_the_first_layer_and_fails_before_an_inplace_relu():
    """diagnostics.md: why `watch` uses tensor hooks. A full backward hook on the first layer warns
    that no input requires a gradient; one on a layer followed by ReLU(inplace=True) raises."""
    x = torch.randn(5, 3, generator=torch.Generator().manual_seed(0))
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    net[0].register_full_backward_hook(lambda module, grad_in, grad_out: None)
    with pytest.warns(UserWarning, match="no inputs require gradient"):
        net(x).sum().backward()
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Linear(4, 4), torch.nn.ReLU(inplace=True),
                              torch.nn.Linear(4, 1))
    net[1].register_full_backward_hook(lambda module, grad_in, grad_out: None)
    with pytest.raises(RuntimeError, match="modified inplace"):
        net(x).sum().backward()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_framework_sentence_is_checked(page):
    name = page.relative_to(DOCS).as_posix()
    text, blanked, units = framework_units(page)
    phrases = [phrase for p, phrase, _ in CLAIMS if p == name]
    unchecked = [u for u in units if not any(covered(blanked, u, ph) for ph in phrases)]
    assert not unchecked, f"{name}: framework statements no test checks:\n" + "\n".join(unchecked)
    for phrase in phrases:  # a registered claim that left the page is stale
        assert phrase in text, (name, phrase)
